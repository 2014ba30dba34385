package match_test

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/matchmaker/matchmaker/match"
)

func degrees(pairs []match.Pair) map[int64]int {
	d := map[int64]int{}
	for _, p := range pairs {
		d[p.A]++
		d[p.B]++
	}
	return d
}

func total(pairs []match.Pair) float64 {
	s := 0.0
	for _, p := range pairs {
		s += p.Score
	}
	return s
}

func TestAssignSpreadsAPopularPost(t *testing.T) {
	// Everyone's best partner is post 1; each also has a weaker second choice.
	var cands []match.Pair
	for i := int64(2); i <= 9; i++ {
		cands = append(cands, match.Pair{A: i, B: 1, Score: 0.9})
	}
	cands = append(cands, match.Pair{A: 2, B: 3, Score: 0.4}, match.Pair{A: 4, B: 5, Score: 0.4},
		match.Pair{A: 6, B: 7, Score: 0.4}, match.Pair{A: 8, B: 9, Score: 0.35})
	got := match.Assign(cands, 3, 0.3)
	d := degrees(got)
	if d[1] > 3 {
		t.Errorf("the popular post got %d suggestions, want at most 3", d[1])
	}
	for i := int64(1); i <= 9; i++ {
		if d[i] == 0 {
			t.Errorf("post %d got no suggestion though it has decent partners: %v", i, got)
		}
	}
}

func TestAssignRepairsCoverage(t *testing.T) {
	// Greedy alone: 1-2, 1-3 fill post 1 (limit 2); post 4 only fits with 1.
	cands := []match.Pair{{A: 1, B: 2, Score: 0.9}, {A: 1, B: 3, Score: 0.8}, {A: 2, B: 3, Score: 0.5}, {A: 1, B: 4, Score: 0.4}}
	got := match.Assign(cands, 2, 0.3)
	d := degrees(got)
	if d[4] != 1 || d[1] > 2 {
		t.Fatalf("post 4 left out or post 1 over its limit: %v", got)
	}
	for _, p := range []int64{1, 2, 3} {
		if d[p] == 0 {
			t.Errorf("repair left post %d with nothing: %v", p, got)
		}
	}
	// Below the decency threshold there is nothing to repair.
	if got := match.Assign([]match.Pair{{A: 1, B: 2, Score: 0.9}, {A: 1, B: 3, Score: 0.1}}, 1, 0.3); len(got) != 1 {
		t.Errorf("a poor pair was forced in: %v", got)
	}
}

// bestTotal is the optimum by brute force, for small instances.
func bestTotal(pairs []match.Pair, perPost int) float64 {
	var rec func(i int, d map[int64]int) float64
	rec = func(i int, d map[int64]int) float64 {
		if i == len(pairs) {
			return 0
		}
		skip := rec(i+1, d)
		p := pairs[i]
		if d[p.A] < perPost && d[p.B] < perPost {
			d[p.A]++
			d[p.B]++
			take := p.Score + rec(i+1, d)
			d[p.A]--
			d[p.B]--
			return max(skip, take)
		}
		return skip
	}
	return rec(0, map[int64]int{})
}

func TestAssignProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 3 + rng.IntN(6)
		perPost := 1 + rng.IntN(3)
		var cands []match.Pair
		for a := int64(1); a <= int64(n); a++ {
			for b := a + 1; b <= int64(n); b++ {
				if rng.Float64() < 0.6 {
					cands = append(cands, match.Pair{A: a, B: b, Score: float64(rng.IntN(100)) / 100})
				}
			}
		}
		got := match.Assign(cands, perPost, 0.2)
		seen := map[[2]int64]bool{}
		for _, p := range got {
			if p.A >= p.B || seen[[2]int64{p.A, p.B}] {
				t.Fatalf("trial %d: pair %v repeated or not ordered", trial, p)
			}
			seen[[2]int64{p.A, p.B}] = true
		}
		for post, d := range degrees(got) {
			if d > perPost {
				t.Fatalf("trial %d: post %d has %d suggestions, limit %d", trial, post, d, perPost)
			}
		}
		// Greedy with repair keeps at least half the optimum total.
		if opt := bestTotal(cands, perPost); total(got) < opt/2-1e-9 {
			t.Fatalf("trial %d: total %.2f below half the optimum %.2f", trial, total(got), opt)
		}
		// Only candidate pairs are chosen.
		cand := map[[2]int64]bool{}
		for _, p := range cands {
			cand[[2]int64{min(p.A, p.B), max(p.A, p.B)}] = true
		}
		for _, p := range got {
			if !cand[[2]int64{p.A, p.B}] {
				t.Fatalf("trial %d: %v was not a candidate", trial, p)
			}
		}
	}
}

