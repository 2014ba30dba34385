package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// A digest as it is written: the email, the preview and the online page,
// from one set of views.

// errNoNewMatches says that a digest has no partner left to show (they
// were deleted or paused since the plan).
var errNoNewMatches = errors.New("no new matches")

// digestPage is what the digest templates render.
type digestPage struct {
	Subject   string
	Preheader string
	Quarter   match.Quarter
	Name      string
	Intro     string
	NoteLines []string
	Matches   []digestMatchView
	Posts     []digestPostView
	MorePosts int
	// Links: live in emails and on the online page; "#" in a host's
	// preview, so that nobody acts for the member by accident.
	ViewLink, UnsubscribeLink, HomeLink string
	Preview                             bool // a host's preview
	Online                              bool // the online page: no "view online" link
}

type digestMatchView struct {
	N                               int // 1, 2, …
	Business, Website, WebsiteLabel string
	Offer, Seek                     string
	ForPost                         string // which of the member's posts, when they have several
	Reasons                         []string
	RequestLink                     string
}

type digestPostView struct {
	Business, Offer, Quarter, Status, StatusNote string
}

// Lengths in characters beyond which a digest shortens members' texts; the
// online page shows them whole.
const (
	digestTextLimit = 400
	digestNameLimit = 120
)

type digestMode int

const (
	digestEmail   digestMode = iota // live links
	digestOnline                    // the page a "view online" link opens
	digestPreview                   // the host's preview: links do nothing
)

// digestEmail renders a member's digest as an email with its headers, and
// the partners it shows. It returns errNoNewMatches when no partner is
// left to show.
func (a *App) digestEmail(ctx context.Context, q match.Quarter, m *digestMember, note string) (mail.Message, []domain.DigestMatch, error) {
	page, shown, err := a.digestPage(q, m, note, digestEmail)
	if err != nil {
		return mail.Message{}, nil, err
	}
	msg, err := email("digest", m.email, page.Subject, page)
	if err != nil {
		return mail.Message{}, nil, err
	}
	// RFC 2369 and RFC 8058: mail clients show an unsubscribe button that
	// POSTs to this address, with no page in between.
	msg.Headers = unsubscribeHeaders(a.link("/unsubscribe", a.signLink(linkUnsubscribe, m.email)))
	msg.Headers["List-Id"] = "Matchmaker quarterly digest <digest." + a.linkHost() + ">"
	return msg, shown, nil
}

// digestPage gathers what a digest shows: each planned partner as the
// engine holds it now, with the reasons written to this member. Partners
// deleted or no longer active since the plan are left out.
func (a *App) digestPage(q match.Quarter, m *digestMember, note string, mode digestMode) (digestPage, []domain.DigestMatch, error) {
	page := digestPage{Subject: "Your top partner matches for " + string(q), Quarter: q,
		Preview: mode == digestPreview, Online: mode == digestOnline}
	live := func(path, token string) string {
		if mode == digestPreview {
			return "#"
		}
		return a.link(path, token)
	}
	own := map[int64]match.Post{}
	for _, p := range m.posts {
		own[p.ID] = p
	}
	var shown []domain.DigestMatch
	engine := a.matching.loaded() // loaded to plan m.matches
	for _, pm := range m.matches {
		x, err := engine.Explain(pm.post, pm.partner)
		if errors.Is(err, match.ErrNotFound) {
			continue
		}
		if err != nil {
			return page, nil, err
		}
		p := x.Post
		if p.Status != match.StatusActive {
			continue
		}
		limit := digestTextLimit
		if mode == digestOnline {
			limit = 1 << 20
		}
		v := digestMatchView{N: len(page.Matches) + 1, Business: clip(p.Business, digestNameLimit), Website: p.Website, WebsiteLabel: websiteLabel(p.Website),
			Offer: clip(match.OneLine(p.Offer), limit), Seek: clip(match.OneLine(p.Seek), limit), Reasons: x.Reasons,
			RequestLink: live("/digest/request", a.requestToken(q, m.email, pm.post, pm.partner))}
		if len(m.active) > 1 {
			v.ForPost = clip(match.OneLine(own[pm.post].Offer), 80)
		}
		page.Matches = append(page.Matches, v)
		shown = append(shown, domain.DigestMatch{Post: pm.post, Partner: pm.partner})
	}
	if len(page.Matches) == 0 && mode != digestOnline {
		return page, nil, errNoNewMatches
	}
	if len(m.active) > 0 {
		page.Name = clip(m.active[0].Business, digestNameLimit)
	} else if len(m.posts) > 0 {
		page.Name = clip(m.posts[0].Business, digestNameLimit)
	}
	var names []string
	for _, v := range page.Matches {
		names = append(names, v.Business)
	}
	switch n := len(page.Matches); n {
	case 0:
		page.Intro = "The partners of this digest are no longer listed."
	case 1:
		page.Intro = "Here is a business, new to you, that could be a good partner in " + string(q) + "."
		page.Preheader = "A new partner for " + page.Name + ": " + names[0]
	default:
		page.Intro = fmt.Sprintf("Here are %d businesses, new to you, that could be good partners in %s.", n, q)
		page.Preheader = fmt.Sprintf("%d new partners for %s: %s and %s", n, page.Name,
			strings.Join(names[:n-1], ", "), names[n-1])
	}
	page.Preheader = clip(page.Preheader, 140)
	if note != "" {
		page.NoteLines = strings.Split(note, "\n")
	}
	for i, p := range m.posts {
		if i == 10 {
			page.MorePosts = len(m.posts) - i
			break
		}
		page.Posts = append(page.Posts, digestPostView{Business: clip(p.Business, digestNameLimit), Offer: clip(match.OneLine(p.Offer), 80),
			Quarter: string(p.Quarter), Status: string(p.Status), StatusNote: postStatusNote(p.Status)})
	}
	page.ViewLink = live("/digest", a.signLink(linkView, string(q), m.email))
	page.UnsubscribeLink = live("/unsubscribe", a.signLink(linkUnsubscribe, m.email))
	page.HomeLink = a.baseURL + "/"
	return page, shown, nil
}

