package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/matchmaker/matchmaker/match"
)

// PostChanges returns up to limit changes with a sequence number above
// after, oldest first, each with the post as it is now (nil if deleted).
func (db *DB) PostChanges(ctx context.Context, after int64, limit int) ([]match.PostChange, error) {
	return inSnapshot(ctx, db, func(tx *sql.Tx) ([]match.PostChange, error) {
		rows, err := tx.QueryContext(ctx, "SELECT seq, post_id FROM post_changes WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
		if err != nil {
			return nil, err
		}
		var (
			changes []match.PostChange
			ids     []int64
		)
		for rows.Next() {
			var c match.PostChange
			if err := rows.Scan(&c.Seq, &c.PostID); err != nil {
				rows.Close()
				return nil, err
			}
			changes = append(changes, c)
			ids = append(ids, c.PostID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		posts, err := postsByID(ctx, tx, ids)
		if err != nil {
			return nil, err
		}
		for i := range changes {
			if p, ok := posts[changes[i].PostID]; ok {
				changes[i].Post = &p
			}
		}
		return changes, nil
	})
}

// changeBatch is how many changes FollowChanges hands on at a time: enough
// to amortise a Bleve batch and the engine's analysis on every core, few
// enough that memory stays flat while a million are replayed.
const changeBatch = 2000

// FollowChanges hands every change with a sequence number above after to
// apply, oldest first, in batches, until the log holds no more. It is the
// one reader of the change log: the search index and the matching engine
// both catch up through it.
func (db *DB) FollowChanges(ctx context.Context, after int64, apply func([]match.PostChange) error) error {
	for {
		changes, err := db.PostChanges(ctx, after, changeBatch)
		if err != nil {
			return fmt.Errorf("read change log: %w", err)
		}
		if len(changes) == 0 {
			return nil
		}
		if err := apply(changes); err != nil {
			return err
		}
		after = changes[len(changes)-1].Seq
	}
}

// LastChangeSeq returns the sequence number of the latest change ever
// logged (0 if none), even if older changes were pruned.
func (db *DB) LastChangeSeq(ctx context.Context) (int64, error) {
	return lastChangeSeq(ctx, db.read)
}

func lastChangeSeq(ctx context.Context, q querier) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, "SELECT seq FROM sqlite_sequence WHERE name = 'post_changes'").Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return seq, err
}

// FirstChangeSeq returns the sequence number of the oldest change still in
// the log, or 0 if the log is empty.
func (db *DB) FirstChangeSeq(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	err := db.read.QueryRowContext(ctx, "SELECT MIN(seq) FROM post_changes").Scan(&seq)
	return seq.Int64, err
}

// PruneChanges forgets the changes up to and including seq: call it only
// with a seq the index has durably applied.
func (db *DB) PruneChanges(ctx context.Context, seq int64) error {
	_, err := db.exec(ctx, "DELETE FROM post_changes WHERE seq <= ?", seq)
	return err
}

// EachPost calls fn for every post, in ID order, from one consistent
// snapshot, and returns the sequence number of the last change that
// snapshot includes. A rebuilt index records that number and replays what
// came after.
func (db *DB) EachPost(ctx context.Context, fn func(match.Post) error) (int64, error) {
	return inSnapshot(ctx, db, func(tx *sql.Tx) (int64, error) {
		seq, err := lastChangeSeq(ctx, tx)
		if err != nil {
			return 0, err
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+postColumns+" FROM posts ORDER BY id")
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPost(rows)
			if err != nil {
				return 0, err
			}
			if err := fn(p); err != nil {
				return 0, err
			}
		}
		return seq, rows.Err()
	})
}
