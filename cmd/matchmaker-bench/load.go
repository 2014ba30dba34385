package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

// The load command drives a running server with a mix of reads (matches,
// search) and writes (posts, referrals) at fixed rates, for a bounded time,
// and reports throughput, latency percentiles and every error. It is open
// loop: each request has a planned start, and its latency counts from
// then, so a server that falls behind shows it (no coordinated omission).

type loadConfig struct {
	URL          string
	Token        string
	Duration     time.Duration
	MatchRate    float64
	SearchRate   float64
	PostRate     float64
	ReferRate    float64
	Workers      int
	Sample       int
	JSON         bool
	Partnerships int
	Procs        int
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("load", "matchmaker-bench load [flags]", stderr)
	cfg := loadConfig{}
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "the server to load; loopback only")
	data := cli.DataFlag(fs) // to read the generated host token from
	fs.StringVar(&cfg.Token, "token", os.Getenv("MATCHMAKER_HOST_TOKEN"), "host token (env MATCHMAKER_HOST_TOKEN; default: DATA/host-token)")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to load (at most 10m)")
	fs.Float64Var(&cfg.MatchRate, "match-rate", 1000, "GET /posts/{id}/matches per second")
	fs.Float64Var(&cfg.SearchRate, "search-rate", 100, "GET /posts?q= per second")
	fs.Float64Var(&cfg.PostRate, "post-rate", 100, "POST /posts per second")
	fs.Float64Var(&cfg.ReferRate, "referral-rate", 100, "POST /partnerships/{id}/referrals per second")
	fs.IntVar(&cfg.Workers, "workers", 128, "concurrent connections")
	fs.IntVar(&cfg.Sample, "sample", 5000, "posts to sample for match requests")
	fs.IntVar(&cfg.Partnerships, "partnerships", 50, "at most this many of the community's active referral partnerships get the referral writes (make them with partners)")
	fs.IntVar(&cfg.Procs, "procs", 1, "cores the load generator runs on (GOMAXPROCS); one leaves the rest to a server on the same machine")
	fs.BoolVar(&cfg.JSON, "json", false, "print the report as JSON")
	if _, err := cli.ParseArgs(fs, args); err != nil {
		return err
	}
	if cfg.Duration <= 0 || cfg.Duration > 10*time.Minute {
		return errors.New("--duration must be above 0 and at most 10m")
	}
	if cfg.Procs < 1 {
		return errors.New("--procs must be at least 1")
	}
	// One core's worth of threads is plenty for the generator's light
	// work, and it spends a fifth less CPU than two that keep waking each
	// other (measured in BENCHMARKS.md), CPU the server it measures shares.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cfg.Procs))
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return fmt.Errorf("--url: %w", err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--url: load tests only target loopback (127.0.0.1, ::1, localhost), not %q", u.Hostname())
	}
	if cfg.Token == "" {
		b, err := os.ReadFile(filepath.Join(*data, "host-token"))
		if err != nil {
			return errors.New("no host token: set MATCHMAKER_HOST_TOKEN, --token, or --data with a generated host-token file")
		}
		cfg.Token = strings.TrimSpace(string(b))
	}
	if u.Scheme != "http" {
		return fmt.Errorf("--url: the load generator speaks plain HTTP (on loopback), not %q", u.Scheme)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	l := &loader{cfg: cfg, addr: addr, prefix: strings.TrimSuffix(u.Path, "/")}
	l.setup = l.conn()
	fmt.Fprintln(stderr, "load: sampling posts and setting up partnerships…")
	err = l.setUp(ctx)
	l.setup.close() // idle through the run otherwise
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "load: %d posts sampled, %d partnerships; loading for %v…\n", len(l.posts), len(l.partnerships), cfg.Duration)
	report := l.run(ctx)
	if cfg.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		report.print(stdout)
	}
	if report.Errors > 0 {
		return cli.ErrSilentFailure
	}
	return nil
}

type loader struct {
	cfg          loadConfig
	addr, prefix string // where the server is, and the path it is under
	setup        *loadConn
	posts        []int64
	partnerships []int64
	writes       []match.PostInput // bodies of the posts the run writes
}

// conn returns a new connection to the server, as the host.
func (l *loader) conn() *loadConn { return newLoadConn(l.addr, l.cfg.Token) }

// call sends one request of the set-up and returns its status and body.
func (l *loader) call(ctx context.Context, method, path, body string) (int, []byte, error) {
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	return l.setup.do(method, l.prefix+path, body, func(int) bool { return true })
}

// send is call for the measured requests, each worker on its own
// connection: the load generator shares the machine with the server, so
// a successful answer's body is drained without being kept; only an
// error's is read, to look for "database is locked".
func (l *loader) send(c *loadConn, method, path, body string) (status int, locked bool, err error) {
	status, b, err := c.do(method, l.prefix+path, body, func(status int) bool { return status >= 300 })
	return status, bytes.Contains(b, []byte("database is locked")), err
}

