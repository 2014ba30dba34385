package match

import (
	"encoding/json"
	"fmt"
)

// Weights tune how a match is scored. They live here, in one place; a
// deployment can override any of them with a JSON file (see the serve
// command's --weights flag). All are in [0, 1].
//
// The score of a pair (A, B) is built from four parts, each in [0, 1]:
//
//	seek  = how well B's offer answers A's seek   (they_offer_what_you_seek)
//	give  = how well A's offer answers B's seek   (you_offer_what_they_seek)
//	cust  = how much their customers overlap      (shared_customers)
//	same  = how alike their offers are            (same_offer)
//
// and combined as
//
//	fit   = Mutual·HM(seek, give) + (1-Mutual)·mean(seek, give)
//	rival = min(1, same/RivalAt) · (0.5 + 0.5·cust)
//	score = sqrt( fit · (1 - SharedCustomers + SharedCustomers·cust)
//	                  · (1 - CompetitorPenalty · rival) )
//
// The harmonic mean HM is what reciprocal recommenders use: it is high only
// when both sides want each other, so a one-sided match ranks below a mutual
// one. Two posts that offer the same thing to the same customers (same and
// cust both high) are rivals and pushed down, though their texts look alike.
// The square root only spreads the typical values over the scale.
type Weights struct {
	// Mutual is the share of the harmonic mean in fit; the rest is the
	// plain mean, so a strong one-sided match still counts a little.
	Mutual float64 `json:"mutual"`
	// SharedCustomers is how much the customer overlap scales the score.
	SharedCustomers float64 `json:"shared_customers"`
	// CompetitorPenalty is how hard rivals are pushed down.
	CompetitorPenalty float64 `json:"competitor_penalty"`
	// RivalAt is the same_offer similarity from which two offers count as
	// the same service: cosines of short texts rarely pass 0.5.
	RivalAt float64 `json:"rival_at"`
	// CustomerDiscount is how much less customer words count when offers are
	// compared with seeks: "bookkeeping for dentists" and "marketing for
	// dentists" share customers, not services.
	CustomerDiscount float64 `json:"customer_discount"`
	// InferredCustomers weighs customer words found in the offer and seek
	// against those of the customers field, when that field is filled in.
	InferredCustomers float64 `json:"inferred_customers"`
}

// DefaultWeights returns the weights Matchmaker ships with, chosen on the
// labelled evaluation set in testdata/eval (see BENCHMARKS.md).
func DefaultWeights() Weights {
	return Weights{
		Mutual:            0.6,
		SharedCustomers:   0.85,
		CompetitorPenalty: 1,
		RivalAt:           0.33,
		CustomerDiscount:  0.7,
		InferredCustomers: 0.5,
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
	known := map[string]bool{"mutual": true, "shared_customers": true, "competitor_penalty": true, "rival_at": true,
		"customer_discount": true, "inferred_customers": true}
	for k := range m {
		if !known[k] {
			return w, Errorf(EINVALID, "weights: unknown field %q", k)
		}
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return w, Errorf(EINVALID, "weights: %v", err)
	}
	return w, w.Validate()
}

// Validate returns an EINVALID error if a weight is out of range.
func (w Weights) Validate() error {
	fields := map[string]string{}
	for name, v := range map[string]float64{"mutual": w.Mutual, "shared_customers": w.SharedCustomers,
		"competitor_penalty": w.CompetitorPenalty, "customer_discount": w.CustomerDiscount,
		"inferred_customers": w.InferredCustomers} {
		if v < 0 || v > 1 {
			fields[name] = fmt.Sprintf("must be between 0 and 1, not %g", v)
		}
	}
	if w.RivalAt <= 0 || w.RivalAt > 1 {
		fields["rival_at"] = "must be above 0 and at most 1"
	}
	if len(fields) > 0 {
		return Invalid("weights out of range", fields)
	}
	return nil
}
