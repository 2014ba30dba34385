package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Draft statuses.
const (
	DraftOpen      = "draft"
	DraftPublished = "published"
	DraftDiscarded = "discarded"
)

// Draft is a post waiting for the host's review.
type Draft struct {
	ID        int64
	Status    string
	Name      string
	Business  string
	Email     string
	Website   string
	Offer     string
	Seek      string
	Customers string
	Source    string
	Problems  []string
	PostID    int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

const draftColumns = "id, status, name, business, email, website, offer, seek, customers, source, problems, COALESCE(post_id, 0), created_at, updated_at"

func scanDraft(row rowScanner) (Draft, error) {
	var (
		d                          Draft
		problems, created, updated string
	)
	err := row.Scan(&d.ID, &d.Status, &d.Name, &d.Business, &d.Email, &d.Website, &d.Offer, &d.Seek, &d.Customers,
		&d.Source, &problems, &d.PostID, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, match.Errorf(match.ENOTFOUND, "draft not found")
	}
	if err != nil {
		return Draft{}, err
	}
	if err := json.Unmarshal([]byte(problems), &d.Problems); err != nil {
		return Draft{}, err
	}
	d.CreatedAt, _ = parseTime(created)
	d.UpdatedAt, _ = parseTime(updated)
	return d, nil
}

// CreateDrafts stores drafts in one transaction and returns them with IDs.
func (db *DB) CreateDrafts(ctx context.Context, drafts []Draft) ([]Draft, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := formatTime(db.Now())
	out := make([]Draft, 0, len(drafts))
	for _, d := range drafts {
		problems, _ := json.Marshal(nonNil(d.Problems))
		res, err := tx.ExecContext(ctx, `INSERT INTO drafts (status, name, business, email, website, offer, seek, customers, source, problems, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, DraftOpen, d.Name, d.Business, d.Email, d.Website, d.Offer, d.Seek, d.Customers,
			d.Source, string(problems), now, now)
		if err != nil {
			return nil, err
		}
		id, _ := res.LastInsertId()
		stored, err := scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", id))
		if err != nil {
			return nil, err
		}
		out = append(out, stored)
	}
	return out, tx.Commit()
}

// Draft returns a draft, or ENOTFOUND.
func (db *DB) Draft(ctx context.Context, id int64) (Draft, error) {
	return scanDraft(db.read.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", id))
}

// Drafts lists drafts, oldest first; status filters when set.
func (db *DB) Drafts(ctx context.Context, status string) ([]Draft, error) {
	query, args := "SELECT "+draftColumns+" FROM drafts ORDER BY id", []any{}
	if status != "" {
		query, args = "SELECT "+draftColumns+" FROM drafts WHERE status = ? ORDER BY id", []any{status}
	}
	return queryAll(ctx, db.read, scanDraft, query, args...)
}

// SaveDraft stores a draft's fields and status as given. It returns
// ENOTFOUND, or ECONFLICT for a draft already published or discarded.
func (db *DB) SaveDraft(ctx context.Context, d Draft) (Draft, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Draft{}, err
	}
	defer tx.Rollback()
	old, err := scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", d.ID))
	if err != nil {
		return Draft{}, err
	}
	if old.Status != DraftOpen {
		return Draft{}, match.Errorf(match.ECONFLICT, "this draft is %s already", old.Status)
	}
	problems, _ := json.Marshal(nonNil(d.Problems))
	var postID any
	if d.PostID != 0 {
		postID = d.PostID
	}
	if _, err := tx.ExecContext(ctx, `UPDATE drafts SET status = ?, name = ?, business = ?, email = ?, website = ?, offer = ?, seek = ?,
		customers = ?, problems = ?, post_id = ?, updated_at = ? WHERE id = ?`, d.Status, d.Name, d.Business, d.Email, d.Website, d.Offer,
		d.Seek, d.Customers, string(problems), postID, formatTime(db.Now()), d.ID); err != nil {
		return Draft{}, err
	}
	d, err = scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+" FROM drafts WHERE id = ?", d.ID))
	if err != nil {
		return Draft{}, err
	}
	return d, tx.Commit()
}
