package partner

import (
	"fmt"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// TermsKind is how a commission is computed.
type TermsKind string

const (
	PercentOfSale TermsKind = "percent" // a share of every sale referred
	FlatFee       TermsKind = "flat"    // a fixed amount per won sale
)

// Terms are the referral terms in force from EffectiveAt. Changing terms
// adds a version; a won referral keeps the version it was won under.
type Terms struct {
	ID              int64
	Kind            TermsKind
	BasisPoints     int64 // PercentOfSale: hundredths of a percent
	FlatAmount      int64 // FlatFee: minor units
	Currency        string
	Payer           Owner // the side that pays for referrals it receives, or both
	RecurringMonths int   // 0: once per won sale; n: every month for n months
	EffectiveAt     time.Time
	SetBy           Actor
}

// Describe says the terms in words, as a notice of them does: "10% of
// each won sale, paid by side B", "250.00 EUR per won sale, every month
// for 3 months, paid by either side".
func (t Terms) Describe() string {
	var s string
	if t.Kind == PercentOfSale {
		s = FormatPercent(t.BasisPoints) + "% of each won sale (" + t.Currency + ")"
	} else {
		s = Money{Amount: t.FlatAmount, Currency: t.Currency}.String() + " per won sale"
	}
	if t.RecurringMonths > 0 {
		s += fmt.Sprintf(", every month for %d months", t.RecurringMonths)
	}
	switch t.Payer {
	case Both:
		return s + ", paid by whichever side receives the lead"
	default:
		return s + ", paid by side " + strings.ToUpper(string(t.Payer)) + " when it receives the lead"
	}
}

// Pays reports whether the side receiving a referral owes a commission
// for it under these terms.
func (t Terms) Pays(receiving Side) bool { return t.Payer == Both || t.Payer == Owner(receiving) }

// Commission returns the commission on a won sale, rounded once (see
// ApplyRate). The sale must be in the terms' currency.
func (t Terms) Commission(sale Money) (int64, error) {
	if sale.Currency != t.Currency {
		return 0, match.Invalid("some fields are not valid", map[string]string{"sale.currency": "must be " + t.Currency + ", the currency of the partnership's terms"})
	}
	if t.Kind == FlatFee {
		return t.FlatAmount, nil
	}
	return ApplyRate(sale.Amount, t.BasisPoints), nil
}

// Installments returns the dates a won sale's commission accrues on: the
// day it was won, then the same day of each following month for recurring
// terms (the month's last day when it is shorter: Jan 31, Feb 28, Mar 31).
func (t Terms) Installments(won time.Time) []string {
	won = won.UTC()
	n := max(1, t.RecurringMonths)
	dates := make([]string, n)
	for i := range n {
		first := time.Date(won.Year(), won.Month()+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		dates[i] = Today(first.AddDate(0, 0, min(won.Day(), last)-1))
	}
	return dates
}

// ReferralStatus is where a referred lead stands.
type ReferralStatus string

const (
	Submitted ReferralStatus = "submitted"
	Qualified ReferralStatus = "qualified"
	Won       ReferralStatus = "won"
	Lost      ReferralStatus = "lost"
)

// CanBecome reports whether a referral may move from s to to. Won and lost
// are final: a sale refunded later is a reversing ledger entry.
func (s ReferralStatus) CanBecome(to ReferralStatus) bool {
	switch s {
	case Submitted:
		return to == Qualified || to == Won || to == Lost
	case Qualified:
		return to == Won || to == Lost
	}
	return false
}

// Referral is a lead one side passed to the other.
type Referral struct {
	ID        int64
	From      Side // the referring side; the other side received it
	LeadName  string
	Company   string
	Note      string
	Status    ReferralStatus
	Sale      *Money // once won
	TermsID   int64  // the terms in force when it was won
	DecidedAt time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// EntryKind is what a ledger entry records.
type EntryKind string

const (
	CommissionEntry EntryKind = "commission" // from a won referral
	ReversalEntry   EntryKind = "reversal"   // takes back part or all of an entry (a refund)
	CorrectionEntry EntryKind = "correction" // any other adjustment, up or down
)

// EntryStatus is how far an entry is settled.
type EntryStatus string

const (
	Pending EntryStatus = "pending" // recorded, not yet confirmed
	Due     EntryStatus = "due"     // confirmed by the side it costs
	Paid    EntryStatus = "paid"    // settled by a payout
)

// Entry is one line of the referral ledger. Its amount is signed: positive
// is owed by Payer to the other side, negative is owed back.
type Entry struct {
	ID          int64
	Kind        EntryKind
	ReferralID  int64
	TermsID     int64
	ReversesID  int64
	Payer       Side
	Amount      int64
	Currency    string
	AccruesOn   string // YYYY-MM-DD: the quarter it counts in
	Reason      string
	Status      EntryStatus
	CreatedBy   Actor
	CreatedAt   time.Time
	ConfirmedAt time.Time
	PayoutID    int64
}

// Payee is the side the entry's amount is owed to.
func (e Entry) Payee() Side { return e.Payer.Other() }

// Confirmer is the side an entry costs, who must confirm it before it is
// due: the payer for money owed, the payee for money owed back.
func (e Entry) Confirmer() Side {
	if e.Amount < 0 {
		return e.Payee()
	}
	return e.Payer
}

// Reversible returns how much of e may still be reversed, given what its
// reversals took back already (as negative or positive amounts opposite
// to e's).
func (e Entry) Reversible(reversed int64) int64 { return e.Amount + reversed }

// Payout settles due entries of one direction and currency. Its amount is
// the sum of the entries; negative when money went back.
type Payout struct {
	ID         int64
	Payer      Side
	Amount     int64
	Currency   string
	PaidOn     string // YYYY-MM-DD
	Reference  string
	RecordedBy Actor
	CreatedAt  time.Time
	EntryIDs   []int64
}

// SettleCheck returns an error unless entries may be settled together by
// one payout: all due, one payer, one currency, at least one.
func SettleCheck(entries []Entry) (Side, string, int64, error) {
	if len(entries) == 0 {
		return "", "", 0, match.Invalid("some fields are not valid", map[string]string{"entry_ids": "must name at least one due entry"})
	}
	payer, currency := entries[0].Payer, entries[0].Currency
	var sum int64
	for _, e := range entries {
		switch {
		case e.Status != Due:
			return "", "", 0, match.Errorf(match.ECONFLICT, "entry %d is %s; only due entries can be paid (confirm it first)", e.ID, e.Status)
		case e.Payer != payer:
			return "", "", 0, match.Errorf(match.ECONFLICT, "entry %d is owed the other way; a payout goes one way", e.ID)
		case e.Currency != currency:
			return "", "", 0, match.Errorf(match.ECONFLICT, "entry %d is in %s, not %s; a payout is in one currency", e.ID, e.Currency, currency)
		}
		sum += e.Amount
	}
	return payer, currency, sum, nil
}
