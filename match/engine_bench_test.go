package match_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

// These benchmarks measure the engine on a synthetic community of 10,000
// posts; `matchmaker-bench bench` measures larger ones, recall and memory.

const benchPosts = 10_000

// syntheticPosts returns n generated posts with IDs 1..n.
func syntheticPosts(tb testing.TB, n int) []match.Post {
	tb.Helper()
	inputs := synth.Generate(synth.Options{N: n, Seed: 1, Quarter: "2026-Q3"})
	if len(inputs) != n {
		tb.Fatalf("synth.Generate gave %d posts, want %d", len(inputs), n)
	}
	now := time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC)
	posts := make([]match.Post, n)
	for i, in := range inputs {
		posts[i] = in.Post(now)
		posts[i].ID = int64(i + 1)
	}
	return posts
}

func loadedEngine(tb testing.TB, posts []match.Post) *match.Engine {
	tb.Helper()
	e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	e.Load(posts)
	if e.Len() != len(posts) {
		tb.Fatalf("engine holds %d posts, want %d", e.Len(), len(posts))
	}
	return e
}

// BenchmarkMatches is one post's top-10 with reasons, as the API serves it,
// each iteration a different random post.
func BenchmarkMatches(b *testing.B) {
	e := loadedEngine(b, syntheticPosts(b, benchPosts))
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		ms, err := e.Matches(int64(rng.IntN(benchPosts)+1), match.MatchOptions{Limit: 10})
		if err != nil {
			b.Fatal(err)
		}
		if len(ms) > 10 {
			b.Fatalf("got %d matches, want at most 10", len(ms))
		}
	}
}

// BenchmarkRound10k is every post's top-10, scores only, on every core.
func BenchmarkRound10k(b *testing.B) {
	e := loadedEngine(b, syntheticPosts(b, benchPosts))
	ids := make([]int64, benchPosts)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	for b.Loop() {
		if out := e.Round(ids, match.MatchOptions{Limit: 10, NoReasons: true}); len(out) != benchPosts {
			b.Fatalf("round gave matches for %d posts, want %d", len(out), benchPosts)
		}
	}
	b.ReportMetric(float64(benchPosts*b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkLoad10k is filling an empty engine with 10,000 posts.
func BenchmarkLoad10k(b *testing.B) {
	posts := syntheticPosts(b, benchPosts)
	vocab := match.DefaultVocabulary()
	for b.Loop() {
		e := match.NewEngine(vocab, match.DefaultWeights())
		e.Load(posts)
	}
	b.ReportMetric(float64(benchPosts*b.N)/b.Elapsed().Seconds(), "posts/s")
}
