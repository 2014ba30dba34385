package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

// benchQuarter is the quarter of every generated post, fixed so that runs
// on different days measure the same community.
const benchQuarter match.Quarter = "2026-Q3"

// benchLimit is how many matches a query asks for, as the API does by default.
const benchLimit = 10

// benchReport is what the bench command measured. Durations are in
// seconds, latencies in milliseconds, memory in bytes.
type benchReport struct {
	Machine      benchMachine `json:"machine"`
	Seed         uint64       `json:"seed"`
	Queries      int          `json:"queries"`
	RecallSample int          `json:"recall_sample"`
	Language     benchTables  `json:"language_tables"`
	Runs         []benchRun   `json:"runs"`
}

// benchTables is what the matcher's language tables (WordNet, GloVe, the
// gazetteer) cost to read, measured before any community is loaded.
type benchTables struct {
	Seconds   float64 `json:"seconds"`
	HeapBytes int64   `json:"heap_bytes"` // live heap they hold
	RSSBytes  int64   `json:"rss_bytes"`  // resident set they add, after a GC gave back what reading them needed for a moment
}

// measureTables reads the language tables and says what they cost.
func measureTables() benchTables {
	heap := func() int64 {
		runtime.GC()
		debug.FreeOSMemory()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	h0, r0 := heap(), currentRSS()
	start := time.Now()
	match.LoadLanguage()
	t := benchTables{Seconds: time.Since(start).Seconds()}
	t.HeapBytes = heap() - h0
	t.RSSBytes = currentRSS() - r0
	return t
}

type benchMachine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPUModel   string `json:"cpu_model,omitempty"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
}

// benchRun is the figures for one community size.
type benchRun struct {
	N                int          `json:"n"`
	LoadSeconds      float64      `json:"load_seconds"`
	HeapInUseBytes   uint64       `json:"heap_inuse_bytes"`    // after Load and a GC
	HeapLiveBytes    uint64       `json:"heap_live_bytes"`     // after Load and a GC
	RSSLoadBytes     int64        `json:"rss_load_bytes"`      // resident after Load and a GC (0 if unknown)
	PeakRSSLoadBytes int64        `json:"peak_rss_load_bytes"` // process peak once loaded
	Latency          benchLatency `json:"top10_latency_ms"`
	RoundScores      benchRound   `json:"round_scores_only"`
	RoundReasons     benchRound   `json:"round_with_reasons"`
	Recall           benchRecall  `json:"recall_at_10"`
	PeakRSSBytes     int64        `json:"peak_rss_bytes"` // process peak after every step for this N
	Import           *benchImport `json:"import,omitempty"`
	Notes            []string     `json:"notes,omitempty"`
}

// benchLatency is one post's top-10, with reasons, one query at a time.
type benchLatency struct {
	Queries int     `json:"queries"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	P99     float64 `json:"p99"`
	Max     float64 `json:"max"`
	Mean    float64 `json:"mean"`
}

// benchRound is the top-10 of every post, on every core.
type benchRound struct {
	Seconds float64 `json:"seconds"` // for all N posts, extrapolated when Measured < N
	// Measured is how many posts were actually run; when fewer than N, the
	// round was timed on the first Measured posts and Seconds extrapolated.
	Measured        int     `json:"measured_posts"`
	MeasuredSeconds float64 `json:"measured_seconds"`
	Extrapolated    bool    `json:"extrapolated"`
	PostsPerSecond  float64 `json:"posts_per_second"`
	// RetainedBytesPerPost is the heap a Round result holds per post (on
	// up to 1,000 posts); RetainedBytesProjected is that for all N.
	RetainedBytesPerPost   int64 `json:"retained_bytes_per_post"`
	RetainedBytesProjected int64 `json:"retained_bytes_projected"`
}

// benchRecall compares the fast path's top-10 with an exact scan's.
type benchRecall struct {
	Sampled int     `json:"sampled"` // posts queried
	Counted int     `json:"counted"` // of which the exact top-10 was not empty
	Recall  float64 `json:"recall"`  // mean |fast ∩ exact| / |exact| over Counted
	Perfect int     `json:"perfect"` // posts whose fast top-10 held all of the exact one
}

