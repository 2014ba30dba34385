package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// outbox returns the app's outbox, oldest first.
func outbox(t *testing.T, a *app.App) []domain.QueuedMail {
	t.Helper()
	list, _, err := a.Outbox(context.Background(), domain.OutboxFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

func submit(t *testing.T, a *app.App, email string) {
	t.Helper()
	if _, err := a.SubmitPost(context.Background(), match.PostInput{Business: "Queue & Co", Email: email,
		Offer: "Bookkeeping for dental practices", Seek: "Dental software vendors"}); err != nil {
		t.Fatal(err)
	}
}

// TestOutboxKeepsMailUntilTheServerTakesIt submits a post while the mail
// server refuses the address: the post is stored at once, its email waits
// in the outbox, is tried again on the schedule, and once the server takes
// it, arrives exactly once with the Message-ID it was queued with.
func TestOutboxKeepsMailUntilTheServerTakesIt(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	const to = "queued@dental.example"
	srv.Refuse(to, true)
	submit(t, a, to)
	a.WaitBackground()

	mails := outbox(t, a)
	if len(mails) != 1 || mails[0].Kind != "confirm_post" || mails[0].Status != domain.MailQueued || mails[0].Attempts != 1 ||
		!strings.Contains(mails[0].LastError, "550") || mails[0].Message.ID == "" {
		t.Fatalf("after a refused attempt: %+v", mails)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server holds %d messages", n)
	}
	// Not due again before its pause.
	a.FlushMail(context.Background())
	if m := outbox(t, a)[0]; m.Attempts != 1 {
		t.Errorf("tried again before its pause: %+v", m)
	}

	srv.Refuse(to, false)
	a.SetClock(func() time.Time { return testNow.Add(31 * time.Second) })
	a.FlushMail(context.Background())
	a.FlushMail(context.Background())
	m := outbox(t, a)[0]
	if m.Status != domain.MailSent || m.Attempts != 2 || m.SentAt == nil || m.LastError != "" {
		t.Errorf("after the server took it: %+v", m)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To != to {
		t.Fatalf("the server got %d messages, want exactly one to %s", len(got), to)
	}
	if !strings.Contains(string(got[0].Data), "Message-Id: <"+m.Message.ID+"@") && !strings.Contains(string(got[0].Data), "Message-ID: <"+m.Message.ID+"@") {
		t.Errorf("the message does not carry the Message-ID it was queued with (%s):\n%.400s", m.Message.ID, got[0].Data)
	}
	if _, err := a.RetryMail(context.Background(), m.ID); !errors.Is(err, match.ErrConflict) {
		t.Errorf("retrying a sent email: %v, want a conflict", err)
	}
}

// TestOutboxGivesUpThenTheHostDecides exhausts an email's attempts: it is
// failed, kept, and the host may retry it (it goes) or cancel it.
func TestOutboxGivesUpThenTheHostDecides(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	const to = "bounces@dental.example"
	srv.Refuse(to, true)
	submit(t, a, to)
	now := testNow
	for range 20 {
		a.WaitBackground()
		now = now.Add(13 * time.Hour) // past every pause
		at := now
		a.SetClock(func() time.Time { return at })
	}
	m := outbox(t, a)[0]
	if m.Status != domain.MailFailed || m.Attempts != 9 {
		t.Fatalf("after a day of refusals: %+v, want failed after 9 attempts", m)
	}
	srv.Refuse(to, false)
	if r, err := a.RetryMail(context.Background(), m.ID); err != nil || r.Status != domain.MailQueued {
		t.Fatalf("retry: %+v %v", r, err)
	}
	a.WaitBackground()
	if m := outbox(t, a)[0]; m.Status != domain.MailSent || len(srv.Messages()) != 1 {
		t.Errorf("after the host's retry: %+v, %d messages", m, len(srv.Messages()))
	}

	srv.Refuse(to, true)
	submit(t, a, to)
	a.WaitBackground()
	second := outbox(t, a)[1]
	if c, err := a.CancelMail(context.Background(), second.ID); err != nil || c.Status != domain.MailCancelled {
		t.Fatalf("cancel: %+v %v", c, err)
	}
	srv.Refuse(to, false)
	a.SetClock(func() time.Time { return now.Add(24 * time.Hour) })
	a.WaitBackground()
	if m := outbox(t, a)[1]; m.Status != domain.MailCancelled || len(srv.Messages()) != 1 {
		t.Errorf("a cancelled email went out: %+v, %d messages", m, len(srv.Messages()))
	}
}

// TestOutboxSendsWhatWasQueuedBeforeARestart closes the app with an email
// waiting out a pause; the next start sends it at once, once.
func TestOutboxSendsWhatWasQueuedBeforeARestart(t *testing.T) {
	srv := startSMTP(t)
	dir := t.TempDir()
	a := openDigestApp(t, dir, srv.URL)
	const to = "restart@dental.example"
	srv.Refuse(to, true)
	submit(t, a, to)
	a.WaitBackground()
	a.Close()

	srv.Refuse(to, false)
	b := openDigestApp(t, dir, srv.URL)
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	b.WaitBackground()
	if got := srv.Messages(); len(got) != 1 || got[0].To != to {
		t.Fatalf("after the restart the server got %d messages, want one to %s", len(got), to)
	}
	if m := outbox(t, b)[0]; m.Status != domain.MailSent {
		t.Errorf("after the restart: %+v", m)
	}
}
