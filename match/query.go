package match

import (
	"cmp"
	"container/heap"
	"math"
	"runtime"
	"slices"
	"sync"
)

// MatchOptions shape a query for matches.
type MatchOptions struct {
	Limit int // how many matches; 10 when zero
	// Lane, when strategic or referral, keeps only partners for that lane
	// (both posts must accept it).
	Lane Lane
	// Quarter, when set, keeps only partners posted for that quarter.
	Quarter Quarter
	// Exclude, when set, drops partners for whom it returns true: pairs
	// declined before, already introduced, or already partners.
	Exclude func(partnerID int64) bool
	// Exact scores every eligible post instead of the fast path's
	// candidates. It is for measuring the fast path, not for serving.
	Exact bool
	// NoReasons skips the explanations (for bulk computations that show
	// only scores).
	NoReasons bool
}

// Scores are the parts a match score is built from, each in [0, 1].
type Scores struct {
	TheyOfferWhatYouSeek float64 `json:"they_offer_what_you_seek"`
	YouOfferWhatTheySeek float64 `json:"you_offer_what_they_seek"`
	SharedCustomers      float64 `json:"shared_customers"`
	SameOffer            float64 `json:"same_offer"`
}

// Match is a scored partner for a post, with the reasons in the members'
// own words.
type Match struct {
	Post    Post
	Score   float64
	Scores  Scores
	Reasons []string
}

// Matches returns the best partners for the post with the given ID, best
// first (ties by ID). It returns an ENOTFOUND error if the engine does not
// hold the post. The post itself needs no particular status (the host may
// look at a paused post's matches), but only active posts are partners.
func (e *Engine) Matches(id int64, opt MatchOptions) ([]Match, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	slot, ok := e.slots[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "post %d not found", id)
	}
	return e.matches(slot, opt), nil
}

// Round computes the matches of many posts at once on every core, as a
// quarter's matchmaking round or a digest run needs. Posts the engine does
// not hold are left out of the result.
func (e *Engine) Round(ids []int64, opt MatchOptions) map[int64][]Match {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make(map[int64][]Match, len(ids))
	var mu sync.Mutex
	work := make(chan int64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				slot, ok := e.slots[id]
				if !ok {
					continue
				}
				ms := e.matches(slot, opt)
				mu.Lock()
				out[id] = ms
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return out
}

// matches runs one query. The caller holds the read lock.
func (e *Engine) matches(slot int32, opt MatchOptions) []Match {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	a := &e.docs[slot]
	ranked := e.top(slot, opt)
	out := make([]Match, len(ranked))
	memo := analyses{}
	for i, r := range ranked {
		out[i] = Match{Post: e.docs[r.doc].post, Score: r.score, Scores: r.scores}
		if !opt.NoReasons {
			out[i].Reasons = e.explain(a.post, out[i], memo)
		}
	}
	return out
}

// scored is a ranked partner before it becomes a Match (which copies the
// post: only the few returned ones do).
type scored struct {
	doc    int32
	id     int64
	score  float64
	scores Scores
}

// top returns the best opt.Limit partners of the post in slot. The caller
// holds the read lock.
func (e *Engine) top(slot int32, opt MatchOptions) []scored {
	a := &e.docs[slot]
	var candidates []candidate
	if opt.Exact {
		for b := range e.docs {
			if e.eligible(slot, int32(b), opt) {
				d := &e.docs[b]
				c := candidate{doc: int32(b),
					seek: e.cosine(a.seek, d.offer, a.nSeek, d.nOffer),
					give: e.cosine(a.offer, d.seek, a.nOffer, d.nSeek)}
				c.fit = e.fit(c.seek, c.give)
				candidates = append(candidates, c)
			}
		}
	} else {
		candidates = e.candidates(slot, opt)
	}
	// Visit candidates best fit first. A score is at most the square root
	// of its fit (the customer and rival factors are at most 1), so once
	// that bound falls below the limit-th best score so far, no later
	// candidate can enter the results: stop there.
	slices.SortFunc(candidates, func(x, y candidate) int { return cmp.Compare(y.fit, x.fit) })
	better := func(x, y scored) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(x.id, y.id)
	}
	ranked := make([]scored, 0, opt.Limit+1)
	for _, c := range candidates {
		if len(ranked) == opt.Limit && math.Sqrt(c.fit) < ranked[opt.Limit-1].score {
			break
		}
		d := &e.docs[c.doc]
		sc, score := e.score(a, d, c.seek, c.give)
		if score <= 0 {
			continue
		}
		r := scored{c.doc, d.post.ID, score, sc}
		i, _ := slices.BinarySearchFunc(ranked, r, better)
		ranked = slices.Insert(ranked, i, r)
		ranked = ranked[:min(len(ranked), opt.Limit)]
	}
	return ranked
}

