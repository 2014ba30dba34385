package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
)

// The meeting rows: A and C accepted their introduction {intro}, and C
// offered times ({slotC} is one): A may pick one, either may cancel, the
// host may only read, and B, in no introduction, gets 404 as if it did not
// exist.
func accessMeetingRows() []accessRow {
	meeting := "/api/v1/introductions/{intro}/meeting"
	rows := []accessRow{
		{route: "GET /api/v1/introductions/:id/meeting", path: meeting, want: partyRead(), check: accessCheckMeeting("proposed")},
		{route: "GET /api/v1/introductions/:id/meeting.ics", variant: "before a time is picked", path: meeting + ".ics",
			want: accessExpect(401, 409, 409, 404, 409, 401, 409)},
		{route: "POST /api/v1/introductions/:id/meeting/times", path: meeting + "/times",
			body: `{"time_zone":"Europe/Lisbon","slots":[{"start":"{soon}","minutes":30}]}`, want: memberWrite(200), check: accessCheckOfferedBy},
		{route: "POST /api/v1/introductions/:id/meeting/pick", variant: "a time C offered", path: meeting + "/pick",
			body: `{"slot":"{slotC}"}`, want: memberWrite(200), check: accessCheckMeeting("scheduled")},
		{route: "POST /api/v1/introductions/:id/meeting/cancel", path: meeting + "/cancel", want: memberWrite(200), check: accessCheckMeeting("cancelled")},
	}
	for i := range rows {
		rows[i].needs.meeting = true
	}
	return append(rows, accessRow{route: "PUT /api/v1/me/time-zone", path: "/api/v1/me/time-zone", body: `{"time_zone":"Europe/Lisbon"}`,
		want: accessExpect(401, 200, 403, 200, 401, 401, 200)})
}

// accessCheckMeeting checks, as the host, the meeting's status.
func accessCheckMeeting(status string) func(t *testing.T, w *accessWorld, c accessCaller, r response) {
	return func(t *testing.T, w *accessWorld, c accessCaller, r response) {
		got := decode[meetingView](t, w.ts.do(t, http.MethodGet, "/api/v1/introductions/"+w.vars["intro"]+"/meeting", host, ""))
		if got.Status != status {
			t.Errorf("after %s: the meeting is %s, want %s", c, got.Status, status)
		}
	}
}

// accessCheckOfferedBy checks, as the host, that the times on offer are
// now the caller's (C offered first).
func accessCheckOfferedBy(t *testing.T, w *accessWorld, c accessCaller, r response) {
	you := decode[meetingView](t, r).You
	got := decode[meetingView](t, w.ts.do(t, http.MethodGet, "/api/v1/introductions/"+w.vars["intro"]+"/meeting", host, ""))
	if got.Status != "proposed" || you == "" || got.ProposedBy != you || len(got.Slots) != 1 {
		t.Errorf("after %s offered one time: the meeting is %s with %d times offered by %q, want proposed, 1, by %q", c, got.Status, len(got.Slots), got.ProposedBy, you)
	}
}

// setUpMeeting has A and C accept their introduction, and C offer A two
// times, two and three days ahead.
func (w *accessWorld) setUpMeeting(t *testing.T, needs accessNeeds) {
	t.Helper()
	if !needs.meeting {
		return
	}
	// (Through the app: the public pages' rate limit is for the rows.)
	ctx := context.Background()
	id := w.id("intro")
	for _, owner := range []string{"A", "C"} {
		if _, err := w.ts.App.AnswerAsOwner(ctx, domain.Member{Email: w.emails[owner]}, id, true); err != nil {
			t.Fatal(err)
		}
	}
	soon := w.ts.App.Clock()().Add(48 * time.Hour).UTC().Truncate(time.Hour)
	m, err := w.ts.App.OfferMeetingTimes(ctx, app.Who{Email: w.emails["C"]}, id, "",
		[]app.SlotInput{{Start: soon.Format(time.RFC3339), Minutes: 30}, {Start: soon.Add(24 * time.Hour).Format(time.RFC3339), Minutes: 60}})
	if err != nil {
		t.Fatal(err)
	}
	w.vars["slotC"] = m.Slots[0].ID
	w.vars["soon"] = soon.Add(72 * time.Hour).Format("2006-01-02T15:04")
}
