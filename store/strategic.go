package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The strategic lane: goals, deliverables and expectations planned per
// quarter, and each side's review.

var strategic = requirement{lane: partner.LaneStrategic}

// newStrategic is the requirement of new strategic work.
var newStrategic = requirement{lane: partner.LaneStrategic, open: true}

const goalColumns = "id, quarter, title, metric, target, unit, direction, owner, actual, created_at, updated_at"

func scanGoal(row rowScanner) (partner.Goal, error) {
	var (
		g                partner.Goal
		actual           sql.NullFloat64
		created, updated string
	)
	err := row.Scan(&g.ID, &g.Quarter, &g.Title, &g.Metric, &g.Target, &g.Unit, &g.Direction, &g.Owner, &actual, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return g, match.Errorf(match.ENOTFOUND, "goal not found")
	}
	if actual.Valid {
		g.Actual = &actual.Float64
	}
	g.CreatedAt, _ = parseTime(created)
	g.UpdatedAt, _ = parseTime(updated)
	return g, err
}

const deliverableColumns = "id, quarter, what, owner, due_on, COALESCE(done_on, ''), created_at, updated_at"

func scanDeliverable(row rowScanner) (partner.Deliverable, error) {
	var (
		d                partner.Deliverable
		created, updated string
	)
	err := row.Scan(&d.ID, &d.Quarter, &d.What, &d.Owner, &d.DueOn, &d.DoneOn, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, match.Errorf(match.ENOTFOUND, "deliverable not found")
	}
	d.CreatedAt, _ = parseTime(created)
	d.UpdatedAt, _ = parseTime(updated)
	return d, err
}

const expectationColumns = "id, quarter, side, text, COALESCE(signed_at, ''), created_at"

func scanExpectation(row rowScanner) (partner.Expectation, error) {
	var (
		e               partner.Expectation
		signed, created string
	)
	err := row.Scan(&e.ID, &e.Quarter, &e.Side, &e.Text, &signed, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return e, match.Errorf(match.ENOTFOUND, "expectation not found")
	}
	if signed != "" {
		e.SignedAt, _ = parseTime(signed)
	}
	e.CreatedAt, _ = parseTime(created)
	return e, err
}

func scanReview(row rowScanner) (partner.Review, error) {
	var (
		r         partner.Review
		submitted string
	)
	err := row.Scan(&r.Quarter, &r.Side, &r.Rating, &r.Delivered, &r.Notes, &submitted)
	r.SubmittedAt, _ = parseTime(submitted)
	return r, err
}

// AddGoal adds a goal to a quarter's plan. It returns ECONFLICT unless the
// partnership is an active strategic one.
func (db *DB) AddGoal(ctx context.Context, partnershipID int64, g partner.Goal, actor partner.Actor) (partner.Goal, error) {
	return addRecord(ctx, db, partnershipID, newStrategic, "goals", goalColumns, scanGoal, func(tx *sql.Tx, now string) (sql.Result, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO goals (partnership_id, quarter, title, metric, target, unit, direction, owner, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, partnershipID, string(g.Quarter), g.Title, g.Metric, g.Target, g.Unit, string(g.Direction), string(g.Owner), now, now)
		if err != nil {
			return nil, err
		}
		g.ID, _ = res.LastInsertId()
		return res, addPlanEdit(ctx, tx, partnershipID, partner.GoalEdit(partner.Goal{}, g), partner.Added, actor, now)
	})
}

// UpdateGoal applies edit to a goal of the quarter and stores the result.
// Results (actuals) may still be recorded once a partnership is paused or
// ended; the plan itself changes only while it is active.
func (db *DB) UpdateGoal(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, planChange bool, actor partner.Actor, edit func(*partner.Goal)) (partner.Goal, error) {
	return editPlanItem(ctx, db, "goals", goalColumns, scanGoal, partnershipID, quarter, id, planChange, actor, edit, partner.GoalEdit,
		func(tx *sql.Tx, g *partner.Goal, now time.Time) error {
			g.UpdatedAt = now
			_, err := tx.ExecContext(ctx, "UPDATE goals SET title = ?, metric = ?, target = ?, unit = ?, direction = ?, owner = ?, actual = ?, updated_at = ? WHERE id = ?",
				g.Title, g.Metric, g.Target, g.Unit, string(g.Direction), string(g.Owner), g.Actual, formatTime(now), id)
			return err
		})
}

