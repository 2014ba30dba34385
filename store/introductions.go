package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const introColumns = "id, suggestion_id, post_a, post_b, COALESCE(answer_a, ''), COALESCE(answer_b, ''), status, created_at, expires_at, updated_at"

func scanIntroduction(row rowScanner) (domain.Introduction, error) {
	var (
		in                        domain.Introduction
		created, expires, updated string
	)
	err := row.Scan(&in.ID, &in.SuggestionID, &in.PostA, &in.PostB, &in.AnswerA, &in.AnswerB, &in.Status, &created, &expires, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Introduction{}, match.Errorf(match.ENOTFOUND, "introduction not found")
	}
	if err != nil {
		return domain.Introduction{}, err
	}
	in.CreatedAt, _ = parseTime(created)
	in.ExpiresAt, _ = parseTime(expires)
	in.UpdatedAt, _ = parseTime(updated)
	return in, nil
}

// Introduce turns an approved suggestion into an introduction, with one
// answer link per side stored by its token's hash, in one transaction. It
// returns ENOTFOUND for an unknown suggestion and ECONFLICT for one not
// approved (or introduced already). It expires ttl after it is made.
func (db *DB) Introduce(ctx context.Context, quarter match.Quarter, suggestionID int64, linkA, linkB string, ttl time.Duration) (domain.Introduction, domain.Suggestion, error) {
	// One transaction makes the introduction and marks the suggestion.
	type made struct {
		in domain.Introduction
		s  domain.Suggestion
	}
	r, err := inWrite(ctx, db, func(tx *sql.Tx) (made, error) {
		s, err := suggestionByID(ctx, tx, quarter, suggestionID)
		if err != nil {
			return made{}, err
		}
		if s.Status != domain.SuggestionApproved {
			return made{}, match.Errorf(match.ECONFLICT, "only an approved suggestion can be introduced; this one is %s", s.Status)
		}
		now := db.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO introductions (suggestion_id, post_a, post_b, status, created_at, expires_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, s.ID, s.PostA, s.PostB, domain.IntroPending, formatTime(now), formatTime(now.Add(ttl)), formatTime(now))
		if err != nil {
			return made{}, err
		}
		id, _ := res.LastInsertId()
		for side, hash := range map[string]string{"a": linkA, "b": linkB} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO introduction_links (token_hash, introduction_id, side) VALUES (?, ?, ?)", hash, id, side); err != nil {
				return made{}, err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE suggestions SET status = ?, updated_at = ? WHERE id = ?", domain.SuggestionIntroduced, formatTime(now), s.ID); err != nil {
			return made{}, err
		}
		in, err := scanIntroduction(tx.QueryRowContext(ctx, "SELECT "+introColumns+" FROM introductions WHERE id = ?", id))
		if err != nil {
			return made{}, err
		}
		return made{in, s}, nil
	})
	return r.in, r.s, err
}

// IntroductionByLink returns the introduction and side of an unused answer
// link, or ENOTFOUND.
func (db *DB) IntroductionByLink(ctx context.Context, linkHash string) (domain.Introduction, string, error) {
	var (
		id   int64
		side string
	)
	err := db.read.QueryRowContext(ctx, "SELECT introduction_id, side FROM introduction_links WHERE token_hash = ? AND purpose = 'answer' AND used_at IS NULL", linkHash).Scan(&id, &side)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Introduction{}, "", match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")
	}
	if err != nil {
		return domain.Introduction{}, "", err
	}
	in, err := db.Introduction(ctx, id)
	return in, side, err
}

// AnsweredLink returns, for an answer link already used, its introduction,
// the side it was for and when it was used; ENOTFOUND for any other link.
func (db *DB) AnsweredLink(ctx context.Context, linkHash string) (domain.Introduction, string, time.Time, error) {
	var (
		id         int64
		side, used string
	)
	err := db.read.QueryRowContext(ctx, "SELECT introduction_id, side, used_at FROM introduction_links WHERE token_hash = ? AND purpose = 'answer' AND used_at IS NOT NULL", linkHash).Scan(&id, &side, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Introduction{}, "", time.Time{}, match.Errorf(match.ENOTFOUND, "this link is not valid")
	}
	if err != nil {
		return domain.Introduction{}, "", time.Time{}, err
	}
	at, _ := parseTime(used)
	in, err := db.Introduction(ctx, id)
	return in, side, at, err
}

// Introduction returns an introduction by ID, or ENOTFOUND.
func (db *DB) Introduction(ctx context.Context, id int64) (domain.Introduction, error) {
	return scanIntroduction(db.read.QueryRowContext(ctx, "SELECT "+introColumns+" FROM introductions WHERE id = ?", id))
}

