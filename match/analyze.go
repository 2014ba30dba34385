package match

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// token is one word of a text: its stem and where it stands (byte offsets),
// so that explanations can quote the member's own words.
type token struct {
	word       string // lower case, plural folded: matched against the vocabulary
	folded     string // lower case: what the porter stem is taken of (see stem)
	stop       bool
	start, end int
}

// stem is the token's porter stem, as the search index takes it: how words
// outside the vocabulary are compared between posts. It is computed only
// for those words, the fewer.
func (t token) stem() string { return stems.of(t.folded) }

// stemCache remembers the stems of the words seen most: explaining a match
// analyses the partners' texts again, and stemming is the dearest step of
// analysis. It is bounded: once full it only serves what it holds, so no
// stream of made-up words can grow it.
type stemCache struct {
	mu sync.RWMutex
	m  map[string]string
}

const stemsKept = 50000

var stems = &stemCache{m: map[string]string{}}

func (c *stemCache) of(word string) string {
	c.mu.RLock()
	stem, ok := c.m[word]
	c.mu.RUnlock()
	if ok {
		return stem
	}
	stem = porterstemmer.StemString(word)
	c.mu.Lock()
	if len(c.m) < stemsKept {
		// A copy, so that the key does not pin the whole text it was cut from.
		c.m[strings.Clone(word)] = stem
	}
	c.mu.Unlock()
	return stem
}

// tokenize splits s into words: runs of letters and digits. Inner
// apostrophes are kept and possessives dropped ("children's" -> "children");
// inner hyphens join ("e-commerce" -> "ecommerce"). Words are lower-cased,
// and porter-stemmed as the search index does.
func tokenize(s string) []token {
	out := make([]token, 0, len(s)/6+1) // words average five letters and a space
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				i += size
				continue
			}
			// An apostrophe or a hyphen joins letters: "children's",
			// "we'd", "e-commerce".
			if r == '\'' || r == '’' || r == '-' {
				if next, _ := utf8.DecodeRuneInString(s[i+size:]); i+size < len(s) && unicode.IsLetter(next) {
					i += size
					continue
				}
			}
			break
		}
		word := strings.ToLower(strings.ReplaceAll(s[start:i], "’", "'"))
		word = strings.TrimSuffix(word, "'s")
		stop := stopWords[word]
		word = strings.ReplaceAll(word, "-", "")
		if isNumber(word) {
			continue // years, counts and prices say little about a business
		}
		out = append(out, token{word: singular(word), folded: word, stop: stop, start: start, end: i})
	}
	return out
}

// singular folds common English plurals: "dentists", "businesses",
// "companies". It is deliberately lighter than a stemmer, which would make
// "branding" a "brand" and "marketing" a "market" in vocabulary look-ups.
func singular(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// term is one unit of meaning in a text: a vocabulary concept or a word
// stem, and the span of the text it came from.
type term struct {
	key        string // "@" + concept name, or the word's stem
	kind       Kind
	start, end int
	// implied marks a customer segment named inside a service phrase
	// ("wedding" in "wedding planning"): it says whom the business serves,
	// but is not a word of its own in the offer or seek.
	implied bool
}

// analyze turns text into terms: the longest vocabulary phrase wins at each
// position; generic phrases and stop words are dropped.
func (v *Vocabulary) analyze(text string) []term {
	toks := tokenize(text)
	out := make([]term, 0, len(toks))
	for i := 0; i < len(toks); {
		// Walk the trie as far as the words go; remember the longest phrase.
		node, concept, generic, length := v.root, -1, false, 0
		for j := i; j < len(toks); j++ {
			node = node.next[toks[j].word]
			if node == nil {
				break
			}
			if node.concept >= 0 || node.generic {
				concept, generic, length = node.concept, node.generic, j-i+1
			}
		}
		switch {
		case length > 0 && generic:
			i += length
		case length > 0:
			c := v.concepts[concept]
			out = append(out, term{key: c.key, kind: c.Kind, start: toks[i].start, end: toks[i+length-1].end})
			if c.Kind == KindService && length > 1 {
				out = append(out, v.impliedCustomers(toks[i:i+length])...)
			}
			i += length
		default:
			if t := toks[i]; !t.stop {
				if stem := t.stem(); utf8.RuneCountInString(stem) > 1 {
					out = append(out, term{key: stem, kind: KindWord, start: t.start, end: t.end})
				}
			}
			i++
		}
	}
	return out
}

// impliedCustomers returns the customer segments that single words of a
// service phrase name on their own: "dental" in "dental billing".
func (v *Vocabulary) impliedCustomers(toks []token) []term {
	var out []term
	for _, t := range toks {
		node := v.root.next[t.word]
		if node != nil && node.concept >= 0 && v.concepts[node.concept].Kind == KindCustomer {
			out = append(out, term{key: v.concepts[node.concept].key, kind: KindCustomer, start: t.start, end: t.end, implied: true})
		}
	}
	return out
}

// stopWords are English function words, and the commonest words of
// partnership posts that the vocabulary's generic list does not cover.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a about above after again against all also am an and any are aren't as at be because been
		before being below between both but by can can't cannot could couldn't did didn't do does
		doesn't doing don't down during each either etc few for from further get gets got had hadn't
		has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his
		how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's like make me
		more most much must mustn't my myself need needs new no nor not now of off on once one only or
		other others ought our ours ourselves out over own per plus really same shan't she she'd she'll
		she's should shouldn't so some such than that that's the their theirs them themselves then there
		there's these they they'd they'll they're they've this those through to too under until up upon
		us use used using very via want wants was wasn't way we we'd we'll we're we've well were weren't
		what what's when when's where where's which while who who's whom whose why why's will with won't
		within without would wouldn't yes yet you you'd you'll you're you've your yours yourself
		yourselves
		actually already always around based currently even ever every going great happy hope
		ideally just keep kind know lately let lot lots love maybe mostly often perhaps pretty quite
		rather run running runs said say see seem send sort start still sure take thing things think
		try usually want went whether year years`) {
		m[w] = true
	}
	return m
}()
