package app

import (
	"context"
	"strings"

	ics "github.com/arran4/golang-ical"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The calendar methods (RFC 5546) the service sends: an invitation or its
// update, a cancellation, and the plain copy a member downloads.
const (
	methodRequest = ics.MethodRequest
	methodCancel  = ics.MethodCancel
	methodPublish = ics.MethodPublish
)

// calendar returns the meeting's event as an RFC 5545 calendar: times in
// UTC (each reader's program shows them in its own zone), the proposer as
// ORGANIZER and both members as attendees, with their business names.
func (a *App) calendar(ctx context.Context, p meetingParty, m domain.Meeting, method ics.Method) ([]byte, error) {
	sg, err := a.suggestionOf(ctx, p.in)
	if err != nil {
		return nil, err
	}
	cal := ics.NewCalendarFor("Matchmaker")
	cal.SetMethod(method)
	ev := cal.AddEvent(m.UID)
	ev.SetDtStampTime(a.Store.Now())
	ev.SetSequence(m.Sequence)
	ev.SetStartAt(m.Event.Start)
	ev.SetEndAt(m.Event.End())
	ev.SetSummary(meetingSummary(p))
	ev.SetDescription(a.meetingDescription(p, sg.Note))
	ev.SetURL(a.baseURL + "/app/introductions")
	status := ics.ObjectStatusConfirmed
	if m.Status == domain.MeetingCancelled {
		status = ics.ObjectStatusCancelled
	}
	ev.SetStatus(status)
	organizer := p.post(m.ProposedBy)
	ev.SetOrganizer(organizer.Email, ics.WithCN(commonName(organizer.Business)))
	for _, q := range []match.Post{p.a, p.b} {
		ev.AddAttendee(q.Email, ics.WithCN(commonName(q.Business)), ics.CalendarUserTypeIndividual,
			ics.ParticipationRoleReqParticipant, ics.ParticipationStatusAccepted)
	}
	return []byte(cal.Serialize(ics.WithNewLineWindows)), nil
}

// commonName makes a business name safe as a CN parameter. RFC 5545 has
// a parameter holding , ; or : quoted, but golang-ical escapes them with
// backslashes instead, which calendar programs read as part of the name;
// so they become spaces (and quotes typographic ones), which reads the
// same to people. SUMMARY and DESCRIPTION, text values, keep every name
// as written.
func commonName(name string) string {
	name = strings.NewReplacer(",", " ", ";", " ", ":", " ", "\\", " ", "'", "’", `"`, "”").Replace(name)
	return strings.Join(strings.Fields(name), " ")
}

func meetingSummary(p meetingParty) string {
	return "Meeting: " + p.a.Business + " and " + p.b.Business
}

// meetingDescription says who meets and why: the host's note from the
// introduction, both businesses with their links, and where to move it.
func (a *App) meetingDescription(p meetingParty, note string) string {
	var b strings.Builder
	b.WriteString("Introduced by the community host through Matchmaker.\n")
	if note != "" {
		b.WriteString("\nThe host's note: " + note + "\n")
	}
	for _, q := range []match.Post{p.a, p.b} {
		b.WriteString("\n" + q.Business + " <" + q.Email + ">")
		if q.Website != "" {
			b.WriteString(" " + q.Website)
		}
		b.WriteString("\n" + q.Offer + "\n")
	}
	b.WriteString("\nMove or cancel the meeting: " + a.baseURL + "/app/introductions\n")
	return b.String()
}

// invitations are the emails that give both members the meeting's event:
// the invitation (METHOD:REQUEST), its update when moved, or its
// cancellation (METHOD:CANCEL), each with the .ics attached and the time
// written in the reader's own zone.
func (a *App) invitations(ctx context.Context, p meetingParty, m domain.Meeting, moved bool) ([]domain.OutgoingMail, error) {
	method, template, verb := methodRequest, "meeting_invite", "Meeting"
	switch {
	case m.Status == domain.MeetingCancelled:
		method, template, verb = methodCancel, "meeting_cancelled", "Cancelled"
	case moved:
		verb = "Moved"
	}
	ics, err := a.calendar(ctx, p, m, method)
	if err != nil {
		return nil, err
	}
	var mails []domain.OutgoingMail
	for _, side := range []string{"a", "b"} {
		to, other := p.post(side), p.post(string(partner.Side(side).Other()))
		zone, err := a.zoneOf(ctx, to.Email, m.TimeZone)
		if err != nil {
			return nil, err
		}
		when := SlotLabel(*m.Event, zone)
		msg, err := email(template, to.Email, verb+": "+other.Business+", "+when, map[string]any{
			"Business": other.Business, "Email": other.Email, "When": when, "Moved": moved,
			"You":  side == p.side, // the member who made the change
			"Link": a.baseURL + "/app/introductions",
		})
		if err != nil {
			return nil, err
		}
		msg.Attachments = []mail.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=" + string(method) + "; charset=UTF-8", Data: ics}}
		mails = append(mails, domain.OutgoingMail{Kind: template, Message: msg})
	}
	return mails, nil
}
