package webtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// A referrer makes a tracking link on the partnership page; a visitor
// clicks it and lands on the seller's page with mm_ref; the seller makes a
// personal API key on their account page and their site reports the
// sign-up and the sale with it (the sale twice, counted once); the
// referrer sees the click, the sign-up, the sale and the commission, and
// both sides get their notices; a refund takes the commission back.
func TestBrowserTrackingLink(t *testing.T) {
	s := startSite(t)
	a := s.createPost(t, map[string]any{"business": "Ledger & Sons", "email": "books@ledger-sons.example",
		"offer": "Bookkeeping for independent cafés", "seek": "Café fit-out firms whose clients need books", "lane": "referral"})
	b := s.createPost(t, map[string]any{"business": "Fitout Crew", "email": "crew@fitout.example",
		"offer": "Café and restaurant fit-outs", "seek": "Bookkeepers who serve new cafés", "lane": "referral"})
	pid := s.referralPartnership(t, a, b, "10", "GBP")
	page := fmt.Sprintf("/app/partnerships/%d", pid)

	// The referrer makes the link: it leads to the seller's page (here,
	// a page of this site, so that the browser can land on it).
	ref := s.newTab(t, "referrer")
	signIn(t, s, ref, a.Email)
	ref.open(page)
	ref.fill(".link-form", "Where it leads: Fitout Crew’s page", s.URL+"/app/directory?from=partners")
	ref.click(".link-form", "Make my link")
	ref.waitText(".my-link .link-url", "/r/")
	link := ref.text(".my-link .link-url")
	ref.screenshot("tracking-link")

	// A visitor (a person's browser, not a headless one) clicks it.
	visitor := s.newTab(t, "visitor")
	if _, err := chromedp.Call(visitor.ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"}); err != nil {
		t.Fatal(err)
	}
	visitor.do("follow the link", chromedp.Navigate(link))
	visitor.waitFor("the landing page with the code", `location.pathname === '/app/directory' && new URLSearchParams(location.search).get('mm_ref') !== null`)
	code := eval[string](visitor, `new URLSearchParams(location.search).get('mm_ref')`)
	if !strings.HasSuffix(link, "/r/"+code) || eval[string](visitor, `new URLSearchParams(location.search).get('from')`) != "partners" {
		t.Errorf("landed at %s from %s", eval[string](visitor, `location.href`), link)
	}

	// The seller makes a key on their account page; their site reports.
	seller := s.newTab(t, "seller")
	signIn(t, s, seller, b.Email)
	seller.open("/app/account")
	seller.fill(".key-form", "Name of the new key", "shop checkout")
	seller.click(".key-form", "Make a key")
	seller.waitText(".new-key", "shown this once")
	key := seller.text(".new-key code")
	seller.screenshot("account-keys")
	report := func(body string, want int) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/conversions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("report %s: %d %s, want %d", body, res.StatusCode, data, want)
		}
		var out map[string]any
		json.Unmarshal(data, &out)
		return out
	}
	before := len(s.mails(t))
	report(fmt.Sprintf(`{"mm_ref":%q,"external_id":"order-7","status":"lead","lead_name":"Bean There Café"}`, code), http.StatusCreated)
	sale := fmt.Sprintf(`{"mm_ref":%q,"external_id":"order-7","status":"won","sale":{"amount":120000,"currency":"GBP"}}`, code)
	report(sale, http.StatusOK)
	if again := report(sale, http.StatusOK); again["changed"] != false {
		t.Errorf("the sale sent twice: %v", again)
	}

	// The referrer sees it all on the partnership page.
	ref.open(page)
	row := fmt.Sprintf(`.link-figures[data-link=%q] tbody tr`, code)
	ref.waitText(row, "120.00")
	cells := eval[[]string](ref, fmt.Sprintf(`[...document.querySelectorAll('%s td')].map((td) => td.textContent)`, row))
	if len(cells) != 4 || cells[0] != "1" || cells[1] != "1" || cells[2] != "1" || !strings.Contains(cells[3], "120.00") {
		t.Errorf("the link's quarter: %q, want 1 click, 1 sign-up, 1 sale, 120.00", cells)
	}
	ref.waitText(".section-referrals", "Bean There Café")
	ref.screenshot("tracking-figures")
	var toA, toB int
	for _, m := range s.mails(t)[before:] {
		switch {
		case m.To == a.Email && strings.Contains(m.Subject, "Fitout Crew reported a sale of"):
			toA++
		case m.To == b.Email && strings.Contains(m.Subject, "Your systems reported a sale of"):
			toB++
		}
	}
	if toA != 1 || toB != 1 {
		t.Errorf("notices of the sale: %d to the referrer, %d to the seller; want one each", toA, toB)
	}

	// A refund takes the commission back.
	report(fmt.Sprintf(`{"mm_ref":%q,"external_id":"order-7","status":"refunded"}`, code), http.StatusOK)
	ref.open(page)
	ref.waitFor("the commission taken back", fmt.Sprintf(`(() => { const td = document.querySelectorAll('%s td'); return td.length === 4 && !td[3].textContent.includes('120.00'); })()`, row))
}
