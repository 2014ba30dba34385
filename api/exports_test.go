package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The host exports every post as CSV: one row per post of every status,
// under the stable columns, formulas defused, as an attachment.
func TestPostsExport(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	evil := ts.createPost(t, post("business", "=HYPERLINK(\"http://evil.example\",\"x\")", "email", "evil@formula.example"))
	wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", evil.ID), host, `{"status":"paused"}`), http.StatusOK)

	r := ts.do(t, http.MethodGet, "/api/v1/exports/posts.csv", host, "")
	wantStatus(t, r, http.StatusOK)
	if ct, cd := r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(cd, `attachment; filename="posts-`) {
		t.Errorf("headers: %q, %q; want a CSV attachment", ct, cd)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "id,business,email,website,offer,seek,customers,industry,region,tags,lane,quarter,status,external_id,created_at,updated_at"
	if got := strings.Join(rows[0], ","); got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	if n := ts.countPosts(t); len(rows)-1 != n || n < 80 {
		t.Errorf("%d rows, want the %d posts", len(rows)-1, n)
	}
	last := rows[len(rows)-1]
	if last[0] != fmt.Sprint(evil.ID) || last[1] != `'=HYPERLINK("http://evil.example","x")` || last[2] != "evil@formula.example" || last[12] != "paused" {
		t.Errorf("the last post's row %q: want it (paused, its address) with its formula defused", last)
	}

	// Members and strangers get nothing of it.
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/exports/posts.csv", anonymous, ""), http.StatusUnauthorized)
	m := signIn(t, ts, "evil@formula.example")
	if r := m.api(t, http.MethodGet, "/api/v1/exports/posts.csv", ""); r.Status != http.StatusUnauthorized || r.Header.Get("Content-Disposition") != "" {
		t.Errorf("a member asking for the export: %s", r)
	}
}
