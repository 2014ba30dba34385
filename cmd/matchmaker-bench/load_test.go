package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/api"
	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/synth"
)

// TestLoadCommand runs a short, light load against the real service (its
// API on a loopback port, its data in a real folder): every kind of
// request is sent and none fails. (The figures themselves are for
// BENCHMARKS.md; nothing here checks timing.)
func TestLoadCommand(t *testing.T) {
	ctx := context.Background()
	const token = "load-test-host-token"
	a, err := app.Open(ctx, app.Config{DataDir: t.TempDir(), HostToken: token})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{N: 400, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	if r, err := a.Import(ctx, &buf, intake.FormatJSONL, nil); err != nil || r.Created != 400 {
		t.Fatalf("import: %+v %v", r, err)
	}
	if n, err := makeReferralPartners(ctx, a, 5); err != nil || n != 5 {
		t.Fatalf("partners: %d, %v", n, err)
	}
	server, err := api.New(a, api.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.Handler())
	defer srv.Close()

	var out, errOut bytes.Buffer
	err = run(ctx, []string{"load", "--url", srv.URL, "--token", token, "--duration", "2s",
		"--match-rate", "40", "--search-rate", "10", "--post-rate", "10", "--referral-rate", "10", "--workers", "8", "--sample", "300", "--partnerships", "5", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("load: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	var report loadReport
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("report: %v\n%s", err, out.String())
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
	errOut.Reset()
	if err := run(ctx, []string{"load", "--url", "http://192.0.2.1:8080", "--token", "x"}, &out, &errOut); err == nil || !strings.Contains(err.Error()+errOut.String(), "loopback") {
		t.Errorf("a non-loopback target: %v %s", err, errOut.String())
	}
}
