package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// twoPosts stores two active posts of different businesses, open to either
// lane, and returns their IDs and addresses.
func twoPosts(t *testing.T, a *app.App) (int64, int64, string, string) {
	t.Helper()
	ctx := context.Background()
	mk := func(business, email string) match.Post {
		p, err := a.CreatePost(ctx, match.PostInput{Business: business, Email: email, Website: "https://" + email[len("x@"):],
			Offer: "Bookkeeping and payroll for dental practices", Seek: "Dental marketing agencies for our clients",
			Customers: "Dentists", Lane: "either", Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	pa, pb := mk("Alpha Books", "a@alpha.example"), mk("Bravo Marketing", "b@bravo.example")
	return pa.ID, pb.ID, pa.Email, pb.Email
}

// TestLedgerAddsUpOnARealDatabase is a property test of the referral
// ledger: random terms, wins, confirmations, reversals, corrections and
// payouts through the app, on a real SQLite file, spread over quarters by
// moving the clock; after each run the statement's totals must equal the
// sums of the stored entries, quarter by quarter and overall.
func TestLedgerAddsUpOnARealDatabase(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			a := mustOpen(t, t.TempDir())
			r := rand.New(rand.NewPCG(seed, 99))
			clock := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
			start := clock
			a.SetClock(func() time.Time { return start })
			idA, idB, emailA, emailB := twoPosts(t, a)
			host, sideA, sideB := app.Who{Host: true}, app.Who{Email: emailA}, app.Who{Email: emailB}
			id := offered(t, a, idA, idB, "referral")
			who := func(s partner.Side) app.Who {
				if s == partner.A {
					return sideA
				}
				return sideB
			}
			var referrals []int64
			for step := range 120 {
				clock = clock.Add(time.Duration(r.IntN(72)) * time.Hour)
				// A copy: the app's mail sender reads the clock meanwhile.
				at := clock
				a.SetClock(func() time.Time { return at })
				switch op := r.IntN(8); {
				case op == 0 || step == 0:
					in := partner.TermsInput{Kind: "percent", Percent: fmt.Sprintf("%d.%02d", 1+r.IntN(30), r.IntN(100)), Currency: "USD",
						Payer: []string{"a", "b", "both"}[r.IntN(3)], RecurringMonths: r.IntN(4)}
					if r.IntN(3) == 0 {
						in = partner.TermsInput{Kind: "flat", FlatFee: &partner.Money{Amount: 1 + r.Int64N(100000), Currency: "USD"}, Payer: in.Payer}
					}
					proposer := partner.Side([]string{"a", "b"}[r.IntN(2)])
					pr, err := a.Propose(ctx, who(proposer), id, partner.ProposalInput{Kind: "terms", Terms: &in})
					if err != nil {
						t.Fatalf("terms %+v: %v", in, err)
					}
					if _, err := a.DecideProposal(ctx, who(proposer.Other()), id, pr.ID, partner.Accept, partner.DecisionInput{}); err != nil {
						t.Fatalf("accepting terms %+v: %v", in, err)
					}
				case op == 1:
					from := partner.Side([]string{"a", "b"}[r.IntN(2)])
					ref, err := a.AddReferral(ctx, who(from), id, partner.ReferralInput{LeadName: fmt.Sprint("Lead ", step)})
					if err != nil {
						t.Fatal(err)
					}
					referrals = append(referrals, ref.ID)
				case op == 2 && len(referrals) > 0:
					rid := referrals[r.IntN(len(referrals))]
					sale := &partner.Money{Amount: 1 + r.Int64N(10_000_000), Currency: "USD"}
					_, _, err := a.UpdateReferral(ctx, host, id, rid, partner.ReferralUpdate{Status: "won", Sale: sale})
					if err != nil && match.ErrorCode(err) != match.ECONFLICT { // won or lost already
						t.Fatal(err)
					}
				case op == 3 || op == 4:
					entries, _, err := a.Ledger(ctx, host, id)
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range entries {
						if e.Status == partner.Pending && r.IntN(2) == 0 {
							if _, err := a.ConfirmEntry(ctx, who(e.Confirmer()), id, e.ID); err != nil {
								t.Fatal(err)
							}
						}
					}
				case op == 5:
					entries, _, _ := a.Ledger(ctx, host, id)
					if len(entries) == 0 {
						continue
					}
					e := entries[r.IntN(len(entries))]
					amount := r.Int64N(max(1, e.Amount))
					var in partner.ReversalInput
					in.Reason = "refund"
					if amount > 0 && e.Amount > 0 {
						in.Amount = &amount
					}
					_, err := a.Reverse(ctx, who(e.Payer), id, e.ID, in)
					if err != nil && match.ErrorCode(err) != match.ECONFLICT && match.ErrorCode(err) != match.EINVALID {
						t.Fatal(err)
					}
				case op == 6:
					amount := r.Int64N(20000) - 10000
					if amount == 0 {
						continue
					}
					if _, err := a.AddCorrection(ctx, host, id, partner.CorrectionInput{Payer: []string{"a", "b"}[r.IntN(2)],
						Amount: partner.Money{Amount: amount, Currency: "USD"}, Reason: "correction"}); err != nil {
						t.Fatal(err)
					}
				case op == 7:
					entries, _, _ := a.Ledger(ctx, host, id)
					byPayer := map[partner.Side][]int64{}
					for _, e := range entries {
						if e.Status == partner.Due {
							byPayer[e.Payer] = append(byPayer[e.Payer], e.ID)
						}
					}
					for payer, ids := range byPayer {
						if _, err := a.RecordPayout(ctx, host, id, partner.PayoutInput{EntryIDs: ids, PaidOn: partner.Today(clock), Reference: "bank"}); err != nil {
							t.Fatalf("payout by %s of %v: %v", payer, ids, err)
						}
					}
				}
			}
			checkLedgerAgainstSQL(t, a, id)
		})
	}
}

