package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// The signed links a digest carries (ask for an introduction, not a fit,
// read online, unsubscribe) and what opening them does.

// Digest links are signed, not stored: an HMAC under the database's signing
// key of what the link says, checked in constant time. "u" unsubscribes an
// address (and keeps working: RFC 8058 wants that), "v" shows an address's
// digest for a quarter, "r" asks for an introduction to one partner and
// works once, until the end of the quarter after the digest's. Notices use
// the same signing for their one-click unsubscribe ("n", notices.go).
const (
	prefixDigestLink = "mmd_"
	linkUnsubscribe  = "u"
	linkView         = "v"
	linkRequest      = "r"
)

func (a *App) linkMAC(payload string) []byte {
	mac := hmac.New(sha256.New, a.signingKey)
	mac.Write([]byte("digest-link\x00" + payload))
	return mac.Sum(nil)
}

// signLink returns a token saying fields (the first is the link's kind).
func (a *App) signLink(fields ...string) string {
	payload := strings.Join(fields, "\x00")
	return prefixDigestLink + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(a.linkMAC(payload))
}

var errBadLink = match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")

// openLink checks a token's signature and kind and returns its fields
// (kind first), or ENOTFOUND.
func (a *App) openLink(token, kind string, n int) ([]string, error) {
	rest, ok := strings.CutPrefix(token, prefixDigestLink)
	if !ok {
		return nil, errBadLink
	}
	p, s, ok := strings.Cut(rest, ".")
	if !ok {
		return nil, errBadLink
	}
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(p)
	sig, err2 := base64.RawURLEncoding.Strict().DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, a.linkMAC(string(payload))) {
		return nil, errBadLink
	}
	fields := strings.Split(string(payload), "\x00")
	if len(fields) != n || fields[0] != kind {
		return nil, errBadLink
	}
	return fields, nil
}

// requestToken is the single-use link asking for an introduction of a
// member's post to a partner's, from the quarter's digest.
func (a *App) requestToken(q match.Quarter, email string, post, partner int64) string {
	expires := q.Next().Next().Start().Unix()
	return a.signLink(linkRequest, string(q), email, strconv.FormatInt(post, 10), strconv.FormatInt(partner, 10), strconv.FormatInt(expires, 10))
}

// digestRequest is what a request link says.
type digestRequest struct {
	quarter      match.Quarter
	me, partner  match.Post
	spentKey     string // the link's identity among spent links
	email        string
	postID, with int64
}

// openRequest checks a request link: signed, not expired, not spent, its
// post still at the address it was sent to, the partner still listed. It
// returns ENOTFOUND otherwise.
func (a *App) openRequest(ctx context.Context, token string) (digestRequest, error) {
	f, err := a.openLink(token, linkRequest, 6)
	if err != nil {
		return digestRequest{}, err
	}
	r := digestRequest{quarter: match.Quarter(f[1]), email: f[2]}
	var perr [3]error
	r.postID, perr[0] = strconv.ParseInt(f[3], 10, 64)
	r.with, perr[1] = strconv.ParseInt(f[4], 10, 64)
	expires, err := strconv.ParseInt(f[5], 10, 64)
	perr[2] = err
	if errors.Join(perr[:]...) != nil || !a.Store.Now().Before(time.Unix(expires, 0)) {
		return digestRequest{}, errBadLink
	}
	r.spentKey = auth.Hash("digest-request\x00" + strings.Join(f, "\x00"))
	spent, err := a.Store.IsLinkSpent(ctx, r.spentKey)
	if err != nil {
		return digestRequest{}, err
	}
	posts, err := a.Store.PostsByID(ctx, []int64{r.postID, r.with})
	if err != nil {
		return digestRequest{}, err
	}
	var ok1, ok2 bool
	r.me, ok1 = posts[r.postID]
	r.partner, ok2 = posts[r.with]
	if spent || !ok1 || !ok2 || r.me.Email != r.email || r.partner.Status != match.StatusActive {
		return digestRequest{}, errBadLink
	}
	return r, nil
}