// Pairs returns, for each of the posts, its best opt.Limit partners as
// pairs of IDs with scores, computed on every core. It is what a round
// needs: no post copies, no reasons, so a 100k-post community fits.
func (e *Engine) Pairs(ids []int64, opt MatchOptions) []Pair {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	var (
		mu  sync.Mutex
		out []Pair
		wg  sync.WaitGroup
	)
	work := make(chan int64)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []Pair
			for id := range work {
				slot, ok := e.slots[id]
				if !ok {
					continue
				}
				for _, r := range e.top(slot, opt) {
					local = append(local, Pair{A: id, B: r.id, Score: r.score})
				}
			}
			mu.Lock()
			out = append(out, local...)
			mu.Unlock()
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return out
}

// Explain scores the pair (a, b) exactly, with the reasons written to a.
// It applies no rule (the host may pair posts by hand); it returns
// ENOTFOUND unless the engine holds both posts.
func (e *Engine) Explain(a, b int64) (Match, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	sa, okA := e.slots[a]
	sb, okB := e.slots[b]
	if !okA || !okB {
		return Match{}, Errorf(ENOTFOUND, "post %d or %d not found", a, b)
	}
	x, y := &e.docs[sa], &e.docs[sb]
	seek := e.cosine(x.seek, y.offer, x.nSeek, y.nOffer)
	give := e.cosine(x.offer, y.seek, x.nOffer, y.nSeek)
	scores, score := e.score(x, y, seek, give)
	m := Match{Post: y.post, Score: score, Scores: scores}
	m.Reasons = e.explain(x.post, m, analyses{})
	return m, nil
}

// eligible applies the rules of a good match that are not a matter of
// degree to the posts in slots a and b: another, active business; lanes
// that fit; not excluded.
func (e *Engine) eligible(a, b int32, opt MatchOptions) bool {
	x, y := &e.norms[a], &e.norms[b]
	both := x.lanes & y.lanes
	switch {
	case !y.active, y.owner == x.owner, a == b, both == 0:
		return false
	case (opt.Lane == LaneStrategic || opt.Lane == LaneReferral) && both&bitsOf(opt.Lane) == 0:
		return false
	}
	if opt.Quarter != "" && e.docs[b].post.Quarter != opt.Quarter {
		return false
	}
	return opt.Exclude == nil || !opt.Exclude(e.docs[b].post.ID)
}

// accumulator holds per-post partial dot products for one query.
type accumulator struct {
	seek, give []float32 // my seek x their offer; my offer x their seek
	touched    []int32
}