// editPlanItem changes one item of a quarter's plan (table and columns
// are constants) in one transaction: the partnership must be strategic,
// and active when planChange; the item must be the partnership's and the
// quarter's (else ENOTFOUND). It applies edit, stores the item with save,
// records what changed (history: the edit from the old item to the new)
// as actor's, and marks the partnership updated.
func editPlanItem[T any](ctx context.Context, db *DB, table, columns string, scan func(rowScanner) (T, error),
	partnershipID int64, quarter match.Quarter, id int64, planChange bool, actor partner.Actor, edit func(*T), history func(old, new T) partner.PlanEdit,
	save func(*sql.Tx, *T, time.Time) error) (T, error) {
	var item T
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, requirement{lane: partner.LaneStrategic, open: planChange}); err != nil {
			return err
		}
		var err error
		if item, err = scan(tx.QueryRowContext(ctx, "SELECT "+columns+" FROM "+table+" WHERE id = ? AND partnership_id = ? AND quarter = ?",
			id, partnershipID, string(quarter))); err != nil {
			return err
		}
		old := item
		edit(&item)
		now := db.Now()
		if err := save(tx, &item, now); err != nil {
			return err
		}
		if e := history(old, item); len(e.Changes) > 0 {
			if err := addPlanEdit(ctx, tx, partnershipID, e, e.Action, actor, formatTime(now)); err != nil {
				return err
			}
		}
		return touch(ctx, tx, partnershipID, now)
	})
	return item, err
}

// DeleteGoal removes a goal from an active strategic partnership's plan,
// or returns ENOTFOUND.
func (db *DB) DeleteGoal(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, actor partner.Actor) error {
	return db.deletePlanItem(ctx, "goals", "title", partner.GoalItem, partnershipID, quarter, id, actor)
}

// DeleteDeliverable removes a deliverable, like DeleteGoal.
func (db *DB) DeleteDeliverable(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, actor partner.Actor) error {
	return db.deletePlanItem(ctx, "deliverables", "what", partner.DeliverableItem, partnershipID, quarter, id, actor)
}

// deletePlanItem deletes a row of a plan table, whose title is in column
// (both constants, never input), and records the removal as actor's.
func (db *DB) deletePlanItem(ctx context.Context, table, column string, item partner.PlanItem, partnershipID int64, quarter match.Quarter, id int64, actor partner.Actor) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, newStrategic); err != nil {
			return err
		}
		var title string
		err := tx.QueryRowContext(ctx, "SELECT "+column+" FROM "+table+" WHERE id = ? AND partnership_id = ? AND quarter = ?", id, partnershipID, string(quarter)).Scan(&title)
		if errors.Is(err, sql.ErrNoRows) {
			return match.Errorf(match.ENOTFOUND, "%s not found", item)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ?", id); err != nil {
			return err
		}
		now := db.Now()
		e := partner.PlanEdit{Quarter: quarter, Item: item, ItemID: id, Title: title}
		if err := addPlanEdit(ctx, tx, partnershipID, e, partner.Removed, actor, formatTime(now)); err != nil {
			return err
		}
		return touch(ctx, tx, partnershipID, now)
	})
}

// addPlanEdit records e, as action by actor at now, inside tx.
func addPlanEdit(ctx context.Context, tx *sql.Tx, partnershipID int64, e partner.PlanEdit, action partner.PlanAction, actor partner.Actor, now string) error {
	changes := e.Changes
	if action == partner.Added || action == partner.Removed {
		changes = nil // what was added is the item itself; what was removed, gone
	}
	data, err := json.Marshal(append([]partner.Change{}, changes...))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plan_edits (partnership_id, quarter, item, item_id, title, action, changes, actor, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, partnershipID, string(e.Quarter), string(e.Item), e.ItemID, e.Title, string(action), string(data), string(actor), now)
	return err
}

func scanPlanEdit(row rowScanner) (partner.PlanEdit, error) {
	var (
		e           partner.PlanEdit
		changes, at string
	)
	if err := row.Scan(&e.ID, &e.Quarter, &e.Item, &e.ItemID, &e.Title, &e.Action, &changes, &e.Actor, &at); err != nil {
		return e, err
	}
	e.At, _ = parseTime(at)
	return e, json.Unmarshal([]byte(changes), &e.Changes)
}

