package api

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
	"github.com/matchmaker/matchmaker/store"
)

// partnershipRoutes are the routes of partnerships and their two lanes.
// Every one is for the partnership's two members and the host: the
// handlers pass the caller to the app, which answers 404 to anyone else.
func (s *Server) partnershipRoutes() []route {
	const p = "/api/v1/partnerships/:id"
	const q = p + "/quarters/:quarter"
	return []route{
		{http.MethodGet, "/api/v1/partnerships", signedIn, s.listPartnerships, false},
		{http.MethodPost, "/api/v1/partnerships", signedIn, s.startPartnership, false},
		{http.MethodGet, "/api/v1/partnerships/health", hostOnly, s.partnershipHealth, false},
		{http.MethodGet, p, signedIn, s.getPartnership, false},
		{http.MethodPatch, p, signedIn, s.setPartnershipStatus, false},
		{http.MethodPost, p + "/lane", signedIn, s.changeLane, false},
		// Strategic lane.
		{http.MethodGet, p + "/quarters", signedIn, s.listQuarters, false},
		{http.MethodGet, q, signedIn, s.getQuarter, false},
		{http.MethodPost, q + "/goals", signedIn, s.addGoal, false},
		{http.MethodPatch, q + "/goals/:item", signedIn, s.updateGoal, false},
		{http.MethodDelete, q + "/goals/:item", signedIn, s.deleteGoal, false},
		{http.MethodPost, q + "/deliverables", signedIn, s.addDeliverable, false},
		{http.MethodPatch, q + "/deliverables/:item", signedIn, s.updateDeliverable, false},
		{http.MethodDelete, q + "/deliverables/:item", signedIn, s.deleteDeliverable, false},
		{http.MethodPost, q + "/expectations", signedIn, s.addExpectation, false},
		{http.MethodPost, q + "/expectations/:item/sign", signedIn, s.signExpectation, false},
		{http.MethodPut, q + "/review", signedIn, s.saveReview, false},
		// Referral lane.
		{http.MethodGet, p + "/terms", signedIn, s.listTerms, false},
		{http.MethodPut, p + "/terms", signedIn, s.setTerms, false},
		{http.MethodGet, p + "/referrals", signedIn, s.listReferrals, false},
		{http.MethodPost, p + "/referrals", signedIn, s.addReferral, false},
		{http.MethodPatch, p + "/referrals/:item", signedIn, s.updateReferral, false},
		{http.MethodGet, p + "/ledger", signedIn, s.getLedger, false},
		{http.MethodPost, p + "/ledger", signedIn, s.addCorrection, false},
		{http.MethodPost, p + "/ledger/:item/confirm", signedIn, s.confirmEntry, false},
		{http.MethodPost, p + "/ledger/:item/reverse", signedIn, s.reverseEntry, false},
		{http.MethodPost, p + "/payouts", signedIn, s.recordPayout, false},
		{http.MethodGet, p + "/statement", signedIn, s.statement, false},
	}
}

// whoFor turns the API's caller into the app's.
func whoFor(c echo.Context) app.Who {
	who := callerOf(c)
	if who.host {
		return app.Who{Host: true}
	}
	return app.Who{Email: who.member.Email}
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

func viewPartnership(p partner.Partnership) partnershipView {
	party := func(x partner.Party) partyView {
		return partyView{PostID: x.PostID, Business: x.Business, Email: x.Email}
	}
	return partnershipView{ID: p.ID, Lane: string(p.Lane), Status: string(p.Status), StartedOn: p.StartedOn, EndedOn: p.EndedOn,
		IntroductionID: p.IntroductionID, A: party(p.A), B: party(p.B), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
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
	f := store.PartnershipFilter{Lane: partner.Lane(c.QueryParam("lane")), Status: partner.Status(c.QueryParam("status"))}
	if f.Lane != "" && !f.Lane.Valid() {
		params.bad["lane"] = "must be one of: strategic, referral"
	}
	if f.Status != "" && f.Status != partner.Active && f.Status != partner.Paused && f.Status != partner.Ended {
		params.bad["status"] = "must be one of: active, paused, ended"
	}
	if err := params.err(); err != nil {
		return err
	}
	list, err := s.app.Partnerships(c.Request().Context(), whoFor(c), f)
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
	v, err := s.app.StartPartnership(c.Request().Context(), whoFor(c), in)
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
	v, err := s.app.Partnership(c.Request().Context(), whoFor(c), id)
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
	v, err := s.app.SetPartnershipStatus(c.Request().Context(), whoFor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewPartnershipDetail(v))
}

func (s *Server) changeLane(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.LaneChange
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	v, err := s.app.ChangeLane(c.Request().Context(), whoFor(c), id, in)
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
			Overdue: h.Overdue, ReviewsMissing: []missingView{}, Warnings: h.Warnings}
		for _, m := range h.ReviewsMissing {
			v.ReviewsMissing = append(v.ReviewsMissing, missingView{Quarter: m.Quarter, Side: string(m.Side), Business: h.Partnership.Party(m.Side).Business})
		}
		out[i] = v
	}
	return c.JSON(http.StatusOK, map[string][]healthView{"partnerships": out})
}

