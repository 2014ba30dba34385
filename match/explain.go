package match

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// analyses memoizes text analysis across the explanations of one query:
// the query post's texts are quoted against every partner, and each
// partner's texts several times.
type analyses map[string][]term

func (e *Engine) analyzed(memo analyses, text string) []term {
	if ts, ok := memo[text]; ok {
		return ts
	}
	ts := e.vocab.analyze(text)
	memo[text] = ts
	return ts
}

// keptTerm is a term of a post's text as the engine keeps it for
// explanations: its ID in place of its key, its span in 16-bit offsets.
type keptTerm struct {
	id         int32
	start, end uint16
	kind       Kind
	implied    bool
}

// keptTexts are the analyses of a post's texts (in textsOf order), kept so
// that explaining a match does not analyse the partner's texts again: the
// terms of all texts in one slice, and how many belong to each text. At
// about 250 bytes a post, they cost far less than analysing anew on every
// request that shows the post.
type keptTexts struct {
	terms  []keptTerm
	counts []uint16
}

// keep compacts a post's analyses. Its terms are registered already (the
// post's vectors hold them all); should one not be, or a text be too long
// for 16-bit offsets, it keeps nothing, and explanations analyse the post's
// texts as they come. The caller holds the write lock.
func (e *Engine) keep(texts [][]term) keptTexts {
	n := 0
	for _, ts := range texts {
		n += len(ts)
	}
	k := keptTexts{terms: make([]keptTerm, 0, n), counts: make([]uint16, 0, len(texts))}
	for _, ts := range texts {
		for _, t := range ts {
			id, ok := e.termIDs[t.key]
			if !ok || t.end > math.MaxUint16 {
				return keptTexts{}
			}
			k.terms = append(k.terms, keptTerm{id: id, start: uint16(t.start), end: uint16(t.end), kind: t.kind, implied: t.implied})
		}
		k.counts = append(k.counts, uint16(len(ts)))
	}
	return k
}

// remember puts a post's kept analyses in memo, under their texts. The
// caller holds the read lock.
func (e *Engine) remember(memo analyses, d *doc) {
	if d.texts.counts == nil {
		return
	}
	i := 0
	for n, text := range textsOf(d.post) {
		c := int(d.texts.counts[n])
		if _, ok := memo[text]; !ok {
			ts := make([]term, c)
			for j, k := range d.texts.terms[i : i+c] {
				ts[j] = term{key: e.keys[k.id], kind: k.kind, start: int(k.start), end: int(k.end), implied: k.implied}
			}
			memo[text] = ts
		}
		i += c
	}
}

// explain says why b (in m) is a match for a, in the members' own words,
// written to a: "you look for '…'; they offer '…'". The caller holds the
// read lock (term weights come from the idf table); memo may be shared by
// the explanations of one query.
func (e *Engine) explain(a Post, m Match, memo analyses) []string {
	b, s := m.Post, m.Scores
	var reasons []string
	if s.TheyOfferWhatYouSeek > 0 {
		if qa, qb, ok := e.bestShared(memo, a.Seek, b.Offer); ok {
			reasons = append(reasons, "you look for '"+qa+"'; they offer '"+qb+"'")
		}
	}
	if s.YouOfferWhatTheySeek > 0 {
		if qb, qa, ok := e.bestShared(memo, b.Seek, a.Offer); ok {
			reasons = append(reasons, "they look for '"+qb+"'; you offer '"+qa+"'")
		}
	}
	if s.SharedCustomers > 0 {
		if who := e.sharedCustomers(memo, a, b); who != "" {
			reasons = append(reasons, "you both serve "+who)
		}
	}
	if r := laneReason(a.Lane, b.Lane); r != "" {
		reasons = append(reasons, r)
	}
	if s.SameOffer >= 0.4 && s.SharedCustomers >= 0.3 {
		if qa, qb, ok := e.bestShared(memo, a.Offer, b.Offer); ok && qa != "" {
			reasons = append(reasons, "careful: you both offer '"+qa+"' / '"+qb+"' to similar customers; they may be a competitor")
		}
	}
	return reasons
}

