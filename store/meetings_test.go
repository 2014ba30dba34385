package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// introduced returns an introduction of two new posts, pending.
func introduced(t *testing.T, db *store.DB) domain.Introduction {
	t.Helper()
	ctx := context.Background()
	var ids []int64
	for i := range 2 {
		p, err := db.CreatePost(ctx, samplePost(i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if _, err := db.SaveRound(ctx, q3, 3, []domain.Suggestion{{PostA: ids[0], PostB: ids[1], Score: 0.5}}); err != nil {
		t.Fatal(err)
	}
	list, err := db.Suggestions(ctx, q3, "")
	if err != nil || len(list) != 1 {
		t.Fatalf("suggestions: %v %v", list, err)
	}
	approved := domain.SuggestionApproved
	if _, err := db.UpdateSuggestion(ctx, q3, list[0].ID, &approved, nil); err != nil {
		t.Fatal(err)
	}
	in, _, err := db.Introduce(ctx, q3, list[0].ID, "link-a", "link-b", 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestMeetingIsSavedWholeAndOnlyFromTheLatestRead(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	in := introduced(t, db)
	start := time.Date(2026, 12, 10, 14, 0, 0, 0, time.UTC)
	m := domain.Meeting{IntroductionID: in.ID}.Offer("a", "Europe/Lisbon",
		[]domain.Slot{{ID: "s2", Start: start.Add(24 * time.Hour), Minutes: 60}, {ID: "s1", Start: start, Minutes: 30}}, "uid-1@example.org")

	// Not before both accepted.
	if _, err := db.SaveMeeting(ctx, m); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a meeting for a pending introduction: %v, want ECONFLICT", err)
	}
	for _, side := range []string{"a", "b"} {
		if _, err := db.Answer(ctx, in.ID, side, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Meeting(ctx, in.ID); match.ErrorCode(err) != match.ENOTFOUND {
		t.Errorf("no meeting yet: %v, want ENOTFOUND", err)
	}
	saved, err := db.SaveMeeting(ctx, m)
	if err != nil || saved.Revision != 1 || len(saved.Slots) != 2 || saved.Slots[0].ID != "s2" || saved.Event != nil || saved.UID != "uid-1@example.org" {
		t.Fatalf("the first save: %+v %v", saved, err)
	}
	if _, err := db.SaveMeeting(ctx, m); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a second first save: %v, want ECONFLICT", err)
	}

	// A pick stores the event; a write from the read before it is
	// refused, with the mail it owed.
	picked, err := saved.Pick("b", "s1")
	if err != nil {
		t.Fatal(err)
	}
	if picked, err = db.SaveMeeting(ctx, picked); err != nil || picked.Revision != 2 || picked.Event == nil || !picked.Event.Start.Equal(start) || picked.Status != domain.MeetingScheduled {
		t.Fatalf("the pick: %+v %v", picked, err)
	}
	stale, _ := saved.Cancel()
	owing := domain.OweMail(ctx, domain.OutgoingMail{Kind: "meeting_cancelled", Message: mail.Message{To: "a@example.com", Subject: "x", Text: "x"}})
	if _, err := db.SaveMeeting(owing, stale); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a write from a stale read: %v, want ECONFLICT", err)
	}
	if n, err := db.OutboxCount(ctx, domain.MailQueued); err != nil || n != 0 {
		t.Errorf("%d emails queued by a refused write (%v), want none", n, err)
	}
	got, err := db.Meeting(ctx, in.ID)
	if err != nil || got.Status != domain.MeetingScheduled || got.Revision != 2 || got.Event.ID != "s1" || got.Event.Minutes != 30 || got.TimeZone != "Europe/Lisbon" {
		t.Errorf("read back: %+v %v", got, err)
	}
}

func TestTimeZoneIsTheMembers(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	if err := db.SetTimeZone(ctx, "nobody@example.com", "Europe/Lisbon"); match.ErrorCode(err) != match.ENOTFOUND {
		t.Errorf("the zone of an address that is no member's: %v, want ENOTFOUND", err)
	}
	if err := db.CreateEmailLink(ctx, "sign-in", domain.EmailLink{Purpose: domain.LinkSignIn, Email: "ana@example.com"}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, "sign-in", "session", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if zone, err := db.TimeZone(ctx, "ana@example.com"); err != nil || zone != "" {
		t.Errorf("before choosing: %q %v, want none", zone, err)
	}
	if err := db.SetTimeZone(ctx, "ana@example.com", "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	if zone, err := db.TimeZone(ctx, "ana@example.com"); err != nil || zone != "Asia/Tokyo" {
		t.Errorf("after choosing: %q %v, want Asia/Tokyo", zone, err)
	}
}
