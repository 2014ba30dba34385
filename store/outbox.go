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

// queueMail writes mails to the outbox in tx, due at once, and returns
// their ids.
func (db *DB) queueMail(ctx context.Context, tx *sql.Tx, mails []domain.OutgoingMail) ([]int64, error) {
	now := formatTime(db.Now())
	ids := make([]int64, 0, len(mails))
	for _, m := range mails {
		msg := m.Message
		if msg.ID == "" {
			msg.ID = mail.NewID()
		}
		id := msg.ID
		msg.ID = "" // kept in its own column
		body, err := json.Marshal(msg)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox (kind, recipient, subject, message, message_id, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.Kind, msg.To, msg.Subject, string(body), id, now, now, now)
		if err != nil {
			return nil, fmt.Errorf("queue email: %w", err)
		}
		n, _ := res.LastInsertId()
		ids = append(ids, n)
	}
	return ids, nil
}

// QueueMail writes mails to the outbox, due at once, in one transaction.
func (db *DB) QueueMail(ctx context.Context, mails ...domain.OutgoingMail) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := db.queueMail(ctx, tx, mails)
		return err
	})
}

// MailByIDs returns the outbox's emails with these ids, by id.
func (db *DB) MailByIDs(ctx context.Context, ids []int64) (map[int64]domain.QueuedMail, error) {
	return byIDs(ctx, db.read.DB, ids, "SELECT "+outboxColumns+" FROM outbox WHERE id IN ", scanQueuedMail,
		func(m domain.QueuedMail) int64 { return m.ID })
}

// DueMail returns up to limit queued emails due by now, oldest first and
// digests after every other kind: the ones never tried, and those whose next attempt has come; every queued
// one when now is zero (at start, when a restart is reason enough to try
// again).
func (db *DB) DueMail(ctx context.Context, now time.Time, limit int) ([]domain.QueuedMail, error) {
	due := "9999"
	if !now.IsZero() {
		due = formatTime(now)
	}
	// Digests last: a quarter's thousand of them, paced, must not hold up
	// a sign-in link queued after them.
	return queryAll(ctx, db.read, scanQueuedMail, "SELECT "+outboxColumns+` FROM outbox
		WHERE status = 'queued' AND (attempts = 0 OR next_attempt_at <= ?) ORDER BY kind = 'digest', next_attempt_at, id LIMIT ?`, due, limit)
}

// MailAttempted records one attempt to send a queued email: sent, or not
// with why, and when to try again (nil: never, it failed for good). An
// email no longer queued (cancelled meanwhile) keeps its status. A
// digest's recipient follows its email in the same transaction.
func (db *DB) MailAttempted(ctx context.Context, id int64, sendErr error, retryAt *time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(db.Now())
		var (
			res sql.Result
			err error
		)
		switch {
		case sendErr == nil:
			// A sent email's body is dropped: it may carry a link's token in
			// plain text (sign-in, confirmation, an introduction's answer),
			// which the database otherwise keeps only hashed. What the host's
			// list shows stays.
			res, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = '', sent_at = ?, updated_at = ?,
				message = json_object('To', recipient, 'Subject', subject) WHERE id = ? AND status = 'queued'`, now, now, id)
		case retryAt != nil:
			res, err = tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ?
				WHERE id = ? AND status = 'queued'`, sendErr.Error(), formatTime(*retryAt), now, id)
		default:
			res, err = tx.ExecContext(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ?
				WHERE id = ? AND status = 'queued'`, sendErr.Error(), now, id)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return followDigest(ctx, tx, id, now)
	})
}

// followDigest brings the digest recipient whose email is outbox id (if
// any) in line with the email, inside tx: sent, failed with its last
// error, or still on its way (sending, with the last error to show).
func followDigest(ctx context.Context, tx *sql.Tx, id int64, now string) error {
	var status, lastError string
	if err := tx.QueryRowContext(ctx, "SELECT status, last_error FROM outbox WHERE id = ?", id).Scan(&status, &lastError); err != nil {
		return err
	}
	var err error
	switch status {
	case domain.MailSent:
		_, err = tx.ExecContext(ctx, "UPDATE digest_recipients SET status = 'sent', reason = '', sent_at = ?, updated_at = ? WHERE outbox_id = ?", now, now, id)
	case domain.MailQueued:
		_, err = tx.ExecContext(ctx, "UPDATE digest_recipients SET status = 'sending', reason = ?, updated_at = ? WHERE outbox_id = ?", lastError, now, id)
	default: // failed, or cancelled by the host: a later run tries again
		if status == domain.MailCancelled {
			lastError = "cancelled by the host"
		}
		_, err = tx.ExecContext(ctx, "UPDATE digest_recipients SET status = 'failed', reason = ?, updated_at = ? WHERE outbox_id = ?", lastError, now, id)
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
		if err := followDigest(ctx, tx, id, now); err != nil {
			return m, err
		}
		return scanQueuedMail(tx.QueryRowContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
	})
}