// AddDeliverable adds a deliverable to a quarter's plan, like AddGoal.
func (db *DB) AddDeliverable(ctx context.Context, partnershipID int64, d partner.Deliverable, actor partner.Actor) (partner.Deliverable, error) {
	return addRecord(ctx, db, partnershipID, newStrategic, "deliverables", deliverableColumns, scanDeliverable, func(tx *sql.Tx, now string) (sql.Result, error) {
		res, err := tx.ExecContext(ctx, `INSERT INTO deliverables (partnership_id, quarter, what, owner, due_on, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, partnershipID, string(d.Quarter), d.What, string(d.Owner), d.DueOn, now, now)
		if err != nil {
			return nil, err
		}
		d.ID, _ = res.LastInsertId()
		return res, addPlanEdit(ctx, tx, partnershipID, partner.DeliverableEdit(partner.Deliverable{}, d), partner.Added, actor, now)
	})
}

// UpdateDeliverable applies edit to a deliverable, like UpdateGoal: marking
// it done is allowed after the partnership paused or ended.
func (db *DB) UpdateDeliverable(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, planChange bool, actor partner.Actor, edit func(*partner.Deliverable)) (partner.Deliverable, error) {
	return editPlanItem(ctx, db, "deliverables", deliverableColumns, scanDeliverable, partnershipID, quarter, id, planChange, actor, edit, partner.DeliverableEdit,
		func(tx *sql.Tx, d *partner.Deliverable, now time.Time) error {
			d.UpdatedAt = now
			_, err := tx.ExecContext(ctx, "UPDATE deliverables SET what = ?, owner = ?, due_on = ?, done_on = NULLIF(?, ''), updated_at = ? WHERE id = ?",
				d.What, string(d.Owner), d.DueOn, d.DoneOn, formatTime(now), id)
			return err
		})
}

// AddExpectation records what a side signs up to for a quarter. A side
// writing its own expectation signs it at once.
func (db *DB) AddExpectation(ctx context.Context, partnershipID int64, e partner.Expectation, signed bool) (partner.Expectation, error) {
	return addRecord(ctx, db, partnershipID, newStrategic, "expectations", expectationColumns, scanExpectation, func(tx *sql.Tx, now string) (sql.Result, error) {
		signedAt := ""
		if signed {
			signedAt = now
		}
		return tx.ExecContext(ctx, `INSERT INTO expectations (partnership_id, quarter, side, text, signed_at, created_at)
			VALUES (?, ?, ?, ?, NULLIF(?, ''), ?)`, partnershipID, string(e.Quarter), string(e.Side), e.Text, signedAt, now)
	})
}

// SignExpectation records that side signs up to an expectation written
// for it. It returns ENOTFOUND for another side's expectation and
// ECONFLICT when it is signed already.
func (db *DB) SignExpectation(ctx context.Context, partnershipID int64, quarter match.Quarter, id int64, side partner.Side) (partner.Expectation, error) {
	var e partner.Expectation
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, newStrategic); err != nil {
			return err
		}
		var err error
		if e, err = scanExpectation(tx.QueryRowContext(ctx, "SELECT "+expectationColumns+" FROM expectations WHERE id = ? AND partnership_id = ? AND quarter = ? AND side = ?",
			id, partnershipID, string(quarter), string(side))); err != nil {
			return err
		}
		if !e.SignedAt.IsZero() {
			return match.Errorf(match.ECONFLICT, "you signed this expectation already")
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, "UPDATE expectations SET signed_at = ? WHERE id = ?", formatTime(now), id); err != nil {
			return err
		}
		e.SignedAt = now
		return touch(ctx, tx, partnershipID, now)
	})
	return e, err
}

// SaveReview stores one side's review of a quarter, replacing the side's
// earlier one, with the goals' actual values, in one transaction. Reviews
// are welcome after a partnership paused or ended: the last quarter
// deserves one too. It returns EINVALID for a goal not in the quarter.
func (db *DB) SaveReview(ctx context.Context, partnershipID int64, r partner.Review, actuals []partner.GoalActual) (partner.Review, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, strategic); err != nil {
			return err
		}
		now := db.Now()
		for i, a := range actuals {
			old, err := scanGoal(tx.QueryRowContext(ctx, "SELECT "+goalColumns+" FROM goals WHERE id = ? AND partnership_id = ? AND quarter = ?",
				a.GoalID, partnershipID, string(r.Quarter)))
			if match.ErrorCode(err) == match.ENOTFOUND {
				return match.Invalid("some fields are not valid", map[string]string{"actuals[" + strconv.Itoa(i) + "].goal_id": "is not a goal of this quarter's plan"})
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE goals SET actual = ?, updated_at = ? WHERE id = ?", a.Actual, formatTime(now), a.GoalID); err != nil {
				return err
			}
			measured := old
			measured.Actual = &a.Actual
			if e := partner.GoalEdit(old, measured); len(e.Changes) > 0 {
				if err := addPlanEdit(ctx, tx, partnershipID, e, e.Action, partner.Actor(r.Side), formatTime(now)); err != nil {
					return err
				}
			}
		}
		r.SubmittedAt = now
		if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (partnership_id, quarter, side, rating, delivered, notes, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (partnership_id, quarter, side) DO UPDATE SET rating = excluded.rating, delivered = excluded.delivered, notes = excluded.notes, submitted_at = excluded.submitted_at`,
			partnershipID, string(r.Quarter), string(r.Side), r.Rating, r.Delivered, r.Notes, formatTime(now)); err != nil {
			return err
		}
		return touch(ctx, tx, partnershipID, now)
	})
	return r, err
}

