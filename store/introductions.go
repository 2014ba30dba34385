package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Introduction statuses and answers.
const (
	IntroPending  = "pending"
	IntroAccepted = "accepted"
	IntroDeclined = "declined"
	IntroExpired  = "expired"
)

// Introduction is a double opt-in between two posts' owners.
type Introduction struct {
	ID           int64
	SuggestionID int64
	PostA, PostB int64
	AnswerA      string // "", accepted or declined
	AnswerB      string
	Status       string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UpdatedAt    time.Time
}

// Side returns "a" or "b" for the post, "" if it is in neither side.
func (in Introduction) Side(postID int64) string {
	switch postID {
	case in.PostA:
		return "a"
	case in.PostB:
		return "b"
	}
	return ""
}

const introColumns = "id, suggestion_id, post_a, post_b, COALESCE(answer_a, ''), COALESCE(answer_b, ''), status, created_at, expires_at, updated_at"

func scanIntroduction(row rowScanner) (Introduction, error) {
	var (
		in                        Introduction
		created, expires, updated string
	)
	err := row.Scan(&in.ID, &in.SuggestionID, &in.PostA, &in.PostB, &in.AnswerA, &in.AnswerB, &in.Status, &created, &expires, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Introduction{}, match.Errorf(match.ENOTFOUND, "introduction not found")
	}
	if err != nil {
		return Introduction{}, err
	}
	in.CreatedAt, _ = parseTime(created)
	in.ExpiresAt, _ = parseTime(expires)
	in.UpdatedAt, _ = parseTime(updated)
	return in, nil
}

// Introduce turns an approved suggestion into an introduction, with one
// answer link per side stored by its token's hash, in one transaction. It
// returns ENOTFOUND for an unknown suggestion and ECONFLICT for one not
// approved (or introduced already).
func (db *DB) Introduce(ctx context.Context, quarter match.Quarter, suggestionID int64, linkA, linkB string, expires time.Time) (Introduction, Suggestion, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Introduction{}, Suggestion{}, err
	}
	defer tx.Rollback()
	s, err := suggestionByID(ctx, tx, quarter, suggestionID)
	if err != nil {
		return Introduction{}, Suggestion{}, err
	}
	if s.Status != SuggestionApproved {
		return Introduction{}, Suggestion{}, match.Errorf(match.ECONFLICT, "only an approved suggestion can be introduced; this one is %s", s.Status)
	}
	now := db.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO introductions (suggestion_id, post_a, post_b, status, created_at, expires_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, s.ID, s.PostA, s.PostB, IntroPending, formatTime(now), formatTime(expires), formatTime(now))
	if err != nil {
		return Introduction{}, Suggestion{}, err
	}
	id, _ := res.LastInsertId()
	for side, hash := range map[string]string{"a": linkA, "b": linkB} {
		if _, err := tx.ExecContext(ctx, "INSERT INTO introduction_links (token_hash, introduction_id, side) VALUES (?, ?, ?)", hash, id, side); err != nil {
			return Introduction{}, Suggestion{}, err
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE suggestions SET status = ?, updated_at = ? WHERE id = ?", SuggestionIntroduced, formatTime(now), s.ID); err != nil {
		return Introduction{}, Suggestion{}, err
	}
	in, err := scanIntroduction(tx.QueryRowContext(ctx, "SELECT "+introColumns+" FROM introductions WHERE id = ?", id))
	if err != nil {
		return Introduction{}, Suggestion{}, err
	}
	return in, s, tx.Commit()
}

// IntroductionByLink returns the introduction and side of an unused answer
// link, or ENOTFOUND.
func (db *DB) IntroductionByLink(ctx context.Context, linkHash string) (Introduction, string, error) {
	var (
		id   int64
		side string
	)
	err := db.read.QueryRowContext(ctx, "SELECT introduction_id, side FROM introduction_links WHERE token_hash = ? AND used_at IS NULL", linkHash).Scan(&id, &side)
	if errors.Is(err, sql.ErrNoRows) {
		return Introduction{}, "", match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")
	}
	if err != nil {
		return Introduction{}, "", err
	}
	in, err := db.Introduction(ctx, id)
	return in, side, err
}

// Introduction returns an introduction by ID, or ENOTFOUND.
func (db *DB) Introduction(ctx context.Context, id int64) (Introduction, error) {
	return scanIntroduction(db.read.QueryRowContext(ctx, "SELECT "+introColumns+" FROM introductions WHERE id = ?", id))
}

// Answer records one side's answer, spending that side's link, in one
// transaction, and settles the status: declined as soon as a side declines,
// accepted once both accept. It returns ECONFLICT when the side answered
// already or the introduction is no longer pending (expired included).
func (db *DB) Answer(ctx context.Context, introductionID int64, side string, accept bool) (Introduction, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Introduction{}, err
	}
	defer tx.Rollback()
	in, err := scanIntroduction(tx.QueryRowContext(ctx, "SELECT "+introColumns+" FROM introductions WHERE id = ?", introductionID))
	if err != nil {
		return Introduction{}, err
	}
	now := db.Now()
	if in.Status == IntroPending && !now.Before(in.ExpiresAt) {
		in.Status = IntroExpired
	}
	answer := &in.AnswerA
	if side == "b" {
		answer = &in.AnswerB
	}
	switch {
	case in.Status != IntroPending:
		return Introduction{}, match.Errorf(match.ECONFLICT, "this introduction is %s already", in.Status)
	case *answer != "":
		return Introduction{}, match.Errorf(match.ECONFLICT, "you answered already (%s)", *answer)
	}
	*answer = IntroDeclined
	if accept {
		*answer = IntroAccepted
	}
	switch {
	case in.AnswerA == IntroDeclined || in.AnswerB == IntroDeclined:
		in.Status = IntroDeclined
	case in.AnswerA == IntroAccepted && in.AnswerB == IntroAccepted:
		in.Status = IntroAccepted
	}
	if _, err := tx.ExecContext(ctx, "UPDATE introductions SET answer_a = NULLIF(?, ''), answer_b = NULLIF(?, ''), status = ?, updated_at = ? WHERE id = ?",
		in.AnswerA, in.AnswerB, in.Status, formatTime(now), in.ID); err != nil {
		return Introduction{}, err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE introduction_links SET used_at = ? WHERE introduction_id = ? AND side = ?", formatTime(now), in.ID, side); err != nil {
		return Introduction{}, err
	}
	in.UpdatedAt = now
	return in, tx.Commit()
}

// IntroductionsOf returns the introductions involving any of the posts
// carrying the address, newest first; with email "" every introduction.
func (db *DB) IntroductionsOf(ctx context.Context, email string) ([]Introduction, error) {
	query := "SELECT " + introColumns + " FROM introductions ORDER BY id DESC"
	var args []any
	if email != "" {
		query = "SELECT " + introColumns + ` FROM introductions WHERE post_a IN (SELECT id FROM posts WHERE email = ?)
			OR post_b IN (SELECT id FROM posts WHERE email = ?) ORDER BY id DESC`
		args = []any{email, email}
	}
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Introduction{}
	for rows.Next() {
		in, err := scanIntroduction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}
