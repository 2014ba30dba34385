package webtest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// A member edits their own post: the form lists every missing answer at
// once, in the form's order, with focus on the first; once saved, the
// matches are found again from the new words.
func TestBrowserMemberEditsTheirPost(t *testing.T) {
	s := startSite(t)
	const email = "mo@ledger-mo.example"
	mine := s.createPost(t, map[string]any{"business": "Ledger Mo", "email": email, "lane": "either",
		"offer":     "Bookkeeping and payroll for independent dental practices.",
		"seek":      "Practice-management software vendors who serve dentists.",
		"customers": "Dental practices"})
	s.createPost(t, map[string]any{"business": "Chairside Software", "email": "hi@chairside-soft.example", "lane": "either",
		"offer":     "Practice-management software for dental clinics.",
		"seek":      "Bookkeepers and accountants who serve dental practices.",
		"customers": "Dental practices"})
	s.createPost(t, map[string]any{"business": "Forge Storefronts", "email": "hi@forge-stores.example", "lane": "either",
		"offer":     "Shopify stores and apps for ecommerce brands.",
		"seek":      "Bookkeepers who understand Shopify payouts, for our clients.",
		"customers": "Online store owners"})

	m := s.newTab(t, "member")
	signIn(t, s, m, email)
	m.open("/app/matches")
	m.waitText(".match-card:first-of-type .card-title", "Chairside Software")

	m.click(".my-post", "Your post: Ledger Mo Referral or strategic")
	m.click(".my-post", "Edit my post")
	form := ".edit-post-form"
	// Two answers emptied: both are named at once, in the form's order.
	m.clearField(form, "What you do")
	m.clearField(form, "Business name")
	m.click(form, "Save my post")
	m.waitText(form+" .form-error", "2 answers need a change.")
	if got := m.text(form + " .form-error li:first-child"); !strings.HasPrefix(got, "Business name:") {
		t.Errorf("the first error listed is %q, want the business name's (the form's order)", got)
	}
	if id := eval[string](m, `document.activeElement.name`); id != "business" {
		t.Errorf("focus is on %q after the errors, want the business name", id)
	}
	m.screenshot("edit-post-errors")

	m.setField(form, "Business name", "Ledger Mo")
	m.setField(form, "What you do", "Bookkeeping and sales tax for Shopify stores and ecommerce brands.")
	m.setField(form, "Who you are looking for", "Shopify developers whose clients need an accountant.")
	m.setField(form, "Who your customers are", "Online store owners")
	m.click(form, "Save my post")
	m.waitText(".match-card:first-of-type .card-title", "Forge Storefronts")
	m.waitText(".my-post", "Bookkeeping and sales tax for Shopify stores")
	m.screenshot("edit-post-saved")

	// Deleting asks first, naming what goes; then the post is gone.
	m.click(".my-post", "Your post: Ledger Mo Referral or strategic")
	m.click(".my-post", "Delete my post")
	m.waitText(".my-post .confirm-question", "Delete the post of Ledger Mo for good?")
	post := fmt.Sprintf("/api/v1/posts/%d", mine.ID)
	s.call(t, true, "GET", post, "", "", 200, nil) // asking deletes nothing
	m.click(".my-post", "Yes, delete it")
	m.waitFor("the post gone from the page", `!document.querySelector('.my-post')`)
	s.call(t, true, "GET", post, "", "", 404, nil) // gone, whatever its status was
}

