package app_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// acceptedIntroduction introduces Ledger Lane and Storefront Forge with a
// note, both accept, and both sign in (members have time zones).
func acceptedIntroduction(t *testing.T, a *app.App, c community) domain.Introduction {
	t.Helper()
	ctx := context.Background()
	if _, err := a.RunRound(ctx, testQuarter, 3); err != nil {
		t.Fatal(err)
	}
	list, err := a.Suggestions(ctx, testQuarter, "")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(s domain.Suggestion) bool {
		return min(s.PostA, s.PostB) == min(c.ledger.ID, c.forge.ID) && max(s.PostA, s.PostB) == max(c.ledger.ID, c.forge.ID)
	})
	if i < 0 {
		t.Fatal("the round did not pair Ledger Lane and Storefront Forge")
	}
	approved, note := domain.SuggestionApproved, "Meet over coffee?"
	if _, err := a.UpdateSuggestion(ctx, testQuarter, list[i].ID, &approved, &note); err != nil {
		t.Fatal(err)
	}
	in, err := a.Introduce(ctx, testQuarter, list[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	in, err = a.AnswerAsOwner(ctx, domain.Member{Email: c.ledger.Email}, in.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if in, err = a.AnswerAsOwner(ctx, domain.Member{Email: c.forge.Email}, in.ID, true); err != nil || in.Status != domain.IntroAccepted {
		t.Fatalf("both accept: %+v %v", in, err)
	}
	for _, email := range []string{c.ledger.Email, c.forge.Email} {
		link := "mml_sign-in-" + email
		if err := a.Store.CreateEmailLink(ctx, auth.Hash(link), domain.EmailLink{Purpose: domain.LinkSignIn, Email: email}, testNow.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.SignIn(ctx, auth.Hash(link), auth.Hash("mms_"+email), testNow.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// invite is a calendar invitation as a member's mail program reads it.
type invite struct {
	Subject, Text string
	Method        string
	UID, Sequence string
	Start, End    time.Time
	Status        string
	Organizer     string
	Attendees     []string
	Summary, Desc string
}

// invitesTo returns the emails with an .ics each address received since
// skip, parsed by golang-ical.
func invitesTo(t *testing.T, srv *smtpServer, skip int) map[string][]invite {
	t.Helper()
	out := map[string][]invite{}
	for _, raw := range srv.Messages()[skip:] {
		m, err := mail.Read(bytes.NewReader(raw.Data))
		if err != nil {
			t.Fatal(err)
		}
		for _, att := range m.Attachments {
			if !strings.HasPrefix(att.ContentType, "text/calendar") {
				continue
			}
			cal, err := ics.ParseCalendar(bytes.NewReader(att.Data))
			if err != nil {
				t.Fatalf("the .ics to %s does not parse: %v\n%s", m.To, err, att.Data)
			}
			events := cal.Events()
			if len(events) != 1 {
				t.Fatalf("%d events in the .ics to %s, want 1", len(events), m.To)
			}
			ev := events[0]
			iv := invite{Subject: m.Subject, Text: m.Text, UID: ev.Id()}
			for _, p := range cal.CalendarProperties {
				if p.IANAToken == string(ics.PropertyMethod) {
					iv.Method = p.Value
				}
			}
			if !strings.Contains(att.ContentType, "method="+iv.Method) {
				t.Errorf("the part's type %q does not carry METHOD:%s", att.ContentType, iv.Method)
			}
			prop := func(p ics.ComponentProperty) string {
				if v := ev.GetProperty(p); v != nil {
					return v.Value
				}
				return ""
			}
			iv.Sequence, iv.Status, iv.Organizer = prop(ics.ComponentPropertySequence), prop(ics.ComponentPropertyStatus), prop(ics.ComponentPropertyOrganizer)
			iv.Summary, iv.Desc = ics.FromText(prop(ics.ComponentPropertySummary)), ics.FromText(prop(ics.ComponentPropertyDescription))
			if iv.Start, err = ev.GetStartAt(); err != nil {
				t.Fatal(err)
			}
			if iv.End, err = ev.GetEndAt(); err != nil {
				t.Fatal(err)
			}
			for _, at := range ev.Attendees() {
				iv.Attendees = append(iv.Attendees, at.Email())
			}
			slices.Sort(iv.Attendees)
			out[m.To] = append(out[m.To], iv)
		}
	}
	return out
}

// sameEvent checks that both members got one invitation each holding the
// same event, and returns it.
func sameEvent(t *testing.T, got map[string][]invite, a, b string) invite {
	t.Helper()
	if len(got[a]) != 1 || len(got[b]) != 1 {
		t.Fatalf("invitations: %d to %s, %d to %s; want one each", len(got[a]), a, len(got[b]), b)
	}
	x, y := got[a][0], got[b][0]
	if x.UID != y.UID || !x.Start.Equal(y.Start) || !x.End.Equal(y.End) || x.Sequence != y.Sequence || x.Method != y.Method ||
		!slices.Equal(x.Attendees, y.Attendees) || x.Organizer != y.Organizer || x.Summary != y.Summary {
		t.Fatalf("the two members hold different events:\n%+v\n%+v", x, y)
	}
	want := []string{a, b}
	slices.Sort(want)
	if !slices.Equal(x.Attendees, want) {
		t.Errorf("attendees %v, want %v", x.Attendees, want)
	}
	return x
}

func TestMeetingAfterAcceptedIntroduction(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	c := newCommunity(t, a)
	in := acceptedIntroduction(t, a, c)
	ledger, forge := app.Who{Email: c.ledger.Email}, app.Who{Email: c.forge.Email}
	for who, zone := range map[app.Who]string{ledger: "Europe/Lisbon", forge: "America/New_York"} {
		if err := a.SetTimeZone(ctx, who.Email, zone); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SetTimeZone(ctx, ledger.Email, "Mars/Olympus"); match.ErrorCode(err) != match.EINVALID {
		t.Errorf("an unknown zone: %v, want EINVALID", err)
	}
	a.FlushMail(ctx)
	skip := len(srv.Messages())

	// Refusals change nothing.
	valid := []app.SlotInput{{Start: "2026-07-20T14:00", Minutes: 30}, {Start: "2026-07-21T09:30", Minutes: 45}}
	for name, tc := range map[string]struct {
		who   app.Who
		zone  string
		slots []app.SlotInput
		code  string
	}{
		"a stranger":      {app.Who{Email: c.violin.Email}, "", valid, match.ENOTFOUND},
		"the host":        {app.Who{Host: true}, "", valid, match.EFORBIDDEN},
		"an unknown zone": {ledger, "Europe/Atlantis", valid, match.EINVALID},
		"a past time":     {ledger, "", []app.SlotInput{{Start: "2026-07-14T14:00", Minutes: 30}}, match.EINVALID},
		"no time":         {ledger, "", nil, match.EINVALID},
		"six times":       {ledger, "", slices.Repeat([]app.SlotInput{{Start: "2026-07-20T14:00", Minutes: 30}}, 6), match.EINVALID},
		"five minutes":    {ledger, "", []app.SlotInput{{Start: "2026-07-20T14:00", Minutes: 5}}, match.EINVALID},
		"a day long":      {ledger, "", []app.SlotInput{{Start: "2026-07-20T14:00", Minutes: 24 * 60}}, match.EINVALID},
		"not a time":      {ledger, "", []app.SlotInput{{Start: "next Tuesday", Minutes: 30}}, match.EINVALID},
		"twice the same":  {ledger, "", []app.SlotInput{{Start: "2026-07-20T14:00", Minutes: 30}, {Start: "2026-07-20T13:00:00Z", Minutes: 60}}, match.EINVALID},
		"two years ahead": {ledger, "", []app.SlotInput{{Start: "2028-07-20T14:00", Minutes: 30}}, match.EINVALID},
	} {
		if _, err := a.OfferMeetingTimes(ctx, tc.who, in.ID, tc.zone, tc.slots); match.ErrorCode(err) != tc.code {
			t.Errorf("%s: got %v, want %s", name, err, tc.code)
		}
	}
	if m, err := a.Meeting(ctx, ledger, in.ID); err != nil || m.Status != domain.MeetingNone {
		t.Fatalf("after refusals: %+v %v, want no meeting", m, err)
	}
	if _, err := a.Meeting(ctx, app.Who{Email: c.violin.Email}, in.ID); match.ErrorCode(err) != match.ENOTFOUND {
		t.Errorf("a stranger reads the meeting: %v, want ENOTFOUND", err)
	}

	// Ledger offers two times, in Lisbon; Forge is told in New York time.
	m, err := a.OfferMeetingTimes(ctx, ledger, in.ID, "", valid)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != domain.MeetingProposed || len(m.Slots) != 2 || m.TimeZone != "Europe/Lisbon" || !m.Slots[0].Start.Equal(time.Date(2026, 7, 20, 13, 0, 0, 0, time.UTC)) {
		t.Fatalf("offered: %+v", m.Meeting)
	}
	a.FlushMail(ctx)
	msgs := srv.Messages()[skip:]
	if len(msgs) != 1 || msgs[0].To != c.forge.Email {
		t.Fatalf("after the offer: %d emails, want one notice to %s", len(msgs), c.forge.Email)
	}
	notice, _ := mail.Read(bytes.NewReader(msgs[0].Data))
	if !strings.Contains(notice.Text, "Mon 20 Jul 2026, 09:00–09:30 (America/New_York)") || !strings.Contains(notice.Subject, "Ledger Lane") {
		t.Errorf("the notice does not show the times in the reader's zone:\n%s", notice.Text)
	}
	if _, err := a.PickMeetingTime(ctx, ledger, in.ID, m.Slots[0].ID); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("the proposer picks: %v, want ECONFLICT", err)
	}
	if _, err := a.PickMeetingTime(ctx, forge, in.ID, "no-such-slot"); match.ErrorCode(err) != match.EINVALID {
		t.Errorf("a slot not offered: %v, want EINVALID", err)
	}
	if _, err := a.MeetingCalendar(ctx, forge, in.ID); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("the .ics before a pick: %v, want ECONFLICT", err)
	}

	// Forge picks the first: both hold the same event.
	skip = len(srv.Messages())
	if m, err = a.PickMeetingTime(ctx, forge, in.ID, m.Slots[0].ID); err != nil || m.Status != domain.MeetingScheduled {
		t.Fatalf("pick: %+v %v", m, err)
	}
	a.FlushMail(ctx)
	first := sameEvent(t, invitesTo(t, srv, skip), c.ledger.Email, c.forge.Email)
	if first.Method != "REQUEST" || first.Sequence != "0" || first.Status != "CONFIRMED" ||
		!first.Start.Equal(time.Date(2026, 7, 20, 13, 0, 0, 0, time.UTC)) || !first.End.Equal(time.Date(2026, 7, 20, 13, 30, 0, 0, time.UTC)) ||
		first.Organizer != "mailto:"+c.ledger.Email || !strings.Contains(first.Summary, "Ledger Lane") || !strings.Contains(first.Summary, "Storefront Forge") ||
		!strings.Contains(first.Desc, "Meet over coffee?") || !strings.Contains(first.Desc, testBaseURL+"/app/introductions") {
		t.Errorf("the invitation: %+v", first)
	}
	for to, zone := range map[string]string{c.ledger.Email: "14:00–14:30 (Europe/Lisbon)", c.forge.Email: "09:00–09:30 (America/New_York)"} {
		if got := invitesTo(t, srv, skip)[to][0]; !strings.Contains(got.Text, zone) || !strings.Contains(got.Subject, zone) {
			t.Errorf("the invitation to %s does not say %s:\n%s", to, zone, got.Text)
		} else if !strings.Contains(got.Text, testBaseURL+"/app/introductions") {
			t.Errorf("the invitation to %s has no link to move or cancel it:\n%s", to, got.Text)
		}
	}
	ics1, err := a.MeetingCalendar(ctx, app.Who{Host: true}, in.ID)
	if err != nil || !bytes.Contains(ics1, []byte("UID:"+first.UID)) || !bytes.Contains(ics1, []byte("METHOD:PUBLISH")) {
		t.Errorf("the host's .ics: %v\n%s", err, ics1)
	}

	// Forge moves it: new times; the event stands until Ledger picks one,
	// then both get its update, same UID, higher SEQUENCE.
	skip = len(srv.Messages())
	m, err = a.OfferMeetingTimes(ctx, forge, in.ID, "", []app.SlotInput{{Start: "2026-07-22T11:00", Minutes: 60}})
	if err != nil || m.Status != domain.MeetingProposed || m.Event == nil || m.UID != first.UID {
		t.Fatalf("new times: %+v %v", m, err)
	}
	if m, err = a.PickMeetingTime(ctx, ledger, in.ID, m.Slots[0].ID); err != nil {
		t.Fatal(err)
	}
	a.FlushMail(ctx)
	moved := sameEvent(t, invitesTo(t, srv, skip), c.ledger.Email, c.forge.Email)
	if moved.UID != first.UID || moved.Sequence != "1" || moved.Method != "REQUEST" || !moved.Start.Equal(time.Date(2026, 7, 22, 15, 0, 0, 0, time.UTC)) ||
		moved.Organizer != "mailto:"+c.forge.Email || !strings.HasPrefix(moved.Subject, "Moved:") {
		t.Errorf("the update: %+v", moved)
	}
	for to, want := range map[string]string{c.ledger.Email: "You moved your meeting with Storefront Forge.", c.forge.Email: "Ledger Lane moved your meeting."} {
		if got := invitesTo(t, srv, skip)[to][0].Text; !strings.Contains(got, want) {
			t.Errorf("the update to %s does not say %q:\n%s", to, want, got)
		}
	}

	// Ledger cancels: both get METHOD:CANCEL, same UID, higher SEQUENCE.
	skip = len(srv.Messages())
	if m, err = a.CancelMeeting(ctx, ledger, in.ID); err != nil || m.Status != domain.MeetingCancelled {
		t.Fatalf("cancel: %+v %v", m, err)
	}
	if _, err := a.CancelMeeting(ctx, forge, in.ID); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("cancel twice: %v, want ECONFLICT", err)
	}
	a.FlushMail(ctx)
	cancelled := sameEvent(t, invitesTo(t, srv, skip), c.ledger.Email, c.forge.Email)
	if cancelled.UID != first.UID || cancelled.Method != "CANCEL" || cancelled.Sequence != "2" || cancelled.Status != "CANCELLED" {
		t.Errorf("the cancellation: %+v", cancelled)
	}
	if got := invitesTo(t, srv, skip)[c.forge.Email][0].Text; !strings.Contains(got, "Ledger Lane cancelled your meeting, planned for:") {
		t.Errorf("the cancellation to Storefront Forge:\n%s", got)
	}

	// A write made from what was read before a change is refused: two
	// changes at once cannot both pass.
	stale := m.Meeting
	stale.Revision--
	if _, err := a.Store.SaveMeeting(ctx, stale); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a write from a stale read: %v, want ECONFLICT", err)
	}

	// A new plan after the cancellation is a new event.
	m, err = a.OfferMeetingTimes(ctx, ledger, in.ID, "", valid)
	if err != nil || m.UID == first.UID || m.Event != nil || m.Sequence != 0 {
		t.Errorf("a new plan: %+v %v, want a new event", m, err)
	}
}

// Withdrawing times nobody picked yet sends no calendar, only a notice.
func TestWithdrawnTimesSendNoCalendar(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	c := newCommunity(t, a)
	in := acceptedIntroduction(t, a, c)
	a.FlushMail(ctx)
	if _, err := a.OfferMeetingTimes(ctx, app.Who{Email: c.forge.Email}, in.ID, "Asia/Tokyo", []app.SlotInput{{Start: "2026-07-20T18:00", Minutes: 30}}); err != nil {
		t.Fatal(err)
	}
	a.FlushMail(ctx)
	skip := len(srv.Messages())
	if _, err := a.CancelMeeting(ctx, app.Who{Email: c.forge.Email}, in.ID); err != nil {
		t.Fatal(err)
	}
	a.FlushMail(ctx)
	msgs := srv.Messages()[skip:]
	if len(msgs) != 1 || msgs[0].To != c.ledger.Email {
		t.Fatalf("%d emails after withdrawing, want one to %s", len(msgs), c.ledger.Email)
	}
	if got := invitesTo(t, srv, skip); len(got) != 0 {
		t.Errorf("a calendar after withdrawing times: %+v", got)
	}
}

// TestFollowUpComesAfterTheMeeting: two who put a meeting on their
// calendars are asked whether they met the day after it, not two weeks
// after they accepted.
func TestFollowUpComesAfterTheMeeting(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	c := newCommunity(t, a)
	in := acceptedIntroduction(t, a, c)
	ledger, forge := app.Who{Email: c.ledger.Email}, app.Who{Email: c.forge.Email}
	// Three weeks ahead: past the usual two.
	start := testNow.Add(21 * 24 * time.Hour).UTC().Format(time.RFC3339)
	m, err := a.OfferMeetingTimes(ctx, ledger, in.ID, "UTC", []app.SlotInput{{Start: start, Minutes: 60}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.PickMeetingTime(ctx, forge, in.ID, m.Slots[0].ID); err != nil {
		t.Fatal(err)
	}
	asked := func(at time.Time) int {
		t.Helper()
		a.SetClock(func() time.Time { return at })
		a.FlushMail(ctx)
		before := len(srv.Messages())
		if err := a.ProcessIntroductions(ctx); err != nil {
			t.Fatal(err)
		}
		a.WaitBackground()
		n := 0
		for _, msg := range srv.Messages()[before:] {
			if strings.Contains(mimeSubject(t, msg.Data), "Did you meet") {
				n++
			}
		}
		return n
	}
	if n := asked(testNow.Add(15 * 24 * time.Hour)); n != 0 {
		t.Errorf("two weeks on, before the meeting: %d follow-ups, want none", n)
	}
	if n := asked(testNow.Add(21*24*time.Hour + 2*time.Hour)); n != 0 {
		t.Errorf("just after the meeting: %d follow-ups, want none yet", n)
	}
	if n := asked(testNow.Add(22*24*time.Hour + 2*time.Hour)); n != 2 {
		t.Errorf("a day after the meeting: %d follow-ups, want one to each", n)
	}
	if n := asked(testNow.Add(30 * 24 * time.Hour)); n != 0 {
		t.Errorf("later: %d more follow-ups, want none", n)
	}
}
