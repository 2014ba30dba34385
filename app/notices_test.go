package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The two sides of the partnerships in these tests.
const emailA, emailB = "ana@alpha-ledger.example", "cy@chairside.example"

// strategicPair starts, as the host's offer both accept, a strategic partnership of two posts
// at emailA and emailB and returns its id.
func strategicPair(t *testing.T, a *app.App) int64 {
	t.Helper()
	pa := addPost(t, a, "Alpha Ledger", emailA, "Bookkeeping for dental practices", "Dental software vendors", "dentists")
	pb := addPost(t, a, "Charlie Chairside", emailB, "Practice software for dental clinics", "Bookkeepers who serve dentists", "dentists")
	return offered(t, a, pa.ID, pb.ID, "strategic")
}

// TestEveryChangeNoticesTheOtherSide runs a partnership through every
// kind of change, each made by one side, and counts what a real SMTP
// server received: the other side gets exactly one notice, the side that
// acted none; a change by the host notices both; a kind a member turned
// off, by their settings or the one-click link in a notice, sends nothing.
func TestEveryChangeNoticesTheOtherSide(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	id := strategicPair(t, a)
	host, sideA, sideB := app.Who{Host: true}, app.Who{Email: emailA}, app.Who{Email: emailB}
	a.WaitBackground()

	// step makes one change and checks who heard of it, by the subject.
	step := func(name string, change func() error, wantA, wantB int, subject string) {
		t.Helper()
		before := srv.countByRecipient()
		if err := change(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a.WaitBackground()
		after := srv.countByRecipient()
		if gotA, gotB := after[emailA]-before[emailA], after[emailB]-before[emailB]; gotA != wantA || gotB != wantB {
			t.Errorf("%s: A got %d emails, B got %d; want %d and %d", name, gotA, gotB, wantA, wantB)
		}
		if wantA+wantB > 0 {
			last := srv.Messages()[len(srv.Messages())-1]
			if !strings.Contains(mimeSubject(t, last.Data), subject) {
				t.Errorf("%s: the notice's subject is %q, want it to say %q", name, mimeSubject(t, last.Data), subject)
			}
		}
	}
	q := testQuarter
	target := 10.0
	var goal partner.Goal
	step("a goal added by A", func() (err error) {
		goal, err = a.AddGoal(ctx, sideA, id, q, partner.GoalInput{Title: "Joint webinar", Metric: "signups", Target: &target, Owner: "both"})
		return err
	}, 0, 1, "Alpha Ledger added the goal")
	title := "Joint webinar for clinics"
	step("a goal changed by B", func() error {
		_, err := a.UpdateGoal(ctx, sideB, id, q, goal.ID, partner.GoalPatch{Title: &title})
		return err
	}, 1, 0, "Charlie Chairside changed the goal")
	var d partner.Deliverable
	step("a deliverable added by A", func() (err error) {
		d, err = a.AddDeliverable(ctx, sideA, id, q, partner.DeliverableInput{What: "Landing page", Owner: "a", DueOn: "2026-08-01"})
		return err
	}, 0, 1, "added the deliverable")
	done := true
	step("a deliverable done by A", func() error {
		_, err := a.UpdateDeliverable(ctx, sideA, id, q, d.ID, partner.DeliverablePatch{Done: &done})
		return err
	}, 0, 1, "done")
	step("a goal removed by B", func() error {
		return a.DeleteGoal(ctx, sideB, id, q, goal.ID)
	}, 1, 0, "removed a goal from")
	step("a review by B", func() error {
		_, err := a.SaveReview(ctx, sideB, id, q, partner.ReviewInput{Rating: 4})
		return err
	}, 1, 0, "reviewed 2026-Q3")
	step("paused by A", func() error {
		_, err := a.SetPartnershipStatus(ctx, sideA, id, partner.StatusChange{Status: "paused", Reason: "summer"})
		return err
	}, 0, 1, "paused the partnership")
	step("resumed by the host: both hear", func() error {
		_, err := a.SetPartnershipStatus(ctx, host, id, partner.StatusChange{Status: "active"})
		return err
	}, 1, 1, "The community host resumed")
	var move partner.Proposal
	step("a move to the referral lane proposed by B", func() (err error) {
		move, err = a.Propose(ctx, sideB, id, partner.ProposalInput{Kind: "lane", Lane: "referral", Reason: "leads only for now"})
		return err
	}, 1, 0, "proposed a move to the referral lane")
	step("the move accepted by A", func() error {
		_, err := a.DecideProposal(ctx, sideA, id, move.ID, partner.Accept, partner.DecisionInput{})
		return err
	}, 0, 1, "accepted a move to the referral lane: it is now in force")
	var terms partner.Proposal
	step("terms proposed by the host: both hear", func() (err error) {
		terms, err = a.Propose(ctx, host, id, partner.ProposalInput{Kind: "terms", Terms: &partner.TermsInput{Kind: "percent", Percent: "8", Currency: "USD", Payer: "b"}})
		return err
	}, 1, 1, "proposed referral terms of 8% of each won sale")
	step("countered by A", func() (err error) {
		terms, err = a.Propose(ctx, sideA, id, partner.ProposalInput{Kind: "terms", Terms: &partner.TermsInput{Kind: "percent", Percent: "10", Currency: "USD", Payer: "b"}})
		return err
	}, 0, 1, "answered with a counter-proposal: referral terms of 10% of each won sale")
	step("the counter accepted by B", func() error {
		_, err := a.DecideProposal(ctx, sideB, id, terms.ID, partner.Accept, partner.DecisionInput{Note: "deal"})
		return err
	}, 1, 0, "accepted referral terms of 10% of each won sale")
	var lead partner.Referral
	step("a lead referred by A", func() (err error) {
		lead, err = a.AddReferral(ctx, sideA, id, partner.ReferralInput{LeadName: "Dr. Rosa Diaz"})
		return err
	}, 0, 1, "referred Dr. Rosa Diaz")
	var entries []partner.Entry
	step("the lead won by B", func() (err error) {
		_, entries, err = a.UpdateReferral(ctx, sideB, id, lead.ID, partner.ReferralUpdate{Status: "won", Sale: &partner.Money{Amount: 50000, Currency: "USD"}})
		return err
	}, 1, 0, "marked the lead Dr. Rosa Diaz won")
	step("the commission confirmed by B, who pays it", func() error {
		_, err := a.ConfirmEntry(ctx, sideB, id, entries[0].ID)
		return err
	}, 1, 0, "confirmed an entry of 50.00 USD")
	step("the payout recorded by B", func() error {
		_, err := a.RecordPayout(ctx, sideB, id, partner.PayoutInput{EntryIDs: []int64{entries[0].ID}, PaidOn: "2026-07-20", Reference: "bank"})
		return err
	}, 1, 0, "recorded a payout of 50.00 USD")
	step("the paid commission reversed in part by A (a refund)", func() error {
		refund := int64(1000)
		_, err := a.Reverse(ctx, sideA, id, entries[0].ID, partner.ReversalInput{Amount: &refund, Reason: "the client returned part"})
		return err
	}, 0, 1, "reversed 10.00 USD")
	var second partner.Referral
	step("a second lead referred by A", func() (err error) {
		second, err = a.AddReferral(ctx, sideA, id, partner.ReferralInput{LeadName: "Dr. Ann Lee"})
		return err
	}, 0, 1, "referred Dr. Ann Lee")
	step("the second lead lost by B", func() error {
		_, _, err := a.UpdateReferral(ctx, sideB, id, second.ID, partner.ReferralUpdate{Status: "lost"})
		return err
	}, 1, 0, "marked the lead Dr. Ann Lee lost")
	var back partner.Proposal
	step("a move back to the strategic lane proposed by A", func() (err error) {
		back, err = a.Propose(ctx, sideA, id, partner.ProposalInput{Kind: "lane", Lane: "strategic", Reason: "a joint package after all"})
		return err
	}, 0, 1, "proposed a move to the strategic lane")
	step("declined by B", func() error {
		_, err := a.DecideProposal(ctx, sideB, id, back.ID, partner.Decline, partner.DecisionInput{Note: "not yet"})
		return err
	}, 1, 0, "declined a move to the strategic lane")

	// B turns plan notices off in their settings; A follows the one-click
	// link of their last ledger notice.
	if _, err := a.SetNoticePrefs(ctx, emailB, map[string]string{"plan": app.NoticeOff}); err != nil {
		t.Fatal(err)
	}
	var unsubscribe string
	for _, m := range srv.Messages() {
		if m.To == emailA && strings.Contains(mimeSubject(t, m.Data), "payout") {
			unsubscribe = strings.Trim(parseEmail(t, m.Data).Header.Get("List-Unsubscribe"), "<>")
		}
	}
	u, err := url.Parse(unsubscribe)
	if err != nil || u.Path != "/unsubscribe" {
		t.Fatalf("the payout notice's List-Unsubscribe: %q", unsubscribe)
	}
	if what, err := a.UnsubscribeByLink(ctx, u.Query().Get("token"), false); err != nil || !strings.Contains(what, "commissions") {
		t.Fatalf("one-click unsubscribe: %q %v", what, err)
	}
	step("a correction by B, with A's ledger notices off", func() error {
		_, err := a.AddCorrection(ctx, sideB, id, partner.CorrectionInput{Payer: "b", Amount: partner.Money{Amount: 500, Currency: "USD"}, Reason: "rounding"})
		return err
	}, 0, 0, "")
	step("ended by B", func() error {
		_, err := a.SetPartnershipStatus(ctx, sideB, id, partner.StatusChange{Status: "ended", Reason: "we went separate ways"})
		return err
	}, 1, 0, "ended the partnership")
	if prefs, err := a.NoticePrefs(ctx, emailB); err != nil || prefs["plan"] != app.NoticeOff || prefs["ledger"] != app.NoticeNow {
		t.Errorf("B's notice settings: %v %v", prefs, err)
	}
	if _, err := a.SetNoticePrefs(ctx, emailB, map[string]string{"plans": app.NoticeOff}); err == nil {
		t.Error("an unknown kind of notice was accepted")
	}
}

// mimeSubject returns a raw message's decoded Subject.
func mimeSubject(t *testing.T, raw []byte) string {
	t.Helper()
	return parseEmail(t, raw).Subject
}

// TestTheHostsModerationNoticesTheOwner: hiding a member's post, showing
// it again and removing it each email its owner once; the owner's own
// pause does not; with post notices off, nothing is sent.
func TestTheHostsModerationNoticesTheOwner(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	const owner = "ana@alpha-ledger.example"
	p := addPost(t, a, "Alpha Ledger", owner, "Bookkeeping for dental practices", "Dental software vendors", "dentists")
	host, member := app.Who{Host: true}, app.Who{Email: owner}
	change := func(who app.Who, status match.Status, want int, subject string) {
		t.Helper()
		before := len(srv.Messages())
		after, err := a.UpdatePost(ctx, who, p, match.PostPatch{Status: &status})
		if err != nil {
			t.Fatal(err)
		}
		p = after
		a.WaitBackground()
		got := srv.Messages()[before:]
		if len(got) != want || (want == 1 && !strings.Contains(mimeSubject(t, got[0].Data), subject)) {
			t.Errorf("%s set %s: %d emails, want %d saying %q", map[bool]string{true: "the host", false: "the owner"}[who.Host], status, len(got), want, subject)
		}
	}
	change(host, match.StatusHidden, 1, "hid your post")
	change(host, match.StatusActive, 1, "showed your post again")
	change(member, match.StatusPaused, 0, "")
	change(member, match.StatusActive, 0, "")
	if _, err := a.SetNoticePrefs(ctx, owner, map[string]string{"post": app.NoticeOff}); err != nil {
		t.Fatal(err)
	}
	change(host, match.StatusHidden, 0, "")
	if _, err := a.SetNoticePrefs(ctx, owner, map[string]string{"post": app.NoticeNow}); err != nil {
		t.Fatal(err)
	}
	before := len(srv.Messages())
	if err := a.DeletePost(ctx, host, p); err != nil {
		t.Fatal(err)
	}
	a.WaitBackground()
	if got := srv.Messages()[before:]; len(got) != 1 || !strings.Contains(mimeSubject(t, got[0].Data), "removed your post") {
		t.Errorf("after the host removed the post: %d emails", len(got))
	}
}

// TestWeeklyNoticesComeInOneSummary: with plan notices weekly, changes
// send nothing at once; a week after the first, one summary lists them
// all, and is not sent again.
func TestWeeklyNoticesComeInOneSummary(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	id := strategicPair(t, a)
	if _, err := a.SetNoticePrefs(ctx, emailB, map[string]string{"plan": app.NoticeWeekly}); err != nil {
		t.Fatal(err)
	}
	a.WaitBackground()
	before := srv.countByRecipient()[emailB]
	target := 5.0
	for _, title := range []string{"Joint webinar", "Case study"} {
		if _, err := a.AddGoal(ctx, app.Who{Email: emailA}, id, testQuarter, partner.GoalInput{Title: title, Metric: "signups", Target: &target, Owner: "both"}); err != nil {
			t.Fatal(err)
		}
	}
	send := func() int {
		t.Helper()
		if err := a.SendWeeklyNotices(ctx); err != nil {
			t.Fatal(err)
		}
		a.WaitBackground()
		return srv.countByRecipient()[emailB] - before
	}
	if n := send(); n != 0 {
		t.Fatalf("B got %d emails before a week passed", n)
	}
	a.SetClock(func() time.Time { return testNow.Add(8 * 24 * time.Hour) })
	if n := send(); n != 1 {
		t.Fatalf("a week on, B got %d emails, want one summary", n)
	}
	summary := parseEmail(t, srv.Messages()[len(srv.Messages())-1].Data)
	if !strings.Contains(summary.Subject, "2 changes") || !strings.Contains(summary.Text, "added the goal “Joint webinar”") || !strings.Contains(summary.Text, "“Case study”") {
		t.Errorf("the summary: %q\n%s", summary.Subject, summary.Text)
	}
	if n := send(); n != 1 {
		t.Errorf("the summary went again: %d emails", n)
	}
}
