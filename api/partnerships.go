package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// partnershipRoutes are the routes of partnerships and their two lanes.
// Every one is for the partnership's two members and the host: the
// handlers pass the caller to the app, which answers 404 to anyone else.
func (s *Server) partnershipRoutes() []route {
	const p = "/api/v1/partnerships/:id"
	const q = p + "/quarters/:quarter"
	return []route{
		{http.MethodGet, "/api/v1/partnerships", signedIn, s.listPartnerships, unlimited},
		{http.MethodPost, "/api/v1/partnerships", signedIn, s.startPartnership, unlimited},
		{http.MethodGet, "/api/v1/offers", signedIn, s.listOffers, unlimited},
		{http.MethodPost, "/api/v1/offers", hostOnly, s.offerPartnership, unlimited},
		{http.MethodPost, "/api/v1/offers/:id/accept", signedIn, s.decideOffer(partner.Accept), unlimited},
		{http.MethodPost, "/api/v1/offers/:id/decline", signedIn, s.decideOffer(partner.Decline), unlimited},
		{http.MethodPost, "/api/v1/offers/:id/withdraw", hostOnly, s.decideOffer(partner.Withdraw), unlimited},
		{http.MethodGet, "/api/v1/partnerships/health", hostOnly, s.partnershipHealth, unlimited},
		{http.MethodGet, "/api/v1/money", signedIn, s.money, unlimited},
		{http.MethodGet, p, signedIn, s.getPartnership, unlimited},
		{http.MethodPatch, p, signedIn, s.setPartnershipStatus, unlimited},
		{http.MethodGet, p + "/proposals", signedIn, s.listProposals, unlimited},
		{http.MethodPost, p + "/proposals", signedIn, s.propose, unlimited},
		{http.MethodPost, p + "/proposals/:item/accept", signedIn, s.decideProposal(partner.Accept), unlimited},
		{http.MethodPost, p + "/proposals/:item/decline", signedIn, s.decideProposal(partner.Decline), unlimited},
		{http.MethodPost, p + "/proposals/:item/withdraw", signedIn, s.decideProposal(partner.Withdraw), unlimited},
		// Strategic lane.
		{http.MethodGet, p + "/quarters", signedIn, s.listQuarters, unlimited},
		{http.MethodGet, q, signedIn, s.getQuarter, unlimited},
		{http.MethodPost, q + "/goals", signedIn, s.addGoal, unlimited},
		{http.MethodPatch, q + "/goals/:item", signedIn, s.updateGoal, unlimited},
		{http.MethodDelete, q + "/goals/:item", signedIn, s.deleteGoal, unlimited},
		{http.MethodPost, q + "/deliverables", signedIn, s.addDeliverable, unlimited},
		{http.MethodPatch, q + "/deliverables/:item", signedIn, s.updateDeliverable, unlimited},
		{http.MethodDelete, q + "/deliverables/:item", signedIn, s.deleteDeliverable, unlimited},
		{http.MethodPost, q + "/expectations", signedIn, s.addExpectation, unlimited},
		{http.MethodPost, q + "/expectations/:item/sign", signedIn, s.signExpectation, unlimited},
		{http.MethodPut, q + "/review", signedIn, s.saveReview, unlimited},
		// Referral lane.
		{http.MethodGet, p + "/terms", signedIn, s.listTerms, unlimited},
		{http.MethodGet, p + "/referrals", signedIn, s.listReferrals, unlimited},
		{http.MethodPost, p + "/referrals", signedIn, s.addReferral, unlimited},
		{http.MethodPatch, p + "/referrals/:item", signedIn, s.updateReferral, unlimited},
		{http.MethodGet, p + "/ledger", signedIn, s.getLedger, unlimited},
		{http.MethodPost, p + "/ledger", signedIn, s.addCorrection, unlimited},
		{http.MethodPost, p + "/ledger/:item/confirm", signedIn, s.confirmEntry, unlimited},
		{http.MethodPost, p + "/ledger/:item/reverse", signedIn, s.reverseEntry, unlimited},
		{http.MethodPost, p + "/payouts", signedIn, s.recordPayout, unlimited},
		{http.MethodGet, p + "/statement", signedIn, s.statement, unlimited},
	}
}

type partyView struct {
	PostID   int64  `json:"post_id,omitempty"` // gone once the post is deleted
	Business string `json:"business"`
	Email    string `json:"email"`
}

