package match

import (
	"cmp"
	"slices"
	"sync"

	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/matchmaker/matchmaker/match/lexicon"
)

// stemSim is a stem like another, and how alike.
type stemSim struct {
	stem string
	sim  float32
}

// nearStems maps a stem to the stems of the words like its words (see
// lexicon.Words.Similar), each with the best likeness of any two of their
// words. Like the word relation it is built from, it goes both ways: the
// share of one post's seek another's offer covers reads the same from
// either post.
func nearStems() map[string][]stemSim { return stemTables().near }

// wordOfStem returns the commonest English word with the stem, for people
// to read ("licens" -> "license"), or the stem itself when none is known.
func wordOfStem(stem string) string {
	if w, ok := stemTables().words[stem]; ok {
		return w
	}
	return stem
}

type stemTable struct {
	near  map[string][]stemSim
	words map[string]string // stem -> its commonest word
}

var stemTables = sync.OnceValue(func() stemTable {
	words := lexicon.DefaultWords()
	ids := map[string]int32{}
	var names []string
	idOf := func(w string) int32 {
		s := porterstemmer.StemString(w)
		if id, ok := ids[s]; ok {
			return id
		}
		id := int32(len(names))
		ids[s] = id
		names = append(names, s)
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
	slices.SortFunc(pairs, func(x, y pair) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b), cmp.Compare(y.sim, x.sim))
	})
	pairs = slices.CompactFunc(pairs, func(x, y pair) bool { return x.a == y.a && x.b == y.b })
	t := stemTable{near: make(map[string][]stemSim, len(names)), words: make(map[string]string, len(names))}
	for _, p := range pairs {
		t.near[names[p.a]] = append(t.near[names[p.a]], stemSim{names[p.b], p.sim})
	}
	for _, list := range t.near {
		slices.SortFunc(list, func(x, y stemSim) int { return cmp.Or(cmp.Compare(y.sim, x.sim), cmp.Compare(x.stem, y.stem)) })
	}
	for w := range words.All() { // commonest first: the first word of a stem wins
		if s := porterstemmer.StemString(w); t.words[s] == "" {
			t.words[s] = w
		}
	}
	return t
})
