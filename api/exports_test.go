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

	// Every other export: its stable columns, a row per record.
	for file, columns := range map[string]string{
		"members.csv":       "id,email,member_since,time_zone",
		"suggestions.csv":   "id,quarter,post_a,post_b,score,status,source,note,created_at,updated_at",
		"introductions.csv": "id,suggestion_id,post_a,post_b,status,answer_a,answer_b,created_at,expires_at,updated_at",
		"partnerships.csv":  "id,lane,status,started_on,ended_on,introduction_id,email_a,business_a,email_b,business_b,created_at,updated_at",
		"referrals.csv":     "id,partnership_id,from_side,lead_name,company,status,sale_amount_minor,sale_currency,decided_at,created_at,updated_at",
		"payouts.csv":       "id,partnership_id,payer,amount_minor,currency,paid_on,reference,recorded_by,created_at",
	} {
		r := ts.do(t, http.MethodGet, "/api/v1/exports/"+file, host, "")
		wantStatus(t, r, http.StatusOK)
		rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil || len(rows) == 0 || strings.Join(rows[0], ",") != columns {
			t.Errorf("%s: %v, header %q; want %s", file, err, rows, columns)
		}
	}
	m := signIn(t, ts, "evil@formula.example") // a member now
	if rows, _ := csv.NewReader(bytes.NewReader(ts.do(t, http.MethodGet, "/api/v1/exports/members.csv", host, "").Body)).ReadAll(); len(rows) != 2 || rows[1][1] != "evil@formula.example" {
		t.Errorf("members.csv: %q, want the one member", rows)
	}
	for _, bad := range []string{"posts.json", "secrets.csv", "..%2fposts.csv"} {
		wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/exports/"+bad, host, ""), http.StatusNotFound)
	}

	// Members and strangers get nothing of it.
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/exports/posts.csv", anonymous, ""), http.StatusUnauthorized)
	if r := m.api(t, http.MethodGet, "/api/v1/exports/posts.csv", ""); r.Status != http.StatusUnauthorized || r.Header.Get("Content-Disposition") != "" {
		t.Errorf("a member asking for the export: %s", r)
	}
}
