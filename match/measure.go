package match

import (
	"cmp"
	"slices"
)

// The measures of a pair the inverted lists do not give, taken pair by
// pair: for the candidates the lists leave, for the exhaustive reference
// and for Explain; and what a query needs of its post to take them.

// query is what a query needs of its post beyond its vectors: the stems
// near the words of its seek and offer, under the current idf table.
type query struct {
	seekNear []nearGroup
	seekMass float32 // the idf mass of the seek's stems: near's denominator
	// offerNear lists the stems near the offer's, each with its best
	// similarity to one of them; offerSim is the same as a map.
	offerNear []nearTerm
	offerSim  map[int32]float32
	// offerLike is offerSim without what was learned of seeks: the likes
	// of the offer's stems, for how alike two offers are.
	offerLike map[int32]float32
	// seekGroups and offerGroups are seekNear and the offer's like of it,
	// indexed to measure shares pair by pair.
	seekGroups, offerGroups *groups
	// goodFit lists the posts someone called a good fit with this one.
	goodFit []int64
}

// nearGroup is one stem of a seek: its weight (weight × idf) and the
// stems near it, itself first.
type nearGroup struct {
	stem int32
	w    float32
	near []nearTerm
}

type nearTerm struct {
	t   int32
	sim float32
}

// queryOf prepares a query for the post d. The caller holds the read lock.
func (e *Engine) queryOf(d *doc) *query {
	q := &query{offerSim: map[int32]float32{}, offerLike: map[int32]float32{}, goodFit: e.learned.goodFit[d.post.ID]}
	var offerGroups []nearGroup
	for _, en := range d.seek {
		if !e.isStem(en.t) {
			continue
		}
		g := nearGroup{stem: en.t, w: en.w * e.sidf[en.t], near: []nearTerm{{en.t, 1}}}
		for stem, sim := range similarStems(e.keys[en.t]) {
			if t, ok := e.termIDs[stem]; ok {
				g.near = append(g.near, nearTerm{t, sim})
			}
		}
		g.near = append(g.near, e.learned.answers[en.t]...)
		q.seekNear = append(q.seekNear, g)
		q.seekMass += g.w
	}
	for _, en := range d.offer {
		if !e.isStem(en.t) {
			continue
		}
		q.offerLike[en.t] = 1
		g := nearGroup{stem: en.t, w: en.w * e.sidf[en.t], near: []nearTerm{{en.t, 1}}}
		for stem, sim := range similarStems(e.keys[en.t]) {
			if t, ok := e.termIDs[stem]; ok {
				q.offerLike[t] = max(q.offerLike[t], sim)
				g.near = append(g.near, nearTerm{t, sim})
			}
		}
		offerGroups = append(offerGroups, g)
		for _, s := range e.learned.answeredBy[en.t] {
			q.offerSim[s.t] = max(q.offerSim[s.t], s.sim)
		}
	}
	for t, s := range q.offerLike {
		q.offerSim[t] = max(q.offerSim[t], s)
	}
	q.seekGroups, q.offerGroups = newGroups(q.seekNear), newGroups(offerGroups)
	for t, s := range q.offerSim {
		q.offerNear = append(q.offerNear, nearTerm{t, s})
	}
	// In term order, so that sums run the same way on every query.
	slices.SortFunc(q.offerNear, func(a, b nearTerm) int { return cmp.Compare(a.t, b.t) })
	return q
}

// topics measures how alike the two posts' topics and audiences' topics
// are: what the lists do not give of the audience.
func (e *Engine) topics(a, b *doc, f *features) {
	f.topic = float32(centredCosine(&a.topic, &b.topic, e.means.topicMM))
	f.whom = float32(centredCosine(&a.whom, &b.whom, e.means.whomMM))
}

