package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestBench runs the bench command in-process on a small community and
// checks the figures are there and consistent. It asserts nothing about
// how fast anything is.
func TestBench(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"bench", "--n", "300", "--queries", "20", "--recall-sample", "20", "--json"}, &out, &errOut)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, errOut.String())
	}
	var report map[string]any
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("bench --json printed no JSON: %v\n%s", err, out.String())
	}
	// num reads a number at a path of keys, failing the test if it is absent.
	num := func(obj map[string]any, path ...string) float64 {
		t.Helper()
		var v any = obj
		for _, k := range path {
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%s: %v is not an object", strings.Join(path, "."), v)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("no %q in %s", k, strings.Join(path, "."))
			}
		}
		f, ok := v.(float64)
		if !ok {
			t.Fatalf("%s = %v, want a number", strings.Join(path, "."), v)
		}
		return f
	}
	if got := num(report, "machine", "cpus"); got < 1 {
		t.Errorf("machine.cpus = %v, want at least 1", got)
	}
	if got, _ := report["machine"].(map[string]any)["go_version"].(string); !strings.HasPrefix(got, "go") {
		t.Errorf("machine.go_version = %q, want a Go version", got)
	}
	runs, _ := report["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(runs))
	}
	r, _ := runs[0].(map[string]any)
	if got := num(r, "n"); got != 300 {
		t.Errorf("n = %v, want 300", got)
	}
	if got := num(r, "load_seconds"); got <= 0 {
		t.Errorf("load_seconds = %v, want > 0", got)
	}
	if got := num(r, "heap_inuse_bytes"); got <= 0 {
		t.Errorf("heap_inuse_bytes = %v, want > 0", got)
	}
	if got := num(r, "peak_rss_bytes"); got < num(r, "peak_rss_load_bytes") || got <= 0 {
		t.Errorf("peak_rss_bytes = %v, want > 0 and at least peak_rss_load_bytes %v", got, num(r, "peak_rss_load_bytes"))
	}

	if got := num(r, "top10_latency_ms", "queries"); got != 20 {
		t.Errorf("latency queries = %v, want 20", got)
	}
	p50, p90, p99, pmax := num(r, "top10_latency_ms", "p50"), num(r, "top10_latency_ms", "p90"),
		num(r, "top10_latency_ms", "p99"), num(r, "top10_latency_ms", "max")
	if !(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= pmax) {
		t.Errorf("latency p50 %v, p90 %v, p99 %v, max %v: want 0 < p50 <= p90 <= p99 <= max", p50, p90, p99, pmax)
	}

	for _, round := range []string{"round_scores_only", "round_with_reasons"} {
		if got := num(r, round, "measured_posts"); got != 300 {
			t.Errorf("%s.measured_posts = %v, want 300 (the whole community)", round, got)
		}
		if got := num(r, round, "seconds"); got <= 0 {
			t.Errorf("%s.seconds = %v, want > 0", round, got)
		}
		if got := num(r, round, "retained_bytes_per_post"); got <= 0 {
			t.Errorf("%s.retained_bytes_per_post = %v, want > 0", round, got)
		}
	}

	sampled, counted := num(r, "recall_at_10", "sampled"), num(r, "recall_at_10", "counted")
	recall, perfect := num(r, "recall_at_10", "recall"), num(r, "recall_at_10", "perfect")
	if sampled != 20 {
		t.Errorf("recall sampled = %v, want 20", sampled)
	}
	if counted < 1 || counted > sampled {
		t.Errorf("recall counted = %v, want 1 to %v", counted, sampled)
	}
	if recall < 0 || recall > 1 {
		t.Errorf("recall = %v, want between 0 and 1", recall)
	}
	if perfect > counted {
		t.Errorf("perfect = %v, want at most counted %v", perfect, counted)
	}
	if _, ok := r["import"]; ok {
		t.Errorf("import figures present without --import")
	}
}

func TestBenchRejectsBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--n", "0"}, "--n must be positive"},
		{[]string{"--n", "1000,abc"}, "--n must be positive"},
		{[]string{"--n", "1000,"}, "--n must be positive"},
		{[]string{"--queries", "0"}, "--queries must be a positive"},
		{[]string{"--recall-sample", "-5"}, "--recall-sample must be a positive"},
		{[]string{"--round-chunk", "0"}, "--round-chunk must be a positive"},
		{[]string{"--round-budget", "0s"}, "--round-budget must be positive"},
		{[]string{"extra"}, "bench takes no arguments"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"bench"}, tc.args...), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("bench %v: got error %v, want one containing %q", tc.args, err, tc.want)
		}
		if out.Len() > 0 {
			t.Errorf("bench %v printed %q, want nothing on stdout", tc.args, out.String())
		}
	}
}
