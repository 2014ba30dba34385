package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"sync"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// LinkInput sets where a referrer's tracking link leads.
type LinkInput struct {
	LandingURL string `json:"landing_url" validate:"required,max=2000,weburl"`
	// AttributionDays is how long the seller's page keeps the visitor's
	// mm_ref (default 90).
	AttributionDays int `json:"attribution_days" validate:"omitempty,min=1,max=365"`
}

// defaultAttributionDays is the common window of referral programs.
const defaultAttributionDays = 90

// LinkView is a tracking link with its address and its figures by quarter.
type LinkView struct {
	domain.Link
	URL      string
	Quarters []domain.LinkQuarter
}

// SetLink gives the calling member, a side of a referral partnership that
// refers leads, its tracking link, or changes where it leads.
func (a *App) SetLink(ctx context.Context, who Who, id int64, in LinkInput) (LinkView, error) {
	if err := match.Validate(in); err != nil {
		return LinkView{}, err
	}
	if who.Host {
		return LinkView{}, match.Errorf(match.EFORBIDDEN, "a referring member makes their own tracking link")
	}
	_, _, side, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return LinkView{}, err
	}
	if in.AttributionDays == 0 {
		in.AttributionDays = defaultAttributionDays
	}
	l, err := a.Store.SetLink(ctx, id, side, in.LandingURL, in.AttributionDays)
	if err != nil {
		return LinkView{}, err
	}
	return LinkView{Link: l, URL: a.linkURL(l.Code)}, nil
}

// Links returns a referral partnership's tracking links with their
// figures, to both sides and the host.
func (a *App) Links(ctx context.Context, who Who, id int64) ([]LinkView, error) {
	if _, _, _, err := a.referralPartnership(ctx, who, id); err != nil {
		return nil, err
	}
	links, err := a.Store.Links(ctx, id)
	if err != nil {
		return nil, err
	}
	stats, err := a.Store.LinkStats(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]LinkView, len(links))
	for i, l := range links {
		out[i] = LinkView{Link: l, URL: a.linkURL(l.Code), Quarters: stats[l.ID]}
	}
	return out, nil
}

func (a *App) linkURL(code string) string { return a.baseURL + "/r/" + code }

// bots are user agents that follow links without a person: crawlers,
// link previews of chat apps and social sites, and scripts.
var bots = regexp.MustCompile(`(?i)bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|telegram|slack|discord|skype|curl|wget|python|go-http-client|java/|okhttp|headless|lighthouse|monitor|checker|linkcheck|validator|uptime|scanner|^$`)

