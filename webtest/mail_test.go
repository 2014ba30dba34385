package webtest

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// TestBrowserHostMail: with the mail server down, two confirmation emails
// wait, are tried for a day and fail. The host finds them on the Mail page
// with the server's answer, cancels one and sends the other again, and
// filters by status; the page works at a phone's width.
func TestBrowserHostMail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String() // nothing listens here once closed
	ln.Close()
	s := startSiteMailingTo(t, mail.Config{From: "Matchmaker <host@community.example>", SMTPURL: "smtp://" + down + "?tls=none"})
	ctx := context.Background()
	for i, email := range []string{"ana@first-ledger.example", "bo@second-studio.example"} {
		if _, err := s.App.SubmitPost(ctx, match.PostInput{Business: fmt.Sprintf("Waiting Business %d", i+1), Email: email,
			Offer: "Bookkeeping for dental practices", Seek: "Dental software vendors who serve clinics"}); err != nil {
			t.Fatal(err)
		}
	}
	// A day of attempts, the clock moved past each pause.
	now := time.Now()
	for range 12 {
		s.App.WaitBackground()
		now = now.Add(13 * time.Hour)
		at := now
		s.App.SetClock(func() time.Time { return at })
	}
	s.App.SetClock(time.Now)
	if list, counts, err := s.App.Outbox(ctx, domain.OutboxFilter{Limit: 10}); err != nil || counts[domain.MailFailed] != 2 {
		t.Fatalf("the outbox after a day of attempts: %+v %v %v", list, counts, err)
	}

	host := s.newTab(t, "host")
	hostSignIn(host)
	host.click(".tabs", "Mail")
	host.waitText("h1", "Mail")
	host.waitText(".results-status", "0 queued, 2 failed, 0 sent, 0 cancelled")
	host.waitText(`.mail[data-status="failed"]`, "Confirm your Matchmaker post")
	host.waitText(`.mail[data-status="failed"] .mail-error`, "The mail server said:")
	host.waitText(`.filter-tabs a[data-status="failed"] .count`, "2")
	host.screenshot("host-mail-failed")

	// Cancel the first; send the second again.
	host.click(`.mail-list > li:nth-child(1) .item-actions`, "Cancel")
	host.waitText("#toast", "Cancelled")
	host.waitFor("the first email cancelled", `document.querySelector('.mail-list > li:nth-child(1)').dataset.status === 'cancelled'`)
	host.click(`.mail-list > li:nth-child(2) .item-actions`, "Send again")
	host.waitText("#toast", "Queued again")
	host.waitFor("the second email queued", `document.querySelector('.mail-list > li:nth-child(2)').dataset.status === 'queued'`)

	// The filters follow.
	host.click(".filter-tabs", "Cancelled 1")
	host.waitText(".results-status", "1 cancelled")
	if n := host.count(".mail-list > li"); n != 1 {
		t.Errorf("the cancelled filter shows %d emails, want 1", n)
	}
	host.click(".filter-tabs", "Sent 0")
	host.waitText(".empty", "No sent emails.")
}
