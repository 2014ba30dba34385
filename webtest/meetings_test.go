package webtest

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// calendarsTo returns, by recipient, the events of the .ics files emailed
// from the n-th email on, with the calendar's METHOD.
func (s *site) calendarsTo(t *testing.T, from int) map[string][]struct {
	Method string
	Event  *ics.VEvent
} {
	t.Helper()
	out := map[string][]struct {
		Method string
		Event  *ics.VEvent
	}{}
	for _, m := range s.mails(t)[from:] {
		for _, a := range m.Attachments {
			cal, err := ics.ParseCalendar(bytes.NewReader(a.Data))
			if err != nil || len(cal.Events()) != 1 {
				t.Fatalf("the .ics emailed to %s: %v\n%s", m.To, err, a.Data)
			}
			method := ""
			for _, p := range cal.CalendarProperties {
				if p.IANAToken == string(ics.PropertyMethod) {
					method = p.Value
				}
			}
			out[m.To] = append(out[m.To], struct {
				Method string
				Event  *ics.VEvent
			}{method, cal.Events()[0]})
		}
	}
	return out
}

// A meeting after an accepted introduction: A, on a phone, offers two
// times in Lisbon time; B, on a laptop, picks the first; both are emailed
// the same event, which B also downloads; A cancels (asked first), and both
// get the cancellation.
func TestBrowserMeeting(t *testing.T) {
	s := startSite(t)
	quarter := currentQuarter()
	const (
		emailA, emailB       = dentalEmailA, dentalEmailB
		businessA, businessB = dentalBusinessA, dentalBusinessB
	)
	pa, pb := s.dentalPair(t)
	s.introduce(t, quarter, pa, pb)
	for _, to := range []string{emailA, emailB} {
		u, err := url.Parse(s.link(t, to, "introduction"))
		if err != nil {
			t.Fatal(err)
		}
		s.call(t, false, http.MethodPost, "/introduction", "application/x-www-form-urlencoded",
			url.Values{"token": {u.Query().Get("token")}, "answer": {"accept"}}.Encode(), http.StatusOK, nil)
	}

	// A, on a phone, offers two times, 14:00 and 16:30 in Lisbon, three
	// days from now.
	lisbon, err := time.LoadLocation("Europe/Lisbon")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(lisbon).AddDate(0, 0, 3)
	first := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, lisbon)
	second := first.Add(150 * time.Minute)
	a := s.newTab(t, "A")
	signIn(t, s, a, emailA)
	a.use(phone)
	a.open("/app/introductions")
	a.waitText(".intro-card .meeting h4", "Plan a meeting")
	form := ".intro-card .meeting form.offer-times"
	a.setField(form, "Your time zone", "Europe/Lisbon")
	a.setField(form, "Time 1", first.Format("2006-01-02T15:04"))
	a.setField(form, "Time 2", second.Format("2006-01-02T15:04"))
	a.screenshot("meeting offer form")
	a.click(form, "Offer these times")
	a.waitText(".intro-card .meeting", "Waiting for "+businessB)
	a.waitText(".intro-card .meeting .slot", first.Format("Mon 2 Jan 2006, 15:04")+"–14:30 (Europe/Lisbon)")
	a.screenshot("meeting times offered")
	if n := a.count(".intro-card .meeting .slot button"); n != 0 {
		t.Errorf("A sees %d pick buttons on their own offer, want none", n)
	}

	// B, on a laptop, picks the first: both are emailed the same event.
	before := len(s.mails(t))
	b := s.newTab(t, "B")
	signIn(t, s, b, emailB)
	b.open("/app/introductions")
	b.waitText(".intro-card .meeting", businessA+" offered these times")
	b.screenshot("meeting times to pick")
	// B has no zone of their own yet (the times read in Lisbon's): B sets
	// New York's, and the times read in it.
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	b.waitText(".intro-card .meeting .slot", "(Europe/Lisbon)")
	b.click(".intro-card .meeting", "Your time zone: not set")
	b.setField(".intro-card .meeting .zone-choice", "Your time zone", "America/New_York")
	b.click(".intro-card .meeting .zone-choice", "Save")
	b.waitText(".intro-card .meeting .slot", first.In(newYork).Format("Mon 2 Jan 2006, 15:04")+"–"+first.Add(30*time.Minute).In(newYork).Format("15:04")+" (America/New_York)")
	b.click(".intro-card .meeting", "Pick this time")
	b.waitText(".intro-card .meeting .meeting-when", "Meeting set:")
	b.screenshot("meeting set")
	for _, m := range s.mails(t)[before:] {
		if len(m.Attachments) == 0 {
			continue // B's sign-in link
		}
		zone := map[string]string{emailA: "(Europe/Lisbon)", emailB: "(America/New_York)"}[m.To]
		if !strings.HasSuffix(m.Subject, zone) {
			t.Errorf("the invitation to %s: subject %q, want the time in %s", m.To, m.Subject, zone)
		}
	}
	got := s.calendarsTo(t, before)
	if len(got[emailA]) != 1 || len(got[emailB]) != 1 {
		t.Fatalf("invitations: %d to A, %d to B; want one each", len(got[emailA]), len(got[emailB]))
	}
	ea, eb := got[emailA][0].Event, got[emailB][0].Event
	startA, _ := ea.GetStartAt()
	startB, _ := eb.GetStartAt()
	if ea.Id() != eb.Id() || !startA.Equal(first) || !startB.Equal(first) || got[emailA][0].Method != "REQUEST" || len(eb.Attendees()) != 2 {
		t.Errorf("the events emailed: %s at %v and %s at %v (%s); want one event at %v", ea.Id(), startA, eb.Id(), startB, got[emailA][0].Method, first)
	}

	// B saves the event from the page: the same one.
	dir := t.TempDir()
	b.allowDownloads(dir)
	b.click(".intro-card .meeting", "Download it (.ics)")
	saved, err := ics.ParseCalendar(strings.NewReader(b.waitDownload(dir, "meeting.ics")))
	if err != nil || len(saved.Events()) != 1 || saved.Events()[0].Id() != ea.Id() {
		t.Errorf("the downloaded .ics: %v, want the event %s", err, ea.Id())
	}

	// A cancels, asked first: both get the cancellation.
	before = len(s.mails(t))
	a.open("/app/introductions")
	a.waitText(".intro-card .meeting .meeting-when", "Meeting set:")
	a.click(".intro-card .meeting", "Cancel the meeting")
	a.waitText(".intro-card .meeting .confirm-question", "Cancel the meeting with "+businessB+"?")
	if n := len(s.mails(t)) - before; n != 0 {
		t.Errorf("%d emails before A confirmed the cancellation, want none", n)
	}
	a.click(".intro-card .meeting", "Yes, cancel it")
	a.waitText(".intro-card .meeting", "was cancelled")
	got = s.calendarsTo(t, before)
	for _, to := range []string{emailA, emailB} {
		if len(got[to]) != 1 || got[to][0].Method != "CANCEL" || got[to][0].Event.Id() != ea.Id() {
			t.Errorf("the cancellation to %s: %+v", to, got[to])
		}
	}
}
