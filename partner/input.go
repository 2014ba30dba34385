package partner

// Request bodies, validated at the edge with match.Validate. Pointer
// fields are optional: nil means "not given", as opposed to empty.

// NewPartnership starts a partnership. Members start one from an accepted
// introduction; the host may also pair two posts directly.
type NewPartnership struct {
	IntroductionID *int64  `json:"introduction_id" validate:"omitempty,gt=0"`
	PostA          *int64  `json:"post_a" validate:"omitempty,gt=0"`
	PostB          *int64  `json:"post_b" validate:"omitempty,gt=0"`
	Lane           *string `json:"lane" validate:"omitempty,oneof=strategic referral"`
	StartedOn      *string `json:"started_on" validate:"omitempty,datetime=2006-01-02"`
}

// StatusChange pauses, resumes or ends a partnership.
type StatusChange struct {
	Status string `json:"status" validate:"required,oneof=active paused ended"`
	Reason string `json:"reason" validate:"max=500,text"`
}

// GoalInput is a new goal.
type GoalInput struct {
	Title     string   `json:"title" validate:"required,max=200,name"`
	Metric    string   `json:"metric" validate:"required,max=200,name"`
	Target    *float64 `json:"target" validate:"required,gte=-1000000000000,lte=1000000000000"`
	Unit      string   `json:"unit" validate:"max=40,name"`
	Direction string   `json:"direction" validate:"omitempty,oneof=at_least at_most"`
	Owner     string   `json:"owner" validate:"required,oneof=a b both"`
}

// GoalPatch edits a goal; Actual records the result, at the review.
type GoalPatch struct {
	Title       *string  `json:"title" validate:"omitempty,max=200,name"`
	Metric      *string  `json:"metric" validate:"omitempty,max=200,name"`
	Target      *float64 `json:"target" validate:"omitempty,gte=-1000000000000,lte=1000000000000"`
	Unit        *string  `json:"unit" validate:"omitempty,max=40,name"`
	Direction   *string  `json:"direction" validate:"omitempty,oneof=at_least at_most"`
	Owner       *string  `json:"owner" validate:"omitempty,oneof=a b both"`
	Actual      *float64 `json:"actual" validate:"omitempty,gte=-1000000000000,lte=1000000000000"`
	ClearActual bool     `json:"clear_actual"`
}

// DeliverableInput is a new deliverable.
type DeliverableInput struct {
	What  string `json:"what" validate:"required,max=500,text"`
	Owner string `json:"owner" validate:"required,oneof=a b both"`
	DueOn string `json:"due_on" validate:"required,datetime=2006-01-02"`
}

// DeliverablePatch edits a deliverable or marks it done (or not).
type DeliverablePatch struct {
	What  *string `json:"what" validate:"omitempty,max=500,text"`
	Owner *string `json:"owner" validate:"omitempty,oneof=a b both"`
	DueOn *string `json:"due_on" validate:"omitempty,datetime=2006-01-02"`
	Done  *bool   `json:"done"`
}

// ExpectationInput is what a side signs up to. A member writes their own
// side's; the host says which side.
type ExpectationInput struct {
	Text string `json:"text" validate:"required,max=500,text"`
	Side string `json:"side" validate:"omitempty,oneof=a b"`
}

// GoalActual is one goal's result, given with a review.
type GoalActual struct {
	GoalID int64   `json:"goal_id" validate:"required,gt=0"`
	Actual float64 `json:"actual" validate:"gte=-1000000000000,lte=1000000000000"`
}

// ReviewInput is one side's review of a quarter.
type ReviewInput struct {
	Rating    int          `json:"rating" validate:"required,min=1,max=5"`
	Delivered string       `json:"delivered" validate:"max=2000,text"`
	Notes     string       `json:"notes" validate:"max=2000,text"`
	Actuals   []GoalActual `json:"actuals" validate:"max=100,dive"`
}

// TermsInput sets new referral terms: a percentage of each sale, or a flat
// fee per won sale.
type TermsInput struct {
	Kind            string `json:"kind" validate:"required,oneof=percent flat"`
	Percent         string `json:"percent" validate:"required_if=Kind percent,excluded_unless=Kind percent,max=6"`
	FlatFee         *Money `json:"flat_fee" validate:"required_if=Kind flat,excluded_unless=Kind flat"`
	Currency        string `json:"currency" validate:"required_if=Kind percent,excluded_unless=Kind percent,omitempty,iso4217"`
	Payer           string `json:"payer" validate:"required,oneof=a b both"`
	RecurringMonths int    `json:"recurring_months" validate:"min=0,max=60"`
}

// ReferralInput is a lead passed to the other side. A member refers from
// their own side; the host says which side refers.
type ReferralInput struct {
	LeadName string `json:"lead_name" validate:"required,max=200,name"`
	Company  string `json:"company" validate:"max=200,name"`
	Note     string `json:"note" validate:"max=2000,text"`
	From     string `json:"from" validate:"omitempty,oneof=a b"`
}

// ReferralUpdate moves a referral on: qualified, won (with the sale) or lost.
type ReferralUpdate struct {
	Status string  `json:"status" validate:"required,oneof=qualified won lost"`
	Sale   *Money  `json:"sale" validate:"required_if=Status won,excluded_unless=Status won"`
	Note   *string `json:"note" validate:"omitempty,max=2000,text"`
}

// ReversalInput takes back an entry, in part (Amount, in the entry's
// sign) or whole (no Amount).
type ReversalInput struct {
	Amount *int64 `json:"amount"`
	Reason string `json:"reason" validate:"required,min=3,max=500,text"`
}

// CorrectionInput adds a correction: a signed amount owed by Payer.
type CorrectionInput struct {
	Payer      string `json:"payer" validate:"required,oneof=a b"`
	Amount     Money  `json:"amount" validate:"required"`
	ReferralID *int64 `json:"referral_id" validate:"omitempty,gt=0"`
	Reason     string `json:"reason" validate:"required,min=3,max=500,text"`
}

// PayoutInput records a payment settling due entries.
type PayoutInput struct {
	EntryIDs  []int64 `json:"entry_ids" validate:"required,min=1,max=1000,dive,gt=0"`
	PaidOn    string  `json:"paid_on" validate:"required,datetime=2006-01-02"`
	Reference string  `json:"reference" validate:"required,max=200,name"`
}