// bestShared finds the term that x and y share which weighs most, and
// quotes the clause of each text it stands in. Customer words do not count:
// they say whom, not what, and have a reason of their own.
func (e *Engine) bestShared(memo analyses, x, y string) (qx, qy string, ok bool) {
	// Quotes follow the words a member wrote: implied terms are passed
	// over. The texts hold a handful of terms each, so a scan of y for
	// each term of x costs less than a map.
	tx, ty := e.analyzed(memo, x), e.analyzed(memo, y)
	var best, bestInY term
	bestWeight := float32(-1)
	for _, t := range tx {
		if t.implied || t.kind == KindCustomer {
			continue
		}
		inY, shared := firstWritten(ty, t.key)
		if !shared {
			continue
		}
		w := float32(1)
		if id, known := e.termIDs[t.key]; known {
			w = e.idf[id]
		}
		switch t.kind {
		case KindSignal:
			w *= float32(1 - e.weights.CustomerDiscount)
		case KindWord:
			w *= plainWordWeight
		}
		if w > bestWeight {
			best, bestInY, bestWeight = t, inY, w
		}
	}
	if bestWeight < 0 {
		return "", "", false
	}
	return quote(x, best), quote(y, bestInY), true
}

// firstWritten returns the first term of terms with the key that is not
// implied.
func firstWritten(terms []term, key string) (term, bool) {
	for _, t := range terms {
		if !t.implied && t.key == key {
			return t, true
		}
	}
	return term{}, false
}

// sharedCustomers names the customers a and b share, in a's words.
func (e *Engine) sharedCustomers(memo analyses, a, b Post) string {
	// b's customer-like terms, wherever it wrote them: a few dozen at
	// most, so a list (on the stack) scans faster than a map fills.
	var space [64]string
	theirs := space[:0]
	for _, texts := range [][]string{{b.Customers, b.Industry, b.Offer, b.Seek}, b.Tags} {
		for _, text := range texts {
			for _, t := range e.analyzed(memo, text) {
				if t.kind != KindService && t.kind != KindSignal {
					theirs = append(theirs, t.key)
				}
			}
		}
	}
	// Prefer a's customers field, then its offer: where a names whom it serves.
	var best term
	var bestText string
	bestWeight := float32(-1)
	for _, text := range []string{a.Customers, a.Offer, a.Seek} {
		for _, t := range e.analyzed(memo, text) {
			if t.kind == KindService || t.kind == KindSignal || !slices.Contains(theirs, t.key) {
				continue
			}
			w := float32(1)
			if id, known := e.termIDs[t.key]; known {
				w = e.idf[id]
			}
			if t.kind == KindCustomer {
				w *= 2 // a named segment says more than a shared word
			}
			if w > bestWeight {
				best, bestText, bestWeight = t, text, w
			}
		}
		if bestWeight >= 0 {
			break
		}
	}
	if bestWeight < 0 {
		return ""
	}
	return lowerFirst(phraseAround(bestText, best), bestText)
}

// phraseAround returns the words of a term with the adjectives and nouns
// right around it: "online store owners", "busy dental practices".
func phraseAround(text string, t term) string {
	start, end := t.start, t.end
	// Extend over neighbouring words up to the clause's edges or a stop word.
	for _, w := range lastWords(text[:start], 2) {
		if stopWords[strings.ToLower(w)] {
			break
		}
		start -= len(w) + 1
	}
	for _, w := range firstWords(text[end:], 2) {
		if stopWords[strings.ToLower(w)] {
			break
		}
		end += len(w) + 1
	}
	return strings.TrimSpace(text[max(start, 0):min(end, len(text))])
}

// lastWords returns up to n words just before the end of s, nearest first,
// stopping at punctuation.
func lastWords(s string, n int) []string {
	var out []string
	for len(out) < n && strings.HasSuffix(s, " ") {
		s = s[:len(s)-1]
		i := strings.LastIndexByte(s, ' ')
		w := s[i+1:]
		if w == "" || !isPlainWord(w) {
			break
		}
		out = append(out, w)
		s = s[:i+1]
	}
	return out
}

