package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake/thread"
	"github.com/matchmaker/matchmaker/match"
)

const draftColumns = `id, COALESCE(intake_id, 0), status, name, business, email, website, offer, seek, customers, lane, area,
	source, problems, origins, uncertainty, COALESCE(post_id, 0), created_at, updated_at`

func scanDraft(row rowScanner) (domain.Draft, error) {
	var (
		d                                   domain.Draft
		problems, origins, created, updated string
	)
	err := row.Scan(&d.ID, &d.IntakeID, &d.Status, &d.Name, &d.Business, &d.Email, &d.Website, &d.Offer, &d.Seek, &d.Customers,
		&d.Lane, &d.Area, &d.Source, &problems, &origins, &d.Uncertainty, &d.PostID, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Draft{}, match.Errorf(match.ENOTFOUND, "draft not found")
	}
	if err != nil {
		return domain.Draft{}, err
	}
	if err := json.Unmarshal([]byte(problems), &d.Problems); err != nil {
		return domain.Draft{}, err
	}
	if err := json.Unmarshal([]byte(origins), &d.Origins); err != nil {
		return domain.Draft{}, err
	}
	d.CreatedAt, _ = parseTime(created)
	d.UpdatedAt, _ = parseTime(updated)
	return d, nil
}

// insertDraft adds an open draft within tx and returns it as stored.
func insertDraft(ctx context.Context, tx *sql.Tx, d domain.Draft, now string) (domain.Draft, error) {
	problems, _ := json.Marshal(nonNil(d.Problems))
	origins, _ := json.Marshal(nonNilOrigins(d.Origins))
	if d.Lane == "" {
		d.Lane = thread.LaneEither
	}
	var intake any
	if d.IntakeID != 0 {
		intake = d.IntakeID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO drafts (intake_id, status, name, business, email, website, offer, seek, customers,
		lane, area, source, problems, origins, uncertainty, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, intake, domain.DraftOpen, d.Name, d.Business, d.Email, d.Website,
		d.Offer, d.Seek, d.Customers, d.Lane, d.Area, d.Source, string(problems), string(origins), d.Uncertainty, now, now)
	if err != nil {
		return domain.Draft{}, err
	}
	// The row is what was written: no need to read it back (a paste of
	// 500 drafts would read 500 rows).
	d.ID, _ = res.LastInsertId()
	d.Status, d.PostID = domain.DraftOpen, 0
	d.Problems, d.Origins = nonNil(d.Problems), nonNilOrigins(d.Origins)
	d.CreatedAt, _ = parseTime(now)
	d.UpdatedAt = d.CreatedAt
	return d, nil
}

func nonNilOrigins(m map[string]thread.Origin) map[string]thread.Origin {
	if m == nil {
		return map[string]thread.Origin{}
	}
	return m
}

// Draft returns a draft, or ENOTFOUND.
func (db *DB) Draft(ctx context.Context, id int64) (domain.Draft, error) {
	return scanDraft(db.read.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", id))
}

// Drafts lists drafts as f says.
func (db *DB) Drafts(ctx context.Context, f domain.DraftFilter) ([]domain.Draft, error) {
	query, args := "SELECT "+draftColumns+" FROM drafts WHERE 1 = 1", []any{}
	if f.Status != "" {
		query, args = query+" AND status = ?", append(args, f.Status)
	}
	if f.IntakeID != 0 {
		query, args = query+" AND intake_id = ?", append(args, f.IntakeID)
	}
	if f.Oldest {
		query += " ORDER BY id"
	} else {
		query += " ORDER BY status = 'draft' DESC, uncertainty DESC, id"
	}
	return queryAll(ctx, db.read, scanDraft, query, args...)
}

// SaveDraft stores a draft's fields and status as given. It returns
// ENOTFOUND, or ECONFLICT for a draft already published or discarded.
func (db *DB) SaveDraft(ctx context.Context, d domain.Draft) (domain.Draft, error) {
	var out domain.Draft
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", d.ID))
		if err != nil {
			return err
		}
		if old.Status != domain.DraftOpen {
			return match.Errorf(match.ECONFLICT, "this draft is %s already", old.Status)
		}
		problems, _ := json.Marshal(nonNil(d.Problems))
		origins, _ := json.Marshal(nonNilOrigins(d.Origins))
		var postID any
		if d.PostID != 0 {
			postID = d.PostID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE drafts SET status = ?, name = ?, business = ?, email = ?, website = ?, offer = ?, seek = ?,
			customers = ?, lane = ?, area = ?, problems = ?, origins = ?, uncertainty = ?, post_id = ?, updated_at = ? WHERE id = ?`,
			d.Status, d.Name, d.Business, d.Email, d.Website, d.Offer, d.Seek, d.Customers, d.Lane, d.Area, string(problems),
			string(origins), d.Uncertainty, postID, formatTime(db.Now()), d.ID); err != nil {
			return err
		}
		out, err = scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", d.ID))
		return err
	})
	return out, err
}
