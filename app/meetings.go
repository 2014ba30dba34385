package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// After both accepted an introduction, its two members plan a meeting:
// one offers a few times, the other picks one, and both get the same
// calendar event by email (an .ics invitation). Either may move it (offer
// new times, or pick another) or cancel it, and the invitation is updated
// or cancelled for both. Times are shown and emailed to each member in
// their own time zone; the calendar itself carries UTC.

// MeetingView is an introduction's meeting as one caller sees it.
type MeetingView struct {
	domain.Meeting
	Introduction domain.Introduction
	// You is the caller's side, "" for the host.
	You string
	// Zone is the caller's time zone, in which times are labelled: their
	// own, else the proposer's, else UTC.
	Zone *time.Location
}

// SlotInput is one time offered: Start is an RFC 3339 instant, or a wall
// time "2006-01-02T15:04" in the offer's zone (what a datetime-local
// field gives); Minutes its length.
type SlotInput struct {
	Start   string
	Minutes int
}

// meetingParty is one introduction and its posts, as the caller may act
// on it.
type meetingParty struct {
	in   domain.Introduction
	a, b match.Post
	side string // the caller's: "a", "b", or "" for the host
}

func (p meetingParty) post(side string) match.Post {
	if side == "a" {
		return p.a
	}
	return p.b
}

// meetingParty returns the introduction for who: one of its members or
// the host. Anyone else gets ENOTFOUND, as if it did not exist.
func (a *App) meetingParty(ctx context.Context, who Who, introductionID int64) (meetingParty, error) {
	in, err := a.Store.Introduction(ctx, introductionID)
	if err != nil {
		return meetingParty{}, err
	}
	posts, err := a.Store.PostsByID(ctx, []int64{in.PostA, in.PostB})
	if err != nil {
		return meetingParty{}, err
	}
	p := meetingParty{in: in, a: posts[in.PostA], b: posts[in.PostB]}
	switch {
	case who.Host:
	case who.Owns(p.a):
		p.side = "a"
	case who.Owns(p.b):
		p.side = "b"
	default:
		return meetingParty{}, match.Errorf(match.ENOTFOUND, "introduction %d not found", introductionID)
	}
	return p, nil
}

// meetingOf returns the introduction's meeting; one with status none when
// none was planned yet.
func (a *App) meetingOf(ctx context.Context, introductionID int64) (domain.Meeting, error) {
	m, err := a.Store.Meeting(ctx, introductionID)
	if match.ErrorCode(err) == match.ENOTFOUND {
		return domain.Meeting{IntroductionID: introductionID, Status: domain.MeetingNone}, nil
	}
	return m, err
}

// Meeting returns an introduction's meeting for one of its members or the
// host; ENOTFOUND for anyone else.
func (a *App) Meeting(ctx context.Context, who Who, introductionID int64) (MeetingView, error) {
	p, err := a.meetingParty(ctx, who, introductionID)
	if err != nil {
		return MeetingView{}, err
	}
	m, err := a.meetingOf(ctx, introductionID)
	if err != nil {
		return MeetingView{}, err
	}
	return a.meetingView(ctx, p, m, who.Email)
}

func (a *App) meetingView(ctx context.Context, p meetingParty, m domain.Meeting, email string) (MeetingView, error) {
	zone, err := a.zoneOf(ctx, email, m.TimeZone)
	if err != nil {
		return MeetingView{}, err
	}
	return MeetingView{Meeting: m, Introduction: p.in, You: p.side, Zone: zone}, nil
}

// actingParty is meetingParty for a change: only the members plan their
// meeting (the host gets EFORBIDDEN), once both accepted (ECONFLICT).
func (a *App) actingParty(ctx context.Context, who Who, introductionID int64) (meetingParty, domain.Meeting, error) {
	p, err := a.meetingParty(ctx, who, introductionID)
	if err != nil {
		return p, domain.Meeting{}, err
	}
	if p.side == "" {
		return p, domain.Meeting{}, match.Errorf(match.EFORBIDDEN, "only the introduction's two members plan their meeting")
	}
	if p.in.Status != domain.IntroAccepted {
		return p, domain.Meeting{}, match.Errorf(match.ECONFLICT, "a meeting is planned once both accepted the introduction; it is %s", p.in.Status)
	}
	m, err := a.meetingOf(ctx, introductionID)
	return p, m, err
}

