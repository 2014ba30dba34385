package match

import "math"

// Scores are the parts a match score is built from, each in [0, 1], as
// the API shows them.
type Scores struct {
	// TheyOfferWhatYouSeek is the share of your seek their offer covers,
	// similar words counted by how alike they are.
	TheyOfferWhatYouSeek float64 `json:"they_offer_what_you_seek"`
	// YouOfferWhatTheySeek is the share of their seek your offer covers.
	YouOfferWhatTheySeek float64 `json:"you_offer_what_they_seek"`
	// SharedCustomers is how alike your audiences are: the customers you
	// name and the world your posts speak of.
	SharedCustomers float64 `json:"shared_customers"`
	// SameOffer is how much you look like competitors: alike offers, or
	// alike seeks, to one audience.
	SameOffer float64 `json:"same_offer"`
}

// RivalWarning is the SameOffer from which pages warn that two businesses
// may be rivals (the chips of static/js/match-view.js, the host's
// filter): below it, alike offers are mostly neighbours in one trade.
const RivalWarning = 0.33

// features are what the engine measures of a pair (A, B), seen from A;
// see Weights.
type features struct {
	seek, give     float32 // cosines: A's seek with B's offer, A's offer with B's seek
	near, nearBack float32 // shares of A's seek covered by B's offer, and of B's seek by A's offer
	customers      float32 // cosine of their audiences
	same, sameSeek float32 // cosines of their offers, and of their seeks
	sameNear       float32 // shares of each offer the other's covers, similar words counted
	topic          float32 // centred cosine of their topic vectors
	whom           float32 // centred cosine of their audiences' topic vectors
}

// fit is the part of the score that says each offers what the other seeks.
func (w *Weights) fit(f *features) float64 {
	s, g := float64(f.seek), float64(f.give)
	hm := 0.0
	if s+g > 0 {
		hm = 2 * s * g / (s + g)
	}
	return w.Seek*(s+g) + w.SeekRoot*(math.Sqrt(s)+math.Sqrt(g)) + w.Near*float64(f.near+f.nearBack) + w.Mutual*hm
}

// audience is how much the two serve one audience.
func (w *Weights) audience(f *features) float64 {
	return w.Topic*math.Max(0, float64(f.topic)) + w.Whom*math.Max(0, float64(f.whom)) + w.SharedCustomers*float64(f.customers)
}

// rivalry is how much the two look like competitors, in [0, 1].
func (w *Weights) rivalry(f *features, audience float64) float64 {
	return math.Min(1, (float64(f.same)+w.RivalSeek*float64(f.sameSeek)+w.RivalNear*float64(f.sameNear))/w.RivalAt) * math.Min(1, audience/w.RivalAudience)
}

// raw combines the measures into an unscaled score.
func (w *Weights) raw(f *features) float64 {
	a := w.audience(f)
	return w.fit(f) * (w.AudienceFloor + a) * (1 - w.CompetitorPenalty*w.rivalry(f, a))
}

// score is the score shown: the raw score mapped into [0, 1), a half at
// halfScore. Scored so, partners in the labelled sets mostly score above
// 0.1 and nine in ten of the other posts below it (see BENCHMARKS.md).
func score(raw float64) float64 {
	r := max(raw, 0) / halfScore
	return r * r / (r*r + 1)
}

// rawOf is score's inverse: the raw score that shows as s.
func rawOf(s float64) float64 {
	if s >= 1 {
		return math.Inf(1)
	}
	return halfScore * math.Sqrt(max(s, 0)/(1-s))
}

// scores are the parts shown with a match.
func (w *Weights) scores(f *features) Scores {
	a := w.audience(f)
	return Scores{
		TheyOfferWhatYouSeek: clamp01(float64(f.near)),
		YouOfferWhatTheySeek: clamp01(float64(f.nearBack)),
		SharedCustomers:      clamp01(a / (w.Topic + w.Whom + w.SharedCustomers)),
		SameOffer:            clamp01(w.rivalry(f, a)),
	}
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }
