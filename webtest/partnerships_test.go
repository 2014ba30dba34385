package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// signIn signs a member in by the emailed link, as they would.
func signIn(t *testing.T, s *site, tb *tab, email string) {
	t.Helper()
	tb.open("/app/signin")
	tb.fill("form.signin-form", "Email", email)
	tb.click("form.signin-form", "Email me a sign-in link")
	tb.waitText("h2", "Check your email")
	tb.do("open the sign-in link", chromedp.Navigate(s.link(t, email, "signin")))
	tb.click("main", "Sign in")
	tb.waitDrawn()
	tb.waitText("#account", email)
}

// hostSignIn opens the host console with the host's token.
func hostSignIn(tb *tab) {
	tb.t.Helper()
	tb.open("/app/host")
	tb.fill("main form", "Host token", hostToken)
	tb.click("main form", "Open the console")
	tb.waitText("h1", "Posts")
}

// evalAsync runs JavaScript that returns a promise and decodes its value.
func evalAsync[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fail("evaluate "+expr, err)
	}
	return v
}

// pickPost chooses a post in the post picker labelled label, by searching
// for words of it and clicking the result naming business.
func (tb *tab) pickPost(scope, label, words, business string) {
	tb.t.Helper()
	tb.fill(scope, label, words)
	result := tb.mark("the post "+business+" among the results", fmt.Sprintf(
		`[...document.querySelectorAll(%s + ' .picker-results button')].find((b) => b.textContent.includes(%s))`, jsString(scope), jsString(business)))
	tb.do("pick "+business, chromedp.Click(result, chromedp.NodeVisible))
	tb.waitText(scope+" .picker-chosen", business)
}

