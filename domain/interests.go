package domain

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Interest is a member's answer about a partner: InterestYes or InterestNo,
// with an optional note to the host.
type Interest struct {
	PostID    int64
	PartnerID int64
	Interest  string
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Interests a member can state about a partner.
const (
	InterestYes = "yes" // please introduce us: goes to the host's round
	InterestNo  = "no"  // not interested: never suggested again
)

// InterestEffect is what recording an interest does besides storing it.
type InterestEffect struct {
	// Request, for a yes: the pair, scored and explained, with its note to
	// the host, to put in Quarter's round (created if needed). It is not
	// put there when the partner said no (a yes never learns that).
	Request *Suggestion
	Quarter match.Quarter
	// Declined, for a no: appended to the note of the pair's open
	// suggestions (proposed or approved, in any round), which are rejected.
	Declined string
	// LinkHash, when set, is the hash of the single-use link the answer
	// came by: spending it is part of the transaction.
	LinkHash string
}

// Seen is what a post has been through with others, as a list of its
// matches needs it: the partners never to suggest to it again (those of
// its ExcludedPairs, and those its answers or theirs take out: see
// match.Feedback.Excludes), its owner's answers about partners, and what
// its owner said of them as feedback.
type Seen struct {
	Excluded map[int64]bool
	Said     map[int64]string // partner -> InterestYes or InterestNo
	Verdicts map[int64]match.Feedback
}
