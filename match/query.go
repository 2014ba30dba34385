package match

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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
	// Exact scores every eligible post pair by pair instead of reading the
	// inverted lists: the reference that proves the fast path exact. It is
	// for tests and measurement, not for serving.
	Exact bool
	// NoReasons skips the explanations (for bulk computations that show
	// only scores).
	NoReasons bool
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
	e.queries <- struct{}{}
	defer func() { <-e.queries }()
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
	out := make(map[int64][]Match, len(ids))
	var mu sync.Mutex
	e.eachPost(context.Background(), ids, nil, func(id int64, slot int32) {
		ms := e.matches(slot, opt)
		mu.Lock()
		out[id] = ms
		mu.Unlock()
	})
	return out
}

// eachPost calls fn, on every core, for each of the posts among ids that
// the engine holds, with the read lock held, adding one to done (if not
// nil) after each. The lock is taken post by post rather than for the
// whole run: a round over a large community takes minutes, and writes must
// not wait that long. It stops early, returning the context's error, when
// ctx ends.
func (e *Engine) eachPost(ctx context.Context, ids []int64, done *atomic.Int64, fn func(id int64, slot int32)) error {
	work := make(chan int64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				e.mu.RLock()
				if slot, ok := e.slots[id]; ok {
					fn(id, slot)
				}
				e.mu.RUnlock()
				if done != nil {
					done.Add(1)
				}
			}
		}()
	}
	defer func() {
		close(work)
		wg.Wait()
	}()
	for _, id := range ids {
		select {
		case work <- id:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// matches runs one query. The caller holds the read lock.
func (e *Engine) matches(slot int32, opt MatchOptions) []Match {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	a := &e.docs[slot]
	memo := analyses{}
	ranked := e.top(slot, e.queryOf(a), opt)
	out := make([]Match, len(ranked))
	for i, r := range ranked {
		out[i] = Match{Post: e.docs[r.doc].post, Score: r.score, Scores: e.weights.scores(&r.f)}
		if !opt.NoReasons {
			out[i].Reasons = e.explain(a.post, out[i], r.f, memo, reachReason(a.reach, e.docs[r.doc].reach))
		}
	}
	return out
}

// scored is a ranked partner before it becomes a Match (which copies the
// post: only the few returned ones do).
type scored struct {
	doc   int32
	id    int64
	score float64
	f     features
}

// ranking keeps the best limit partners seen so far, best first, ties by ID.
type ranking struct {
	limit int
	best  []scored
}

// floor is the raw score a partner must beat to enter the ranking: zero
// until it is full.
func (r *ranking) floor() float64 {
	if len(r.best) < r.limit {
		return 0
	}
	// A hair under: a partner with the very same score and a smaller ID
	// must still be let in, whatever the rounding.
	return rawOf(r.best[r.limit-1].score) * (1 - 1e-9)
}

// tiesAtBest reports whether a post with this score can at best tie with
// the last of a full ranking, and would lose the tie on its ID. Posts
// alike word for word come in hundreds in some communities (a template, a
// franchise): this turns them away before the rules are looked up.
func (r *ranking) tiesAtBest(score float64, id int64) bool {
	if len(r.best) < r.limit {
		return false
	}
	last := r.best[r.limit-1]
	return score <= last.score && id > last.id
}

// minScore is the least score that makes a match. Scores are shown to
// three decimals, and one that shows as 0.000 is float noise.
const minScore = 0.0005

func (r *ranking) add(x scored) {
	if x.score < minScore {
		return
	}
	i, _ := slices.BinarySearchFunc(r.best, x, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	if i >= r.limit {
		return
	}
	r.best = slices.Insert(r.best, i, x)
	r.best = r.best[:min(len(r.best), r.limit)]
}

// top returns the best opt.Limit partners of the post in slot. The caller
// holds the read lock.
func (e *Engine) top(slot int32, q *query, opt MatchOptions) []scored {
	if opt.Exact {
		return e.exhaustive(slot, q, opt)
	}
	a := &e.docs[slot]
	acc := e.accumulator()
	defer e.release(acc)

	// The inverted lists hold unit-vector weights, so summing them gives,
	// for every post sharing a term with this one, the cosines; the
	// similar-word measures are summed the same way over the lists of
	// similar stems. Only a post these reach can score above zero.
	n := len(e.docs)
	seekS, giveS, nearS, backS, audS := acc.seek[:n], acc.give[:n], acc.near[:n], acc.back[:n], acc.aud[:n]
	add := func(mine vector, norm float32, index [][]posting, sums []float32, idf []float32) {
		for _, en := range mine {
			w := unit(en, norm, idf)
			for _, p := range index[en.t] {
				sums[p.doc] += w * p.w
			}
		}
	}
	add(a.seek, a.nSeek, e.offerIdx, seekS, e.sidf)
	add(a.offer, a.nOffer, e.seekIdx, giveS, e.sidf)
	add(a.aud, a.nAud, e.audIdx, audS, e.idf)
	// near: for each stem of the seek, the best of its similar stems that
	// a partner's offer holds, weighted by the stem's share of the seek.
	// A post's best so far is in cur, valid while its stamp is the group's.
	cur, stamp := acc.cur[:n], acc.stamp[:n]
	for gi, g := range q.seekNear {
		mark := int32(gi + 1)
		for _, nt := range g.near {
			for _, p := range e.offerIdx[nt.t] {
				switch {
				case stamp[p.doc] != mark:
					stamp[p.doc], cur[p.doc] = mark, nt.sim
					nearS[p.doc] += g.w * nt.sim
				case nt.sim > cur[p.doc]:
					nearS[p.doc] += g.w * (nt.sim - cur[p.doc])
					cur[p.doc] = nt.sim
				}
			}
		}
	}
	// nearBack: each stem of a partner's seek counts by how like it is to
	// a stem of this offer; the postings' unit weights are turned into
	// shares of the partner's seek when it is scored.
	for _, nt := range q.offerNear {
		for _, p := range e.seekIdx[nt.t] {
			backS[p.doc] += nt.sim * p.w
		}
	}

	// A raw score is at most fit × (floor + audience with perfect topics):
	// no rival penalty, topics 1. That bound, from the sums alone, turns
	// most posts away; the next, with the topics measured (two short
	// dense dots), most of the rest; the few left get the dear rival
	// measures. The floor the bounds are tested against is lowered a
	// little, so that float32 rounding never turns away a post that
	// belongs in the ranking.
	w := &e.weights
	boosts := len(q.goodFit) > 0
	audMax := w.AudienceFloor + w.Topic + w.Whom
	boostMax := 1.0
	if boosts {
		boostMax += goodFitBoost
	}
	// roughFit is at least fit, for a fraction of its cost: √x ≤ x + 1/4
	// (and 0 at 0), the harmonic mean at most the arithmetic one.
	roughFit := func(b int32) float64 {
		s, g := float64(min(1, seekS[b])), float64(min(1, giveS[b]))
		root := s + g
		if s > 0 {
			root += 0.25
		}
		if g > 0 {
			root += 0.25
		}
		return w.Seek*(s+g) + w.SeekRoot*root + w.Near*float64(nearS[b]/max(q.seekMass, 1e-9)+backS[b]*e.backScale[b]) +
			w.Mutual*(s+g)/2
	}
	bound := func(b int32) float64 {
		f := e.listed(acc, b, q)
		u := w.fit(&f) * (audMax + w.SharedCustomers*float64(f.customers))
		if boosts {
			u *= e.boosted(q, &e.docs[b])
		}
		return u
	}
	// The posts with the best bounds are looked at first, so that the
	// ranking fills with strong partners early and its floor turns the
	// rest away at the first test: a small heap picks them in one pass,
	// without sorting them all. Every post's bound is kept for the pass
	// after: the rough one when it could not make the heap.
	seeds := acc.seeds[:0]
	seedN := 2*opt.Limit + 8
	bounds := acc.bounds[:n]
	for b := range int32(n) {
		if seekS[b] == 0 && giveS[b] == 0 && nearS[b] == 0 && backS[b] == 0 {
			bounds[b] = 0
			continue
		}
		u := boostMax * roughFit(b) * (audMax + w.SharedCustomers*float64(min(1, audS[b])))
		if len(seeds) == seedN && u <= seeds[0].bound {
			bounds[b] = float32(u) * (1 + 1e-6) // float32 rounds down no further than this
			continue
		}
		u = bound(b)
		bounds[b] = float32(u) * (1 + 1e-6) // float32 rounds down no further than this
		if u <= 0 {
			continue
		}
		switch {
		case len(seeds) < seedN:
			seeds = append(seeds, candidate{u, b})
			if len(seeds) == seedN {
				heapify(seeds)
			}
		case u > seeds[0].bound:
			seeds[0] = candidate{u, b}
			siftDown(seeds, 0)
		}
	}
	slices.SortFunc(seeds, func(x, y candidate) int { return cmp.Or(cmp.Compare(y.bound, x.bound), cmp.Compare(x.doc, y.doc)) })
	acc.seeds = seeds
	r := ranking{limit: opt.Limit, best: make([]scored, 0, opt.Limit+1)}
	var floor float64
	look := func(b int32) {
		d := &e.docs[b]
		f := e.listed(acc, b, q)
		boost := e.boosted(q, d)
		fit := w.fit(&f)
		e.topics(a, d, &f)
		if boost*fit*(w.AudienceFloor+w.audience(&f)) < floor {
			return
		}
		e.rivals(a, d, q, &f)
		raw := boost * w.raw(&f)
		sc := score(raw)
		if sc < minScore || raw < floor || r.tiesAtBest(sc, d.post.ID) || !e.eligible(slot, b, opt) {
			return
		}
		r.add(scored{doc: b, id: d.post.ID, score: sc, f: f})
		// Lowered by a margin well over float32 rounding.
		floor = r.floor()*(1-1e-4) - 1e-6
	}
	for _, c := range seeds {
		look(c.doc)
	}
	// Then every other post whose bound reaches the floor.
	for b := range int32(n) {
		if u := float64(bounds[b]); u > 0 && u >= floor && !isSeed(seeds, b) {
			look(b)
		}
	}
	return r.best
}

// candidate is a post the lists touched, with a bound on its raw score.
type candidate struct {
	bound float64
	doc   int32
}

func isSeed(seeds []candidate, b int32) bool {
	for _, c := range seeds {
		if c.doc == b {
			return true
		}
	}
	return false
}

// heapify orders cs as a min-heap by bound.
func heapify(cs []candidate) {
	for i := len(cs)/2 - 1; i >= 0; i-- {
		siftDown(cs, i)
	}
}

func siftDown(cs []candidate, i int) {
	for {
		l, small := 2*i+1, i
		if l < len(cs) && cs[l].bound < cs[small].bound {
			small = l
		}
		if r := l + 1; r < len(cs) && cs[r].bound < cs[small].bound {
			small = r
		}
		if small == i {
			return
		}
		cs[i], cs[small] = cs[small], cs[i]
		i = small
	}
}

// listed reads what the lists summed for the post in slot b.
func (e *Engine) listed(acc *accumulator, b int32, q *query) features {
	f := features{seek: min(1, acc.seek[b]), give: min(1, acc.give[b]), customers: min(1, acc.aud[b]),
		nearBack: min(1, acc.back[b]*e.backScale[b])}
	if q.seekMass > 0 {
		f.near = min(1, acc.near[b]/q.seekMass)
	}
	return f
}

// Pairs returns, for each of the posts, its best opt.Limit partners as
// pairs of IDs with scores, computed on every core. It is what a round
// needs: no post copies, no reasons, so a large community fits. done, if
// not nil, counts the posts finished, for a caller showing progress; when
// ctx ends, Pairs stops and returns its error.
func (e *Engine) Pairs(ctx context.Context, ids []int64, opt MatchOptions, done *atomic.Int64) ([]Pair, error) {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	var (
		mu  sync.Mutex
		out []Pair
	)
	err := e.eachPost(ctx, ids, done, func(id int64, slot int32) {
		ranked := e.top(slot, e.queryOf(&e.docs[slot]), opt)
		mu.Lock()
		for _, r := range ranked {
			out = append(out, Pair{A: id, B: r.id, Score: r.score})
		}
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Explain scores the pair (a, b) exactly, with the reasons written to a.
// It applies no rule (the host may pair posts by hand); it returns
// ENOTFOUND unless the engine holds both posts.
func (e *Engine) Explain(a, b int64) (Match, error) {
	e.queries <- struct{}{}
	defer func() { <-e.queries }()
	e.mu.RLock()
	defer e.mu.RUnlock()
	sa, okA := e.slots[a]
	sb, okB := e.slots[b]
	if !okA || !okB {
		return Match{}, Errorf(ENOTFOUND, "post %d or %d not found", a, b)
	}
	return e.pair(sa, sb, analyses{}), nil
}

// pair scores the posts in slots a and b exactly and explains the match
// to a, with the analyses in memo (or made as needed). The caller holds
// the read lock.
func (e *Engine) pair(a, b int32, memo analyses) Match {
	x, y := &e.docs[a], &e.docs[b]
	q := e.queryOf(x)
	f := e.pairFeatures(x, y, q)
	m := Match{Post: y.post, Score: score(e.boosted(q, y) * e.weights.raw(&f)), Scores: e.weights.scores(&f)}
	m.Reasons = e.explain(x.post, m, f, memo, reachReason(x.reach, y.reach))
	return m
}

// eligible applies the rules of a good match that are not a matter of
// degree to the posts in slots a and b: another, active business; lanes
// that fit; areas that meet; not excluded.
func (e *Engine) eligible(a, b int32, opt MatchOptions) bool {
	x, y := &e.rules[a], &e.rules[b]
	both := x.lanes & y.lanes
	switch {
	case !y.active, y.owner == x.owner, a == b, both == 0, !inReach(x, y):
		return false
	case (opt.Lane == LaneStrategic || opt.Lane == LaneReferral) && both&bitsOf(opt.Lane) == 0:
		return false
	}
	if opt.Quarter != "" && e.docs[b].post.Quarter != opt.Quarter {
		return false
	}
	return opt.Exclude == nil || !opt.Exclude(e.docs[b].post.ID)
}

// accumulator is one query's scratch space, pooled: per post slot, the
// sums the inverted lists give.
type accumulator struct {
	seek, give, near, back, aud []float32
	cur                         []float32 // near's best likeness in the group now scanned
	stamp                       []int32   // which group cur is of (1 + its index)
	bounds                      []float32 // each post's bound on its raw score
	seeds                       []candidate
}

// accumulator returns zeroed scratch space sized for the engine. The
// caller holds the read lock and gives it back with release.
func (e *Engine) accumulator() *accumulator {
	acc, _ := e.scratch.Get().(*accumulator)
	if acc == nil {
		acc = &accumulator{}
	}
	// Room to grow, so that a few new posts do not mean new arrays.
	if n := len(e.docs); len(acc.seek) < n {
		n += n/8 + 64
		acc.seek, acc.give, acc.near, acc.back, acc.aud, acc.cur = make([]float32, n), make([]float32, n),
			make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		acc.stamp, acc.bounds = make([]int32, n), make([]float32, n)
	}
	return acc
}

// release clears the sums and pools the accumulator.
func (e *Engine) release(acc *accumulator) {
	clear(acc.seek)
	clear(acc.give)
	clear(acc.near)
	clear(acc.back)
	clear(acc.aud)
	clear(acc.stamp)
	e.scratch.Put(acc)
}