type benchImport struct {
	Seconds        float64 `json:"seconds"`
	PostsPerSecond float64 `json:"posts_per_second"`
	FileBytes      int64   `json:"file_bytes"`
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("bench", "matchmaker-bench bench [--n 10000,100000] [--seed S] [--queries Q] [--recall-sample R] [--round-budget D] [--round-chunk C] [--import] [--json]", stderr)
	sizes := fs.String("n", "10000,100000", "community sizes to measure, comma-separated")
	seed := fs.Uint64("seed", 1, "random seed of the community and of the sampled posts")
	queries := fs.Int("queries", 1000, "single-post queries timed for the latency percentiles")
	recallSample := fs.Int("recall-sample", 200, "posts whose fast top-10 is compared with an exact scan")
	roundBudget := fs.Duration("round-budget", 6*time.Minute,
		"a round estimated to take longer is timed on a prefix of the posts and extrapolated")
	roundChunk := fs.Int("round-chunk", 10000,
		"a round calls Round on at most this many posts at a time, dropping each result (bounds the memory results hold)")
	withImport := fs.Bool("import", false, "also time importing the community into a fresh data folder (SQLite, Bleve, engine)")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("bench takes no arguments, got %q", rest[0])
	}
	ns, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	if *queries < 1 {
		return fmt.Errorf("--queries must be a positive whole number, not %d", *queries)
	}
	if *recallSample < 1 {
		return fmt.Errorf("--recall-sample must be a positive whole number, not %d", *recallSample)
	}
	if *roundChunk < 1 {
		return fmt.Errorf("--round-chunk must be a positive whole number, not %d", *roundChunk)
	}
	if *roundBudget <= 0 {
		return fmt.Errorf("--round-budget must be positive, not %s", *roundBudget)
	}

	b := &bencher{ctx: ctx, log: stderr, seed: *seed, queries: *queries, recallSample: *recallSample,
		roundBudget: *roundBudget, roundChunk: *roundChunk, withImport: *withImport}
	report := benchReport{Machine: machine(), Seed: *seed, Queries: *queries, RecallSample: *recallSample}
	fmt.Fprintln(stderr, report.Machine)
	report.Language = measureTables()
	for _, n := range ns {
		run, err := b.run(n)
		if err != nil {
			return fmt.Errorf("bench at %d posts: %w", n, err)
		}
		report.Runs = append(report.Runs, run)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return printBench(stdout, report)
}

// parseSizes reads "10000,100000" into positive sizes.
func parseSizes(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--n must be positive whole numbers separated by commas, not %q", s)
		}
		out = append(out, n)
	}
	return out, nil
}

type bencher struct {
	ctx          context.Context
	log          io.Writer
	seed         uint64
	queries      int
	recallSample int
	roundBudget  time.Duration
	roundChunk   int
	withImport   bool
}

func (b *bencher) progress(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: %s (peak RSS %s)\n", fmt.Sprintf(format, args...), cli.Bytes(peakRSS()))
}

// run measures a community of n posts.
func (b *bencher) run(n int) (benchRun, error) {
	r := benchRun{N: n}
	b.progress("%d posts: generating", n)
	posts := community(n, b.seed)
	if err := b.ctx.Err(); err != nil {
		return r, err
	}

	b.progress("%d posts: loading the engine", n)
	eng := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	start := time.Now()
	eng.Load(posts)
	r.LoadSeconds = time.Since(start).Seconds()
	posts = nil // the engine keeps its own copy; measure what it holds
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.HeapInUseBytes, r.HeapLiveBytes = ms.HeapInuse, ms.HeapAlloc
	r.RSSLoadBytes = currentRSS()
	r.PeakRSSLoadBytes = max(peakRSS(), r.RSSLoadBytes) // the kernel updates the peak lazily
	b.progress("%d posts: loaded in %.1fs, heap in use %s", n, r.LoadSeconds, cli.Bytes(int64(r.HeapInUseBytes)))

	// Random posts for the latency queries (with repeats) and the recall
	// sample (without), from the seed and the size.
	rng := rand.New(rand.NewPCG(b.seed, uint64(n)))
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i + 1)
	}

	queries := make([]int64, b.queries)
	for i := range queries {
		queries[i] = int64(rng.IntN(n) + 1)
	}
	b.progress("%d posts: timing %d single-post queries", n, b.queries)
	lat, err := latency(eng, queries, match.MatchOptions{Limit: benchLimit})
	if err != nil {
		return r, err
	}
	r.Latency = lat
	// The same queries without reasons give the estimate for the
	// scores-only round.
	scoresLat, err := latency(eng, queries, match.MatchOptions{Limit: benchLimit, NoReasons: true})
	if err != nil {
		return r, err
	}

	var notes []string
	b.progress("%d posts: round, scores only", n)
	r.RoundScores, notes, err = b.round(eng, ids, scoresLat.Mean, match.MatchOptions{Limit: benchLimit, NoReasons: true})
	if err != nil {
		return r, err
	}
	for _, note := range notes {
		r.Notes = append(r.Notes, "round, scores only: "+note)
	}
	b.progress("%d posts: round, with reasons", n)
	r.RoundReasons, notes, err = b.round(eng, ids, lat.Mean, match.MatchOptions{Limit: benchLimit})
	if err != nil {
		return r, err
	}
	for _, note := range notes {
		r.Notes = append(r.Notes, "round, with reasons: "+note)
	}

	b.progress("%d posts: recall@10 on %d posts", n, min(b.recallSample, n))
	if r.Recall, err = b.recall(eng, ids, rng); err != nil {
		return r, err
	}
	r.PeakRSSBytes = peakRSS()
	runtime.GC() // the engine is garbage from here on

	if b.withImport {
		if err := b.ctx.Err(); err != nil {
			return r, err
		}
		imp, err := b.importCommunity(n)
		if err != nil {
			return r, err
		}
		r.Import = &imp
		r.PeakRSSBytes = peakRSS()
	}
	return r, nil
}

