package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The strategic lane: each quarter's plan, reviews and returns.

// QuarterView is one quarter of a strategic partnership: its plan, the
// reviews, and the returns against its goals.
type QuarterView struct {
	partner.Plan
	Returns partner.Returns
}

// Quarters returns a strategic partnership's quarters, oldest first: the
// quarter-by-quarter history of its plans and returns. With quarter set,
// only that quarter (empty when nothing is planned yet). Records stay
// readable after the partnership moved to the referral lane.
func (a *App) Quarters(ctx context.Context, who Who, id int64, quarter match.Quarter) ([]QuarterView, error) {
	p, _, _, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if err := a.readableIn(ctx, p, partner.LaneStrategic); err != nil {
		return nil, err
	}
	plans, err := a.Store.Plans(ctx, id, quarter)
	if err != nil {
		return nil, err
	}
	today := partner.Today(a.Store.Now())
	out := make([]QuarterView, len(plans))
	for i, plan := range plans {
		out[i] = QuarterView{Plan: plan, Returns: plan.Returns(today)}
	}
	return out, nil
}

// AddGoal adds a shared goal to a quarter's plan, for either member or
// the host.
func (a *App) AddGoal(ctx context.Context, who Who, id int64, quarter match.Quarter, in partner.GoalInput) (partner.Goal, error) {
	if err := match.Validate(in); err != nil {
		return partner.Goal{}, err
	}
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Goal{}, err
	}
	dir := partner.Direction(in.Direction)
	if dir == "" {
		dir = partner.AtLeast
	}
	g, err := a.Store.AddGoal(ctx, id, partner.Goal{Quarter: quarter, Title: in.Title, Metric: in.Metric, Target: *in.Target,
		Unit: in.Unit, Direction: dir, Owner: partner.Owner(in.Owner)}, actor)
	if err != nil {
		return g, err
	}
	a.notify(ctx, p, actor, "plan", "added the goal “"+g.Title+"” to "+string(quarter))
	return g, nil
}

// UpdateGoal edits a goal or records its actual value. Editing the plan
// needs an active partnership; recording a result does not.
func (a *App) UpdateGoal(ctx context.Context, who Who, id int64, quarter match.Quarter, goalID int64, in partner.GoalPatch) (partner.Goal, error) {
	if err := match.Validate(in); err != nil {
		return partner.Goal{}, err
	}
	if in.ClearActual && in.Actual != nil {
		return partner.Goal{}, match.Invalid("some fields are not valid", map[string]string{"clear_actual": "give actual or clear_actual, not both"})
	}
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Goal{}, err
	}
	planChange := in.Title != nil || in.Metric != nil || in.Target != nil || in.Unit != nil || in.Direction != nil || in.Owner != nil
	g, err := a.Store.UpdateGoal(ctx, id, quarter, goalID, planChange, actor, func(g *partner.Goal) {
		set(&g.Title, in.Title)
		set(&g.Metric, in.Metric)
		set(&g.Target, in.Target)
		set(&g.Unit, in.Unit)
		if in.Direction != nil {
			g.Direction = partner.Direction(*in.Direction)
		}
		if in.Owner != nil {
			g.Owner = partner.Owner(*in.Owner)
		}
		if in.Actual != nil {
			g.Actual = in.Actual
		}
		if in.ClearActual {
			g.Actual = nil
		}
	})
	if err != nil {
		return g, err
	}
	what := "changed the goal “" + g.Title + "” of " + string(quarter)
	if !planChange {
		what = "recorded the result of the goal “" + g.Title + "” of " + string(quarter)
	}
	a.notify(ctx, p, actor, "plan", what)
	return g, nil
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// DeleteGoal removes a goal from an active partnership's plan.
func (a *App) DeleteGoal(ctx context.Context, who Who, id int64, quarter match.Quarter, goalID int64) error {
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return err
	}
	if err := a.Store.DeleteGoal(ctx, id, quarter, goalID, actor); err != nil {
		return err
	}
	a.notify(ctx, p, actor, "plan", "removed a goal from "+string(quarter))
	return nil
}

