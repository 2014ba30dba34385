package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMetricsAddress runs the real binary with a separate metrics
// listener: it serves /metrics without a token, while /metrics on the main
// address still needs the host's.
func TestMetricsAddress(t *testing.T) {
	s := startServer(t, t.TempDir(), "MATCHMAKER_METRICS_ADDR=127.0.0.1:0", "MATCHMAKER_HOST_TOKEN=mmh_metrics-test-token-0001")
	defer s.stop(t)
	line := regexp.MustCompile(`Metrics: (http://\S+/metrics)`)
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := line.FindStringSubmatch(s.stdout.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		t.Fatalf("serve printed no metrics address:\n%s", s.stdout.String())
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `matchmaker_http_requests_total{method="GET",route="/healthz",status="200"}`) {
		t.Errorf("metrics listener: %d\n%.2000s", res.StatusCode, body)
	}
	if status, _ := s.do(t, http.MethodGet, "/metrics", "", ""); status != http.StatusUnauthorized {
		t.Errorf("/metrics on the main address without a token: %d, want 401", status)
	}
	if status, _ := s.do(t, http.MethodGet, "/metrics", "mmh_metrics-test-token-0001", ""); status != http.StatusOK {
		t.Errorf("/metrics on the main address with the host token: %d, want 200", status)
	}
}