// assignByScan is Assign as first written, scanning every pair to repair:
// quadratic, but plain enough to read as the specification the fast
// version must agree with.
func assignByScan(candidates []match.Pair, perPost int, decent float64) []match.Pair {
	best := map[[2]int64]float64{}
	for _, p := range candidates {
		a, b := min(p.A, p.B), max(p.A, p.B)
		if a == b {
			continue
		}
		if s, ok := best[[2]int64{a, b}]; !ok || p.Score > s {
			best[[2]int64{a, b}] = p.Score
		}
	}
	var pairs []match.Pair
	for k, s := range best {
		pairs = append(pairs, match.Pair{A: k[0], B: k[1], Score: s})
	}
	sort.Slice(pairs, func(i, j int) bool {
		x, y := pairs[i], pairs[j]
		if x.Score != y.Score {
			return x.Score > y.Score
		}
		if x.A != y.A {
			return x.A < y.A
		}
		return x.B < y.B
	})
	chosen := map[[2]int64]bool{}
	degree := map[int64]int{}
	for _, p := range pairs {
		if degree[p.A] < perPost && degree[p.B] < perPost {
			chosen[[2]int64{p.A, p.B}] = true
			degree[p.A]++
			degree[p.B]++
		}
	}
	for _, p := range pairs {
		if p.Score < decent {
			break
		}
		for _, side := range [2][2]int64{{p.A, p.B}, {p.B, p.A}} {
			lonely, partner := side[0], side[1]
			if degree[lonely] > 0 || chosen[[2]int64{p.A, p.B}] {
				continue
			}
			if degree[partner] >= perPost {
				dropped := false
				for i := len(pairs) - 1; i >= 0 && !dropped; i-- {
					q := pairs[i]
					if !chosen[[2]int64{q.A, q.B}] || (q.A != partner && q.B != partner) {
						continue
					}
					other := q.A + q.B - partner
					if degree[other] < 2 {
						continue
					}
					delete(chosen, [2]int64{q.A, q.B})
					degree[q.A]--
					degree[q.B]--
					dropped = true
				}
				if !dropped {
					continue
				}
			}
			chosen[[2]int64{p.A, p.B}] = true
			degree[p.A]++
			degree[p.B]++
		}
	}
	var out []match.Pair
	for _, p := range pairs {
		if chosen[[2]int64{p.A, p.B}] {
			out = append(out, p)
		}
	}
	return out
}

// TestAssignAgreesWithTheScan checks the assignment against the plain
// specification on random rounds with many repairs: popular posts, few
// slots, ties, duplicates given both ways round.
func TestAssignAgreesWithTheScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 400 {
		n := 4 + rng.IntN(60)
		perPost := 1 + rng.IntN(3)
		var cands []match.Pair
		for range n * (1 + rng.IntN(6)) {
			a, b := int64(1+rng.IntN(n)), int64(1+rng.IntN(n))
			if rng.IntN(3) == 0 {
				b = int64(1 + rng.IntN(3)) // a few popular posts
			}
			cands = append(cands, match.Pair{A: a, B: b, Score: float64(rng.IntN(40)) / 40})
		}
		decent := float64(rng.IntN(5)) / 10
		got, want := match.Assign(cands, perPost, decent), assignByScan(cands, perPost, decent)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (n %d, per post %d, decent %.1f):\n got %v\nwant %v", trial, n, perPost, decent, got, want)
		}
	}
}

// BenchmarkAssign assigns a round of 200,000 posts with 14 candidates each
// (what RunRound asks for at five per post).
func BenchmarkAssign(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 5))
	const n = 200_000
	cands := make([]match.Pair, 0, 14*n)
	for a := range int64(n) {
		for range 14 {
			cands = append(cands, match.Pair{A: a, B: rng.Int64N(n), Score: rng.Float64()})
		}
	}
	for b.Loop() {
		match.Assign(cands, 5, 0.1)
	}
}
