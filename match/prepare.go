package match

import (
	"math"

	"github.com/matchmaker/matchmaker/match/lexicon"
)

// How a word of a post counts in the vectors the engine compares. A word
// counts once by its stem; its word family and its commonest sense count
// again, a little, so that "insurer" meets "insurance" and "undertaker"
// meets "funeral director" without making them the same word.
const (
	familyWeight = 0.5
	senseWeight  = 0.4
	// Words of an audience clause ("bookkeeping for dairy farms") say whom
	// a business serves: in the offer and seek they count this much, and
	// they count towards the audience instead.
	audienceInService = 0.3
	offerAudience     = 0.7
	seekAudience      = 0.5
	// Industry and tags hint at the audience.
	tagAudience = 0.5
)

// Key prefixes: a term key is a stem, "~" and the stem of a word family,
// or "#" and a sense number.
const (
	familyPrefix = "~"
	sensePrefix  = "#"
)

// prepared is an analysed post whose terms have no IDs yet.
type prepared struct {
	post        Post
	offer, seek map[string]float32
	aud         map[string]float32
	topic       []int8 // the post's topic vector (see topicOf), nil when none of its words has one
	whom        []int8 // the topic vector of the words saying whom it serves
	reach       Reach
}

// textsOf lists the texts of a post the engine analyses: offer, seek,
// customers, industry, then each tag.
func textsOf(p Post) []string {
	return append([]string{p.Offer, p.Seek, p.Customers, p.Industry}, p.Tags...)
}

// prepare analyses a post into weighted terms. It needs no lock but the
// writers' (e.writing), which keeps the host's areas still.
func (e *Engine) prepare(p Post) prepared {
	texts := make([][]word, 0, 4+len(p.Tags))
	for _, text := range textsOf(p) {
		texts = append(texts, e.vocab.analyze(text))
	}
	offerWords, seekWords, customerWords := texts[0], texts[1], texts[2]
	out := prepared{post: p, offer: map[string]float32{}, seek: map[string]float32{}, aud: map[string]float32{}}
	add := func(m map[string]float32, w word, f float32) {
		m[w.stem] += f
		fam := w.stem
		if w.family != "" {
			fam = w.family
		}
		m[familyPrefix+fam] += f * familyWeight
		if w.sense >= 0 {
			m[sensePrefix+itoa(w.sense)] += f * senseWeight
		}
	}
	for _, w := range customerWords {
		add(out.aud, w, 1)
	}
	for _, terms := range texts[3:] {
		for _, w := range terms {
			add(out.aud, w, tagAudience)
		}
	}
	for _, text := range []struct {
		words    []word
		into     map[string]float32
		audience float32
	}{{offerWords, out.offer, offerAudience}, {seekWords, out.seek, seekAudience}} {
		for _, w := range text.words {
			if w.audience {
				add(text.into, w, audienceInService)
				add(out.aud, w, text.audience)
			} else {
				add(text.into, w, 1)
			}
		}
	}
	out.topic = e.topicOf(weighted{customerWords, 1, false}, weighted{offerWords, 1, false}, weighted{seekWords, seekTopic, false})
	out.reach = reachOf(p, e.areas)
	out.whom = e.topicOf(weighted{customerWords, 1, false}, weighted{offerWords, offerAudience, true}, weighted{seekWords, seekAudience, true})
	return out
}

// weighted are words counting f each in a topic vector; onlyAudience
// keeps only those of audience clauses.
type weighted struct {
	words        []word
	f            float64
	onlyAudience bool
}

// Topic vectors: the vectors of a post's words summed, customers and
// offer counting fully and the seek a little less. Their cosines, centred
// on the community's mean, say whether two posts speak of one world
// (aircraft, hangars, pilots) whatever words each uses. (Weighting words
// by their rarity in English, or in the community, measured no better.)
// A second such vector of the words saying whom a post serves (the
// customers field, audience clauses) compares audiences the same way:
// "dentists" and "dental practices" are one crowd, "law firms" another.
const seekTopic = 0.6

func (e *Engine) topicOf(parts ...weighted) []int8 {
	var sum [lexicon.Dims]float64
	any := false
	for _, part := range parts {
		for _, w := range part.words {
			v := e.words.Vector(w.folded)
			if v == nil || part.onlyAudience && !w.audience {
				continue
			}
			for k, x := range v {
				sum[k] += part.f * float64(x)
			}
			any = true
		}
	}
	if !any {
		return nil
	}
	n := 0.0
	for _, x := range sum {
		n += x * x
	}
	if n == 0 {
		return nil
	}
	n = math.Sqrt(n)
	out := make([]int8, lexicon.Dims)
	for k, x := range sum {
		out[k] = int8(math.Round(x / n * 127))
	}
	return out
}

func itoa(n int32) string {
	var b [12]byte
	i := len(b)
	u := uint32(n)
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return string(b[i:])
}
