package domain

import "time"

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
