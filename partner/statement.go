package partner

import (
	"cmp"
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/matchmaker/matchmaker/internal/sheet"
	"github.com/matchmaker/matchmaker/match"
)

// Totals add up the ledger for one direction (payer to payee) in one
// currency. They always add up: Earned + Reversed = Net and
// Pending + Due + Paid = Net; the quarters' Nets sum to the whole's.
type Totals struct {
	Currency string `json:"currency"`
	Payer    Side   `json:"payer"`
	Payee    Side   `json:"payee"`
	Earned   int64  `json:"earned"`   // positive entries: commissions and corrections up
	Reversed int64  `json:"reversed"` // negative entries: reversals and corrections down (≤ 0)
	Net      int64  `json:"net"`
	Pending  int64  `json:"pending"`
	Due      int64  `json:"due"`
	Paid     int64  `json:"paid"`
	// PaidOut is what payouts made in the period transferred. Over a whole
	// partnership it equals Paid; in one quarter it may not, since a
	// commission can be paid in a later quarter than it accrued in.
	PaidOut int64 `json:"paid_out"`
}

// QuarterTotals are one quarter's totals.
type QuarterTotals struct {
	Quarter match.Quarter `json:"quarter"`
	Totals  []Totals      `json:"totals"`
}

// Statement is a referral partnership's ledger for a period: every entry
// accrued in it and every payout made in it, with their totals.
type Statement struct {
	Quarter  match.Quarter // "" for the whole partnership
	Entries  []Entry
	Payouts  []Payout
	Totals   []Totals
	Quarters []QuarterTotals
}

// NewStatement builds the statement of quarter ("" for all time) from a
// partnership's whole ledger.
func NewStatement(quarter match.Quarter, entries []Entry, payouts []Payout) Statement {
	// Empty lists rather than nil ones, so that JSON shows [].
	st := Statement{Quarter: quarter, Entries: []Entry{}, Payouts: []Payout{}, Quarters: []QuarterTotals{}}
	// Each entry and payout goes to its quarter once.
	type period struct {
		entries []Entry
		payouts []Payout
	}
	byQuarter := map[match.Quarter]*period{}
	in := func(q match.Quarter) *period {
		if byQuarter[q] == nil {
			byQuarter[q] = &period{}
		}
		return byQuarter[q]
	}
	for _, e := range entries {
		if q := QuarterOfDate(e.AccruesOn); quarter == "" || q == quarter {
			st.Entries = append(st.Entries, e)
			in(q).entries = append(in(q).entries, e)
		}
	}
	for _, p := range payouts {
		if q := QuarterOfDate(p.PaidOn); quarter == "" || q == quarter {
			st.Payouts = append(st.Payouts, p)
			in(q).payouts = append(in(q).payouts, p)
		}
	}
	st.Totals = sum(st.Entries, st.Payouts)
	for _, q := range slices.Sorted(maps.Keys(byQuarter)) {
		st.Quarters = append(st.Quarters, QuarterTotals{Quarter: q, Totals: sum(byQuarter[q].entries, byQuarter[q].payouts)})
	}
	return st
}

// sum adds entries and payouts up by currency and direction, in a stable
// order (currency, then payer).
func sum(entries []Entry, payouts []Payout) []Totals {
	type key struct {
		currency string
		payer    Side
	}
	byKey := map[key]*Totals{}
	get := func(currency string, payer Side) *Totals {
		k := key{currency, payer}
		if byKey[k] == nil {
			byKey[k] = &Totals{Currency: currency, Payer: payer, Payee: payer.Other()}
		}
		return byKey[k]
	}
	for _, e := range entries {
		t := get(e.Currency, e.Payer)
		if e.Amount > 0 {
			t.Earned += e.Amount
		} else {
			t.Reversed += e.Amount
		}
		t.Net += e.Amount
		switch e.Status {
		case Pending:
			t.Pending += e.Amount
		case Due:
			t.Due += e.Amount
		case Paid:
			t.Paid += e.Amount
		}
	}
	for _, p := range payouts {
		get(p.Currency, p.Payer).PaidOut += p.Amount
	}
	out := make([]Totals, 0, len(byKey))
	for _, t := range byKey {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(x, y Totals) int {
		return cmp.Or(cmp.Compare(x.Currency, y.Currency), cmp.Compare(x.Payer, y.Payer))
	})
	return out
}

// CSVHeader is the first line of a statement's CSV.
var CSVHeader = []string{"record", "id", "date", "quarter", "kind", "referral_id", "payer", "payee", "amount", "currency", "amount_minor", "status", "payout_id", "reference", "reason"}

// WriteCSV writes the statement as CSV, one row per entry, payout and
// total, with amounts both as decimals (for spreadsheets) and in minor
// units (exact). Text cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe.
func (st Statement) WriteCSV(w io.Writer, names map[Side]string) error {
	cw := csv.NewWriter(w)
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	name := func(s Side) string { return sheet.Cell(names[s]) }
	row := func(r ...string) { _ = cw.Write(r) }
	row(CSVHeader...)
	for _, e := range st.Entries {
		row("entry", id(e.ID), e.AccruesOn, string(QuarterOfDate(e.AccruesOn)), string(e.Kind), id(e.ReferralID), name(e.Payer), name(e.Payee()),
			Decimal(e.Amount, e.Currency), e.Currency, strconv.FormatInt(e.Amount, 10), string(e.Status), id(e.PayoutID), "", sheet.Cell(e.Reason))
	}
	for _, p := range st.Payouts {
		row("payout", id(p.ID), p.PaidOn, string(QuarterOfDate(p.PaidOn)), "payout", "", name(p.Payer), name(p.Payer.Other()),
			Decimal(p.Amount, p.Currency), p.Currency, strconv.FormatInt(p.Amount, 10), "", "", sheet.Cell(p.Reference), "")
	}
	total := func(label string, q match.Quarter, t Totals, kind string, amount int64) {
		row(label, "", "", string(q), kind, "", name(t.Payer), name(t.Payee), Decimal(amount, t.Currency), t.Currency, strconv.FormatInt(amount, 10), "", "", "", "")
	}
	totals := func(label string, q match.Quarter, ts []Totals) {
		for _, t := range ts {
			for _, part := range []struct {
				kind   string
				amount int64
			}{{"earned", t.Earned}, {"reversed", t.Reversed}, {"net", t.Net}, {"pending", t.Pending}, {"due", t.Due}, {"paid", t.Paid}, {"paid_out", t.PaidOut}} {
				total(label, q, t, part.kind, part.amount)
			}
		}
	}
	for _, q := range st.Quarters {
		totals("quarter_total", q.Quarter, q.Totals)
	}
	totals("total", st.Quarter, st.Totals)
	cw.Flush()
	return cw.Error()
}
