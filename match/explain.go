package match

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// analyses memoizes text analysis across the explanations of one query:
// the query post's texts are quoted against every partner, and each
// partner's texts several times.
type analyses map[string][]word

func (e *Engine) analyzed(memo analyses, text string) []word {
	if ws, ok := memo[text]; ok {
		return ws
	}
	ws := e.vocab.analyze(text)
	memo[text] = ws
	return ws
}

// explain says why b (in m) is a match for a, in the members' own words,
// written to a: "you look for '…'; they offer '…'". Every quote is a
// phrase of the post as its member wrote it; when the words that meet are
// only related, the reason says which. The caller holds the read lock
// (word weights come from the idf table); memo may be shared by the
// explanations of one query.
func (e *Engine) explain(a Post, m Match, f features, memo analyses, where string) []string {
	b := m.Post
	var reasons []string
	if f.seek > 0 || f.near > 0 {
		if r := e.meet(memo, a.Seek, b.Offer, "you look for", "they offer", "you seek"); r != "" {
			reasons = append(reasons, r)
		}
	}
	if f.give > 0 || f.nearBack > 0 {
		if r := e.meet(memo, b.Seek, a.Offer, "they look for", "you offer", "they seek"); r != "" {
			reasons = append(reasons, r)
		}
	}
	if r := e.audienceReason(memo, a, b); r != "" {
		reasons = append(reasons, r)
	}
	if where != "" {
		reasons = append(reasons, where)
	}
	if r := laneReason(a.Lane, b.Lane); r != "" {
		reasons = append(reasons, r)
	}
	if m.Scores.SameOffer >= 0.5 {
		if qa, qb, _, ok := e.bestPair(memo, a.Offer, b.Offer, false); ok {
			reasons = append(reasons, "careful: you both offer '"+qa+"' / '"+qb+"' to similar customers; they may be a competitor")
		}
	}
	return reasons
}

// meet explains how a seek and an offer meet: the seek's phrase and the
// offer's phrase whose words weigh most, and, when those words are only
// related, a plain word on how ("'books' is close to the 'bookkeeper' you
// seek").
func (e *Engine) meet(memo analyses, seek, offer, seekVerb, offerVerb, seeks string) string {
	qs, qo, rel, ok := e.bestPair(memo, seek, offer, true)
	if !ok {
		return ""
	}
	r := seekVerb + " '" + qs + "'; " + offerVerb + " '" + qo + "'"
	if rel.how != "" {
		r += "; '" + rel.theirs + "' is " + rel.how + " the '" + rel.yours + "' " + seeks
	}
	return r
}

// relation says how two words that meet are related, when they are not
// the same word.
type relation struct {
	yours, theirs string // the words as written: in the seek, in the offer
	how           string // "close to", "a kind of", "" for the same word
}

// bestPair finds the words of x and y that meet and weigh most (the same
// stem, then the same family or sense, then similar words when near is
// set) and quotes the phrase of each that they stand in. Audience words
// do not count: they say whom, not what, and have a reason of their own.
func (e *Engine) bestPair(memo analyses, x, y string, near bool) (qx, qy string, rel relation, ok bool) {
	wx, wy := e.analyzed(memo, x), e.analyzed(memo, y)
	var bx, by word
	best := float32(0)
	for _, a := range wx {
		if a.audience {
			continue
		}
		idf := e.idfOf(a.stem)
		var similar map[string]float32
		for _, b := range wy {
			if b.audience {
				continue
			}
			var w float32
			switch {
			case a.stem == b.stem:
				w = 1
			case a.family != "" && a.family == b.family, a.family == b.stem, b.family == a.stem:
				w = familyWeight
			case a.sense >= 0 && a.sense == b.sense:
				w = senseWeight
			case near:
				if similar == nil {
					similar = map[string]float32{}
					for stem, sim := range similarStems(a.stem) {
						similar[stem] = sim
					}
				}
				w = similar[b.stem] * senseWeight
			}
			if w *= idf; w > best {
				best, bx, by = w, a, b
			}
		}
	}
	if best == 0 {
		return "", "", relation{}, false
	}
	rel = relation{yours: x[bx.start:bx.end], theirs: y[by.start:by.end]}
	if bx.stem != by.stem && !strings.EqualFold(rel.yours, rel.theirs) {
		rel.how = "close to"
	}
	return quote(x, bx.start, bx.end), quote(y, by.start, by.end), rel, true
}

// idfOf returns a stem's idf, or 1 for a stem the engine does not hold.
func (e *Engine) idfOf(stem string) float32 {
	if id, ok := e.termIDs[stem]; ok && e.idf[id] > 0 {
		return e.idf[id]
	}
	return 1
}

