package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const intakeColumns = "id, format, notice, host, columns, body, created_at"

func scanIntake(row rowScanner) (domain.Intake, error) {
	var (
		in               domain.Intake
		columns, created string
	)
	err := row.Scan(&in.ID, &in.Format, &in.Notice, &in.Host, &columns, &in.Body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Intake{}, match.Errorf(match.ENOTFOUND, "intake not found")
	}
	if err != nil {
		return domain.Intake{}, err
	}
	if err := json.Unmarshal([]byte(columns), &in.Columns); err != nil {
		return domain.Intake{}, err
	}
	in.CreatedAt, _ = parseTime(created)
	return in, nil
}

const skippedColumns = "id, intake_id, name, reason, text, COALESCE(into_id, 0), COALESCE(draft_id, 0)"

func scanSkipped(row rowScanner) (domain.Skipped, error) {
	var s domain.Skipped
	err := row.Scan(&s.ID, &s.IntakeID, &s.Name, &s.Reason, &s.Text, &s.IntoID, &s.DraftID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Skipped{}, match.Errorf(match.ENOTFOUND, "skipped item not found")
	}
	return s, err
}

// CreateIntake stores a paste with its drafts and skipped items in one
// transaction, so that a paste is kept whole or not at all.
func (db *DB) CreateIntake(ctx context.Context, r domain.IntakeRead) (domain.Intake, []domain.Draft, []domain.Skipped, error) {
	var (
		in      domain.Intake
		drafts  []domain.Draft
		skipped []domain.Skipped
	)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(db.Now())
		columns, _ := json.Marshal(nonNil(r.Intake.Columns))
		res, err := tx.ExecContext(ctx, "INSERT INTO intakes (format, notice, host, columns, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			r.Intake.Format, r.Intake.Notice, r.Intake.Host, string(columns), r.Intake.Body, now)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if in, err = scanIntake(tx.QueryRowContext(ctx, "SELECT "+intakeColumns+" FROM intakes WHERE id = ?", id)); err != nil {
			return err
		}
		drafts, skipped, err = insertRead(ctx, tx, id, r, now)
		return err
	})
	return in, drafts, skipped, err
}

// insertRead adds a reading's drafts and skipped items to intake id.
func insertRead(ctx context.Context, tx *sql.Tx, id int64, r domain.IntakeRead, now string) ([]domain.Draft, []domain.Skipped, error) {
	drafts := make([]domain.Draft, 0, len(r.Drafts))
	for _, d := range r.Drafts {
		d.IntakeID = id
		stored, err := insertDraft(ctx, tx, d, now)
		if err != nil {
			return nil, nil, err
		}
		drafts = append(drafts, stored)
	}
	skipped := make([]domain.Skipped, 0, len(r.Skipped))
	for _, s := range r.Skipped {
		var into any
		if s.IntoID >= 0 && s.IntoID < int64(len(drafts)) {
			into = drafts[s.IntoID].ID
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO skipped (intake_id, name, reason, text, into_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			id, s.Name, s.Reason, s.Text, into, now)
		if err != nil {
			return nil, nil, err
		}
		s.ID, _ = res.LastInsertId()
		s.IntakeID, s.IntoID, s.DraftID = id, 0, 0
		if into != nil {
			s.IntoID = into.(int64)
		}
		skipped = append(skipped, s)
	}
	return drafts, skipped, nil
}

// Intake returns a paste as read, or ENOTFOUND.
func (db *DB) Intake(ctx context.Context, id int64) (domain.Intake, error) {
	return scanIntake(db.read.QueryRowContext(ctx, "SELECT "+intakeColumns+" FROM intakes WHERE id = ?", id))
}

// Intakes lists the pastes, newest first.
func (db *DB) Intakes(ctx context.Context) ([]domain.Intake, error) {
	return queryAll(ctx, db.read, scanIntake, "SELECT "+intakeColumns+" FROM intakes ORDER BY id DESC")
}

// SkippedItems lists the items still skipped (not made into drafts), in
// paste order; intakeID filters when set.
func (db *DB) SkippedItems(ctx context.Context, intakeID int64) ([]domain.Skipped, error) {
	if intakeID != 0 {
		return queryAll(ctx, db.read, scanSkipped, "SELECT "+skippedColumns+" FROM skipped WHERE draft_id IS NULL AND intake_id = ? ORDER BY id", intakeID)
	}
	return queryAll(ctx, db.read, scanSkipped, "SELECT "+skippedColumns+" FROM skipped WHERE draft_id IS NULL ORDER BY id")
}

// SkippedItem returns one skipped item, or ENOTFOUND.
func (db *DB) SkippedItem(ctx context.Context, id int64) (domain.Skipped, error) {
	return scanSkipped(db.read.QueryRowContext(ctx, "SELECT "+skippedColumns+" FROM skipped WHERE id = ?", id))
}

// DraftFromSkipped stores d as a draft made of skipped item id, in one
// transaction; ECONFLICT when the item was made into a draft already.
func (db *DB) DraftFromSkipped(ctx context.Context, id int64, d domain.Draft) (domain.Draft, error) {
	var out domain.Draft
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		s, err := scanSkipped(tx.QueryRowContext(ctx, "SELECT "+skippedColumns+" FROM skipped WHERE id = ?", id))
		if err != nil {
			return err
		}
		if s.DraftID != 0 {
			return match.Errorf(match.ECONFLICT, "this reply is draft %d already", s.DraftID)
		}
		d.IntakeID = s.IntakeID
		if out, err = insertDraft(ctx, tx, d, formatTime(db.Now())); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE skipped SET draft_id = ? WHERE id = ?", out.ID, id)
		return err
	})
	return out, err
}

