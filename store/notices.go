package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/matchmaker/matchmaker/domain"
)

// NoticePrefs returns an address's notice modes by kind (only the kinds
// it changed; the others are at once).
func (db *DB) NoticePrefs(ctx context.Context, email string) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT kind, mode FROM notice_prefs WHERE email = ?", email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var kind, mode string
		if err := rows.Scan(&kind, &mode); err != nil {
			return nil, err
		}
		out[kind] = mode
	}
	return out, rows.Err()
}

// SetNoticePrefs records how an address wants notices, kind by kind
// (modes maps a kind to its mode), in one transaction.
func (db *DB) SetNoticePrefs(ctx context.Context, email string, modes map[string]string) error {
	now := formatTime(db.Now())
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for kind, mode := range modes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notice_prefs (email, kind, mode, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (email, kind) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at`, email, kind, mode, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// KeepWeeklyNotice keeps a notice for the address's next weekly summary.
func (db *DB) KeepWeeklyNotice(ctx context.Context, n domain.WeeklyNotice) error {
	_, err := db.exec(ctx, "INSERT INTO weekly_notices (email, kind, line, link, created_at) VALUES (?, ?, ?, ?, ?)",
		n.Email, n.Kind, n.Line, n.Link, formatTime(db.Now()))
	return err
}

// WeeklyNoticesDue returns, by address, the notices waiting for a summary
// at the addresses whose oldest waiting notice is older than before,
// oldest first.
func (db *DB) WeeklyNoticesDue(ctx context.Context, before time.Time) (map[string][]domain.WeeklyNotice, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, email, kind, line, link, created_at FROM weekly_notices
		WHERE summed_at IS NULL AND email IN (
			SELECT email FROM weekly_notices WHERE summed_at IS NULL GROUP BY email HAVING min(created_at) <= ?)
		ORDER BY email, created_at, id`, formatTime(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]domain.WeeklyNotice{}
	for rows.Next() {
		var n domain.WeeklyNotice
		var created string
		if err := rows.Scan(&n.ID, &n.Email, &n.Kind, &n.Line, &n.Link, &created); err != nil {
			return nil, err
		}
		n.CreatedAt, _ = parseTime(created)
		out[n.Email] = append(out[n.Email], n)
	}
	return out, rows.Err()
}

// MarkWeeklyNoticesSummed records that these notices went out in a
// summary (whose mail rides on ctx, see domain.OweMail).
func (db *DB) MarkWeeklyNoticesSummed(ctx context.Context, ids []int64) error {
	now := formatTime(db.Now())
	return db.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE weekly_notices SET summed_at = ? WHERE id = ? AND summed_at IS NULL", now, id); err != nil {
				return err
			}
		}
		return nil
	})
}
