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
}

// textsOf lists the texts of a post the engine analyses: offer, seek,
// customers, industry, then each tag.
func textsOf(p Post) []string {
	return append([]string{p.Offer, p.Seek, p.Customers, p.Industry}, p.Tags...)
}

// prepare analyses a post into weighted terms. It needs no lock.
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
	for _, w := range offerWords {
		if w.audience {
			add(out.offer, w, audienceInService)
			add(out.aud, w, offerAudience)
		} else {
			add(out.offer, w, 1)
		}
	}
	for _, w := range seekWords {
		if w.audience {
			add(out.seek, w, audienceInService)
			add(out.aud, w, seekAudience)
		} else {
			add(out.seek, w, 1)
		}
	}
	out.topic = e.topicOf(customerWords, offerWords, seekWords)
	return out
}

// Topic vectors: the vectors of a post's words summed, customers and
// offer counting fully and the seek a little less. Their cosines, centred
// on the community's mean, say whether two posts speak of one world
// (aircraft, hangars, pilots) whatever words each uses. (Weighting words
// by their rarity in English, or in the community, measured no better.)
const seekTopic = 0.6

func (e *Engine) topicOf(customers, offer, seek []word) []int8 {
	var sum [lexicon.Dims]float64
	any := false
	for i, words := range [][]word{customers, offer, seek} {
		f := 1.0
		if i == 2 {
			f = seekTopic
		}
		for _, w := range words {
			v := e.words.Vector(w.folded)
			if v == nil {
				continue
			}
			for k, x := range v {
				sum[k] += f * float64(x)
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
