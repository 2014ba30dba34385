package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

const linkColumns = "id, code, partnership_id, referrer, landing_url, attribution_days, created_at, updated_at"

func scanLink(row rowScanner) (domain.Link, error) {
	var (
		l                domain.Link
		referrer         string
		created, updated string
	)
	err := row.Scan(&l.ID, &l.Code, &l.PartnershipID, &referrer, &l.LandingURL, &l.AttributionDays, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return l, match.Errorf(match.ENOTFOUND, "no such tracking link")
	}
	l.Referrer = partner.Side(referrer)
	l.CreatedAt, _ = parseTime(created)
	l.UpdatedAt, _ = parseTime(updated)
	return l, err
}

// linkCode is a new link code: 10 letters and digits (50 bits), short
// enough to type, too many to guess.
func linkCode() (string, error) {
	b := make([]byte, 7)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10], nil
}

// SetLink gives the referring side of a referral partnership its tracking
// link, or changes where the link it has leads (its code stays: it is
// printed and shared already).
func (db *DB) SetLink(ctx context.Context, partnershipID int64, referrer partner.Side, landing string, days int) (domain.Link, error) {
	code, err := linkCode()
	if err != nil {
		return domain.Link{}, err
	}
	now := formatTime(db.Now())
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Link, error) {
		if err := checkPartnership(ctx, tx, partnershipID, newReferral); err != nil {
			return domain.Link{}, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tracking_links (code, partnership_id, referrer, landing_url, attribution_days, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (partnership_id, referrer) DO UPDATE SET landing_url = excluded.landing_url, attribution_days = excluded.attribution_days, updated_at = excluded.updated_at`,
			code, partnershipID, string(referrer), landing, days, now, now); err != nil {
			return domain.Link{}, err
		}
		return scanLink(tx.QueryRowContext(ctx, "SELECT "+linkColumns+" FROM tracking_links WHERE partnership_id = ? AND referrer = ?", partnershipID, string(referrer)))
	})
}

// LinkByCode returns the link of a code, or ENOTFOUND.
func (db *DB) LinkByCode(ctx context.Context, code string) (domain.Link, error) {
	return scanLink(db.read.QueryRowContext(ctx, "SELECT "+linkColumns+" FROM tracking_links WHERE code = ?", code))
}

// Links returns a partnership's tracking links.
func (db *DB) Links(ctx context.Context, partnershipID int64) ([]domain.Link, error) {
	return queryAll(ctx, db.read, scanLink, "SELECT "+linkColumns+" FROM tracking_links WHERE partnership_id = ? ORDER BY referrer", partnershipID)
}

// ClickSalt returns the day's salt for hashing visitors, made on the
// day's first click; the salts of earlier days are deleted then, so that
// their hashes can no longer be tied to anyone.
func (db *DB) ClickSalt(ctx context.Context, day string) ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	key := "click_salt:" + day
	v, err := inWrite(ctx, db, func(tx *sql.Tx) (string, error) {
		if _, err := tx.ExecContext(ctx, "DELETE FROM settings WHERE key LIKE 'click\\_salt:%' ESCAPE '\\' AND key < ?", key); err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", key, hex.EncodeToString(b)); err != nil {
			return "", err
		}
		var v string
		return v, tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// RecordClick counts a visitor's click on a link, once a day; it reports
// whether the click was new.
func (db *DB) RecordClick(ctx context.Context, linkID int64, day, visitor string) (bool, error) {
	res, err := db.exec(ctx, "INSERT OR IGNORE INTO link_clicks (link_id, day, visitor) VALUES (?, ?, ?)", linkID, day, visitor)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

const conversionColumns = "id, partnership_id, COALESCE(link_id, 0), external_id, referral_id, status, created_at, updated_at"

func scanConversion(row rowScanner) (domain.Conversion, error) {
	var (
		c                domain.Conversion
		created, updated string
	)
	err := row.Scan(&c.ID, &c.PartnershipID, &c.LinkID, &c.ExternalID, &c.ReferralID, &c.Status, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return c, match.Errorf(match.ENOTFOUND, "no such conversion")
	}
	c.CreatedAt, _ = parseTime(created)
	c.UpdatedAt, _ = parseTime(updated)
	return c, err
}

// RecordConversion records a conversion the seller reports, in one
// transaction with what it does to the partnership's referrals and
// ledger:
//   - new: a referral from the referring side, won at once with its
//     commission when the conversion is a sale;
//   - a sign-up that becomes a sale: its referral won, with its commission;
//   - a sale refunded: its commission entries reversed in whole; a sign-up
//     refunded (cancelled) marks its referral lost;
//
// and nothing when the conversion is sent again, or goes back (a sale
// reported as a sign-up). A refund of a conversion never reported is
// ECONFLICT.
func (db *DB) RecordConversion(ctx context.Context, c domain.NewConversion, actor partner.Actor) (domain.ConversionResult, error) {
	now := db.Now()
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.ConversionResult, error) {
		var out domain.ConversionResult
		prior, err := scanConversion(tx.QueryRowContext(ctx, "SELECT "+conversionColumns+" FROM conversions WHERE partnership_id = ? AND external_id = ?",
			c.PartnershipID, c.ExternalID))
		switch {
		case errors.Is(err, match.ErrNotFound):
			if c.Status == domain.ConversionRefunded {
				return out, match.Errorf(match.ECONFLICT, "no conversion %q was reported on this partnership: there is nothing to refund", c.ExternalID)
			}
			if out.Referral, out.Entries, err = newConversion(ctx, tx, c, actor, now); err != nil {
				return out, err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO conversions (partnership_id, link_id, external_id, referral_id, status, created_at, updated_at)
				VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?)`, c.PartnershipID, c.LinkID, c.ExternalID, out.Referral.ID, c.Status, formatTime(now), formatTime(now))
			if err != nil {
				return out, err
			}
			id, _ := res.LastInsertId()
			out.Conversion, err = scanConversion(tx.QueryRowContext(ctx, "SELECT "+conversionColumns+" FROM conversions WHERE id = ?", id))
			out.Changed, out.Created = true, true
			return out, err
		case err != nil:
			return out, err
		}
		out.Conversion = prior
		if out.Referral, err = scanReferral(tx.QueryRowContext(ctx, "SELECT "+referralColumns+" FROM referrals WHERE id = ?", prior.ReferralID)); err != nil {
			return out, err
		}
		switch {
		case prior.Status == domain.ConversionLead && c.Status == domain.ConversionWon:
			out.Referral, out.Entries, err = updateReferral(ctx, tx, c.PartnershipID, prior.ReferralID, partner.Won, c.Sale, nil, actor, now)
		case prior.Status == domain.ConversionLead && c.Status == domain.ConversionRefunded:
			out.Referral, _, err = updateReferral(ctx, tx, c.PartnershipID, prior.ReferralID, partner.Lost, nil, nil, actor, now)
		case prior.Status == domain.ConversionWon && c.Status == domain.ConversionRefunded:
			out.Entries, err = refundCommission(ctx, tx, c.PartnershipID, prior.ReferralID, "refund of "+c.ExternalID+" reported by the seller", actor, now)
		default:
			return out, nil // sent again, or going back: nothing changes
		}
		if err != nil {
			return out, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE conversions SET status = ?, updated_at = ? WHERE id = ?", c.Status, formatTime(now), prior.ID); err != nil {
			return out, err
		}
		out.Conversion.Status, out.Conversion.UpdatedAt, out.Changed = c.Status, now, true
		return out, nil
	})
}

