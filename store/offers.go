package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// Offers: partnerships the host offers two members (see partner.Offer).
// The last acceptance starts the partnership in the same transaction.

const offerColumns = `id, COALESCE(introduction_id, 0), lane, COALESCE(started_on, ''), note, COALESCE(post_a, 0), COALESCE(post_b, 0), email_a, email_b,
	business_a, business_b, status, accepted_a, accepted_b, COALESCE(decided_by, ''), answer, COALESCE(partnership_id, 0), created_at, COALESCE(decided_at, '')`

// offerRow is an offer and the day its partnership is to start ("" for the
// day it is accepted).
type offerRow struct {
	partner.Offer
	startedOn string
}

func scanOfferRow(row rowScanner) (offerRow, error) {
	var (
		o                offerRow
		created, decided string
	)
	err := row.Scan(&o.ID, &o.IntroductionID, &o.Lane, &o.startedOn, &o.Note, &o.A.PostID, &o.B.PostID, &o.A.Email, &o.B.Email,
		&o.A.Business, &o.B.Business, &o.Status, &o.AcceptedA, &o.AcceptedB, &o.DecidedBy, &o.Answer, &o.PartnershipID, &created, &decided)
	if errors.Is(err, sql.ErrNoRows) {
		return o, match.Errorf(match.ENOTFOUND, "offer not found")
	}
	if err != nil {
		return o, err
	}
	o.CreatedAt, _ = parseTime(created)
	if decided != "" {
		o.DecidedAt, _ = parseTime(decided)
	}
	return o, nil
}

func scanOffer(row rowScanner) (partner.Offer, error) {
	o, err := scanOfferRow(row)
	return o.Offer, err
}

// CreateOffer stores the host's offer of partnership p (its lane, sides,
// introduction and start day), with a note for both. It returns ECONFLICT
// when the two businesses already have an open offer, or a partnership
// that has not ended.
func (db *DB) CreateOffer(ctx context.Context, p partner.Partnership, note string) (partner.Offer, error) {
	var o partner.Offer
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM partnerships WHERE status <> 'ended'
			AND min(email_a, email_b) = min(?, ?) AND max(email_a, email_b) = max(?, ?)`, p.A.Email, p.B.Email, p.A.Email, p.B.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return match.Errorf(match.ECONFLICT, "these two businesses already have a partnership")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO partnership_offers (introduction_id, lane, started_on, note, post_a, post_b, email_a, email_b, business_a, business_b, status, created_at)
			VALUES (NULLIF(?, 0), ?, NULLIF(?, ''), ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?, 'open', ?)`,
			p.IntroductionID, string(p.Lane), p.StartedOn, note, p.A.PostID, p.B.PostID, p.A.Email, p.B.Email, p.A.Business, p.B.Business, formatTime(db.Now()))
		if err != nil {
			return translate(err, "these two businesses have an open offer already")
		}
		id, _ := res.LastInsertId()
		o, err = scanOffer(tx.QueryRowContext(ctx, "SELECT "+offerColumns+" FROM partnership_offers WHERE id = ?", id))
		return err
	})
	return o, err
}

// Offer returns one offer, or ENOTFOUND.
func (db *DB) Offer(ctx context.Context, id int64) (partner.Offer, error) {
	return scanOffer(db.read.QueryRowContext(ctx, "SELECT "+offerColumns+" FROM partnership_offers WHERE id = ?", id))
}

// Offers lists offers, newest first: an address's own when f.Email is
// set, of one status when f.Status is.
func (db *DB) Offers(ctx context.Context, f domain.OfferFilter) ([]partner.Offer, error) {
	query := "SELECT " + offerColumns + " FROM partnership_offers WHERE 1 = 1"
	var args []any
	if f.Email != "" {
		query += " AND (email_a = ? OR email_b = ?)"
		args = append(args, f.Email, f.Email)
	}
	if f.Status != "" {
		query += " AND status = ?"
		args = append(args, string(f.Status))
	}
	return queryAll(ctx, db.read.DB, scanOffer, query+" ORDER BY id DESC", args...) // built per filter: unprepared (see reader)
}

// DecideOffer answers an open offer for actor (see partner.Offer.CanDecide).
// The last acceptance starts the partnership in the same transaction, as
// the host's, on the day set or today; it returns ECONFLICT, and changes
// nothing, when the two have since started another.
func (db *DB) DecideOffer(ctx context.Context, id int64, actor partner.Actor, d partner.Decision, note string) (partner.Offer, error) {
	var o partner.Offer
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		row, err := scanOfferRow(tx.QueryRowContext(ctx, "SELECT "+offerColumns+" FROM partnership_offers WHERE id = ?", id))
		if err != nil {
			return err
		}
		if err := row.CanDecide(actor, d); err != nil {
			return err
		}
		now := db.Now()
		at := formatTime(now)
		switch d {
		case partner.Withdraw, partner.Decline:
			status := partner.ProposalWithdrawn
			if d == partner.Decline {
				status = partner.ProposalDeclined
			}
			_, err = tx.ExecContext(ctx, "UPDATE partnership_offers SET status = ?, decided_by = ?, answer = ?, decided_at = ? WHERE id = ?",
				string(status), string(actor), note, at, id)
		default:
			err = acceptOffer(ctx, tx, row, partner.Side(actor), now)
		}
		if err != nil {
			return err
		}
		o, err = scanOffer(tx.QueryRowContext(ctx, "SELECT "+offerColumns+" FROM partnership_offers WHERE id = ?", id))
		return err
	})
	return o, err
}

// acceptOffer records side's acceptance inside tx and, when it was the
// last, starts the partnership.
func acceptOffer(ctx context.Context, tx *sql.Tx, o offerRow, side partner.Side, now time.Time) error {
	if err := agree(ctx, tx, "partnership_offers", o.ID, side, &o.Consent); err != nil {
		return err
	}
	if len(o.Waiting()) > 0 {
		return nil
	}
	started := o.startedOn
	if started == "" {
		started = partner.Today(now)
	}
	p, err := createPartnership(ctx, tx, partner.Partnership{Lane: o.Lane, StartedOn: started, IntroductionID: o.IntroductionID, A: o.A, B: o.B},
		now, partner.Host, "offered by the host, accepted by both sides")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE partnership_offers SET status = 'accepted', decided_by = ?, partnership_id = ?, decided_at = ? WHERE id = ?",
		string(side), p.ID, formatTime(now), o.ID)
	return err
}
