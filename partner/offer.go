package partner

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// An offer is a partnership the host proposes to two members, from two
// posts or an accepted introduction. The host may pair people, but not
// bind them: the partnership starts only when both sides accept, and
// either may decline. Members who accepted an introduction start their
// partnership themselves (NewPartnership): they have said yes to each
// other already.

// Offer is a partnership waiting for both sides.
type Offer struct {
	ID             int64
	IntroductionID int64 // 0 when from two posts
	Lane           Lane
	Note           string // the host's word to both
	A, B           Party
	Status         ProposalStatus
	Consent
	DecidedBy     Actor
	Answer        string // the note of whoever declined or withdrew it
	PartnershipID int64  // once both accepted
	CreatedAt     time.Time
	DecidedAt     time.Time
}

// SideOf returns the side whose address is email, or "" for neither.
func (o Offer) SideOf(email string) Side {
	return Partnership{A: o.A, B: o.B}.SideOf(email)
}

// Party returns a side's business.
func (o Offer) Party(s Side) Party { return Partnership{A: o.A, B: o.B}.Party(s) }

// CanDecide returns an error unless actor may make decision d on the
// offer: a side that has not accepted yet accepts or declines; the host
// withdraws it.
func (o Offer) CanDecide(actor Actor, d Decision) error {
	if o.Status != ProposalOpen {
		return match.Errorf(match.ECONFLICT, "this offer is %s already", o.Status)
	}
	switch d {
	case Withdraw:
		if actor != Host {
			return match.Errorf(match.EFORBIDDEN, "only the host withdraws an offer; decline it instead")
		}
	case Accept, Decline:
		if actor == Host {
			return match.Errorf(match.EFORBIDDEN, "the host offers the partnership; only the two sides accept or decline it")
		}
		if o.Accepted(Side(actor)) {
			return match.Errorf(match.ECONFLICT, "your side has accepted this offer already; it waits for the other side")
		}
	default:
		return match.Errorf(match.EINVALID, "unknown decision %q", d)
	}
	return nil
}

// OfferInput is the host's offer: two posts or an accepted introduction,
// a lane (by default the one both posts accept) and a note for both.
type OfferInput struct {
	NewPartnership
	Note string `json:"note" validate:"max=1000,text"`
}
