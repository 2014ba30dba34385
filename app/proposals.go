package app

import (
	"context"
	"strings"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// Consent: the referral terms and the lane change only by a proposal that
// every side accepts (see partner.Proposal). Either side or the host
// proposes; the side(s) it waits for accept, decline or counter it with
// their own; each step tells the other side.

// Proposals lists a partnership's proposals, newest first, for one of its
// members or the host.
func (a *App) Proposals(ctx context.Context, who Who, id int64) ([]partner.Proposal, error) {
	if _, _, _, err := a.partnershipFor(ctx, who, id); err != nil {
		return nil, err
	}
	return a.Store.Proposals(ctx, id)
}

// Propose proposes new referral terms or a move to the other lane. An
// open proposal of the same kind is replaced (the caller's own) or
// countered (one waiting for the caller).
func (a *App) Propose(ctx context.Context, who Who, id int64, in partner.ProposalInput) (partner.Proposal, error) {
	if err := match.Validate(in); err != nil {
		return partner.Proposal{}, err
	}
	pr := partner.Proposal{PartnershipID: id, Kind: partner.ProposalKind(in.Kind), Reason: in.Reason}
	if pr.Kind == partner.ProposeTerms {
		t, err := termsOf(*in.Terms)
		if err != nil {
			return pr, err
		}
		pr.Terms = &t
	} else {
		pr.Lane = partner.Lane(in.Lane)
		// Moving lanes changes what the two owe each other: say why.
		if len(strings.TrimSpace(in.Reason)) < 3 {
			return pr, match.Invalid("some fields are not valid", map[string]string{"reason": "is required: say why the partnership should move lanes"})
		}
	}
	p, actor, _, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return pr, err
	}
	pr.By = actor
	if pr, err = a.Store.Propose(ctx, pr); err != nil {
		return pr, err
	}
	what := "proposed " + pr.Describe()
	if pr.Answers != 0 {
		what = "answered with a counter-proposal: " + pr.Describe()
	}
	a.notify(ctx, p, actor, string(pr.Kind), what+withReason(pr.Reason)+"; it waits for your answer")
	return pr, nil
}

// DecideProposal accepts, declines or withdraws an open proposal (see
// partner.Proposal.CanDecide). The last acceptance puts it in force.
func (a *App) DecideProposal(ctx context.Context, who Who, id, proposalID int64, d partner.Decision, in partner.DecisionInput) (partner.Proposal, error) {
	if err := match.Validate(in); err != nil {
		return partner.Proposal{}, err
	}
	_, actor, _, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return partner.Proposal{}, err
	}
	pr, err := a.Store.Decide(ctx, id, proposalID, actor, d, in.Note)
	if err != nil {
		return pr, err
	}
	// Read again: an acceptance may have moved the lane the notice names.
	p, err := a.Store.Partnership(ctx, id)
	if err != nil {
		return pr, err
	}
	var what string
	switch {
	case d == partner.Withdraw:
		what = "withdrew their proposal of " + pr.Describe()
	case d == partner.Decline:
		what = "declined " + pr.Describe()
	case pr.Status == partner.ProposalAccepted:
		what = "accepted " + pr.Describe() + ": it is now in force"
	default:
		what = "accepted the host's proposal of " + pr.Describe() + "; it waits for your answer"
	}
	a.notify(ctx, p, actor, string(pr.Kind), what+withReason(in.Note))
	return pr, nil
}