// newConversion records a new conversion's referral: passed by the
// referring side, and won with its commission when it is a sale.
func newConversion(ctx context.Context, tx *sql.Tx, c domain.NewConversion, actor partner.Actor, now time.Time) (partner.Referral, []partner.Entry, error) {
	if err := checkPartnership(ctx, tx, c.PartnershipID, newReferral); err != nil {
		return partner.Referral{}, nil, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO referrals (partnership_id, from_side, lead_name, company, note, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.PartnershipID, string(c.Referrer), c.LeadName, c.Company,
		"reported by the seller's systems as "+c.ExternalID, string(partner.Submitted), formatTime(now), formatTime(now))
	if err != nil {
		return partner.Referral{}, nil, err
	}
	id, _ := res.LastInsertId()
	if c.Status == domain.ConversionWon {
		return updateReferral(ctx, tx, c.PartnershipID, id, partner.Won, c.Sale, nil, actor, now)
	}
	if err := touch(ctx, tx, c.PartnershipID, now); err != nil {
		return partner.Referral{}, nil, err
	}
	r, err := scanReferral(tx.QueryRowContext(ctx, "SELECT "+referralColumns+" FROM referrals WHERE id = ?", id))
	return r, nil, err
}

// refundCommission reverses, in whole, what remains of a referral's
// commission entries.
func refundCommission(ctx context.Context, tx *sql.Tx, partnershipID, referralID int64, reason string, actor partner.Actor, now time.Time) ([]partner.Entry, error) {
	commissions, err := queryAll(ctx, tx, scanEntry, "SELECT "+entryColumns+" FROM ledger_entries WHERE referral_id = ? AND kind = ? ORDER BY id",
		referralID, string(partner.CommissionEntry))
	if err != nil {
		return nil, err
	}
	var out []partner.Entry
	for _, e := range commissions {
		rev, err := reverse(ctx, tx, partnershipID, e.ID, 0, reason, actor, now)
		if errors.Is(err, match.ErrConflict) {
			continue // reversed in whole already, by hand
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, nil
}

// LinkStats returns each link's figures by quarter, oldest first, keyed
// by link ID: clicks, sign-ups and sales reported through it, and the
// commission those earned net of refunds.
func (db *DB) LinkStats(ctx context.Context, partnershipID int64) (map[int64][]domain.LinkQuarter, error) {
	type row struct {
		link    int64
		quarter match.Quarter
		clicks  int
		leads   int
		won     int
		curr    string
		amount  int64
	}
	return inSnapshot(ctx, db, func(tx *sql.Tx) (map[int64][]domain.LinkQuarter, error) {
		clicks, err := queryAll(ctx, tx, func(r rowScanner) (row, error) {
			var (
				x   row
				day string
			)
			err := r.Scan(&x.link, &day, &x.clicks)
			if t, perr := time.Parse("2006-01-02", day); perr == nil {
				x.quarter = match.QuarterOf(t)
			}
			return x, err
		}, `SELECT c.link_id, c.day, count(*) FROM link_clicks c JOIN tracking_links l ON l.id = c.link_id
			WHERE l.partnership_id = ? GROUP BY c.link_id, c.day`, partnershipID)
		if err != nil {
			return nil, err
		}
		conv, err := queryAll(ctx, tx, func(r rowScanner) (row, error) {
			var (
				x       row
				created string
				status  string
			)
			err := r.Scan(&x.link, &created, &status, &x.curr, &x.amount)
			if t, perr := parseTime(created); perr == nil {
				x.quarter = match.QuarterOf(t)
			}
			x.leads = 1
			if status != domain.ConversionLead {
				x.won = 1
			}
			return x, err
		}, `SELECT v.link_id, v.created_at, v.status, COALESCE(max(e.currency), ''), COALESCE(sum(e.amount), 0)
			FROM conversions v LEFT JOIN ledger_entries e ON e.referral_id = v.referral_id
			WHERE v.partnership_id = ? AND v.link_id IS NOT NULL GROUP BY v.id`, partnershipID)
		if err != nil {
			return nil, err
		}
		out := map[int64][]domain.LinkQuarter{}
		at := map[int64]map[match.Quarter]*domain.LinkQuarter{}
		get := func(link int64, q match.Quarter) *domain.LinkQuarter {
			if at[link] == nil {
				at[link] = map[match.Quarter]*domain.LinkQuarter{}
			}
			if at[link][q] == nil {
				at[link][q] = &domain.LinkQuarter{Quarter: q, Commission: map[string]int64{}}
			}
			return at[link][q]
		}
		for _, x := range append(clicks, conv...) {
			lq := get(x.link, x.quarter)
			lq.Clicks += x.clicks
			lq.Leads += x.leads
			lq.Won += x.won
			if x.curr != "" {
				lq.Commission[x.curr] += x.amount
			}
		}
		for link, qs := range at {
			for _, lq := range qs {
				out[link] = append(out[link], *lq)
			}
			slices.SortFunc(out[link], func(x, y domain.LinkQuarter) int { return strings.Compare(string(x.Quarter), string(y.Quarter)) })
		}
		return out, nil
	})
}
