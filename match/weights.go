package match

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
)

// Weights tune how a match is scored. They live here, in one place; a
// deployment can override any of them with a JSON file (see the serve
// command's --weights flag).
//
// For a post A and a partner B the engine measures, each in [0, 1]:
//
//	seek, give    how well B's offer meets A's seek, and A's offer B's seek:
//	              cosines of their words, word families and senses (idf)
//	near, nearBack the same, word by word, counting similar words
//	              ("coverage" near "insurance"): the share of A's seek
//	              that B's offer covers, and of B's seek that A's offer does
//	customers     how alike the customers they name are (cosine)
//	topic         how alike their posts are as a whole, from word vectors
//	              (aircraft, hangar, pilots: one world)
//	whom          how alike the words saying whom they serve are, the same
//	              way (dentists, dental practices: one crowd)
//	same, sameSeek how alike their offers are, and their seeks
//	sameNear      how much of each offer the other's covers, word by word,
//	              similar words counted
//
// and combines them as
//
//	fit      = Seek·(seek+give) + SeekRoot·(√seek+√give)
//	           + Near·(near+nearBack) + Mutual·HM(seek, give)
//	audience = Topic·topic⁺ + Whom·whom⁺ + SharedCustomers·customers
//	rival    = min(1, (same + RivalSeek·sameSeek + RivalNear·sameNear)/RivalAt)
//	           · min(1, audience/RivalAudience)
//	raw      = fit · (AudienceFloor + audience) · (1 - CompetitorPenalty·rival)
//	score    = raw² / (raw² + 1)
//
// Both directions count, and the harmonic mean HM adds most when both
// sides want each other. The audience scales everything: a partner must
// serve the same people. Two posts that offer the same thing (or seek the
// same partners) to the same audience are rivals and pushed down however
// alike their texts look. The last step maps raw scores into [0, 1): a
// partner that meets you on a few words, in your world, scores about a
// half.
type Weights struct {
	Seek            float64 `json:"seek"`
	SeekRoot        float64 `json:"seek_root"`
	Near            float64 `json:"near"`
	Mutual          float64 `json:"mutual"`
	AudienceFloor   float64 `json:"audience_floor"`
	Topic           float64 `json:"topic"`
	Whom            float64 `json:"whom"`
	SharedCustomers float64 `json:"shared_customers"`
	// AudienceWords is how much less a word counts in offers and seeks
	// the more the community uses it to say whom it serves (see
	// Engine.serviceIDF).
	AudienceWords float64 `json:"audience_words"`
	RivalAt       float64 `json:"rival_at"`
	RivalSeek     float64 `json:"rival_seek"`
	RivalNear     float64 `json:"rival_near"`
	RivalAudience float64 `json:"rival_audience"`
	// CompetitorPenalty is how hard rivals are pushed down, from 0 to 1.
	CompetitorPenalty float64 `json:"competitor_penalty"`
}

// halfScore is the raw score shown as 0.5.
const halfScore = 1.0

// DefaultWeights returns the weights Matchmaker ships with, chosen on the
// labelled sets in testdata/eval and testdata/dev (see BENCHMARKS.md); the
// hold-out set in testdata/holdout was never used to choose them.
func DefaultWeights() Weights {
	return Weights{
		Seek:              3.05,
		SeekRoot:          0.8,
		Near:              0.86,
		Mutual:            0.31,
		AudienceFloor:     0.43,
		Topic:             1.0,
		Whom:              0.49,
		SharedCustomers:   0.63,
		AudienceWords:     0.44,
		RivalAt:           0.36,
		RivalSeek:         0.22,
		RivalNear:         0.17,
		RivalAudience:     0.15,
		CompetitorPenalty: 0.78,
	}
}

// ParseWeights reads weights from JSON over the defaults: fields left out
// keep their default. It returns an EINVALID error for unknown fields or
// values out of range.
func ParseWeights(data []byte) (Weights, error) {
	w := DefaultWeights()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return w, Errorf(EINVALID, "weights: %v", err)
	}
	known := w.fields()
	for k := range m {
		if _, ok := known[k]; !ok {
			return w, Errorf(EINVALID, "weights: unknown field %q", k)
		}
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return w, Errorf(EINVALID, "weights: %v", err)
	}
	return w, w.Validate()
}

// fields returns the weights by their JSON names.
func (w *Weights) fields() map[string]*float64 {
	out := map[string]*float64{}
	v := reflect.ValueOf(w).Elem()
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		out[name] = v.Field(i).Addr().Interface().(*float64)
	}
	return out
}

// Validate returns an EINVALID error if a weight is out of range: every
// weight is at least 0 and at most 10, the competitor penalty and the
// audience words' discount at most 1,
// and the thresholds rival_at and rival_audience above 0.
func (w Weights) Validate() error {
	fields := map[string]string{}
	for name, v := range w.fields() {
		switch {
		case math.IsNaN(*v) || *v < 0 || *v > 10:
			fields[name] = fmt.Sprintf("must be between 0 and 10, not %g", *v)
		case (name == "competitor_penalty" || name == "audience_words") && *v > 1:
			fields[name] = fmt.Sprintf("must be between 0 and 1, not %g", *v)
		case (name == "rival_at" || name == "rival_audience") && *v == 0:
			fields[name] = "must be above 0"
		}
	}
	if len(fields) > 0 {
		return Invalid("weights out of range", fields)
	}
	return nil
}