// community returns n synthetic posts with IDs 1..n.
func community(n int, seed uint64) []match.Post {
	inputs := synth.Generate(synth.Options{N: n, Seed: seed, Quarter: benchQuarter})
	now := time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC)
	posts := make([]match.Post, len(inputs))
	for i, in := range inputs {
		posts[i] = in.Post(now)
		posts[i].ID = int64(i + 1)
	}
	return posts
}

// latency times single-post queries one after another, as the API serves
// them, after a few unmeasured ones to warm the engine's scratch space.
func latency(eng *match.Engine, ids []int64, opt match.MatchOptions) (benchLatency, error) {
	for _, id := range ids[:min(10, len(ids))] {
		if _, err := eng.Matches(id, opt); err != nil {
			return benchLatency{}, err
		}
	}
	took := make([]time.Duration, len(ids))
	for i, id := range ids {
		start := time.Now()
		if _, err := eng.Matches(id, opt); err != nil {
			return benchLatency{}, err
		}
		took[i] = time.Since(start)
	}
	slices.Sort(took)
	var sum time.Duration
	for _, d := range took {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return benchLatency{Queries: len(took), P50: ms(percentile(took, 0.50)), P90: ms(percentile(took, 0.90)),
		P99: ms(percentile(took, 0.99)), Max: ms(took[len(took)-1]), Mean: ms(sum / time.Duration(len(took)))}, nil
}

// percentile returns the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// round times the top-10 of every post on every core, calling Round on at
// most b.roundChunk posts at a time and dropping each call's result: a
// Round's result holds memory per post (see retained), which over a whole
// large community would not fit. When the estimate from the single-query
// mean is over the budget, it times a prefix of the posts sized to take
// about a sixth of the budget and extrapolates. The note says what was done.
func (b *bencher) round(eng *match.Engine, ids []int64, meanMillis float64, opt match.MatchOptions) (benchRound, []string, error) {
	var notes []string
	measured := ids
	estimate := time.Duration(meanMillis * float64(time.Millisecond) * float64(len(ids)) / float64(runtime.GOMAXPROCS(0)))
	if estimate > b.roundBudget {
		k := int(float64(len(ids)) * float64(b.roundBudget/6) / float64(estimate))
		measured = ids[:min(max(k, 1000), len(ids))]
	}
	r := benchRound{Measured: len(measured)}
	r.RetainedBytesPerPost = retained(eng, ids[:min(len(ids), 1000)], opt)
	r.RetainedBytesProjected = r.RetainedBytesPerPost * int64(len(ids))
	runtime.GC() // do not charge the round for the previous step's garbage
	start := time.Now()
	got := 0
	for chunk := range slices.Chunk(measured, b.roundChunk) {
		if err := b.ctx.Err(); err != nil {
			return benchRound{}, nil, err
		}
		got += len(eng.Round(chunk, opt))
	}
	took := time.Since(start)
	if got != len(measured) {
		notes = append(notes, fmt.Sprintf("Round returned matches for %d of %d posts", got, len(measured)))
	}
	r.MeasuredSeconds = took.Seconds()
	r.PostsPerSecond = float64(len(measured)) / took.Seconds()
	r.Seconds = r.MeasuredSeconds * float64(len(ids)) / float64(len(measured))
	if len(measured) > b.roundChunk {
		notes = append(notes, fmt.Sprintf("Round called on %s posts at a time, each result dropped before the next "+
			"(one call on all %s would hold about %s of results)",
			thousands(b.roundChunk), thousands(len(ids)), cli.Bytes(r.RetainedBytesProjected)))
	}
	if len(measured) < len(ids) {
		r.Extrapolated = true
		notes = append(notes, fmt.Sprintf("estimated at %s from the single-query mean, so timed on the first %s of %s posts (%.1fs) and extrapolated",
			estimate.Round(time.Second), thousands(len(measured)), thousands(len(ids)), r.MeasuredSeconds))
	}
	return r, notes, nil
}

// retained returns how many bytes of heap a Round result holds per post,
// measured on ids.
func retained(eng *match.Engine, ids []int64, opt match.MatchOptions) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out := eng.Round(ids, opt)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(out)
	return max(int64(after.HeapAlloc)-int64(before.HeapAlloc), 0) / int64(len(ids))
}

