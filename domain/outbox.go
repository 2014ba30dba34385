package domain

import (
	"context"
	"sync"
	"time"

	"github.com/matchmaker/matchmaker/mail"
)

// An email's states in the outbox.
const (
	MailQueued    = "queued"    // to be sent, now or at NextAttemptAt
	MailSent      = "sent"      // accepted by the mail server
	MailFailed    = "failed"    // gave up after its attempts, or the message itself was refused
	MailCancelled = "cancelled" // the host cancelled it
)

// OutgoingMail is an email to queue: its kind (the template it was made
// from) and the message.
type OutgoingMail struct {
	Kind    string
	Message mail.Message
}

// QueuedMail is an email in the outbox.
type QueuedMail struct {
	ID            int64
	Kind          string
	Message       mail.Message // Message.ID is fixed when queued
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	SentAt        *time.Time
}

// OutboxFilter selects emails in the outbox: by status ("" for all), a
// page of Limit older than the id Before (0 for the newest).
type OutboxFilter struct {
	Status string
	Before int64
	Limit  int
}

// Owed mail rides on a context into the store: the store's write that
// commits first with this context queues the mail in the same transaction,
// so that the change and the email it owes are stored together or not at
// all. (The app cannot open a transaction of its own across the store's
// methods; the context is how it hands the mail to the one that writes.)
type owedKey struct{}

// OwedMail is mail waiting for the write that owes it.
type OwedMail struct {
	mu     sync.Mutex
	mails  []OutgoingMail
	queued bool
}

// OweMail returns a context carrying mails for the next write made with it.
func OweMail(ctx context.Context, mails ...OutgoingMail) context.Context {
	return context.WithValue(ctx, owedKey{}, &OwedMail{mails: mails})
}

// OwedMailOf returns the mail ctx carries that no write has queued yet.
func OwedMailOf(ctx context.Context) []OutgoingMail {
	o, _ := ctx.Value(owedKey{}).(*OwedMail)
	if o == nil {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.queued {
		return nil
	}
	return o.mails
}

// MarkOwedMailQueued records that a committed write queued ctx's mail.
func MarkOwedMailQueued(ctx context.Context) {
	if o, _ := ctx.Value(owedKey{}).(*OwedMail); o != nil {
		o.mu.Lock()
		o.queued = true
		o.mu.Unlock()
	}
}

// WeeklyNotice is a notice kept for its address's weekly summary.
type WeeklyNotice struct {
	ID        int64
	Email     string
	Kind      string
	Line      string // what happened: "Alpha Ledger added the goal …, in your strategic partnership with …"
	Link      string
	CreatedAt time.Time
}
