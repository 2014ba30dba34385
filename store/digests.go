package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// maxDigestProblems bounds the problems Digest lists; Counts has them all.
const maxDigestProblems = 200

// Digest returns a quarter's digest. A quarter no run or note has touched
// yet has a digest with no recipients.
func (db *DB) Digest(ctx context.Context, quarter match.Quarter) (domain.Digest, error) {
	return inSnapshot(ctx, db, func(tx *sql.Tx) (domain.Digest, error) {
		var err error
		d := domain.Digest{Quarter: quarter, Counts: map[string]int{}, Skipped: map[string]int{}, Problems: []domain.DigestRecipient{}}
		for _, s := range []string{domain.DigestPending, domain.DigestSending, domain.DigestSent, domain.DigestFailed, domain.DigestUnknown, domain.DigestSkipped} {
			d.Counts[s] = 0
		}
		var started, finished sql.NullString
		err = tx.QueryRowContext(ctx, "SELECT note, started_at, finished_at FROM digests WHERE quarter = ?", string(quarter)).
			Scan(&d.Note, &started, &finished)
		if errors.Is(err, sql.ErrNoRows) {
			return d, nil
		}
		if err != nil {
			return domain.Digest{}, err
		}
		d.StartedAt, d.FinishedAt = parseNullTime(started), parseNullTime(finished)
		rows, err := tx.QueryContext(ctx, `SELECT status, CASE WHEN status = 'skipped' THEN reason ELSE '' END, COUNT(*)
			FROM digest_recipients WHERE quarter = ? GROUP BY 1, 2`, string(quarter))
		if err != nil {
			return domain.Digest{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var status, reason string
			var n int
			if err := rows.Scan(&status, &reason, &n); err != nil {
				return domain.Digest{}, err
			}
			d.Counts[status] += n
			if status == domain.DigestSkipped {
				d.Skipped[reason] += n
			}
		}
		if err := rows.Err(); err != nil {
			return domain.Digest{}, err
		}
		d.Problems, err = queryAll(ctx, tx, scanDigestRecipient, "SELECT "+recipientColumns+
			" FROM digest_recipients WHERE quarter = ? AND status IN ('failed', 'unknown') ORDER BY email LIMIT ?",
			string(quarter), maxDigestProblems)
		return d, err
	})
}

func parseNullTime(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil
	}
	return &t
}

const recipientColumns = "quarter, email, status, reason, matches, attempts, updated_at, sent_at"

func scanDigestRecipient(row rowScanner) (domain.DigestRecipient, error) {
	var (
		r       domain.DigestRecipient
		matches string
		updated string
		sent    sql.NullString
	)
	err := row.Scan(&r.Quarter, &r.Email, &r.Status, &r.Reason, &matches, &r.Attempts, &updated, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.DigestRecipient{}, match.Errorf(match.ENOTFOUND, "no digest for this address in this quarter")
	}
	if err != nil {
		return domain.DigestRecipient{}, err
	}
	if err := json.Unmarshal([]byte(matches), &r.Matches); err != nil {
		return domain.DigestRecipient{}, err
	}
	r.UpdatedAt, _ = parseTime(updated)
	r.SentAt = parseNullTime(sent)
	return r, nil
}

// DigestRecipient returns where one address's digest for the quarter
// stands, or ENOTFOUND if no run planned one.
func (db *DB) DigestRecipient(ctx context.Context, quarter match.Quarter, email string) (domain.DigestRecipient, error) {
	return scanDigestRecipient(db.read.QueryRowContext(ctx, "SELECT "+recipientColumns+
		" FROM digest_recipients WHERE quarter = ? AND email = ?", string(quarter), email))
}

// DigestStatuses returns the status of every recipient of the quarter's
// digest, by address.
func (db *DB) DigestStatuses(ctx context.Context, quarter match.Quarter) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT email, status FROM digest_recipients WHERE quarter = ?", string(quarter))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var email, status string
		if err := rows.Scan(&email, &status); err != nil {
			return nil, err
		}
		out[email] = status
	}
	return out, rows.Err()
}

// SetDigestNote stores the host's note for a quarter's digest.
func (db *DB) SetDigestNote(ctx context.Context, quarter match.Quarter, note string) error {
	now := formatTime(db.Now())
	_, err := db.exec(ctx, `INSERT INTO digests (quarter, note, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (quarter) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at`,
		string(quarter), note, now, now)
	return err
}