// partnershipLink returns the newest link to a partnership emailed to the
// address.
func (s *site) partnershipLink(t *testing.T, to string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/app/partnerships/\d+`)
	msgs := s.mails(t)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(msgs[i].To, to) {
			if m := re.FindString(msgs[i].Text); m != "" {
				return m
			}
		}
	}
	t.Fatalf("no partnership link emailed to %s among %d emails", to, len(msgs))
	return ""
}

// allowDownloads saves the files the tab downloads in dir.
func (tb *tab) allowDownloads(dir string) {
	tb.t.Helper()
	events := false
	_, err := chromedp.CallBrowser(tb.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID, EventsEnabled: &events,
	})
	if err != nil {
		tb.t.Fatalf("%s: allow downloads: %v", tb.name, err)
	}
}

// waitDownload waits until the file name is downloaded whole into dir and
// returns its content.
func (tb *tab) waitDownload(dir, name string) string {
	tb.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		data, err := os.ReadFile(filepath.Join(dir, name))
		_, partial := os.Stat(filepath.Join(dir, name+".crdownload"))
		if err == nil && len(data) > 0 && partial != nil {
			return string(data)
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			tb.t.Fatalf("%s: %s was not downloaded within %s; the folder holds %v", tb.name, name, stepTimeout, names)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A strategic partnership from start to returns: the host pairs two posts
// in the strategic lane; one member plans the quarter (a goal, a
// deliverable, what they sign up to); both review it with a rating and the
// goal's actual value; the returns and their chart show, and the host sees
// the partnership's health. Then the lane changes under a page still
// showing the board: its next write is refused with a message naming the
// lane, and the old records stay readable.
func TestBrowserStrategicPartnership(t *testing.T) {
	s := startSite(t)
	quarter := currentQuarter()
	const (
		emailA    = "ana@northwind-studio.example"
		emailB    = "kenji@ledger-leaf.example"
		businessA = "Northwind Web Studio"
		businessB = "Ledger & Leaf 帳簿サービス"
		goal      = "Joint launch clients"
	)
	s.createPost(t, map[string]any{"business": businessA, "email": emailA, "lane": "strategic",
		"offer":     "Shopify stores and custom themes for skincare and beauty brands.",
		"seek":      "A bookkeeper who understands ecommerce payouts, to build and co-sell a launch package together next quarter.",
		"customers": "Skincare brands selling on Shopify"})
	s.createPost(t, map[string]any{"business": businessB, "email": emailB, "lane": "either",
		"offer":     "Bookkeeping, VAT returns and payout reconciliation for ecommerce sellers.",
		"seek":      "Shopify agencies to package our bookkeeping with their store launches.",
		"customers": "Online store owners, mostly beauty brands"})

	// The host offers the two posts a strategic partnership: it starts
	// once both members accept.
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open("/app/partnerships")
	host.waitText(".empty", "No partnerships yet")
	host.click(".start-partnership", "Pair two posts as partners")
	host.pickPost(".start-partnership form", "First post", "Northwind", businessA)
	host.pickPost(".start-partnership form", "Second post", "bookkeeping payout", businessB)
	host.check(".start-partnership form", "Strategic")
	host.setField(".start-partnership form", "A note for both", "You both launch skincare brands: a joint launch package?")
	host.click(".start-partnership form", "Offer the partnership")
	host.waitText(".offer-card .card-title", businessA+" and "+businessB)
	host.waitText(".offer-card .offer-waiting", "Waiting for "+businessA+" and "+businessB)
	host.waitText(".empty", "No partnerships yet")

	// A accepts the offer; it waits for B.
	a := s.newTab(t, "member A")
	signIn(t, s, a, emailA)
	a.open("/app/partnerships")
	a.waitText(".offer-card .card-title", "A partnership with "+businessB)
	a.waitText(".offer-card .offer-note", "a joint launch package?")
	a.screenshot("partnership-offer")
	a.click(".offer-card", "Accept")
	a.waitText(".offer-card .offer-waiting", "Waiting for "+businessB)

	// B accepts too: it starts, and B lands on its page.
	b := s.newTab(t, "member B")
	signIn(t, s, b, emailB)
	b.open("/app/partnerships")
	b.click(".offer-card", "Accept")
	b.waitText("h1", "Partnership with "+businessA)
	b.waitText(".partnership-meta", "Strategic lane")
	path := eval[string](b, `location.pathname`)
	if !regexp.MustCompile(`^/app/partnerships/\d+$`).MatchString(path) {
		t.Fatalf("after accepting, B is at %s, want the partnership's page", path)
	}
	b.waitText(".history", "started it in the strategic lane")
	host.open(path)
	host.waitFor("the quarter board", `document.querySelector('.section-goals') !== null`)

	// Side A plans the quarter.
	a.open("/app/partnerships")
	a.waitText(`.lane-group[data-lane="strategic"] .card-title`, businessB)
	if n := a.count(".offer-card"); n != 0 {
		t.Errorf("A still sees %d offers after both accepted", n)
	}
	a.screenshot("partnerships")
	a.click(`.lane-group[data-lane="strategic"] .card-title`, businessB)
	a.waitText("h1", "Partnership with "+businessB)
	a.waitText(".section-quarter h2", "Quarter board · "+quarter)
	a.waitText(".section-goals .empty", "No goals for "+quarter)

	goalForm := ".section-goals form.goal-form"
	a.fill(goalForm, "Title", goal)
	a.fill(goalForm, "Metric", "clients signed to the launch package")
	a.fill(goalForm, "Target", "10")
	a.fill(goalForm, "Unit", "clients")
	a.click(goalForm, "Add the goal")
	a.waitText(".goal .card-title", goal)
	a.waitText(".goal", "at least 10 clients")

	// A deliverable in Arabic with a very long word still fits a phone.
	long := "صفحة هبوط مشتركة — co-branded landing page " + strings.Repeat("Zusammenarbeitsvereinbarung", 5)
	delivForm := ".section-deliverables form.deliverable-form"
	a.setField(delivForm, "What", long)
	a.setField(delivForm, "Owner", "a")
	a.click(delivForm, "Add the deliverable")
	a.waitText(".deliverable .card-title", "صفحة هبوط مشتركة")
	if !eval[bool](a, `document.querySelector('.deliverable .card-title').getAttribute('dir') === 'auto'`) {
		t.Error("the deliverable's text is not shown with dir=auto")
	}

	a.click(".section-expectations", "Add what you sign up to")
	a.setField(".section-expectations form", "What you sign up to", "Build the launch package’s store template by week 6.")
	a.click(".section-expectations form", "Sign up to it")
	a.waitFor("the signed expectation", `document.querySelector('.expectations[data-side="a"] li[data-signed="true"]') !== null`)

	// A reviews the quarter: a rating and the goal's actual value.
	review := ".section-reviews form.review-form"
	a.check(review, "4 – good")
	a.setField(review, "What you delivered", "The store template and two joint webinars.")
	a.fill(review, goal, "12")
	a.click(review, "Save my review")
	a.waitFor("A's review", `document.querySelector('.review[data-side="a"][data-reviewed="true"]') !== null`)
	a.waitText(".goal", "Met")
	a.screenshot("partnership-strategic-planned")

	// Side B opens the emailed link, marks the deliverable done and
	// reviews too.
	b.do("open the emailed partnership link", chromedp.Navigate(s.partnershipLink(t, emailB)))
	b.waitDrawn()
	b.waitText("h1", "Partnership with "+businessA)
	// B raises the goal's target; the plan's history says who changed
	// what, for both sides to read.
	b.click(".goal", "Edit")
	b.fill(".goal form.goal-form", "Target", "12")
	b.click(".goal form.goal-form", "Save the goal")
	b.waitText(".goal", "at least 12 clients")
	b.click(".section-plan-history", "Every change to this quarter’s plan")
	b.waitText(".plan-history .plan-edit-changed", businessB+" changed the goal “"+goal+"”.")
	b.waitText(".plan-history .plan-edit-changed .plan-changes", "target 10 → 12")
	b.waitText(".plan-history .plan-edit-added", businessA+" added the goal “"+goal+"”.")
	b.click(".deliverable", "Mark done")
	b.waitFor("the deliverable done", `document.querySelector('.deliverable[data-done="true"]') !== null`)
	b.check(".section-reviews form.review-form", "5 – excellent")
	b.fill(".section-reviews form.review-form", goal, "12")
	b.click(".section-reviews form.review-form", "Save my review")
	b.waitFor("B's review", `document.querySelector('.review[data-side="b"][data-reviewed="true"]') !== null`)

	// The quarter's returns, and their chart by quarter.
	b.waitText(".returns", "1 of 1")
	b.waitText(".returns", "4 / 5")
	b.waitText(".returns", "5 / 5")
	b.waitText(fmt.Sprintf(`.returns-table tr[data-quarter=%q]`, quarter), "1 of 1 (100%)")
	b.waitFor("the returns chart drawn by uPlot", `document.querySelector('.section-trend .chart-plot[data-drawn] canvas') !== null`)
	b.screenshot("partnership-strategic-returns")

	// The host sees how it does.
	host.open("/app/host/partnerships")
	host.waitText(".health-card .card-title", businessA)
	host.waitText(".health-card", "1 of 1")
	// Both reviewed, the goal met, the deliverable done: on track, from
	// what happened.
	host.waitText(`.health-card[data-state="on_track"] .badges`, "On track")
	host.screenshot("host-partnership-health")

	// The host moves it to the referral lane while B's page still shows
	// the board: B's next goal is refused, with the lane named.
	// The host may only propose it: it waits for both sides. B accepts
	// first (the page still the strategic board), then A, which moves it.
	host.open(path)
	host.click(".section-plan-history", "Every change to this quarter’s plan")
	host.waitText(".plan-history .plan-edit-done", businessB+" marked the deliverable")
	host.waitText(".plan-history .plan-edit-changed .plan-changes", "target 10 → 12")
	host.click(".section-manage", "Propose a move to the referral lane")
	host.setField(".lane-form", "Why you propose the move", "They only want to refer clients to each other for now.")
	host.click(".lane-form", "Propose the referral lane")
	host.waitText(".section-proposals .proposal .eyebrow", "waiting for "+businessA+" and "+businessB)
	host.waitText(".partnership-meta", "Strategic lane")
	if n := host.count(".proposal .actions button.primary"); n != 0 {
		t.Errorf("the host is offered %d accept buttons; only the sides accept", n)
	}
	b.open(path)
	b.click(".proposal", "Accept")
	b.waitText(".section-proposals .proposal .eyebrow", "waiting for "+businessA)
	b.waitText(".partnership-meta", "Strategic lane")
	a.open(path)
	a.waitText(".proposal", "They only want to refer clients")
	a.click(".proposal", "Accept")
	a.waitText(".partnership-meta", "Referral lane")
	a.waitText(".history", "moved from the strategic lane to the referral lane")
	a.waitText(".history", "proposed by the host, agreed by both sides: They only want to refer clients")
	a.waitText(".proposal-history", "Accepted")

	b.click(".section-goals", "Add a goal for "+quarter)
	gf := ".section-goals .add-form form.goal-form"
	b.fill(gf, "Title", "Second goal")
	b.fill(gf, "Metric", "webinars held")
	b.fill(gf, "Target", "2")
	b.click(gf, "Add the goal")
	b.waitText(gf+" .form-error", "this partnership is in the referral lane")
	b.screenshot("partnership-lane-error")

	// Reloaded, it is a referral partnership whose strategic records stay
	// readable, and take nothing new.
	b.open(path)
	b.waitText(".partnership-meta", "Referral lane")
	b.waitText(".section-terms", "No terms yet")
	b.click(".lane-note", "See its strategic records (read only)")
	b.waitText(".goal .card-title", goal)
	if n := b.count(".lane-board form:not(.quarter-form), .lane-board .item-actions button"); n != 0 {
		t.Errorf("the strategic records of a referral partnership show %d forms or buttons, want none (read only)", n)
	}
}

// A referral partnership: two members who accepted an introduction start
// it (in the lane they choose), agree on terms, and one passes a lead; the
// other marks it won with the sale, and the commission shows in both
// ledgers, formatted from minor units. The side it costs confirms it and
// records the payout; the totals follow, and the statement downloads as
// CSV, by link for a member and through the host's token for the host.
func TestBrowserReferralPartnership(t *testing.T) {
	s := startSite(t)
	quarter := currentQuarter()
	const (
		emailA, emailB       = dentalEmailA, dentalEmailB
		businessA, businessB = dentalBusinessA, dentalBusinessB
	)
	pa, pb := s.dentalPair(t)

	// The host introduces them, and both say yes by their emailed links.
	s.introduce(t, quarter, pa, pb)
	links := s.newTab(t, "email links")
	for _, to := range []string{emailA, emailB} {
		links.do("open the introduction link", chromedp.Navigate(s.link(t, to, "introduction")))
		links.click("main", "Yes, introduce us")
		links.waitText("h1", "Thank you")
	}

	// A starts the partnership from the accepted introduction: both are
	// open to either lane, so A chooses, referral being suggested.
	a := s.newTab(t, "member A")
	signIn(t, s, a, emailA)
	a.open("/app/introductions")
	a.waitText(".intro-accepted .card-title", businessB)
	a.waitText(".intro-accepted .start-partnership", "Referral (suggested)")
	if !eval[bool](a, `document.querySelector('.intro-accepted .start-partnership input[value="referral"]').checked`) {
		t.Error("referral, the lighter commitment, is not the lane chosen by default")
	}
	a.screenshot("introductions-start-partnership")
	a.click(".intro-accepted .start-partnership", "Start a partnership")
	a.waitText("h1", "Partnership with "+businessB)
	a.waitText(".partnership-meta", "Referral lane")
	path := eval[string](a, `location.pathname`)

	// Terms need both: A proposes 10% of each sale, in US dollars,
	// whoever receives pays; B counters with 12.5%; A accepts.
	terms := ".section-terms form.terms-form"
	a.fill(terms, "Percent of each sale", "10")
	a.fill(terms, "Currency", "usd")
	a.click(terms, "Propose these terms")
	a.waitText(".section-proposals .proposal", "10% of each won sale, paid once.")
	a.waitText(".section-proposals .proposal .eyebrow", "waiting for "+businessB)
	a.waitText(".section-terms", "No terms yet")

	b := s.newTab(t, "member B")
	signIn(t, s, b, emailB)
	b.open(path)
	b.waitText(".section-proposals .proposal", "10% of each won sale")
	b.waitText(".section-proposals .proposal", "To answer with other terms")
	b.fill(terms, "Percent of each sale", "12.5")
	b.fill(terms, "Currency", "usd")
	b.click(terms, "Propose these terms")
	b.waitText(".section-proposals .proposal", "12.5% of each won sale")
	b.waitText(".section-proposals .proposal .eyebrow", "waiting for "+businessA)
	b.waitText(".proposal-history", "Answered with a counter-proposal by "+businessB)
	b.screenshot("partnership-terms-counter-proposal")

	a.open(path)
	a.waitText(".section-proposals .proposal", "12.5% of each won sale")
	a.click(".proposal", "Accept")
	a.waitText(".terms-current", "12.5% of each won sale, paid once. Each side pays for the leads it receives.")

	// A passes a lead to B.
	a.click(".section-referrals", "Pass a lead to "+businessB)
	a.fill(".referral-form", "Lead’s name", "Dr. Rosa Díaz")
	a.fill(".referral-form", "Company", "Díaz Dental — عيادة")
	a.setField(".referral-form", "Note", "Opening a second clinic in the autumn; needs billing set up.")
	a.click(".referral-form", "Pass the lead")
	a.waitText(".referral .card-title", "Dr. Rosa Díaz")
	a.waitText(".referral", "Waiting for "+businessB+" to say how it went")
	if n := a.count(".referral .won-disclosure"); n != 0 {
		t.Error("the referring side is offered to mark its own lead won; only the receiving side may")
	}

	// B marks it won: 12,345.67 USD, so 12.5% is 1,543.20875, rounded
	// once to 1,543.21.
	b.open(path)
	b.waitText(".referral .card-title", "Dr. Rosa Díaz")
	b.click(".referral", "Mark won…")
	b.fill(".won-form", "Sale amount", "12345.67")
	b.click(".won-form", "Record the win")
	b.waitText(".entry .amount", "1,543.21 USD")
	b.waitText(".referral .sale", "12,345.67 USD")
	if got := b.text(".entry .amount"); got != "1,543.21 USD" {
		t.Errorf("B's ledger shows the commission as %q, want 1,543.21 USD", got)
	}
	if got := eval[string](b, `document.querySelector('.entry').dataset.status + ' ' + document.querySelector('.entry .amount').dataset.minor`); got != "pending 154321" {
		t.Errorf("the commission is %q, want pending 154321 (minor units)", got)
	}

	// A sees it too, but may not confirm it: it costs B.
	a.open(path)
	a.waitText(".entry .amount", "1,543.21 USD")
	a.waitText(".entry", "Waiting for "+businessB+" to confirm")
	if n := a.count(`.entry .item-actions button.primary`); n != 0 {
		t.Errorf("A is offered %d confirm buttons for an entry that costs B", n)
	}

	// B confirms it and records the payout.
	b.click(".entry", "Confirm")
	b.waitFor("the entry due", `document.querySelector('.entry').dataset.status === 'due'`)
	b.fill(".payout-form", "Reference", "TRX-2024-0042")
	b.click(".payout-form", "Record the payout")
	b.waitFor("the entry paid", `document.querySelector('.entry').dataset.status === 'paid'`)
	b.waitText(".payouts", "TRX-2024-0042")
	b.waitText(".totals .total-paid", "1,543.21 USD")
	b.waitText(".totals .total-due", "0.00 USD")
	b.waitFor("the commission chart drawn by uPlot", `document.querySelector('.section-trend .chart-plot[data-drawn] canvas') !== null`)
	b.screenshot("partnership-referral-ledger")

	// A's totals agree.
	a.open(path)
	a.waitText(".totals th", businessB+" → "+businessA)
	for cell, want := range map[string]string{"earned": "1,543.21 USD", "net": "1,543.21 USD", "pending": "0.00 USD", "due": "0.00 USD", "paid": "1,543.21 USD"} {
		if got := a.text(".totals .total-" + cell); got != want {
			t.Errorf("A's %s total is %q, want %q", cell, got, want)
		}
	}

	// The statement as CSV: a plain link with A's session, read in the page
	// and downloaded...
	header := "record,id,date,quarter,kind,referral_id,payer,payee,amount,currency,amount_minor,status,payout_id,reference,reason"
	got := evalAsync[string](a, `fetch(document.querySelector('.csv-link').href, {credentials: 'same-origin'}).then(async (r) => r.status + ' ' + r.headers.get('Content-Type') + '\n' + await r.text())`)
	first, rest, _ := strings.Cut(got, "\n")
	if first != "200 text/csv; charset=utf-8" {
		t.Errorf("the CSV link answers %q, want 200 text/csv; charset=utf-8", first)
	}
	if line, _, _ := strings.Cut(rest, "\n"); strings.TrimSpace(line) != header {
		t.Errorf("the CSV's first line is %q, want %q", line, header)
	}
	if !strings.Contains(rest, "1543.21,USD,154321,paid") {
		t.Errorf("the CSV lacks the paid commission (1543.21,USD,154321,paid):\n%s", rest)
	}
	dir := t.TempDir()
	a.allowDownloads(dir)
	a.click(".section-totals", "Download CSV")
	name := eval[string](a, `'partnership-' + location.pathname.split('/').pop() + '-statement.csv'`)
	if csv := a.waitDownload(dir, name); !strings.HasPrefix(csv, header+"\n") {
		t.Errorf("the downloaded CSV starts %.200q, want the header %q", csv, header)
	}

	// ...and, for the host, fetched with the token and saved from memory,
	// for one quarter.
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open(path)
	host.waitText("h1", businessA+" and "+businessB)
	host.waitText(".entry .amount", "1,543.21 USD")
	host.setField(".section-totals", "Period", quarter) // as a person picks it: a change event
	host.waitFor("the quarter's totals", fmt.Sprintf(`document.querySelector('#statement-period') && document.querySelector('#statement-period').value === %q && document.querySelector('.totals caption').textContent.includes(%q)`, quarter, quarter))
	hostDir := t.TempDir()
	host.allowDownloads(hostDir)
	host.click(".section-totals", "Download CSV")
	host.waitText(".csv-status", "Saved")
	hostName := strings.TrimSuffix(strings.TrimPrefix(host.text(".csv-status"), "Saved "), ".")
	if want := strings.TrimSuffix(name, ".csv") + "-" + quarter + ".csv"; hostName != want {
		t.Errorf("the host's CSV is named %q, want %q", hostName, want)
	}
	if csv := host.waitDownload(hostDir, hostName); !strings.HasPrefix(csv, header+"\n") || !strings.Contains(csv, "154321") {
		t.Errorf("the host's CSV of %s is wrong:\n%.400s", quarter, csv)
	}
	host.screenshot("partnership-referral-host")

	// A refund: A takes back part of the paid commission. The reversal
	// costs A, who owes it back, so A confirms it; the totals follow.
	a.click(".entry", "Reverse…")
	a.setField(".reverse-form", "Reason", "The clinic was refunded part of the setup fee.")
	a.fill(".reverse-form", "Amount to take back (USD)", "100")
	a.click(".reverse-form", "Reverse it")
	a.waitFor("the reversal", `document.querySelector('.entry[data-kind="reversal"]') !== null`)
	if got := a.text(`.entry[data-kind="reversal"] .amount`); got != "−100.00 USD" {
		t.Errorf("the reversal shows %q, want −100.00 USD", got)
	}
	a.click(`.entry[data-kind="reversal"]`, "Confirm")
	a.waitFor("the reversal due", `document.querySelector('.entry[data-kind="reversal"]').dataset.status === 'due'`)
	a.waitText(".totals .total-reversed", "−100.00 USD")
	a.waitText(".totals .total-net", "1,443.21 USD")
}

// The host previews a member's digest (text on the page, HTML in a new
// tab), tries a dry run, sends the quarter's digests and sees the run's
// summary match the dry run.
func TestBrowserHostDigests(t *testing.T) {
	s := startSite(t)
	s.importEvalSet(t)
	quarter := currentQuarter()
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.click(".tabs", "Digests")
	host.waitText("h1", "Digests")
	host.waitText(".digest-status", "Nothing sent for "+quarter+" yet")
	if got := eval[string](host, `location.pathname`); got != "/app/host/digests" {
		t.Errorf("the digests tab is at %s, want /app/host/digests", got)
	}

	note := "Meetup on 12 August — members from 東京 and عمّان welcome!"
	host.setField(".note-form", "Your note", note)
	host.click(".note-form", "Save the note")
	host.waitText("#toast", "Note saved")

	// An address with nothing new is told so at the field.
	form := ".preview-form"
	host.fill(form, "Member’s email", "nobody@nowhere.example")
	host.click(form, "Show the text version")
	host.waitFor("the preview's error at the field", `(document.querySelector('[data-field="email"] .field-error') || {}).hidden === false`)

	member := "hello@brightbitemarketing.com"
	host.fill(form, "Member’s email", member)
	host.click(form, "Show the text version")
	host.waitText(".digest-preview pre", "A note from the host:")
	host.waitText(".digest-preview pre", note)
	host.waitText(".digest-preview pre", "Preview for the host")
	// The HTML version opens in a tab of its own, styled as the email is
	// (its inline styles applied through the CSSOM under the app's CSP).
	opener := chromedp.FromContext(host.ctx).Target.TargetID
	popup := chromedp.WaitNewTarget(host.ctx, func(info *target.Info) bool { return info.Type == "page" && info.OpenerID == opener })
	host.click(form, "Open the HTML version")
	host.waitText(".html-status", "The HTML version opened in a new tab")
	var id target.ID
	select {
	case id = <-popup:
	case <-time.After(stepTimeout):
		t.Fatal("the HTML preview opened no tab")
	}
	pctx, cancel := chromedp.NewContext(host.ctx, chromedp.WithTargetID(id))
	defer cancel()
	// A bound on the whole tab: what a failure reports of it must not hang.
	pctx, cancelWait := context.WithTimeout(pctx, 2*stepTimeout)
	defer cancelWait()
	preview := &tab{t: t, ctx: pctx, site: s, name: "HTML preview"}
	preview.waitFor("the email, styled", fmt.Sprintf(`location.protocol === 'blob:' && document.readyState === 'complete'
  && getComputedStyle(document.body).backgroundColor === 'rgb(244, 245, 247)' && document.body.textContent.includes(%s)
  && document.querySelectorAll('script').length === 0`, jsString(note)))
	host.waitText(".digest-preview pre", note) // the text version stays
	host.screenshot("host-digests-preview")

	host.click(".send-form", "Dry run")
	host.waitText(".dry-run-report", "Dry run of "+quarter)
	wouldSend := eval[string](host, `document.querySelector('.dry-run-stats [data-stat="would send"] .stat-value').textContent`)
	if wouldSend == "0" || wouldSend == "" {
		t.Fatalf("the dry run would send %q digests to a community of 86", wouldSend)
	}
	if n := len(s.mails(t)); n != 0 {
		t.Errorf("the preview and dry run sent %d emails, want none", n)
	}

	host.click(".send-form", "Send the digests")
	host.click(".send-form", "Yes, send them")
	host.waitFor("the run's summary", `document.querySelector('.digest-status').dataset.state === 'done'`)
	host.waitText(".digest-status .run-summary", "The last run finished")
	sent := eval[string](host, `document.querySelector('.digest-counts [data-stat="sent"] .stat-value').textContent`)
	if sent != wouldSend {
		t.Errorf("the run sent %s digests, the dry run said %s", sent, wouldSend)
	}
	if n := host.text(`.digest-counts [data-stat="skipped"] .stat-value`); n != "0" {
		if why := host.text(`.digest-counts [data-stat="skipped"] .stat-detail`); why == "" {
			t.Errorf("%s members were skipped, and the page does not say why", n)
		}
	}
	digests := 0
	for _, m := range s.mails(t) {
		if strings.Contains(m.Text, note) {
			digests++
		}
	}
	if fmt.Sprint(digests) != sent {
		t.Errorf("%d emails carry the host's note, the page says %s were sent", digests, sent)
	}
	host.screenshot("host-digests-sent")

	// Opened again, the page shows where the quarter stands.
	host.open("/app/host/digests/" + quarter)
	host.waitText(".digest-status .run-summary", fmt.Sprintf(": %s sent of", sent))
}

// Money typed by people becomes exact minor units, by the currency's
// decimals, and shows back in their locale's format.
func TestBrowserMoneyInput(t *testing.T) {
	s := startSite(t)
	b := s.newTab(t, "visitor")
	b.open("/app/directory")
	got := evalAsync[string](b, `import('/js/money.js').then((m) => JSON.stringify({
  parsed: [
    ['1250.00', 'USD'], ['1250', 'JPY'], ['12.345', 'KWD'], ['0.1', 'USD'], ['1,250.50', 'USD'], ['1 250,5', 'EUR'],
    ['19.99', 'USD'], ['1.005', 'USD'], ['12.5', 'JPY'], ['0', 'USD'], ['-5', 'USD'], ['abc', 'USD'], ['100000000000.01', 'USD'],
  ].map(([t, c]) => { const r = m.parseMoney(t, c); return r.error ? 'error: ' + r.error : r.amount; }),
  signed: m.parseMoney('-20.5', 'EUR', { signed: true }).amount,
  shown: [[125000, 'USD'], [1250, 'JPY'], [12345, 'KWD'], [5, 'USD'], [-154321, 'USD']].map(([a, c]) => m.formatMoney(a, c)),
  back: [m.decimal(125000, 'USD'), m.decimal(-5, 'JPY'), m.decimal(7, 'KWD')],
}))`)
	var res struct {
		Parsed []any    `json:"parsed"`
		Signed float64  `json:"signed"`
		Shown  []string `json:"shown"`
		Back   []string `json:"back"`
	}
	if err := json.Unmarshal([]byte(got), &res); err != nil {
		t.Fatal(err)
	}
	want := []string{"125000", "1250", "12345", "10", "125050", "125050", "1999",
		"error: USD has 2 decimals at most", "error: JPY has no decimals: write a whole amount", "error: must be more than zero",
		"error: must be more than zero", "error: must be an amount such as 1250.00", "error: is too large"}
	if len(res.Parsed) != len(want) || len(res.Shown) != 5 || len(res.Back) != 3 {
		t.Fatalf("the page answered %d parse, %d format and %d decimal cases; want %d, 5 and 3", len(res.Parsed), len(res.Shown), len(res.Back), len(want))
	}
	for i, w := range want {
		if fmt.Sprint(res.Parsed[i]) != w {
			t.Errorf("parse case %d: got %v, want %s", i, res.Parsed[i], w)
		}
	}
	if res.Signed != -2050 {
		t.Errorf("-20.5 EUR signed: got %v, want -2050", res.Signed)
	}
	for i, w := range []string{"1,250.00 USD", "1,250 JPY", "12.345 KWD", "0.05 USD", "−1,543.21 USD"} {
		if res.Shown[i] != w {
			t.Errorf("format case %d: got %q, want %q", i, res.Shown[i], w)
		}
	}
	for i, w := range []string{"1250.00", "-5", "0.007"} {
		if res.Back[i] != w {
			t.Errorf("decimal case %d: got %q, want %q", i, res.Back[i], w)
		}
	}
}

// introduce has the host introduce the two posts' members: a round of the
// quarter, their suggestion approved (added by hand when the round did not
// pair them), and the introduction sent.
func (s *site) introduce(t *testing.T, quarter string, a, b postJSON) {
	t.Helper()
	s.runRound(t, fmt.Sprintf(`{"quarter":%q,"per_post":3}`, quarter))
	var list struct {
		Suggestions []struct {
			ID     int64                   `json:"id"`
			Status string                  `json:"status"`
			A      struct{ Post postJSON } `json:"a"`
			B      struct{ Post postJSON } `json:"b"`
		} `json:"suggestions"`
	}
	s.call(t, true, http.MethodGet, "/api/v1/rounds/"+quarter+"/suggestions", "", "", http.StatusOK, &list)
	var sg struct {
		ID int64 `json:"id"`
	}
	for _, x := range list.Suggestions {
		if (x.A.Post.ID == a.ID && x.B.Post.ID == b.ID) || (x.A.Post.ID == b.ID && x.B.Post.ID == a.ID) {
			sg.ID = x.ID
			if x.Status == "proposed" {
				s.call(t, true, http.MethodPatch, fmt.Sprintf("/api/v1/rounds/%s/suggestions/%d", quarter, sg.ID), "application/json", `{"status":"approved"}`, http.StatusOK, nil)
			}
		}
	}
	if sg.ID == 0 {
		s.call(t, true, http.MethodPost, "/api/v1/rounds/"+quarter+"/suggestions", "application/json", fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, a.ID, b.ID), http.StatusCreated, &sg)
	}
	s.call(t, true, http.MethodPost, fmt.Sprintf("/api/v1/rounds/%s/suggestions/%d/introduce", quarter, sg.ID), "", "", http.StatusCreated, nil)
}

// The two members of the referral and meeting flows: a bookkeeper for
// dental practices and a dental billing firm, both open to either lane.
const (
	dentalEmailA    = "lena@lumen-books.example"
	dentalEmailB    = "omar@smile-billing.example"
	dentalBusinessA = "Lumen Dental Books"
	dentalBusinessB = "Smile Billing Co."
)

// dentalPair posts the two members' posts.
func (s *site) dentalPair(t *testing.T) (postJSON, postJSON) {
	t.Helper()
	pa := s.createPost(t, map[string]any{"business": dentalBusinessA, "email": dentalEmailA, "lane": "either",
		"offer":     "Bookkeeping, payroll and tax returns for dental practices.",
		"seek":      "A dental billing company whose practices need an accountant who understands dentistry.",
		"customers": "Dental practices"})
	pb := s.createPost(t, map[string]any{"business": dentalBusinessB, "email": dentalEmailB, "lane": "either",
		"offer":     "Insurance billing and claims for dental practices.",
		"seek":      "An accountant for dental practices to refer our clients to.",
		"customers": "Dental practices"})
	return pa, pb
}