// Answer records one side's answer, spending that side's link, in one
// transaction, and settles the status: declined as soon as a side declines,
// accepted once both accept. It returns ECONFLICT when the side answered
// already or the introduction is no longer pending (expired included).
func (db *DB) Answer(ctx context.Context, introductionID int64, side string, accept bool) (domain.Introduction, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Introduction, error) {
		in, err := scanIntroduction(tx.QueryRowContext(ctx, "SELECT "+introColumns+" FROM introductions WHERE id = ?", introductionID))
		if err != nil {
			return domain.Introduction{}, err
		}
		now := db.Now()
		if in.Status == domain.IntroPending && !now.Before(in.ExpiresAt) {
			in.Status = domain.IntroExpired
		}
		answer := &in.AnswerA
		if side == "b" {
			answer = &in.AnswerB
		}
		switch {
		case in.Status != domain.IntroPending:
			return domain.Introduction{}, match.Errorf(match.ECONFLICT, "this introduction is %s already", in.Status)
		case *answer != "":
			return domain.Introduction{}, match.Errorf(match.ECONFLICT, "you answered already (%s)", *answer)
		}
		*answer = domain.IntroDeclined
		if accept {
			*answer = domain.IntroAccepted
		}
		switch {
		case in.AnswerA == domain.IntroDeclined || in.AnswerB == domain.IntroDeclined:
			in.Status = domain.IntroDeclined
		case in.AnswerA == domain.IntroAccepted && in.AnswerB == domain.IntroAccepted:
			in.Status = domain.IntroAccepted
		}
		if _, err := tx.ExecContext(ctx, "UPDATE introductions SET answer_a = NULLIF(?, ''), answer_b = NULLIF(?, ''), status = ?, updated_at = ? WHERE id = ?",
			in.AnswerA, in.AnswerB, in.Status, formatTime(now), in.ID); err != nil {
			return domain.Introduction{}, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE introduction_links SET used_at = ? WHERE introduction_id = ? AND side = ? AND purpose = 'answer'", formatTime(now), in.ID, side); err != nil {
			return domain.Introduction{}, err
		}
		in.UpdatedAt = now
		return in, nil
	})
}

// IntroductionsOf returns the introductions involving any of the posts
// carrying the address, newest first; with email "" every introduction.
func (db *DB) IntroductionsOf(ctx context.Context, email string) ([]domain.Introduction, error) {
	query := "SELECT " + introColumns + " FROM introductions ORDER BY id DESC"
	var args []any
	if email != "" {
		query = "SELECT " + introColumns + ` FROM introductions WHERE post_a IN (SELECT id FROM posts WHERE email = ?)
			OR post_b IN (SELECT id FROM posts WHERE email = ?) ORDER BY id DESC`
		args = []any{email, email}
	}
	return queryAll(ctx, db.read, scanIntroduction, query, args...)
}

// AddIntroductionLink stores one more link for a side (a reminder's, or the
// follow-up's), by its token's hash; expires is zero for answer links,
// which end with their introduction.
func (db *DB) AddIntroductionLink(ctx context.Context, introductionID int64, side, purpose, linkHash string, expires time.Time) error {
	var exp any
	if !expires.IsZero() {
		exp = formatTime(expires)
	}
	_, err := db.exec(ctx, "INSERT INTO introduction_links (token_hash, introduction_id, side, purpose, expires_at) VALUES (?, ?, ?, ?, ?)",
		linkHash, introductionID, side, purpose, exp)
	return err
}

// DueReminders returns pending introductions expiring before soon that
// were not reminded yet, and marks them reminded, in one transaction: a
// reminder goes out once.
func (db *DB) DueReminders(ctx context.Context, soon time.Time) ([]domain.Introduction, error) {
	now := formatTime(db.Now())
	return db.claim(ctx, `UPDATE introductions SET reminded_at = ?
		WHERE status = 'pending' AND reminded_at IS NULL AND expires_at <= ? AND expires_at > ?
		RETURNING `+introColumns, now, formatTime(soon), now)
}

// ExpireIntroductions marks pending introductions past their expiry
// expired and returns them.
func (db *DB) ExpireIntroductions(ctx context.Context) ([]domain.Introduction, error) {
	now := formatTime(db.Now())
	return db.claim(ctx, `UPDATE introductions SET status = 'expired', updated_at = ?
		WHERE status = 'pending' AND expires_at <= ? RETURNING `+introColumns, now, now)
}

// DueFollowUps returns the accepted introductions whose "did you meet?"
// is due, and marks them followed up: a day after the meeting the two put
// on their calendars ended; without one, once accepted before
// acceptedBefore.
func (db *DB) DueFollowUps(ctx context.Context, acceptedBefore time.Time) ([]domain.Introduction, error) {
	now := formatTime(db.Now())
	return db.claim(ctx, `UPDATE introductions SET followed_up_at = ?
		WHERE status = 'accepted' AND followed_up_at IS NULL AND CASE
			WHEN EXISTS (SELECT 1 FROM meetings m WHERE m.introduction_id = introductions.id AND m.status = 'scheduled')
			THEN (SELECT datetime(m.event_start, '+' || m.event_minutes || ' minutes', '+1 day') <= datetime(?)
				FROM meetings m WHERE m.introduction_id = introductions.id)
			ELSE updated_at <= ? END
		RETURNING `+introColumns, now, now, formatTime(acceptedBefore))
}

