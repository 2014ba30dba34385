package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// SaveRound stores a round's computed suggestions in one transaction,
// creating the round or computing it anew: the engine's proposals not yet
// acted on are replaced; what the host approved, rejected, introduced or
// added by hand stays.
func (db *DB) SaveRound(ctx context.Context, quarter match.Quarter, perPost int, proposals []domain.Suggestion) (domain.Round, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Round, error) {
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO rounds (quarter, per_post, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (quarter) DO UPDATE SET per_post = excluded.per_post, updated_at = excluded.updated_at`,
			string(quarter), perPost, formatTime(now), formatTime(now)); err != nil {
			return domain.Round{}, err
		}
		var roundID int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM rounds WHERE quarter = ?", string(quarter)).Scan(&roundID); err != nil {
			return domain.Round{}, err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM suggestions WHERE round_id = ? AND status = ? AND source = ?",
			roundID, domain.SuggestionProposed, domain.SourceEngine); err != nil {
			return domain.Round{}, err
		}
		for _, s := range proposals {
			s.Status, s.Source = domain.SuggestionProposed, domain.SourceEngine
			// A pair the host already acted on in this round keeps its state.
			if _, err := insertSuggestion(ctx, tx, roundID, s, now, true); err != nil {
				return domain.Round{}, err
			}
		}
		r, err := roundByQuarter(ctx, tx, quarter)
		if err != nil {
			return domain.Round{}, err
		}
		return r, nil
	})
}

func insertSuggestion(ctx context.Context, tx *sql.Tx, roundID int64, s domain.Suggestion, now time.Time, orIgnore bool) (int64, error) {
	scores, _ := json.Marshal(s.Scores)
	ra, _ := json.Marshal(nonNil(s.ReasonsA))
	rb, _ := json.Marshal(nonNil(s.ReasonsB))
	verb := "INSERT"
	if orIgnore {
		verb = "INSERT OR IGNORE"
	}
	res, err := tx.ExecContext(ctx, verb+` INTO suggestions (round_id, post_a, post_b, score, scores, reasons_a, reasons_b,
		status, source, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		roundID, s.PostA, s.PostB, s.Score, string(scores), string(ra), string(rb), s.Status, s.Source, s.Note,
		formatTime(now), formatTime(now))
	if err != nil {
		return 0, translate(err, "these two posts are already paired in this round")
	}
	return res.LastInsertId()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Round returns a quarter's round with its counts, or ENOTFOUND.
func (db *DB) Round(ctx context.Context, quarter match.Quarter) (domain.Round, error) {
	return roundByQuarter(ctx, db.read, quarter)
}

func roundByQuarter(ctx context.Context, q querier, quarter match.Quarter) (domain.Round, error) {
	r, err := scanRound(q.QueryRowContext(ctx, roundQuery+" WHERE r.quarter = ? GROUP BY r.id", string(quarter)))
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Round{}, match.Errorf(match.ENOTFOUND, "no round for %s yet", quarter)
	}
	return r, err
}

// Rounds returns every round, newest quarter first.
func (db *DB) Rounds(ctx context.Context) ([]domain.Round, error) {
	return queryAll(ctx, db.read, scanRound, roundQuery+" GROUP BY r.id ORDER BY r.quarter DESC")
}

// roundQuery reads rounds with their suggestions counted by status; the
// caller adds WHERE and GROUP BY r.id.
const roundQuery = `SELECT r.id, r.quarter, r.per_post, r.created_at, r.updated_at,
	COALESCE(SUM(s.status = 'proposed'), 0), COALESCE(SUM(s.status = 'approved'), 0),
	COALESCE(SUM(s.status = 'rejected'), 0), COALESCE(SUM(s.status = 'introduced'), 0)
	FROM rounds r LEFT JOIN suggestions s ON s.round_id = r.id`

func scanRound(row rowScanner) (domain.Round, error) {
	var (
		r                                        domain.Round
		created, updated                         string
		proposed, approved, rejected, introduced int
	)
	if err := row.Scan(&r.ID, &r.Quarter, &r.PerPost, &created, &updated, &proposed, &approved, &rejected, &introduced); err != nil {
		return domain.Round{}, err
	}
	r.CreatedAt, _ = parseTime(created)
	r.UpdatedAt, _ = parseTime(updated)
	r.Counts = map[string]int{domain.SuggestionProposed: proposed, domain.SuggestionApproved: approved,
		domain.SuggestionRejected: rejected, domain.SuggestionIntroduced: introduced}
	return r, nil
}

const suggestionColumns = `s.id, r.quarter, s.post_a, s.post_b, s.score, s.scores, s.reasons_a, s.reasons_b,
	s.status, s.source, s.note, s.created_at, s.updated_at`

func scanSuggestion(row rowScanner) (domain.Suggestion, error) {
	var (
		s                domain.Suggestion
		scores, ra, rb   string
		created, updated string
	)
	err := row.Scan(&s.ID, &s.Quarter, &s.PostA, &s.PostB, &s.Score, &scores, &ra, &rb, &s.Status, &s.Source, &s.Note, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Suggestion{}, match.Errorf(match.ENOTFOUND, "suggestion not found")
	}
	if err != nil {
		return domain.Suggestion{}, err
	}
	if err := errors.Join(json.Unmarshal([]byte(scores), &s.Scores), json.Unmarshal([]byte(ra), &s.ReasonsA),
		json.Unmarshal([]byte(rb), &s.ReasonsB)); err != nil {
		return domain.Suggestion{}, err
	}
	s.CreatedAt, _ = parseTime(created)
	s.UpdatedAt, _ = parseTime(updated)
	return s, nil
}

// Suggestions lists a round's suggestions, best first; status filters
// when set.
func (db *DB) Suggestions(ctx context.Context, quarter match.Quarter, status string) ([]domain.Suggestion, error) {
	query := "SELECT " + suggestionColumns + " FROM suggestions s JOIN rounds r ON r.id = s.round_id WHERE r.quarter = ?"
	args := []any{string(quarter)}
	if status != "" {
		query += " AND s.status = ?"
		args = append(args, status)
	}
	return queryAll(ctx, db.read, scanSuggestion, query+" ORDER BY s.score DESC, s.id", args...)
}

// Suggestion returns one of a round's suggestions, or ENOTFOUND.
func (db *DB) Suggestion(ctx context.Context, quarter match.Quarter, id int64) (domain.Suggestion, error) {
	return suggestionByID(ctx, db.read, quarter, id)
}

func suggestionByID(ctx context.Context, q querier, quarter match.Quarter, id int64) (domain.Suggestion, error) {
	return scanSuggestion(q.QueryRowContext(ctx, "SELECT "+suggestionColumns+
		" FROM suggestions s JOIN rounds r ON r.id = s.round_id WHERE r.quarter = ? AND s.id = ?", string(quarter), id))
}

// UpdateSuggestion changes a suggestion's status and note (nil leaves one
// as it is). It returns ENOTFOUND, or ECONFLICT for an introduced one:
// introductions are not undone by editing.
func (db *DB) UpdateSuggestion(ctx context.Context, quarter match.Quarter, id int64, status, note *string) (domain.Suggestion, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Suggestion, error) {
		s, err := suggestionByID(ctx, tx, quarter, id)
		if err != nil {
			return domain.Suggestion{}, err
		}
		if s.Status == domain.SuggestionIntroduced {
			return domain.Suggestion{}, match.Errorf(match.ECONFLICT, "this pair was introduced already")
		}
		if status != nil {
			s.Status = *status
		}
		if note != nil {
			s.Note = *note
		}
		if _, err := tx.ExecContext(ctx, "UPDATE suggestions SET status = ?, note = ?, updated_at = ? WHERE id = ?",
			s.Status, s.Note, formatTime(db.Now()), id); err != nil {
			return domain.Suggestion{}, err
		}
		if s, err = suggestionByID(ctx, tx, quarter, id); err != nil {
			return domain.Suggestion{}, err
		}
		return s, nil
	})
}