// recall compares the fast path's top-10 with an exact scan's on a random
// sample of posts. It queries a few posts at a time: an exact result holds
// every eligible post until it is dropped.
func (b *bencher) recall(eng *match.Engine, ids []int64, rng *rand.Rand) (benchRecall, error) {
	sample := slices.Clone(ids)
	rng.Shuffle(len(sample), func(i, j int) { sample[i], sample[j] = sample[j], sample[i] })
	sample = sample[:min(b.recallSample, len(sample))]
	r := benchRecall{Sampled: len(sample)}
	var sum float64
	for chunk := range slices.Chunk(sample, runtime.GOMAXPROCS(0)) {
		if err := b.ctx.Err(); err != nil {
			return r, err
		}
		fast := eng.Round(chunk, match.MatchOptions{Limit: benchLimit, NoReasons: true})
		exact := eng.Round(chunk, match.MatchOptions{Limit: benchLimit, NoReasons: true, Exact: true})
		for _, id := range chunk {
			want := exact[id]
			if len(want) == 0 {
				continue
			}
			got := map[int64]bool{}
			for _, m := range fast[id] {
				got[m.Post.ID] = true
			}
			hit := 0
			for _, m := range want {
				if got[m.Post.ID] {
					hit++
				}
			}
			r.Counted++
			sum += float64(hit) / float64(len(want))
			if hit == len(want) {
				r.Perfect++
			}
		}
	}
	if r.Counted > 0 {
		r.Recall = sum / float64(r.Counted)
	}
	return r, nil
}

// importCommunity writes the same community as JSON Lines and times
// importing it into a fresh data folder, removed afterwards.
func (b *bencher) importCommunity(n int) (benchImport, error) {
	dir, err := os.MkdirTemp("", "matchmaker-bench-")
	if err != nil {
		return benchImport{}, err
	}
	defer os.RemoveAll(dir)
	b.progress("%d posts: writing the import file", n)
	path := filepath.Join(dir, "posts.jsonl")
	f, err := os.Create(path)
	if err != nil {
		return benchImport{}, err
	}
	defer f.Close()
	if err := synth.Write(f, synth.Options{N: n, Seed: b.seed, Quarter: benchQuarter}); err != nil {
		return benchImport{}, err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return benchImport{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return benchImport{}, err
	}
	a, err := app.Open(b.ctx, app.Config{DataDir: filepath.Join(dir, "data")})
	if err != nil {
		return benchImport{}, err
	}
	defer a.Close()
	a.StartEngine() // as serve does: the engine catches up on the import
	b.progress("%d posts: importing", n)
	start := time.Now()
	report, err := a.Import(b.ctx, bufio.NewReaderSize(f, 64<<10), intake.FormatJSONL, func(lines int) {
		if lines%20000 == 0 {
			b.progress("%d posts: imported %d lines", n, lines)
		}
	})
	took := time.Since(start)
	if err != nil {
		return benchImport{}, err
	}
	if report.Created != n {
		return benchImport{}, fmt.Errorf("import created %d posts of %d (%d rejected)", report.Created, n, report.Rejected)
	}
	engine, err := a.Matcher(b.ctx)
	if err != nil {
		return benchImport{}, err
	}
	if got := engine.Len(); got != n {
		return benchImport{}, fmt.Errorf("after import the engine holds %d posts of %d", got, n)
	}
	if err := a.Close(); err != nil {
		return benchImport{}, err
	}
	return benchImport{Seconds: took.Seconds(), PostsPerSecond: float64(n) / took.Seconds(), FileBytes: size}, nil
}

// peakRSS returns the process's peak resident set so far, in bytes (Linux
// reports it in KiB).
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss) * 1024
}

// currentRSS returns the process's resident set now, in bytes, or 0 where
// /proc/self/status cannot be read.
func currentRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kib * 1024
		}
	}
	return 0
}