// firstWords returns up to n words at the start of s, stopping at
// punctuation.
func firstWords(s string, n int) []string {
	var out []string
	for len(out) < n && strings.HasPrefix(s, " ") {
		s = s[1:]
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			i = len(s)
		}
		w := s[:i]
		if w == "" || !isPlainWord(w) {
			break
		}
		out = append(out, w)
		s = s[i:]
	}
	return out
}

func isPlainWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// maxQuote is the longest quote, in characters, an explanation shows.
const maxQuote = 90

// quote returns the clause of text that t stands in, from t (with its
// article) to the clause's end, shortened with "…".
func quote(text string, t term) string {
	clauseEnd := len(text)
	if i := strings.IndexAny(text[t.end:], ".!?;\n"); i >= 0 {
		clauseEnd = t.end + i
	}
	start := t.start
	if w := lastWords(text[:start], 1); len(w) == 1 {
		if a := strings.ToLower(w[0]); a == "a" || a == "an" || a == "the" {
			start -= len(w[0]) + 1
		}
	}
	q := strings.TrimSpace(text[start:clauseEnd])
	if utf8.RuneCountInString(q) > maxQuote {
		// Keep the matched term in view: cut around it at word boundaries.
		from, to := t.start-start, t.end-start
		left := max(0, from-maxQuote/3)
		right := min(len(q), to+maxQuote*2/3)
		left = wordBoundary(q, left, true)
		right = wordBoundary(q, right, false)
		cut := q[left:right]
		if left > 0 {
			cut = "… " + strings.TrimSpace(cut)
		}
		if right < len(q) {
			cut = strings.TrimSpace(cut) + " …"
		}
		q = cut
	}
	return lowerFirst(q, text)
}

// wordBoundary moves i to a space (backwards or forwards) so no word is cut.
func wordBoundary(s string, i int, backwards bool) int {
	if i <= 0 || i >= len(s) {
		return max(0, min(i, len(s)))
	}
	if backwards {
		if j := strings.LastIndexByte(s[:i], ' '); j >= 0 {
			return j + 1
		}
		return 0
	}
	if j := strings.IndexByte(s[i:], ' '); j >= 0 {
		return i + j
	}
	return len(s)
}

// lowerFirst lower-cases the first letter of a quote taken from the start
// of a sentence ("Engaged couples" -> "engaged couples") but leaves names
// and acronyms alone: "CPA", brands, and any word the member capitalised in
// the middle of a sentence of text.
func lowerFirst(q, text string) string {
	r, n := utf8.DecodeRuneInString(q)
	next, _ := utf8.DecodeRuneInString(q[n:])
	word, _, _ := strings.Cut(q, " ")
	word = strings.TrimRight(word, ",:;")
	switch {
	case !unicode.IsUpper(r):
		return q
	case stopWords[strings.ToLower(word)]: // "A", "An", "The", "We"
	case !unicode.IsLower(next) || brands[strings.ToLower(word)] || strings.Contains(text, " "+word):
		return q
	}
	return string(unicode.ToLower(r)) + q[n:]
}

// brands keep their capital even at the start of a sentence.
var brands = map[string]bool{
	"shopify": true, "amazon": true, "etsy": true, "google": true, "instagram": true, "tiktok": true,
	"linkedin": true, "facebook": true, "youtube": true, "woocommerce": true, "magento": true,
	"squarespace": true, "wordpress": true, "wix": true, "hubspot": true, "salesforce": true,
	"quickbooks": true, "xero": true, "stripe": true, "klaviyo": true, "mailchimp": true,
}

func laneReason(a, b Lane) string {
	switch {
	case a == b && a != LaneEither:
		return "you both want a " + string(a) + " partnership"
	case a != LaneEither && b == LaneEither:
		return "they are open to a " + string(a) + " partnership, as you want"
	case a == LaneEither && b != LaneEither:
		return "they want a " + string(b) + " partnership; you are open to either"
	}
	return ""
}
