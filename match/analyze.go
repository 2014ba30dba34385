package match

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/matchmaker/matchmaker/match/lexicon"
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

// word is a content word of a text, with what the engine compares it by.
type word struct {
	stem   string // porter stem of the word: its own key
	family string // stem of the family the word's base form belongs to ("insure" for "insurer"), or "" when that is stem
	sense  int32  // the word's commonest noun sense (a lexicon.SenseID), or -1
	folded string // lower case: how similar words are looked up
	start  int
	end    int
	// audience marks a word of a clause that says whom a business serves
	// ("for dairy farms", "serving flight schools"): it says whom, not what.
	audience bool
}

// meaning is what the lexicon says of a folded word: its stem, family and
// commonest noun sense.
type meaning struct {
	stem, family string
	sense        int32
}

// meanings remembers the meanings of the words seen most, bounded like
// the stem cache.
var meanings = struct {
	sync.RWMutex
	m map[string]meaning
}{m: map[string]meaning{}}

func meaningOf(folded string) meaning {
	meanings.RLock()
	m, ok := meanings.m[folded]
	meanings.RUnlock()
	if ok {
		return m
	}
	lx := lexicon.Default()
	m = meaning{stem: stems.of(folded), sense: -1}
	if lemma := lx.Lemma(folded); lemma != "" {
		if fam := stems.of(lx.Family(lemma)); fam != m.stem {
			m.family = fam
		} else if base := agentBase(lx, lemma); base != "" {
			if fam := stems.of(lx.Family(base)); fam != m.stem {
				m.family = fam
			}
		}
		if id, ok := lx.NounSense(lemma); ok {
			m.sense = int32(id)
		}
	}
	meanings.Lock()
	if len(meanings.m) < stemsKept {
		meanings.m[strings.Clone(folded)] = m
	}
	meanings.Unlock()
	return m
}

// agentBase returns the verb a noun of one who does it comes from, when
// WordNet does not link them: "plumber" -> "plumb", "mover" -> "move",
// "planner" -> "plan", "roaster" -> "roast". A role noun then meets its
// activity ("plumbing", "moving") in the same word family.
func agentBase(lx *lexicon.Lexicon, noun string) string {
	stem, ok := strings.CutSuffix(noun, "er")
	if !ok {
		if stem, ok = strings.CutSuffix(noun, "or"); !ok {
			return ""
		}
	}
	cands := []string{stem, stem + "e"}
	if n := len(stem); n > 2 && stem[n-1] == stem[n-2] {
		cands = append(cands, stem[:n-1])
	}
	for _, c := range cands {
		if len(c) > 2 && lx.IsVerb(c) {
			return c
		}
	}
	return ""
}

// analyze turns text into its content words: vocabulary phrases first
// (generic filler dropped, abbreviations read as what they stand for),
// then every word that is not a stop word or a number.
func (v *Vocabulary) analyze(text string) []word {
	toks := tokenize(text)
	out := make([]word, 0, len(toks))
	spans := audienceSpans(text)
	emit := func(folded string, start, end int) {
		if len(folded) < 2 || stopWords[folded] {
			return
		}
		m := meaningOf(folded)
		audience := false
		for _, sp := range spans {
			if start >= sp[0] && start < sp[1] {
				audience = true
				break
			}
		}
		out = append(out, word{stem: m.stem, family: m.family, sense: m.sense, folded: folded, start: start, end: end, audience: audience})
	}
	for i := 0; i < len(toks); {
		if n, node := v.longest(toks[i:]); n > 0 {
			if node.expansion != "" {
				// Every word of the expansion stands where the abbreviation does.
				for _, t := range tokenize(node.expansion) {
					emit(t.folded, toks[i].start, toks[i+n-1].end)
				}
			}
			i += n
			continue
		}
		if t := toks[i]; !t.stop {
			emit(t.folded, t.start, t.end)
		}
		i++
	}
	return out
}

// audienceCues start the clauses in which a post says whom it serves.
var audienceCues = []string{" for ", " serving ", " serve ", " serves ", " work with ", " works with ",
	" clients are ", " customers are ", " clients like ", " whose clients ", " with clients ", " to "}

// audienceSpans returns the stretches of text (byte offsets, from and
// to) in which a post says whom it serves: from an audience cue to the
// end of its clause ("bookkeeping for dairy farms"). "To" is the weakest
// cue: it counts only to the end of its phrase (a comma) and before a
// noun ("to dentists", not "to share clients").
func audienceSpans(text string) [][2]int {
	lower := asciiLower(text) // the cues are ASCII; offsets must stay those of text
	var spans [][2]int
	for start := 0; start < len(text); {
		end := strings.IndexAny(text[start:], ".;:!?\n(")
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		// The clause with a space before it, so that a cue at its start
		// is found; offsets in it are one more than in text.
		clause := " " + lower[start:end]
		first := -1
		for _, c := range audienceCues {
			if c == " to " {
				continue
			}
			if i := strings.Index(clause, c); i >= 0 && (first < 0 || i+len(c) < first) {
				first = i + len(c)
			}
		}
		if first >= 0 {
			spans = append(spans, [2]int{start + first - 1, end})
		}
		for at := 0; ; {
			i := strings.Index(clause[at:], " to ")
			if i < 0 {
				break
			}
			i += at
			after := i + len(" to ")
			next, _, _ := strings.Cut(strings.TrimLeft(clause[after:], " "), " ")
			next = strings.Trim(next, "',\"")
			if next == "" || !stopWords[next] && nounish(next) {
				phraseEnd := strings.IndexByte(clause[after:], ',')
				if phraseEnd < 0 {
					phraseEnd = len(clause)
				} else {
					phraseEnd += after
				}
				spans = append(spans, [2]int{start + after - 1, start + phraseEnd - 1})
			}
			at = after - 1
		}
		start = end + 1
	}
	return spans
}

// asciiLower lower-cases ASCII letters only, so that every byte stays
// where it was (strings.ToLower may change a text's length).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// nounish reports whether a word is more often a noun than a verb, as
// WordNet's counts of its senses in text say ("dentists", "store"; not
// "share", "live", "go"). Words WordNet does not know count as nouns:
// they are mostly names and trades' own words.
func nounish(w string) bool {
	lx := lexicon.Default()
	lemma := lx.Lemma(w)
	if lemma == "" {
		return true
	}
	noun, verb := lx.Tags(lemma)
	return noun >= 0 && noun >= verb
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
		actually already always around based currently even ever every go goes going great happy hope
		ideally just keep kind know lately let lot lots love maybe mostly often perhaps pretty quite
		rather run running runs said say see seem send sort start still sure take thing things think
		try usually want went whether year years`) {
		m[w] = true
	}
	return m
}()
