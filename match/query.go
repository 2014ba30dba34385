package match

import (
	"cmp"
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
	// Exact scores every eligible post pair by pair instead of reading the
	// inverted lists: the reference that proves the fast path exact. It is
	// for tests and measurement, not for serving.
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
	e.eachPost(ids, func(id int64, slot int32) {
		ms := e.matches(slot, opt)
		mu.Lock()
		out[id] = ms
		mu.Unlock()
	})
	return out
}

// eachPost calls fn, on every core, for each of the posts among ids that
// the engine holds, with the read lock held. The lock is taken post by
// post rather than for the whole run: a round over a large community takes
// tens of seconds, and writes must not wait that long.
func (e *Engine) eachPost(ids []int64, fn func(id int64, slot int32)) {
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
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
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
	if !opt.NoReasons {
		e.remember(memo, a)
	}
	for i, r := range ranked {
		out[i] = Match{Post: e.docs[r.doc].post, Score: r.score, Scores: r.scores}
		if !opt.NoReasons {
			e.remember(memo, &e.docs[r.doc])
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

// ranking keeps the best limit partners seen so far, best first, ties by ID.
type ranking struct {
	limit int
	best  []scored
}

// floor is the square of the score a partner must beat to enter the
// ranking: zero until it is full. Scores are compared squared because the
// bounds the scan tests are bounds on the square.
func (r *ranking) floor() float64 {
	if len(r.best) < r.limit {
		return 0
	}
	s := r.best[r.limit-1].score
	// A hair under: a partner with the very same score and a smaller ID
	// must still be let in, whatever the rounding of the square.
	return s * s * (1 - 1e-9)
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
// three decimals, and one that shows as 0.000 is float noise: two posts
// offering the same thing to the same customers score exactly zero in
// arithmetic, but a hair above it in float32 sums.
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
func (e *Engine) top(slot int32, opt MatchOptions) []scored {
	if opt.Exact {
		return e.exhaustive(slot, opt)
	}
	a := &e.docs[slot]
	acc := e.accumulator()
	defer e.scratch.Put(acc)
	// One array per cosine rather than one array of four: each list scan
	// then adds into an array a quarter the size, which stays in cache.
	n := len(e.docs)
	seekS, giveS, custS, sameS := acc.sums[partSeek][:n], acc.sums[partGive][:n], acc.sums[partCust][:n], acc.sums[partSame][:n]
	defer func() {
		clear(seekS)
		clear(giveS)
		clear(custS)
		clear(sameS)
	}()
	// The inverted lists hold unit-vector weights, so summing them gives,
	// for every post sharing a term with this one, the four cosines a
	// score is built from.
	add := func(mine vector, norm float32, index [][]posting, sums []float32) {
		for _, en := range mine {
			q := unit(en, norm, e.idf)
			for _, p := range index[en.t] {
				sums[p.doc] += q * p.w
			}
		}
	}
	add(a.seek, a.nSeek, e.offerIdx, seekS)
	add(a.offer, a.nOffer, e.seekIdx, giveS)
	add(a.cust, a.nCust, e.custIdx, custS)
	add(a.offer, a.nOffer, e.offerIdx, sameS)

	// A score squared is at most fit × the customer factor (the rival
	// factor is at most 1), and fit at most the mean of the two directions
	// (a harmonic mean is at most the arithmetic one). That bound, a few
	// float32 operations on data read in order, turns nearly every post
	// away; the floor it is tested against is lowered a little, so that
	// float32 rounding never turns away a post that belongs in the
	// ranking. The few left are scored in full from their sums, and only
	// those that make the ranking cost a look at the post itself.
	ws := float32(e.weights.SharedCustomers)
	rivalAt, penalty := float32(e.weights.RivalAt), float32(e.weights.CompetitorPenalty)
	r := ranking{limit: opt.Limit, best: make([]scored, 0, opt.Limit+1)}
	var floor float64
	var floor32 float32
	for b := range seekS {
		// Once the ranking is full, the first test alone turns away
		// nearly every post, so the branch is well predicted.
		both := seekS[b] + giveS[b]
		custF := 1 - ws + ws*custS[b]
		if both*custF < floor32 || both <= 0 {
			continue
		}
		// The rival factor next, still in float32: posts much like this
		// one pass the first test in numbers, and fail this one.
		rival := min(1, sameS[b]/rivalAt) * (0.5 + 0.5*min(1, custS[b]))
		if both*custF*(1-penalty*rival) < floor32 {
			continue
		}
		sc := Scores{
			TheyOfferWhatYouSeek: min(1, float64(seekS[b])),
			YouOfferWhatTheySeek: min(1, float64(giveS[b])),
			SharedCustomers:      min(1, float64(custS[b])),
			SameOffer:            min(1, float64(sameS[b])),
		}
		score := e.combine(sc)
		if score < minScore || score*score < floor {
			continue
		}
		d := &e.docs[b]
		if r.tiesAtBest(score, d.post.ID) || !e.eligible(slot, int32(b), opt) {
			continue
		}
		r.add(scored{doc: int32(b), id: d.post.ID, score: score, scores: sc})
		floor = r.floor()
		// Lowered by a margin well over float32 rounding, relative and
		// absolute (the rival factor is a difference, and may be tiny).
		floor32 = float32(2*floor)*(1-1e-5) - 1e-6
	}
	return r.best
}

// exhaustive scores every eligible post exactly, pair by pair: the
// reference the fast path is measured against (MatchOptions.Exact).
func (e *Engine) exhaustive(slot int32, opt MatchOptions) []scored {
	a := &e.docs[slot]
	r := ranking{limit: opt.Limit}
	for b := range e.docs {
		if !e.eligible(slot, int32(b), opt) {
			continue
		}
		d := &e.docs[b]
		sc, score := e.score(a, d)
		r.add(scored{doc: int32(b), id: d.post.ID, score: score, scores: sc})
	}
	return r.best
}

// Pairs returns, for each of the posts, its best opt.Limit partners as
// pairs of IDs with scores, computed on every core. It is what a round
// needs: no post copies, no reasons, so a 100k-post community fits.
func (e *Engine) Pairs(ids []int64, opt MatchOptions) []Pair {
	if opt.Limit <= 0 {
		opt.Limit = 10
	}
	var (
		mu  sync.Mutex
		out []Pair
	)
	e.eachPost(ids, func(id int64, slot int32) {
		ranked := e.top(slot, opt)
		mu.Lock()
		for _, r := range ranked {
			out = append(out, Pair{A: id, B: r.id, Score: r.score})
		}
		mu.Unlock()
	})
	return out
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
	memo := analyses{}
	e.remember(memo, &e.docs[sa])
	e.remember(memo, &e.docs[sb])
	return e.pair(sa, sb, memo), nil
}

// pair scores the posts in slots a and b exactly and explains the match
// to a, with the analyses in memo (or made as needed). The caller holds
// the read lock.
func (e *Engine) pair(a, b int32, memo analyses) Match {
	x, y := &e.docs[a], &e.docs[b]
	scores, score := e.score(x, y)
	m := Match{Post: y.post, Score: score, Scores: scores}
	m.Reasons = e.explain(x.post, m, memo)
	return m
}

// eligible applies the rules of a good match that are not a matter of
// degree to the posts in slots a and b: another, active business; lanes
// that fit; not excluded.
func (e *Engine) eligible(a, b int32, opt MatchOptions) bool {
	x, y := &e.rules[a], &e.rules[b]
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

// accumulator is one query's scratch space, pooled: per post slot, the
// cosines the inverted lists give.
type accumulator struct {
	sums [4][]float32 // by part, then by slot
}

// The cosines an accumulator sums per post.
const (
	partSeek = iota // my seek × their offer
	partGive        // my offer × their seek
	partCust        // my customers × theirs
	partSame        // my offer × theirs
)

// accumulator returns zeroed scratch space sized for the engine. The
// caller holds the read lock and puts it back in e.scratch.
func (e *Engine) accumulator() *accumulator {
	acc, _ := e.scratch.Get().(*accumulator)
	if acc == nil {
		acc = &accumulator{}
	}
	// Room to grow, so that a few new posts do not mean a new array.
	if len(acc.sums[0]) < len(e.docs) {
		for part := range acc.sums {
			acc.sums[part] = make([]float32, len(e.docs)+len(e.docs)/8+64)
		}
	}
	return acc
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

// score computes a pair's match, pair by pair, from its four cosines: see
// Weights for the formula.
func (e *Engine) score(a, b *doc) (Scores, float64) {
	s := Scores{
		TheyOfferWhatYouSeek: e.cosine(a.seek, b.offer, a.nSeek, b.nOffer),
		YouOfferWhatTheySeek: e.cosine(a.offer, b.seek, a.nOffer, b.nSeek),
		SharedCustomers:      e.cosine(a.cust, b.cust, a.nCust, b.nCust),
		SameOffer:            e.cosine(a.offer, b.offer, a.nOffer, b.nOffer),
	}
	return s, e.combine(s)
}

// combine is a pair's match score from its four cosines.
func (e *Engine) combine(s Scores) float64 {
	w := e.weights
	raw := e.fit(s.TheyOfferWhatYouSeek, s.YouOfferWhatTheySeek) *
		(1 - w.SharedCustomers + w.SharedCustomers*s.SharedCustomers) *
		(1 - w.CompetitorPenalty*rivalry(s, w.RivalAt))
	return math.Sqrt(max(raw, 0))
}

// rivalry is how much two posts look like competitors, in [0, 1]: alike
// offers, the more so when their customers overlap. Offers alike with no
// recognised customer overlap still count half: the vocabulary may simply
// not know that "clinicians" and "therapy practices" are one crowd.
func rivalry(s Scores, rivalAt float64) float64 {
	return math.Min(1, s.SameOffer/rivalAt) * (0.5 + 0.5*s.SharedCustomers)
}
