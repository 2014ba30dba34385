package match_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/match"
)

// TestWeightsAreRobust moves each weight around its default, one at a time,
// and checks the engine still beats both baselines on NDCG@10 and P@1: the
// defaults sit on a plateau, not on a spike fitted to the evaluation set.
// Run with -v to see the table (it is in BENCHMARKS.md).
func TestWeightsAreRobust(t *testing.T) {
	set := loadEvalSet(t)
	oneWay := evaluate(set, bleveRanker(t, set, "offer", func(p match.Post) string { return p.Seek }))
	similar := evaluate(set, bleveRanker(t, set, "all", func(p match.Post) string {
		return strings.Join([]string{p.Offer, p.Seek, p.Customers}, " ")
	}))
	floorNDCG, floorP1 := max(oneWay.NDCG10, similar.NDCG10), max(oneWay.P1, similar.P1)
	base := match.DefaultWeights()
	type variant struct {
		name string
		set  func(*match.Weights, float64)
		vals []float64
	}
	for _, v := range []variant{
		{"mutual", func(w *match.Weights, x float64) { w.Mutual = x }, []float64{0.45, 0.75}},
		{"shared_customers", func(w *match.Weights, x float64) { w.SharedCustomers = x }, []float64{0.7, 0.95}},
		{"competitor_penalty", func(w *match.Weights, x float64) { w.CompetitorPenalty = x }, []float64{0.7, 0.85}},
		{"rival_at", func(w *match.Weights, x float64) { w.RivalAt = x }, []float64{0.25, 0.5}},
		{"customer_discount", func(w *match.Weights, x float64) { w.CustomerDiscount = x }, []float64{0.55, 0.85}},
		{"inferred_customers", func(w *match.Weights, x float64) { w.InferredCustomers = x }, []float64{0.25, 0.75}},
	} {
		for _, x := range v.vals {
			w := base
			v.set(&w, x)
			m := evaluate(set, engineRanker(set, w))
			name := fmt.Sprintf("%s=%.2f", v.name, x)
			t.Logf("%-26s NDCG@10 %.3f  P@1 %.3f  rival in top 3 %.3f", name, m.NDCG10, m.P1, m.Rival3)
			if m.NDCG10 <= floorNDCG || m.P1 <= floorP1 {
				t.Errorf("%s: NDCG@10 %.3f, P@1 %.3f no longer beat the best baseline (%.3f, %.3f)", name, m.NDCG10, m.P1, floorNDCG, floorP1)
			}
		}
	}
}
