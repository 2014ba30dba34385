package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// waitForMail polls the outbox of a running server until it holds more
// than seen messages, and returns them all, oldest first.
func waitForMail(t *testing.T, data string, seen int) []mail.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, err := (&mail.Outbox{Dir: filepath.Join(data, "outbox")}).Messages()
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > seen {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new email after %d in %s", seen, data)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var emailedToken = regexp.MustCompile(`/(confirm|signin|introduction)\?token=([A-Za-z0-9_%-]+)`)

func linkToken(t *testing.T, m mail.Message, kind string) string {
	t.Helper()
	for _, found := range emailedToken.FindAllStringSubmatch(m.Text, -1) {
		if found[1] == kind {
			tok, _ := url.QueryUnescape(found[2])
			return tok
		}
	}
	t.Fatalf("no /%s link in %q to %s", kind, m.Subject, m.To)
	return ""
}

// TestMatchmakingFlow runs the whole flow on the real server: two members
// submit and confirm by the links in the outbox, one signs in, the host
// runs the quarter's round and introduces them, both accept by their links,
// and both get each other's address.
func TestMatchmakingFlow(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, data, "MATCHMAKER_HOST_TOKEN="+e2eToken)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := func(path string, values url.Values) int {
		t.Helper()
		res, err := browser.PostForm(s.URL+path, values)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}

	ledger := map[string]any{"business": "Ledger Lane", "email": "hi@ledgerlane.example",
		"offer": "Bookkeeping and monthly closes for Shopify stores", "seek": "Shopify developers whose clients need an accountant",
		"customers": "Online store owners", "lane": "referral"}
	forge := map[string]any{"business": "Storefront Forge", "email": "hello@storefrontforge.example",
		"offer": "We build Shopify stores for skincare brands", "seek": "An accountant who understands Shopify payouts",
		"customers": "Ecommerce brands", "lane": "either"}
	seen := 0
	for _, p := range []map[string]any{ledger, forge} {
		body, _ := json.Marshal(p)
		if status, res := s.do(t, http.MethodPost, "/api/v1/posts", "", string(body)); status != http.StatusAccepted {
			t.Fatalf("submit %s: %d %s", p["business"], status, res)
		}
		mails := waitForMail(t, data, seen)
		seen = len(mails)
		confirm := mails[seen-1]
		if confirm.To != p["email"] {
			t.Fatalf("confirmation went to %s, want %s", confirm.To, p["email"])
		}
		if status := form("/confirm", url.Values{"token": {linkToken(t, confirm, "confirm")}}); status != http.StatusOK {
			t.Fatalf("confirm %s: %d", p["business"], status)
		}
	}
	// Some neighbours so that the round has choices.
	for i, offer := range []string{"Wedding photography and albums", "Dental billing for small practices", "Email marketing for Shopify brands"} {
		s.createPost(t, e2eToken, map[string]any{"business": fmt.Sprintf("Neighbour %d", i), "email": fmt.Sprintf("n%d@neighbour%d.example", i, i),
			"offer": offer, "seek": "Partners who serve the same customers as we do"})
	}

	// Ledger signs in with an emailed link and sees its post.
	if status, _ := s.do(t, http.MethodPost, "/api/v1/auth/sign-in-link", "", `{"email":"hi@ledgerlane.example"}`); status != http.StatusAccepted {
		t.Fatalf("sign-in link: %d", status)
	}
	mails := waitForMail(t, data, seen)
	seen = len(mails)
	if status := form("/signin", url.Values{"token": {linkToken(t, mails[seen-1], "signin")}}); status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", status)
	}
	res, err := browser.Get(s.URL + "/api/v1/me/posts")
	if err != nil {
		t.Fatal(err)
	}
	var mine struct{ Posts []struct{ Status string } }
	json.NewDecoder(res.Body).Decode(&mine)
	res.Body.Close()
	if len(mine.Posts) != 1 || mine.Posts[0].Status != "active" {
		t.Errorf("the signed-in member's posts: %+v", mine.Posts)
	}

	// The host runs the round and introduces the two.
	quarter := match.QuarterOf(time.Now())
	s.runRound(t, e2eToken, string(quarter))
	_, body := s.do(t, http.MethodGet, "/api/v1/rounds/"+string(quarter)+"/suggestions", e2eToken, "")
	var list struct {
		Suggestions []struct {
			ID   int64
			A, B struct{ Post struct{ Business string } }
		}
	}
	json.Unmarshal(body, &list)
	var pair int64
	for _, sg := range list.Suggestions {
		names := sg.A.Post.Business + "+" + sg.B.Post.Business
		if strings.Contains(names, "Ledger Lane") && strings.Contains(names, "Storefront Forge") {
			pair = sg.ID
		}
	}
	if pair == 0 {
		t.Fatalf("the round did not suggest Ledger Lane with Storefront Forge: %s", body)
	}
	path := fmt.Sprintf("/api/v1/rounds/%s/suggestions/%d", quarter, pair)
	if status, res := s.do(t, http.MethodPatch, path, e2eToken, `{"status":"approved","note":"You two should talk."}`); status != http.StatusOK {
		t.Fatalf("approve: %d %s", status, res)
	}
	if status, res := s.do(t, http.MethodPost, path+"/introduce", e2eToken, ""); status != http.StatusCreated {
		t.Fatalf("introduce: %d %s", status, res)
	}
	mails = waitForMail(t, data, seen+1)
	invites := mails[seen:]
	seen = len(mails)
	if len(invites) != 2 {
		t.Fatalf("%d invitations, want 2", len(invites))
	}
	for _, m := range invites {
		if strings.Contains(m.Text, "hi@ledgerlane.example") || strings.Contains(m.Text, "hello@storefrontforge.example") {
			t.Errorf("an invitation shares an address before both accepted:\n%s", m.Text)
		}
		if status := form("/introduction", url.Values{"token": {linkToken(t, m, "introduction")}, "answer": {"accept"}}); status != http.StatusOK {
			t.Fatalf("accept by %s: %d", m.To, status)
		}
	}
	mails = waitForMail(t, data, seen+1)
	intros := mails[seen:]
	got := map[string]string{}
	for _, m := range intros {
		got[m.To] = m.Text
	}
	if !strings.Contains(got["hi@ledgerlane.example"], "hello@storefrontforge.example") ||
		!strings.Contains(got["hello@storefrontforge.example"], "hi@ledgerlane.example") {
		t.Errorf("introduction emails: %+v; want each to hold the other's address", got)
	}
}