func machine() benchMachine {
	return benchMachine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), CPUModel: cpuModel(),
		GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
}

func (m benchMachine) String() string {
	model := m.CPUModel
	if model == "" {
		model = "CPU model unknown"
	}
	return fmt.Sprintf("machine: %d CPUs (GOMAXPROCS %d), %s, %s %s/%s",
		m.CPUs, m.GOMAXPROCS, model, m.GoVersion, m.OS, m.Arch)
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "".
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if key, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(key) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

func printBench(w io.Writer, r benchReport) error {
	fmt.Fprintln(w, r.Machine)
	fmt.Fprintf(w, "seed %d; latency over %d random posts, one query at a time, with reasons; recall on %d random posts\n",
		r.Seed, r.Queries, r.RecallSample)
	fmt.Fprintf(w, "language tables (WordNet, word vectors, gazetteer): read in %s, %s of heap, %s resident\n\n",
		(time.Duration(r.Language.Seconds * float64(time.Second))).Round(time.Millisecond), cli.Bytes(r.Language.HeapBytes), cli.Bytes(r.Language.RSSBytes))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, cell func(benchRun) string) {
		fmt.Fprintf(tw, "%-36s\t", label) // full width, so right alignment leaves it flush left
		for _, run := range r.Runs {
			fmt.Fprint(tw, cell(run)+"\t")
		}
		fmt.Fprintln(tw)
	}
	ms := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " ms" }
	secs := func(v float64) string { return cli.Seconds(v) }
	round := func(rd benchRound) string {
		s := secs(rd.Seconds)
		if rd.Extrapolated {
			s = "≈" + s + " *"
		}
		return s
	}
	row("posts", func(run benchRun) string { return thousands(run.N) })
	row("load (analyse + index)", func(run benchRun) string { return secs(run.LoadSeconds) })
	row("Go heap in use after load", func(run benchRun) string { return cli.Bytes(int64(run.HeapInUseBytes)) })
	row("RSS after load", func(run benchRun) string { return cli.Bytes(run.RSSLoadBytes) })
	row("peak RSS of the process once loaded", func(run benchRun) string { return cli.Bytes(run.PeakRSSLoadBytes) })
	row("one post's top-10 p50", func(run benchRun) string { return ms(run.Latency.P50) })
	row("  p90", func(run benchRun) string { return ms(run.Latency.P90) })
	row("  p99", func(run benchRun) string { return ms(run.Latency.P99) })
	row("  max", func(run benchRun) string { return ms(run.Latency.Max) })
	row("every post's top-10, scores only", func(run benchRun) string { return round(run.RoundScores) })
	row("  posts/s", func(run benchRun) string { return thousands(int(run.RoundScores.PostsPerSecond)) })
	row("every post's top-10, with reasons", func(run benchRun) string { return round(run.RoundReasons) })
	row("  posts/s", func(run benchRun) string { return thousands(int(run.RoundReasons.PostsPerSecond)) })
	row("memory a whole Round's result holds", func(run benchRun) string {
		return cli.Bytes(run.RoundReasons.RetainedBytesProjected)
	})
	row("  per post", func(run benchRun) string { return thousands(int(run.RoundReasons.RetainedBytesPerPost)) + " B" })
	row("recall@10 vs exact scan", func(run benchRun) string { return strconv.FormatFloat(run.Recall.Recall, 'f', 3, 64) })
	row("  perfect top-10s", func(run benchRun) string {
		return fmt.Sprintf("%d of %d", run.Recall.Perfect, run.Recall.Counted)
	})
	if slices.ContainsFunc(r.Runs, func(run benchRun) bool { return run.Import != nil }) {
		imp := func(cell func(benchImport) string) func(benchRun) string {
			return func(run benchRun) string {
				if run.Import == nil {
					return "-"
				}
				return cell(*run.Import)
			}
		}
		row("import (SQLite + Bleve + engine)", imp(func(i benchImport) string { return secs(i.Seconds) }))
		row("  posts/s", imp(func(i benchImport) string { return thousands(int(i.PostsPerSecond)) }))
	}
	row("peak RSS of the process so far", func(run benchRun) string { return cli.Bytes(run.PeakRSSBytes) })
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "Peak RSS is the whole process's, so it includes every earlier step and size.")
	for _, run := range r.Runs {
		for _, note := range run.Notes {
			fmt.Fprintf(w, "* %s posts, %s\n", thousands(run.N), note)
		}
	}
	return nil
}

// thousands writes 100000 as 100,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