type eventView struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Kind   string    `json:"kind"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

type partnershipView struct {
	ID             int64       `json:"id"`
	Lane           string      `json:"lane"`
	Status         string      `json:"status"`
	StartedOn      string      `json:"started_on"`
	EndedOn        string      `json:"ended_on,omitempty"`
	IntroductionID int64       `json:"introduction_id,omitempty"`
	A              partyView   `json:"a"`
	B              partyView   `json:"b"`
	You            string      `json:"you,omitempty"` // the caller's side; absent for the host
	History        []eventView `json:"history,omitempty"`
	Warnings       []string    `json:"warnings,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

func viewParty(x partner.Party) partyView {
	return partyView{PostID: x.PostID, Business: x.Business, Email: x.Email}
}

func viewPartnership(p partner.Partnership) partnershipView {
	return partnershipView{ID: p.ID, Lane: string(p.Lane), Status: string(p.Status), StartedOn: p.StartedOn, EndedOn: p.EndedOn,
		IntroductionID: p.IntroductionID, A: viewParty(p.A), B: viewParty(p.B), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func viewPartnershipDetail(v app.PartnershipView) partnershipView {
	out := viewPartnership(v.Partnership)
	out.You = string(v.You)
	out.History = make([]eventView, len(v.History))
	for i, e := range v.History {
		out.History[i] = eventView{At: e.At, Actor: string(e.Actor), Kind: string(e.Kind), From: e.From, To: e.To, Reason: e.Reason}
	}
	out.Warnings = v.Warnings
	return out
}

func (s *Server) listPartnerships(c echo.Context) error {
	params := newQueryParams(c.QueryParams(), "lane", "status")
	f := domain.PartnershipFilter{Lane: partner.Lane(c.QueryParam("lane")), Status: partner.Status(c.QueryParam("status"))}
	if f.Lane != "" && !f.Lane.Valid() {
		params.bad["lane"] = "must be one of: strategic, referral"
	}
	if f.Status != "" && f.Status != partner.Active && f.Status != partner.Paused && f.Status != partner.Ended {
		params.bad["status"] = "must be one of: active, paused, ended"
	}
	if err := params.err(); err != nil {
		return err
	}
	list, err := s.app.Partnerships(c.Request().Context(), callerOf(c).app(), f)
	if err != nil {
		return err
	}
	out := make([]partnershipView, len(list))
	for i, p := range list {
		out[i] = viewPartnership(p)
	}
	return c.JSON(http.StatusOK, map[string][]partnershipView{"partnerships": out})
}

func (s *Server) startPartnership(c echo.Context) error {
	var in partner.NewPartnership
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	v, err := s.app.StartPartnership(c.Request().Context(), callerOf(c).app(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewPartnershipDetail(v))
}

// partnershipID reads the partnership's ID from the path.
func partnershipID(c echo.Context) (int64, error) {
	return positiveParam(c, "id", "partnership id")
}

func (s *Server) getPartnership(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	v, err := s.app.Partnership(c.Request().Context(), callerOf(c).app(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewPartnershipDetail(v))
}

func (s *Server) setPartnershipStatus(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.StatusChange
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	v, err := s.app.SetPartnershipStatus(c.Request().Context(), callerOf(c).app(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewPartnershipDetail(v))
}

type healthView struct {
	Partnership    partnershipView   `json:"partnership"`
	Current        partner.Returns   `json:"current"`
	Quarters       []partner.Returns `json:"quarters"`
	Goals          int               `json:"goals"`
	GoalsMet       int               `json:"goals_met"`
	Overdue        int               `json:"deliverables_overdue"`
	ReviewsMissing []missingView     `json:"reviews_missing"`
	Warnings       []string          `json:"warnings"`
	State          string            `json:"state"`
}

type missingView struct {
	Quarter  match.Quarter `json:"quarter"`
	Side     string        `json:"side"`
	Business string        `json:"business"`
}

func (s *Server) partnershipHealth(c echo.Context) error {
	if err := newQueryParams(c.QueryParams()).err(); err != nil {
		return err
	}
	list, err := s.app.PartnershipHealth(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]healthView, len(list))
	for i, h := range list {
		v := healthView{Partnership: viewPartnership(h.Partnership), Current: h.Current, Quarters: h.Quarters, Goals: h.Goals, GoalsMet: h.GoalsMet,
			Overdue: h.Overdue, ReviewsMissing: []missingView{}, Warnings: h.Warnings, State: h.State}
		for _, m := range h.ReviewsMissing {
			v.ReviewsMissing = append(v.ReviewsMissing, missingView{Quarter: m.Quarter, Side: string(m.Side), Business: h.Partnership.Party(m.Side).Business})
		}
		out[i] = v
	}
	return c.JSON(http.StatusOK, map[string][]healthView{"partnerships": out})
}

// The strategic lane.
