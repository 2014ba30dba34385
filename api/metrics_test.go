package api

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// metricValue returns the value of the first sample of the metric whose
// line starts with prefix (name and labels), or -1.
func metricValue(body, prefix string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, prefix) {
			f := strings.Fields(line)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	wantStatus(t, ts.do(t, http.MethodGet, "/metrics", anonymous, ""), http.StatusUnauthorized)
	p := ts.createPost(t, post())
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/posts/"+strconv.FormatInt(p.ID, 10)+"/matches", host, ""), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/posts/999999", anonymous, ""), http.StatusNotFound)
	wantStatus(t, ts.request(t, http.MethodPost, "/api/v1/import", host, strings.NewReader(importLine("m-1")+"\n{\"business\":1}\n"), nil), http.StatusOK)
	wantStatus(t, newBrowser(ts).api(t, http.MethodPost, "/api/v1/auth/sign-in-link", `{"email":"owner@harbour.example"}`), http.StatusAccepted)
	ts.outbox(t) // waits for the mail

	r := ts.do(t, http.MethodGet, "/metrics", host, "")
	wantStatus(t, r, http.StatusOK)
	body := string(r.Body)
	for prefix, atLeast := range map[string]float64{
		`matchmaker_http_requests_total{method="POST",route="/api/v1/posts",status="201"}`:       1,
		`matchmaker_http_requests_total{method="GET",route="/api/v1/posts/:id",status="404"}`:    1,
		`matchmaker_http_request_duration_seconds_count{method="GET",route="/api/v1/posts/:id"}`: 1,
		`matchmaker_match_duration_seconds_count{kind="post"}`:                                   1,
		`matchmaker_import_lines_total{result="stored"}`:                                         1,
		`matchmaker_import_lines_total{result="rejected"}`:                                       1,
		`matchmaker_mail_total{outcome="sent"}`:                                                  1,
		`matchmaker_outbox_queued`:                                                               0,
		`matchmaker_outbox_failed`:                                                               0,
		`matchmaker_database_bytes`:                                                              4096,
		`matchmaker_index_bytes`:                                                                 1,
		`go_goroutines`:                                                                          1,
	} {
		if v := metricValue(body, prefix); v < atLeast {
			t.Errorf("%s = %v, want at least %v", prefix, v, atLeast)
		}
	}
	// Series are by route pattern, never by raw path.
	if regexp.MustCompile(`route="/api/v1/posts/[0-9]`).MatchString(body) {
		t.Error("a series is labelled with a raw path")
	}
}
