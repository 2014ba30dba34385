package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// TestLedgerHistoryIsNeverEdited checks the database itself refuses to
// edit or delete ledger entries and payouts: corrections are new entries.
func TestLedgerHistoryIsNeverEdited(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p, err := db.CreatePartnership(ctx, partner.Partnership{Lane: partner.LaneReferral, StartedOn: "2026-11-01",
		A: partner.Party{Email: "a@a.example", Business: "A"}, B: partner.Party{Email: "b@b.example", Business: "B"}}, partner.Host)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreatePartnership(ctx, partner.Partnership{Lane: partner.LaneStrategic, StartedOn: "2026-11-01",
		A: partner.Party{Email: "b@b.example", Business: "B"}, B: partner.Party{Email: "a@a.example", Business: "A"}}, partner.Host); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a second open partnership of the same two (either order): %v, want a conflict", err)
	}
	agree(t, db, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms,
		Terms: &partner.Terms{Kind: partner.PercentOfSale, BasisPoints: 1000, Currency: "USD", Payer: partner.Both}})
	r, err := db.AddReferral(ctx, p.ID, partner.Referral{From: partner.A, LeadName: "Lead"})
	if err != nil {
		t.Fatal(err)
	}
	_, entries, err := db.UpdateReferral(ctx, p.ID, r.ID, partner.Won, &partner.Money{Amount: 10000, Currency: "USD"}, nil, partner.Host)
	if err != nil || len(entries) != 1 || entries[0].Amount != 1000 {
		t.Fatalf("won: %+v, %v", entries, err)
	}
	if _, err := db.ConfirmEntry(ctx, p.ID, entries[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordPayout(ctx, p.ID, []int64{entries[0].ID}, "2026-11-20", "INV-9", partner.Host, func(partner.Side, int64) error { return nil }); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		"UPDATE ledger_entries SET amount = 1",
		"UPDATE ledger_entries SET currency = 'EUR'",
		"UPDATE ledger_entries SET payer = 'a'",
		"DELETE FROM ledger_entries",
		"UPDATE payouts SET amount = 1",
		"DELETE FROM payouts",
	} {
		_, err := raw.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "never") {
			t.Errorf("%s: %v, want the database to refuse", stmt, err)
		}
	}
	// A lane change does not move the ledger: it stays, closed to new
	// entries, which the store refuses inside its own transaction.
	agree(t, db, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeLane, Lane: partner.LaneStrategic, Reason: "joint package"})
	if _, err := db.AddReferral(ctx, p.ID, partner.Referral{From: partner.A, LeadName: "Late lead"}); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a referral after the move to strategic: %v, want a conflict", err)
	}
	got, payouts, err := db.Ledger(ctx, p.ID)
	if err != nil || len(got) != 1 || got[0].Status != partner.Paid || len(payouts) != 1 || payouts[0].EntryIDs[0] != got[0].ID {
		t.Errorf("ledger after the lane change: %+v %+v %v", got, payouts, err)
	}
	events, err := db.PartnershipEvents(ctx, p.ID)
	if err != nil || len(events) != 3 || events[1].Kind != partner.EventTerms || events[2].Kind != partner.EventLane || !strings.HasSuffix(events[2].Reason, ": joint package") {
		t.Errorf("history: %+v %v", events, err)
	}
}