// DigestRequestForLink returns, without spending the link, the member's
// post and the partner an introduction-request link is about, or
// ENOTFOUND.
func (a *App) DigestRequestForLink(ctx context.Context, token string) (me, partner match.Post, err error) {
	r, err := a.openRequest(ctx, token)
	return r.me, r.partner, err
}

// RequestByLink records, by a digest's single-use link, that the member
// wants an introduction to the partner (yes) or is not interested (no).
// It returns ENOTFOUND for a bad or spent link and ECONFLICT for a pair
// introduced already.
func (a *App) RequestByLink(ctx context.Context, token string, yes bool) (domain.Interest, error) {
	r, err := a.openRequest(ctx, token)
	if err != nil {
		return domain.Interest{}, err
	}
	interest := domain.InterestNo
	if yes {
		interest = domain.InterestYes
	}
	return a.recordInterest(ctx, r.me, r.partner, interest, "", r.spentKey, max(match.QuarterOf(a.Store.Now()), r.quarter))
}

// FeedbackByLink records, by a digest's request link, that the partner it
// names is not a fit, for the reason given (a competitor, not relevant):
// the pair leaves the member's matches and digests, and the matcher
// learns from it. The link stays usable: an answer can be changed. It
// returns ENOTFOUND for a bad link, EINVALID for another reason.
func (a *App) FeedbackByLink(ctx context.Context, token string, reason match.Reason) (domain.Feedback, error) {
	if reason != match.ReasonCompetitor && reason != match.ReasonNotRelevant {
		return domain.Feedback{}, match.Invalid("some fields are not valid", map[string]string{"answer": "must be yes, no, competitor or not_relevant"})
	}
	r, err := a.openRequest(ctx, token)
	if err != nil {
		return domain.Feedback{}, err
	}
	return a.RecordFeedback(ctx, r.me, r.partner.ID, FeedbackInput{Verdict: match.NotAFit, Reason: reason, Source: domain.FeedbackFromDigest})
}

// RecordInterest records what the owner of post me (as the caller read it,
// checking who may act for it) thinks of a partner:
// domain.InterestYes asks the host for an introduction (the pair goes to
// the round of the current quarter, or of the post's quarter when that is
// later), domain.InterestNo means not interested (the pair is never
// suggested again). It returns ENOTFOUND for a partner that is not listed, EINVALID for a pair that cannot be
// introduced, and ECONFLICT for a yes to a pair introduced already.
func (a *App) RecordInterest(ctx context.Context, me match.Post, partnerID int64, interest, note string) (domain.Interest, error) {
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	fields := map[string]string{}
	if interest != domain.InterestYes && interest != domain.InterestNo {
		fields["interest"] = "must be yes or no"
	}
	if len([]rune(note)) > maxInterestNote || !match.IsCleanText(note) {
		fields["note"] = fmt.Sprintf("must be plain text of at most %d characters", maxInterestNote)
	}
	if len(fields) > 0 {
		return domain.Interest{}, match.Invalid("some fields are not valid", fields)
	}
	posts, err := a.Store.PostsByID(ctx, []int64{partnerID})
	if err != nil {
		return domain.Interest{}, err
	}
	partner, ok := posts[partnerID]
	// Members know partners by their matches: active posts, or paused
	// ones they were shown before (a no is still worth keeping).
	listed := partner.Status == match.StatusActive || (interest == domain.InterestNo && partner.Status == match.StatusPaused)
	if !ok || !listed {
		return domain.Interest{}, match.Errorf(match.ENOTFOUND, "post %d not found", partnerID)
	}
	return a.recordInterest(ctx, me, partner, interest, note, "", max(match.QuarterOf(a.Store.Now()), me.Quarter))
}

