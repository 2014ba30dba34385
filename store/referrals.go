package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The referral lane: terms, referrals, and the ledger of commissions and
// payouts. Ledger rows are never edited or deleted (triggers refuse it);
// only their settlement moves forward, pending → due → paid.

var referral = requirement{lane: partner.LaneReferral}

// newReferral is the requirement of new referral work.
var newReferral = requirement{lane: partner.LaneReferral, open: true}

const termsColumns = "id, kind, COALESCE(basis_points, 0), COALESCE(flat_amount, 0), currency, payer, recurring_months, effective_at, set_by"

func scanTerms(row rowScanner) (partner.Terms, error) {
	var (
		t         partner.Terms
		effective string
	)
	err := row.Scan(&t.ID, &t.Kind, &t.BasisPoints, &t.FlatAmount, &t.Currency, &t.Payer, &t.RecurringMonths, &effective, &t.SetBy)
	if errors.Is(err, sql.ErrNoRows) {
		return t, match.Errorf(match.ENOTFOUND, "no terms yet")
	}
	t.EffectiveAt, _ = parseTime(effective)
	return t, err
}

const referralColumns = "id, from_side, lead_name, company, note, status, sale_amount, COALESCE(sale_currency, ''), COALESCE(terms_id, 0), COALESCE(decided_at, ''), created_at, updated_at"

func scanReferral(row rowScanner) (partner.Referral, error) {
	var (
		r                         partner.Referral
		sale                      sql.NullInt64
		currency                  string
		decided, created, updated string
	)
	err := row.Scan(&r.ID, &r.From, &r.LeadName, &r.Company, &r.Note, &r.Status, &sale, &currency, &r.TermsID, &decided, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, match.Errorf(match.ENOTFOUND, "referral not found")
	}
	if sale.Valid {
		r.Sale = &partner.Money{Amount: sale.Int64, Currency: currency}
	}
	if decided != "" {
		r.DecidedAt, _ = parseTime(decided)
	}
	r.CreatedAt, _ = parseTime(created)
	r.UpdatedAt, _ = parseTime(updated)
	return r, err
}

const entryColumns = "id, kind, COALESCE(referral_id, 0), COALESCE(terms_id, 0), COALESCE(reverses_id, 0), payer, amount, currency, accrues_on, reason, status, created_by, created_at, COALESCE(confirmed_at, ''), COALESCE(payout_id, 0)"

func scanEntry(row rowScanner) (partner.Entry, error) {
	var (
		e                  partner.Entry
		created, confirmed string
	)
	err := row.Scan(&e.ID, &e.Kind, &e.ReferralID, &e.TermsID, &e.ReversesID, &e.Payer, &e.Amount, &e.Currency, &e.AccruesOn, &e.Reason,
		&e.Status, &e.CreatedBy, &created, &confirmed, &e.PayoutID)
	if errors.Is(err, sql.ErrNoRows) {
		return e, match.Errorf(match.ENOTFOUND, "ledger entry not found")
	}
	e.CreatedAt, _ = parseTime(created)
	if confirmed != "" {
		e.ConfirmedAt, _ = parseTime(confirmed)
	}
	return e, err
}

const payoutColumns = "id, payer, amount, currency, paid_on, reference, recorded_by, created_at"

func scanPayout(row rowScanner) (partner.Payout, error) {
	var (
		p       partner.Payout
		created string
	)
	err := row.Scan(&p.ID, &p.Payer, &p.Amount, &p.Currency, &p.PaidOn, &p.Reference, &p.RecordedBy, &created)
	p.CreatedAt, _ = parseTime(created)
	return p, err
}

func currentTerms(ctx context.Context, q querier, partnershipID int64) (partner.Terms, error) {
	return scanTerms(q.QueryRowContext(ctx, "SELECT "+termsColumns+" FROM referral_terms WHERE partnership_id = ? ORDER BY id DESC LIMIT 1", partnershipID))
}

