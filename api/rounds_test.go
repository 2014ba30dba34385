package api

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/match"
)

// importEvalSet loads the labelled evaluation community into the server,
// all in one quarter.
func importEvalSet(t *testing.T, ts *testServer) {
	t.Helper()
	data, err := os.ReadFile("../match/testdata/eval/posts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		b.Write(bytes.TrimSuffix(line, []byte("}")))
		b.WriteString(`,"quarter":"2026-Q3"}` + "\n")
	}
	r := ts.request(t, http.MethodPost, "/api/v1/import", host, strings.NewReader(b.String()), map[string]string{"Content-Type": "application/x-ndjson"})
	wantStatus(t, r, http.StatusOK)
}

type suggestionsJSON struct {
	Suggestions []suggestionView `json:"suggestions"`
}

func TestRoundsAndSuggestions(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)

	// Only the host runs rounds; bad input is refused.
	for _, c := range []struct {
		w      who
		body   string
		status int
	}{
		{anonymous, `{"quarter":"2026-Q3"}`, http.StatusUnauthorized},
		{host, `{"quarter":"2026-Q9"}`, http.StatusBadRequest},
		{host, `{"quarter":"2026-Q3","per_post":0}`, http.StatusBadRequest},
		{host, `{"quarter":"2026-Q3","per_post":3,"extra":1}`, http.StatusBadRequest},
	} {
		r := ts.do(t, http.MethodPost, "/api/v1/rounds", c.w, c.body)
		checkCommon(t, r)
		if r.Status != c.status {
			t.Errorf("run round %s as %s: %s, want %d", c.body, c.w, r, c.status)
		}
	}

	round := ts.runRound(t, `{"quarter":"2026-Q3","per_post":2}`)
	if round.Counts["proposed"] == 0 || round.Job == nil || round.Job.Status != "done" || round.Job.Posts == 0 || round.Job.Done != round.Job.Posts {
		t.Fatalf("round: %+v, want proposals", round)
	}
	list := decode[suggestionsJSON](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions", host, ""))
	perPost := map[int64]int{}
	for _, s := range list.Suggestions {
		perPost[s.A.Post.ID]++
		perPost[s.B.Post.ID]++
		if s.A.Post.ID >= s.B.Post.ID || len(s.A.Reasons) == 0 || len(s.B.Reasons) == 0 || s.Score <= 0 {
			t.Errorf("suggestion %d: %+v", s.ID, s)
		}
		if s.A.Post.Email == "" {
			t.Errorf("the host should see both emails in suggestion %d", s.ID)
		}
		if strings.Split(s.A.Post.Email, "@")[1] == strings.Split(s.B.Post.Email, "@")[1] && !strings.HasSuffix(s.A.Post.Email, "@gmail.com") {
			t.Errorf("suggestion %d pairs one business with itself", s.ID)
		}
		if (s.A.Post.Lane == "strategic" && s.B.Post.Lane == "referral") || (s.A.Post.Lane == "referral" && s.B.Post.Lane == "strategic") {
			t.Errorf("suggestion %d crosses lanes", s.ID)
		}
	}
	for id, n := range perPost {
		if n > 2 {
			t.Errorf("post %d got %d suggestions, limit 2", id, n)
		}
	}
	if len(perPost) < 60 {
		t.Errorf("only %d of 86 posts got a suggestion", len(perPost))
	}

	// The host curates: approve, reject with a note, take it back.
	first, second := list.Suggestions[0], list.Suggestions[1]
	path := func(id int64) string { return fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d", id) }
	wantStatus(t, ts.do(t, http.MethodPatch, path(first.ID), host, `{"status":"approved","note":"You two should talk!"}`), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodPatch, path(second.ID), host, `{"status":"rejected"}`), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodPatch, path(second.ID), host, `{"status":"introduced"}`), http.StatusBadRequest)
	wantStatus(t, ts.do(t, http.MethodPatch, path(999999), host, `{"status":"approved"}`), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodPatch, path(first.ID), anonymous, `{"status":"rejected"}`), http.StatusUnauthorized)

	// Recomputing keeps what the host decided.
	ts.runRound(t, `{"quarter":"2026-Q3","per_post":2}`)
	approved := decode[suggestionsJSON](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions?status=approved", host, ""))
	if len(approved.Suggestions) != 1 || approved.Suggestions[0].ID != first.ID || approved.Suggestions[0].Note != "You two should talk!" {
		t.Errorf("after recomputing, approved: %+v", approved.Suggestions)
	}

	// Pairing by hand, and its refusals. Two open-lane posts of different
	// businesses, not paired yet, make a valid pair.
	paired := map[[2]int64]bool{}
	for _, s := range list.Suggestions {
		paired[[2]int64{s.A.Post.ID, s.B.Post.ID}] = true
	}
	all := ts.listAll(t, host, nil, 100)
	var a, b postView
	for _, x := range all {
		for _, y := range all {
			if a.ID == 0 && x.ID < y.ID && x.Lane == "either" && y.Lane == "either" && domainOf(x.Email) != domainOf(y.Email) &&
				!paired[[2]int64{x.ID, y.ID}] && x.ID != first.A.Post.ID && y.ID != first.A.Post.ID {
				a, b = x, y
			}
		}
	}
	if a.ID == 0 {
		t.Fatal("the evaluation set has no free pair of open-lane posts")
	}
	r := ts.do(t, http.MethodPost, "/api/v1/rounds/2026-Q3/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"note":"by hand"}`, b.ID, a.ID))
	wantStatus(t, r, http.StatusCreated)
	if got := decode[suggestionView](t, r); got.A.Post.ID != a.ID || got.Source != "host" || got.Status != "approved" || got.Note != "by hand" || len(got.A.Reasons) == 0 {
		t.Errorf("pair by hand: %+v", got)
	}
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/rounds/2026-Q3/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, a.ID, b.ID)), http.StatusConflict)
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/rounds/2026-Q3/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, a.ID, a.ID)), http.StatusBadRequest)
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/rounds/2031-Q1/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, a.ID, b.ID)), http.StatusNotFound)
	for _, x := range all {
		for _, y := range all {
			if x.Lane == "strategic" && y.Lane == "referral" {
				wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/rounds/2026-Q3/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, x.ID, y.ID)), http.StatusBadRequest)
				break
			}
		}
	}

	// Swapping a partner: the approved suggestion keeps its first post and
	// takes a free open-lane post of another business as partner.
	keep := first.A.Post
	var partner postView
	for _, x := range all {
		if partner.ID == 0 && x.Lane == "either" && domainOf(x.Email) != domainOf(keep.Email) && x.ID != first.B.Post.ID &&
			x.ID != keep.ID && !paired[[2]int64{min(x.ID, keep.ID), max(x.ID, keep.ID)}] {
			partner = x
		}
	}
	r = ts.do(t, http.MethodPost, path(first.ID)+"/swap", host, fmt.Sprintf(`{"keep":%d,"partner":%d,"note":"better fit"}`, keep.ID, partner.ID))
	wantStatus(t, r, http.StatusCreated)
	if swapped := decode[suggestionView](t, r); swapped.Source != "host" || swapped.Status != "approved" || swapped.Note != "better fit" {
		t.Errorf("swapped suggestion: %+v", swapped)
	}
	rejected := decode[suggestionsJSON](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions?status=rejected", host, ""))
	found := false
	for _, s := range rejected.Suggestions {
		found = found || s.ID == first.ID
	}
	if !found {
		t.Error("the swapped-out suggestion was not rejected")
	}
	wantStatus(t, ts.do(t, http.MethodPost, path(first.ID)+"/swap", host, `{"keep":999999,"partner":1}`), http.StatusBadRequest)

	rounds := decode[map[string][]roundView](t, ts.do(t, http.MethodGet, "/api/v1/rounds", host, ""))
	if len(rounds["rounds"]) != 1 || rounds["rounds"][0].Quarter != "2026-Q3" {
		t.Errorf("rounds: %+v", rounds)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/rounds/2031-Q1", host, ""), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/rounds/banana", host, ""), http.StatusBadRequest)
}

