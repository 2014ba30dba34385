package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/mattn/go-sqlite3"
)

// What members said of the partners they were shown: interest asked for
// or declined (a digest's links), and what each post has already seen.

// requestPerPost is the per_post of a round a member's request creates; a
// round the host runs later sets its own.
const requestPerPost = 3

// RecordInterest stores a member's interest in a partner and its effect on
// the host's rounds, in one transaction. It returns ENOTFOUND for a spent
// link, and ECONFLICT for a yes to a pair introduced already.
//
// A yes adds the pair to the round as a proposed suggestion of the host's
// (kept when the round is computed again), or, when the round has the pair
// already, adds the request to its note (and puts a rejected one back to
// proposed). A no rejects the pair's open suggestions.
func (db *DB) RecordInterest(ctx context.Context, in domain.Interest, eff domain.InterestEffect) (domain.Interest, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Interest, error) {
		now := db.Now()
		if eff.LinkHash != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO digest_spent_links (link_hash, used_at) VALUES (?, ?)", eff.LinkHash, formatTime(now)); err != nil {
				var se sqlite3.Error
				if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
					return domain.Interest{}, match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")
				}
				return domain.Interest{}, err
			}
		}
		a, b := min(in.PostID, in.PartnerID), max(in.PostID, in.PartnerID)
		if in.Interest == domain.InterestYes {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM suggestions WHERE post_a = ? AND post_b = ? AND status = 'introduced'", a, b).Scan(&n); err != nil {
				return domain.Interest{}, err
			}
			if n > 0 {
				return domain.Interest{}, match.Errorf(match.ECONFLICT, "the host introduced you two already")
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO post_interests (post_id, partner_id, interest, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (post_id, partner_id) DO UPDATE SET interest = excluded.interest, note = excluded.note, updated_at = excluded.updated_at`,
			in.PostID, in.PartnerID, in.Interest, in.Note, formatTime(now), formatTime(now)); err != nil {
			return domain.Interest{}, err
		}
		out, err := scanInterest(tx.QueryRowContext(ctx, "SELECT "+interestColumns+" FROM post_interests WHERE post_id = ? AND partner_id = ?", in.PostID, in.PartnerID))
		if err != nil {
			return domain.Interest{}, err
		}
		switch {
		case in.Interest == domain.InterestYes && eff.Request != nil:
			var theirs string
			err := tx.QueryRowContext(ctx, "SELECT interest FROM post_interests WHERE post_id = ? AND partner_id = ?", in.PartnerID, in.PostID).Scan(&theirs)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return domain.Interest{}, err
			}
			if theirs != domain.InterestNo {
				if err := requestSuggestion(ctx, tx, eff.Quarter, *eff.Request, now); err != nil {
					return domain.Interest{}, err
				}
			}
		case in.Interest == domain.InterestNo:
			if _, err := tx.ExecContext(ctx, `UPDATE suggestions SET status = 'rejected', updated_at = ?,
				note = CASE WHEN note = '' THEN ? ELSE note || char(10) || ? END
				WHERE post_a = ? AND post_b = ? AND status IN ('proposed', 'approved')`,
				formatTime(now), eff.Declined, eff.Declined, a, b); err != nil {
				return domain.Interest{}, err
			}
		}
		return out, nil
	})
}

// requestSuggestion puts a member's request into a round (see
// RecordInterest).
func requestSuggestion(ctx context.Context, tx *sql.Tx, quarter match.Quarter, s domain.Suggestion, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO rounds (quarter, per_post, created_at, updated_at) VALUES (?, ?, ?, ?)",
		string(quarter), requestPerPost, formatTime(now), formatTime(now)); err != nil {
		return err
	}
	var roundID int64
	if err := tx.QueryRowContext(ctx, "SELECT id FROM rounds WHERE quarter = ?", string(quarter)).Scan(&roundID); err != nil {
		return err
	}
	var (
		id           int64
		status, note string
	)
	err := tx.QueryRowContext(ctx, "SELECT id, status, note FROM suggestions WHERE round_id = ? AND post_a = ? AND post_b = ?",
		roundID, s.PostA, s.PostB).Scan(&id, &status, &note)
	if errors.Is(err, sql.ErrNoRows) {
		s.Status, s.Source = domain.SuggestionProposed, domain.SourceHost
		_, err = insertSuggestion(ctx, tx, roundID, s, now, false)
		return err
	}
	if err != nil || status == domain.SuggestionIntroduced {
		return err
	}
	if !strings.Contains(note, s.Note) {
		note = strings.TrimSpace(note + "\n" + s.Note)
	}
	if status == domain.SuggestionRejected {
		status = domain.SuggestionProposed
	}
	// The host's now: computing the round again keeps it.
	_, err = tx.ExecContext(ctx, "UPDATE suggestions SET status = ?, source = ?, note = ?, updated_at = ? WHERE id = ?",
		status, domain.SourceHost, note, formatTime(now), id)
	return err
}

const interestColumns = "post_id, partner_id, interest, note, created_at, updated_at"

func scanInterest(row rowScanner) (domain.Interest, error) {
	var (
		in               domain.Interest
		created, updated string
	)
	err := row.Scan(&in.PostID, &in.PartnerID, &in.Interest, &in.Note, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Interest{}, match.Errorf(match.ENOTFOUND, "no interest recorded")
	}
	if err != nil {
		return domain.Interest{}, err
	}
	in.CreatedAt, _ = parseTime(created)
	in.UpdatedAt, _ = parseTime(updated)
	return in, nil
}

// Seen reads a post's exclusions and answers in one query: it runs on
// every match request. One look-up per side of each relation, so that
// every part runs on an index; UNION ALL, because the maps drop repeats
// and sorting them out in SQL costs a temporary b-tree per part.
func (db *DB) Seen(ctx context.Context, postID int64) (domain.Seen, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT post_b, '', '' FROM suggestions WHERE post_a = ?1 AND status = ?2
		UNION ALL SELECT post_a, '', '' FROM suggestions WHERE post_b = ?1 AND status = ?2
		UNION ALL SELECT partner_id, interest, '' FROM post_interests WHERE post_id = ?1
		UNION ALL SELECT post_id, '', '' FROM post_interests WHERE partner_id = ?1 AND interest = ?3
		UNION ALL SELECT other.id, '', '' FROM posts me JOIN partnerships s ON s.email_a = me.email
			JOIN posts other ON other.email = s.email_b WHERE me.id = ?1
		UNION ALL SELECT other.id, '', '' FROM posts me JOIN partnerships s ON s.email_b = me.email
			JOIN posts other ON other.email = s.email_a WHERE me.id = ?1
		UNION ALL SELECT other_id, verdict, CASE WHEN reason = 'not_now' AND quarter <> ?4 THEN 'past:' || reason ELSE reason END
			FROM match_feedback WHERE post_id = ?1
		UNION ALL SELECT post_id, '', '' FROM match_feedback WHERE other_id = ?1 AND reason IN ('competitor', 'already_know')`,
		postID, domain.SuggestionIntroduced, domain.InterestNo, string(match.QuarterOf(db.Now())))
	if err != nil {
		return domain.Seen{}, err
	}
	defer rows.Close()
	seen := domain.Seen{Excluded: map[int64]bool{}, Said: map[int64]string{}, Verdicts: map[int64]match.Feedback{}}
	for rows.Next() {
		var (
			id             int64
			answer, reason string
		)
		if err := rows.Scan(&id, &answer, &reason); err != nil {
			return domain.Seen{}, err
		}
		switch verdict := match.Verdict(answer); {
		case verdict == match.GoodFit || verdict == match.NotAFit:
			// A "not now" of an earlier quarter no longer excludes.
			past := strings.HasPrefix(reason, "past:")
			f := match.Feedback{Post: postID, Other: id, Verdict: verdict, Reason: match.Reason(strings.TrimPrefix(reason, "past:"))}
			seen.Verdicts[id] = f
			if mine, _ := f.Excludes(); mine && !past {
				seen.Excluded[id] = true
			}
		case answer != "":
			seen.Said[id] = answer
			if answer == domain.InterestNo {
				seen.Excluded[id] = true
			}
		default:
			seen.Excluded[id] = true
		}
	}
	return seen, rows.Err()
}

// IsLinkSpent reports whether the single-use link with this hash was used.
func (db *DB) IsLinkSpent(ctx context.Context, linkHash string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM digest_spent_links WHERE link_hash = ?", linkHash).Scan(&n)
	return n > 0, err
}