// insertTerms puts new terms in force for an active referral partnership,
// from now on, inside tx, and records in the history that actor agreed to
// them (reason says how). Referrals won earlier keep the terms they were
// won under. Terms change only by an accepted proposal (see Propose).
func insertTerms(ctx context.Context, tx *sql.Tx, partnershipID int64, t partner.Terms, now time.Time, actor partner.Actor, reason string) (partner.Terms, error) {
	if err := checkPartnership(ctx, tx, partnershipID, newReferral); err != nil {
		return t, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO referral_terms (partnership_id, kind, basis_points, flat_amount, currency, payer, recurring_months, effective_at, set_by)
		VALUES (?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?, ?)`,
		partnershipID, string(t.Kind), t.BasisPoints, t.FlatAmount, t.Currency, string(t.Payer), t.RecurringMonths, formatTime(now), string(t.SetBy))
	if err != nil {
		return t, err
	}
	id, _ := res.LastInsertId()
	if t, err = scanTerms(tx.QueryRowContext(ctx, "SELECT "+termsColumns+" FROM referral_terms WHERE id = ?", id)); err != nil {
		return t, err
	}
	if err := addEvent(ctx, tx, partnershipID, now, actor, partner.EventTerms, "", describeTerms(t), reason); err != nil {
		return t, err
	}
	return t, touch(ctx, tx, partnershipID, now)
}

// describeTerms writes terms for the history: "10% of each sale, paid by b".
func describeTerms(t partner.Terms) string {
	var s string
	if t.Kind == partner.FlatFee {
		s = partner.Money{Amount: t.FlatAmount, Currency: t.Currency}.String() + " per won sale"
	} else {
		s = partner.FormatPercent(t.BasisPoints) + "% of each sale in " + t.Currency
	}
	if t.RecurringMonths > 0 {
		s += fmt.Sprintf(", monthly for %d months", t.RecurringMonths)
	}
	return s + ", paid by " + string(t.Payer)
}

// Terms returns every version of a partnership's terms, newest first.
func (db *DB) Terms(ctx context.Context, partnershipID int64) ([]partner.Terms, error) {
	return queryAll(ctx, db.read, scanTerms, "SELECT "+termsColumns+" FROM referral_terms WHERE partnership_id = ? ORDER BY id DESC", partnershipID)
}

// AddReferral records a lead passed by one side to the other.
func (db *DB) AddReferral(ctx context.Context, partnershipID int64, r partner.Referral) (partner.Referral, error) {
	return addRecord(ctx, db, partnershipID, newReferral, "referrals", referralColumns, scanReferral, func(tx *sql.Tx, now string) (sql.Result, error) {
		return tx.ExecContext(ctx, `INSERT INTO referrals (partnership_id, from_side, lead_name, company, note, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, partnershipID, string(r.From), r.LeadName, r.Company, r.Note, string(partner.Submitted), now, now)
	})
}

// Referral returns one referral of a partnership, or ENOTFOUND.
func (db *DB) Referral(ctx context.Context, partnershipID, id int64) (partner.Referral, error) {
	return scanReferral(db.read.QueryRowContext(ctx, "SELECT "+referralColumns+" FROM referrals WHERE id = ? AND partnership_id = ?", id, partnershipID))
}

// Referrals returns a partnership's referrals, newest first.
func (db *DB) Referrals(ctx context.Context, partnershipID int64) ([]partner.Referral, error) {
	return queryAll(ctx, db.read, scanReferral, "SELECT "+referralColumns+" FROM referrals WHERE partnership_id = ? ORDER BY id DESC", partnershipID)
}

// UpdateReferral moves a referral to status. Winning it records the sale
// and, in the same transaction, the commission owed under the terms in
// force at that moment (one entry per installment for recurring terms),
// when those terms make the receiving side pay. It returns ECONFLICT for a
// move partner.ReferralStatus.CanBecome refuses, or a win without terms.
// A referral passed before a partnership paused or ended can still be won.
func (db *DB) UpdateReferral(ctx context.Context, partnershipID, id int64, to partner.ReferralStatus, sale *partner.Money, note *string, actor partner.Actor) (partner.Referral, []partner.Entry, error) {
	var (
		r       partner.Referral
		entries []partner.Entry
	)
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, entries, err = updateReferral(ctx, tx, partnershipID, id, to, sale, note, actor, db.Now())
		return err
	})
	return r, entries, err
}

