package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

const outboxColumns = "id, kind, message, message_id, status, attempts, last_error, next_attempt_at, created_at, updated_at, coalesce(sent_at, '')"

func scanQueuedMail(row rowScanner) (domain.QueuedMail, error) {
	var (
		m                            domain.QueuedMail
		message, id                  string
		next, created, updated, sent string
	)
	err := row.Scan(&m.ID, &m.Kind, &message, &id, &m.Status, &m.Attempts, &m.LastError, &next, &created, &updated, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return m, match.Errorf(match.ENOTFOUND, "no such email in the outbox")
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal([]byte(message), &m.Message); err != nil {
		return m, fmt.Errorf("outbox email %d: %w", m.ID, err)
	}
	m.Message.ID = id
	m.NextAttemptAt, _ = parseTime(next)
	m.CreatedAt, _ = parseTime(created)
	m.UpdatedAt, _ = parseTime(updated)
	if sent != "" {
		t, _ := parseTime(sent)
		m.SentAt = &t
	}
	return m, nil
}

// queueMail writes mails to the outbox in tx, due at once.
func (db *DB) queueMail(ctx context.Context, tx *sql.Tx, mails []domain.OutgoingMail) error {
	now := formatTime(db.Now())
	for _, m := range mails {
		msg := m.Message
		if msg.ID == "" {
			msg.ID = mail.NewID()
		}
		id := msg.ID
		msg.ID = "" // kept in its own column
		body, err := json.Marshal(msg)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, recipient, subject, message, message_id, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.Kind, msg.To, msg.Subject, string(body), id, now, now, now); err != nil {
			return fmt.Errorf("queue email: %w", err)
		}
	}
	return nil
}

// QueueMail writes mails to the outbox, due at once, in one transaction.
func (db *DB) QueueMail(ctx context.Context, mails ...domain.OutgoingMail) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.queueMail(ctx, tx, mails) })
}

// DueMail returns up to limit queued emails due by now, oldest first: the
// ones never tried, and those whose next attempt has come; every queued
// one when now is zero (at start, when a restart is reason enough to try
// again).
func (db *DB) DueMail(ctx context.Context, now time.Time, limit int) ([]domain.QueuedMail, error) {
	due := "9999"
	if !now.IsZero() {
		due = formatTime(now)
	}
	return queryAll(ctx, db.read, scanQueuedMail, "SELECT "+outboxColumns+` FROM outbox
		WHERE status = 'queued' AND (attempts = 0 OR next_attempt_at <= ?) ORDER BY next_attempt_at, id LIMIT ?`, due, limit)
}

// MailAttempted records one attempt to send a queued email: sent, or not
// with why, and when to try again (nil: never, it failed for good). An
// email no longer queued (cancelled meanwhile) keeps its status.
func (db *DB) MailAttempted(ctx context.Context, id int64, sendErr error, retryAt *time.Time) error {
	now := formatTime(db.Now())
	var err error
	switch {
	case sendErr == nil:
		// A sent email's body is dropped: it may carry a link's token in
		// plain text (sign-in, confirmation, an introduction's answer),
		// which the database otherwise keeps only hashed. What the host's
		// list shows stays.
		_, err = db.exec(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = '', sent_at = ?, updated_at = ?,
			message = json_object('To', recipient, 'Subject', subject) WHERE id = ? AND status = 'queued'`, now, now, id)
	case retryAt != nil:
		_, err = db.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ?
			WHERE id = ? AND status = 'queued'`, sendErr.Error(), formatTime(*retryAt), now, id)
	default:
		_, err = db.exec(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ?
			WHERE id = ? AND status = 'queued'`, sendErr.Error(), now, id)
	}
	return err
}

// Outbox lists emails in the outbox, newest first.
func (db *DB) Outbox(ctx context.Context, f domain.OutboxFilter) ([]domain.QueuedMail, error) {
	q := "SELECT " + outboxColumns + " FROM outbox WHERE 1 = 1"
	var args []any
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, f.Status)
	}
	if f.Before > 0 {
		q += " AND id < ?"
		args = append(args, f.Before)
	}
	q += " ORDER BY id DESC LIMIT ?"
	args = append(args, f.Limit)
	return queryAll(ctx, db.read, scanQueuedMail, q, args...)
}

// OutboxCount counts the outbox's emails in one status, by its index
// alone: the metrics ask at every scrape, and sent emails pile up.
func (db *DB) OutboxCount(ctx context.Context, status string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE status = ?", status).Scan(&n)
	return n, err
}

// OutboxCounts counts the outbox's emails by status.
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT status, count(*) FROM outbox GROUP BY status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{domain.MailQueued: 0, domain.MailSent: 0, domain.MailFailed: 0, domain.MailCancelled: 0}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	return out, rows.Err()
}

// RetryMail queues a failed or cancelled email again, due at once, with
// the schedule of attempts started afresh (attempts count from the last
// retry). It returns ECONFLICT for one that is queued or sent.
func (db *DB) RetryMail(ctx context.Context, id int64) (domain.QueuedMail, error) {
	return db.moveMail(ctx, id, domain.MailQueued, "is already queued or was sent", domain.MailFailed, domain.MailCancelled)
}

// CancelMail gives up a queued or failed email. It returns ECONFLICT for
// one that was sent or cancelled.
func (db *DB) CancelMail(ctx context.Context, id int64) (domain.QueuedMail, error) {
	return db.moveMail(ctx, id, domain.MailCancelled, "was sent or cancelled already", domain.MailQueued, domain.MailFailed)
}

// moveMail puts an email in status to, from one of the statuses from.
func (db *DB) moveMail(ctx context.Context, id int64, to, conflict string, from ...string) (domain.QueuedMail, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.QueuedMail, error) {
		m, err := scanQueuedMail(tx.QueryRowContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
		if err != nil {
			return m, err
		}
		if !slices.Contains(from, m.Status) {
			return m, match.Errorf(match.ECONFLICT, "this email %s", conflict)
		}
		now := formatTime(db.Now())
		attempts := m.Attempts
		if to == domain.MailQueued {
			attempts = 0
		}
		if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?", to, attempts, now, now, id); err != nil {
			return m, err
		}
		return scanQueuedMail(tx.QueryRowContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
	})
}
