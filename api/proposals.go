package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/partner"
)

// Proposals: the referral terms and the lane change only when both sides
// accept (see app.Propose).

type proposalView struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	ProposedBy string     `json:"proposed_by"`
	Summary    string     `json:"summary"`
	Terms      *termsBody `json:"terms,omitempty"`
	Lane       string     `json:"lane,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	Status     string     `json:"status"`
	// WaitingFor lists the sides whose acceptance an open proposal still
	// needs; empty once it is decided.
	WaitingFor []string   `json:"waiting_for"`
	Answers    int64      `json:"answers,omitempty"`
	DecidedBy  string     `json:"decided_by,omitempty"`
	Note       string     `json:"note,omitempty"`
	TermsID    int64      `json:"terms_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
}

func viewProposal(p partner.Proposal) proposalView {
	v := proposalView{ID: p.ID, Kind: string(p.Kind), ProposedBy: string(p.By), Summary: p.Describe(), Lane: string(p.Lane),
		Reason: p.Reason, Status: string(p.Status), Answers: p.Answers, DecidedBy: string(p.DecidedBy),
		Note: p.Note, TermsID: p.TermsID, CreatedAt: p.CreatedAt}
	if p.Terms != nil {
		body := viewTermsBody(*p.Terms)
		v.Terms = &body
	}
	v.WaitingFor, v.DecidedAt = answers(p.Status, p.Waiting(), p.DecidedAt)
	return v
}

// answers says, of a proposal or an offer, whom it waits for while open
// (never null) and when it was decided (nil while open).
func answers(status partner.ProposalStatus, waiting []partner.Side, decided time.Time) ([]string, *time.Time) {
	sides := []string{}
	if status == partner.ProposalOpen {
		for _, s := range waiting {
			sides = append(sides, string(s))
		}
	}
	if decided.IsZero() {
		return sides, nil
	}
	return sides, &decided
}

func (s *Server) listProposals(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Proposals(c.Request().Context(), callerOf(c).app(), id)
	if err != nil {
		return err
	}
	out := make([]proposalView, len(list))
	for i, p := range list {
		out[i] = viewProposal(p)
	}
	return c.JSON(http.StatusOK, map[string][]proposalView{"proposals": out})
}

func (s *Server) propose(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.ProposalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.app.Propose(c.Request().Context(), callerOf(c).app(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewProposal(p))
}

// decideProposal answers a proposal with d.
func (s *Server) decideProposal(d partner.Decision) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := partnershipID(c)
		if err != nil {
			return err
		}
		item, err := positiveParam(c, "item", "proposal id")
		if err != nil {
			return err
		}
		var in partner.DecisionInput // a note kept with the answer
		if err := s.decodeOptionalBody(c, &in); err != nil {
			return err
		}
		p, err := s.app.DecideProposal(c.Request().Context(), callerOf(c).app(), id, item, d, in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, viewProposal(p))
	}
}