// Every page loads quietly, for a visitor, a member and the host: no
// request fails on a normal page load (no 401 for asking who is signed
// in, no missing icon), and fits a phone's width (390 px) and a laptop's.
func TestBrowserPagesLoadQuietly(t *testing.T) {
	s := startSite(t)
	const email = "mo@ledger-mo.example"
	p := s.createPost(t, map[string]any{"business": "Ledger Mo", "email": email, "lane": "either",
		"offer":     "Bookkeeping and payroll for independent dental practices.",
		"seek":      "Practice-management software vendors who serve dentists.",
		"customers": "Dental practices"})
	quiet := func(tb *tab, paths ...string) {
		t.Helper()
		for _, path := range paths {
			tb.open(path)
			// The icon the page names must be there too.
			if status := evalAsync[int](tb, `fetch(document.querySelector('link[rel=icon]').href).then((r) => r.status)`); status != 200 {
				t.Errorf("%s: the page's icon answers %d", path, status)
			}
			if failed := tb.failedLoads(); len(failed) > 0 {
				t.Errorf("%s as %s: failed requests on load: %q", path, tb.name, failed)
			}
			// And it fits a phone's width, as a laptop's.
			tb.screenshot(tb.name + path)
		}
	}
	visitor := s.newTab(t, "visitor")
	quiet(visitor, "/", "/app/start", "/app/directory", "/app/signin", "/app/matches", "/app/introductions", "/app/partnerships", "/app/account")

	member := s.newTab(t, "member")
	signIn(t, s, member, email)
	member.failedLoads()
	quiet(member, "/app/matches", "/app/introductions", "/app/partnerships", "/app/directory", "/app/start", "/app/account")

	host := s.newTab(t, "host")
	hostSignIn(host)
	host.failedLoads()
	quiet(host, "/app/host", "/app/host/intake", "/app/host/rounds", "/app/host/learning", "/app/host/digests",
		"/app/host/mail", "/app/host/money", "/app/host/partnerships", "/app/partnerships", fmt.Sprintf("/app/directory?post=%d", p.ID))
}

// The host narrows a round's pairs on the server, by region: the page
// shows what the API keeps, and the narrowing stays in the address.
func TestBrowserHostNarrowsARound(t *testing.T) {
	s := startSite(t)
	quarter := currentQuarter()
	for _, p := range []struct{ business, email, region, offer, seek string }{
		{"Leeds Books", "hi@leeds-books.example", "Leeds", "Bookkeeping for dental practices.", "Dental practice software vendors who serve dentists."},
		{"Leeds Chairs", "hi@leeds-chairs.example", "Leeds", "Practice software for dental practices.", "Bookkeepers who serve dental practices."},
		{"Bristol Books", "hi@bristol-books.example", "Bristol", "Bookkeeping for Shopify stores.", "Shopify developers whose clients need an accountant."},
		{"Bristol Forge", "hi@bristol-forge.example", "Bristol", "Shopify stores for ecommerce brands.", "Bookkeepers who understand Shopify payouts."},
	} {
		s.createPost(t, map[string]any{"business": p.business, "email": p.email, "region": p.region, "lane": "either",
			"offer": p.offer, "seek": p.seek})
	}
	s.runRound(t, fmt.Sprintf(`{"quarter":%q,"per_post":3}`, quarter))
	var leeds struct {
		Suggestions []struct {
			ID int64 `json:"id"`
		} `json:"suggestions"`
	}
	s.call(t, true, "GET", "/api/v1/rounds/"+quarter+"/suggestions?region=leeds", "", "", 200, &leeds)
	if len(leeds.Suggestions) == 0 {
		t.Fatal("the round pairs nobody in Leeds")
	}

	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open("/app/host/rounds/" + quarter)
	host.waitFor("pairs", `document.querySelectorAll('.suggestion').length > 0`)
	all := host.count(".suggestion")
	host.fill(".narrow-form", "Region", "leeds")
	host.click(".narrow-form", "Narrow the list")
	host.waitFor("the narrowed list", fmt.Sprintf(`location.search.includes('region=leeds') && document.querySelectorAll('.suggestion').length === %d`, len(leeds.Suggestions)))
	if all <= len(leeds.Suggestions) {
		t.Errorf("narrowing by region kept %d of %d pairs, want fewer", len(leeds.Suggestions), all)
	}
	for _, sg := range leeds.Suggestions {
		if host.count(fmt.Sprintf(`.suggestion[data-suggestion="%d"]`, sg.ID)) != 1 {
			t.Errorf("pair %d, which the API keeps, is not shown", sg.ID)
		}
	}
	host.screenshot("round-narrowed")

	// Approving them all: one click and a confirmation naming the count.
	n := len(leeds.Suggestions)
	host.click(".bulk", fmt.Sprintf("Approve the %d pairs found", n))
	host.waitText(".bulk .confirm-question", fmt.Sprintf("Approve %d pairs? Nobody is emailed", n))
	host.click(".bulk", fmt.Sprintf("Yes, approve %d", n))
	host.waitFor("the proposed list emptied", `document.querySelectorAll('.suggestion').length === 0`)
	var approved struct {
		Suggestions []struct {
			ID int64 `json:"id"`
		} `json:"suggestions"`
	}
	s.call(t, true, "GET", "/api/v1/rounds/"+quarter+"/suggestions?status=approved", "", "", 200, &approved)
	if len(approved.Suggestions) != n {
		t.Errorf("%d pairs approved, want the %d found", len(approved.Suggestions), n)
	}

	host.click(".narrow-form", "Show every pair")
	host.waitFor("every other pair again", fmt.Sprintf(`document.querySelectorAll('.suggestion').length === %d`, all-n))

	// By keyboard: j and k move between pairs, a approves the one in focus.
	host.key("j", "j")
	if !host.focused(".suggestion:first-child") {
		t.Error("j does not move to the first pair")
	}
	first := eval[string](host, `document.activeElement.dataset.suggestion`)
	host.key("a", "a")
	host.waitFor("the pair in focus approved", fmt.Sprintf(`document.querySelector('.suggestion[data-suggestion="%s"]').dataset.status === 'approved'`, first))
	s.call(t, true, "GET", "/api/v1/rounds/"+quarter+"/suggestions?status=approved", "", "", 200, &approved)
	if len(approved.Suggestions) != n+1 {
		t.Errorf("%d pairs approved after the key, want %d", len(approved.Suggestions), n+1)
	}
}

