package match

import (
	"cmp"
	"math"
	"slices"
)

// Verdict is what a member or the host says of a match.
type Verdict string

const (
	GoodFit Verdict = "good_fit"
	NotAFit Verdict = "not_a_fit"
)

// Reason says why a match is not a fit, or how a meeting went.
type Reason string

const (
	ReasonNone         Reason = ""
	ReasonCompetitor   Reason = "competitor"     // same offer to the same people
	ReasonNotRelevant  Reason = "not_relevant"   // nothing to do with each other
	ReasonTooFar       Reason = "too_far"        // out of reach of each other
	ReasonAlreadyKnow  Reason = "already_know"   // no introduction needed
	ReasonNotNow       Reason = "not_now"        // maybe another quarter
	ReasonMetUseful    Reason = "met_useful"     // they met, and it was worth it (good fit)
	ReasonMetNotUseful Reason = "met_not_useful" // they met, and it was not (not a fit)
)

// Reasons lists, by verdict, the reasons it may carry.
var Reasons = map[Verdict][]Reason{
	GoodFit: {ReasonNone, ReasonMetUseful},
	NotAFit: {ReasonCompetitor, ReasonNotRelevant, ReasonTooFar, ReasonAlreadyKnow, ReasonNotNow, ReasonMetNotUseful},
}

// Valid reports whether the verdict is known and carries a reason it may.
func (v Verdict) Valid(r Reason) bool { return slices.Contains(Reasons[v], r) }

// Feedback is one answer about a match: the post's owner (or the host)
// said Verdict of Other, for Reason.
type Feedback struct {
	Post, Other int64
	Verdict     Verdict
	Reason      Reason
}

// Excludes reports whether the answer takes the pair out of the matches
// of post (for the one who said it) or of both posts: a competitor, or
// people who know each other already, never come back for either side;
// "not relevant", "too far" and a meeting that was no use not for the one
// who said so; "not now" only for the quarter it was said in (see the
// store). A good fit excludes nothing.
func (f Feedback) Excludes() (forPost, forBoth bool) {
	switch f.Reason {
	case ReasonCompetitor, ReasonAlreadyKnow:
		return true, true
	case ReasonNotRelevant, ReasonTooFar, ReasonMetNotUseful, ReasonNotNow:
		return true, false
	}
	return false, false
}

// Learned is a relation between words the engine learned from the
// community's answers.
type Learned struct {
	// Kind is "answers" (an offer word that answers a seek word: A is the
	// seek's stem, B the offer's) or "rivals" (two offer words that name
	// the same service).
	Kind string `json:"kind"`
	A    string `json:"a"`
	B    string `json:"b"`
	// Words are the words as members wrote them, for people to read.
	Words [2]string `json:"words"`
	// Support is how many answers (distinct pairs of posts) taught it.
	Support int `json:"support"`
	// Strength is how much it counts, from 0 to 1.
	Strength float64 `json:"strength"`
	// Forgotten marks a relation the host told the engine to forget: it
	// is listed, and counts for nothing.
	Forgotten bool `json:"forgotten"`
}

// LearnedKey names a learned relation.
type LearnedKey struct{ Kind, A, B string }

func (l Learned) Key() LearnedKey { return LearnedKey{l.Kind, l.A, l.B} }

const (
	KindAnswers = "answers"
	KindRivals  = "rivals"
)

// How the engine learns. A good fit between A and B says the words of A's
// seek are answered by the words of B's offer, and the other way round;
// which word answers which, one answer cannot say, so each pair of words
// gets a share (by idf weight, as in IBM's first translation model).
// Word pairs that several answers teach (minSupport distinct pairs of
// posts) and that gathered enough of their share (minShare) are learned;
// a "not relevant" answer takes shares away. A competitor answer teaches
// which offer words name the same service, the same way.
const (
	minSupport = 2
	minShare   = 0.03
	// learnedSim is how alike a learned pair of words counts at the
	// least support, rising to 1 with more (see learnedStrength).
	learnedSim = 0.6
	// perAnswer caps how many word pairs one answer teaches: its
	// heaviest; the rest of a long post's words would be noise.
	perAnswer = 12
	// rivalWeight is how much a learned pair of rival offer words adds to
	// how alike two offers are.
	rivalWeight = 0.5
)

func learnedStrength(support int) float64 {
	return math.Min(1, learnedSim+0.1*float64(support-minSupport))
}

// learning is what the engine learned, as its queries read it: for a
// seek stem the offer stems that answer it, and the other way round; for
// an offer stem the offer stems that are the same service. Term IDs; a
// stem the community does not hold is left out.
type learning struct {
	answers    map[int32][]nearTerm // seek stem -> offer stems
	answeredBy map[int32][]nearTerm // offer stem -> seek stems
	rivals     map[int32][]nearTerm // offer stem -> offer stems
	goodFit    map[int64][]int64    // post ID -> the posts someone called a good fit with it
}

// goodFitBoost is how much a pair someone called a good fit scores above
// what its words alone say.
const goodFitBoost = 0.5

