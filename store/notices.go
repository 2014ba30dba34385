package store

import (
	"context"
	"database/sql"
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