// The host saves every post as one CSV file from the Posts page.
func TestBrowserHostDownloadsPosts(t *testing.T) {
	s := startSite(t)
	s.createPost(t, map[string]any{"business": "Ledger Mo", "email": "mo@ledger-mo.example", "lane": "either",
		"offer": "Bookkeeping for dental practices.", "seek": "Dental software vendors.", "customers": "Dental practices"})
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open("/app/host")
	dir := t.TempDir()
	host.allowDownloads(dir)
	host.click(".exports", "Posts")
	got := host.waitDownload(dir, "posts-"+time.Now().UTC().Format("2006-01-02")+".csv")
	if !strings.HasPrefix(got, "id,business,email,") || !strings.Contains(got, "Ledger Mo,mo@ledger-mo.example") {
		t.Errorf("the posts saved:\n%s", got)
	}
}

// A member opens their account from the header, saves everything held
// about them, and erases the account: only after typing their address,
// and then they are signed out and their post is gone.
func TestBrowserMemberErasesTheirAccount(t *testing.T) {
	s := startSite(t)
	const email = "mo@ledger-mo.example"
	p := s.createPost(t, map[string]any{"business": "Ledger Mo", "email": email, "lane": "either",
		"offer": "Bookkeeping for dental practices.", "seek": "Dental software vendors.", "customers": "Dental practices"})
	m := s.newTab(t, "member")
	signIn(t, s, m, email)
	m.open("/app/matches")
	m.click("#account", email)
	m.waitText("h1", "Your account")
	m.screenshot("account")

	dir := t.TempDir()
	m.allowDownloads(dir)
	m.click(".your-data", "Download my data")
	got := m.waitDownload(dir, "matchmaker-data-"+time.Now().UTC().Format("2006-01-02")+".json")
	if !strings.Contains(got, `"email": "`+email+`"`) || !strings.Contains(got, "Bookkeeping for dental practices.") {
		t.Errorf("the data saved:\n%.600s", got)
	}

	// The wrong address: nothing happens but an error at the field.
	m.fill(".erase-form", "Your address, to confirm", "someone@else.example")
	m.click(".erase-form", "Erase my account for good")
	m.waitText(".erase-form .field-error", "Must be "+email)
	s.call(t, true, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), "", "", 200, nil) // a refused erasure erases nothing
	m.setField(".erase-form", "Your address, to confirm", email)
	m.click(".erase-form", "Erase my account for good")
	m.waitFor("signed out", `document.querySelector('#account a') !== null && document.querySelector('#account').textContent.includes('Sign in')`)
	var res struct{}
	s.call(t, true, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), "", "", 404, &res)
}