func (a *App) recordInterest(ctx context.Context, me, partner match.Post, interest, note, linkHash string, quarter match.Quarter) (domain.Interest, error) {
	if me.ID == partner.ID || match.SameBusiness(me, partner) {
		return domain.Interest{}, match.Invalid("a post cannot be paired with its own business", map[string]string{"partner": "is the same business"})
	}
	in := domain.Interest{PostID: me.ID, PartnerID: partner.ID, Interest: interest, Note: note}
	eff := domain.InterestEffect{LinkHash: linkHash}
	switch interest {
	case domain.InterestYes:
		if me.Status != match.StatusActive {
			return domain.Interest{}, match.Invalid("only an active post can ask for introductions", map[string]string{"post": "is not active: resume it first"})
		}
		if err := pairable(me, partner); err != nil {
			return domain.Interest{}, err
		}
		engine, err := a.matcher(ctx)
		if err != nil {
			return domain.Interest{}, err
		}
		s, err := suggestion(engine, me.ID, partner.ID)
		if err != nil {
			return domain.Interest{}, err
		}
		s.Note = "Requested by " + me.Business
		if note != "" {
			s.Note += ": " + match.OneLine(note)
		}
		eff.Request, eff.Quarter = &s, quarter
	case domain.InterestNo:
		eff.Declined = me.Business + " is not interested"
	}
	return a.Store.RecordInterest(ctx, in, eff)
}

// DigestOnline renders, for the page a digest's "view online" link opens,
// the address's digest for the quarter: the partners it was sent, with
// their texts whole and live links. It returns ENOTFOUND for a bad link.
func (a *App) DigestOnline(ctx context.Context, token string) (string, error) {
	f, err := a.openLink(token, linkView, 3)
	if err != nil {
		return "", err
	}
	q, address := match.Quarter(f[1]), f[2]
	opt, err := a.digestOptions(q, DigestOptions{})
	if err != nil {
		return "", errBadLink
	}
	m, err := a.recordedOrPlanned(ctx, q, address, opt.PerMember)
	if errors.Is(err, match.ErrNotFound) {
		m, err = &digestMember{email: address}, nil // no active post any more: an empty digest
	}
	if err != nil {
		return "", err
	}
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return "", err
	}
	page, _, err := a.digestPage(q, m, d.Note, digestOnline)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	err = htmlEmails.ExecuteTemplate(&buf, "digest.html", page)
	return buf.String(), err
}

// CheckUnsubscribeLink returns ENOTFOUND unless token is a valid
// unsubscribe link.
// CheckUnsubscribeLink says what an unsubscribe link stops (for its
// page), or returns ENOTFOUND.
func (a *App) CheckUnsubscribeLink(token string) (string, error) {
	what, _, err := a.openUnsubscribe(token)
	return what, err
}

// UnsubscribeByLink stops what an unsubscribe link is for — the digests to
// its address, or one kind of notice — or with resubscribe set starts it
// again, and says what that is. It returns ENOTFOUND for a bad link.
func (a *App) UnsubscribeByLink(ctx context.Context, token string, resubscribe bool) (string, error) {
	what, apply, err := a.openUnsubscribe(token)
	if err != nil {
		return "", err
	}
	return what, apply(ctx, resubscribe)
}

// openUnsubscribe reads an unsubscribe link: a digest's ("u") or a
// notice's ("n"). It returns what the link stops, for people, and how to
// stop it (or start it again).
func (a *App) openUnsubscribe(token string) (string, func(ctx context.Context, resubscribe bool) error, error) {
	if f, err := a.openLink(token, linkUnsubscribe, 2); err == nil {
		return "the quarterly digest of partner matches", func(ctx context.Context, again bool) error {
			if again {
				return a.Store.Resubscribe(ctx, f[1])
			}
			return a.Store.Unsubscribe(ctx, f[1])
		}, nil
	}
	f, err := a.openLink(token, linkNotices, 3)
	if err != nil {
		return "", nil, err
	}
	name, ok := noticeKindName(f[2])
	if !ok {
		return "", nil, errBadLink
	}
	return "emails about " + name, func(ctx context.Context, again bool) error {
		mode := NoticeOff
		if again {
			mode = NoticeNow
		}
		return a.Store.SetNoticePrefs(ctx, f[1], map[string]string{f[2]: mode})
	}, nil
}
