package store_test

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

const q3 = match.Quarter("2026-Q3")

func statuses(t *testing.T, db *store.DB, q match.Quarter) map[string]string {
	t.Helper()
	s, err := db.DigestStatuses(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDigestRecipientStates walks a recipient through its states, a crash
// included, and checks what each run does with each state.
func TestDigestRecipientStates(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	plan := []domain.PlannedRecipient{{Email: "a@a.example"}, {Email: "b@b.example"}, {Email: "c@c.example"},
		{Email: "d@d.example", Skip: domain.SkipNoNewMatches}, {Email: "e@e.example"}}
	if err := db.StartDigestRun(ctx, q3, plan, false); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a@a.example": "pending", "b@b.example": "pending", "c@c.example": "pending", "d@d.example": "skipped", "e@e.example": "pending"}
	if got := statuses(t, db, q3); !maps.Equal(got, want) {
		t.Fatalf("after planning: %v, want %v", got, want)
	}
	shown := []domain.DigestMatch{{Post: 1, Partner: 7}, {Post: 1, Partner: 9}}
	outboxIDs := map[string]int64{}
	claim := func(email string) (int64, string) {
		t.Helper()
		id, st, err := db.ClaimDigest(ctx, q3, email, shown, mail.Message{To: email, Subject: "Your digest", Text: "Partners for you"})
		if err != nil {
			t.Fatal(err)
		}
		if id != 0 {
			outboxIDs[email] = id
		}
		return id, st
	}
	// a: sent. b: failed, after a retry. c: left sending by a run cut
	// short before digests went through the outbox. e: unsubscribed after
	// the plan.
	for _, email := range []string{"a@a.example", "b@b.example", "c@c.example"} {
		if id, st := claim(email); id == 0 || st != domain.DigestSending {
			t.Fatalf("claiming pending %s: %d %s, want queued in the outbox, sending", email, id, st)
		}
	}
	// The digest is in the outbox, due at once.
	due, err := db.DueMail(ctx, time.Now(), 10)
	if err != nil || len(due) != 3 || due[0].Kind != domain.DigestMailKind || due[0].Message.Subject != "Your digest" {
		t.Fatalf("the outbox after three claims: %+v %v", due, err)
	}
	// Claiming twice does not claim: the first claim's email goes.
	if id, st := claim("a@a.example"); id != 0 || st != domain.DigestSending {
		t.Errorf("claiming a recipient being sent: %d %s, want not claimed", id, st)
	}
	if err := db.MailAttempted(ctx, outboxIDs["a@a.example"], nil, nil); err != nil {
		t.Fatal(err)
	}
	if id, st := claim("a@a.example"); id != 0 || st != domain.DigestSent {
		t.Errorf("claiming a sent recipient: %d %s, want not claimed, sent", id, st)
	}
	retry := time.Now().Add(time.Minute)
	if err := db.MailAttempted(ctx, outboxIDs["b@b.example"], errors.New("451 try later"), &retry); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.DigestRecipient(ctx, q3, "b@b.example"); r.Status != domain.DigestSending || r.Reason != "451 try later" {
		t.Errorf("a digest the outbox tries again: %+v, want sending with the last error", r)
	}
	if err := db.MailAttempted(ctx, outboxIDs["b@b.example"], errors.New("550 mailbox unavailable"), nil); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, "UPDATE digest_recipients SET outbox_id = NULL WHERE email = 'c@c.example'"); err != nil {
		t.Fatal(err)
	}
	if err := db.Unsubscribe(ctx, "e@e.example"); err != nil {
		t.Fatal(err)
	}
	if id, st := claim("e@e.example"); id != 0 || st != domain.DigestSkipped {
		t.Errorf("claiming an address that unsubscribed: %d %s, want not claimed, skipped", id, st)
	}
	if _, _, err := db.ClaimDigest(ctx, q3, "nobody@x.example", nil, mail.Message{}); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("claiming an address not planned: %v, want ENOTFOUND", err)
	}
	want = map[string]string{"a@a.example": "sent", "b@b.example": "failed", "c@c.example": "sending", "d@d.example": "skipped", "e@e.example": "skipped"}
	if got := statuses(t, db, q3); !maps.Equal(got, want) {
		t.Fatalf("after sending: %v, want %v", got, want)
	}

	// The next run: the failed one is pending again, the one in doubt
	// unknown; d now has partners; e resubscribed is planned again; f is
	// new; a stays sent.
	if err := db.Resubscribe(ctx, "e@e.example"); err != nil {
		t.Fatal(err)
	}
	plan = []domain.PlannedRecipient{{Email: "a@a.example"}, {Email: "b@b.example"}, {Email: "c@c.example"}, {Email: "d@d.example"},
		{Email: "e@e.example"}, {Email: "f@f.example", Skip: domain.SkipUnsubscribed}}
	if err := db.StartDigestRun(ctx, q3, plan, false); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"a@a.example": "sent", "b@b.example": "pending", "c@c.example": "unknown", "d@d.example": "pending",
		"e@e.example": "pending", "f@f.example": "skipped"}
	if got := statuses(t, db, q3); !maps.Equal(got, want) {
		t.Fatalf("after the second plan: %v, want %v", got, want)
	}
	d, err := db.Digest(ctx, q3)
	if err != nil {
		t.Fatal(err)
	}
	if d.Counts[domain.DigestUnknown] != 1 || d.Counts[domain.DigestPending] != 3 || d.Skipped[domain.SkipUnsubscribed] != 1 || d.FinishedAt != nil {
		t.Errorf("digest: %+v", d)
	}
	// The failed one keeps its error for the host until it is sent.
	if r, _ := db.DigestRecipient(ctx, q3, "b@b.example"); r.Reason != "550 mailbox unavailable" || r.Attempts != 1 {
		t.Errorf("the failed recipient planned again: %+v", r)
	}
	if len(d.Problems) != 1 || d.Problems[0].Email != "c@c.example" {
		t.Errorf("problems: %+v, want the unknown one", d.Problems)
	}

	// b's second digest: its failed first email is cancelled, so that a
	// host's retry of it cannot send a second digest.
	oldB := outboxIDs["b@b.example"]
	if id, _ := claim("b@b.example"); id == 0 || id == oldB {
		t.Fatalf("b claimed again: %d", id)
	}
	if m, _ := db.MailByIDs(ctx, []int64{oldB}); m[oldB].Status != domain.MailCancelled {
		t.Errorf("b's first email after the second claim: %+v, want cancelled", m[oldB])
	}
	// The host cancels d's digest in the outbox, then retries it: d follows.
	claim("d@d.example")
	if _, err := db.CancelMail(ctx, outboxIDs["d@d.example"]); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.DigestRecipient(ctx, q3, "d@d.example"); r.Status != domain.DigestFailed || r.Reason != "cancelled by the host" {
		t.Errorf("a digest the host cancelled: %+v", r)
	}
	if _, err := db.RetryMail(ctx, outboxIDs["d@d.example"]); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.DigestRecipient(ctx, q3, "d@d.example"); r.Status != domain.DigestSending {
		t.Errorf("a digest the host retried: %+v, want sending", r)
	}
	// A digest in the outbox is on its way: the next run leaves it so.
	if err := db.StartDigestRun(ctx, q3, plan, false); err != nil {
		t.Fatal(err)
	}
	if got := statuses(t, db, q3); got["d@d.example"] != domain.DigestSending || got["b@b.example"] != domain.DigestSending {
		t.Errorf("digests in the outbox after a new plan: %v, want sending", got)
	}

	// What was shown, sent or in doubt, is not new in another quarter.
	ex, err := db.DigestExclusions(ctx, "2026-Q4", "")
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Shown["a@a.example"][7] || !ex.Shown["a@a.example"][9] || !ex.Shown["c@c.example"][7] || ex.Shown["e@e.example"][7] {
		t.Errorf("shown in Q3, seen from Q4: %v, want a's and c's partners (sent, and in doubt) but not e's (never sent)", ex.Shown)
	}
	if ex, _ := db.DigestExclusions(ctx, q3, "a@a.example"); len(ex.Shown) != 0 {
		t.Errorf("the quarter's own digest counts as earlier: %v", ex.Shown)
	}

	// A third plan without b and d (their posts went away); the host asks
	// for the unknown to be resent.
	plan = []domain.PlannedRecipient{{Email: "a@a.example"}, {Email: "c@c.example"}, {Email: "e@e.example"}}
	if err := db.StartDigestRun(ctx, q3, plan, true); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"a@a.example": "sent", "b@b.example": "sending", "c@c.example": "pending", "d@d.example": "sending",
		"e@e.example": "pending", "f@f.example": "skipped"}
	if got := statuses(t, db, q3); !maps.Equal(got, want) {
		t.Fatalf("after the third plan: %v, want %v (b and d in the outbox, on their way)", got, want)
	}
	if r, _ := db.DigestRecipient(ctx, q3, "f@f.example"); r.Reason != domain.SkipNoActivePost {
		t.Errorf("a recipient no longer planned: %+v, want skipped as %s", r, domain.SkipNoActivePost)
	}
	if err := db.FinishDigestRun(ctx, q3); err != nil {
		t.Fatal(err)
	}
	if d, _ := db.Digest(ctx, q3); d.FinishedAt == nil || d.StartedAt == nil {
		t.Errorf("a finished run: %+v", d)
	}

}

