package partner

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Consent. What binds both sides — the referral terms, the lane — changes
// only when both agree: one side (or the host) proposes, and the change
// takes effect when every side that has not yet agreed accepts it. The
// other side may accept, decline, or answer with a proposal of its own (a
// counter-proposal, which replaces the open one). The host may propose but
// not impose: a proposal of the host's waits for both sides.

// ProposalKind is what a proposal would change.
type ProposalKind string

const (
	ProposeTerms ProposalKind = "terms"
	ProposeLane  ProposalKind = "lane"
)

// ProposalStatus is where a proposal stands. Only an open one can change.
type ProposalStatus string

const (
	ProposalOpen      ProposalStatus = "open"
	ProposalAccepted  ProposalStatus = "accepted"  // in force
	ProposalDeclined  ProposalStatus = "declined"  // by a side it waited for
	ProposalWithdrawn ProposalStatus = "withdrawn" // by its proposer, or replaced by the proposer's newer one
	ProposalCountered ProposalStatus = "countered" // answered by a proposal from a side it waited for
	ProposalLapsed    ProposalStatus = "lapsed"    // the partnership left the lane, or ended, before it was accepted
)

// Proposal is a change to a partnership that waits for consent.
type Proposal struct {
	ID            int64
	PartnershipID int64
	Kind          ProposalKind
	By            Actor
	Terms         *Terms // ProposeTerms: the terms it would put in force
	Lane          Lane   // ProposeLane: the lane it would move to
	Reason        string
	Status        ProposalStatus
	Consent
	Answers   int64 // the proposal this one counters, or 0
	DecidedBy Actor // who accepted last, declined or withdrew it
	Note      string
	TermsID   int64 // the terms it put in force, once accepted
	CreatedAt time.Time
	DecidedAt time.Time // zero while open
}

// Consent is which sides have agreed to what binds both: a proposal, an
// offer.
type Consent struct {
	AcceptedA bool
	AcceptedB bool
}

// Accepted reports whether side has agreed.
func (c Consent) Accepted(s Side) bool {
	if s == B {
		return c.AcceptedB
	}
	return c.AcceptedA
}

// Accept records that side agrees.
func (c *Consent) Accept(s Side) {
	if s == B {
		c.AcceptedB = true
	} else {
		c.AcceptedA = true
	}
}

// Waiting lists the sides whose agreement is still needed.
func (c Consent) Waiting() []Side {
	var out []Side
	for _, s := range []Side{A, B} {
		if !c.Accepted(s) {
			out = append(out, s)
		}
	}
	return out
}

// Describe says what the proposal would do, in words.
func (p Proposal) Describe() string {
	if p.Kind == ProposeLane {
		return "a move to the " + string(p.Lane) + " lane"
	}
	if p.Terms == nil {
		return "new referral terms"
	}
	return "referral terms of " + p.Terms.Describe()
}

// Decision is how a side (or, to withdraw, the proposer) answers an open
// proposal.
type Decision string

const (
	Accept   Decision = "accept"
	Decline  Decision = "decline"
	Withdraw Decision = "withdraw"
)

// CanDecide returns an error unless actor may make decision d on the open
// proposal p: a side it waits for accepts or declines; its proposer
// withdraws it.
func (p Proposal) CanDecide(actor Actor, d Decision) error {
	if p.Status != ProposalOpen {
		return match.Errorf(match.ECONFLICT, "this proposal is %s already", p.Status)
	}
	switch d {
	case Withdraw:
		if actor != p.By {
			return match.Errorf(match.EFORBIDDEN, "only whoever proposed it can withdraw a proposal")
		}
	case Accept, Decline:
		if actor == Host {
			return match.Errorf(match.EFORBIDDEN, "the host may propose, but only the two sides accept or decline")
		}
		if p.Accepted(Side(actor)) {
			return match.Errorf(match.ECONFLICT, "your side has agreed to this proposal already; it waits for the other side")
		}
	default:
		return match.Errorf(match.EINVALID, "unknown decision %q", d)
	}
	return nil
}

// ProposalInput proposes new terms or a new lane. A side that answers an
// open proposal of the same kind with its own counters it.
type ProposalInput struct {
	Kind   string      `json:"kind" validate:"required,oneof=terms lane"`
	Terms  *TermsInput `json:"terms" validate:"required_if=Kind terms,excluded_unless=Kind terms"`
	Lane   string      `json:"lane" validate:"required_if=Kind lane,excluded_unless=Kind lane,omitempty,oneof=strategic referral"`
	Reason string      `json:"reason" validate:"max=500,text"`
}

// DecisionInput answers a proposal; the note is kept with it.
type DecisionInput struct {
	Note string `json:"note" validate:"max=500,text"`
}