// The strategic lane.

type goalView struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Metric    string    `json:"metric"`
	Target    float64   `json:"target"`
	Unit      string    `json:"unit"`
	Direction string    `json:"direction"`
	Owner     string    `json:"owner"`
	Actual    *float64  `json:"actual"`
	Met       bool      `json:"met"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewGoal(g partner.Goal) goalView {
	return goalView{ID: g.ID, Title: g.Title, Metric: g.Metric, Target: g.Target, Unit: g.Unit, Direction: string(g.Direction),
		Owner: string(g.Owner), Actual: g.Actual, Met: g.Met(), UpdatedAt: g.UpdatedAt}
}

type deliverableView struct {
	ID     int64  `json:"id"`
	What   string `json:"what"`
	Owner  string `json:"owner"`
	DueOn  string `json:"due_on"`
	Done   bool   `json:"done"`
	DoneOn string `json:"done_on,omitempty"`
}

func viewDeliverable(d partner.Deliverable) deliverableView {
	return deliverableView{ID: d.ID, What: d.What, Owner: string(d.Owner), DueOn: d.DueOn, Done: d.DoneOn != "", DoneOn: d.DoneOn}
}

type expectationView struct {
	ID       int64      `json:"id"`
	Side     string     `json:"side"`
	Text     string     `json:"text"`
	Signed   bool       `json:"signed"`
	SignedAt *time.Time `json:"signed_at,omitempty"`
}

func viewExpectation(e partner.Expectation) expectationView {
	v := expectationView{ID: e.ID, Side: string(e.Side), Text: e.Text, Signed: !e.SignedAt.IsZero()}
	if v.Signed {
		v.SignedAt = &e.SignedAt
	}
	return v
}

type reviewView struct {
	Side        string    `json:"side"`
	Rating      int       `json:"rating"`
	Delivered   string    `json:"delivered"`
	Notes       string    `json:"notes"`
	SubmittedAt time.Time `json:"submitted_at"`
}

func viewReview(r partner.Review) reviewView {
	return reviewView{Side: string(r.Side), Rating: r.Rating, Delivered: r.Delivered, Notes: r.Notes, SubmittedAt: r.SubmittedAt}
}

type quarterView struct {
	Quarter      match.Quarter     `json:"quarter"`
	Goals        []goalView        `json:"goals"`
	Deliverables []deliverableView `json:"deliverables"`
	Expectations []expectationView `json:"expectations"`
	Reviews      []reviewView      `json:"reviews"`
	Returns      partner.Returns   `json:"returns"`
}

func viewQuarter(q app.QuarterView) quarterView {
	v := quarterView{Quarter: q.Quarter, Goals: []goalView{}, Deliverables: []deliverableView{}, Expectations: []expectationView{}, Reviews: []reviewView{}, Returns: q.Returns}
	for _, g := range q.Goals {
		v.Goals = append(v.Goals, viewGoal(g))
	}
	for _, d := range q.Deliverables {
		v.Deliverables = append(v.Deliverables, viewDeliverable(d))
	}
	for _, e := range q.Expectations {
		v.Expectations = append(v.Expectations, viewExpectation(e))
	}
	for _, r := range q.Reviews {
		v.Reviews = append(v.Reviews, viewReview(r))
	}
	return v
}

func (s *Server) listQuarters(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Quarters(c.Request().Context(), whoFor(c), id, "")
	if err != nil {
		return err
	}
	out := make([]quarterView, len(list))
	for i, q := range list {
		out[i] = viewQuarter(q)
	}
	return c.JSON(http.StatusOK, map[string][]quarterView{"quarters": out})
}

// quarterPath reads the partnership's ID and the quarter from the path.
func quarterPath(c echo.Context) (int64, match.Quarter, error) {
	id, err := partnershipID(c)
	if err != nil {
		return 0, "", err
	}
	q, err := pathQuarter(c)
	return id, q, err
}

// itemPath reads the partnership, the quarter and an item's ID.
func itemPath(c echo.Context, what string) (int64, match.Quarter, int64, error) {
	id, q, err := quarterPath(c)
	if err != nil {
		return 0, "", 0, err
	}
	item, err := positiveParam(c, "item", what+" id")
	return id, q, item, err
}

func (s *Server) getQuarter(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	list, err := s.app.Quarters(c.Request().Context(), whoFor(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewQuarter(list[0]))
}

func (s *Server) addGoal(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.GoalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	g, err := s.app.AddGoal(c.Request().Context(), whoFor(c), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewGoal(g))
}

func (s *Server) updateGoal(c echo.Context) error {
	id, q, item, err := itemPath(c, "goal")
	if err != nil {
		return err
	}
	var in partner.GoalPatch
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	g, err := s.app.UpdateGoal(c.Request().Context(), whoFor(c), id, q, item, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewGoal(g))
}

func (s *Server) deleteGoal(c echo.Context) error {
	id, q, item, err := itemPath(c, "goal")
	if err != nil {
		return err
	}
	if err := s.app.DeleteGoal(c.Request().Context(), whoFor(c), id, q, item); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addDeliverable(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.DeliverableInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.app.AddDeliverable(c.Request().Context(), whoFor(c), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewDeliverable(d))
}

func (s *Server) updateDeliverable(c echo.Context) error {
	id, q, item, err := itemPath(c, "deliverable")
	if err != nil {
		return err
	}
	var in partner.DeliverablePatch
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.app.UpdateDeliverable(c.Request().Context(), whoFor(c), id, q, item, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewDeliverable(d))
}

func (s *Server) deleteDeliverable(c echo.Context) error {
	id, q, item, err := itemPath(c, "deliverable")
	if err != nil {
		return err
	}
	if err := s.app.DeleteDeliverable(c.Request().Context(), whoFor(c), id, q, item); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addExpectation(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.ExpectationInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	e, err := s.app.AddExpectation(c.Request().Context(), whoFor(c), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewExpectation(e))
}

func (s *Server) signExpectation(c echo.Context) error {
	id, q, item, err := itemPath(c, "expectation")
	if err != nil {
		return err
	}
	e, err := s.app.SignExpectation(c.Request().Context(), whoFor(c), id, q, item)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewExpectation(e))
}

func (s *Server) saveReview(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.ReviewInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	r, err := s.app.SaveReview(c.Request().Context(), whoFor(c), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewReview(r))
}

// The referral lane.

type termsView struct {
	ID              int64          `json:"id"`
	Kind            string         `json:"kind"`
	Percent         string         `json:"percent,omitempty"`
	BasisPoints     int64          `json:"basis_points,omitempty"`
	FlatFee         *partner.Money `json:"flat_fee,omitempty"`
	Currency        string         `json:"currency"`
	Payer           string         `json:"payer"`
	RecurringMonths int            `json:"recurring_months"`
	EffectiveAt     time.Time      `json:"effective_at"`
	SetBy           string         `json:"set_by"`
}

func viewTerms(t partner.Terms) termsView {
	v := termsView{ID: t.ID, Kind: string(t.Kind), Currency: t.Currency, Payer: string(t.Payer), RecurringMonths: t.RecurringMonths,
		EffectiveAt: t.EffectiveAt, SetBy: string(t.SetBy)}
	if t.Kind == partner.FlatFee {
		v.FlatFee = &partner.Money{Amount: t.FlatAmount, Currency: t.Currency}
	} else {
		v.Percent, v.BasisPoints = partner.FormatPercent(t.BasisPoints), t.BasisPoints
	}
	return v
}

func (s *Server) listTerms(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Terms(c.Request().Context(), whoFor(c), id)
	if err != nil {
		return err
	}
	out := make([]termsView, len(list))
	for i, t := range list {
		out[i] = viewTerms(t)
	}
	return c.JSON(http.StatusOK, map[string][]termsView{"terms": out})
}

func (s *Server) setTerms(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.TermsInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	t, err := s.app.SetTerms(c.Request().Context(), whoFor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewTerms(t))
}

type referralView struct {
	ID        int64          `json:"id"`
	From      string         `json:"from"`
	LeadName  string         `json:"lead_name"`
	Company   string         `json:"company"`
	Note      string         `json:"note"`
	Status    string         `json:"status"`
	Sale      *partner.Money `json:"sale,omitempty"`
	TermsID   int64          `json:"terms_id,omitempty"`
	DecidedAt *time.Time     `json:"decided_at,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

