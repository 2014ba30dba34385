package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/synth"
)

// TestLoadCommand runs a short, light load against the real binary: every
// kind of request is sent and none fails. (The figures themselves are for
// BENCHMARKS.md; nothing here checks timing.)
func TestLoadCommand(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "posts.jsonl")
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{N: 400, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCommand(t, commandTimeout, nil, "import", "--data", data, file); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	s := startServer(t, data, "MATCHMAKER_HOST_TOKEN="+crashToken)
	defer s.stop(t)
	r := runCommand(t, commandTimeout, []string{"MATCHMAKER_HOST_TOKEN=" + crashToken}, "load", "--url", s.URL, "--duration", "2s",
		"--match-rate", "40", "--search-rate", "10", "--post-rate", "10", "--referral-rate", "10", "--workers", "8", "--sample", "300", "--partnerships", "5", "--json")
	if r.code != 0 {
		t.Fatalf("load: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var report loadReport
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("report: %v\n%s", err, r.stdout)
	}
	if report.Errors != 0 || report.DatabaseLocks != 0 || len(report.Kinds) != 4 {
		t.Errorf("report: %+v", report)
	}
	for _, k := range report.Kinds {
		if k.Requests == 0 || k.P99 <= 0 {
			t.Errorf("%s: %+v", k.Kind, k)
		}
	}
	// Only loopback.
	if r := runCommand(t, commandTimeout, []string{"MATCHMAKER_HOST_TOKEN=x"}, "load", "--url", "http://192.0.2.1:8080"); r.code == 0 || !strings.Contains(r.stderr, "loopback") {
		t.Errorf("a non-loopback target: exit %d %s", r.code, r.stderr)
	}
}
