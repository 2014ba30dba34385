package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The referral lane: terms, referrals, the ledger of commissions,
// payouts and statements.

// termsBody is what terms say, as a proposal of them shows it too.
type termsBody struct {
	Kind            string         `json:"kind"`
	Percent         string         `json:"percent,omitempty"`
	BasisPoints     int64          `json:"basis_points,omitempty"`
	FlatFee         *partner.Money `json:"flat_fee,omitempty"`
	Currency        string         `json:"currency"`
	Payer           string         `json:"payer"`
	RecurringMonths int            `json:"recurring_months"`
}

func viewTermsBody(t partner.Terms) termsBody {
	v := termsBody{Kind: string(t.Kind), Currency: t.Currency, Payer: string(t.Payer), RecurringMonths: t.RecurringMonths}
	if t.Kind == partner.FlatFee {
		v.FlatFee = &partner.Money{Amount: t.FlatAmount, Currency: t.Currency}
	} else {
		v.Percent, v.BasisPoints = partner.FormatPercent(t.BasisPoints), t.BasisPoints
	}
	return v
}

type termsView struct {
	ID int64 `json:"id"`
	termsBody
	EffectiveAt time.Time `json:"effective_at"`
	SetBy       string    `json:"set_by"`
}

func viewTerms(t partner.Terms) termsView {
	return termsView{ID: t.ID, termsBody: viewTermsBody(t), EffectiveAt: t.EffectiveAt, SetBy: string(t.SetBy)}
}

func (s *Server) listTerms(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Terms(c.Request().Context(), callerOf(c).app(), id)
	if err != nil {
		return err
	}
	out := make([]termsView, len(list))
	for i, t := range list {
		out[i] = viewTerms(t)
	}
	return c.JSON(http.StatusOK, map[string][]termsView{"terms": out})
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
	list, err := s.app.Referrals(c.Request().Context(), callerOf(c).app(), id)
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
	r, err := s.app.AddReferral(c.Request().Context(), callerOf(c).app(), id, in)
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
	r, entries, err := s.app.UpdateReferral(c.Request().Context(), callerOf(c).app(), id, item, in)
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
	entries, payouts, err := s.app.Ledger(c.Request().Context(), callerOf(c).app(), id)
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
	e, err := s.app.AddCorrection(c.Request().Context(), callerOf(c).app(), id, in)
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
	if err := s.decodeOptionalBody(c, &in); err != nil {
		return err
	}
	e, err := s.app.ConfirmEntry(c.Request().Context(), callerOf(c).app(), id, item)
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
	e, err := s.app.Reverse(c.Request().Context(), callerOf(c).app(), id, item, in)
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
	p, err := s.app.RecordPayout(c.Request().Context(), callerOf(c).app(), id, in)
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
	quarter, format := params.quarter(), params.format()
	if err := params.err(); err != nil {
		return err
	}
	p, st, err := s.app.Statement(c.Request().Context(), callerOf(c).app(), id, quarter)
	if err != nil {
		return err
	}
	if format == "csv" {
		return csvFile(c, fmt.Sprintf("partnership-%d-statement", p.ID), quarter, func(w io.Writer) error {
			return st.WriteCSV(w, map[partner.Side]string{partner.A: p.A.Business, partner.B: p.B.Business})
		})
	}
	return c.JSON(http.StatusOK, statementView{Partnership: viewPartnership(p), Quarter: quarter, Entries: viewEntries(st.Entries),
		Payouts: viewPayouts(st.Payouts), Totals: st.Totals, Quarters: st.Quarters, RoundingRule: roundingRule})
}

type moneyLineView struct {
	Partnership partnershipView         `json:"partnership"`
	Totals      []partner.Totals        `json:"totals"`
	Quarters    []partner.QuarterTotals `json:"quarters"`
}

type moneyView struct {
	Quarter      match.Quarter         `json:"quarter,omitempty"`
	Partnerships []moneyLineView       `json:"partnerships"`
	Sums         []partner.Sums        `json:"sums"`
	Quarters     []partner.QuarterSums `json:"quarters"`
	Periods      []match.Quarter       `json:"periods"` // every quarter with money, whatever the period shown
}

// money serves the referral program's money: for the host every
// partnership's, for a member their own; for a quarter or all time, as
// JSON or (format=csv) CSV.
func (s *Server) money(c echo.Context) error {
	params := newQueryParams(c.QueryParams(), "quarter", "format")
	quarter, format := params.quarter(), params.format()
	if err := params.err(); err != nil {
		return err
	}
	who := callerOf(c)
	pr, err := s.app.Money(c.Request().Context(), who.app(), quarter)
	if err != nil {
		return err
	}
	if format == "csv" {
		return csvFile(c, "referral-money", quarter, pr.WriteCSV)
	}
	v := moneyView{Quarter: quarter, Partnerships: make([]moneyLineView, len(pr.Lines)), Sums: pr.Sums, Quarters: pr.Quarters, Periods: pr.Periods}
	for i, l := range pr.Lines {
		v.Partnerships[i] = moneyLineView{Partnership: viewPartnership(l.Partnership), Totals: l.Statement.Totals, Quarters: l.Statement.Quarters}
	}
	return c.JSON(http.StatusOK, v)
}

// csvFile answers with a CSV file to save, named name (and the quarter,
// when there is one), written by write.
func csvFile(c echo.Context, name string, quarter match.Quarter, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	if quarter != "" {
		name += "-" + string(quarter)
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