// FollowLink returns where a tracking link sends a visitor: its landing
// page with mm_ref (the code) and mm_days (the attribution window) added.
// A person's click is counted, once a day per visitor; clicks of bots
// and link checkers (by their user agent) are not. No
// address is kept: the visitor is a hash of the address and browser with
// a salt that is deleted when the day is over.
func (a *App) FollowLink(ctx context.Context, code, ip, userAgent string) (string, error) {
	l, err := a.Store.LinkByCode(ctx, code)
	if err != nil {
		return "", err
	}
	if !bots.MatchString(userAgent) {
		day := a.db.Now().UTC().Format("2006-01-02")
		if salt, err := a.salts.of(ctx, a.Store, day); err != nil {
			a.Log.Error("tracking link salt", "err", err)
		} else {
			h := sha256.New()
			h.Write(salt)
			h.Write([]byte(ip + "\x00" + userAgent))
			if _, err := a.Store.RecordClick(ctx, l.ID, day, hex.EncodeToString(h.Sum(nil))[:32]); err != nil {
				a.Log.Error("tracking link click", "err", err) // the visitor goes on all the same
			}
		}
	}
	u, err := url.Parse(l.LandingURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("mm_ref", l.Code)
	q.Set("mm_days", strconv.Itoa(l.AttributionDays))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// clickSalts keeps the day's salt for hashing visitors, read from the
// database on the day's first click rather than at every click.
type clickSalts struct {
	mu   sync.Mutex
	day  string
	salt []byte
}

func (c *clickSalts) of(ctx context.Context, store domain.Store, day string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.day != day {
		salt, err := store.ClickSalt(ctx, day)
		if err != nil {
			return nil, err
		}
		c.day, c.salt = day, salt
	}
	return c.salt, nil
}

// ConversionInput is a conversion as the seller's systems report it:
// by the tracking link's code (mm_ref) or by partnership, with the
// seller's own ID for it.
type ConversionInput struct {
	Ref           string         `json:"mm_ref" validate:"required_without=PartnershipID,excluded_with=PartnershipID,omitempty,max=40,alphanum"`
	PartnershipID int64          `json:"partnership_id" validate:"omitempty,gt=0"`
	ExternalID    string         `json:"external_id" validate:"required,max=200,name"`
	Status        string         `json:"status" validate:"required,oneof=lead won refunded"`
	Sale          *partner.Money `json:"sale" validate:"required_if=Status won,excluded_unless=Status won"`
	LeadName      string         `json:"lead_name" validate:"max=200,name"`
	Company       string         `json:"company" validate:"max=200,name"`
}

// RecordConversion records a conversion the seller reports (see
// store.RecordConversion): only the side that receives the partnership's
// referrals, or the host, reports them. Both sides hear of what changed.
func (a *App) RecordConversion(ctx context.Context, who Who, in ConversionInput) (domain.ConversionResult, error) {
	if err := match.Validate(in); err != nil {
		return domain.ConversionResult{}, err
	}
	if in.Sale != nil {
		if err := partner.CheckAmount("sale.amount", in.Sale.Amount, true); err != nil {
			return domain.ConversionResult{}, err
		}
	}
	c := domain.NewConversion{PartnershipID: in.PartnershipID, ExternalID: in.ExternalID, Status: in.Status,
		LeadName: in.LeadName, Company: in.Company, Sale: in.Sale}
	if in.Ref != "" {
		l, err := a.Store.LinkByCode(ctx, in.Ref)
		if errors.Is(err, match.ErrNotFound) {
			return domain.ConversionResult{}, match.Invalid("some fields are not valid", map[string]string{"mm_ref": "is not a tracking link's code"})
		} else if err != nil {
			return domain.ConversionResult{}, err
		}
		c.PartnershipID, c.LinkID, c.Referrer = l.PartnershipID, l.ID, l.Referrer
	}
	p, actor, side, err := a.inLane(ctx, who, c.PartnershipID, partner.LaneReferral)
	if err != nil {
		return domain.ConversionResult{}, err
	}
	if c.Referrer == "" {
		if who.Host {
			return domain.ConversionResult{}, match.Invalid("some fields are not valid", map[string]string{"mm_ref": "is required from the host: it says which side referred"})
		}
		c.Referrer = side.Other()
	}
	if !who.Host && side != c.Referrer.Other() {
		return domain.ConversionResult{}, match.Errorf(match.EFORBIDDEN, "the side that receives the referrals reports their conversions")
	}
	if c.LeadName == "" {
		c.LeadName = "Sign-up " + c.ExternalID
	}
	res, err := a.Store.RecordConversion(ctx, c, actor)
	if err != nil || !res.Changed {
		return res, err
	}
	what := map[string]string{domain.ConversionLead: "a sign-up", domain.ConversionWon: "a sale", domain.ConversionRefunded: "a refund"}[c.Status]
	if c.Status == domain.ConversionWon && res.Referral.Sale != nil {
		what += " of " + res.Referral.Sale.String()
	}
	what += " (" + res.Referral.LeadName + ")"
	seller, referrer := p.Party(c.Referrer.Other()), p.Party(c.Referrer)
	for _, n := range []struct{ to, who, what, other string }{
		{referrer.Email, seller.Business, "reported " + what + " from your referral", seller.Business},
		{seller.Email, "Your systems", "reported " + what + ", referred by " + referrer.Business, referrer.Business},
	} {
		line := n.who + " " + n.what
		a.sendNotice(ctx, n.to, "referral", "notice", line, line+", in your referral partnership with "+n.other, a.partnershipLink(p.ID),
			map[string]any{"Who": n.who, "What": n.what, "Lane": string(p.Lane), "Other": n.other})
	}
	return res, nil
}