func domainOf(email string) string {
	_, d, _ := strings.Cut(email, "@")
	if d == "gmail.com" {
		return email
	}
	return d
}

// runRound starts a round as the host, checks the answer is 202 with the
// round's job, waits for the job and returns the round as GET shows it.
func (ts *testServer) runRound(t *testing.T, body string) roundView {
	t.Helper()
	r := ts.do(t, http.MethodPost, "/api/v1/rounds", host, body)
	wantStatus(t, r, http.StatusAccepted)
	started := decode[roundView](t, r)
	if started.Job == nil || started.Job.StartedAt.IsZero() || r.Header.Get("Location") != "/api/v1/rounds/"+string(started.Quarter) {
		t.Fatalf("a started round: %s", r)
	}
	ts.App.WaitRound()
	r = ts.do(t, http.MethodGet, "/api/v1/rounds/"+string(started.Quarter), host, "")
	wantStatus(t, r, http.StatusOK)
	return decode[roundView](t, r)
}

// TestRoundFollowedWhileItRuns follows a round from the list of rounds
// and its own page: running with its progress, then done; a second round
// meanwhile is refused.
func TestRoundFollowedWhileItRuns(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	started, release := ts.App.HoldRounds()
	r := ts.do(t, http.MethodPost, "/api/v1/rounds", host, `{"quarter":"2026-Q3"}`)
	wantStatus(t, r, http.StatusAccepted)
	<-started
	running := decode[roundView](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3", host, ""))
	if j := running.Job; j == nil || j.Status != "running" || j.Phase != "matching" || j.Total != j.Posts || j.Posts == 0 || j.FinishedAt != nil || running.CreatedAt != nil {
		t.Fatalf("a running round: %+v %+v", running, running.Job)
	}
	list := decode[struct {
		Rounds  []roundView `json:"rounds"`
		Running *roundView  `json:"running"`
	}](t, ts.do(t, http.MethodGet, "/api/v1/rounds", host, ""))
	if len(list.Rounds) != 0 || list.Running == nil || list.Running.Quarter != "2026-Q3" {
		t.Errorf("the list while the first round runs: %+v", list)
	}
	r = ts.do(t, http.MethodPost, "/api/v1/rounds", host, `{"quarter":"2026-Q4"}`)
	wantStatus(t, r, http.StatusConflict)
	close(release)
	ts.App.WaitRound()
	done := decode[roundView](t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3", host, ""))
	if j := done.Job; j == nil || j.Status != "done" || j.FinishedAt == nil || done.CreatedAt == nil || done.Counts["proposed"] == 0 {
		t.Fatalf("a finished round: %+v %+v", done, done.Job)
	}
}

// TestSuggestionsNarrowedOnTheServer: the host narrows a round's pairs by
// text (reasons included), lane, region and strength; each filter keeps
// exactly the pairs that pass it, and bad values are refused.
func TestSuggestionsNarrowedOnTheServer(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	ts.runRound(t, `{"quarter":"2026-Q3","per_post":2}`)
	get := func(query string) []suggestionView {
		t.Helper()
		r := ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions?status="+query, host, "")
		wantStatus(t, r, http.StatusOK)
		return decode[suggestionsJSON](t, r).Suggestions
	}
	all := get("")
	if len(all) < 10 {
		t.Fatalf("%d pairs in the round, want a round to narrow", len(all))
	}
	count := func(keep func(s suggestionView) bool) int {
		n := 0
		for _, s := range all {
			if keep(s) {
				n++
			}
		}
		return n
	}
	accepts := func(post, lane string) bool { return post == lane || post == "either" }
	strategic := get("&lane=strategic")
	if want := count(func(s suggestionView) bool {
		return accepts(s.A.Post.Lane, "strategic") && accepts(s.B.Post.Lane, "strategic")
	}); len(strategic) != want || want == 0 || want == len(all) {
		t.Errorf("lane=strategic: %d pairs, want %d of %d", len(strategic), want, len(all))
	}
	region := ""
	for _, s := range all {
		region = cmp.Or(region, s.A.Post.Region)
	}
	if region == "" {
		t.Fatal("no post of the round has a region to narrow by")
	}
	byRegion := get("&region=" + url.QueryEscape(strings.ToUpper(region)))
	if want := count(func(s suggestionView) bool { return s.A.Post.Region == region || s.B.Post.Region == region }); len(byRegion) != want || want == len(all) {
		t.Errorf("region=%s: %d pairs, want %d of %d", region, len(byRegion), want, len(all))
	}
	// A word of a reason finds its pair, though no name holds it.
	word := strings.Fields(all[3].A.Reasons[0])[0]
	found := get("&q=" + url.QueryEscape(strings.ToLower(word)))
	if !slices.ContainsFunc(found, func(s suggestionView) bool { return s.ID == all[3].ID }) {
		t.Errorf("q=%s does not find the pair whose reason says it", word)
	}
	strong := get("&min_score=0.5")
	if want := count(func(s suggestionView) bool { return s.Score >= 0.5 }); len(strong) != want {
		t.Errorf("min_score=0.5: %d pairs, want %d", len(strong), want)
	}
	industry := ""
	for _, s := range all {
		industry = cmp.Or(industry, s.B.Post.Industry)
	}
	byIndustry := get("&industry=" + url.QueryEscape(strings.ToLower(industry)))
	if want := count(func(s suggestionView) bool { return s.A.Post.Industry == industry || s.B.Post.Industry == industry }); industry == "" || len(byIndustry) != want {
		t.Errorf("industry=%q: %d pairs, want %d", industry, len(byIndustry), want)
	}
	// Pairs warned of as possible rivals, only or left out: together, all.
	warned := func(s suggestionView) bool { return s.Scores.SameOffer >= match.RivalWarning }
	rivals, others := get("&rivals=only"), get("&rivals=hide")
	if want := count(warned); len(rivals) != want || len(others) != len(all)-want || !slices.ContainsFunc(all, warned) {
		t.Errorf("rivals=only: %d pairs, rivals=hide: %d; want %d and %d of %d (and a warned pair in the round)", len(rivals), len(others), want, len(all)-want, len(all))
	}
	for _, s := range rivals {
		if !warned(s) {
			t.Errorf("rivals=only keeps pair %d, same_offer %.2f", s.ID, s.Scores.SameOffer)
		}
	}
	// Orders: the weakest first is the strongest first backwards.
	weakest := get("&sort=weakest")
	if len(weakest) != len(all) || weakest[0].ID != all[len(all)-1].ID || weakest[len(weakest)-1].ID != all[0].ID {
		t.Errorf("sort=weakest does not reverse the strongest first")
	}
	newest := get("&sort=newest")
	if !slices.IsSortedFunc(newest, func(x, y suggestionView) int { return cmp.Compare(y.ID, x.ID) }) {
		t.Errorf("sort=newest is not newest first")
	}
	for _, bad := range []string{"&lane=either", "&min_score=2", "&min_score=x", "&q=" + strings.Repeat("a", 201), "&sort=random", "&rivals=yes"} {
		wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/rounds/2026-Q3/suggestions?status="+bad, host, ""), http.StatusBadRequest)
	}
}
