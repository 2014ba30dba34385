package match_test

import (
	"math/rand/v2"
	"testing"

	"github.com/matchmaker/matchmaker/match"
)

func BenchmarkZZNoReasons(b *testing.B) {
	e := loadedEngine(b, syntheticPosts(b, benchPosts))
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		e.Matches(int64(rng.IntN(benchPosts)+1), match.MatchOptions{Limit: 10, NoReasons: true})
	}
}
