package match

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed vocabulary.txt
var defaultVocabulary string

// Vocabulary is the small override the analysis applies before anything
// else (see vocabulary.txt): filler phrases to ignore, and abbreviations
// to read as the words they stand for. What words mean to each other is
// the lexicon's business (match/lexicon), not the vocabulary's.
type Vocabulary struct {
	root *trieNode
}

// trieNode is a node of a trie over folded words; a phrase ends at a node
// that is generic or holds an expansion.
type trieNode struct {
	next      map[string]*trieNode
	generic   bool
	expansion string // the words an abbreviation stands for
}

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
	v := &Vocabulary{root: &trieNode{}}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			if section != "generic" && section != "abbreviations" {
				return nil, Errorf(EINVALID, "vocabulary line %d: unknown section %s", n, line)
			}
		case section == "":
			return nil, Errorf(EINVALID, "vocabulary line %d: a phrase before any [section]", n)
		case section == "generic":
			v.add(line, "")
		default:
			short, long, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(short) == "" || strings.TrimSpace(long) == "" {
				return nil, Errorf(EINVALID, "vocabulary line %d: an abbreviation is written \"short = long\"", n)
			}
			v.add(short, strings.TrimSpace(long))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read vocabulary: %w", err)
	}
	return v, nil
}

// add puts a phrase in the trie: generic when expansion is "". A phrase
// already present keeps its first meaning.
func (v *Vocabulary) add(phrase, expansion string) {
	var words []string
	for _, tok := range tokenize(phrase) {
		words = append(words, tok.word)
	}
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
			child = &trieNode{}
			node.next[w] = child
		}
		node = child
	}
	if node.generic || node.expansion != "" {
		return
	}
	node.generic = expansion == ""
	node.expansion = expansion
}

// longest returns the longest phrase of the vocabulary that starts at
// toks[0]: how many tokens it spans (0 when none) and its node.
func (v *Vocabulary) longest(toks []token) (int, *trieNode) {
	node, found, length := v.root, (*trieNode)(nil), 0
	for j, t := range toks {
		node = node.next[t.word]
		if node == nil {
			break
		}
		if node.generic || node.expansion != "" {
			found, length = node, j+1
		}
	}
	return length, found
}