// updateReferral is UpdateReferral in the caller's transaction.
func updateReferral(ctx context.Context, tx *sql.Tx, partnershipID, id int64, to partner.ReferralStatus, sale *partner.Money, note *string, actor partner.Actor, now time.Time) (partner.Referral, []partner.Entry, error) {
	var entries []partner.Entry
	if err := checkPartnership(ctx, tx, partnershipID, referral); err != nil {
		return partner.Referral{}, nil, err
	}
	r, err := scanReferral(tx.QueryRowContext(ctx, "SELECT "+referralColumns+" FROM referrals WHERE id = ? AND partnership_id = ?", id, partnershipID))
	if err != nil {
		return r, nil, err
	}
	if !r.Status.CanBecome(to) {
		return r, nil, match.Errorf(match.ECONFLICT, "a referral that is %s cannot become %s", r.Status, to)
	}
	if note != nil {
		r.Note = *note
	}
	r.Status, r.UpdatedAt = to, now
	if to == partner.Won || to == partner.Lost {
		r.DecidedAt = now
	}
	if to == partner.Won {
		terms, err := currentTerms(ctx, tx, partnershipID)
		if errors.Is(err, match.ErrNotFound) {
			return r, nil, match.Errorf(match.ECONFLICT, "this partnership has no referral terms yet; agree on terms first, so the commission can be worked out")
		} else if err != nil {
			return r, nil, err
		}
		amount, err := terms.Commission(*sale)
		if err != nil {
			return r, nil, err
		}
		r.Sale, r.TermsID = sale, terms.ID
		receiving := r.From.Other()
		if terms.Pays(receiving) {
			for i, on := range terms.Installments(now) {
				reason := "commission on " + r.LeadName
				if terms.RecurringMonths > 0 {
					reason += fmt.Sprintf(" (month %d of %d)", i+1, terms.RecurringMonths)
				}
				e, err := insertEntry(ctx, tx, partnershipID, partner.Entry{Kind: partner.CommissionEntry, ReferralID: r.ID, TermsID: terms.ID,
					Payer: receiving, Amount: amount, Currency: terms.Currency, AccruesOn: on, Reason: reason, CreatedBy: actor}, now)
				if err != nil {
					return r, nil, err
				}
				entries = append(entries, e)
			}
		}
	}
	var saleAmount any
	var saleCurrency any
	if r.Sale != nil {
		saleAmount, saleCurrency = r.Sale.Amount, r.Sale.Currency
	}
	decided := ""
	if !r.DecidedAt.IsZero() {
		decided = formatTime(r.DecidedAt)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE referrals SET status = ?, note = ?, sale_amount = ?, sale_currency = ?, terms_id = NULLIF(?, 0), decided_at = NULLIF(?, ''), updated_at = ? WHERE id = ?`,
		string(r.Status), r.Note, saleAmount, saleCurrency, r.TermsID, decided, formatTime(now), r.ID); err != nil {
		return r, nil, err
	}
	return r, entries, touch(ctx, tx, partnershipID, now)
}

func insertEntry(ctx context.Context, tx *sql.Tx, partnershipID int64, e partner.Entry, now time.Time) (partner.Entry, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO ledger_entries (partnership_id, referral_id, terms_id, kind, reverses_id, payer, amount, currency, accrues_on, reason, status, created_by, created_at)
		VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?)`,
		partnershipID, e.ReferralID, e.TermsID, string(e.Kind), e.ReversesID, string(e.Payer), e.Amount, e.Currency, e.AccruesOn, e.Reason,
		string(partner.Pending), string(e.CreatedBy), formatTime(now))
	if err != nil {
		return partner.Entry{}, err
	}
	id, _ := res.LastInsertId()
	return scanEntry(tx.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM ledger_entries WHERE id = ?", id))
}

// Entry returns one ledger entry of a partnership, or ENOTFOUND.
func (db *DB) Entry(ctx context.Context, partnershipID, id int64) (partner.Entry, error) {
	return scanEntry(db.read.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM ledger_entries WHERE id = ? AND partnership_id = ?", id, partnershipID))
}

// Ledger returns a partnership's entries and payouts, oldest first, read in
// one transaction so that they agree with each other.
func (db *DB) Ledger(ctx context.Context, partnershipID int64) ([]partner.Entry, []partner.Payout, error) {
	type ledger struct {
		entries []partner.Entry
		payouts []partner.Payout
	}
	l, err := inSnapshot(ctx, db, func(tx *sql.Tx) (ledger, error) {
		entries, err := queryAll(ctx, tx, scanEntry, "SELECT "+entryColumns+" FROM ledger_entries WHERE partnership_id = ? ORDER BY accrues_on, id", partnershipID)
		if err != nil {
			return ledger{}, err
		}
		payouts, err := queryAll(ctx, tx, scanPayout, "SELECT "+payoutColumns+" FROM payouts WHERE partnership_id = ? ORDER BY paid_on, id", partnershipID)
		if err != nil {
			return ledger{}, err
		}
		byPayout := map[int64]*partner.Payout{}
		for i := range payouts {
			payouts[i].EntryIDs = []int64{}
			byPayout[payouts[i].ID] = &payouts[i]
		}
		for _, e := range entries {
			if p := byPayout[e.PayoutID]; p != nil {
				p.EntryIDs = append(p.EntryIDs, e.ID)
			}
		}
		return ledger{entries, payouts}, nil
	})
	return l.entries, l.payouts, err
}

// ConfirmEntry moves a pending entry to due. The caller checks that the
// confirming side is the one the entry costs. It returns ECONFLICT when the
// entry is not pending.
func (db *DB) ConfirmEntry(ctx context.Context, partnershipID, id int64) (partner.Entry, error) {
	var e partner.Entry
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, referral); err != nil {
			return err
		}
		now := db.Now()
		res, err := tx.ExecContext(ctx, "UPDATE ledger_entries SET status = 'due', confirmed_at = ? WHERE id = ? AND partnership_id = ? AND status = 'pending'",
			formatTime(now), id, partnershipID)
		if err != nil {
			return err
		}
		if e, err = scanEntry(tx.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM ledger_entries WHERE id = ? AND partnership_id = ?", id, partnershipID)); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return match.Errorf(match.ECONFLICT, "this entry is %s; only a pending entry can be confirmed", e.Status)
		}
		return touch(ctx, tx, partnershipID, now)
	})
	return e, err
}