// OfferMeetingTimes offers the other side up to MaxSlots times to meet, in
// zone (the member's own when "", else UTC); the other side is told by a
// notice of kind meeting. Offering while a meeting is planned moves it:
// the event stands until a new time is picked. It returns EINVALID,
// changing nothing, for times that are not valid.
func (a *App) OfferMeetingTimes(ctx context.Context, who Who, introductionID int64, zone string, in []SlotInput) (MeetingView, error) {
	p, m, err := a.actingParty(ctx, who, introductionID)
	if err != nil {
		return MeetingView{}, err
	}
	if zone == "" {
		if zone, err = a.Store.TimeZone(ctx, who.Email); err != nil {
			return MeetingView{}, err
		}
	}
	slots, loc, err := a.parseSlots(zone, in)
	if err != nil {
		return MeetingView{}, err
	}
	next := m.Offer(p.side, loc.String(), slots, mail.NewID()+"@"+a.linkHost())
	me, other := p.post(p.side), p.post(string(partner.Side(p.side).Other()))
	otherZone, err := a.zoneOf(ctx, other.Email, next.TimeZone)
	if err != nil {
		return MeetingView{}, err
	}
	what := "offered times to meet"
	if m.Status == domain.MeetingScheduled || m.Status == domain.MeetingProposed {
		what = "offered new times to meet"
	}
	n, err := a.prepareNotice(ctx, other.Email, "meeting", "meeting_notice", me.Business+" "+what,
		me.Business+" "+what+": pick one", a.baseURL+"/app/introductions",
		map[string]any{"Who": me.Business, "What": what, "Slots": slotLabels(slots, otherZone)})
	if err != nil {
		return MeetingView{}, err
	}
	saved, err := a.Store.SaveMeeting(n.owedBy(ctx), next)
	if err != nil {
		return MeetingView{}, err
	}
	if err := a.keepNotice(ctx, n, true); err != nil {
		a.Log.Error("notice", "kind", "meeting", "err", err)
	}
	return a.meetingView(ctx, p, saved, who.Email)
}

// parseSlots checks offered times: 1 to MaxSlots, each in the future (and
// within a year), MinSlotMinutes to MaxSlotMinutes long, none twice, in a
// valid IANA zone.
func (a *App) parseSlots(zone string, in []SlotInput) ([]domain.Slot, *time.Location, error) {
	bad := map[string]string{}
	if zone == "" {
		zone = "UTC"
	}
	loc, err := loadZone(zone)
	if err != nil {
		bad["time_zone"] = err.Error()
		loc = time.UTC
	}
	switch {
	case len(in) == 0:
		bad["slots"] = "offer at least one time"
	case len(in) > domain.MaxSlots:
		bad["slots"] = fmt.Sprintf("offer at most %d times", domain.MaxSlots)
	}
	now := a.Store.Now()
	var out []domain.Slot
	for i, s := range in {
		field := "slots[" + strconv.Itoa(i) + "]"
		start, err := time.Parse(time.RFC3339, s.Start)
		if err != nil {
			start, err = time.ParseInLocation("2006-01-02T15:04", s.Start, loc)
		}
		switch {
		case err != nil:
			bad[field+".start"] = "must be a time such as 2026-12-10T14:30 (in the time zone) or an RFC 3339 instant"
		case !start.After(now):
			bad[field+".start"] = "must be in the future"
		case start.After(now.Add(domain.MaxSlotAhead)):
			bad[field+".start"] = "must be within a year"
		case slices.ContainsFunc(out, func(o domain.Slot) bool { return o.Start.Equal(start) }):
			bad[field+".start"] = "is offered twice"
		}
		if s.Minutes < domain.MinSlotMinutes || s.Minutes > domain.MaxSlotMinutes {
			bad[field+".minutes"] = fmt.Sprintf("must be from %d to %d", domain.MinSlotMinutes, domain.MaxSlotMinutes)
		}
		out = append(out, domain.Slot{ID: mail.NewID()[:12], Start: start.UTC().Truncate(time.Minute), Minutes: s.Minutes})
	}
	if len(bad) > 0 {
		return nil, nil, match.Invalid("some times are not valid", bad)
	}
	return out, loc, nil
}

// loadZone loads an IANA zone by name; "Local" and the like, which mean
// the server's, are refused.
func loadZone(name string) (*time.Location, error) {
	if name == "Local" || strings.TrimSpace(name) != name {
		return nil, fmt.Errorf("must be an IANA time zone such as Europe/Lisbon")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("must be an IANA time zone such as Europe/Lisbon")
	}
	return loc, nil
}

