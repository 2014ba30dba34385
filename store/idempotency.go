package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// ClaimWrite claims a keyed write for its first request, or returns the
// answer the first got. A key kept past domain.IdempotencyKeptFor is
// free again, and so is one whose first request has run past
// domain.IdempotencyRunsFor without an answer (the process died): its
// repeat runs. The same key for another request is refused (EINVALID), and
// so is a repeat while the first still runs (ECONFLICT).
func (db *DB) ClaimWrite(ctx context.Context, w domain.KeyedWrite) (domain.Claim, error) {
	now := db.Now()
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Claim, error) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND (created_at < ? OR (status = 0 AND created_at < ?))`,
			w.Scope, w.Key, formatTime(now.Add(-domain.IdempotencyKeptFor)), formatTime(now.Add(-domain.IdempotencyRunsFor))); err != nil {
			return domain.Claim{}, err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			w.Scope, w.Key, w.Fingerprint, formatTime(now))
		if err != nil {
			return domain.Claim{}, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return domain.Claim{Run: true}, nil
		}
		var (
			fingerprint string
			a           domain.StoredAnswer
		)
		err = tx.QueryRowContext(ctx, `SELECT fingerprint, status, content_type, COALESCE(body, x'') FROM idempotency_keys WHERE scope = ? AND key = ?`,
			w.Scope, w.Key).Scan(&fingerprint, &a.Status, &a.ContentType, &a.Body)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return domain.Claim{}, errors.New("idempotency key vanished while claimed")
		case err != nil:
			return domain.Claim{}, err
		case fingerprint != w.Fingerprint:
			return domain.Claim{}, match.Invalid("this Idempotency-Key was sent with another request; send a new key for a new request",
				map[string]string{"Idempotency-Key": "used for another request"})
		case a.Status == 0:
			return domain.Claim{}, match.Errorf(match.ECONFLICT, "the first request with this Idempotency-Key is still running; try again in a moment")
		}
		return domain.Claim{Answer: a}, nil
	})
}

// AnswerWrite keeps the answer of a keyed write that ran, for its repeats.
func (db *DB) AnswerWrite(ctx context.Context, w domain.KeyedWrite, a domain.StoredAnswer) error {
	_, err := db.write.ExecContext(ctx, `UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ? AND fingerprint = ?`,
		a.Status, a.ContentType, a.Body, w.Scope, w.Key, w.Fingerprint)
	return err
}

// ReleaseWrite frees a keyed write whose first request failed without an
// answer worth keeping (a fault of the service): a repeat runs again.
func (db *DB) ReleaseWrite(ctx context.Context, w domain.KeyedWrite) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND fingerprint = ? AND status = 0`,
		w.Scope, w.Key, w.Fingerprint)
	return err
}

// PruneKeyedWrites forgets the keys kept longer than
// domain.IdempotencyKeptFor.
func (db *DB) PruneKeyedWrites(ctx context.Context) (int64, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, formatTime(db.Now().Add(-domain.IdempotencyKeptFor)))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
