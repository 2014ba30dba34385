package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// Every email goes through the outbox (domain.QueuedMail): queued in the
// store with the change that owes it (a.owe) or right after it (a.mail),
// then delivered here. Nothing is lost when the mail server is down or the
// process is killed: a queued email is tried again with growing pauses
// (retryAfter), and at every start. Each email is sent once: it is marked
// sent as soon as the server accepts it; the one window for a repeat is a
// kill between the server's "250" and that mark, and then the repeat has
// the same Message-ID, which receivers use to drop duplicates.

// retryAfter is the pause after each failed attempt; after the last, the
// email is failed and waits for the host (retry or cancel). In all, about
// a day of trying.
var retryAfter = []time.Duration{
	30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
}

// digestsPerRead is how many digests the sender sends before it reads the
// outbox again for other emails.
const digestsPerRead = 5

// mailPoll is how often the sender looks for emails due again; a queued
// email wakes it at once (kickMail).
const mailPoll = 15 * time.Second

// mailSender is the app's one deliverer of the outbox.
type mailSender struct {
	kick chan struct{} // a nudge: something was queued
	mu   sync.Mutex    // one delivery pass at a time; guards early
	loop sync.WaitGroup
	// early holds the emails this process tried before its first pass,
	// which tries every queued one however recently it failed (a start is
	// reason enough): those were tried just now, and are left to their
	// pause. nil once that pass ran.
	early map[int64]bool
	// pace spaces out the digests sent to an SMTP server (see
	// DigestConfig.Rate); nil: no limit.
	pace atomic.Pointer[rate.Limiter]
}

// paceDigests sets how many digests a second the sender hands to an SMTP
// server; a rate of 0 or less sets no limit. Other emails are not paced.
func (a *App) paceDigests(perSecond float64) {
	if perSecond <= 0 {
		a.sender.pace.Store(nil)
		return
	}
	a.sender.pace.Store(rate.NewLimiter(rate.Limit(perSecond), 1))
}

// waitPace waits for the digest pace, when m is a digest going to an SMTP
// server (the outbox folder takes any number). It returns false when ctx
// ends first.
func (a *App) waitPace(ctx context.Context, m domain.QueuedMail) bool {
	l := a.sender.pace.Load()
	if _, folder := a.mailer.(*mail.Outbox); l == nil || folder || m.Kind != domain.DigestMailKind {
		return true
	}
	return l.Wait(ctx) == nil
}

// watchOutbox reports the outbox's queued and failed emails at each
// scrape of the metrics: a queue that grows, or any failed email, is for
// the host to look at (GET /api/v1/outbox).
func (a *App) watchOutbox() {
	for _, status := range []string{domain.MailQueued, domain.MailFailed} {
		a.Metrics.Size("matchmaker_outbox_"+status, "Emails in the outbox that are "+status+".", func() float64 {
			n, err := a.Store.OutboxCount(context.Background(), status)
			if err != nil {
				return -1
			}
			return float64(n)
		})
	}
}

// startMail starts the sender. Its first pass tries every queued email,
// however recently it failed: a start is reason enough to try again.
func (a *App) startMail() {
	a.paceDigests(DefaultDigestRate)
	a.sender.kick = make(chan struct{}, 1)
	a.sender.early = map[int64]bool{}
	a.sender.loop.Add(1)
	go func() {
		defer a.sender.loop.Done()
		a.deliverMail(a.stop, true)
		tick := time.NewTicker(mailPoll)
		defer tick.Stop()
		for {
			select {
			case <-a.stop.Done():
				return
			case <-a.sender.kick:
			case <-tick.C:
			}
			a.deliverMail(a.stop, false)
		}
	}()
}

// kickMail wakes the sender.
func (a *App) kickMail() {
	select {
	case a.sender.kick <- struct{}{}:
	default:
	}
}

