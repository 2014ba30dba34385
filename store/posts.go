package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const postColumns = `id, business, email, website, offer, seek, customers, industry, region,
	tags, lane, quarter, external_id, status, created_at, updated_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanPost(row rowScanner) (match.Post, error) {
	var (
		p                    match.Post
		tags                 string
		externalID           sql.NullString
		created, updated     string
		lane, quarter, state string
	)
	err := row.Scan(&p.ID, &p.Business, &p.Email, &p.Website, &p.Offer, &p.Seek, &p.Customers,
		&p.Industry, &p.Region, &tags, &lane, &quarter, &externalID, &state, &created, &updated)
	if err != nil {
		return match.Post{}, err
	}
	p.Lane, p.Quarter, p.Status, p.ExternalID = match.Lane(lane), match.Quarter(quarter), match.Status(state), externalID.String
	if err := json.Unmarshal([]byte(tags), &p.Tags); err != nil {
		return match.Post{}, fmt.Errorf("post %d tags: %w", p.ID, err)
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return match.Post{}, err
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return match.Post{}, err
	}
	return p, nil
}

// postArgs returns the column values of p after id, in postColumns order.
func postArgs(p match.Post) []any {
	tags := p.Tags
	if tags == nil {
		tags = []string{}
	}
	tagsJSON, _ := json.Marshal(tags) // a []string always marshals
	var externalID any
	if p.ExternalID != "" {
		externalID = p.ExternalID
	}
	return []any{p.Business, p.Email, p.Website, p.Offer, p.Seek, p.Customers, p.Industry, p.Region,
		FoldKey(p.Industry), FoldKey(p.Region), string(tagsJSON), string(p.Lane), string(p.Quarter), externalID, string(p.Status),
		formatTime(p.CreatedAt), formatTime(p.UpdatedAt)}
}

const insertPostSQL = `INSERT INTO posts (business, email, website, offer, seek, customers, industry, region,
	industry_key, region_key, tags, lane, quarter, external_id, status, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const updatePostSQL = `UPDATE posts SET business = ?, email = ?, website = ?, offer = ?, seek = ?,
	customers = ?, industry = ?, region = ?, industry_key = ?, region_key = ?, tags = ?, lane = ?,
	quarter = ?, external_id = ?, status = ?, created_at = ?, updated_at = ? WHERE id = ?`

// FoldKey is the form in which industry and region are compared: the
// search index folds them the same way.
func FoldKey(s string) string { return strings.ToLower(s) }

func conflictExternalID(err error, p match.Post) error {
	return translate(err, fmt.Sprintf("another post already has external_id %q", p.ExternalID))
}

// CreatePost stores a new post, stamping its creation time, and returns it
// with its ID. It returns an ECONFLICT error if another post has the same
// external ID.
func (db *DB) CreatePost(ctx context.Context, p match.Post) (match.Post, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (match.Post, error) {
		var err error
		p.CreatedAt = db.Now()
		p.UpdatedAt = p.CreatedAt
		if p.ID, err = insertPost(ctx, tx, p); err != nil {
			return match.Post{}, err
		}
		return p, nil
	})
}

func insertPost(ctx context.Context, tx *sql.Tx, p match.Post) (int64, error) {
	res, err := tx.ExecContext(ctx, insertPostSQL, postArgs(p)...)
	if err != nil {
		return 0, conflictExternalID(err, p)
	}
	return res.LastInsertId()
}

func updatePost(ctx context.Context, tx *sql.Tx, p match.Post) error {
	_, err := tx.ExecContext(ctx, updatePostSQL, append(postArgs(p), p.ID)...)
	return conflictExternalID(err, p)
}

// Post returns the post with the given ID, or an ENOTFOUND error.
func (db *DB) Post(ctx context.Context, id int64) (match.Post, error) {
	return postByID(ctx, db.read, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func postByID(ctx context.Context, q querier, id int64) (match.Post, error) {
	p, err := scanPost(q.QueryRowContext(ctx, "SELECT "+postColumns+" FROM posts WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return match.Post{}, match.Errorf(match.ENOTFOUND, "post %d not found", id)
	}
	return p, err
}

// UpdatePost applies a partial update to a post and returns the result. The
// patch must already be validated. It returns ENOTFOUND if the post does not
// exist and ECONFLICT if the new external ID belongs to another post.
func (db *DB) UpdatePost(ctx context.Context, id int64, patch match.PostPatch) (match.Post, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (match.Post, error) {
		p, err := postByID(ctx, tx, id)
		if err != nil {
			return match.Post{}, err
		}
		patch.Apply(&p)
		p.UpdatedAt = db.Now()
		if err := updatePost(ctx, tx, p); err != nil {
			return match.Post{}, err
		}
		return p, nil
	})
}

// DeletePost deletes a post for good. It returns ENOTFOUND if there is none.
func (db *DB) DeletePost(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM posts WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return match.Errorf(match.ENOTFOUND, "post %d not found", id)
		}
		return nil
	})
}

// ListPosts returns the posts that pass the filter, newest first.
func (db *DB) ListPosts(ctx context.Context, f domain.PostFilter) ([]match.Post, error) {
	var (
		where []string
		args  []any
	)
	if len(f.Statuses) > 0 {
		where = append(where, "status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	switch f.Lane {
	case "":
	case match.LaneEither:
		where = append(where, "lane = 'either'")
	default:
		where = append(where, "lane IN (?, 'either')")
		args = append(args, string(f.Lane))
	}
	if f.Quarter != "" {
		where = append(where, "quarter = ?")
		args = append(args, string(f.Quarter))
	}
	if f.Industry != "" {
		where = append(where, "industry_key = ?")
		args = append(args, FoldKey(f.Industry))
	}
	if f.Region != "" {
		where = append(where, "region_key = ?")
		args = append(args, FoldKey(f.Region))
	}
	if f.BeforeID > 0 {
		where = append(where, "id < ?")
		args = append(args, f.BeforeID)
	}
	query := "SELECT " + postColumns + " FROM posts"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT ?"
	args = append(args, max(f.Limit, 1))
	return queryPosts(ctx, db.read.DB, query, args...) // built per filter: unprepared (see reader)
}

func queryPosts(ctx context.Context, q querier, query string, args ...any) ([]match.Post, error) {
	return queryAll(ctx, q, scanPost, query, args...)
}

// PostsByID returns the posts with the given IDs that exist, by ID.
func (db *DB) PostsByID(ctx context.Context, ids []int64) (map[int64]match.Post, error) {
	return postsByID(ctx, db.read.DB, ids)
}

func postsByID(ctx context.Context, q querier, ids []int64) (map[int64]match.Post, error) {
	return byIDs(ctx, q, ids, "SELECT "+postColumns+" FROM posts WHERE id IN ", scanPost,
		func(p match.Post) int64 { return p.ID })
}

// byIDs runs query, which ends in "IN ", on the given IDs, and returns the
// rows found by ID. SQLite limits bound parameters: 500 a query stays far
// below it. Pass the read pool itself (db.read.DB), as for any query built
// per call (see reader).
func byIDs[T any](ctx context.Context, q querier, ids []int64, query string, scan func(rowScanner) (T, error), id func(T) int64) (map[int64]T, error) {
	out := make(map[int64]T, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := queryAll(ctx, q, scan, query+"(?"+strings.Repeat(", ?", len(chunk)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[id(r)] = r
		}
	}
	return out, nil
}
