package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// A notice tells a member that something changed in one of their
// partnerships, done by the other side or the host, or that the host hid
// or removed one of their posts: nobody learns of it only by opening the
// page. Each notice has a kind; members choose, kind by kind, to get them
// at once (the default), in one summary a week, or not at all, and every
// notice carries a one-click unsubscribe from its kind (RFC 8058). Sign-in
// links and confirmations are not notices: they cannot be turned off.

// NoticeKind is a kind of notice members can turn off.
type NoticeKind struct {
	Kind string `json:"kind"`
	Name string `json:"name"` // what it covers, for people
}

// NoticeKinds lists every kind of notice.
var NoticeKinds = []NoticeKind{
	{"terms", "referral terms proposed, countered, accepted or declined"},
	{"lane", "a move to the other lane proposed, accepted or declined"},
	{"status", "a partnership paused, resumed or ended"},
	{"plan", "goals and deliverables added, changed, done or removed"},
	{"review", "quarterly reviews submitted"},
	{"referral", "leads referred, and whether they were won or lost"},
	{"ledger", "commissions confirmed, reversed or corrected, and payouts"},
	{"offer", "partnerships the host offers you, and the other side's answer"},
	{"introduction", "an introduction that did not go ahead"},
	{"meeting", "times to meet offered or withdrawn by a partner you were introduced to"},
	{"post", "the host hiding, showing again or removing one of your posts"},
}

// Notice modes.
const (
	NoticeNow    = "now"
	NoticeWeekly = "weekly"
	NoticeOff    = "off"
)

// summaryAfter is how long a weekly notice waits for its summary: the
// summary goes once the oldest waiting notice is a week old.
const summaryAfter = 7 * 24 * time.Hour

func noticeKindName(kind string) (string, bool) {
	i := slices.IndexFunc(NoticeKinds, func(k NoticeKind) bool { return k.Kind == kind })
	if i < 0 {
		return "", false
	}
	return NoticeKinds[i].Name, true
}

// linkNotices is the kind of a signed link that stops one kind of notice
// to one address: "n", the address, the kind.
const linkNotices = "n"

// notify queues a notice of kind to each side of p that did not act
// (both, when the host did), unless they turned that kind off. what says
// what happened, after the actor's name: "set new referral terms".
// Failures are logged: the change itself is stored.
func (a *App) notify(ctx context.Context, p partner.Partnership, actor partner.Actor, kind, what string) {
	who := "The community host"
	if actor != partner.Host {
		who = p.Party(partner.Side(actor)).Business
	}
	for _, s := range []partner.Side{partner.A, partner.B} {
		if partner.Actor(s) == actor {
			continue
		}
		me, other := p.Party(s), p.Party(s.Other())
		a.sendNotice(ctx, me.Email, kind, "notice", fmt.Sprintf("%s %s", who, what),
			fmt.Sprintf("%s %s, in your %s partnership with %s", who, what, p.Lane, other.Business), a.partnershipLink(p.ID),
			map[string]any{"Who": who, "What": what, "Lane": string(p.Lane), "Other": other.Business})
	}
}

// notice is one notice to one address, as the address chose for its
// kind: an email to queue, a line to keep for the weekly summary, or
// neither.
type notice struct {
	mail   *domain.OutgoingMail
	weekly *domain.WeeklyNotice
}

// prepareNotice makes the notice of kind to an address: the email from
// template with data (plus link as Link, its unsubscribe link as
// Unsubscribe and the kind's name as KindName), or line (what happened,
// in a sentence) and link for the weekly summary, or nothing.
func (a *App) prepareNotice(ctx context.Context, to, kind, template, subject, line, link string, data map[string]any) (notice, error) {
	name, ok := noticeKindName(kind)
	if !ok {
		panic("app: unknown notice kind " + kind) // a programming error
	}
	prefs, err := a.Store.NoticePrefs(ctx, to)
	if err != nil {
		return notice{}, err
	}
	switch prefs[kind] {
	case NoticeOff:
		return notice{}, nil
	case NoticeWeekly:
		return notice{weekly: &domain.WeeklyNotice{Email: to, Kind: kind, Line: line, Link: link}}, nil
	}
	unsubscribe := a.link("/unsubscribe", a.signLink(linkNotices, to, kind))
	data["Link"], data["Unsubscribe"], data["KindName"] = link, unsubscribe, name
	msg, err := email(template, to, subject, data)
	if err != nil {
		return notice{}, err
	}
	msg.Headers = unsubscribeHeaders(unsubscribe)
	return notice{mail: &domain.OutgoingMail{Kind: "notice_" + kind, Message: msg}}, nil
}

// owedBy returns ctx carrying the notice's email, so that the write of
// the change it reports stores it in the same transaction.
func (n notice) owedBy(ctx context.Context) context.Context {
	if n.mail == nil {
		return ctx
	}
	return domain.OweMail(ctx, *n.mail)
}