// PickMeetingTime picks one of the times the other side offered: both
// members get the calendar invitation (or its update, when the meeting
// moves), in the same transaction.
func (a *App) PickMeetingTime(ctx context.Context, who Who, introductionID int64, slotID string) (MeetingView, error) {
	p, m, err := a.actingParty(ctx, who, introductionID)
	if err != nil {
		return MeetingView{}, err
	}
	moved := m.Event != nil
	next, err := m.Pick(p.side, slotID)
	if err != nil {
		return MeetingView{}, err
	}
	mails, err := a.invitations(ctx, p, next, moved)
	if err != nil {
		return MeetingView{}, err
	}
	saved, err := a.Store.SaveMeeting(domain.OweMail(ctx, mails...), next)
	if err != nil {
		return MeetingView{}, err
	}
	a.kickMail()
	return a.meetingView(ctx, p, saved, who.Email)
}

// CancelMeeting cancels the meeting: with an event, both members get its
// cancellation (METHOD:CANCEL); with times on offer only, the other side
// is told they were withdrawn (a notice).
func (a *App) CancelMeeting(ctx context.Context, who Who, introductionID int64) (MeetingView, error) {
	p, m, err := a.actingParty(ctx, who, introductionID)
	if err != nil {
		return MeetingView{}, err
	}
	next, err := m.Cancel()
	if err != nil {
		return MeetingView{}, err
	}
	var saved domain.Meeting
	if next.Event != nil {
		mails, err := a.invitations(ctx, p, next, true)
		if err != nil {
			return MeetingView{}, err
		}
		if saved, err = a.Store.SaveMeeting(domain.OweMail(ctx, mails...), next); err != nil {
			return MeetingView{}, err
		}
		a.kickMail()
		return a.meetingView(ctx, p, saved, who.Email)
	}
	me, other := p.post(p.side), p.post(string(partner.Side(p.side).Other()))
	what := "withdrew the times offered to meet"
	n, err := a.prepareNotice(ctx, other.Email, "meeting", "meeting_notice", me.Business+" "+what,
		me.Business+" "+what, a.baseURL+"/app/introductions", map[string]any{"Who": me.Business, "What": what})
	if err != nil {
		return MeetingView{}, err
	}
	if saved, err = a.Store.SaveMeeting(n.owedBy(ctx), next); err != nil {
		return MeetingView{}, err
	}
	if err := a.keepNotice(ctx, n, true); err != nil {
		a.Log.Error("notice", "kind", "meeting", "err", err)
	}
	return a.meetingView(ctx, p, saved, who.Email)
}

// MeetingCalendar returns the meeting's event as an .ics file for one of
// its members or the host, or ECONFLICT before a time is picked.
func (a *App) MeetingCalendar(ctx context.Context, who Who, introductionID int64) ([]byte, error) {
	p, err := a.meetingParty(ctx, who, introductionID)
	if err != nil {
		return nil, err
	}
	m, err := a.meetingOf(ctx, introductionID)
	if err != nil {
		return nil, err
	}
	if m.Event == nil {
		return nil, match.Errorf(match.ECONFLICT, "no time is picked yet: there is no calendar event")
	}
	return a.calendar(ctx, p, m, methodPublish)
}

// zoneOf returns the zone an address chose; else fallback (the
// proposer's); else UTC.
func (a *App) zoneOf(ctx context.Context, email, fallback string) (*time.Location, error) {
	zone := ""
	if email != "" {
		var err error
		if zone, err = a.Store.TimeZone(ctx, email); err != nil {
			return nil, err
		}
	}
	for _, name := range []string{zone, fallback} {
		if name == "" {
			continue
		}
		if loc, err := loadZone(name); err == nil {
			return loc, nil
		}
	}
	return time.UTC, nil
}

// SetTimeZone records a member's IANA zone. It returns EINVALID, changing
// nothing, for a name that is not one.
func (a *App) SetTimeZone(ctx context.Context, email, zone string) error {
	if _, err := loadZone(zone); err != nil || zone == "" {
		return match.Invalid("some fields are not valid", map[string]string{"time_zone": "must be an IANA time zone such as Europe/Lisbon"})
	}
	return a.Store.SetTimeZone(ctx, email, zone)
}

// SlotLabel says when a slot is, in loc, for people:
// "Thu 10 Dec 2026, 14:00–14:30 (Europe/Lisbon)".
func SlotLabel(s domain.Slot, loc *time.Location) string {
	start, end := s.Start.In(loc), s.End().In(loc)
	layout := "15:04"
	if end.YearDay() != start.YearDay() || end.Year() != start.Year() {
		layout = "Mon 2 Jan 2006, 15:04"
	}
	return start.Format("Mon 2 Jan 2006, 15:04") + "–" + end.Format(layout) + " (" + loc.String() + ")"
}

func slotLabels(slots []domain.Slot, loc *time.Location) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = SlotLabel(s, loc)
	}
	return out
}
