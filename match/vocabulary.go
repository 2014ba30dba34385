package match

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed vocabulary.txt
var defaultVocabulary string

// Kind says what a vocabulary concept names.
type Kind uint8

const (
	KindWord     Kind = iota // a plain word, not in the vocabulary
	KindCustomer             // a customer segment: whom a business serves
	KindService              // something businesses offer and seek
	KindSignal               // how partners work together
)

// Concept is one group of equivalent phrases in the vocabulary.
type Concept struct {
	Name string // the canonical phrase, shown in explanations
	Kind Kind
	key  string // "@" + Name: the concept's term key, made once
}

// Vocabulary maps business phrasings to concepts ("bookkeeper", "CPA" and
// "accounting firm" are one concept) and lists generic phrases to ignore.
type Vocabulary struct {
	concepts []Concept
	root     *trieNode
}

// trieNode is a node of a trie over folded words; a phrase ends at a node
// with concept >= 0 (a concept's index) or generic set.
type trieNode struct {
	next    map[string]*trieNode
	concept int
	generic bool
}

func newTrieNode() *trieNode { return &trieNode{concept: -1} }

// DefaultVocabulary returns the vocabulary shipped with Matchmaker.
func DefaultVocabulary() *Vocabulary {
	v, err := ParseVocabulary(defaultVocabulary)
	if err != nil {
		panic("the shipped vocabulary does not parse: " + err.Error())
	}
	return v
}

// ParseVocabulary reads a vocabulary in the format of vocabulary.txt.
// It returns an EINVALID error naming the first bad line.
func ParseVocabulary(text string) (*Vocabulary, error) {
	v := &Vocabulary{root: newTrieNode()}
	kinds := map[string]Kind{"customers": KindCustomer, "services": KindService, "signals": KindSignal}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = strings.Trim(line, "[]")
			if _, ok := kinds[section]; !ok && section != "generic" {
				return nil, Errorf(EINVALID, "vocabulary line %d: unknown section %s", n, line)
			}
			continue
		}
		if section == "" {
			return nil, Errorf(EINVALID, "vocabulary line %d: a phrase before any [section]", n)
		}
		if section == "generic" {
			v.add(line, -1)
			continue
		}
		phrases := strings.Split(line, "|")
		id := len(v.concepts)
		name := strings.TrimSpace(phrases[0])
		v.concepts = append(v.concepts, Concept{Name: name, Kind: kinds[section], key: "@" + name})
		for _, p := range phrases {
			v.add(p, id)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read vocabulary: %w", err)
	}
	return v, nil
}

// add puts a phrase in the trie: for a concept, or as generic (id < 0).
// A phrase already present keeps its first meaning.
func (v *Vocabulary) add(phrase string, id int) {
	words := phraseWords(phrase)
	if len(words) == 0 {
		return
	}
	node := v.root
	for _, w := range words {
		child := node.next[w]
		if child == nil {
			if node.next == nil {
				node.next = map[string]*trieNode{}
			}
			child = newTrieNode()
			node.next[w] = child
		}
		node = child
	}
	if node.concept >= 0 || node.generic {
		return
	}
	if id < 0 {
		node.generic = true
	} else {
		node.concept = id
	}
}

// Concepts returns the number of concepts.
func (v *Vocabulary) Concepts() int { return len(v.concepts) }

// phraseWords returns the folded words of s, stop words included: phrases
// are matched before stop words are dropped ("bride and groom").
func phraseWords(s string) []string {
	var out []string
	for _, tok := range tokenize(s) {
		out = append(out, tok.word)
	}
	return out
}