// StartDigestRun records, in one transaction, that a run of the quarter's
// digest begins with this plan:
//   - recipients left in sending by a run that died become unknown;
//   - every planned address not sent yet (pending, failed, skipped, and
//     unknown when resendUnknown is set) becomes pending, or skipped with
//     the plan's reason;
//   - addresses of earlier plans missing from this one, and not sent yet,
//     are skipped as SkipNoActivePost.
//
// Sent and unknown recipients stay as they are: nobody gets two digests for
// a quarter. The caller makes sure that one run at a time goes on.
func (db *DB) StartDigestRun(ctx context.Context, quarter match.Quarter, plan []domain.PlannedRecipient, resendUnknown bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(db.Now())
		q := string(quarter)
		if _, err := tx.ExecContext(ctx, `INSERT INTO digests (quarter, created_at, updated_at, started_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (quarter) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, updated_at = excluded.updated_at`,
			q, now, now, now); err != nil {
			return err
		}
		// A digest in the outbox is on its way; one sent before digests
		// went through the outbox, by a run cut short, may have arrived.
		if _, err := tx.ExecContext(ctx, "UPDATE digest_recipients SET status = 'unknown', updated_at = ? WHERE quarter = ? AND status = 'sending' AND outbox_id IS NULL",
			now, q); err != nil {
			return err
		}
		type state struct{ status, reason string }
		existing := map[string]state{}
		rows, err := tx.QueryContext(ctx, "SELECT email, status, reason FROM digest_recipients WHERE quarter = ?", q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var email string
			var s state
			if err := rows.Scan(&email, &s.status, &s.reason); err != nil {
				rows.Close()
				return err
			}
			existing[email] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		open := func(status string) bool {
			return status == domain.DigestPending || status == domain.DigestFailed || status == domain.DigestSkipped ||
				(resendUnknown && status == domain.DigestUnknown)
		}
		// A failed recipient keeps its last error until it is sent, for the host.
		upsert, err := tx.PrepareContext(ctx, `INSERT INTO digest_recipients (quarter, email, status, reason, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (quarter, email) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
			reason = CASE WHEN excluded.status = 'skipped' OR digest_recipients.status <> 'failed' THEN excluded.reason ELSE digest_recipients.reason END`)
		if err != nil {
			return err
		}
		defer upsert.Close()
		planned := make(map[string]bool, len(plan))
		for _, p := range plan {
			planned[p.Email] = true
			old, found := existing[p.Email]
			if found && !open(old.status) {
				continue
			}
			want := state{domain.DigestPending, ""}
			if p.Skip != "" {
				want = state{domain.DigestSkipped, p.Skip}
			}
			if found && old == want {
				continue
			}
			if _, err := upsert.ExecContext(ctx, q, p.Email, want.status, want.reason, now); err != nil {
				return err
			}
		}
		for email, old := range existing {
			if !planned[email] && open(old.status) && old != (state{domain.DigestSkipped, domain.SkipNoActivePost}) {
				if _, err := upsert.ExecContext(ctx, q, email, domain.DigestSkipped, domain.SkipNoActivePost, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ClaimDigest hands a pending recipient's digest, msg, to the outbox: in
// one transaction it records the partners the email shows, queues it and
// moves the recipient to sending, where it follows the email (see
// MailAttempted). An earlier failed email of the recipient's, which a
// host's retry would otherwise send as a second digest, is cancelled. An
// address that unsubscribed since the run began is skipped instead. A
// recipient that is not pending is left as it is. outboxID is the queued
// email's (0 when none was queued), status the recipient's afterwards. It
// returns ENOTFOUND if no run planned the address.
func (db *DB) ClaimDigest(ctx context.Context, quarter match.Quarter, email string, matches []domain.DigestMatch, msg mail.Message) (outboxID int64, status string, err error) {
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var old sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT status, outbox_id FROM digest_recipients WHERE quarter = ? AND email = ?", string(quarter), email).Scan(&status, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return match.Errorf(match.ENOTFOUND, "no digest planned for this address")
		}
		if err != nil || status != domain.DigestPending {
			return err // not pending: nothing to claim, nothing written
		}
		now := formatTime(db.Now())
		unsubscribed, err := isUnsubscribed(ctx, tx, email)
		if err != nil {
			return err
		}
		if unsubscribed {
			status = domain.DigestSkipped
			_, err = tx.ExecContext(ctx, "UPDATE digest_recipients SET status = ?, reason = ?, updated_at = ? WHERE quarter = ? AND email = ?",
				status, domain.SkipUnsubscribed, now, string(quarter), email)
			return err
		}
		if old.Valid {
			if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'failed'", now, old.Int64); err != nil {
				return err
			}
		}
		ids, err := db.queueMail(ctx, tx, []domain.OutgoingMail{{Kind: domain.DigestMailKind, Message: msg}})
		if err != nil {
			return err
		}
		status, outboxID = domain.DigestSending, ids[0]
		list, _ := json.Marshal(nonNilMatches(matches))
		_, err = tx.ExecContext(ctx, `UPDATE digest_recipients SET status = ?, matches = ?, attempts = attempts + 1, outbox_id = ?, updated_at = ?
			WHERE quarter = ? AND email = ?`, status, string(list), outboxID, now, string(quarter), email)
		return err
	})
	if err != nil {
		return 0, "", err
	}
	return outboxID, status, nil
}

func nonNilMatches(m []domain.DigestMatch) []domain.DigestMatch {
	if m == nil {
		return []domain.DigestMatch{}
	}
	return m
}

// SkipDigest skips a pending recipient, for reason.
func (db *DB) SkipDigest(ctx context.Context, quarter match.Quarter, email, reason string) error {
	_, err := db.exec(ctx, "UPDATE digest_recipients SET status = 'skipped', reason = ?, updated_at = ? WHERE quarter = ? AND email = ? AND status = 'pending'",
		reason, formatTime(db.Now()), string(quarter), email)
	return err
}

// FinishDigestRun records that a run ended (whether or not everyone got
// their digest: the recipients say).
func (db *DB) FinishDigestRun(ctx context.Context, quarter match.Quarter) error {
	now := formatTime(db.Now())
	_, err := db.exec(ctx, "UPDATE digests SET finished_at = ?, updated_at = ? WHERE quarter = ?", now, now, string(quarter))
	return err
}

// DigestExclusions reads what makes partners not new, for the digest of
// quarter: for one address, or for everyone when email is "".
func (db *DB) DigestExclusions(ctx context.Context, quarter match.Quarter, email string) (domain.DigestExclusions, error) {
	return inSnapshot(ctx, db, func(tx *sql.Tx) (domain.DigestExclusions, error) {
		var err error
		ex := domain.DigestExclusions{Answered: map[[2]int64]bool{}, Shown: map[string]map[int64]bool{}, Unsubscribed: map[string]bool{}}
		if ex.Pairs, err = db.excludedPairs(ctx, tx); err != nil {
			return domain.DigestExclusions{}, err
		}
		answered, args := "SELECT post_id, partner_id FROM post_interests", []any{}
		shown, shownArgs := "SELECT email, matches FROM digest_recipients WHERE quarter <> ? AND status IN ('sent', 'unknown', 'sending')", []any{string(quarter)}
		unsub, unsubArgs := "SELECT email FROM digest_unsubscribes", []any{}
		if email != "" {
			answered, args = answered+" WHERE post_id IN (SELECT id FROM posts WHERE email = ?)", []any{email}
			shown, shownArgs = shown+" AND email = ?", append(shownArgs, email)
			unsub, unsubArgs = unsub+" WHERE email = ?", []any{email}
		}
		rows, err := tx.QueryContext(ctx, answered, args...)
		if err != nil {
			return domain.DigestExclusions{}, err
		}
		for rows.Next() {
			var p [2]int64
			if err := rows.Scan(&p[0], &p[1]); err != nil {
				rows.Close()
				return domain.DigestExclusions{}, err
			}
			ex.Answered[p] = true
		}
		rows.Close()
		if rows, err = tx.QueryContext(ctx, shown, shownArgs...); err != nil {
			return domain.DigestExclusions{}, err
		}
		for rows.Next() {
			var address, list string
			var ms []domain.DigestMatch
			if err := rows.Scan(&address, &list); err != nil {
				rows.Close()
				return domain.DigestExclusions{}, err
			}
			if err := json.Unmarshal([]byte(list), &ms); err != nil {
				rows.Close()
				return domain.DigestExclusions{}, err
			}
			if ex.Shown[address] == nil {
				ex.Shown[address] = map[int64]bool{}
			}
			for _, m := range ms {
				ex.Shown[address][m.Partner] = true
			}
		}
		rows.Close()
		if rows, err = tx.QueryContext(ctx, unsub, unsubArgs...); err != nil {
			return domain.DigestExclusions{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var address string
			if err := rows.Scan(&address); err != nil {
				return domain.DigestExclusions{}, err
			}
			ex.Unsubscribed[address] = true
		}
		return ex, rows.Err()
	})
}

// DigestPosts returns, by address, every post of each address that has an
// active post in the quarter (any status, any quarter: the digest lists
// them all), newest first.
func (db *DB) DigestPosts(ctx context.Context, quarter match.Quarter) (map[string][]match.Post, error) {
	posts, err := queryPosts(ctx, db.read, "SELECT "+postColumns+` FROM posts WHERE email IN
		(SELECT email FROM posts WHERE quarter = ? AND status = 'active') ORDER BY id DESC`, string(quarter))
	if err != nil {
		return nil, err
	}
	out := map[string][]match.Post{}
	for _, p := range posts {
		out[p.Email] = append(out[p.Email], p)
	}
	return out, nil
}

// Unsubscribe stops digests to the address; unsubscribing twice is no error.
func (db *DB) Unsubscribe(ctx context.Context, email string) error {
	_, err := db.exec(ctx, "INSERT OR IGNORE INTO digest_unsubscribes (email, created_at) VALUES (?, ?)",
		email, formatTime(db.Now()))
	return err
}

// Resubscribe undoes Unsubscribe.
func (db *DB) Resubscribe(ctx context.Context, email string) error {
	_, err := db.exec(ctx, "DELETE FROM digest_unsubscribes WHERE email = ?", email)
	return err
}

// IsUnsubscribed reports whether the address asked for no more digests.
func (db *DB) IsUnsubscribed(ctx context.Context, email string) (bool, error) {
	return isUnsubscribed(ctx, db.read, email)
}

func isUnsubscribed(ctx context.Context, q querier, email string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM digest_unsubscribes WHERE email = ?", email).Scan(&n)
	return n > 0, err
}
