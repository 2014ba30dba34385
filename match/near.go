package match

import (
	"cmp"
	"iter"
	"slices"
	"sync"

	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/matchmaker/matchmaker/match/lexicon"
)

// stemTable relates stems by the likeness of their words (see
// lexicon.Words.Similar): for each stem, the stems of the words like its
// words, each with the best likeness of any two of their words. Like the
// word relation it is built from, it goes both ways, so that the share of
// one post's seek another's offer covers reads the same from either post.
//
// Stems are numbered, and every list lives in one array, so that the
// table costs a few megabytes rather than a map of string lists' tens.
type stemTable struct {
	ids   map[string]int32
	names []string  // by number
	words []string  // by number: the commonest English word of the stem
	start []int32   // by number: where its list starts in near
	near  []stemSim // every list, one after another
}

// stemSim is a stem like another, by number, and how alike.
type stemSim struct {
	id  int32
	sim float32
}

// similarStems yields the stems like stem, most alike first, with how
// alike.
func similarStems(stem string) iter.Seq2[string, float32] {
	t := stemTables()
	return func(yield func(string, float32) bool) {
		id, ok := t.ids[stem]
		if !ok {
			return
		}
		for _, s := range t.near[t.start[id]:t.start[id+1]] {
			if !yield(t.names[s.id], s.sim) {
				return
			}
		}
	}
}

// wordOfStem returns the commonest English word with the stem, for people
// to read ("licens" -> "license"), or the stem itself when none is known.
func wordOfStem(stem string) string {
	t := stemTables()
	if id, ok := t.ids[stem]; ok {
		return t.words[id]
	}
	return stem
}

var stemTables = sync.OnceValue(func() *stemTable {
	words := lexicon.DefaultWords()
	t := &stemTable{ids: map[string]int32{}}
	idOf := func(w string) int32 {
		s := porterstemmer.StemString(w)
		if id, ok := t.ids[s]; ok {
			return id
		}
		id := int32(len(t.names))
		t.ids[s] = id
		t.names = append(t.names, s)
		t.words = append(t.words, w) // words come commonest first
		return id
	}
	type pair struct {
		a, b int32
		sim  float32
	}
	var pairs []pair
	for w := range words.All() {
		a := idOf(w)
		for _, s := range words.Similar(w) {
			if b := idOf(s.Word); a != b {
				pairs = append(pairs, pair{a, b, s.Sim}, pair{b, a, s.Sim})
			}
		}
	}
	// By stem, most alike first; a pair of stems keeps its best likeness.
	slices.SortFunc(pairs, func(x, y pair) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b), cmp.Compare(y.sim, x.sim))
	})
	pairs = slices.CompactFunc(pairs, func(x, y pair) bool { return x.a == y.a && x.b == y.b })
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(y.sim, x.sim)) })
	t.near = make([]stemSim, len(pairs))
	t.start = make([]int32, len(t.names)+1)
	for i, p := range pairs {
		t.near[i] = stemSim{p.b, p.sim}
		t.start[p.a+1] = int32(i + 1)
	}
	for i := 1; i < len(t.start); i++ {
		t.start[i] = max(t.start[i], t.start[i-1]) // stems with no list end where the last one did
	}
	return t
})