// setUp samples active posts, uniformly over the whole community (a
// sample of the newest would be the posts earlier load runs wrote), makes
// takes the community's active referral partnerships, and generates the
// posts the writes will send.
func (l *loader) setUp(ctx context.Context) error {
	type page struct {
		Posts []struct {
			ID int64 `json:"id"`
		} `json:"posts"`
		NextCursor string `json:"next_cursor"`
	}
	var sample []int64
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	seen := 0
	cursor := ""
	for {
		path := "/api/v1/posts?status=active&limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		status, body, err := l.call(ctx, http.MethodGet, path, "")
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("list posts: %d %s %v", status, body, err)
		}
		var p page
		if err := json.Unmarshal(body, &p); err != nil {
			return err
		}
		for _, x := range p.Posts {
			// Reservoir sampling: every post has the same chance.
			seen++
			if len(sample) < l.cfg.Sample {
				sample = append(sample, x.ID)
			} else if i := rng.IntN(seen); i < len(sample) {
				sample[i] = x.ID
			}
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	l.posts = sample
	if len(l.posts) < 2 {
		return errors.New("the server has fewer than two active posts: import some first (matchmaker-bench gen | matchmaker import -)")
	}
	// Posts written during the run are drawn from the same generator as
	// `gen`'s communities (under a seed of their own), so that they are as
	// varied as real ones rather than one template repeated: as many as the
	// run will write, up to 20,000 (repeats beyond are harmless).
	if want := int(l.cfg.PostRate*l.cfg.Duration.Seconds()) + 1; l.cfg.PostRate > 0 {
		l.writes = synth.Generate(synth.Options{N: min(want, 20000), Seed: uint64(time.Now().UnixNano())})
	}
	// The referral writes go to the community's active referral
	// partnerships: the host cannot make one (both members must accept),
	// so `matchmaker-bench partners` makes them beforehand.
	status, body, err := l.call(ctx, http.MethodGet, "/api/v1/partnerships?lane=referral&status=active", "")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("list partnerships: %d %s %v", status, body, err)
	}
	var active struct {
		Partnerships []struct {
			ID int64 `json:"id"`
		} `json:"partnerships"`
	}
	if err := json.Unmarshal(body, &active); err != nil {
		return err
	}
	for _, p := range active.Partnerships[:min(len(active.Partnerships), l.cfg.Partnerships)] {
		l.partnerships = append(l.partnerships, p.ID)
	}
	if len(l.partnerships) == 0 && l.cfg.ReferRate > 0 {
		return errors.New("the server has no active referral partnership for the referral writes: make some first, the server stopped (matchmaker-bench partners --data DIR), or set --referral-rate 0")
	}
	return nil
}

// loadKind is one kind of request of the mix.
type loadKind struct {
	name  string
	rate  float64
	write bool
	next  func(r *rand.Rand, n int) (method, path, body string)
}

func (l *loader) kinds() []loadKind {
	words := []string{"dental", "bookkeeping", "wedding", "shopify", "marketing", "software", "legal", "photography", "payroll", "clinic"}
	return []loadKind{
		{"matches", l.cfg.MatchRate, false, func(r *rand.Rand, _ int) (string, string, string) {
			return http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches?limit=10", l.posts[r.IntN(len(l.posts))]), ""
		}},
		{"search", l.cfg.SearchRate, false, func(r *rand.Rand, _ int) (string, string, string) {
			return http.MethodGet, "/api/v1/posts?limit=20&q=" + words[r.IntN(len(words))], ""
		}},
		{"post", l.cfg.PostRate, true, func(r *rand.Rand, n int) (string, string, string) {
			in := l.writes[r.IntN(len(l.writes))]
			// An address of its own, so that no write is refused as a duplicate.
			in.Email = fmt.Sprintf("owner@load%d-%d.example", n, r.IntN(1e6))
			in.ExternalID = ""
			body, _ := json.Marshal(in)
			return http.MethodPost, "/api/v1/posts", string(body)
		}},
		{"referral", l.cfg.ReferRate, true, func(r *rand.Rand, n int) (string, string, string) {
			return http.MethodPost, fmt.Sprintf("/api/v1/partnerships/%d/referrals", l.partnerships[r.IntN(len(l.partnerships))]),
				fmt.Sprintf(`{"lead_name":"Lead %d","from":"a"}`, n)
		}},
	}
}

// loadResult is one kind's figures.
type loadResult struct {
	Kind      string         `json:"kind"`
	Requests  int            `json:"requests"`
	PerSecond float64        `json:"per_second"`
	P50       float64        `json:"p50_ms"`
	P95       float64        `json:"p95_ms"`
	P99       float64        `json:"p99_ms"`
	Max       float64        `json:"max_ms"`
	Errors    map[string]int `json:"errors"`
}

