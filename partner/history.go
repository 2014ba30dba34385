package partner

import (
	"strconv"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// The plan's history: every goal and deliverable keeps the record of who
// added, changed, measured, finished or removed it, and what each change
// was, for both sides and the host to read. A plan both sides work to
// should not change under one of them unseen.

// PlanItem is what kind of plan item an edit is of.
type PlanItem string

const (
	GoalItem        PlanItem = "goal"
	DeliverableItem PlanItem = "deliverable"
)

// PlanAction is what an edit did.
type PlanAction string

const (
	Added   PlanAction = "added"
	Changed PlanAction = "changed" // the plan: title, metric, target, owner, due day…
	Result  PlanAction = "result"  // a goal's actual recorded or cleared
	Done    PlanAction = "done"    // a deliverable marked done or not done
	Removed PlanAction = "removed"
)

// Change is one field an edit changed, as people read it.
type Change struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// PlanEdit is one step of a plan item's history. Edits are never edited.
type PlanEdit struct {
	ID      int64
	Quarter match.Quarter
	Item    PlanItem
	ItemID  int64
	Title   string // the item's title (a deliverable's what) after the edit, or before its removal
	Action  PlanAction
	Changes []Change
	Actor   Actor
	At      time.Time
}

// GoalEdit is the edit that took goal old to new: the fields that changed,
// and whether it was the plan or the result.
func GoalEdit(old, new Goal) PlanEdit {
	e := PlanEdit{Quarter: new.Quarter, Item: GoalItem, ItemID: new.ID, Title: new.Title, Action: Changed}
	add := func(field, from, to string) {
		if from != to {
			e.Changes = append(e.Changes, Change{field, from, to})
		}
	}
	add("title", old.Title, new.Title)
	add("metric", old.Metric, new.Metric)
	add("target", number(old.Target), number(new.Target))
	add("unit", old.Unit, new.Unit)
	add("direction", string(old.Direction), string(new.Direction))
	add("owner", string(old.Owner), string(new.Owner))
	plan := len(e.Changes)
	add("actual", optional(old.Actual), optional(new.Actual))
	if plan == 0 && len(e.Changes) > 0 {
		e.Action = Result
	}
	return e
}

// DeliverableEdit is the edit that took deliverable old to new.
func DeliverableEdit(old, new Deliverable) PlanEdit {
	e := PlanEdit{Quarter: new.Quarter, Item: DeliverableItem, ItemID: new.ID, Title: new.What, Action: Changed}
	add := func(field, from, to string) {
		if from != to {
			e.Changes = append(e.Changes, Change{field, from, to})
		}
	}
	add("what", old.What, new.What)
	add("owner", string(old.Owner), string(new.Owner))
	add("due_on", old.DueOn, new.DueOn)
	plan := len(e.Changes)
	add("done_on", old.DoneOn, new.DoneOn)
	if plan == 0 && len(e.Changes) > 0 {
		e.Action = Done
	}
	return e
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func optional(f *float64) string {
	if f == nil {
		return ""
	}
	return number(*f)
}
