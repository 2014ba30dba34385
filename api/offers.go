package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/partner"
)

// Offers: the host offers two members a partnership, which starts when
// both accept (see app.OfferPartnership).

type offerView struct {
	ID             int64     `json:"id"`
	Lane           string    `json:"lane"`
	Note           string    `json:"note,omitempty"`
	IntroductionID int64     `json:"introduction_id,omitempty"`
	A              partyView `json:"a"`
	B              partyView `json:"b"`
	You            string    `json:"you,omitempty"` // the caller's side; absent for the host
	Status         string    `json:"status"`
	// WaitingFor lists the sides that have not accepted an open offer.
	WaitingFor    []string   `json:"waiting_for"`
	DecidedBy     string     `json:"decided_by,omitempty"`
	Answer        string     `json:"answer,omitempty"`
	PartnershipID int64      `json:"partnership_id,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
}

func viewOffer(o partner.Offer, email string) offerView {
	v := offerView{ID: o.ID, Lane: string(o.Lane), Note: o.Note, IntroductionID: o.IntroductionID, A: viewParty(o.A), B: viewParty(o.B),
		You: string(o.SideOf(email)), Status: string(o.Status), DecidedBy: string(o.DecidedBy), Answer: o.Answer,
		PartnershipID: o.PartnershipID, CreatedAt: o.CreatedAt}
	v.WaitingFor, v.DecidedAt = answers(o.Status, o.Waiting(), o.DecidedAt)
	return v
}

// offerStatuses are the statuses GET /api/v1/offers filters by.
var offerStatuses = []string{string(partner.ProposalOpen), string(partner.ProposalAccepted), string(partner.ProposalDeclined), string(partner.ProposalWithdrawn)}

func (s *Server) listOffers(c echo.Context) error {
	params := newQueryParams(c.QueryParams(), "status")
	status := c.QueryParam("status")
	if status != "" && !slices.Contains(offerStatuses, status) {
		params.bad["status"] = "must be one of: " + strings.Join(offerStatuses, ", ")
	}
	if err := params.err(); err != nil {
		return err
	}
	who := callerOf(c).app()
	list, err := s.app.Offers(c.Request().Context(), who, partner.ProposalStatus(status))
	if err != nil {
		return err
	}
	out := make([]offerView, len(list))
	for i, o := range list {
		out[i] = viewOffer(o, who.Email)
	}
	return c.JSON(http.StatusOK, map[string][]offerView{"offers": out})
}

func (s *Server) offerPartnership(c echo.Context) error {
	var in partner.OfferInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	o, err := s.app.OfferPartnership(c.Request().Context(), callerOf(c).app(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewOffer(o, ""))
}

// decideOffer answers an offer with d.
func (s *Server) decideOffer(d partner.Decision) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := positiveParam(c, "id", "offer id")
		if err != nil {
			return err
		}
		var in partner.DecisionInput // a note kept with the answer
		if err := s.decodeOptionalBody(c, &in); err != nil {
			return err
		}
		who := callerOf(c).app()
		o, err := s.app.DecideOffer(c.Request().Context(), who, id, d, in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, viewOffer(o, who.Email))
	}
}
