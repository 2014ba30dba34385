package match

import (
	"math"

	"github.com/matchmaker/matchmaker/match/lexicon"
)

// Topic vectors (see topicOf) as the engine keeps them, and their
// cosines centred on the community's mean.

// dense is a topic vector (see topicOf) and, under the community's mean
// of such vectors, its dot with the mean and the norm of it less the mean.
type dense struct {
	v         []int8 // unit vector × 127; nil when none of the words has a vector
	dot, norm float32
}

// means are the community's mean topic vectors, under which their cosines
// are centred, and each one's squared length.
type means struct {
	topic, whom     [lexicon.Dims]float32
	topicMM, whomMM float32
}

func newMeans(topic, whom [lexicon.Dims]float32) means {
	m := means{topic: topic, whom: whom}
	for k := range topic {
		m.topicMM += topic[k] * topic[k]
		m.whomMM += whom[k] * whom[k]
	}
	return m
}

// centre sets the dot of the vector with the mean and the norm of the
// vector less the mean.
func (d *dense) centre(mean *[lexicon.Dims]float32) {
	d.dot, d.norm = 0, 0
	if d.v == nil {
		return
	}
	var mm float32
	for k, x := range d.v {
		d.dot += float32(x) / 127 * mean[k]
		mm += mean[k] * mean[k]
	}
	if n2 := 1 - 2*d.dot + mm; n2 > 1e-6 {
		d.norm = float32(math.Sqrt(float64(n2)))
	}
}

// meanOf returns the mean of the vectors dense picks of the live posts.
func (e *Engine) meanOf(dense func(*doc) []int8) [lexicon.Dims]float32 {
	var sum [lexicon.Dims]float64
	n := 0
	for slot := range e.docs {
		if d := &e.docs[slot]; d.alive && dense(d) != nil {
			for k, x := range dense(d) {
				sum[k] += float64(x) / 127
			}
			n++
		}
	}
	var mean [lexicon.Dims]float32
	for k := range sum {
		if n > 0 {
			mean[k] = float32(sum[k] / float64(n))
		}
	}
	return mean
}

// centredCosine is the cosine of two topic vectors, centred on the
// community's mean, whose squared length is mm: 0 when either has none.
func centredCosine(a, b *dense, mm float32) float64 {
	if a.norm == 0 || b.norm == 0 {
		return 0
	}
	av, bv := a.v[:lexicon.Dims], b.v[:lexicon.Dims]
	var dot int32
	for k := range av {
		dot += int32(av[k]) * int32(bv[k])
	}
	c := (float32(dot)/(127*127) - a.dot - b.dot + mm) / (a.norm * b.norm)
	return math.Max(-1, math.Min(1, float64(c)))
}