func viewReferral(r partner.Referral) referralView {
	v := referralView{ID: r.ID, From: string(r.From), LeadName: r.LeadName, Company: r.Company, Note: r.Note, Status: string(r.Status),
		Sale: r.Sale, TermsID: r.TermsID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if !r.DecidedAt.IsZero() {
		v.DecidedAt = &r.DecidedAt
	}
	return v
}

func (s *Server) listReferrals(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Referrals(c.Request().Context(), whoFor(c), id)
	if err != nil {
		return err
	}
	out := make([]referralView, len(list))
	for i, r := range list {
		out[i] = viewReferral(r)
	}
	return c.JSON(http.StatusOK, map[string][]referralView{"referrals": out})
}

func (s *Server) addReferral(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.ReferralInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	r, err := s.app.AddReferral(c.Request().Context(), whoFor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewReferral(r))
}

func (s *Server) updateReferral(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	item, err := positiveParam(c, "item", "referral id")
	if err != nil {
		return err
	}
	var in partner.ReferralUpdate
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	r, entries, err := s.app.UpdateReferral(c.Request().Context(), whoFor(c), id, item, in)
	if err != nil {
		return err
	}
	out := struct {
		Referral    referralView `json:"referral"`
		Commissions []entryView  `json:"commissions"`
	}{viewReferral(r), viewEntries(entries)}
	return c.JSON(http.StatusOK, out)
}

type entryView struct {
	ID          int64         `json:"id"`
	Kind        string        `json:"kind"`
	ReferralID  int64         `json:"referral_id,omitempty"`
	TermsID     int64         `json:"terms_id,omitempty"`
	ReversesID  int64         `json:"reverses_id,omitempty"`
	Payer       string        `json:"payer"`
	Payee       string        `json:"payee"`
	Amount      partner.Money `json:"amount"`
	AccruesOn   string        `json:"accrues_on"`
	Quarter     match.Quarter `json:"quarter"`
	Reason      string        `json:"reason"`
	Status      string        `json:"status"`
	Confirmer   string        `json:"confirmer"` // the side that confirms it, the side it costs
	CreatedBy   string        `json:"created_by"`
	CreatedAt   time.Time     `json:"created_at"`
	ConfirmedAt *time.Time    `json:"confirmed_at,omitempty"`
	PayoutID    int64         `json:"payout_id,omitempty"`
}

func viewEntry(e partner.Entry) entryView {
	v := entryView{ID: e.ID, Kind: string(e.Kind), ReferralID: e.ReferralID, TermsID: e.TermsID, ReversesID: e.ReversesID,
		Payer: string(e.Payer), Payee: string(e.Payee()), Amount: partner.Money{Amount: e.Amount, Currency: e.Currency},
		AccruesOn: e.AccruesOn, Quarter: partner.QuarterOfDate(e.AccruesOn), Reason: e.Reason, Status: string(e.Status),
		Confirmer: string(e.Confirmer()), CreatedBy: string(e.CreatedBy), CreatedAt: e.CreatedAt, PayoutID: e.PayoutID}
	if !e.ConfirmedAt.IsZero() {
		v.ConfirmedAt = &e.ConfirmedAt
	}
	return v
}

func viewEntries(list []partner.Entry) []entryView {
	out := make([]entryView, len(list))
	for i, e := range list {
		out[i] = viewEntry(e)
	}
	return out
}

type payoutView struct {
	ID         int64         `json:"id"`
	Payer      string        `json:"payer"`
	Payee      string        `json:"payee"`
	Amount     partner.Money `json:"amount"`
	PaidOn     string        `json:"paid_on"`
	Reference  string        `json:"reference"`
	RecordedBy string        `json:"recorded_by"`
	EntryIDs   []int64       `json:"entry_ids"`
	CreatedAt  time.Time     `json:"created_at"`
}

func viewPayout(p partner.Payout) payoutView {
	return payoutView{ID: p.ID, Payer: string(p.Payer), Payee: string(p.Payer.Other()), Amount: partner.Money{Amount: p.Amount, Currency: p.Currency},
		PaidOn: p.PaidOn, Reference: p.Reference, RecordedBy: string(p.RecordedBy), EntryIDs: p.EntryIDs, CreatedAt: p.CreatedAt}
}

func viewPayouts(list []partner.Payout) []payoutView {
	out := make([]payoutView, len(list))
	for i, p := range list {
		out[i] = viewPayout(p)
	}
	return out
}

func (s *Server) getLedger(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	entries, payouts, err := s.app.Ledger(c.Request().Context(), whoFor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": viewEntries(entries), "payouts": viewPayouts(payouts)})
}

func (s *Server) addCorrection(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.CorrectionInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	e, err := s.app.AddCorrection(c.Request().Context(), whoFor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewEntry(e))
}

// entryPath reads the partnership and ledger entry IDs from the path.
func entryPath(c echo.Context) (int64, int64, error) {
	id, err := partnershipID(c)
	if err != nil {
		return 0, 0, err
	}
	item, err := positiveParam(c, "item", "ledger entry id")
	return id, item, err
}

func (s *Server) confirmEntry(c echo.Context) error {
	id, item, err := entryPath(c)
	if err != nil {
		return err
	}
	// The body is optional and empty; anything in it is a mistake.
	var in struct{}
	if c.Request().ContentLength != 0 {
		if err := s.decodeBody(c, &in); err != nil {
			return err
		}
	}
	e, err := s.app.ConfirmEntry(c.Request().Context(), whoFor(c), id, item)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewEntry(e))
}

func (s *Server) reverseEntry(c echo.Context) error {
	id, item, err := entryPath(c)
	if err != nil {
		return err
	}
	var in partner.ReversalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	e, err := s.app.Reverse(c.Request().Context(), whoFor(c), id, item, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewEntry(e))
}

func (s *Server) recordPayout(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	var in partner.PayoutInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	p, err := s.app.RecordPayout(c.Request().Context(), whoFor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewPayout(p))
}

type statementView struct {
	Partnership partnershipView         `json:"partnership"`
	Quarter     match.Quarter           `json:"quarter,omitempty"`
	Entries     []entryView             `json:"entries"`
	Payouts     []payoutView            `json:"payouts"`
	Totals      []partner.Totals        `json:"totals"`
	Quarters    []partner.QuarterTotals `json:"quarters"`
	// RoundingRule says how commissions were rounded, for the reader.
	RoundingRule string `json:"rounding_rule"`
}

// roundingRule is the statement's note on rounding.
const roundingRule = "Each commission is rounded once, when it is created, to the nearest minor unit with halves away from zero; totals add rounded entries, so they add up exactly."

// statement serves a referral partnership's statement, for a quarter or
// all time, as JSON or (format=csv) CSV.
func (s *Server) statement(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	params := newQueryParams(c.QueryParams(), "quarter", "format")
	quarter := params.quarter()
	format := c.QueryParam("format")
	if format != "" && format != "json" && format != "csv" {
		params.bad["format"] = "must be json or csv"
	}
	if err := params.err(); err != nil {
		return err
	}
	p, st, err := s.app.Statement(c.Request().Context(), whoFor(c), id, quarter)
	if err != nil {
		return err
	}
	if format == "csv" {
		var buf bytes.Buffer
		if err := st.WriteCSV(&buf, map[partner.Side]string{partner.A: p.A.Business, partner.B: p.B.Business}); err != nil {
			return err
		}
		name := fmt.Sprintf("partnership-%d-statement", p.ID)
		if quarter != "" {
			name += "-" + string(quarter)
		}
		c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
	return c.JSON(http.StatusOK, statementView{Partnership: viewPartnership(p), Quarter: quarter, Entries: viewEntries(st.Entries),
		Payouts: viewPayouts(st.Payouts), Totals: st.Totals, Quarters: st.Quarters, RoundingRule: roundingRule})
}
