package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// Partnerships and their lanes. Every write reads its partnership inside
// its own transaction and checks lane and status there (partnershipForWrite),
// so that a lane change racing a write can never put a record in the wrong
// lane.

const partnershipColumns = "id, lane, status, started_on, COALESCE(ended_on, ''), COALESCE(introduction_id, 0), COALESCE(post_a, 0), COALESCE(post_b, 0), email_a, email_b, business_a, business_b, created_at, updated_at"

func scanPartnership(row rowScanner) (partner.Partnership, error) {
	var (
		p                partner.Partnership
		created, updated string
	)
	err := row.Scan(&p.ID, &p.Lane, &p.Status, &p.StartedOn, &p.EndedOn, &p.IntroductionID, &p.A.PostID, &p.B.PostID,
		&p.A.Email, &p.B.Email, &p.A.Business, &p.B.Business, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return partner.Partnership{}, match.Errorf(match.ENOTFOUND, "partnership not found")
	}
	if err != nil {
		return partner.Partnership{}, err
	}
	p.CreatedAt, _ = parseTime(created)
	p.UpdatedAt, _ = parseTime(updated)
	return p, nil
}

func partnershipByID(ctx context.Context, q querier, id int64) (partner.Partnership, error) {
	return scanPartnership(q.QueryRowContext(ctx, "SELECT "+partnershipColumns+" FROM partnerships WHERE id = ?", id))
}

// requirement is what a write needs of its partnership: a lane, and
// whether it starts new work, which only an active partnership takes.
type requirement struct {
	lane partner.Lane
	open bool
}

// checkPartnership reads the partnership in tx and checks req.
func checkPartnership(ctx context.Context, tx *sql.Tx, id int64, req requirement) error {
	p, err := partnershipByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := p.RequireLane(req.lane); err != nil {
		return err
	}
	if req.open {
		return p.RequireOpen()
	}
	return nil
}

func addEvent(ctx context.Context, tx *sql.Tx, id int64, now time.Time, actor partner.Actor, kind partner.EventKind, from, to, reason string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO partnership_events (partnership_id, at, actor, kind, from_value, to_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
		id, formatTime(now), string(actor), string(kind), from, to, reason)
	return err
}

// addRecord stores one new record of a partnership in one transaction: it
// checks req there, runs insert (given the time stamp to write; it returns
// the new row's result), marks the partnership updated, and reads the
// record back from table (a constant) with scan.
func addRecord[T any](ctx context.Context, db *DB, partnershipID int64, req requirement, table, columns string,
	scan func(rowScanner) (T, error), insert func(tx *sql.Tx, now string) (sql.Result, error)) (T, error) {
	var out T
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, req); err != nil {
			return err
		}
		now := db.Now()
		res, err := insert(tx, formatTime(now))
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if err := touch(ctx, tx, partnershipID, now); err != nil {
			return err
		}
		out, err = scan(tx.QueryRowContext(ctx, "SELECT "+columns+" FROM "+table+" WHERE id = ?", id))
		return err
	})
	return out, err
}

func touch(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, "UPDATE partnerships SET updated_at = ? WHERE id = ?", formatTime(now), id)
	return err
}

// CreatePartnership stores a new active partnership and its first event.
// It returns ECONFLICT when the two businesses already hold one that has
// not ended, or when the introduction already led to one.
func (db *DB) CreatePartnership(ctx context.Context, p partner.Partnership, actor partner.Actor) (partner.Partnership, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = createPartnership(ctx, tx, p, db.Now(), actor, "")
		return err
	})
	return p, err
}

