package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
	"github.com/matchmaker/matchmaker/store"
)

// agree puts pr in force as both sides would: side A proposes it and side
// B accepts.
func agree(t *testing.T, db *store.DB, pr partner.Proposal) partner.Proposal {
	t.Helper()
	ctx := context.Background()
	pr.By = partner.Actor(partner.A)
	pr, err := db.Propose(ctx, pr)
	if err != nil {
		t.Fatal(err)
	}
	pr, err = db.Decide(ctx, pr.PartnershipID, pr.ID, partner.Actor(partner.B), partner.Accept, "")
	if err != nil || pr.Status != partner.ProposalAccepted {
		t.Fatalf("accept: %+v, %v", pr, err)
	}
	return pr
}

func newReferralPartnership(t *testing.T, db *store.DB) partner.Partnership {
	t.Helper()
	p, err := db.CreatePartnership(context.Background(), partner.Partnership{Lane: partner.LaneReferral, StartedOn: "2026-11-01",
		A: partner.Party{Email: "a@a.example", Business: "A"}, B: partner.Party{Email: "b@b.example", Business: "B"}}, partner.Host)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func percent(bp int64) *partner.Terms {
	return &partner.Terms{Kind: partner.PercentOfSale, BasisPoints: bp, Currency: "USD", Payer: partner.Both}
}

// TestTermsNeedTheOtherSide walks a proposal, a counter-proposal and an
// acceptance: nothing is in force until the side a proposal waits for
// accepts, and what comes into force is the counter-proposal's terms.
func TestTermsNeedTheOtherSide(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p := newReferralPartnership(t, db)
	a, b := partner.Actor(partner.A), partner.Actor(partner.B)

	first, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms, By: a, Terms: percent(1500)})
	if err != nil || first.Status != partner.ProposalOpen || !first.AcceptedA || first.AcceptedB {
		t.Fatalf("proposal: %+v, %v", first, err)
	}
	if terms, err := db.Terms(ctx, p.ID); err != nil || len(terms) != 0 {
		t.Fatalf("terms in force before anyone accepted: %+v, %v", terms, err)
	}
	// The proposer cannot accept for the other side, nor decline its own.
	if _, err := db.Decide(ctx, p.ID, first.ID, a, partner.Accept, ""); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("the proposer accepting its own: %v, want a conflict", err)
	}
	if _, err := db.Decide(ctx, p.ID, first.ID, b, partner.Withdraw, ""); match.ErrorCode(err) != match.EFORBIDDEN {
		t.Errorf("the other side withdrawing it: %v, want forbidden", err)
	}
	counter, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms, By: b, Terms: percent(1000), Reason: "10% is what we pay everyone"})
	if err != nil || counter.Answers != first.ID || !counter.AcceptedB || counter.AcceptedA {
		t.Fatalf("counter-proposal: %+v, %v", counter, err)
	}
	if got, _ := db.Proposal(ctx, p.ID, first.ID); got.Status != partner.ProposalCountered || got.DecidedBy != b {
		t.Errorf("the first after the counter: %+v", got)
	}
	if _, err := db.Decide(ctx, p.ID, first.ID, b, partner.Accept, ""); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("accepting a countered proposal: %v, want a conflict", err)
	}
	done, err := db.Decide(ctx, p.ID, counter.ID, a, partner.Accept, "fine by us")
	if err != nil || done.Status != partner.ProposalAccepted || done.TermsID == 0 || done.Note != "fine by us" {
		t.Fatalf("acceptance: %+v, %v", done, err)
	}
	terms, err := db.Terms(ctx, p.ID)
	if err != nil || len(terms) != 1 || terms[0].BasisPoints != 1000 || terms[0].ID != done.TermsID || terms[0].SetBy != b {
		t.Errorf("terms in force: %+v, %v", terms, err)
	}
	events, _ := db.PartnershipEvents(ctx, p.ID)
	if last := events[len(events)-1]; last.Kind != partner.EventTerms || last.Actor != a || last.Reason != "proposed by side B, agreed by both sides: 10% is what we pay everyone" {
		t.Errorf("history: %+v", last)
	}
	list, err := db.Proposals(ctx, p.ID)
	if err != nil || len(list) != 2 || list[0].ID != counter.ID {
		t.Errorf("proposals, newest first: %+v, %v", list, err)
	}
}