// checkLedgerAgainstSQL compares the statement with sums computed by
// SQLite over the stored rows.
func checkLedgerAgainstSQL(t *testing.T, a *app.App, id int64) {
	t.Helper()
	ctx := context.Background()
	host := app.Who{Host: true}
	_, whole, err := a.Statement(ctx, host, id, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Entries) == 0 {
		t.Fatal("the random run made no ledger entries")
	}
	// A connection of the test's own, so the sums come from SQLite itself.
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(a.DataDir(), "matchmaker.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range whole.Totals {
		var net, paid, pending, paidOut int64
		if err := db.QueryRowContext(ctx, `SELECT COALESCE(sum(amount), 0), COALESCE(sum(CASE WHEN status = 'paid' THEN amount END), 0),
			COALESCE(sum(CASE WHEN status = 'pending' THEN amount END), 0)
			FROM ledger_entries WHERE partnership_id = ? AND payer = ? AND currency = ?`, id, string(tt.Payer), tt.Currency).Scan(&net, &paid, &pending); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(ctx, "SELECT COALESCE(sum(amount), 0) FROM payouts WHERE partnership_id = ? AND payer = ? AND currency = ?",
			id, string(tt.Payer), tt.Currency).Scan(&paidOut); err != nil {
			t.Fatal(err)
		}
		if tt.Net != net || tt.Paid != paid || tt.Pending != pending || tt.PaidOut != paidOut || tt.Paid != tt.PaidOut {
			t.Errorf("payer %s: statement %+v; SQL net %d paid %d pending %d paid out %d", tt.Payer, tt, net, paid, pending, paidOut)
		}
		if tt.Earned+tt.Reversed != tt.Net || tt.Pending+tt.Due+tt.Paid != tt.Net {
			t.Errorf("payer %s: totals do not add up: %+v", tt.Payer, tt)
		}
		// Each quarter's statement adds up to the whole.
		var sum int64
		for _, q := range whole.Quarters {
			_, qs, err := a.Statement(ctx, host, id, q.Quarter)
			if err != nil {
				t.Fatal(err)
			}
			for _, qt := range qs.Totals {
				if qt.Payer == tt.Payer && qt.Currency == tt.Currency {
					sum += qt.Net
					var qnet int64
					start, end := partner.Today(q.Quarter.Start()), partner.Today(q.Quarter.Next().Start())
					if err := db.QueryRowContext(ctx, "SELECT COALESCE(sum(amount), 0) FROM ledger_entries WHERE partnership_id = ? AND payer = ? AND currency = ? AND accrues_on >= ? AND accrues_on < ?",
						id, string(tt.Payer), tt.Currency, start, end).Scan(&qnet); err != nil {
						t.Fatal(err)
					}
					if qnet != qt.Net {
						t.Errorf("%s payer %s: statement net %d, SQL %d", q.Quarter, tt.Payer, qt.Net, qnet)
					}
				}
			}
		}
		if sum != tt.Net {
			t.Errorf("payer %s: quarters add to %d, the whole is %d", tt.Payer, sum, tt.Net)
		}
	}
	// No reversal takes back more than its entry.
	var over int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM ledger_entries e WHERE e.kind <> 'reversal' AND abs(e.amount + COALESCE((SELECT sum(r.amount) FROM ledger_entries r WHERE r.reverses_id = e.id), 0)) > abs(e.amount)`).Scan(&over); err != nil {
		t.Fatal(err)
	}
	if over != 0 {
		t.Errorf("%d entries are reversed by more than their amount", over)
	}
}
