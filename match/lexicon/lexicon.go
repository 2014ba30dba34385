// Package lexicon knows what English words mean to each other, from
// WordNet 3.0: the base forms of inflected words (licensed -> license),
// families of words derived from one another (insure, insurer, insurance),
// and senses: the sets of words that mean the same thing (license,
// licence, permit) and the broader senses above them.
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
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./gen -wordnet /usr/share/wordnet -out .

//go:embed lemmas.tsv.gz
var lemmasTable []byte

//go:embed synsets.tsv.gz
var synsetsTable []byte

//go:embed exceptions.tsv.gz
var exceptionsTable []byte

// SenseID names a WordNet synset: one meaning, shared by the words that
// have it.
type SenseID int32

// Sense is one meaning of a lemma.
type Sense struct {
	ID   SenseID
	POS  byte // n, v, a or r
	Tags int  // how often WordNet's concordance tagged the word in this sense
}

type lemma struct {
	family string  // the family's name, "" when the lemma has none
	senses []Sense // commonest first within each part of speech
}

type synset struct {
	hyper []SenseID
	words []string
}

// Lexicon is WordNet, read into memory. It is safe for concurrent use:
// nothing changes it after it is read.
type Lexicon struct {
	lemmas  map[string]lemma
	synsets []synset
	exc     map[byte]map[string][]string
	// phrases maps the first word of each multi-word lemma to the longest
	// such lemma's length in words, so that a scan knows how far to look.
	phrases map[string]int
}

var (
	loadOnce sync.Once
	loaded   *Lexicon
)

// Default returns the embedded lexicon, read on first use (about a tenth
// of a second).
func Default() *Lexicon {
	loadOnce.Do(func() {
		lx, err := read(lemmasTable, synsetsTable, exceptionsTable)
		if err != nil {
			panic("lexicon: the embedded tables do not read: " + err.Error())
		}
		loaded = lx
	})
	return loaded
}

func read(lemmas, synsets, exceptions []byte) (*Lexicon, error) {
	lx := &Lexicon{lemmas: make(map[string]lemma, 150000), exc: map[byte]map[string][]string{}, phrases: map[string]int{}}
	ids := map[string]SenseID{}
	id := func(key string) SenseID {
		if i, ok := ids[key]; ok {
			return i
		}
		i := SenseID(len(ids))
		ids[key] = i
		return i
	}
	// Synsets first, so that their IDs follow the table's order.
	if err := eachRow(synsets, 3, func(f []string) error {
		s := synset{words: strings.Split(f[2], ",")}
		if f[1] != "" {
			for _, h := range strings.Split(f[1], ",") {
				s.hyper = append(s.hyper, id(h))
			}
		}
		i := id(f[0])
		for int(i) >= len(lx.synsets) {
			lx.synsets = append(lx.synsets, synset{})
		}
		lx.synsets[i] = s
		return nil
	}); err != nil {
		return nil, fmt.Errorf("synsets: %w", err)
	}
	if err := eachRow(lemmas, 3, func(f []string) error {
		l := lemma{family: f[1]}
		if f[2] != "" {
			for _, s := range strings.Split(f[2], ",") {
				key, tags, _ := strings.Cut(s, ":")
				n, err := strconv.Atoi(tags)
				if err != nil || len(key) < 2 {
					return fmt.Errorf("lemma %q: bad sense %q", f[0], s)
				}
				l.senses = append(l.senses, Sense{ID: id(key), POS: key[0], Tags: n})
			}
		}
		lx.lemmas[f[0]] = l
		if first, _, multi := strings.Cut(f[0], " "); multi {
			lx.phrases[first] = max(lx.phrases[first], strings.Count(f[0], " ")+1)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("lemmas: %w", err)
	}
	if len(ids) > len(lx.synsets) {
		return nil, fmt.Errorf("%d senses are named but only %d synsets listed", len(ids), len(lx.synsets))
	}
	if err := eachRow(exceptions, 3, func(f []string) error {
		p := f[0][0]
		if lx.exc[p] == nil {
			lx.exc[p] = map[string][]string{}
		}
		lx.exc[p][f[1]] = append(lx.exc[p][f[1]], f[2])
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
	if err := sc.Err(); err != nil && err != io.EOF {
		return err
	}
	return nil
}

// Known reports whether lemma is a WordNet lemma (lower case, words
// separated by single spaces).
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

// Senses returns the lemma's senses that WordNet lists first for each part
// of speech (at most three each), commonest first within each.
func (lx *Lexicon) Senses(lemma string) []Sense { return lx.lemmas[lemma].senses }

// Hypernyms returns the broader senses of a sense: "bookkeeper" ->
// "accountant".
func (lx *Lexicon) Hypernyms(id SenseID) []SenseID {
	if int(id) >= len(lx.synsets) {
		return nil
	}
	return lx.synsets[id].hyper
}

// Words returns the lemmas that have the sense, WordNet's first one first.
func (lx *Lexicon) Words(id SenseID) []string {
	if int(id) >= len(lx.synsets) {
		return nil
	}
	return lx.synsets[id].words
}

// Lemma returns the base form of a lower-case word, as WordNet's morphy
// finds it: an irregular form from the exception lists, else the word
// with an inflectional ending taken off ("clinics", "licensed",
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
		return l[0]
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
	for _, s := range lx.lemmas[lemma].senses {
		if s.POS == p {
			return true
		}
	}
	return false
}

// PhraseLength returns how many of words, from the first, make the
// longest multi-word WordNet lemma ("real estate agent", "locum tenens"),
// with that lemma; 0 when none starts there. The last word may be
// inflected ("real estate agents").
func (lx *Lexicon) PhraseLength(words []string) (int, string) {
	most := lx.phrases[words[0]]
	for n := min(most, len(words)); n >= 2; n-- {
		head := strings.Join(words[:n-1], " ")
		last := words[n-1]
		if l := head + " " + last; lx.Known(l) {
			return n, l
		}
		if base := lx.lemmaAs(last, 'n'); base != "" && base != last {
			if l := head + " " + base; lx.Known(l) {
				return n, l
			}
		}
	}
	return 0, ""
}