// deliverMail sends the emails due now (every queued one when all), a
// batch at a time, until none is due.
func (a *App) deliverMail(ctx context.Context, all bool) {
	a.sender.mu.Lock()
	defer a.sender.mu.Unlock()
	tried := map[int64]bool{}
	if all && a.sender.early != nil {
		tried, a.sender.early = a.sender.early, nil
	}
	for ctx.Err() == nil {
		now := a.Store.Now()
		if all {
			now = time.Time{}
		}
		due, err := a.Store.DueMail(ctx, now, 50)
		if err != nil {
			if ctx.Err() == nil {
				a.Log.Error("read the outbox", "err", err)
			}
			return
		}
		fresh, digests := 0, 0
		for _, m := range due {
			if tried[m.ID] {
				continue // failed in this pass; its retry is due later
			}
			// A few paced digests at a time, then the outbox is read again:
			// an email queued meanwhile goes before the next digests.
			if m.Kind == domain.DigestMailKind {
				if digests == digestsPerRead {
					break
				}
				digests++
			}
			tried[m.ID] = true
			if a.sender.early != nil {
				a.sender.early[m.ID] = true
			}
			fresh++
			if !a.waitPace(ctx, m) {
				return
			}
			a.deliver(ctx, m)
		}
		if fresh == 0 {
			return
		}
	}
}

// deliver makes one attempt at one email and records it.
func (a *App) deliver(ctx context.Context, m domain.QueuedMail) {
	sendCtx, cancel := context.WithTimeout(ctx, time.Minute)
	err := a.mailer.Send(sendCtx, m.Message)
	cancel()
	if ctx.Err() != nil {
		return // stopping: the attempt does not count, the email stays queued
	}
	a.countMail(err)
	var retryAt *time.Time
	switch {
	case err == nil:
	case errors.Is(err, match.ErrInvalid):
		// The message itself was refused: trying again cannot help.
	case m.Attempts < len(retryAfter):
		t := a.Store.Now().Add(retryAfter[m.Attempts])
		retryAt = &t
	}
	if err != nil {
		a.Log.Warn("send email", "kind", m.Kind, "outbox_id", m.ID, "attempt", m.Attempts+1, "err", err, "retry", retryAt != nil)
	}
	if err := a.Store.MailAttempted(context.WithoutCancel(ctx), m.ID, err, retryAt); err != nil {
		a.Log.Error("record an email's attempt", "outbox_id", m.ID, "err", err)
	}
}

// FlushMail delivers every email due now, before it returns.
func (a *App) FlushMail(ctx context.Context) { a.deliverMail(ctx, false) }

// owe renders an email and returns ctx carrying it for the store's next
// write, which stores it in the same transaction (domain.OweMail). The
// caller kicks the sender once that write is done.
func (a *App) owe(ctx context.Context, template, to, subject string, data any) (context.Context, error) {
	msg, err := email(template, to, subject, data)
	if err != nil {
		return ctx, err
	}
	return domain.OweMail(ctx, domain.OutgoingMail{Kind: template, Message: msg}), nil
}

// mail renders one email and queues it, for a change already stored. A
// failure is logged, not returned: the change it reports is stored, and
// the host sees it.
func (a *App) mail(ctx context.Context, template, to, subject string, data any) {
	msg, err := email(template, to, subject, data)
	if err == nil {
		err = a.Store.QueueMail(ctx, domain.OutgoingMail{Kind: template, Message: msg})
	}
	if err != nil {
		a.Log.Error("queue email", "template", template, "err", err)
		return
	}
	a.kickMail()
}

// Outbox lists the outbox for the host, newest first.
func (a *App) Outbox(ctx context.Context, f domain.OutboxFilter) ([]domain.QueuedMail, map[string]int, error) {
	list, err := a.Store.Outbox(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	counts, err := a.Store.OutboxCounts(ctx)
	return list, counts, err
}

// RetryMail queues a failed or cancelled email again, to go at once.
func (a *App) RetryMail(ctx context.Context, id int64) (domain.QueuedMail, error) {
	m, err := a.Store.RetryMail(ctx, id)
	if err == nil {
		a.kickMail()
	}
	return m, err
}

// CancelMail gives up a queued or failed email.
func (a *App) CancelMail(ctx context.Context, id int64) (domain.QueuedMail, error) {
	return a.Store.CancelMail(ctx, id)
}
