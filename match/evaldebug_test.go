package match_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/matchmaker/matchmaker/match"
)

func TestEvalDebug(t *testing.T) {
	if os.Getenv("EVAL_DEBUG") == "" {
		t.Skip()
	}
	set := loadEvalSet(t)
	e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	e.Load(set.posts)
	for _, q := range set.labels {
		p := set.posts[set.byExt[q.Post]-1]
		ms, _ := e.Matches(p.ID, match.MatchOptions{Limit: 5})
		bad := false
		for i, m := range ms[:min(3, len(ms))] {
			if slices.Contains(q.Competitors, m.Post.ExternalID) && i < 3 {
				bad = true
			}
		}
		if !bad {
			continue
		}
		t.Logf("== %s %s | offer: %s | seek: %s | cust: %s | relevant %v rivals %v", p.ExternalID, p.Business, p.Offer, p.Seek, p.Customers, q.Relevant, q.Competitors)
		for _, m := range ms {
			t.Logf("   %s g=%d %.3f %+v %s | %s", m.Post.ExternalID, q.Relevant[m.Post.ExternalID], m.Score, m.Scores, m.Post.Business, m.Post.Offer)
		}
	}
}

// TestEvalSweep shows how the figures move with each weight around the
// defaults (EVAL_SWEEP=1): a robust default sits on a plateau, not a spike.
func TestEvalSweep(t *testing.T) {
	if os.Getenv("EVAL_SWEEP") == "" {
		t.Skip("set EVAL_SWEEP=1 to run the weight sweep")
	}
	set := loadEvalSet(t)
	base := match.DefaultWeights()
	try := func(name string, w match.Weights) {
		m := evaluate(set, engineRanker(set, w))
		t.Logf("%-28s NDCG %.3f  P@1 %.3f  rivals %.3f", name, m.NDCG10, m.P1, m.Rival3)
	}
	try("defaults", base)
	for _, v := range []float64{0.5, 0.9, 1} {
		w := base
		w.Mutual = v
		try(fmt.Sprintf("mutual=%.2f", v), w)
	}
	for _, v := range []float64{0.6, 0.7, 0.95} {
		w := base
		w.SharedCustomers = v
		try(fmt.Sprintf("shared_customers=%.2f", v), w)
	}
	for _, v := range []float64{0.5, 0.7, 1} {
		w := base
		w.CompetitorPenalty = v
		try(fmt.Sprintf("competitor_penalty=%.2f", v), w)
	}
	for _, v := range []float64{0.25, 0.33, 0.75} {
		w := base
		w.RivalAt = v
		try(fmt.Sprintf("rival_at=%.2f", v), w)
	}
	for _, v := range []float64{0.3, 0.5, 0.85} {
		w := base
		w.CustomerDiscount = v
		try(fmt.Sprintf("customer_discount=%.2f", v), w)
	}
	for _, v := range []float64{0.25, 0.75, 1} {
		w := base
		w.InferredCustomers = v
		try(fmt.Sprintf("inferred_customers=%.2f", v), w)
	}
}
