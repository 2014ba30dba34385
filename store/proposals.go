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

// Proposals: the referral terms and the lane of a partnership change only
// when both sides agree (see partner.Proposal). Each step runs in one
// transaction that reads the partnership and the proposal there, so that
// an acceptance racing a lane change or an ending can never put terms in
// force in the wrong lane.

const proposalColumns = `id, partnership_id, kind, proposed_by, COALESCE(terms_kind, ''), COALESCE(basis_points, 0), COALESCE(flat_amount, 0),
	currency, COALESCE(payer, ''), recurring_months, COALESCE(lane, ''), reason, status, accepted_a, accepted_b, COALESCE(answers, 0),
	COALESCE(decided_by, ''), note, COALESCE(terms_id, 0), created_at, COALESCE(decided_at, '')`

func scanProposal(row rowScanner) (partner.Proposal, error) {
	var (
		p                partner.Proposal
		t                partner.Terms
		created, decided string
	)
	err := row.Scan(&p.ID, &p.PartnershipID, &p.Kind, &p.By, &t.Kind, &t.BasisPoints, &t.FlatAmount, &t.Currency, &t.Payer,
		&t.RecurringMonths, &p.Lane, &p.Reason, &p.Status, &p.AcceptedA, &p.AcceptedB, &p.Answers, &p.DecidedBy, &p.Note, &p.TermsID,
		&created, &decided)
	if errors.Is(err, sql.ErrNoRows) {
		return p, match.Errorf(match.ENOTFOUND, "proposal not found")
	}
	if err != nil {
		return p, err
	}
	if p.Kind == partner.ProposeTerms {
		t.SetBy = p.By
		p.Terms = &t
	}
	p.CreatedAt, _ = parseTime(created)
	if decided != "" {
		p.DecidedAt, _ = parseTime(decided)
	}
	return p, nil
}

// Proposals lists a partnership's proposals, newest first.
func (db *DB) Proposals(ctx context.Context, partnershipID int64) ([]partner.Proposal, error) {
	return queryAll(ctx, db.read, scanProposal, "SELECT "+proposalColumns+" FROM proposals WHERE partnership_id = ? ORDER BY id DESC", partnershipID)
}