// claim runs an UPDATE … RETURNING over introductions in one transaction.
func (db *DB) claim(ctx context.Context, query string, args ...any) ([]domain.Introduction, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) ([]domain.Introduction, error) {
		out, err := queryAll(ctx, tx, scanIntroduction, query, args...)
		if err != nil {
			return nil, err
		}
		return out, nil
	})
}

// Feedback records, by a feedback link, whether a side met and how useful
// it was (rating 1–5, or 0 when they did not meet), and what that says of
// the match (see RecordFeedback). It returns ENOTFOUND for a bad or used
// link.
func (db *DB) Feedback(ctx context.Context, linkHash string, met bool, rating int) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		now := formatTime(db.Now())
		var (
			id   int64
			side string
		)
		err = tx.QueryRowContext(ctx, `UPDATE introduction_links SET used_at = ?
			WHERE token_hash = ? AND purpose = 'feedback' AND used_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
			RETURNING introduction_id, side`, now, linkHash, now).Scan(&id, &side)
		if errors.Is(err, sql.ErrNoRows) {
			return match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")
		}
		if err != nil {
			return err
		}
		var r any
		if met {
			r = rating
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO introduction_feedback (introduction_id, side, met, rating, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (introduction_id, side) DO UPDATE SET met = excluded.met, rating = excluded.rating, created_at = excluded.created_at`,
			id, side, met, r, now); err != nil {
			return err
		}
		// A meeting worth it (4 or 5) says the match was a good fit; one of no
		// use (1 or 2) that it was not: the matcher learns from both. A 3, or
		// no meeting, says nothing of the match.
		verdict, reason := "", ""
		switch {
		case met && rating >= 4:
			verdict, reason = string(match.GoodFit), string(match.ReasonMetUseful)
		case met && rating <= 2:
			verdict, reason = string(match.NotAFit), string(match.ReasonMetNotUseful)
		}
		if verdict != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO match_feedback (post_id, other_id, verdict, reason, source, quarter, created_at, updated_at)
				SELECT CASE ?1 WHEN 'a' THEN post_a ELSE post_b END, CASE ?1 WHEN 'a' THEN post_b ELSE post_a END, ?2, ?3, 'follow_up', ?4, ?5, ?5
				FROM introductions WHERE id = ?6
				ON CONFLICT (post_id, other_id) DO UPDATE SET verdict = excluded.verdict, reason = excluded.reason, source = excluded.source,
					by_host = 0, quarter = excluded.quarter, updated_at = excluded.updated_at`,
				side, verdict, reason, string(match.QuarterOf(db.Now())), now, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Figures computes a round's figures. It returns ENOTFOUND for no round.
func (db *DB) Figures(ctx context.Context, quarter match.Quarter) (domain.RoundFigures, error) {
	var f domain.RoundFigures
	if _, err := db.Round(ctx, quarter); err != nil {
		return f, err
	}
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM((COALESCE(i.answer_a, '') = 'accepted') + (COALESCE(i.answer_b, '') = 'accepted')), 0),
			COALESCE(SUM((COALESCE(i.answer_a, '') = 'declined') + (COALESCE(i.answer_b, '') = 'declined')), 0),
			COALESCE(SUM(i.status = 'accepted'), 0), COALESCE(SUM(i.status = 'expired'), 0)
		FROM introductions i JOIN suggestions s ON s.id = i.suggestion_id JOIN rounds r ON r.id = s.round_id
		WHERE r.quarter = ?`, string(quarter)).Scan(&f.Introductions, &f.Accepted, &f.Declined, &f.Mutual, &f.Expired)
	if err != nil {
		return f, err
	}
	f.Invitations = 2 * f.Introductions
	var avg sql.NullFloat64
	err = db.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(fb.met), 0), AVG(fb.rating)
		FROM introduction_feedback fb JOIN introductions i ON i.id = fb.introduction_id
		JOIN suggestions s ON s.id = i.suggestion_id JOIN rounds r ON r.id = s.round_id
		WHERE r.quarter = ?`, string(quarter)).Scan(&f.Feedback, &f.Met, &avg)
	if avg.Valid {
		f.RatingAvg = &avg.Float64
	}
	return f, err
}

// SuggestionsByID returns the suggestions with the given IDs that exist,
// by ID: an introduction's reasons and the host's note live on them.
func (db *DB) SuggestionsByID(ctx context.Context, ids []int64) (map[int64]domain.Suggestion, error) {
	return byIDs(ctx, db.read.DB, ids, "SELECT "+suggestionColumns+" FROM suggestions s JOIN rounds r ON r.id = s.round_id WHERE s.id IN ",
		scanSuggestion, func(s domain.Suggestion) int64 { return s.ID })
}
