package app

import (
	"context"
	"strconv"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The referral lane: terms, referrals, the commission ledger and payouts.

// referralPartnership reads a partnership for who and checks its referral
// records may be read.
func (a *App) referralPartnership(ctx context.Context, who Who, id int64) (partner.Partnership, partner.Actor, partner.Side, error) {
	p, actor, side, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return p, actor, side, err
	}
	return p, actor, side, a.readableIn(ctx, p, partner.LaneReferral)
}

// Terms returns every version of a partnership's terms, newest first (the
// first is in force).
func (a *App) Terms(ctx context.Context, who Who, id int64) ([]partner.Terms, error) {
	if _, _, _, err := a.referralPartnership(ctx, who, id); err != nil {
		return nil, err
	}
	return a.Store.Terms(ctx, id)
}

// termsOf reads proposed terms, validated with their proposal: a
// percentage of each sale, or a flat fee per won sale.
func termsOf(in partner.TermsInput) (partner.Terms, error) {
	t := partner.Terms{Kind: partner.TermsKind(in.Kind), Payer: partner.Owner(in.Payer), RecurringMonths: in.RecurringMonths, Currency: in.Currency}
	if t.Kind == partner.PercentOfSale {
		bp, err := partner.ParsePercent(in.Percent)
		if err != nil {
			return partner.Terms{}, err
		}
		t.BasisPoints = bp
		return t, nil
	}
	if err := partner.CheckAmount("flat_fee.amount", in.FlatFee.Amount, true); err != nil {
		return partner.Terms{}, err
	}
	t.FlatAmount, t.Currency = in.FlatFee.Amount, in.FlatFee.Currency
	return t, nil
}

// Referrals returns a partnership's referrals, newest first.
func (a *App) Referrals(ctx context.Context, who Who, id int64) ([]partner.Referral, error) {
	if _, _, _, err := a.referralPartnership(ctx, who, id); err != nil {
		return nil, err
	}
	return a.Store.Referrals(ctx, id)
}

// AddReferral records a lead the caller's side passes to the other; the
// host says which side referred.
func (a *App) AddReferral(ctx context.Context, who Who, id int64, in partner.ReferralInput) (partner.Referral, error) {
	if err := match.Validate(in); err != nil {
		return partner.Referral{}, err
	}
	p, _, side, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return partner.Referral{}, err
	}
	if side, err = sideFor(who, side, in.From, "from", "which side referred the lead"); err != nil {
		return partner.Referral{}, err
	}
	// The other side's notice (unless they turned it off) is stored with
	// the referral.
	to, from := p.Party(side.Other()), p.Party(side)
	n, err := a.prepareNotice(ctx, to.Email, "referral", "referral", from.Business+" referred "+in.LeadName+" to you",
		from.Business+" referred the lead "+in.LeadName+" to you", a.partnershipLink(p.ID),
		map[string]any{"From": from.Business, "Lead": in.LeadName, "Company": in.Company, "Note": in.Note})
	if err != nil {
		return partner.Referral{}, err
	}
	r, err := a.Store.AddReferral(n.owedBy(ctx), id, partner.Referral{From: side, LeadName: in.LeadName, Company: in.Company, Note: in.Note})
	if err != nil {
		return r, err
	}
	if err := a.keepNotice(ctx, n, true); err != nil {
		a.Log.Error("notice", "kind", "referral", "err", err)
	}
	return r, nil
}

// UpdateReferral moves a referral on. The side that received the lead
// says how it went (or the host): the referring side cannot declare its
// own sale won. A win creates its commission under the terms in force.
func (a *App) UpdateReferral(ctx context.Context, who Who, id, referralID int64, in partner.ReferralUpdate) (partner.Referral, []partner.Entry, error) {
	if err := match.Validate(in); err != nil {
		return partner.Referral{}, nil, err
	}
	if in.Sale != nil {
		if err := partner.CheckAmount("sale.amount", in.Sale.Amount, true); err != nil {
			return partner.Referral{}, nil, err
		}
	}
	p, actor, side, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return partner.Referral{}, nil, err
	}
	r, err := a.Store.Referral(ctx, id, referralID)
	if err != nil {
		return r, nil, err
	}
	if !who.Host && r.From == side {
		return partner.Referral{}, nil, match.Errorf(match.EFORBIDDEN, "the side that received the referral says how it went")
	}
	r, entries, err := a.Store.UpdateReferral(ctx, id, referralID, partner.ReferralStatus(in.Status), in.Sale, in.Note, actor)
	if err != nil {
		return r, entries, err
	}
	what := "marked the lead " + r.LeadName + " " + in.Status
	if in.Sale != nil {
		what += ", a sale of " + in.Sale.String()
	}
	a.notify(ctx, p, actor, "referral", what)
	return r, entries, nil
}

// Ledger returns a partnership's ledger entries and payouts.
func (a *App) Ledger(ctx context.Context, who Who, id int64) ([]partner.Entry, []partner.Payout, error) {
	if _, _, _, err := a.referralPartnership(ctx, who, id); err != nil {
		return nil, nil, err
	}
	return a.Store.Ledger(ctx, id)
}