// createPartnership stores p inside tx, started by actor (reason says
// how, in its first event).
func createPartnership(ctx context.Context, tx *sql.Tx, p partner.Partnership, now time.Time, actor partner.Actor, reason string) (partner.Partnership, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO partnerships (lane, status, started_on, introduction_id, post_a, post_b, email_a, email_b, business_a, business_b, created_at, updated_at)
		VALUES (?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?, ?, ?)`,
		string(p.Lane), string(partner.Active), p.StartedOn, p.IntroductionID, p.A.PostID, p.B.PostID,
		p.A.Email, p.B.Email, p.A.Business, p.B.Business, formatTime(now), formatTime(now))
	if err != nil {
		return p, translate(err, "these two businesses already have a partnership, or this introduction already led to one")
	}
	id, _ := res.LastInsertId()
	if err := addEvent(ctx, tx, id, now, actor, partner.EventCreated, "", string(p.Lane), reason); err != nil {
		return p, err
	}
	return partnershipByID(ctx, tx, id)
}

// Partnership returns one partnership, or ENOTFOUND.
func (db *DB) Partnership(ctx context.Context, id int64) (partner.Partnership, error) {
	return partnershipByID(ctx, db.read, id)
}

// Partnerships lists partnerships, newest first.
func (db *DB) Partnerships(ctx context.Context, f domain.PartnershipFilter) ([]partner.Partnership, error) {
	query := "SELECT " + partnershipColumns + " FROM partnerships WHERE 1 = 1"
	var args []any
	if f.Email != "" {
		query += " AND (email_a = ? OR email_b = ?)"
		args = append(args, f.Email, f.Email)
	}
	if f.Lane != "" {
		query += " AND lane = ?"
		args = append(args, string(f.Lane))
	}
	if f.Status != "" {
		query += " AND status = ?"
		args = append(args, string(f.Status))
	}
	return queryAll(ctx, db.read.DB, scanPartnership, query+" ORDER BY id DESC", args...) // built per filter: unprepared (see reader)
}

// ActiveStrategicCount returns how many active strategic partnerships the
// business at email holds.
func (db *DB) ActiveStrategicCount(ctx context.Context, email string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM partnerships WHERE lane = 'strategic' AND status = 'active' AND (email_a = ? OR email_b = ?)", email, email).Scan(&n)
	return n, err
}

// PartnershipEvents returns a partnership's history, oldest first.
func (db *DB) PartnershipEvents(ctx context.Context, id int64) ([]partner.Event, error) {
	return queryAll(ctx, db.read, func(row rowScanner) (partner.Event, error) {
		var (
			e  partner.Event
			at string
		)
		err := row.Scan(&e.ID, &at, &e.Actor, &e.Kind, &e.From, &e.To, &e.Reason)
		e.At, _ = parseTime(at)
		return e, err
	}, "SELECT id, at, actor, kind, from_value, to_value, reason FROM partnership_events WHERE partnership_id = ? ORDER BY id", id)
}

// SetPartnershipStatus pauses, resumes or ends a partnership and records
// it. It returns ECONFLICT for a move partner.Status.CanBecome refuses.
func (db *DB) SetPartnershipStatus(ctx context.Context, id int64, to partner.Status, actor partner.Actor, reason string) (partner.Partnership, error) {
	var p partner.Partnership
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if p, err = partnershipByID(ctx, tx, id); err != nil {
			return err
		}
		if !p.Status.CanBecome(to) {
			return match.Errorf(match.ECONFLICT, "a partnership that is %s cannot become %s", p.Status, to)
		}
		now := db.Now()
		ended := ""
		if to == partner.Ended {
			ended = partner.Today(now)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE partnerships SET status = ?, ended_on = NULLIF(?, ''), updated_at = ? WHERE id = ?",
			string(to), ended, formatTime(now), id); err != nil {
			return translate(err, "these two businesses already have another partnership; end that one first")
		}
		if err := addEvent(ctx, tx, id, now, actor, partner.EventStatus, string(p.Status), string(to), reason); err != nil {
			return err
		}
		if to == partner.Ended {
			if err := lapseProposals(ctx, tx, id, formatTime(now)); err != nil {
				return err
			}
		}
		p, err = partnershipByID(ctx, tx, id)
		return err
	})
	return p, err
}

// moveLane moves partnership p to the other lane inside tx, keeping every
// record of the old one, and records who did it and why. It returns
// ECONFLICT when the partnership is in that lane already or has ended.
// Lanes change only by an accepted proposal (see Propose).
func moveLane(ctx context.Context, tx *sql.Tx, p partner.Partnership, to partner.Lane, now time.Time, actor partner.Actor, reason string) error {
	switch {
	case p.Lane == to:
		return match.Errorf(match.ECONFLICT, "this partnership is in the %s lane already", to)
	case p.Status == partner.Ended:
		return match.Errorf(match.ECONFLICT, "this partnership has ended; its lane can no longer change")
	}
	if _, err := tx.ExecContext(ctx, "UPDATE partnerships SET lane = ?, updated_at = ? WHERE id = ?", string(to), formatTime(now), p.ID); err != nil {
		return err
	}
	return addEvent(ctx, tx, p.ID, now, actor, partner.EventLane, string(p.Lane), string(to), reason)
}