// Proposal returns one proposal of a partnership, or ENOTFOUND.
func (db *DB) Proposal(ctx context.Context, partnershipID, id int64) (partner.Proposal, error) {
	return scanProposal(db.read.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE id = ? AND partnership_id = ?", id, partnershipID))
}

// Propose stores a new open proposal. The open one of the same kind, if
// any, ends in the same transaction: withdrawn when its proposer replaces
// it, countered when a side it waited for answers it (the new one then
// names it in Answers). The proposer's own side counts as agreed. It
// returns ECONFLICT when the partnership cannot take the change: terms
// outside an active referral partnership, a lane it is in already or an
// ended partnership.
func (db *DB) Propose(ctx context.Context, pr partner.Proposal) (partner.Proposal, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := partnershipByID(ctx, tx, pr.PartnershipID)
		if err != nil {
			return err
		}
		if err := canTake(p, pr); err != nil {
			return err
		}
		now := db.Now()
		open, err := scanProposal(tx.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE partnership_id = ? AND kind = ? AND status = 'open'", p.ID, string(pr.Kind)))
		switch {
		case err == nil:
			status, note := partner.ProposalCountered, "answered with a counter-proposal"
			if open.By == pr.By {
				status, note = partner.ProposalWithdrawn, "replaced by a newer proposal"
			} else {
				pr.Answers = open.ID
			}
			if err := closeProposal(ctx, tx, open.ID, status, pr.By, note, formatTime(now)); err != nil {
				return err
			}
		case match.ErrorCode(err) != match.ENOTFOUND:
			return err
		}
		var t partner.Terms
		if pr.Terms != nil {
			t = *pr.Terms
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO proposals (partnership_id, kind, proposed_by, terms_kind, basis_points, flat_amount, currency, payer,
			recurring_months, lane, reason, status, accepted_a, accepted_b, answers, created_at)
			VALUES (?, ?, ?, NULLIF(?, ''), NULLIF(?, 0), NULLIF(?, 0), ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?, 'open', ?, ?, NULLIF(?, 0), ?)`,
			p.ID, string(pr.Kind), string(pr.By), string(t.Kind), t.BasisPoints, t.FlatAmount, t.Currency, string(t.Payer),
			t.RecurringMonths, string(pr.Lane), pr.Reason, pr.By == partner.Actor(partner.A), pr.By == partner.Actor(partner.B), pr.Answers, formatTime(now))
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if err := touch(ctx, tx, p.ID, now); err != nil {
			return err
		}
		pr, err = scanProposal(tx.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE id = ?", id))
		return err
	})
	return pr, err
}

// canTake returns ECONFLICT unless partnership p can take the change pr
// proposes.
func canTake(p partner.Partnership, pr partner.Proposal) error {
	if pr.Kind == partner.ProposeLane {
		switch {
		case p.Status == partner.Ended:
			return match.Errorf(match.ECONFLICT, "this partnership has ended; its lane can no longer change")
		case p.Lane == pr.Lane:
			return match.Errorf(match.ECONFLICT, "this partnership is in the %s lane already", pr.Lane)
		}
		return nil
	}
	if err := p.RequireLane(partner.LaneReferral); err != nil {
		return err
	}
	return p.RequireOpen()
}

// Decide answers an open proposal of a partnership for actor: a side it
// waits for accepts or declines it, its proposer withdraws it (see
// partner.Proposal.CanDecide). The last acceptance puts the change in
// force in the same transaction: the terms, or the lane (whose move lapses
// any open proposal of terms when it leaves the referral lane).
func (db *DB) Decide(ctx context.Context, partnershipID, id int64, actor partner.Actor, d partner.Decision, note string) (partner.Proposal, error) {
	var pr partner.Proposal
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		pr, err = scanProposal(tx.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE id = ? AND partnership_id = ?", id, partnershipID))
		if err != nil {
			return err
		}
		if err := pr.CanDecide(actor, d); err != nil {
			return err
		}
		now := db.Now()
		at := formatTime(now)
		switch d {
		case partner.Withdraw:
			err = closeProposal(ctx, tx, id, partner.ProposalWithdrawn, actor, note, at)
		case partner.Decline:
			err = closeProposal(ctx, tx, id, partner.ProposalDeclined, actor, note, at)
		default:
			err = db.accept(ctx, tx, pr, partner.Side(actor), note, now)
		}
		if err != nil {
			return err
		}
		if err := touch(ctx, tx, partnershipID, now); err != nil {
			return err
		}
		pr, err = scanProposal(tx.QueryRowContext(ctx, "SELECT "+proposalColumns+" FROM proposals WHERE id = ?", id))
		return err
	})
	return pr, err
}

// accept records side's agreement to the open proposal pr inside tx, and
// puts it in force when no side is left to agree.
func (db *DB) accept(ctx context.Context, tx *sql.Tx, pr partner.Proposal, side partner.Side, note string, now time.Time) error {
	if err := agree(ctx, tx, "proposals", pr.ID, side, &pr.Consent); err != nil {
		return err
	}
	if len(pr.Waiting()) > 0 {
		return nil
	}
	p, err := partnershipByID(ctx, tx, pr.PartnershipID)
	if err != nil {
		return err
	}
	if err := canTake(p, pr); err != nil {
		return err
	}
	reason := agreedReason(pr)
	termsID := int64(0)
	if pr.Kind == partner.ProposeTerms {
		t, err := insertTerms(ctx, tx, p.ID, *pr.Terms, now, partner.Actor(side), reason)
		if err != nil {
			return err
		}
		termsID = t.ID
	} else {
		if err := moveLane(ctx, tx, p, pr.Lane, now, partner.Actor(side), reason); err != nil {
			return err
		}
		if pr.Lane != partner.LaneReferral {
			if _, err := tx.ExecContext(ctx, `UPDATE proposals SET status = 'lapsed', note = 'the partnership left the referral lane', decided_at = ?
				WHERE partnership_id = ? AND kind = 'terms' AND status = 'open'`, formatTime(now), p.ID); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, "UPDATE proposals SET status = 'accepted', decided_by = ?, note = ?, terms_id = NULLIF(?, 0), decided_at = ? WHERE id = ?",
		string(side), note, termsID, formatTime(now), pr.ID)
	return err
}

// agreedReason is what the history keeps of how a proposal came into
// force: who proposed it and why.
func agreedReason(pr partner.Proposal) string {
	who := "the host"
	if pr.By != partner.Host {
		who = "side " + strings.ToUpper(string(pr.By))
	}
	s := fmt.Sprintf("proposed by %s, agreed by both sides", who)
	if pr.Reason != "" {
		s += ": " + pr.Reason
	}
	return s
}

// agree records inside tx that side agrees to row id of table (proposals
// or partnership_offers, a constant), whose consent c follows.
func agree(ctx context.Context, tx *sql.Tx, table string, id int64, side partner.Side, c *partner.Consent) error {
	column := "accepted_a"
	if side == partner.B {
		column = "accepted_b"
	}
	if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+column+" = 1 WHERE id = ?", id); err != nil {
		return err
	}
	c.Accept(side)
	return nil
}

func closeProposal(ctx context.Context, tx *sql.Tx, id int64, status partner.ProposalStatus, by partner.Actor, note, at string) error {
	_, err := tx.ExecContext(ctx, "UPDATE proposals SET status = ?, decided_by = ?, note = ?, decided_at = ? WHERE id = ?",
		string(status), string(by), note, at, id)
	return err
}

// lapseProposals closes a partnership's open proposals inside tx when it
// ends: nothing can come into force any more.
func lapseProposals(ctx context.Context, tx *sql.Tx, partnershipID int64, at string) error {
	_, err := tx.ExecContext(ctx, "UPDATE proposals SET status = 'lapsed', note = 'the partnership ended', decided_at = ? WHERE partnership_id = ? AND status = 'open'",
		at, partnershipID)
	return err
}