// rivals measures how alike the two offers and seeks are.
func (e *Engine) rivals(a, b *doc, q *query, f *features) {
	f.same = min(1, float32(cosine(a.offer, b.offer, a.nOffer, b.nOffer, e.sidf))+rivalWeight*e.learnedSame(a, b))
	f.sameNear = (q.offerGroups.covered(b.offer) + e.coveredBy(b.offer, b.offerMass, q.offerLike)) / 2
	f.sameSeek = float32(cosine(a.seek, b.seek, a.nSeek, b.nSeek, e.sidf))
}

// exhaustive scores every eligible post exactly, pair by pair: the
// reference the fast path is measured against (MatchOptions.Exact).
func (e *Engine) exhaustive(slot int32, q *query, opt MatchOptions) []scored {
	a := &e.docs[slot]
	r := ranking{limit: opt.Limit}
	for b := range e.docs {
		if !e.eligible(slot, int32(b), opt) {
			continue
		}
		d := &e.docs[b]
		f := e.pairFeatures(a, d, q)
		r.add(scored{doc: int32(b), id: d.post.ID, score: score(e.boosted(q, d) * e.weights.raw(&f)), f: f})
	}
	return r.best
}

// pairFeatures measures the pair (a, b) pair by pair, as the lists would.
func (e *Engine) pairFeatures(a, b *doc, q *query) features {
	f := features{
		seek:      float32(cosine(a.seek, b.offer, a.nSeek, b.nOffer, e.sidf)),
		give:      float32(cosine(a.offer, b.seek, a.nOffer, b.nSeek, e.sidf)),
		customers: float32(cosine(a.aud, b.aud, a.nAud, b.nAud, e.idf)),
	}
	f.near = q.seekGroups.covered(b.offer)
	f.nearBack = e.coveredBy(b.seek, b.seekMass, q.offerSim)
	e.topics(a, b, &f)
	e.rivals(a, b, q, &f)
	return f
}

// boosted is what the raw score of the query's post with b is multiplied
// by: more when someone called them a good fit.
func (e *Engine) boosted(q *query, b *doc) float64 {
	if slices.Contains(q.goodFit, b.post.ID) {
		return 1 + goodFitBoost
	}
	return 1
}

// groups are a text's stems, each with the stems near it, indexed by
// those: what a share of the text another text covers is computed from.
type groups struct {
	list []nearGroup
	mass float32 // the stems' idf mass: the share's denominator
	// by lists, for each stem near one of the text's, the groups it is
	// near and how alike.
	by   map[int32][]groupSim
	best []float32 // scratch: per group, its best likeness in the other text
}

type groupSim struct {
	group int32
	sim   float32
}

func newGroups(list []nearGroup) *groups {
	g := &groups{list: list, by: map[int32][]groupSim{}, best: make([]float32, len(list))}
	for i, gr := range list {
		g.mass += gr.w
		for _, n := range gr.near {
			g.by[n.t] = append(g.by[n.t], groupSim{int32(i), n.sim})
		}
	}
	return g
}

// covered is the share of the groups' weight whose stems, or stems near
// them, the vector holds, each counted by its best likeness: one pass over
// the vector. It uses the groups' scratch space: one caller at a time.
func (g *groups) covered(v vector) float32 {
	if g.mass == 0 {
		return 0
	}
	clear(g.best)
	for _, en := range v {
		for _, gs := range g.by[en.t] {
			g.best[gs.group] = max(g.best[gs.group], gs.sim)
		}
	}
	var sum float32
	for i, b := range g.best {
		sum += g.list[i].w * b
	}
	return min(1, sum/g.mass)
}

// coveredBy is the share of v's stems' weight (of mass) near the
// query's stems in sims, each counted by its best likeness.
func (e *Engine) coveredBy(v vector, mass float32, sims map[int32]float32) float32 {
	if mass == 0 {
		return 0
	}
	var sum float32
	for _, en := range v {
		if s, ok := sims[en.t]; ok {
			sum += s * en.w * e.sidf[en.t]
		}
	}
	return min(1, sum/mass)
}

// holds reports whether the vector holds the term.
func holds(v vector, t int32) bool {
	_, ok := slices.BinarySearchFunc(v, t, func(en entry, t int32) int { return cmp.Compare(en.t, t) })
	return ok
}
