package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
)

type matchesJSON struct {
	PostID  int64           `json:"post_id"`
	Matches []app.MatchView `json:"matches"`
}

func TestMatchesEndpoint(t *testing.T) {
	ts := newTestServer(t)
	me := ts.createPost(t, post("business", "Ledger Lane", "email", "hi@ledger.example",
		"offer", "Bookkeeping and payroll for independent dental practices",
		"seek", "Dental marketing agencies whose clients need an accountant", "lane", "either"))
	partner := ts.createPost(t, post("business", "SmileFlow", "email", "hi@smileflow.example",
		"offer", "Marketing and websites for dental practices", "seek", "An accountant who knows dentists", "lane", "either"))
	rival := ts.createPost(t, post("business", "Tooth Books", "email", "hi@toothbooks.example",
		"offer", "Bookkeeping and payroll for dental practices", "seek", "Dental marketing agencies for referrals", "lane", "either"))
	hidden := ts.createPost(t, post("business", "Hidden Agency", "email", "hi@hidden.example",
		"offer", "Marketing and websites for dental practices", "seek", "An accountant who knows dentists", "status", "hidden", "lane", "either"))
	path := fmt.Sprintf("/api/v1/posts/%d/matches", me.ID)

	for _, tc := range []struct {
		name   string
		w      who
		path   string
		status int
		fields []string
	}{
		{"host", host, path, http.StatusOK, nil},
		{"anonymous", anonymous, path, http.StatusUnauthorized, nil},
		{"wrong token", wrongToken, path, http.StatusUnauthorized, nil},
		{"unknown post", host, "/api/v1/posts/999999/matches", http.StatusNotFound, nil},
		{"bad id", host, "/api/v1/posts/abc/matches", http.StatusBadRequest, []string{"id"}},
		{"limit 0", host, path + "?limit=0", http.StatusBadRequest, []string{"limit"}},
		{"limit 51", host, path + "?limit=51", http.StatusBadRequest, []string{"limit"}},
		{"limit x", host, path + "?limit=x", http.StatusBadRequest, []string{"limit"}},
		{"limit 50", host, path + "?limit=50", http.StatusOK, nil},
		{"bad lane", host, path + "?lane=both", http.StatusBadRequest, []string{"lane"}},
		{"bad quarter", host, path + "?quarter=2026-Q9", http.StatusBadRequest, []string{"quarter"}},
		{"unknown parameter", host, path + "?sort=score", http.StatusBadRequest, []string{"sort"}},
		{"wrong method", host, path, http.StatusMethodNotAllowed, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodGet
			if tc.name == "wrong method" {
				method = http.MethodPost
			}
			r := ts.do(t, method, tc.path, tc.w, "")
			checkCommon(t, r)
			wantStatus(t, r, tc.status)
			if tc.fields != nil {
				if got := fieldKeys(decode[errorEnvelope](t, r).Error.Fields); !slices.Equal(got, tc.fields) {
					t.Errorf("fields: got %v, want %v", got, tc.fields)
				}
			}
		})
	}

	r := ts.do(t, http.MethodGet, path, host, "")
	got := decode[matchesJSON](t, r)
	if got.PostID != me.ID || len(got.Matches) == 0 {
		t.Fatalf("matches of %d: %+v", me.ID, got)
	}
	top := got.Matches[0]
	if top.Post.ID != partner.ID {
		t.Errorf("best match is %d (%s), want the partner %d", top.Post.ID, top.Post.Business, partner.ID)
	}
	if top.Score <= 0 || top.Score > 1 || len(top.Reasons) == 0 {
		t.Errorf("best match: score %v reasons %v", top.Score, top.Reasons)
	}
	for i, m := range got.Matches {
		if m.Post.ID == hidden.ID || m.Post.ID == me.ID {
			t.Errorf("match %d is the post itself or a hidden post", m.Post.ID)
		}
		if m.Post.ID == rival.ID && i == 0 {
			t.Error("the rival ranks first")
		}
		if i > 0 && m.Score > got.Matches[i-1].Score {
			t.Errorf("matches out of order at %d", i)
		}
	}
	for _, private := range []string{"hi@smileflow.example", "hi@toothbooks.example", "external_id"} {
		if strings.Contains(string(r.Body), private) {
			t.Errorf("matches show private data %q", private)
		}
	}

	// A new post is matched as soon as its write has returned, and an edit
	// or a deletion shows at once too.
	fresh := ts.createPost(t, post("business", "Grin Growth", "email", "hi@grin.example",
		"offer", "Marketing and websites for dental practices", "seek", "An accountant who knows dentists", "lane", "either"))
	if !slices.Contains(matchIDs(decode[matchesJSON](t, ts.do(t, http.MethodGet, path, host, "")).Matches), fresh.ID) {
		t.Error("a post just created is not matched")
	}
	wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", fresh.ID), host, `{"status":"paused"}`), http.StatusOK)
	if slices.Contains(matchIDs(decode[matchesJSON](t, ts.do(t, http.MethodGet, path, host, "")).Matches), fresh.ID) {
		t.Error("a post just paused is still matched")
	}
	wantStatus(t, ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/posts/%d", partner.ID), host, ""), http.StatusNoContent)
	if slices.Contains(matchIDs(decode[matchesJSON](t, ts.do(t, http.MethodGet, path, host, "")).Matches), partner.ID) {
		t.Error("a deleted post is still matched")
	}
}

func matchIDs(ms []app.MatchView) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.Post.ID
	}
	return out
}

// TestMatchesWhileTheEngineLoads: a server answers at once; while the
// engine loads, search works and a match request waits a moment, then is
// told to come back (503, Retry-After); once loaded, it matches.
func TestMatchesWhileTheEngineLoads(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts) // loads the engine: the next app opens on this folder
	dir := ts.App.DataDir()
	ts.App.Close()

	a, err := app.Open(context.Background(), app.Config{DataDir: dir, HostToken: hostToken, EngineWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	release := a.HoldEngine()
	a.StartEngine()
	hs := httptest.NewServer(conformance(t, mustNew(t, a, Config{}).Handler()))
	defer hs.Close()
	loading := &testServer{URL: hs.URL, App: a}

	wantStatus(t, loading.do(t, http.MethodGet, "/api/v1/posts?q=bookkeeping", anonymous, ""), http.StatusOK)
	health := func() string {
		r := loading.do(t, http.MethodGet, "/healthz", anonymous, "")
		wantStatus(t, r, http.StatusOK)
		return decode[map[string]string](t, r)["matching"]
	}
	if got := health(); got != "loading" {
		t.Errorf("health while loading says matching is %q", got)
	}
	r := loading.do(t, http.MethodGet, "/api/v1/posts/1/matches", host, "")
	wantStatus(t, r, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" || !strings.Contains(string(r.Body), "loading") {
		t.Errorf("while loading: %s (Retry-After %q)", r, r.Header.Get("Retry-After"))
	}
	close(release)
	if _, err := a.Matcher(context.Background()); err != nil {
		t.Fatal(err)
	}
	r = loading.do(t, http.MethodGet, "/api/v1/posts/1/matches", host, "")
	wantStatus(t, r, http.StatusOK)
	if got := health(); got != "ready" {
		t.Errorf("health once loaded says matching is %q", got)
	}
}