// audienceReason says whom the two serve, when both posts say so: "you
// both serve 'dairy farms'" when they name the same people, "you serve
// '…'; they serve '…'" when each names them in words of its own.
func (e *Engine) audienceReason(memo analyses, a, b Post) string {
	type said struct {
		w    word
		text string
	}
	audienceOf := func(p Post) []said {
		var out []said
		for _, w := range e.analyzed(memo, p.Customers) {
			out = append(out, said{w, p.Customers})
		}
		for _, text := range []string{p.Offer, p.Seek} {
			for _, w := range e.analyzed(memo, text) {
				if w.audience {
					out = append(out, said{w, text})
				}
			}
		}
		return out
	}
	theirs := audienceOf(b)
	var bx, by said
	best := float32(0)
	for _, x := range audienceOf(a) {
		idf := e.idfOf(x.w.stem)
		for _, y := range theirs {
			var w float32
			switch {
			case x.w.stem == y.w.stem:
				w = 1
			case x.w.family != "" && x.w.family == y.w.family, x.w.family == y.w.stem, y.w.family == x.w.stem:
				w = familyWeight
			case x.w.sense >= 0 && x.w.sense == y.w.sense:
				w = senseWeight
			}
			if w *= idf; w > best {
				best, bx, by = w, x, y
			}
		}
	}
	if best == 0 {
		return ""
	}
	mine, yours := audiencePhrase(bx.text, bx.w), audiencePhrase(by.text, by.w)
	// "Both" only when they name the same people: every word of the
	// phrase quoted, as written, is a word they wrote of whom they serve.
	written := map[string]bool{}
	for _, y := range theirs {
		for _, t := range tokenize(y.text[y.w.start:y.w.end]) {
			written[t.stem()] = true
		}
	}
	both := true
	for _, t := range tokenize(mine) {
		if !functionWords[t.folded] && !written[t.stem()] {
			both = false
		}
	}
	if both {
		return "you both serve '" + mine + "'"
	}
	return "you serve '" + mine + "'; they serve '" + yours + "'"
}

// functionWords may stand in a phrase of whom a post serves without
// naming anyone: "owners of dairy farms", "families in the county".
var functionWords = map[string]bool{"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "for": true,
	"to": true, "in": true, "on": true, "at": true, "with": true, "by": true, "from": true, "as": true, "our": true,
	"your": true, "their": true, "my": true, "who": true, "that": true, "which": true, "mostly": true, "all": true}

// audiencePhrase quotes the people a word of a post names: the phrase it
// stands in, less what comes before the audience cue in it ("bookkeeping
// for dairy farms" -> "dairy farms").
func audiencePhrase(text string, w word) string {
	from, to := phraseSpan(text, w.start, w.end)
	if w.audience {
		lower := strings.ToLower(text[:w.start])
		for _, c := range audienceCues {
			if i := strings.LastIndex(lower, c); i >= from-1 && i+len(c) > from && i+len(c) <= w.start {
				from = i + len(c)
			}
		}
	}
	p := text[from:to]
	if utf8.RuneCountInString(p) > maxQuote {
		return quote(text, w.start, w.end)
	}
	return p
}

// maxQuote is the longest quote, in characters, an explanation shows.
const maxQuote = 90

// phraseBreaks end the phrases a quote is cut from: sentence and clause
// punctuation, list commas, brackets and dashes between words.
const phraseBreaks = ".;:!?\n,()[]|"

// phraseSpan returns where the phrase of text that the word at [start,
// end) stands in starts and ends: from the last break before it to the
// next after it, trimmed of spaces and quotes (and of a dash or plus that
// joins list items).
func phraseSpan(text string, start, end int) (from, to int) {
	from = strings.LastIndexAny(text[:start], phraseBreaks) + 1
	to = len(text)
	if i := strings.IndexAny(text[end:], phraseBreaks); i >= 0 {
		to = end + i
	}
	// Dashes and pluses between words join list items too.
	for _, sep := range []string{" - ", " – ", " — ", " + ", " & "} {
		if i := strings.LastIndex(text[from:start], sep); i >= 0 {
			from += i + len(sep)
		}
		if i := strings.Index(text[end:to], sep); i >= 0 {
			to = end + i
		}
	}
	trim := func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '\'' || r == '*' }
	for from < start {
		r, n := utf8.DecodeRuneInString(text[from:])
		if !trim(r) {
			break
		}
		from += n
	}
	for to > end {
		r, n := utf8.DecodeLastRuneInString(text[:to])
		if !trim(r) {
			break
		}
		to -= n
	}
	return from, to
}

// quote returns the phrase the word at [start, end) stands in (see
// phrase), shortened around the word with "…" at word boundaries when it
// is longer than maxQuote.
func quote(text string, start, end int) string {
	off, stop := phraseSpan(text, start, end)
	p := text[off:stop]
	if utf8.RuneCountInString(p) <= maxQuote {
		return p
	}
	from, to := start-off, end-off
	left := wordBoundary(p, max(0, from-maxQuote/3), true)
	right := wordBoundary(p, min(len(p), to+maxQuote*2/3), false)
	cut := strings.TrimSpace(p[left:right])
	if left > 0 {
		cut = "… " + cut
	}
	if right < len(p) {
		cut += " …"
	}
	return cut
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