// Reverse adds a reversing entry taking back amount of entry id (all that
// remains when amount is 0), for a refund or a mistake. It returns
// EINVALID when that is more than remains to reverse, and ECONFLICT for a
// reversal (correct it with a correction instead).
func (db *DB) Reverse(ctx context.Context, partnershipID, id, amount int64, reason string, actor partner.Actor) (partner.Entry, error) {
	var rev partner.Entry
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		rev, err = reverse(ctx, tx, partnershipID, id, amount, reason, actor, db.Now())
		return err
	})
	return rev, err
}

// reverse is Reverse in the caller's transaction.
func reverse(ctx context.Context, tx *sql.Tx, partnershipID, id, amount int64, reason string, actor partner.Actor, now time.Time) (partner.Entry, error) {
	if err := checkPartnership(ctx, tx, partnershipID, referral); err != nil {
		return partner.Entry{}, err
	}
	orig, err := scanEntry(tx.QueryRowContext(ctx, "SELECT "+entryColumns+" FROM ledger_entries WHERE id = ? AND partnership_id = ?", id, partnershipID))
	if err != nil {
		return partner.Entry{}, err
	}
	if orig.Kind == partner.ReversalEntry {
		return partner.Entry{}, match.Errorf(match.ECONFLICT, "a reversal cannot be reversed; add a correction instead")
	}
	var reversed int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(sum(amount), 0) FROM ledger_entries WHERE reverses_id = ?", id).Scan(&reversed); err != nil {
		return partner.Entry{}, err
	}
	left := orig.Reversible(reversed)
	if amount == 0 {
		amount = left
	}
	if left == 0 {
		return partner.Entry{}, match.Errorf(match.ECONFLICT, "entry %d is fully reversed already", id)
	}
	if (amount > 0) != (left > 0) || abs(amount) > abs(left) {
		return partner.Entry{}, match.Invalid("some fields are not valid", map[string]string{"amount": fmt.Sprintf("must be between 1 and %d minor units, the part of entry %d not reversed yet", abs(left), id)})
	}
	rev, err := insertEntry(ctx, tx, partnershipID, partner.Entry{Kind: partner.ReversalEntry, ReferralID: orig.ReferralID, TermsID: orig.TermsID, ReversesID: orig.ID,
		Payer: orig.Payer, Amount: -amount, Currency: orig.Currency, AccruesOn: partner.Today(now), Reason: reason, CreatedBy: actor}, now)
	if err != nil {
		return partner.Entry{}, err
	}
	return rev, touch(ctx, tx, partnershipID, now)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// AddCorrection adds a correction entry: any other adjustment of what one
