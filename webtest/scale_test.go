package webtest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

type roundPair struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	A      struct {
		Post struct {
			ID       int64  `json:"id"`
			Business string `json:"business"`
			Region   string `json:"region"`
		} `json:"post"`
	} `json:"a"`
	B struct {
		Post struct {
			Business string `json:"business"`
			Region   string `json:"region"`
		} `json:"post"`
	} `json:"b"`
}

func (s *site) pairs(t *testing.T, quarter, query string) []roundPair {
	t.Helper()
	var out struct {
		Suggestions []roundPair `json:"suggestions"`
	}
	s.call(t, true, http.MethodGet, "/api/v1/rounds/"+quarter+"/suggestions?"+query, "", "", http.StatusOK, &out)
	return out.Suggestions
}

// A round of a 1,000-post community, as the host curates it: the page
// draws a page of cards, not a thousand (its longest task is logged);
// narrowing by region and by lane happens on the server; approving a
// hundred pairs and more takes three clicks, one of them a confirmation;
// pairs selected by hand are rejected together;
// a double click on "Yes, introduce" emails each member once; a pair
// whose post changed since it was suggested says so; and the page fits a
// phone's width.
func TestBrowserRoundOfAThousand(t *testing.T) {
	s := startSite(t)
	quarter := currentQuarter()
	var b bytes.Buffer
	if err := synth.Write(&b, synth.Options{N: 1000, Seed: 21, Quarter: match.Quarter(quarter)}); err != nil {
		t.Fatal(err)
	}
	s.call(t, true, http.MethodPost, "/api/v1/import", "application/x-ndjson", b.String(), http.StatusOK, nil)
	s.runRound(t, fmt.Sprintf(`{"quarter":%q,"per_post":3}`, quarter))
	all := s.pairs(t, quarter, "status=proposed")
	if len(all) < 1000 {
		t.Fatalf("the round of 1,000 posts has %d pairs, want more than 1,000", len(all))
	}
	// The region whose pairs are fewest past 100: a bulk approval of at
	// least a hundred.
	perRegion := map[string]int{}
	for _, p := range all {
		perRegion[p.A.Post.Region]++
		if p.B.Post.Region != p.A.Post.Region {
			perRegion[p.B.Post.Region]++
		}
	}
	region := ""
	for r, n := range perRegion {
		if r != "" && n >= 100 && (region == "" || n < perRegion[region]) {
			region = r
		}
	}
	if region == "" {
		t.Fatalf("no region has 100 pairs: %v", perRegion)
	}
	inRegion := s.pairs(t, quarter, "status=proposed&region="+url.QueryEscape(region))

	host := s.newTab(t, "host")
	hostSignIn(host)
	host.open("/app/host/rounds/" + quarter)
	host.waitFor("pairs", `document.querySelectorAll('.suggestion').length > 0`)
	if n := host.count(".suggestion"); n > 25 {
		t.Errorf("the round page built %d cards at once, want a page of them (25)", n)
	}
	t.Logf("round page of %d pairs: longest main-thread task %v", len(all), host.longestTask())
	host.screenshot("round-of-a-thousand")

	// Approving the region's pairs: narrow (1 click), approve (2), confirm (3).
	eval[any](host, `window.__clicks = 0, document.addEventListener('click', () => window.__clicks++, true), null`)
	host.fill(".narrow-form", "Region", region)
	host.click(".narrow-form", "Narrow the list")
	host.waitFor("the region's pairs", fmt.Sprintf(`location.search.includes('region=') && (document.querySelector('.bulk')?.textContent || '').includes('Approve the %d pairs found')`, len(inRegion)))
	t.Logf("round page narrowed to %d pairs: longest main-thread task %v", len(inRegion), host.longestTask())
	host.click(".bulk", fmt.Sprintf("Approve the %d pairs found", len(inRegion)))
	host.click(".bulk", fmt.Sprintf("Yes, approve %d", len(inRegion)))
	host.waitFor("the approvals", `document.querySelectorAll('.suggestion').length === 0`)
	if clicks := eval[int](host, `window.__clicks`); clicks > 5 {
		t.Errorf("approving %d pairs took %d clicks, want at most 5", len(inRegion), clicks)
	}
	if n := len(s.pairs(t, quarter, "status=approved")); n != len(inRegion) {
		t.Errorf("%d pairs approved, want the region's %d", n, len(inRegion))
	}

	// Selecting a few pairs by hand and rejecting them: the bulk actions
	// turn to the selection, and count it.
	host.open("/app/host/rounds/" + quarter)
	host.waitFor("the proposed pairs", `document.querySelectorAll('.suggestion').length > 0`)
	picked := eval[[]string](host, `[...document.querySelectorAll('.suggestion')].slice(0, 3).map((c) => { c.querySelector('.tick input').click(); return c.dataset.suggestion; })`)
	host.click(".bulk", "Reject 3 pairs selected")
	host.waitText(".bulk .confirm-question", "Reject 3 pairs?")
	host.click(".bulk", "Yes, reject 3")
	host.waitFor("the rejections", fmt.Sprintf(`!document.querySelector('.suggestion[data-suggestion="%s"]')`, picked[0]))
	rejected := map[string]bool{}
	for _, p := range s.pairs(t, quarter, "status=rejected") {
		rejected[fmt.Sprint(p.ID)] = true
	}
	if len(rejected) != 3 || !rejected[picked[0]] || !rejected[picked[1]] || !rejected[picked[2]] {
		t.Errorf("rejected %v, want the 3 selected %v", rejected, picked)
	}

	// By lane, on the server: the page holds what the API keeps.
	lane := s.pairs(t, quarter, "status=approved&lane=referral&rivals=hide")
	host.open("/app/host/rounds/" + quarter + "?status=approved")
	host.waitFor("approved pairs", `document.querySelectorAll('.suggestion').length > 0`)
	host.setField(".narrow-form", "Lane", "referral")
	host.setField(".narrow-form", "Possible rivals", "hide")
	host.click(".narrow-form", "Narrow the list")
	host.waitFor("the referral pairs", fmt.Sprintf(`location.search.includes('lane=referral') && (document.querySelector('#suggestion-filter-status')?.textContent || '').includes('of %d shown')`, len(lane)))

	// A post of an approved pair changes: its card says so.
	first := lane[0]
	s.call(t, true, http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", first.A.Post.ID), "application/json",
		`{"seek":"Accountants and bookkeepers whose clients need this too."}`, http.StatusOK, nil)
	card := fmt.Sprintf(`.suggestion[data-suggestion="%d"]`, first.ID)
	host.open("/app/host/rounds/" + quarter + "?status=approved&lane=referral&rivals=hide")
	host.waitText(card+" .changed", "Changed since suggested: "+first.A.Post.Business)

	// A double click on "Yes, introduce" emails each member once.
	mailsBefore := len(s.mails(t))
	host.click(card, "Introduce them")
	host.waitText(card+" .confirm-question", "to introduce them?")
	xy := eval[[]float64](host, fmt.Sprintf(`(() => { const b = [...document.querySelectorAll('%s .confirm-step button')].find((b) => b.textContent === 'Yes, introduce');
		b.scrollIntoView({ block: 'center' }); const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, card))
	host.do("double-click Yes, introduce", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.Sleep(30*time.Millisecond), chromedp.MouseClickXY(xy[0], xy[1]))
	host.waitFor("the pair introduced", fmt.Sprintf(`document.querySelector('%s').dataset.status === 'introduced'`, card))
	var sent []string
	for _, m := range s.mails(t)[mailsBefore:] {
		if strings.Contains(m.Subject, "ntroduc") {
			sent = append(sent, m.To)
		}
	}
	if len(sent) != 2 {
		t.Errorf("a double click on Yes, introduce sent %d introductions (%v), want one to each member", len(sent), sent)
	}
	host.screenshot("round-narrowed-by-lane")
}
