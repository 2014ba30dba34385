package evalset

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
)

// The plain-search baselines the engine must beat, as the project's
// baseline tool (../shared/tools/match-baselines) defines them: BM25 over
// lightly stemmed words, used four ways.

var baselineStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("a an and the of for to in on at with who we our i my me is are be that this from by or as us their they them want can will just so into") {
		m[w] = true
	}
	return m
}()

// baselineWords lower-cases s, splits it into runs of ASCII letters and
// digits, drops stop words and takes one common suffix off long words.
func baselineWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		if baselineStop[w] {
			continue
		}
		for _, suf := range []string{"ing", "ers", "es", "s"} {
			if len(w) > 5 && strings.HasSuffix(w, suf) {
				w = w[:len(w)-len(suf)]
				break
			}
		}
		out = append(out, w)
	}
	return out
}

type bm25 struct {
	docs []map[string]int
	lens []int
	avg  float64
	idf  map[string]float64
}

func newBM25(docs [][]string) *bm25 {
	b := &bm25{idf: map[string]float64{}}
	df := map[string]int{}
	total := 0
	for _, d := range docs {
		m := map[string]int{}
		for _, w := range d {
			m[w]++
		}
		for w := range m {
			df[w]++
		}
		b.docs = append(b.docs, m)
		b.lens = append(b.lens, len(d))
		total += len(d)
	}
	b.avg = float64(total) / math.Max(1, float64(len(docs)))
	n := float64(len(docs))
	for w, c := range df {
		b.idf[w] = math.Log(1 + (n-float64(c)+0.5)/(float64(c)+0.5))
	}
	return b
}

func (b *bm25) score(q []string, i int) float64 {
	const k1, bb = 1.2, 0.75
	s := 0.0
	for _, w := range q {
		if f := float64(b.docs[i][w]); f > 0 {
			s += b.idf[w] * f * (k1 + 1) / (f + k1*(1-bb+bb*float64(b.lens[i])/b.avg))
		}
	}
	return s
}

// Baselines returns the rankings of the four baselines, by name.
func (s *Set) Baselines() map[string]map[string][]string {
	n := len(s.Posts)
	offerCust, all, seek, offer := make([][]string, n), make([][]string, n), make([][]string, n), make([][]string, n)
	for i, p := range s.Posts {
		offerCust[i] = baselineWords(p.Offer + " " + p.Customers)
		all[i] = baselineWords(p.Offer + " " + p.Seek + " " + p.Customers)
		seek[i] = baselineWords(p.Seek)
		offer[i] = baselineWords(p.Offer)
	}
	offerIdx, whole, offerOnly := newBM25(offerCust), newBM25(all), newBM25(offer)
	hm := func(a, b float64) float64 {
		if a <= 0 || b <= 0 {
			return 0
		}
		return 2 * a * b / (a + b)
	}
	return map[string]map[string][]string{
		"search: my seek vs their offer (BM25)": s.rankBy(func(i, j int) float64 { return offerIdx.score(seek[i], j) }),
		"similar profiles (BM25 whole post)":    s.rankBy(func(i, j int) float64 { return whole.score(all[i], j) }),
		"reciprocal BM25 (harmonic mean)": s.rankBy(func(i, j int) float64 {
			return hm(offerIdx.score(seek[i], j), offerIdx.score(seek[j], i))
		}),
		"two-stage: similar audience, then reciprocity": s.twoStage(whole, offerOnly, all, seek, offer),
	}
}

type ranked struct {
	score float64
	key   string
	j     int
}

// byScore orders best first; ties by key, the greater first, as Python's
// sort of (score, key) pairs in reverse does in the baseline tool.
func byScore(a, b ranked) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(b.key, a.key)
}

// byIndex orders best first; ties by position in the set, the later first.
func byIndex(a, b ranked) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(b.j, a.j)
}

func (s *Set) rankBy(f func(i, j int) float64) map[string][]string {
	out := map[string][]string{}
	for i, it := range s.Items {
		var rs []ranked
		for j, o := range s.Items {
			if j != i {
				rs = append(rs, ranked{f(i, j), o.Key, j})
			}
		}
		slices.SortFunc(rs, byScore)
		for _, r := range rs[:min(10, len(rs))] {
			out[it.Key] = append(out[it.Key], r.key)
		}
	}
	return out
}

// twoStage takes the 10 posts most like a post as a whole (same audience)
// and reorders them by how well each side's seek meets the other's offer,
// less how alike their offers are (rivals).
func (s *Set) twoStage(whole, offer *bm25, all, seek, offers [][]string) map[string][]string {
	out := map[string][]string{}
	for i, it := range s.Items {
		var sims []ranked
		for j, o := range s.Items {
			if j != i {
				sims = append(sims, ranked{whole.score(all[i], j), o.Key, j})
			}
		}
		slices.SortFunc(sims, byIndex)
		top := sims[:min(10, len(sims))]
		mx := 1.0
		if len(sims) > 0 && sims[0].score != 0 {
			mx = sims[0].score
		}
		re := make([]ranked, len(top))
		for k, r := range top {
			j := r.j
			f := r.score/mx + 0.5*(offer.score(seek[i], j)+offer.score(seek[j], i))/10 - 0.5*offer.score(offers[i], j)/10
			re[k] = ranked{f, r.key, j}
		}
		slices.SortFunc(re, byIndex)
		for _, r := range re {
			out[it.Key] = append(out[it.Key], r.key)
		}
	}
	return out
}
