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
//
// The repair costs O(perPost) per lonely post (each post's chosen pairs are
// kept by post), so a whole round's assignment is O(P log P) for P
// candidates: a million posts' candidates take seconds, not hours.
func Assign(candidates []Pair, perPost int, decent float64) []Pair {
	if perPost <= 0 {
		return nil
	}
	pairs := bestFirst(candidates)
	a := assignment{pairs: pairs, chosen: make([]bool, len(pairs)), degree: map[int64]int{}, held: map[int64][]int{}}
	for i, p := range pairs {
		if a.degree[p.A] < perPost && a.degree[p.B] < perPost {
			a.choose(i)
		}
	}

	// Repair: posts with a decent candidate but no suggestion, weakest
	// first served last (pairs are already best first).
	for i, p := range pairs {
		if p.Score < decent {
			break
		}
		for _, side := range [2][2]int64{{p.A, p.B}, {p.B, p.A}} {
			lonely, partner := side[0], side[1]
			if a.degree[lonely] > 0 || a.chosen[i] {
				continue
			}
			if a.degree[partner] >= perPost && !a.dropWeakest(partner) {
				continue
			}
			a.choose(i)
		}
	}

	out := make([]Pair, 0, len(a.degree)*perPost/2)
	for i, p := range pairs {
		if a.chosen[i] {
			out = append(out, p)
		}
	}
	return out
}

// bestFirst returns one entry per pair, (A, B) with A < B and its best
// score, best first, ties by IDs so that the result does not depend on the
// input's order.
func bestFirst(candidates []Pair) []Pair {
	best := make(map[Pair]float64, len(candidates))
	for _, p := range candidates {
		k := p.key()
		if k.A == k.B {
			continue
		}
		k.Score = 0
		if s, ok := best[k]; !ok || p.Score > s {
			best[k] = p.Score
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
	return pairs
}

// assignment is Assign's state: which pairs (by index, best first) are
// chosen, and each post's number of chosen pairs and their indices.
type assignment struct {
	pairs  []Pair
	chosen []bool
	degree map[int64]int
	held   map[int64][]int
}

func (a *assignment) choose(i int) {
	p := a.pairs[i]
	a.chosen[i] = true
	a.degree[p.A]++
	a.degree[p.B]++
	a.held[p.A] = append(a.held[p.A], i)
	a.held[p.B] = append(a.held[p.B], i)
}

// dropWeakest removes post's weakest chosen pair whose other post keeps a
// suggestion after it; it reports whether it found one.
func (a *assignment) dropWeakest(post int64) bool {
	weakest := -1
	for _, i := range a.held[post] {
		p := a.pairs[i]
		other := p.A
		if other == post {
			other = p.B
		}
		if a.degree[other] >= 2 && i > weakest {
			weakest = i
		}
	}
	if weakest < 0 {
		return false
	}
	p := a.pairs[weakest]
	a.chosen[weakest] = false
	a.degree[p.A]--
	a.degree[p.B]--
	a.held[p.A] = slices.DeleteFunc(a.held[p.A], func(i int) bool { return i == weakest })
	a.held[p.B] = slices.DeleteFunc(a.held[p.B], func(i int) bool { return i == weakest })
	return true
}