// candidates returns the posts most worth exact scoring: those whose
// offer/seek directions fit best, read off the inverted lists. The sums the
// lists give are the exact dot products, so each candidate comes with its
// two directional cosines.
func (e *Engine) candidates(slot int32, opt MatchOptions) []candidate {
	a := &e.docs[slot]
	acc, _ := e.scratch.Get().(*accumulator)
	if acc == nil || len(acc.seek) < len(e.docs) {
		n := len(e.docs) + len(e.docs)/8 + 64
		acc = &accumulator{seek: make([]float32, n), give: make([]float32, n)}
	}
	defer func() {
		for _, d := range acc.touched {
			acc.seek[d], acc.give[d] = 0, 0
		}
		acc.touched = acc.touched[:0]
		e.scratch.Put(acc)
	}()
	add := func(mine vector, index [][]posting, sums []float32, other []float32) {
		for _, en := range mine {
			f := e.idf[en.t]
			q := en.w * f * f
			for _, p := range index[en.t] {
				if sums[p.doc] == 0 && other[p.doc] == 0 {
					acc.touched = append(acc.touched, p.doc)
				}
				sums[p.doc] += q * p.w
			}
		}
	}
	add(a.seek, e.offerIdx, acc.seek, acc.give)
	add(a.offer, e.seekIdx, acc.give, acc.seek)

	k := e.weights.Candidates
	h := make(candidateHeap, 0, k)
	for _, b := range acc.touched {
		n := e.norms[b]
		c := candidate{doc: b, seek: ratio(acc.seek[b], a.nSeek*n.offer), give: ratio(acc.give[b], a.nOffer*n.seek)}
		c.fit = e.fit(c.seek, c.give)
		// The fit is cheaper than the rules: test it first.
		if len(h) == k && c.fit <= h[0].fit || !e.eligible(slot, b, opt) {
			continue
		}
		if len(h) < k {
			heap.Push(&h, c)
		} else {
			h[0] = c
			heap.Fix(&h, 0)
		}
	}
	return h
}

func ratio(x, y float32) float64 {
	if y == 0 {
		return 0
	}
	return math.Min(1, float64(x/y))
}

// fit combines the two directions: mostly their harmonic mean, so that a
// match both sides want ranks above one only one side wants.
func (e *Engine) fit(seek, give float64) float64 {
	hm := 0.0
	if seek+give > 0 {
		hm = 2 * seek * give / (seek + give)
	}
	m := e.weights.Mutual
	return m*hm + (1-m)*(seek+give)/2
}

// score computes a pair's match from its two directional cosines (seek:
// their offer against my seek; give: my offer against their seek). See
// Weights for the formula.
func (e *Engine) score(a, b *doc, seek, give float64) (Scores, float64) {
	s := Scores{
		TheyOfferWhatYouSeek: seek,
		YouOfferWhatTheySeek: give,
		SharedCustomers:      e.cosine(a.cust, b.cust, a.nCust, b.nCust),
		SameOffer:            e.cosine(a.offer, b.offer, a.nOffer, b.nOffer),
	}
	w := e.weights
	raw := e.fit(s.TheyOfferWhatYouSeek, s.YouOfferWhatTheySeek) *
		(1 - w.SharedCustomers + w.SharedCustomers*s.SharedCustomers) *
		(1 - w.CompetitorPenalty*rivalry(s, w.RivalAt))
	return s, math.Sqrt(max(raw, 0))
}

// rivalry is how much two posts look like competitors, in [0, 1]: alike
// offers, the more so when their customers overlap. Offers alike with no
// recognised customer overlap still count half: the vocabulary may simply
// not know that "clinicians" and "therapy practices" are one crowd.
func rivalry(s Scores, rivalAt float64) float64 {
	return math.Min(1, s.SameOffer/rivalAt) * (0.5 + 0.5*s.SharedCustomers)
}

// candidate is a post worth exact scoring, with its directional cosines.
type candidate struct {
	doc        int32
	seek, give float64
	fit        float64
}

// candidateHeap is a min-heap on fit: the root is the weakest kept.
type candidateHeap []candidate

func (h candidateHeap) Len() int           { return len(h) }
func (h candidateHeap) Less(i, j int) bool { return h[i].fit < h[j].fit }
func (h candidateHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candidateHeap) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *candidateHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
