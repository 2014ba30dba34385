package webtest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/matchmaker/matchmaker/match"
)

// currentQuarter is the quarter posts get by default.
func currentQuarter() string { return string(match.QuarterOf(time.Now().UTC())) }

// The member's post in the flows below: a bookkeeper for dentists, in a
// community of dental marketers, billing firms and others.
const (
	memberEmail    = "lena@lumen-books.example"
	memberBusiness = "Lumen Dental Books"
)

// TestBrowserMemberAndHostFlow is the product's main path in a real
// browser: a member posts and confirms by the emailed link, finds posts in
// the directory, signs in and sees matches with reasons; the host signs in
// to the console, runs a round, approves and introduces the member's pair;
// both members accept (one in the app, one through the emailed link) and
// the introduction shows accepted with the partner's address.
func TestBrowserMemberAndHostFlow(t *testing.T) {
	s := startSite(t)
	s.importEvalSet(t)
	member := s.newTab(t, "member")

	// The front page of a newcomer is the post form.
	member.open("/")
	member.waitText("h1", "Find your partners")
	if got := eval[string](member, `location.pathname`); got != "/app/start" {
		t.Errorf("a newcomer opening / lands on %s, want /app/start", got)
	}
	member.screenshot("start")

	form := "form.post-form"
	member.fill(form, "Business name", memberBusiness)
	member.setField(form, "What you do", "Bookkeeping, payroll and tax returns for dental practices: monthly accounts, cash-flow reports and help with practice finance.")
	member.setField(form, "Who you are looking for", "A dental marketing agency or a dental billing company whose practices need an accountant who understands dentistry, to refer clients to each other.")
	member.setField(form, "Who your customers are", "Dental practices and practice owners")
	member.check(form, "Referral partners")
	member.fill(form, "Region", "Leeds")
	member.fill(form, "Website", "https://lumen-books.example")
	member.fill(form, "Email", memberEmail)
	member.click(form, "Post and find partners")
	member.waitText("h1", "Check your email")
	member.waitText(".done-step", memberEmail)
	member.screenshot("check-email")

	// The emailed link opens a page whose button publishes the post.
	member.do("open the confirmation link", chromedp.Navigate(s.link(t, memberEmail, "confirm")))
	member.click("main", "Publish my post")
	member.waitText("h1", "Your post is live")

	// Anyone finds it in the directory; nobody's address shows there.
	member.open("/app/directory")
	member.fill("form.filters", "Search", "dental bookkeeping")
	member.click("form.filters", "Search")
	member.waitText(".results .card-title", memberBusiness)
	if got := eval[string](member, `location.search`); !strings.Contains(got, "q=dental+bookkeeping") {
		t.Errorf("the search is not in the address (for links and Back): got %q", got)
	}
	if text := member.text("main"); strings.Contains(text, "@") {
		t.Errorf("the directory shows an email address: %.300s", text)
	}
	member.screenshot("directory")

	// Without a search it lists everyone, newest first, a page at a time.
	member.click("form.filters", "Clear")
	member.waitFor("the first page", `document.querySelectorAll('.results .post-card').length === 20`)
	member.click(".results", "Show more")
	member.waitFor("the second page", `document.querySelectorAll('.results .post-card').length === 40`)

	// Sign in by emailed link; the app then shows the member's matches.
	member.open("/app/signin")
	member.fill("form.signin-form", "Email", memberEmail+"\n") // Enter sends the form
	member.waitText("h2", "Check your email")
	member.do("open the sign-in link", chromedp.Navigate(s.link(t, memberEmail, "signin")))
	member.click("main", "Sign in")
	member.waitDrawn()
	member.waitText("h1", "My matches")
	member.waitText("#account", memberEmail)
	member.waitFor("matches", `document.querySelectorAll('.match-card').length > 0`)
	if n := member.count(".match-card .reasons li"); n == 0 {
		t.Error("the matches show no reasons")
	}
	if n := member.count(".match-card .chips .badge"); n == 0 {
		t.Error("the matches do not say in words what they rest on (both want this, shared customers…)")
	}
	if text := member.text(".match-card .reasons"); !strings.Contains(strings.ToLower(text), "you") {
		t.Errorf("the first match's reasons do not speak to the member: %q", text)
	}
	member.screenshot("matches")
	checkInterestActions(t, member)

	// The host opens the console with their token; a wrong one is refused.
	host := s.newTab(t, "host")
	host.open("/app/host")
	host.fill("main form", "Host token", "mmh_not-the-token")
	host.click("main form", "Open the console")
	host.waitText(".field-error", "not the host token")
	host.fill("main form", "Host token", hostToken)
	host.click("main form", "Open the console")
	host.waitText("h1", "Posts")
	if !eval[bool](host, fmt.Sprintf(`sessionStorage.getItem('matchmaker.host-token') === %s && localStorage.length === 0 && !location.href.includes(%s) && !document.cookie.includes(%s)`,
		jsString(hostToken), jsString(hostToken), jsString(hostToken))) {
		t.Error("the host token must live in sessionStorage only: not in localStorage, a cookie or the address")
	}
	host.waitFor("the posts list", `document.querySelectorAll('.post-card').length > 0`)
	host.screenshot("host-posts")

	// Run the round, with its progress shown, and land on its review page.
	quarter := currentQuarter()
	host.click(".tabs", "Rounds")
	host.waitText("h1", "Rounds")
	host.fill("form.run-round", "Quarter", quarter)
	started, release := s.App.HoldRounds() // held running, so that its progress can be seen
	host.click("form.run-round", "Run the round")
	<-started
	host.waitFor("the round's progress", `(() => { const b = document.querySelector('form.run-round .progress-box');
		return b && !b.hidden && /Matching \d{4}-Q\d: 0 of \d+ posts\. You can leave this page/.test(b.textContent) && b.querySelector('progress').max > 0; })()`)
	host.screenshot("host-round-running")
	// The round's own page, opened meanwhile, follows it too.
	host.open("/app/host/rounds/" + quarter)
	host.waitFor("the round's progress on its page", `(() => { const b = document.querySelector('main .progress-box');
		return b && !b.hidden && /Matching \d{4}-Q\d: 0 of \d+ posts/.test(b.textContent); })()`)
	close(release)
	host.waitText("h1", "Round "+quarter)
	host.waitFor("suggestions", `document.querySelectorAll('.suggestion').length > 0`)
	host.screenshot("host-round")

	// Find the member's pair, approve it and introduce both.
	host.fill(".list-tools", "Find a business in this list", memberBusiness)
	id := eval[string](host, fmt.Sprintf(`([...document.querySelectorAll('.suggestion')].find((c) => !c.hidden && c.textContent.includes(%s)) || {dataset: {}}).dataset.suggestion || ''`, jsString(memberBusiness)))
	if id == "" {
		t.Fatalf("the round proposes no partner for %s", memberBusiness)
	}
	card := fmt.Sprintf(`.suggestion[data-suggestion=%q]`, id)
	if n := host.count(card + " .side .reasons li"); n < 2 {
		t.Errorf("the host sees %d reasons for the pair, want each side's", n)
	}
	partner := eval[string](host, fmt.Sprintf(`[...document.querySelectorAll('%s .side')].find((s) => !s.textContent.includes(%s)).querySelector('a[href^="mailto:"]').textContent`, card, jsString(memberBusiness)))
	partnerBusiness := eval[string](host, fmt.Sprintf(`[...document.querySelectorAll('%s .side')].find((s) => !s.textContent.includes(%s)).querySelector('h4').textContent`, card, jsString(memberBusiness)))
	// A hurried double click on Approve (a quarter of a second apart, on
	// one spot) approves the pair and at most asks whether to introduce
	// them: "Introduce them", drawn where Approve was, emails nobody
	// without a second word.
	xy := eval[[]float64](host, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll('%s .actions button')].find((b) => b.textContent === 'Approve');
		b.scrollIntoView({ block: 'center' }); const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, card))
	mailsBefore := len(s.mails(t))
	host.do("double-click Approve", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.Sleep(250*time.Millisecond), chromedp.MouseClickXY(xy[0], xy[1]))
	host.waitFor("the pair approved", fmt.Sprintf(`document.querySelector('%s').dataset.status === 'approved'`, card))
	var list struct {
		Suggestions []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"suggestions"`
	}
	s.call(t, true, http.MethodGet, "/api/v1/rounds/"+quarter+"/suggestions", "", "", http.StatusOK, &list)
	for _, sg := range list.Suggestions {
		if fmt.Sprint(sg.ID) == id && sg.Status != "approved" {
			t.Errorf("after a double click on Approve the pair is %q, want approved", sg.Status)
		}
	}
	if n := len(s.mails(t)) - mailsBefore; n != 0 {
		t.Errorf("a double click on Approve sent %d emails, want none", n)
	}
	if host.count(card+" .confirm-question") == 0 {
		host.click(card, "Introduce them")
	}
	host.waitText(card+" .confirm-question", "to introduce them?")
	host.click(card, "Yes, introduce")
	host.waitFor("the pair introduced", fmt.Sprintf(`document.querySelector('%s').dataset.status === 'introduced'`, card))

	// The member accepts in the app...
	member.open("/app/introductions")
	member.waitText(".intro-yours .card-title", partnerBusiness)
	if n := member.count(".intro-yours .intro-card .reasons li"); n == 0 {
		t.Error("the introduction in the app shows no reasons; the email had them")
	}
	member.screenshot("introductions-pending")
	member.click(".intro-yours .intro-card", "Yes, introduce us")
	member.waitText(".intro-theirs .card-title", partnerBusiness)
	if text := member.text("main"); strings.Contains(text, partner) {
		t.Errorf("the partner's address %s shows before they accepted", partner)
	}

	// ...the partner through the emailed link's page...
	other := s.newTab(t, "partner")
	link := s.link(t, partner, "introduction")
	other.do("open the introduction link", chromedp.Navigate(link))
	other.waitText("h1", "An introduction to "+memberBusiness)
	other.waitText("main", "Why you two: ")
	other.click("main", "Yes, introduce us")
	other.waitText("main", "You both said yes")
	// Back to the link, then "No, thank you": it says what was answered.
	other.do("go back to the link", chromedp.Navigate(link))
	other.waitText("h1", "You already said yes")
	other.waitText("main", "You both said yes: you have each other's contact details by email.")

	// ...and the introduction shows accepted, with the partner's address.
	member.open("/app/introductions")
	member.waitText(".intro-accepted .card-title", partnerBusiness)
	member.waitText(".intro-accepted .contact", partner)
	member.screenshot("introductions-accepted")

	// Signing out ends the session: the member pages ask to sign in again.
	member.click("#account", "Sign out")
	member.waitText("h1", "Sign in")
	member.open("/app/introductions")
	member.waitText("main form", "Sign in to answer introductions")

	// The round's figures count it, and the rounds page charts it.
	host.open("/app/host/rounds/" + quarter + "?status=introduced")
	host.waitText(".figures", "1 of 1")
	host.screenshot("host-round-figures")
	host.open("/app/host/rounds")
	host.waitFor("the chart drawn by uPlot", `document.querySelector('.chart-plot[data-drawn] canvas') !== null`)
	host.screenshot("host-rounds")

	// Leaving the console forgets the token.
	host.click("main", "Leave the console")
	host.waitText("h1", "Host console")
	if !eval[bool](host, `sessionStorage.length === 0 && document.querySelector('main form input[type=password]') !== null`) {
		t.Error("leaving the console must forget the token and ask for it again")
	}
}

// checkInterestActions checks that "ask for an introduction" records the
// member's wish and says so.
func checkInterestActions(t *testing.T, member *tab) {
	t.Helper()
	member.click(".match-card:first-of-type .interest", "Ask for an introduction")
	member.waitText(".match-card:first-of-type .said", "introduction")
}

// A member who answered the host's thread pastes that comment: the form
// fills in from it, guesses are named, and what they typed is kept.
func TestBrowserPostFormFromAComment(t *testing.T) {
	s := startSite(t)
	b := s.newTab(t, "member")
	b.open("/app/start")
	form := "form.post-form"
	b.fill(form, "Who your customers are", "Restaurants that open a second site")
	b.click(".paste-details", "Already answered in the host’s thread? Paste your comment")
	b.setField("form.paste-comment", "Your comment", "Hi all! I'm Priya from Loom & Lantern Studio (loomlantern.co.uk) — we shoot brand photos for restaurants and cafés around Bristol. "+
		"Looking for web designers and menu printers who serve the same crowd. Happy to pay a 10% referral fee. Our clients are mostly new restaurants.")
	b.click("form.paste-comment", "Fill in the form")
	b.waitText("form.paste-comment .said", "check them before you post")
	b.waitText("form.paste-comment .said", "These are guesses: Region")
	for name, want := range map[string]string{"business": "Loom & Lantern Studio", "website": "https://loomlantern.co.uk", "region": "Bristol",
		"customers": "Restaurants that open a second site"} {
		if got := eval[string](b, `document.querySelector('form.post-form').elements[`+jsString(name)+`].value`); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if got := eval[string](b, `document.querySelector('form.post-form').elements.offer.value`); !strings.Contains(got, "brand photos") {
		t.Errorf("offer: %q", got)
	}
	if !eval[bool](b, `document.querySelector('form.post-form input[name=lane][value=referral]').checked`) {
		t.Error("the referral lane is not chosen, though the comment offers a referral fee")
	}
	b.screenshot("post-form-from-a-comment")
}

// Inline validation: the API's messages show next to the fields they are
// about, the form says how many need a change, and the focus goes to the
// first of them.
func TestBrowserPostFormShowsErrors(t *testing.T) {
	s := startSite(t)
	b := s.newTab(t, "member")
	b.open("/app/start")
	form := "form.post-form"
	b.fill(form, "Business name", "Ab")
	b.fill(form, "What you do", "Short")
	b.fill(form, "Website", "ftp://files.example")
	b.fill(form, "Email", "not-an-address")

	// No lane chosen: every mistake shows in one pass, the lane's with the
	// API's, in the form's order.
	b.click(form, "Post and find partners")
	b.waitText(".form-error", "5 answers need a change.")
	b.waitText(`[data-field="lane"] .field-error`, "Choose the kind of partnership")
	if got := b.text(".form-error li:first-child"); !strings.HasPrefix(got, "What you do:") {
		t.Errorf("the first mistake listed is %q, want the first field's (What you do)", got)
	}

	b.check(form, "A strategic partner")
	b.click(form, "Post and find partners")
	b.waitText(".form-error", "4 answers need a change.")
	for field, want := range map[string]string{
		"offer":   "Must be at least 10 characters.",
		"seek":    "Is required.",
		"email":   "Must be a valid email address.",
		"website": "Must be a web address starting with http:// or https://",
	} {
		got := b.text(fmt.Sprintf(`[data-field=%q] .field-error`, field))
		if !strings.Contains(got, want) {
			t.Errorf("the %s field says %q, want %q", field, got, want)
		}
		if !eval[bool](b, fmt.Sprintf(`document.querySelector('[data-field=%q] [aria-invalid="true"]') !== null`, field)) {
			t.Errorf("the %s field is not marked aria-invalid", field)
		}
	}
	if got := b.text(`[data-field="lane"] .field-error`); got != "" {
		t.Errorf("the lane error stays after a lane was chosen: %q", got)
	}
	if !eval[bool](b, `document.activeElement.getAttribute('aria-invalid') === 'true'`) {
		t.Error("the focus is not on the first field with a mistake")
	}
	// Each error is read with its field.
	if !eval[bool](b, `(() => { const c = document.querySelector('[data-field="offer"] textarea'); return c.getAttribute('aria-describedby').split(' ').some((id) => document.getElementById(id).textContent.includes('at least 10')); })()`) {
		t.Error("the offer's error is not tied to its field by aria-describedby")
	}
	b.screenshot("start-errors")

	// Corrected, the post goes through.
	b.setField(form, "What you do", "Wedding photography for couples in the Lake District.")
	b.setField(form, "Who you are looking for", "Wedding planners and venues who want a photographer to recommend.")
	b.fill(form, "Website", "https://ab-photo.example")
	b.fill(form, "Email", "ab@ab-photo.example")
	b.click(form, "Post and find partners")
	b.waitText("h1", "Check your email")
}

// Whatever members write is shown as the text they wrote: markup stays
// text, scripts never run, right-to-left and CJK text and very long words
// fit a phone's screen.
func TestBrowserShowsUserTextAsText(t *testing.T) {
	s := startSite(t)
	evil := `<img src=x onerror=alert(1)>`
	long := strings.Repeat("Donaudampfschifffahrtsgesellschaft", 6)
	s.createPost(t, map[string]any{
		"business": evil, "email": "evil@attack.example",
		"offer":     `<script>alert(2)</script> Шаблоны сайтов для 日本の店舗 ` + long,
		"seek":      `<b onmouseover=alert(3)>bold</b> partners "quoted" & 'single'`,
		"customers": "Cafés, ramen bars and bakeries", "lane": "referral", "region": "東京",
	})
	s.createPost(t, map[string]any{
		"business": "مخبز الياسمين", "email": "hello@yasmin-bakery.example",
		"offer": "نخبز الخبز العربي والحلويات للمقاهي والمطاعم كل صباح.", "seek": "نبحث عن شركة توصيل أو مقهى يريد شريكاً محلياً.",
		"lane": "either", "region": "عمّان",
	})
	b := s.newTab(t, "visitor")
	b.open("/app/directory")
	b.waitText(".card-title", evil)
	b.waitText(".post-details", "<script>alert(2)</script>")
	b.waitText(".post-details", "<b onmouseover=alert(3)>bold</b>")
	if n := b.count("main img, main script, main b"); n != 0 {
		t.Errorf("members' text became %d HTML elements", n)
	}
	if !eval[bool](b, `[...document.querySelectorAll('.card-title')].some((h) => h.textContent === 'مخبز الياسمين' && h.getAttribute('dir') === 'auto')`) {
		t.Error("Arabic text is not shown with dir=auto")
	}
	if n := b.count(".results button:not([hidden])"); n != 0 {
		t.Errorf("two posts, yet the directory offers %d buttons to show more", n)
	}
	b.screenshot("directory-unusual-text")
	if !eval[bool](b, `window.__cspViolations.length === 0`) {
		t.Error("the page broke its Content-Security-Policy")
	}
}

// The host turns a pasted comment thread into posts: drafts are shown with
// what needs a look and which fields are guesses, chatter is listed as
// skipped with why and can be made a draft, mistakes show inline, publish
// and discard (after asking) work, a spreadsheet's columns can be
// corrected, and a hidden post leaves the directory.
func TestBrowserHostIntake(t *testing.T) {
	s := startSite(t)
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.waitText(".empty", "No posts yet")

	host.click(".tabs", "Intake")
	host.waitText("h1", "Intake")
	host.waitText(".drafts", "No drafts waiting")
	host.setField("form.intake-form", "Replies to your post", `Jane Doe
Founder at Bright Ledger
We build Shopify stores for skincare brands — looking for a bookkeeper who gets ecommerce. jane@brightledger.example
Like · Reply · 2d

Ben Okafor
Following
Like · Reply · 2d

Tomás Ruiz · 2nd
Owner | Ruiz Plumbing
Looking for a property manager who needs reliable plumbers. We fix leaks and install boilers across Leeds. www.ruizplumbing.co.uk
3 likes

Sam Lee
Wedding photographer here, looking for florists and venues to swap referrals with.
Reply
`)
	host.click("form.intake-form", "Read the replies")
	host.waitFor("three drafts", `document.querySelectorAll('.draft-card').length === 3`)
	host.waitText("#drafts-title", "(3)")
	host.waitText(".intake-reading", "a LinkedIn thread")
	host.waitText(".skipped-item", "Ben Okafor")
	host.waitText(".skipped-item .badge", "Chatter")

	// A draft's card, by the business name in its form.
	draftBy := func(field, value string) string {
		id := eval[string](host, fmt.Sprintf(`([...document.querySelectorAll('.draft-card')].find((c) => c.elements && c.elements[%s] && c.elements[%s].value === %s) || {dataset: {}}).dataset.draft || ''`,
			jsString(field), jsString(field), jsString(value)))
		if id == "" {
			t.Fatalf("no draft with %s %s", field, value)
		}
		return fmt.Sprintf(`.draft-card[data-draft=%q]`, id)
	}
	draft := func(business string) string { return draftBy("business", business) }
	// The drafts that need most checking come first: the two without an
	// address before Jane's.
	if first := eval[string](host, `document.querySelector('.draft-card').elements.business.value`); first == "Bright Ledger" {
		t.Errorf("the draft with nothing to check comes first")
	}
	tomas := draft("Ruiz Plumbing")
	host.waitText(tomas+` [data-field="area"].guess .hint`, "A guess from the comment")
	if v := eval[string](host, `document.querySelector(`+jsString(tomas)+`).elements.area.value`); v != "Leeds" {
		t.Errorf("Tomás's area: %q, want Leeds", v)
	}
	host.screenshot("host-intake")

	jane := draft("Bright Ledger")
	host.click(jane, "Publish as a post")
	host.waitText(".draft-card.done", "Published Bright Ledger")

	// Sam's reply has no address: publishing says so at the field.
	sam := draftBy("name", "Sam Lee")
	host.click(sam, "Publish as a post")
	host.waitText(sam+` [data-field="email"] .field-error`, "Is required")
	// Discarding asks first.
	host.click(sam, "Discard")
	host.waitText(sam+" .confirm-question", "Discard this draft?")
	host.click(sam, "Yes, discard it")
	host.waitText(".draft-card.done", "Discarded")
	host.waitText("#drafts-title", "(1)")

	// Ben's comment was an offer after all: a click makes it a draft.
	host.click(`.skipped-item`, "Make a draft")
	host.waitFor("Ben's draft", `[...document.querySelectorAll('.draft-card')].some((c) => c.elements && c.elements.name && c.elements.name.value === 'Ben Okafor')`)
	host.waitText("#drafts-title", "(2)")
	if n := host.count(".skipped-item"); n != 0 {
		t.Errorf("%d skipped replies left after making a draft of the only one", n)
	}

	// A form's spreadsheet: the columns as read are shown, and the host
	// corrects one and reads it again.
	s.call(t, true, http.MethodPost, "/api/v1/drafts", "text/csv",
		"Timestamp,Full name,Email,Company,Tell us about your business,Who do you want to meet?,Anything else?\n"+
			"2026-11-01 09:12:44,Ana Silva,ana@lisbonbooks.example,Lisbon Books,Bookkeeping for cafés in Lisbon,A POS provider who serves cafés,Independent cafés and bakeries\n",
		http.StatusCreated, nil)
	host.open("/app/host/intake")
	host.waitText(".intake-reading", "a spreadsheet (CSV)")
	host.waitFor("the columns form", `!!document.querySelector('.columns-form select')`)
	sel := host.control(".columns-form", "Anything else?")
	host.do("map the last column to customers", chromedp.SetValue(sel, "customers"))
	host.click(".columns-form", "Read again with these columns")
	host.click(".columns-form", "Yes, read it again")
	host.waitFor("Ana's customers", `[...document.querySelectorAll('.draft-card')].some((c) => c.elements && c.elements.customers && c.elements.customers.value.startsWith('Independent cafés'))`)
	host.waitText(".columns-form", "(your choice)")
	host.screenshot("host-intake-columns")

	// Forgetting the spreadsheet asks first, then drops its drafts.
	host.click(".intake-reading", "Forget this paste")
	host.waitText(".intake-reading .confirm-question", "Delete the pasted text")
	host.click(".intake-reading", "Yes, forget it")
	host.waitFor("Ana's draft gone", `![...document.querySelectorAll('.draft-card')].some((c) => c.elements && c.elements.name && c.elements.name.value === 'Ana Silva')`)
	host.waitText(".intake-reading", "a LinkedIn thread")

	// Hide the published post: it leaves the directory.
	host.click(".tabs", "Posts")
	host.waitText(".post-card .card-title", "Bright Ledger")
	host.click(`.post-card:has(.card-title)`, "Hide")
	host.waitText(".post-card .badge", "Hidden")
	visitor := s.newTab(t, "visitor")
	visitor.open("/app/directory")
	visitor.waitText(".empty", "Nobody has posted yet")
}

// A long thread's drafts are drawn a page at a time, and the rest on
// request.
func TestBrowserIntakeLongThread(t *testing.T) {
	s := startSite(t)
	var thread strings.Builder
	thread.WriteString("Dana Whitfield\n • You\nHost\n2d\nTell us what you do and who you'd love to meet 👇\nLike\n")
	first := []string{"Marta", "Tomas", "Priya", "Kenji", "Amara", "Lucia", "Owen", "Grace", "Rhys", "Noor"}
	last := []string{"Kessler", "Ortega", "Shah", "Mori", "Briggs", "Fernandez", "Paek"}
	for i := range 60 {
		fmt.Fprintf(&thread, "%s %s\n • 2nd\nOwner, Trade Works %d | Helping people\n1d\nWe fix roofs for homeowners. Looking for realtors to swap referrals with. works%d.com\nLike\nReply\n",
			first[i%len(first)], last[i/len(first)], i, i)
	}
	s.call(t, true, http.MethodPost, "/api/v1/drafts", "text/plain", thread.String(), http.StatusCreated, nil)
	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open("/app/host/intake")
	host.waitText("#drafts-title", "(60)")
	host.waitFor("the first page of drafts", `document.querySelectorAll('.draft-card').length === 50`)
	host.click(".drafts", "Show 10 more of 10 left")
	host.waitFor("all the drafts", `document.querySelectorAll('.draft-card').length === 60`)
	if host.count(".drafts .show-more:not([hidden])") != 0 {
		t.Error("the button to show more stays after all are shown")
	}
}