// side owes the other, up (positive) or down (negative).
func (db *DB) AddCorrection(ctx context.Context, partnershipID int64, e partner.Entry) (partner.Entry, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, referral); err != nil {
			return err
		}
		if e.ReferralID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM referrals WHERE id = ? AND partnership_id = ?", e.ReferralID, partnershipID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return match.Invalid("some fields are not valid", map[string]string{"referral_id": "is not a referral of this partnership"})
			}
		}
		now := db.Now()
		e.Kind, e.AccruesOn = partner.CorrectionEntry, partner.Today(now)
		var err error
		if e, err = insertEntry(ctx, tx, partnershipID, e, now); err != nil {
			return err
		}
		return touch(ctx, tx, partnershipID, now)
	})
	return e, err
}

// RecordPayout records a payment settling due entries (see
// partner.SettleCheck) and marks them paid, in one transaction. allowed
// says whether the caller may record a payout of that payer and net
// amount; it runs inside the transaction, on the entries as they are.
func (db *DB) RecordPayout(ctx context.Context, partnershipID int64, entryIDs []int64, paidOn, reference string, actor partner.Actor,
	allowed func(payer partner.Side, amount int64) error) (partner.Payout, error) {
	var p partner.Payout
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPartnership(ctx, tx, partnershipID, referral); err != nil {
			return err
		}
		if len(entryIDs) == 0 {
			_, _, _, err := partner.SettleCheck(nil) // says that one entry at least is needed
			return err
		}
		in := "(?" + strings.Repeat(", ?", len(entryIDs)-1) + ")"
		args := []any{partnershipID}
		seen := map[int64]bool{}
		for _, id := range entryIDs {
			if seen[id] {
				return match.Invalid("some fields are not valid", map[string]string{"entry_ids": fmt.Sprintf("names entry %d twice", id)})
			}
			seen[id] = true
			args = append(args, id)
		}
		entries, err := queryAll(ctx, tx, scanEntry, "SELECT "+entryColumns+" FROM ledger_entries WHERE partnership_id = ? AND id IN "+in, args...)
		if err != nil {
			return err
		}
		if len(entries) != len(entryIDs) {
			return match.Errorf(match.ENOTFOUND, "some entries are not in this partnership's ledger")
		}
		payer, currency, amount, err := partner.SettleCheck(entries)
		if err != nil {
			return err
		}
		if err := allowed(payer, amount); err != nil {
			return err
		}
		now := db.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO payouts (partnership_id, payer, amount, currency, paid_on, reference, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, partnershipID, string(payer), amount, currency, paidOn, reference, string(actor), formatTime(now))
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if _, err := tx.ExecContext(ctx, "UPDATE ledger_entries SET status = 'paid', payout_id = ? WHERE partnership_id = ? AND id IN "+in,
			append([]any{id}, args...)...); err != nil {
			return err
		}
		if p, err = scanPayout(tx.QueryRowContext(ctx, "SELECT "+payoutColumns+" FROM payouts WHERE id = ?", id)); err != nil {
			return err
		}
		p.EntryIDs = entryIDs
		return touch(ctx, tx, partnershipID, now)
	})
	return p, err
}