// Plans returns a partnership's strategic quarters, each with its plan and
// reviews, oldest first; with quarter set, only that one (empty if nothing
// was planned). It reads in one transaction, so the quarters agree.
func (db *DB) Plans(ctx context.Context, partnershipID int64, quarter match.Quarter) ([]partner.Plan, error) {
	return inSnapshot(ctx, db, func(tx *sql.Tx) ([]partner.Plan, error) {
		where, args := " WHERE partnership_id = ?", []any{partnershipID}
		if quarter != "" {
			where += " AND quarter = ?"
			args = append(args, string(quarter))
		}
		goals, err := queryAll(ctx, tx, scanGoal, "SELECT "+goalColumns+" FROM goals"+where+" ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		deliverables, err := queryAll(ctx, tx, scanDeliverable, "SELECT "+deliverableColumns+" FROM deliverables"+where+" ORDER BY due_on, id", args...)
		if err != nil {
			return nil, err
		}
		expectations, err := queryAll(ctx, tx, scanExpectation, "SELECT "+expectationColumns+" FROM expectations"+where+" ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		reviews, err := queryAll(ctx, tx, scanReview, "SELECT quarter, side, rating, delivered, notes, submitted_at FROM reviews"+where+" ORDER BY side", args...)
		if err != nil {
			return nil, err
		}
		history, err := queryAll(ctx, tx, scanPlanEdit, "SELECT id, quarter, item, item_id, title, action, changes, actor, at FROM plan_edits"+where+" ORDER BY id", args...)
		if err != nil {
			return nil, err
		}
		plans := map[match.Quarter]*partner.Plan{}
		plan := func(q match.Quarter) *partner.Plan {
			if plans[q] == nil {
				plans[q] = &partner.Plan{Quarter: q}
			}
			return plans[q]
		}
		if quarter != "" {
			plan(quarter)
		}
		for _, g := range goals {
			plan(g.Quarter).Goals = append(plan(g.Quarter).Goals, g)
		}
		for _, d := range deliverables {
			plan(d.Quarter).Deliverables = append(plan(d.Quarter).Deliverables, d)
		}
		for _, e := range expectations {
			plan(e.Quarter).Expectations = append(plan(e.Quarter).Expectations, e)
		}
		for _, r := range reviews {
			plan(r.Quarter).Reviews = append(plan(r.Quarter).Reviews, r)
		}
		for _, e := range history {
			plan(e.Quarter).History = append(plan(e.Quarter).History, e)
		}
		out := make([]partner.Plan, 0, len(plans))
		for _, p := range plans {
			out = append(out, *p)
		}
		slices.SortFunc(out, func(x, y partner.Plan) int { return strings.Compare(string(x.Quarter), string(y.Quarter)) })
		return out, nil
	})
}
