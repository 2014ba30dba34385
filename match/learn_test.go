package match_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/match/evalset"
)

// answer is what a member of a labelled set would say of a match: a good
// fit for a labelled partner, a competitor for a rival, not relevant
// otherwise.
func answer(set *evalset.Set, it evalset.Item, other string) (match.Verdict, match.Reason) {
	switch {
	case it.Relevant[other] > 0:
		return match.GoodFit, match.ReasonNone
	case slices.Contains(set.Rivals(it.Key), other):
		return match.NotAFit, match.ReasonCompetitor
	}
	return match.NotAFit, match.ReasonNotRelevant
}

// TestFeedbackReplayHelpsSilentPosts replays a community answering its
// matches over three rounds: every other post answers about its top five
// each round, the rest never answer. What the engine learns from the
// answers must rank better for the silent posts (pairs the answers took
// out do not count: the silent posts are ranked with nothing excluded),
// and learning from no answers must change nothing.
func TestFeedbackReplayHelpsSilentPosts(t *testing.T) {
	for _, path := range evalSets {
		set := loadSet(t, path)
		e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
		e.Load(set.Posts)
		silent := func(key string) bool {
			p, _ := set.Post(key)
			return p.ID%2 == 0
		}
		before := set.ScoreOnly(set.Rank(e, false), silent)
		if learned := e.Learn(nil, nil); len(learned) != 0 {
			t.Fatalf("%s: learned %d relations from no answers", path, len(learned))
		}
		if cold := set.ScoreOnly(set.Rank(e, false), silent); cold != before {
			t.Fatalf("%s: learning from no answers changed the rankings: %s, was %s", path, cold, before)
		}
		var answers []match.Feedback
		answered := map[[2]int64]bool{}
		after := before
		for round := 1; round <= 3; round++ {
			for i, it := range set.Items {
				p := set.Posts[i]
				if silent(it.Key) {
					continue
				}
				ms, err := e.Matches(p.ID, match.MatchOptions{Limit: 5, NoReasons: true,
					Exclude: func(id int64) bool { return answered[[2]int64{p.ID, id}] }})
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					v, r := answer(set, it, set.Key(m.Post.ID))
					answers = append(answers, match.Feedback{Post: p.ID, Other: m.Post.ID, Verdict: v, Reason: r})
					answered[[2]int64{p.ID, m.Post.ID}] = true
				}
			}
			learned := e.Learn(answers, nil)
			after = set.ScoreOnly(set.Rank(e, false), silent)
			t.Logf("%s round %d: %d answers, %d relations learned; silent posts %s (before any: %s)", path, round, len(answers), len(learned), after, before)
		}
		if after.NDCG10 <= before.NDCG10 || after.RivalTop3 > before.RivalTop3 {
			t.Errorf("%s: the silent posts rank no better after three rounds of answers: %s, before %s", path, after, before)
		}
	}
}

// TestForgettingUndoesLearning checks that a relation the host tells the
// engine to forget counts for nothing, and that forgetting all of them
// brings back the rankings of no learning.
func TestForgettingUndoesLearning(t *testing.T) {
	set := loadSet(t, evalSets[1])
	e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	e.Load(set.Posts)
	base := set.Rank(e, false)
	var answers []match.Feedback
	for i, it := range set.Items {
		for k := range it.Relevant {
			o, _ := set.Post(k)
			if i%3 == 0 {
				answers = append(answers, match.Feedback{Post: set.Posts[i].ID, Other: o.ID, Verdict: match.GoodFit})
			}
		}
	}
	learned := e.Learn(answers, nil)
	if len(learned) == 0 {
		t.Fatal("nothing learned from the answers")
	}
	forget := map[match.LearnedKey]bool{}
	for _, l := range learned {
		forget[l.Key()] = true
	}
	again := e.Learn(answers, forget)
	for _, l := range again {
		if !l.Forgotten {
			t.Fatalf("%+v is not marked forgotten", l)
		}
	}
	// Good fits still lift their own pairs; without them, nothing is left.
	e.Learn(nil, forget)
	if got := set.Rank(e, false); !maps.EqualFunc(got, base, slices.Equal) {
		t.Error("forgetting everything learned does not bring back the rankings of no learning")
	}
}