type loadReport struct {
	Duration      float64      `json:"duration_seconds"`
	Workers       int          `json:"workers"`
	Kinds         []loadResult `json:"kinds"`
	Reads         float64      `json:"reads_per_second"`
	Writes        float64      `json:"writes_per_second"`
	P99           float64      `json:"p99_ms"`
	Errors        int          `json:"errors"`
	DatabaseLocks int          `json:"database_locked"`
}

type loadJob struct {
	kind    int
	planned time.Time
	n       int
}

type loadSample struct {
	kind    int
	latency time.Duration
	status  int
	err     string
	locked  bool
}

// run plans each kind's requests at its rate, hands them to the workers,
// and gathers the samples.
func (l *loader) run(ctx context.Context) loadReport {
	kinds := l.kinds()
	ctx, cancel := context.WithTimeout(ctx, l.cfg.Duration)
	defer cancel()
	jobs := make(chan loadJob, 100000)
	samples := make(chan loadSample, 100000)
	var wg sync.WaitGroup
	start := time.Now()
	for i, k := range kinds {
		if k.rate <= 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			interval := time.Duration(float64(time.Second) / k.rate)
			timer := time.NewTimer(0) // one timer, reset for each request
			defer timer.Stop()
			for n := 0; ; n++ {
				planned := start.Add(time.Duration(n) * interval)
				timer.Reset(time.Until(planned))
				select {
				case <-ctx.Done():
					return
				case <-timer.C:
				}
				jobs <- loadJob{kind: i, planned: planned, n: n}
			}
		}()
	}
	var workers sync.WaitGroup
	for w := range l.cfg.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			r := rand.New(rand.NewPCG(uint64(w), 42))
			c := l.conn()
			defer c.close()
			for j := range jobs {
				method, path, body := kinds[j.kind].next(r, j.n*l.cfg.Workers+w)
				// Requests still queued when time is up are sent all the
				// same: dropping them would hide a server that fell behind.
				status, locked, err := l.send(c, method, path, body)
				s := loadSample{kind: j.kind, latency: time.Since(j.planned), status: status, locked: locked}
				ok := status == http.StatusOK || status == http.StatusCreated
				if err != nil {
					s.err = err.Error()
				} else if !ok {
					s.err = fmt.Sprintf("HTTP %d", status)
				}
				samples <- s
			}
		}()
	}
	var all []loadSample
	collected := make(chan struct{})
	go func() {
		for s := range samples {
			all = append(all, s)
		}
		close(collected)
	}()
	wg.Wait()
	close(jobs)
	workers.Wait()
	close(samples)
	<-collected
	elapsed := time.Since(start).Seconds()

	report := loadReport{Duration: elapsed, Workers: l.cfg.Workers}
	var every []time.Duration
	for i, k := range kinds {
		res := loadResult{Kind: k.name, Errors: map[string]int{}}
		var lat []time.Duration
		for _, s := range all {
			if s.kind != i {
				continue
			}
			res.Requests++
			lat = append(lat, s.latency)
			if s.err != "" {
				res.Errors[s.err]++
				report.Errors++
			}
			if s.locked {
				report.DatabaseLocks++
			}
		}
		every = append(every, lat...)
		res.PerSecond = float64(res.Requests) / elapsed
		res.P50, res.P95, res.P99, res.Max = percentileMS(lat, 50), percentileMS(lat, 95), percentileMS(lat, 99), percentileMS(lat, 100)
		if k.write {
			report.Writes += res.PerSecond
		} else {
			report.Reads += res.PerSecond
		}
		report.Kinds = append(report.Kinds, res)
	}
	report.P99 = percentileMS(every, 99)
	return report
}

// percentileMS returns the p-th percentile (nearest rank) in milliseconds.
func percentileMS(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(float64(len(d))*p/100+0.5) - 1
	i = min(max(i, 0), len(d)-1)
	return float64(d[i].Microseconds()) / 1000
}

func (r loadReport) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\trequests\tper second\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t")
	for _, k := range r.Kinds {
		n := 0
		for _, c := range k.Errors {
			n += c
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t\n", k.Kind, k.Requests, k.PerSecond, k.P50, k.P95, k.P99, k.Max, n)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%.0f reads/s and %.0f writes/s together for %.1f s over %d connections; p99 %.1f ms; %d errors; %d \"database is locked\"\n",
		r.Reads, r.Writes, r.Duration, r.Workers, r.P99, r.Errors, r.DatabaseLocks)
	for _, k := range r.Kinds {
		for e, c := range k.Errors {
			fmt.Fprintf(w, "  %s: %d × %s\n", k.Kind, c, e)
		}
	}
}
