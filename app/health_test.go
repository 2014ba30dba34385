package app

import (
	"testing"

	"github.com/matchmaker/matchmaker/partner"
)

// TestHealthStateComesFromWhatHappened checks each state against the
// record that earns it.
func TestHealthStateComesFromWhatHappened(t *testing.T) {
	planned := partner.Returns{Goals: 2, Deliverables: 1, ReviewedBy: []partner.Side{}}
	reviewed := partner.Returns{Goals: 2, GoalsMeasured: 2, GoalsMet: 2, ReviewedBy: []partner.Side{partner.A, partner.B}}
	for _, c := range []struct {
		name string
		h    Health
		want string
	}{
		{"nothing at all", Health{}, HealthNoReview},
		{"goals planned, nothing measured", Health{Quarters: []partner.Returns{planned}, Goals: 2}, HealthNoReview},
		{"a review with its goals met", Health{Quarters: []partner.Returns{reviewed}, Goals: 2, GoalsMet: 2}, HealthOnTrack},
		{"a deliverable done, no review yet", Health{Quarters: []partner.Returns{{Deliverables: 1, DeliverablesDone: 1, ReviewedBy: []partner.Side{}}}}, HealthOnTrack},
		{"one of three measured goals met", Health{Quarters: []partner.Returns{{Goals: 3, GoalsMeasured: 3, GoalsMet: 1, ReviewedBy: []partner.Side{partner.A}}}, Goals: 3, GoalsMet: 1}, HealthBehind},
		{"a deliverable overdue", Health{Quarters: []partner.Returns{reviewed}, Overdue: 1}, HealthNeedsLook},
		{"a review owed", Health{Quarters: []partner.Returns{planned}, ReviewsMissing: []MissingReview{{Side: partner.B}}}, HealthNeedsLook},
		{"a warning", Health{Warnings: []string{"too many"}}, HealthNeedsLook},
	} {
		if got := healthState(c.h); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