func TestDigestNoteAndEmptyQuarter(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	d, err := db.Digest(ctx, q3)
	if err != nil || d.Note != "" || d.StartedAt != nil || d.Counts[domain.DigestSent] != 0 || d.Problems == nil {
		t.Fatalf("a quarter never touched: %+v %v", d, err)
	}
	for _, note := range []string{"Welcome!", "Second thoughts", ""} {
		if err := db.SetDigestNote(ctx, q3, note); err != nil {
			t.Fatal(err)
		}
		if d, _ := db.Digest(ctx, q3); d.Note != note {
			t.Errorf("note: got %q, want %q", d.Note, note)
		}
	}
}

func TestInterestsAndExcludedPairs(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	var ids []int64
	for i := range 4 {
		p, err := db.CreatePost(ctx, samplePost(i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	a, b, c, d := ids[0], ids[1], ids[2], ids[3]
	// b says no to a; c says yes to d, by a link.
	if _, err := db.RecordInterest(ctx, domain.Interest{PostID: b, PartnerID: a, Interest: domain.InterestNo}, domain.InterestEffect{Declined: "B is not interested"}); err != nil {
		t.Fatal(err)
	}
	req := domain.Suggestion{PostA: c, PostB: d, Score: 0.5, Note: "Requested by C"}
	in, err := db.RecordInterest(ctx, domain.Interest{PostID: c, PartnerID: d, Interest: domain.InterestYes, Note: "hi"},
		domain.InterestEffect{Request: &req, Quarter: q3, LinkHash: "link-1"})
	if err != nil || in.Interest != domain.InterestYes || in.Note != "hi" || in.CreatedAt.IsZero() {
		t.Fatalf("yes by a link: %+v %v", in, err)
	}
	if _, err := db.RecordInterest(ctx, domain.Interest{PostID: c, PartnerID: d, Interest: domain.InterestNo},
		domain.InterestEffect{LinkHash: "link-1"}); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("the same link again: %v, want ENOTFOUND", err)
	}
	if spent, _ := db.IsLinkSpent(ctx, "link-1"); !spent {
		t.Error("the link is not recorded as spent")
	}
	// The round was created for the request.
	r, err := db.Round(ctx, q3)
	if err != nil || r.Counts[domain.SuggestionProposed] != 1 {
		t.Fatalf("the request's round: %+v %v", r, err)
	}
	ex, err := db.ExcludedPairs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ex[[2]int64{a, b}] || ex[[2]int64{c, d}] || len(ex) != 1 {
		t.Errorf("excluded pairs: %v, want only {%d %d} (a no)", ex, a, b)
	}
	for post, want := range map[int64]bool{a: true, b: true, c: false} {
		seen, err := db.Seen(ctx, post)
		if err != nil {
			t.Fatal(err)
		}
		if got := seen.Excluded[a] || seen.Excluded[b]; got != want {
			t.Errorf("excluded partners of %d: %v", post, seen.Excluded)
		}
	}
	// A no rejects the pair's open suggestion, with a word for the host.
	if _, err := db.RecordInterest(ctx, domain.Interest{PostID: d, PartnerID: c, Interest: domain.InterestNo}, domain.InterestEffect{Declined: "D is not interested"}); err != nil {
		t.Fatal(err)
	}
	sugs, _ := db.Suggestions(ctx, q3, "")
	if len(sugs) != 1 || sugs[0].Status != domain.SuggestionRejected || sugs[0].Note != "Requested by C\nD is not interested" {
		t.Errorf("after the no: %+v", sugs)
	}
	// A member changing their mind is one answer, updated.
	if _, err := db.RecordInterest(ctx, domain.Interest{PostID: b, PartnerID: a, Interest: domain.InterestYes}, domain.InterestEffect{}); err != nil {
		t.Fatal(err)
	}
	seen, err := db.Seen(ctx, b)
	if err != nil || len(seen.Said) != 1 || seen.Said[a] != domain.InterestYes {
		t.Errorf("b's answers: %+v %v", seen.Said, err)
	}
	// Deleting a post forgets what was said about it.
	if err := db.DeletePost(ctx, a); err != nil {
		t.Fatal(err)
	}
	if seen, _ := db.Seen(ctx, b); len(seen.Said) != 0 {
		t.Errorf("answers about a deleted post remain: %+v", seen.Said)
	}
}