// AddDeliverable adds a deliverable to a quarter's plan.
func (a *App) AddDeliverable(ctx context.Context, who Who, id int64, quarter match.Quarter, in partner.DeliverableInput) (partner.Deliverable, error) {
	if err := match.Validate(in); err != nil {
		return partner.Deliverable{}, err
	}
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Deliverable{}, err
	}
	d, err := a.Store.AddDeliverable(ctx, id, partner.Deliverable{Quarter: quarter, What: in.What, Owner: partner.Owner(in.Owner), DueOn: in.DueOn}, actor)
	if err != nil {
		return d, err
	}
	a.notify(ctx, p, actor, "plan", "added the deliverable “"+d.What+"”, due "+d.DueOn)
	return d, nil
}

// UpdateDeliverable edits a deliverable or marks it done (or not done).
// Marking it needs no active partnership; editing the plan does.
func (a *App) UpdateDeliverable(ctx context.Context, who Who, id int64, quarter match.Quarter, deliverableID int64, in partner.DeliverablePatch) (partner.Deliverable, error) {
	if err := match.Validate(in); err != nil {
		return partner.Deliverable{}, err
	}
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Deliverable{}, err
	}
	today := partner.Today(a.Store.Now())
	planChange := in.What != nil || in.Owner != nil || in.DueOn != nil
	d, err := a.Store.UpdateDeliverable(ctx, id, quarter, deliverableID, planChange, actor, func(d *partner.Deliverable) {
		set(&d.What, in.What)
		set(&d.DueOn, in.DueOn)
		if in.Owner != nil {
			d.Owner = partner.Owner(*in.Owner)
		}
		switch {
		case in.Done == nil:
		case *in.Done && d.DoneOn == "":
			d.DoneOn = today
		case !*in.Done:
			d.DoneOn = ""
		}
	})
	if err != nil {
		return d, err
	}
	what := "changed the deliverable “" + d.What + "”"
	switch {
	case in.Done != nil && *in.Done:
		what = "marked the deliverable “" + d.What + "” done"
	case in.Done != nil:
		what = "marked the deliverable “" + d.What + "” not done"
	}
	a.notify(ctx, p, actor, "plan", what)
	return d, nil
}

// DeleteDeliverable removes a deliverable from an active partnership's plan.
func (a *App) DeleteDeliverable(ctx context.Context, who Who, id int64, quarter match.Quarter, deliverableID int64) error {
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return err
	}
	if err := a.Store.DeleteDeliverable(ctx, id, quarter, deliverableID, actor); err != nil {
		return err
	}
	a.notify(ctx, p, actor, "plan", "removed a deliverable from "+string(quarter))
	return nil
}

// AddExpectation records what a side signs up to for the quarter. A member
// writes (and so signs) their own side's; the host writes one for a side
// to sign.
func (a *App) AddExpectation(ctx context.Context, who Who, id int64, quarter match.Quarter, in partner.ExpectationInput) (partner.Expectation, error) {
	if err := match.Validate(in); err != nil {
		return partner.Expectation{}, err
	}
	_, _, side, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Expectation{}, err
	}
	if side, err = sideFor(who, side, in.Side, "side", "which side signs up to it"); err != nil {
		return partner.Expectation{}, err
	}
	return a.Store.AddExpectation(ctx, id, partner.Expectation{Quarter: quarter, Side: side, Text: in.Text}, !who.Host)
}

// SignExpectation lets a member sign an expectation the host wrote for
// their side.
func (a *App) SignExpectation(ctx context.Context, who Who, id int64, quarter match.Quarter, expectationID int64) (partner.Expectation, error) {
	_, _, side, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Expectation{}, err
	}
	if who.Host {
		return partner.Expectation{}, match.Errorf(match.EFORBIDDEN, "only the side an expectation is for can sign up to it")
	}
	return a.Store.SignExpectation(ctx, id, quarter, expectationID, side)
}

// SaveReview stores the caller's review of a quarter, with the goals'
// actual values. A review is each partner's own: the host reads them.
func (a *App) SaveReview(ctx context.Context, who Who, id int64, quarter match.Quarter, in partner.ReviewInput) (partner.Review, error) {
	if err := match.Validate(in); err != nil {
		return partner.Review{}, err
	}
	p, actor, side, err := a.inLane(ctx, who, id, partner.LaneStrategic)
	if err != nil {
		return partner.Review{}, err
	}
	if who.Host {
		return partner.Review{}, match.Errorf(match.EFORBIDDEN, "a review is each partner's own; the host reads them")
	}
	r, err := a.Store.SaveReview(ctx, id, partner.Review{Quarter: quarter, Side: side, Rating: in.Rating, Delivered: in.Delivered, Notes: in.Notes}, in.Actuals)
	if err != nil {
		return r, err
	}
	a.notify(ctx, p, actor, "review", fmt.Sprintf("reviewed %s (%d of 5)", quarter, in.Rating))
	return r, nil
}