// keepNotice stores, once its change is stored, what a notice still
// needs: the weekly line, and the email when it did not go with the write
// (owedBy).
func (a *App) keepNotice(ctx context.Context, n notice, mailOwed bool) error {
	if n.weekly != nil {
		if err := a.Store.KeepWeeklyNotice(ctx, *n.weekly); err != nil {
			return err
		}
	}
	if n.mail != nil && !mailOwed {
		if err := a.Store.QueueMail(ctx, *n.mail); err != nil {
			return err
		}
	}
	if n.mail != nil {
		a.kickMail()
	}
	return nil
}

// sendNotice prepares a notice (see prepareNotice) for a change already
// stored, and stores it. Failures are logged: the change itself is stored.
func (a *App) sendNotice(ctx context.Context, to, kind, template, subject, line, link string, data map[string]any) {
	n, err := a.prepareNotice(ctx, to, kind, template, subject, line, link, data)
	if err == nil {
		err = a.keepNotice(ctx, n, false)
	}
	if err != nil {
		a.Log.Error("notice", "kind", kind, "err", err)
	}
}

// moderated tells a post's owner what the host did to it: hid it,
// showed it again, or removed it (after is nil). Changes the owner makes
// themselves, and the host's edits of the text, send nothing.
func (a *App) moderated(ctx context.Context, who Who, before match.Post, after *match.Post) {
	if !who.Host || strings.EqualFold(who.Email, before.Email) {
		return
	}
	var what string
	switch {
	case after == nil:
		what = "removed your post"
	case after.Status == match.StatusHidden && before.Status != match.StatusHidden:
		what = "hid your post: it is out of the directory and of matches"
	case before.Status == match.StatusHidden && after.Status == match.StatusActive:
		what = "showed your post again: it is back in the directory and in matches"
	default:
		return
	}
	a.sendNotice(ctx, before.Email, "post", "post_notice", "The community host "+what,
		"The community host "+what+": "+before.Business, a.baseURL+"/app/matches",
		map[string]any{"What": what, "Business": before.Business})
}

// NoticePrefs returns a member's mode for every kind of notice.
func (a *App) NoticePrefs(ctx context.Context, email string) (map[string]string, error) {
	set, err := a.Store.NoticePrefs(ctx, email)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(NoticeKinds))
	for _, k := range NoticeKinds {
		out[k.Kind] = NoticeNow
		if m, ok := set[k.Kind]; ok {
			out[k.Kind] = m
		}
	}
	return out, nil
}

// SetNoticePrefs changes a member's modes, kind by kind. It returns
// EINVALID, changing nothing, for an unknown kind or mode.
func (a *App) SetNoticePrefs(ctx context.Context, email string, modes map[string]string) (map[string]string, error) {
	bad := map[string]string{}
	for kind, mode := range modes {
		if _, ok := noticeKindName(kind); !ok {
			bad[kind] = "is not a kind of notice"
		} else if mode != NoticeNow && mode != NoticeWeekly && mode != NoticeOff {
			bad[kind] = "must be now, weekly or off"
		}
	}
	if len(bad) > 0 {
		return nil, match.Invalid("some notice preferences are not valid", bad)
	}
	if err := a.Store.SetNoticePrefs(ctx, email, modes); err != nil {
		return nil, err
	}
	return a.NoticePrefs(ctx, email)
}

// unsubscribeHeaders make an email's unsubscribe link one click in mail
// programs (RFC 8058): they post to it.
func unsubscribeHeaders(link string) map[string]string {
	return map[string]string{"List-Unsubscribe": "<" + link + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
}

// SendWeeklyNotices sends each address whose oldest waiting notice is a
// week old one summary of every notice waiting for it. The summary's email
// and the notices' being summed up are stored in one transaction.
func (a *App) SendWeeklyNotices(ctx context.Context) error {
	due, err := a.Store.WeeklyNoticesDue(ctx, a.Store.Now().Add(-summaryAfter))
	if err != nil {
		return err
	}
	for _, to := range slices.Sorted(maps.Keys(due)) {
		notices := due[to]
		ids := make([]int64, len(notices))
		for i, n := range notices {
			ids[i] = n.ID
		}
		subject := fmt.Sprintf("This week in your partnerships: %d %s", len(notices), plural(len(notices), "change", "changes"))
		owing, err := a.owe(ctx, "weekly_notices", to, subject, map[string]any{"Notices": notices, "Settings": a.baseURL + "/app/partnerships"})
		if err != nil {
			return err
		}
		if err := a.Store.MarkWeeklyNoticesSummed(owing, ids); err != nil {
			return err
		}
		a.kickMail()
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
