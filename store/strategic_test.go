package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// TestPlanHistoryIsKept: every change to a goal or deliverable is kept,
// with who made it and what changed, in the transaction of the change;
// the database refuses to edit or delete that history.
func TestPlanHistoryIsKept(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p, err := db.CreatePartnership(ctx, partner.Partnership{Lane: partner.LaneStrategic, StartedOn: "2026-07-01",
		A: partner.Party{Email: "a@a.example", Business: "A"}, B: partner.Party{Email: "b@b.example", Business: "B"}}, partner.Host)
	if err != nil {
		t.Fatal(err)
	}
	const q = match.Quarter("2026-Q3")
	a, b := partner.Actor(partner.A), partner.Actor(partner.B)
	g, err := db.AddGoal(ctx, p.ID, partner.Goal{Quarter: q, Title: "Joint webinar", Metric: "signups", Target: 40, Direction: partner.AtLeast, Owner: partner.Both}, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateGoal(ctx, p.ID, q, g.ID, true, b, func(g *partner.Goal) { g.Target, g.Title = 25, "Joint webinars" }); err != nil {
		t.Fatal(err)
	}
	// An edit that changes nothing leaves no trace.
	if _, err := db.UpdateGoal(ctx, p.ID, q, g.ID, true, a, func(g *partner.Goal) { g.Target = 25 }); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveReview(ctx, p.ID, partner.Review{Quarter: q, Side: partner.B, Rating: 4}, []partner.GoalActual{{GoalID: g.ID, Actual: 31}}); err != nil {
		t.Fatal(err)
	}
	d, err := db.AddDeliverable(ctx, p.ID, partner.Deliverable{Quarter: q, What: "Landing page", Owner: partner.Owner(partner.A), DueOn: "2026-08-01"}, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateDeliverable(ctx, p.ID, q, d.ID, false, a, func(d *partner.Deliverable) { d.DoneOn = "2026-07-30" }); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteGoal(ctx, p.ID, q, g.ID, partner.Host); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteGoal(ctx, p.ID, q, g.ID, partner.Host); match.ErrorCode(err) != match.ENOTFOUND {
		t.Errorf("deleting it twice: %v, want not found", err)
	}
	plans, err := db.Plans(ctx, p.ID, q)
	if err != nil || len(plans) != 1 {
		t.Fatalf("plans: %+v, %v", plans, err)
	}
	var got []string
	for _, e := range plans[0].History {
		line := string(e.Actor) + " " + string(e.Action) + " " + string(e.Item) + " " + e.Title
		for _, c := range e.Changes {
			line += " [" + c.Field + " " + c.From + "→" + c.To + "]"
		}
		got = append(got, line)
	}
	want := []string{
		"a added goal Joint webinar",
		"b changed goal Joint webinars [title Joint webinar→Joint webinars] [target 40→25]",
		"b result goal Joint webinars [actual →31]",
		"a added deliverable Landing page",
		"a done deliverable Landing page [done_on →2026-07-30]",
		"host removed goal Joint webinars",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{"UPDATE plan_edits SET actor = 'a'", "DELETE FROM plan_edits"} {
		if _, err := raw.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "never") {
			t.Errorf("%s: %v, want the database to refuse", stmt, err)
		}
	}
}
