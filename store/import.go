package store

import (
	"context"
	"database/sql"
	"errors"
	"iter"
	"slices"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// ImportPosts stores many posts in one transaction: all of them or, on any
// error (including one yielded by inputs) or cancelled context, none. The inputs must already be normalized
// and validated, with external IDs unique among them.
//
// A post whose external ID is already stored is updated rather than
// duplicated. Fields an import line leaves out keep their stored value for
// lane, quarter and status (so re-importing a file does not undo the host's
// moderation) and are cleared for the others (the line describes the post).
// A line identical to what is stored changes nothing, so importing the same
// file twice is cheap and touches no timestamps.
func (db *DB) ImportPosts(ctx context.Context, inputs iter.Seq2[match.PostInput, error]) (domain.ImportCounts, error) {
	var counts domain.ImportCounts
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.ImportCounts, error) {
		byExternalID, err := tx.PrepareContext(ctx, "SELECT "+postColumns+" FROM posts WHERE external_id = ?")
		if err != nil {
			return counts, err
		}
		defer byExternalID.Close()
		insert, err := tx.PrepareContext(ctx, insertPostSQL)
		if err != nil {
			return counts, err
		}
		defer insert.Close()
		update, err := tx.PrepareContext(ctx, updatePostSQL)
		if err != nil {
			return counts, err
		}
		defer update.Close()

		now := db.Now()
		n := 0
		for in, err := range inputs {
			if err != nil {
				return domain.ImportCounts{}, err
			}
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return domain.ImportCounts{}, ctx.Err()
			}
			fresh := in.Post(now)
			var old match.Post
			if in.ExternalID != "" {
				old, err = scanPost(byExternalID.QueryRowContext(ctx, in.ExternalID))
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return domain.ImportCounts{}, err
				}
			}
			if old.ID == 0 {
				if _, err := insert.ExecContext(ctx, postArgs(fresh)...); err != nil {
					return domain.ImportCounts{}, conflictExternalID(err, fresh)
				}
				counts.Created++
				continue
			}
			merged := mergeImported(old, in, fresh)
			if samePost(old, merged) {
				counts.Unchanged++
				continue
			}
			merged.UpdatedAt = now
			if _, err := update.ExecContext(ctx, append(postArgs(merged), merged.ID)...); err != nil {
				return domain.ImportCounts{}, conflictExternalID(err, merged)
			}
			counts.Updated++
		}
		if err := ctx.Err(); err != nil {
			return domain.ImportCounts{}, err
		}
		return counts, nil
	})
}

// mergeImported returns old with the content of an import line: fresh is
// in.Post(now), holding defaults where the line was silent.
func mergeImported(old match.Post, in match.PostInput, fresh match.Post) match.Post {
	merged := fresh
	merged.ID, merged.CreatedAt, merged.UpdatedAt = old.ID, old.CreatedAt, old.UpdatedAt
	if in.Lane == "" {
		merged.Lane = old.Lane
	}
	if in.Quarter == "" {
		merged.Quarter = old.Quarter
	}
	if in.Status == "" {
		merged.Status = old.Status
	}
	return merged
}

func samePost(a, b match.Post) bool {
	return a.Business == b.Business && a.Email == b.Email && a.Website == b.Website &&
		a.Offer == b.Offer && a.Seek == b.Seek && a.Customers == b.Customers &&
		a.Industry == b.Industry && a.Region == b.Region && slices.Equal(a.Tags, b.Tags) &&
		a.Lane == b.Lane && a.Quarter == b.Quarter && a.ExternalID == b.ExternalID && a.Status == b.Status
}