// ConfirmEntry moves a pending entry to due. The side the entry costs
// confirms it (the payer for a commission, the payee for a reversal), or
// the host.
func (a *App) ConfirmEntry(ctx context.Context, who Who, id, entryID int64) (partner.Entry, error) {
	p, actor, side, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return partner.Entry{}, err
	}
	e, err := a.Store.Entry(ctx, id, entryID)
	if err != nil {
		return e, err
	}
	if !who.Host && e.Confirmer() != side {
		return partner.Entry{}, match.Errorf(match.EFORBIDDEN, "the side this entry costs confirms it (side %s)", e.Confirmer())
	}
	e, err = a.Store.ConfirmEntry(ctx, id, entryID)
	if err != nil {
		return e, err
	}
	a.notify(ctx, p, actor, "ledger", "confirmed an entry of "+partner.Money{Amount: e.Amount, Currency: e.Currency}.String()+": it is due")
	return e, nil
}

// Reverse takes back an entry in part or whole: a refund, or a mistake. It
// is a new entry, pending until the side it costs confirms it.
func (a *App) Reverse(ctx context.Context, who Who, id, entryID int64, in partner.ReversalInput) (partner.Entry, error) {
	if err := match.Validate(in); err != nil {
		return partner.Entry{}, err
	}
	var amount int64
	if in.Amount != nil {
		if err := partner.CheckAmount("amount", *in.Amount, false); err != nil {
			return partner.Entry{}, err
		}
		amount = *in.Amount
	}
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return partner.Entry{}, err
	}
	e, err := a.Store.Reverse(ctx, id, entryID, amount, in.Reason, actor)
	if err != nil {
		return e, err
	}
	a.notify(ctx, p, actor, "ledger", "reversed "+partner.Money{Amount: -e.Amount, Currency: e.Currency}.String()+withReason(in.Reason))
	return e, nil
}

// AddCorrection adds a correction entry, pending until the side it costs
// confirms it.
func (a *App) AddCorrection(ctx context.Context, who Who, id int64, in partner.CorrectionInput) (partner.Entry, error) {
	if err := match.Validate(in); err != nil {
		return partner.Entry{}, err
	}
	if err := partner.CheckAmount("amount.amount", in.Amount.Amount, false); err != nil {
		return partner.Entry{}, err
	}
	p, actor, _, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return partner.Entry{}, err
	}
	var referralID int64
	if in.ReferralID != nil {
		referralID = *in.ReferralID
	}
	e, err := a.Store.AddCorrection(ctx, id, partner.Entry{ReferralID: referralID, Payer: partner.Side(in.Payer), Amount: in.Amount.Amount,
		Currency: in.Amount.Currency, Reason: in.Reason, CreatedBy: actor})
	if err != nil {
		return e, err
	}
	a.notify(ctx, p, actor, "ledger", "added a correction of "+in.Amount.String()+withReason(in.Reason))
	return e, nil
}

// RecordPayout records a payment settling due entries. The side that paid
// records it — the payer, or for money owed back the payee — or the host.
func (a *App) RecordPayout(ctx context.Context, who Who, id int64, in partner.PayoutInput) (partner.Payout, error) {
	if err := match.Validate(in); err != nil {
		return partner.Payout{}, err
	}
	p, actor, side, err := a.inLane(ctx, who, id, partner.LaneReferral)
	if err != nil {
		return partner.Payout{}, err
	}
	payout, err := a.Store.RecordPayout(ctx, id, in.EntryIDs, in.PaidOn, in.Reference, actor, func(payer partner.Side, amount int64) error {
		paying := payer
		if amount < 0 {
			paying = payer.Other()
		}
		if !who.Host && side != paying {
			return match.Errorf(match.EFORBIDDEN, "the side that pays records the payout (side %s)", paying)
		}
		return nil
	})
	if err != nil {
		return payout, err
	}
	a.notify(ctx, p, actor, "ledger", "recorded a payout of "+partner.Money{Amount: payout.Amount, Currency: payout.Currency}.String()+" on "+in.PaidOn)
	return payout, nil
}

// Statement returns a referral partnership's statement for a quarter ("" for
// all time), with the partnership for its names.
func (a *App) Statement(ctx context.Context, who Who, id int64, quarter match.Quarter) (partner.Partnership, partner.Statement, error) {
	p, _, _, err := a.referralPartnership(ctx, who, id)
	if err != nil {
		return p, partner.Statement{}, err
	}
	entries, payouts, err := a.Store.Ledger(ctx, id)
	if err != nil {
		return p, partner.Statement{}, err
	}
	return p, partner.NewStatement(quarter, entries, payouts), nil
}

func (a *App) partnershipLink(id int64) string {
	return a.baseURL + "/app/partnerships/" + strconv.FormatInt(id, 10)
}

// Money is the referral program's money for the host (every partnership
// that has a ledger) or a member (their own): each partnership's totals
// for quarter ("" for all time), and their sums by currency, overall and
// by quarter.
func (a *App) Money(ctx context.Context, who Who, quarter match.Quarter) (partner.Program, error) {
	list, err := a.Partnerships(ctx, who, domain.PartnershipFilter{})
	if err != nil {
		return partner.Program{}, err
	}
	lines, periods := []partner.ProgramLine{}, []match.Quarter{}
	for _, p := range list {
		entries, payouts, err := a.Store.Ledger(ctx, p.ID)
		if err != nil {
			return partner.Program{}, err
		}
		if len(entries) == 0 && len(payouts) == 0 {
			continue // no money moved: a strategic partnership, or terms without a won sale yet
		}
		lines = append(lines, partner.ProgramLine{Partnership: p, Statement: partner.NewStatement(quarter, entries, payouts)})
		periods = partner.PeriodsOf(periods, entries, payouts)
	}
	return partner.NewProgram(quarter, lines, periods), nil
}