// AddSuggestion stores a pair the host made by hand, and with replace set,
// rejects that suggestion in the same transaction (a swap). It returns
// ENOTFOUND for an unknown round or replaced suggestion, ECONFLICT if the
// pair is already in the round.
func (db *DB) AddSuggestion(ctx context.Context, quarter match.Quarter, s domain.Suggestion, replace int64) (domain.Suggestion, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Suggestion, error) {
		r, err := roundByQuarter(ctx, tx, quarter)
		if err != nil {
			return domain.Suggestion{}, err
		}
		now := db.Now()
		if replace != 0 {
			old, err := suggestionByID(ctx, tx, quarter, replace)
			if err != nil {
				return domain.Suggestion{}, err
			}
			if old.Status == domain.SuggestionIntroduced {
				return domain.Suggestion{}, match.Errorf(match.ECONFLICT, "this pair was introduced already")
			}
			if _, err := tx.ExecContext(ctx, "UPDATE suggestions SET status = ?, updated_at = ? WHERE id = ?",
				domain.SuggestionRejected, formatTime(now), replace); err != nil {
				return domain.Suggestion{}, err
			}
		}
		s.Status, s.Source = domain.SuggestionApproved, domain.SourceHost
		id, err := insertSuggestion(ctx, tx, r.ID, s, now, false)
		if err != nil {
			return domain.Suggestion{}, err
		}
		if s, err = suggestionByID(ctx, tx, quarter, id); err != nil {
			return domain.Suggestion{}, err
		}
		return s, nil
	})
}

// ExcludedPairs returns the pairs (smaller ID first) never to be suggested
// again: introduced in any round (whatever the answers), marked not
// interested or not a fit by either side ("not now" only in its quarter),
// or whose businesses are (or were) partners.
func (db *DB) ExcludedPairs(ctx context.Context) (map[[2]int64]bool, error) {
	return db.excludedPairs(ctx, db.read)
}

func (db *DB) excludedPairs(ctx context.Context, q querier) (map[[2]int64]bool, error) {
	// Partners (now or before) know each other already: each pair of their
	// businesses' posts is excluded too.
	rows, err := q.QueryContext(ctx, `SELECT post_a, post_b FROM suggestions WHERE status = ?
		UNION SELECT min(post_id, partner_id), max(post_id, partner_id) FROM post_interests WHERE interest = ?
		UNION SELECT min(pa.id, pb.id), max(pa.id, pb.id) FROM partnerships s
			JOIN posts pa ON pa.email = s.email_a JOIN posts pb ON pb.email = s.email_b
		UNION SELECT min(post_id, other_id), max(post_id, other_id) FROM match_feedback
			WHERE verdict = 'not_a_fit' AND (reason <> 'not_now' OR quarter = ?)`,
		domain.SuggestionIntroduced, domain.InterestNo, string(match.QuarterOf(db.Now())))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]int64]bool{}
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out[[2]int64{a, b}] = true
	}
	return out, rows.Err()
}

// ActivePostIDs returns the IDs of a quarter's active posts.
func (db *DB) ActivePostIDs(ctx context.Context, quarter match.Quarter) ([]int64, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT id FROM posts WHERE quarter = ? AND status = 'active' ORDER BY id", string(quarter))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
