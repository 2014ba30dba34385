package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const feedbackColumns = "id, post_id, other_id, verdict, reason, source, by_host, quarter, note, created_at, updated_at"

func scanFeedback(row rowScanner) (domain.Feedback, error) {
	var (
		f                        domain.Feedback
		verdict, reason, quarter string
		created, updated         string
	)
	err := row.Scan(&f.ID, &f.Post, &f.Other, &verdict, &reason, &f.Source, &f.ByHost, &quarter, &f.Note, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Feedback{}, match.Errorf(match.ENOTFOUND, "no such answer")
	}
	if err != nil {
		return domain.Feedback{}, err
	}
	f.Verdict, f.Reason, f.Quarter = match.Verdict(verdict), match.Reason(reason), match.Quarter(quarter)
	f.CreatedAt, _ = parseTime(created)
	f.UpdatedAt, _ = parseTime(updated)
	return f, nil
}

// RecordFeedback stores an answer about a match, replacing the side's
// earlier answer about the pair, and returns it as stored. A not-a-fit
// answer also rejects the pair's open suggestions (proposed or approved,
// in any round) with the answer in their note, in the same transaction.
// It returns ENOTFOUND when either post does not exist.
func (db *DB) RecordFeedback(ctx context.Context, f domain.Feedback) (domain.Feedback, error) {
	var out domain.Feedback
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(db.Now())
		_, err := tx.ExecContext(ctx, `INSERT INTO match_feedback (post_id, other_id, verdict, reason, source, by_host, quarter, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (post_id, other_id) DO UPDATE SET verdict = excluded.verdict, reason = excluded.reason, source = excluded.source,
				by_host = excluded.by_host, quarter = excluded.quarter, note = excluded.note, updated_at = excluded.updated_at`,
			f.Post, f.Other, string(f.Verdict), string(f.Reason), f.Source, f.ByHost, string(f.Quarter), f.Note, now, now)
		if err != nil {
			if isForeignKey(err) {
				return match.Errorf(match.ENOTFOUND, "post %d or %d not found", f.Post, f.Other)
			}
			return err
		}
		if f.Verdict == match.NotAFit {
			a, b := min(f.Post, f.Other), max(f.Post, f.Other)
			note := fmt.Sprintf("Not a fit (%s)", reasonWords[f.Reason])
			if _, err := tx.ExecContext(ctx, `UPDATE suggestions SET status = 'rejected', updated_at = ?,
				note = CASE WHEN note = '' THEN ? ELSE note || char(10) || ? END
				WHERE post_a = ? AND post_b = ? AND status IN ('proposed', 'approved')`, now, note, note, a, b); err != nil {
				return err
			}
		}
		out, err = scanFeedback(tx.QueryRowContext(ctx, "SELECT "+feedbackColumns+" FROM match_feedback WHERE post_id = ? AND other_id = ?", f.Post, f.Other))
		return err
	})
	return out, err
}

// reasonWords say a reason in a note to the host.
var reasonWords = map[match.Reason]string{
	match.ReasonCompetitor: "a competitor", match.ReasonNotRelevant: "not relevant", match.ReasonTooFar: "too far",
	match.ReasonAlreadyKnow: "they know each other", match.ReasonNotNow: "not now", match.ReasonMetNotUseful: "they met; it was no use",
}

// DeleteFeedback takes an answer back (the host's undo). It returns
// ENOTFOUND if there is no such answer.
func (db *DB) DeleteFeedback(ctx context.Context, id int64) (domain.Feedback, error) {
	var out domain.Feedback
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanFeedback(tx.QueryRowContext(ctx, "SELECT "+feedbackColumns+" FROM match_feedback WHERE id = ?", id))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM match_feedback WHERE id = ?", id)
		return err
	})
	return out, err
}

// ListFeedback returns a page of answers, newest first: all of them, or
// those about one post (on either side) when post > 0.
func (db *DB) ListFeedback(ctx context.Context, post int64, limit, offset int) (domain.FeedbackPage, error) {
	where, args := "", []any{}
	if post > 0 {
		where, args = " WHERE post_id = ? OR other_id = ?", []any{post, post}
	}
	var page domain.FeedbackPage
	if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM match_feedback"+where, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	rows, err := db.read.QueryContext(ctx, "SELECT "+feedbackColumns+" FROM match_feedback"+where+" ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFeedback(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, f)
	}
	return page, rows.Err()
}

// Learning reads every answer and every forgotten relation, from one
// snapshot.
func (db *DB) Learning(ctx context.Context) (domain.Learning, error) {
	l := domain.Learning{Forgotten: map[match.LearnedKey]bool{}}
	return inSnapshot(ctx, db, func(tx *sql.Tx) (domain.Learning, error) {
		rows, err := tx.QueryContext(ctx, "SELECT post_id, other_id, verdict, reason FROM match_feedback ORDER BY id")
		if err != nil {
			return l, err
		}
		for rows.Next() {
			var f match.Feedback
			var verdict, reason string
			if err := rows.Scan(&f.Post, &f.Other, &verdict, &reason); err != nil {
				rows.Close()
				return l, err
			}
			f.Verdict, f.Reason = match.Verdict(verdict), match.Reason(reason)
			l.Answers = append(l.Answers, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return l, err
		}
		rows, err = tx.QueryContext(ctx, "SELECT kind, a, b FROM learned_forgotten")
		if err != nil {
			return l, err
		}
		defer rows.Close()
		for rows.Next() {
			var k match.LearnedKey
			if err := rows.Scan(&k.Kind, &k.A, &k.B); err != nil {
				return l, err
			}
			l.Forgotten[k] = true
		}
		return l, rows.Err()
	})
}

// SetForgotten tells the matcher to forget a learned relation, or (forget
// false) to count it again. Either is idempotent.
func (db *DB) SetForgotten(ctx context.Context, k match.LearnedKey, forget bool) error {
	if forget {
		_, err := db.exec(ctx, "INSERT OR IGNORE INTO learned_forgotten (kind, a, b, created_at) VALUES (?, ?, ?, ?)",
			k.Kind, k.A, k.B, formatTime(db.Now()))
		return err
	}
	_, err := db.exec(ctx, "DELETE FROM learned_forgotten WHERE kind = ? AND a = ? AND b = ?", k.Kind, k.A, k.B)
	return err
}