// TestTheHostProposesButDoesNotImpose: a proposal of the host's waits for
// both sides, and the host cannot accept it.
func TestTheHostProposesButDoesNotImpose(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p := newReferralPartnership(t, db)
	pr, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms, By: partner.Host, Terms: percent(800)})
	if err != nil || len(pr.Waiting()) != 2 {
		t.Fatalf("host's proposal: %+v, %v", pr, err)
	}
	if _, err := db.Decide(ctx, p.ID, pr.ID, partner.Host, partner.Accept, ""); match.ErrorCode(err) != match.EFORBIDDEN {
		t.Errorf("the host accepting: %v, want forbidden", err)
	}
	if pr, err = db.Decide(ctx, p.ID, pr.ID, partner.Actor(partner.A), partner.Accept, ""); err != nil || pr.Status != partner.ProposalOpen || !pr.AcceptedA {
		t.Fatalf("A's acceptance: %+v, %v", pr, err)
	}
	if terms, _ := db.Terms(ctx, p.ID); len(terms) != 0 {
		t.Fatalf("terms in force with one side's acceptance: %+v", terms)
	}
	if pr, err = db.Decide(ctx, p.ID, pr.ID, partner.Actor(partner.B), partner.Decline, "too low"); err != nil || pr.Status != partner.ProposalDeclined {
		t.Fatalf("B's refusal: %+v, %v", pr, err)
	}
	if terms, _ := db.Terms(ctx, p.ID); len(terms) != 0 {
		t.Errorf("terms in force after a refusal: %+v", terms)
	}
}

// TestProposalsFollowThePartnership: a proposer's second proposal replaces
// its first; a lane change lapses open terms; an ending lapses all; an
// acceptance the partnership can no longer take changes nothing.
func TestProposalsFollowThePartnership(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p := newReferralPartnership(t, db)
	a, b := partner.Actor(partner.A), partner.Actor(partner.B)
	old, _ := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms, By: a, Terms: percent(500)})
	terms, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms, By: a, Terms: percent(700)})
	if err != nil || terms.Answers != 0 {
		t.Fatalf("second proposal: %+v, %v", terms, err)
	}
	if got, _ := db.Proposal(ctx, p.ID, old.ID); got.Status != partner.ProposalWithdrawn {
		t.Errorf("replaced proposal: %+v", got)
	}
	if _, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeLane, By: b, Lane: partner.LaneReferral, Reason: "stay"}); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("a move to the lane it is in: %v, want a conflict", err)
	}
	lane, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeLane, By: b, Lane: partner.LaneStrategic, Reason: "a joint package"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(ctx, p.ID, lane.ID, a, partner.Accept, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Partnership(ctx, p.ID); got.Lane != partner.LaneStrategic {
		t.Errorf("lane after acceptance: %s", got.Lane)
	}
	if got, _ := db.Proposal(ctx, p.ID, terms.ID); got.Status != partner.ProposalLapsed {
		t.Errorf("open terms after leaving the referral lane: %+v", got)
	}
	if _, err := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeTerms, By: a, Terms: percent(700)}); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("terms for a strategic partnership: %v, want a conflict", err)
	}

	// Back to referral proposed; meanwhile another proposal moves it there
	// first: accepting the stale one changes nothing.
	back, _ := db.Propose(ctx, partner.Proposal{PartnershipID: p.ID, Kind: partner.ProposeLane, By: a, Lane: partner.LaneReferral, Reason: "leads only"})
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, "UPDATE partnerships SET lane = 'referral' WHERE id = ?", p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Decide(ctx, p.ID, back.ID, b, partner.Accept, ""); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("accepting a move the partnership already made: %v, want a conflict", err)
	}
	if got, _ := db.Proposal(ctx, p.ID, back.ID); got.Status != partner.ProposalOpen || got.AcceptedB {
		t.Errorf("a refused acceptance left: %+v", got)
	}
	if _, err := raw.ExecContext(ctx, "INSERT INTO proposals (partnership_id, kind, proposed_by, lane, status, created_at) VALUES (?, 'lane', 'b', 'strategic', 'open', 'x')", p.ID); err == nil {
		t.Error("the database took a second open lane proposal")
	}

	if _, err := db.SetPartnershipStatus(ctx, p.ID, partner.Ended, b, "done"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Proposal(ctx, p.ID, back.ID); got.Status != partner.ProposalLapsed {
		t.Errorf("open proposal after the end: %+v", got)
	}
	if _, err := db.Decide(ctx, 999, back.ID, b, partner.Accept, ""); match.ErrorCode(err) != match.ENOTFOUND {
		t.Errorf("a proposal under another partnership: %v, want not found", err)
	}
}