// DismissSkipped forgets the items of a paste still skipped: the host has
// looked at them and none is an offer.
func (db *DB) DismissSkipped(ctx context.Context, intakeID int64) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := scanIntake(tx.QueryRowContext(ctx, "SELECT "+intakeColumns+" FROM intakes WHERE id = ?", intakeID)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM skipped WHERE intake_id = ? AND draft_id IS NULL", intakeID)
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// ReplaceRead swaps an intake's reading for a new one (a spreadsheet read
// again with the host's columns), in one transaction. It refuses with
// ECONFLICT once any draft of the paste was published: those posts are
// members' now, and reading again would make them twice.
func (db *DB) ReplaceRead(ctx context.Context, id int64, r domain.IntakeRead) (domain.Intake, []domain.Draft, []domain.Skipped, error) {
	var (
		in      domain.Intake
		drafts  []domain.Draft
		skipped []domain.Skipped
	)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := scanIntake(tx.QueryRowContext(ctx, "SELECT "+intakeColumns+" FROM intakes WHERE id = ?", id)); err != nil {
			return err
		}
		var published int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM drafts WHERE intake_id = ? AND status = ?", id, domain.DraftPublished).Scan(&published); err != nil {
			return err
		}
		if published > 0 {
			return match.Errorf(match.ECONFLICT, "%d drafts of this paste are published already: paste it again as a new intake instead", published)
		}
		for _, q := range []string{"DELETE FROM skipped WHERE intake_id = ?", "DELETE FROM drafts WHERE intake_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		columns, _ := json.Marshal(nonNil(r.Intake.Columns))
		if _, err := tx.ExecContext(ctx, "UPDATE intakes SET format = ?, notice = ?, host = ?, columns = ? WHERE id = ?",
			r.Intake.Format, r.Intake.Notice, r.Intake.Host, string(columns), id); err != nil {
			return err
		}
		var err error
		if in, err = scanIntake(tx.QueryRowContext(ctx, "SELECT "+intakeColumns+" FROM intakes WHERE id = ?", id)); err != nil {
			return err
		}
		drafts, skipped, err = insertRead(ctx, tx, id, r, formatTime(db.Now()))
		return err
	})
	return in, drafts, skipped, err
}

// DeleteIntake forgets a paste: its text, the items still skipped and its
// drafts not yet published, in one transaction. Published drafts stay, as
// the record of the posts made of them.
func (db *DB) DeleteIntake(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := scanIntake(tx.QueryRowContext(ctx, "SELECT "+intakeColumns+" FROM intakes WHERE id = ?", id)); err != nil {
			return err
		}
		for _, q := range []string{
			"DELETE FROM skipped WHERE intake_id = ?",
			"DELETE FROM drafts WHERE intake_id = ? AND status <> 'published'",
			"DELETE FROM intakes WHERE id = ?",
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
}
