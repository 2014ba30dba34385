package match

import (
	"cmp"
	"slices"
)

// Pair is a candidate suggestion between two posts, with its match score.
// Scores are symmetric: each offer/seek direction, shared customers and
// same offer are the same seen from either side.
type Pair struct {
	A, B  int64
	Score float64
}

// key returns the pair with A < B, so that (A, B) and (B, A) are one pair.
func (p Pair) key() Pair {
	if p.A > p.B {
		p.A, p.B = p.B, p.A
	}
	return p
}

// Assign chooses a quarter's suggestions from candidate pairs: each post
// gets at most perPost suggestions, the chosen pairs' total score is high,
// and no post that has a decent candidate (score >= decent) is left with
// none, when that can be arranged.
//
// Why this algorithm: choosing pairs under a per-post limit to maximise
// total score is maximum-weight b-matching. Exact solutions (blossom-based,
// or min-cost flow on a bipartite relaxation) are heavy to run on every
// post of a 100k community; the greedy rule — take pairs best first while
// both posts have room — is a proven 1/2-approximation of the optimum, runs
// in O(P log P) for P candidate pairs, and is easy to explain to a host
// ("each post got its best partners that still had room"). The per-post
// limit alone keeps a popular business from being suggested to everyone.
//
// Greedy can still leave a post empty: all its decent partners filled up
// with better pairs first. A repair pass then gives each such post its best
// decent partner, making room, when needed, by dropping that partner's
// weakest pair whose other post keeps at least one suggestion. The limit
// holds throughout, and total score drops only by what coverage costs.
func Assign(candidates []Pair, perPost int, decent float64) []Pair {
	if perPost <= 0 {
		return nil
	}
	// One entry per pair, best score kept; best first, ties by IDs so the
	// result does not depend on input order.
	best := map[Pair]float64{}
	for _, p := range candidates {
		k := p.key()
		if k.A == k.B {
			continue
		}
		if s, ok := best[Pair{A: k.A, B: k.B}]; !ok || p.Score > s {
			best[Pair{A: k.A, B: k.B}] = p.Score
		}
	}
	pairs := make([]Pair, 0, len(best))
	for k, s := range best {
		pairs = append(pairs, Pair{A: k.A, B: k.B, Score: s})
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		if c := cmp.Compare(y.Score, x.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})

	chosen := map[Pair]bool{}
	degree := map[int64]int{}
	for _, p := range pairs {
		if degree[p.A] < perPost && degree[p.B] < perPost {
			chosen[Pair{A: p.A, B: p.B}] = true
			degree[p.A]++
			degree[p.B]++
		}
	}

	// Repair: posts with a decent candidate but no suggestion, weakest
	// first served last (pairs are already best first).
	for _, p := range pairs {
		if p.Score < decent {
			break
		}
		for _, side := range [2][2]int64{{p.A, p.B}, {p.B, p.A}} {
			lonely, partner := side[0], side[1]
			if degree[lonely] > 0 || chosen[Pair{A: p.A, B: p.B}] {
				continue
			}
			if degree[partner] >= perPost && !dropWeakest(partner, chosen, degree, pairs, best) {
				continue
			}
			chosen[Pair{A: p.A, B: p.B}] = true
			degree[p.A]++
			degree[p.B]++
		}
	}

	out := make([]Pair, 0, len(chosen))
	for _, p := range pairs {
		if chosen[Pair{A: p.A, B: p.B}] {
			out = append(out, p)
		}
	}
	return out
}

// dropWeakest removes post's weakest chosen pair whose other post keeps a
// suggestion after it; it reports whether it found one.
func dropWeakest(post int64, chosen map[Pair]bool, degree map[int64]int, pairs []Pair, best map[Pair]float64) bool {
	for i := len(pairs) - 1; i >= 0; i-- {
		p := pairs[i]
		k := Pair{A: p.A, B: p.B}
		if !chosen[k] || (p.A != post && p.B != post) {
			continue
		}
		other := p.A
		if other == post {
			other = p.B
		}
		if degree[other] < 2 {
			continue
		}
		delete(chosen, k)
		degree[p.A]--
		degree[p.B]--
		return true
	}
	return false
}