// Learn replaces what the engine learned with what the answers teach,
// leaving out the relations in forget, and returns every relation it
// found, forgotten ones marked. Answers about posts the engine does not
// hold teach nothing. It takes effect at once: the next query reads it.
func (e *Engine) Learn(answers []Feedback, forget map[LearnedKey]bool) []Learned {
	e.writing.Lock()
	defer e.writing.Unlock()
	e.mu.RLock()
	type evidence struct {
		share float64
		pairs map[[2]int64]bool
		words [2]string
	}
	ev := map[LearnedKey]*evidence{}
	teach := func(kind string, from, to *doc, fromVec, toVec vector, sign float64, pair [2]int64) {
		type cand struct {
			a, b int32
			w    float64
		}
		var cands []cand
		total := 0.0
		for _, x := range fromVec {
			if !e.isStem(x.t) || x.w < 1 {
				continue // audience words say whom, not what
			}
			for _, y := range toVec {
				if !e.isStem(y.t) || y.w < 1 || (kind == KindAnswers && x.t == y.t) {
					continue
				}
				w := float64(x.w*e.sidf[x.t]) * float64(y.w*e.sidf[y.t])
				cands = append(cands, cand{x.t, y.t, w})
				total += w
			}
		}
		if total == 0 {
			return
		}
		slices.SortFunc(cands, func(p, q cand) int {
			return cmp.Or(cmp.Compare(q.w, p.w), cmp.Compare(p.a, q.a), cmp.Compare(p.b, q.b))
		})
		for _, c := range cands[:min(perAnswer, len(cands))] {
			k := LearnedKey{kind, e.keys[c.a], e.keys[c.b]}
			if kind == KindRivals && k.A > k.B {
				k.A, k.B = k.B, k.A
			}
			x := ev[k]
			if x == nil {
				x = &evidence{pairs: map[[2]int64]bool{}, words: [2]string{wordOfStem(k.A), wordOfStem(k.B)}}
				ev[k] = x
			}
			x.share += sign * c.w / total
			if sign > 0 {
				x.pairs[pair] = true
			}
		}
	}
	goodFit := map[int64][]int64{}
	for _, f := range answers {
		sa, okA := e.slots[f.Post]
		sb, okB := e.slots[f.Other]
		if !okA || !okB || f.Post == f.Other {
			continue
		}
		a, b := &e.docs[sa], &e.docs[sb]
		pair := [2]int64{min(f.Post, f.Other), max(f.Post, f.Other)}
		switch {
		case f.Verdict == GoodFit:
			if !slices.Contains(goodFit[f.Post], f.Other) {
				goodFit[f.Post] = append(goodFit[f.Post], f.Other)
				goodFit[f.Other] = append(goodFit[f.Other], f.Post)
			}
			teach(KindAnswers, a, b, a.seek, b.offer, 1, pair)
			teach(KindAnswers, b, a, b.seek, a.offer, 1, pair)
		case f.Reason == ReasonCompetitor:
			teach(KindRivals, a, b, a.offer, b.offer, 1, pair)
		case f.Reason == ReasonNotRelevant || f.Reason == ReasonMetNotUseful:
			teach(KindAnswers, a, b, a.seek, b.offer, -1, pair)
			teach(KindAnswers, b, a, b.seek, a.offer, -1, pair)
		}
	}
	l := learning{answers: map[int32][]nearTerm{}, answeredBy: map[int32][]nearTerm{}, rivals: map[int32][]nearTerm{}, goodFit: goodFit}
	var out []Learned
	for k, x := range ev {
		support := len(x.pairs)
		switch {
		case k.Kind == KindRivals && support < 1, k.Kind == KindAnswers && (support < minSupport || x.share < minShare):
			// A competitor is said outright: one answer teaches its
			// heaviest word pairs. Which words answer which is inferred,
			// and needs more than one answer to be sure.
			continue
		}
		item := Learned{Kind: k.Kind, A: k.A, B: k.B, Words: x.words, Support: support, Strength: learnedStrength(max(support, minSupport))}
		item.Forgotten = forget[k]
		out = append(out, item)
		if item.Forgotten {
			continue
		}
		a, b := e.termIDs[k.A], e.termIDs[k.B]
		s := float32(item.Strength)
		if k.Kind == KindAnswers {
			l.answers[a] = append(l.answers[a], nearTerm{b, s})
			l.answeredBy[b] = append(l.answeredBy[b], nearTerm{a, s})
		} else {
			l.rivals[a] = append(l.rivals[a], nearTerm{b, s})
			if a != b {
				l.rivals[b] = append(l.rivals[b], nearTerm{a, s})
			}
		}
	}
	e.mu.RUnlock()
	slices.SortFunc(out, func(x, y Learned) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(y.Support, x.Support), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	e.mu.Lock()
	e.learned = l
	e.mu.Unlock()
	return out
}

// learnedSame is how alike two offers are by the rival words the engine
// learned: the share of both offers (by idf weight) whose words have a
// learned rival in the other's. The caller holds the read lock.
func (e *Engine) learnedSame(a, b *doc) float32 {
	if len(e.learned.rivals) == 0 {
		return 0
	}
	var hit, total float32
	for _, side := range [2][2]*doc{{a, b}, {b, a}} {
		for _, x := range side[0].offer {
			if !e.isStem(x.t) {
				continue
			}
			w := x.w * e.sidf[x.t]
			total += w
			var best float32
			for _, r := range e.learned.rivals[x.t] {
				if r.sim > best && holds(side[1].offer, r.t) {
					best = r.sim
				}
			}
			hit += w * best
		}
	}
	if total == 0 {
		return 0
	}
	return hit / total
}