func postStatusNote(s match.Status) string {
	switch s {
	case match.StatusActive:
		return "live: we suggest partners for it"
	case match.StatusPaused:
		return "paused: it gets no partners until you resume it"
	case match.StatusHidden:
		return "hidden by the host"
	case match.StatusPending:
		return "waiting for you to confirm it, from the email we sent"
	}
	return ""
}

// clip shortens s to at most n characters (not bytes), at a word boundary
// when there is one not too far back, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	cut := string(r[:n-1])
	if i := strings.LastIndexAny(cut, " \t\n"); i > len(cut)*2/3 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \t\n,.;:-") + "…"
}

func websiteLabel(site string) string {
	if u, err := url.Parse(site); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.") + strings.TrimRight(u.EscapedPath(), "/")
	}
	return site
}

// linkHost is the host name members reach the service at.
func (a *App) linkHost() string {
	if u, err := url.Parse(a.baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// PreviewDigest renders the digest the address would get for the quarter,
// as HTML (or as its plain-text part), with links that do nothing. When the
// address got its digest already, it shows that one. It returns ENOTFOUND
// when the address would get no digest, saying why.
func (a *App) PreviewDigest(ctx context.Context, q match.Quarter, email string, perMember int, text bool) (string, error) {
	opt, err := a.digestOptions(q, DigestOptions{PerMember: perMember})
	if err != nil {
		return "", err
	}
	m, err := a.recordedOrPlanned(ctx, q, strings.ToLower(strings.TrimSpace(email)), opt.PerMember)
	if err != nil {
		return "", err
	}
	switch m.skip {
	case domain.SkipUnsubscribed:
		return "", match.Errorf(match.ENOTFOUND, "this address unsubscribed from digests: it gets none")
	case domain.SkipNoNewMatches:
		return "", match.Errorf(match.ENOTFOUND, "no partner is new to this address in %s: it gets no digest", q)
	}
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return "", err
	}
	page, _, err := a.digestPage(q, m, d.Note, digestPreview)
	if errors.Is(err, errNoNewMatches) {
		return "", match.Errorf(match.ENOTFOUND, "no partner is new to this address in %s: it gets no digest", q)
	}
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if text {
		err = textEmails.ExecuteTemplate(&buf, "digest.txt", page)
	} else {
		err = htmlEmails.ExecuteTemplate(&buf, "digest.html", page)
	}
	return buf.String(), err
}

// recordedOrPlanned returns the address's digest for the quarter: the
// partners it was sent (or was being sent), or else those a run would pick
// now.
func (a *App) recordedOrPlanned(ctx context.Context, q match.Quarter, email string, perMember int) (*digestMember, error) {
	r, err := a.Store.DigestRecipient(ctx, q, email)
	if err != nil && !errors.Is(err, match.ErrNotFound) {
		return nil, err
	}
	if err == nil && (r.Status == domain.DigestSent || r.Status == domain.DigestUnknown || r.Status == domain.DigestSending) {
		posts, err := a.Store.PostsOf(ctx, email)
		if err != nil {
			return nil, err
		}
		m := newDigestMember(email, posts, q)
		for _, x := range r.Matches {
			m.matches = append(m.matches, plannedMatch{post: x.Post, partner: x.Partner})
		}
		return m, nil
	}
	return a.planOne(ctx, q, email, perMember)
}
