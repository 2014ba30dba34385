package partner

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Direction says which way a goal's metric should go.
type Direction string

const (
	AtLeast Direction = "at_least" // met when the actual reaches the target
	AtMost  Direction = "at_most"  // met when the actual stays at or under it (costs, churn)
)

// Goal is a shared goal for one quarter of a strategic partnership.
type Goal struct {
	ID        int64
	Quarter   match.Quarter
	Title     string
	Metric    string
	Target    float64
	Unit      string
	Direction Direction
	Owner     Owner
	Actual    *float64 // set at the review
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Met reports whether the goal was met; false until its actual is known.
func (g Goal) Met() bool {
	if g.Actual == nil {
		return false
	}
	if g.Direction == AtMost {
		return *g.Actual <= g.Target
	}
	return *g.Actual >= g.Target
}

// Deliverable is something one side (or both) promised for a quarter.
type Deliverable struct {
	ID        int64
	Quarter   match.Quarter
	What      string
	Owner     Owner
	DueOn     string // YYYY-MM-DD
	DoneOn    string // "" while not done
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Overdue reports whether the deliverable is not done and its day passed.
func (d Deliverable) Overdue(today string) bool { return d.DoneOn == "" && d.DueOn < today }

// Expectation is what one side signs up to for a quarter.
type Expectation struct {
	ID        int64
	Quarter   match.Quarter
	Side      Side
	Text      string
	SignedAt  time.Time // zero until signed
	CreatedAt time.Time
}

// Review is one side's look back at a quarter.
type Review struct {
	Quarter     match.Quarter
	Side        Side
	Rating      int // 1–5
	Delivered   string
	Notes       string
	SubmittedAt time.Time
}

// Plan is a quarter of a strategic partnership: its plan and reviews.
type Plan struct {
	Quarter      match.Quarter
	Goals        []Goal
	Deliverables []Deliverable
	Expectations []Expectation
	Reviews      []Review
	History      []PlanEdit // every change to its goals and deliverables, oldest first
}

// Empty reports whether nothing was planned or reviewed for the quarter.
func (p Plan) Empty() bool {
	return len(p.Goals) == 0 && len(p.Deliverables) == 0 && len(p.Expectations) == 0 && len(p.Reviews) == 0
}

// Returns are a quarter's results against its goals: what the partnership
// gave back that quarter.
type Returns struct {
	Quarter          match.Quarter `json:"quarter"`
	Goals            int           `json:"goals"`
	GoalsMet         int           `json:"goals_met"`
	GoalsMeasured    int           `json:"goals_measured"` // with an actual value
	Deliverables     int           `json:"deliverables"`
	DeliverablesDone int           `json:"deliverables_done"`
	Overdue          int           `json:"deliverables_overdue"`
	// Progress is each goal's actual as a share of its target (1 = met
	// exactly; for at_most goals, target ÷ actual), capped at 2 so one
	// runaway goal does not hide the others; nil until measured.
	Progress      map[int64]float64 `json:"progress"`
	RatingA       int               `json:"rating_a,omitempty"`
	RatingB       int               `json:"rating_b,omitempty"`
	ReviewedBy    []Side            `json:"reviewed_by"`
	ReviewMissing []Side            `json:"review_missing"` // after the quarter ended
}

// Returns computes the quarter's returns as of today (YYYY-MM-DD).
func (p Plan) Returns(today string) Returns {
	r := Returns{Quarter: p.Quarter, Goals: len(p.Goals), Deliverables: len(p.Deliverables),
		Progress: map[int64]float64{}, ReviewedBy: []Side{}, ReviewMissing: []Side{}}
	for _, g := range p.Goals {
		if g.Actual == nil {
			continue
		}
		r.GoalsMeasured++
		if g.Met() {
			r.GoalsMet++
		}
		r.Progress[g.ID] = progress(g)
	}
	for _, d := range p.Deliverables {
		if d.DoneOn != "" {
			r.DeliverablesDone++
		} else if d.Overdue(today) {
			r.Overdue++
		}
	}
	for _, rv := range p.Reviews {
		r.ReviewedBy = append(r.ReviewedBy, rv.Side)
		if rv.Side == A {
			r.RatingA = rv.Rating
		} else {
			r.RatingB = rv.Rating
		}
	}
	if ended := Today(p.Quarter.Next().Start()) <= today; ended && !p.Empty() {
		for _, s := range []Side{A, B} {
			if (s == A && r.RatingA == 0) || (s == B && r.RatingB == 0) {
				r.ReviewMissing = append(r.ReviewMissing, s)
			}
		}
	}
	return r
}

func progress(g Goal) float64 {
	a := *g.Actual
	var p float64
	switch {
	case g.Direction == AtMost && a <= 0:
		p = 2
	case g.Direction == AtMost:
		p = g.Target / a
	case g.Target == 0:
		p = 2
	default:
		p = a / g.Target
	}
	return min(max(p, 0), 2)
}
