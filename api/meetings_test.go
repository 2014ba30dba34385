package api

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/matchmaker/matchmaker/mail"
)

// The meeting through the API: A reads C's offer in A's own time zone,
// refusals change nothing, A picks, and the .ics A downloads is the event
// both were emailed.
func TestMeetingThroughTheAPI(t *testing.T) {
	w := newAccessWorld(t, accessNeeds{meeting: true})
	path := "/api/v1/introductions/" + w.vars["intro"] + "/meeting"
	get := func(c accessCaller) meetingView {
		t.Helper()
		r, _ := w.send(t, c, http.MethodGet, path, "", false)
		wantStatus(t, r, http.StatusOK)
		return decode[meetingView](t, r)
	}
	m := get(asOwner)
	if m.Status != "proposed" || !m.CanPick || len(m.Slots) != 2 || m.TimeZone != "UTC" || !strings.HasSuffix(m.Slots[0].Local, "(UTC)") {
		t.Fatalf("A reads C's offer: %+v", m)
	}
	if h := get(asHost); h.CanPick || h.You != "" || h.UID != m.UID {
		t.Errorf("the host reads: %+v", h)
	}

	// A's own zone: the times read in it.
	r, _ := w.send(t, asOwner, http.MethodPut, "/api/v1/me/time-zone", `{"time_zone":"Mars/Olympus_Mons"}`, false)
	wantStatus(t, r, http.StatusBadRequest)
	if e := decode[errorEnvelope](t, r).Error; e.Fields["time_zone"] == "" {
		t.Errorf("a bad zone: %+v, want the field named", e)
	}
	r, _ = w.send(t, asOwner, http.MethodPut, "/api/v1/me/time-zone", `{"time_zone":"Asia/Tokyo"}`, false)
	wantStatus(t, r, http.StatusOK)
	r, _ = w.send(t, asOwner, http.MethodGet, "/api/v1/me", "", false)
	if me := decode[meView](t, r); me.TimeZone != "Asia/Tokyo" {
		t.Errorf("GET /api/v1/me: time_zone %q, want Asia/Tokyo", me.TimeZone)
	}
	m = get(asOwner)
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if want := m.Slots[0].Start.In(tokyo).Format("Mon 2 Jan 2006, 15:04"); m.TimeZone != "Asia/Tokyo" || !strings.HasPrefix(m.Slots[0].Local, want) {
		t.Errorf("in A's zone: %q, want it to start %q", m.Slots[0].Local, want)
	}

	// Refusals say which field, and change nothing.
	for body, field := range map[string]string{
		`{"slots":[]}`: "slots",
		`{"slots":[{"start":"2020-01-01T10:00","minutes":30}]}`:                             "slots[0].start",
		`{"slots":[{"start":"` + w.vars["soon"] + `","minutes":1}]}`:                        "slots[0].minutes",
		`{"time_zone":"Nowhere","slots":[{"start":"` + w.vars["soon"] + `","minutes":30}]}`: "time_zone",
	} {
		r, _ := w.send(t, asOwner, http.MethodPost, path+"/times", body, false)
		wantStatus(t, r, http.StatusBadRequest)
		if e := decode[errorEnvelope](t, r).Error; e.Fields[field] == "" {
			t.Errorf("%s: %+v, want %s named", body, e, field)
		}
	}
	r, _ = w.send(t, asOwner, http.MethodPost, path+"/pick", `{"slot":"nope"}`, false)
	wantStatus(t, r, http.StatusBadRequest)
	if after := get(asOwner); after.Status != "proposed" || after.UpdatedAt == nil || !after.UpdatedAt.Equal(*m.UpdatedAt) {
		t.Errorf("refusals changed the meeting: %+v", after)
	}

	// A picks; the .ics is the event both were emailed.
	r, _ = w.send(t, asOwner, http.MethodPost, path+"/pick", `{"slot":"`+m.Slots[1].ID+`"}`, false)
	wantStatus(t, r, http.StatusOK)
	m = decode[meetingView](t, r)
	if m.Status != "scheduled" || m.Event == nil || !m.Event.Start.Equal(m.Slots[1].Start) {
		t.Fatalf("after the pick: %+v", m)
	}
	r, _ = w.send(t, asOwner, http.MethodGet, path+".ics", "", false)
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("Content-Type %q, want text/calendar", ct)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(r.Body))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("the .ics: %v\n%s", err, r.Body)
	}
	ev := cal.Events()[0]
	start, _ := ev.GetStartAt()
	end, _ := ev.GetEndAt()
	if ev.Id() != m.UID || !start.Equal(m.Event.Start) || !end.Equal(m.Event.End) || len(ev.Attendees()) != 2 {
		t.Errorf("the .ics event: %s %v–%v, %d attendees; want %s %v–%v, 2", ev.Id(), start, end, len(ev.Attendees()), m.UID, m.Event.Start, m.Event.End)
	}
	r, _ = w.send(t, asOther, http.MethodGet, path+".ics", "", false)
	wantStatus(t, r, http.StatusNotFound)

	w.ts.App.WaitBackground()
	msgs, err := w.ts.App.Mailer().(*mail.Outbox).Messages()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, msg := range msgs {
		for _, a := range msg.Attachments {
			if c, err := ics.ParseCalendar(bytes.NewReader(a.Data)); err == nil && len(c.Events()) == 1 && c.Events()[0].Id() == m.UID {
				got[msg.To] = true
			}
		}
	}
	if !got[w.emails["A"]] || !got[w.emails["C"]] {
		t.Errorf("invitations with the event %s went to %v, want A and C", m.UID, got)
	}
}