// Health is how one strategic partnership is doing, for the host.
type Health struct {
	Partnership partner.Partnership
	// Current is this quarter's returns so far.
	Current partner.Returns
	// Quarters is the returns of every planned quarter, oldest first.
	Quarters []partner.Returns
	// GoalsMet and Goals add up every measured quarter.
	GoalsMet, Goals int
	// Overdue counts deliverables past their day and not done.
	Overdue int
	// ReviewsMissing names the ended quarters a side has not reviewed.
	ReviewsMissing []MissingReview
	Warnings       []string
	// State sums it up from what happened (see healthState).
	State string
}

// What a strategic partnership's health says, from what happened in it.
const (
	// HealthNoReview: nothing to judge yet: no review, no goal measured,
	// no deliverable done. Never "on track" for want of news.
	HealthNoReview = "no_review_yet"
	// HealthNeedsLook: something is late or missing: deliverables overdue,
	// reviews owed for an ended quarter, or a warning.
	HealthNeedsLook = "needs_look"
	// HealthBehind: goals were measured and fewer than half were met.
	HealthBehind = "behind"
	// HealthOnTrack: there is evidence, and it is good.
	HealthOnTrack = "on_track"
)

// healthState judges h from its record alone.
func healthState(h Health) string {
	measured, reviewed, done := 0, false, 0
	for _, r := range h.Quarters {
		measured += r.GoalsMeasured
		done += r.DeliverablesDone
		reviewed = reviewed || len(r.ReviewedBy) > 0
	}
	switch {
	case h.Overdue > 0 || len(h.ReviewsMissing) > 0 || len(h.Warnings) > 0:
		return HealthNeedsLook
	case measured > 0 && 2*h.GoalsMet < measured:
		return HealthBehind
	case !reviewed && measured == 0 && done == 0:
		return HealthNoReview
	}
	return HealthOnTrack
}

// MissingReview is a quarter a side still owes a review for.
type MissingReview struct {
	Quarter match.Quarter
	Side    partner.Side
}

// PartnershipHealth returns every strategic partnership that is not ended,
// with its health, worst first (most overdue and missing, fewest goals met).
func (a *App) PartnershipHealth(ctx context.Context) ([]Health, error) {
	list, err := a.Store.Partnerships(ctx, domain.PartnershipFilter{Lane: partner.LaneStrategic})
	if err != nil {
		return nil, err
	}
	now := a.Store.Now()
	today, current := partner.Today(now), match.QuarterOf(now)
	out := []Health{}
	// The list holds every strategic partnership: the active ones an
	// address holds are counted from it, not read again per address.
	active := map[string]int{}
	for _, p := range list {
		if p.Status == partner.Active {
			active[p.A.Email]++
			active[p.B.Email]++
		}
	}
	count := func(email string) (int, error) { return active[email], nil }
	for _, p := range list {
		if p.Status == partner.Ended {
			continue
		}
		plans, err := a.Store.Plans(ctx, p.ID, "")
		if err != nil {
			return nil, err
		}
		h := Health{Partnership: p, Current: partner.Plan{Quarter: current}.Returns(today), Quarters: []partner.Returns{}, ReviewsMissing: []MissingReview{}}
		for _, plan := range plans {
			r := plan.Returns(today)
			h.Quarters = append(h.Quarters, r)
			if plan.Quarter == current {
				h.Current = r
			}
			h.Goals += r.Goals
			h.GoalsMet += r.GoalsMet
			h.Overdue += r.Overdue
			for _, s := range r.ReviewMissing {
				h.ReviewsMissing = append(h.ReviewsMissing, MissingReview{Quarter: plan.Quarter, Side: s})
			}
		}
		if h.Warnings, err = a.strategicWarnings(p, count); err != nil {
			return nil, err
		}
		h.State = healthState(h)
		out = append(out, h)
	}
	slices.SortStableFunc(out, func(x, y Health) int {
		bad := func(h Health) int { return 2*h.Overdue + 2*len(h.ReviewsMissing) + len(h.Warnings) - h.GoalsMet }
		return bad(y) - bad(x)
	})
	return out, nil
}
