package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// These tests build the real binary once and run it as a subprocess, on a
// real port and a temporary data folder.

// Bounds for waiting on a subprocess. They only stop a hung test; nothing
// here measures time.
const (
	startTimeout   = 30 * time.Second
	stopTimeout    = 30 * time.Second
	commandTimeout = 60 * time.Second
)

var build struct {
	once sync.Once
	dir  string // removed by TestMain
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// binary returns the path of the matchmaker binary, building it on first use.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: builds and runs the binary")
	}
	build.once.Do(func() {
		if build.dir, build.err = os.MkdirTemp("", "matchmaker-e2e-"); build.err != nil {
			return
		}
		build.path = filepath.Join(build.dir, "matchmaker")
		out, err := exec.Command("go", "build", "-o", build.path, ".").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

// env is the test process's environment without any MATCHMAKER_ setting,
// plus extra.
func env(extra ...string) []string {
	out := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "MATCHMAKER_") })
	return append(out, extra...)
}

// syncBuffer collects a subprocess's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// urlWatcher is a server's stdout: it keeps everything and sends the URL
// from the "running at" line once the whole start-up banner (which ends
// with the host token line) has been written.
type urlWatcher struct {
	syncBuffer
	found chan string
	sent  bool
}

var (
	runningAt     = regexp.MustCompile(`(?m)^Matchmaker is running at (http://\S+?)/?\n`)
	hostTokenLine = regexp.MustCompile(`(?m)^Host token: .*\n`)
)

func (w *urlWatcher) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	out := w.String()
	if m := runningAt.FindStringSubmatch(out); m != nil && !w.sent && hostTokenLine.MatchString(out) {
		w.sent = true
		w.found <- m[1]
	}
	return n, err
}

// server is a running `matchmaker serve`.
type server struct {
	URL    string
	Data   string
	cmd    *exec.Cmd
	stdout *urlWatcher
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // from Wait, once done is closed
}

// startServer runs `matchmaker serve` on a free port and returns once
// /healthz answers 200.
func startServer(t *testing.T, data string, extraEnv ...string) *server {
	t.Helper()
	s := &server{
		Data:   data,
		stdout: &urlWatcher{found: make(chan string, 1)},
		stderr: &syncBuffer{},
		done:   make(chan struct{}),
	}
	s.cmd = exec.Command(binary(t), "serve", "--addr", "127.0.0.1:0", "--data", data)
	s.cmd.Env = env(extraEnv...)
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start serve: %v", err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
	})

	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	select {
	case s.URL = <-s.stdout.found:
	case <-s.done:
		t.Fatalf("serve exited before listening: %v\nstdout:\n%s\nstderr:\n%s", s.err, s.stdout.String(), s.stderr.String())
	case <-deadline.C:
		t.Fatalf("serve printed no URL within %v\nstdout:\n%s\nstderr:\n%s", startTimeout, s.stdout.String(), s.stderr.String())
	}
	for {
		res, err := http.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.done:
			t.Fatalf("serve exited while starting: %v\nstderr:\n%s", s.err, s.stderr.String())
		case <-deadline.C:
			t.Fatalf("/healthz not 200 within %v (last: %v)\nstderr:\n%s", startTimeout, err, s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM and checks that the server shuts down cleanly.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(stopTimeout):
		s.cmd.Process.Kill()
		<-s.done
		t.Fatalf("serve did not exit within %v of SIGTERM\nstderr:\n%s", stopTimeout, s.stderr.String())
	}
	if s.err != nil {
		t.Fatalf("serve after SIGTERM: got %v, want exit status 0\nstderr:\n%s", s.err, s.stderr.String())
	}
	if log := s.stderr.String(); !strings.Contains(log, "stopped cleanly") {
		t.Errorf("serve log after SIGTERM lacks \"stopped cleanly\":\n%s", log)
	}
}

// do sends a request with token as the bearer token ("" for none).
func (s *server) do(t *testing.T, method, path, token, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return res.StatusCode, b
}

type post struct {
	ID         int64  `json:"id"`
	Offer      string `json:"offer"`
	Email      string `json:"email"`
	ExternalID string `json:"external_id"`
}

// posts returns every post a GET /api/v1/posts with query finds, following
// the cursor.
func (s *server) posts(t *testing.T, token string, query url.Values) []post {
	t.Helper()
	if query == nil {
		query = url.Values{}
	}
	query.Set("limit", "100")
	var all []post
	for range 100 {
		status, body := s.do(t, http.MethodGet, "/api/v1/posts?"+query.Encode(), token, "")
		if status != http.StatusOK {
			t.Fatalf("list %v: got %d %s, want 200", query, status, body)
		}
		var page struct {
			Posts      []post `json:"posts"`
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatalf("list %v: %v", query, err)
		}
		all = append(all, page.Posts...)
		if page.NextCursor == "" {
			return all
		}
		query.Set("cursor", page.NextCursor)
	}
	t.Fatalf("list %v: more than 100 pages", query)
	return nil
}

func (s *server) search(t *testing.T, token, q string) []string {
	t.Helper()
	var out []string
	for _, p := range s.posts(t, token, url.Values{"q": {q}}) {
		out = append(out, p.Offer)
	}
	return out
}

func (s *server) createPost(t *testing.T, token string, in map[string]any) post {
	t.Helper()
	body, _ := json.Marshal(in)
	status, res := s.do(t, http.MethodPost, "/api/v1/posts", token, string(body))
	if status != http.StatusCreated {
		t.Fatalf("create post: got %d %s, want 201", status, res)
	}
	var p post
	if err := json.Unmarshal(res, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// result is how a command run ended.
type result struct {
	stdout, stderr string
	code           int
}

// runCommand runs the binary to completion, failing the test if it takes
// longer than timeout (a hang guard, not a timing check).
func runCommand(t *testing.T, timeout time.Duration, extraEnv []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = env(extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("matchmaker %s: still running after %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), timeout, stdout.String(), stderr.String())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("matchmaker %s: %v", strings.Join(args, " "), err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

// importFile writes a JSON Lines file of n posts (external IDs e2e-000…)
// with two bad lines among them, and returns its path and the bad lines'
// numbers.
func importFile(t *testing.T, n int) (path string, badLines []int) {
	t.Helper()
	var b strings.Builder
	line := 0
	for i := range n {
		if i == 50 {
			line++
			badLines = append(badLines, line)
			b.WriteString(`{"business": "No Seek Ltd", "email": "noseek@example.com", "offer": "An offer without a seek"}` + "\n")
		}
		if i == 120 {
			line++
			badLines = append(badLines, line)
			b.WriteString(`{"business": "Broken JSON", "email":` + "\n")
		}
		offer := fmt.Sprintf("Ceramic tiling for bathrooms and kitchens, job %d", i)
		if i == 17 {
			offer = "Zebrawood furniture for boutique hotels"
		}
		in := map[string]any{
			"external_id": fmt.Sprintf("e2e-%03d", i),
			"business":    fmt.Sprintf("Importer %d", i),
			"email":       fmt.Sprintf("owner%d@import.example", i),
			"offer":       offer,
			"seek":        "Interior designers who serve hotels and homes",
			"lane":        []string{"strategic", "referral", "either"}[i%3],
		}
		data, _ := json.Marshal(in)
		b.Write(data)
		b.WriteByte('\n')
		line++
	}
	path = filepath.Join(t.TempDir(), "posts.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, badLines
}

const e2eToken = "e2e-host-token-8d2f61"

func TestEndToEnd(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tokenEnv := "MATCHMAKER_HOST_TOKEN=" + e2eToken

	s := startServer(t, data, tokenEnv)
	if !strings.Contains(s.stdout.String(), "Host token: the one set in MATCHMAKER_HOST_TOKEN") {
		t.Errorf("serve output does not say where the host token comes from:\n%s", s.stdout.String())
	}
	s.stop(t)

	// Import ~200 posts with two bad lines: status 1, a report, the good
	// lines stored.
	file, bad := importFile(t, 200)
	res := runCommand(t, commandTimeout, nil, "import", "--data", data, file)
	if res.code != 1 {
		t.Errorf("import with bad lines: got exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	summary := regexp.MustCompile(`(?m)^202 lines in \S+: 200 created, 0 updated, 0 unchanged, 2 rejected$`)
	if !summary.MatchString(res.stdout) {
		t.Errorf("import report: got\n%s\nwant a line like \"202 lines in …: 200 created, 0 updated, 0 unchanged, 2 rejected\"", res.stdout)
	}
	for _, want := range []string{
		fmt.Sprintf("line %d: ", bad[0]),
		"    seek is required",
		fmt.Sprintf("line %d: malformed JSON", bad[1]),
		"The 2 rejected lines were not stored; the others were.",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("import report lacks %q:\n%s", want, res.stdout)
		}
	}

	s = startServer(t, data, tokenEnv)
	if got := len(s.posts(t, e2eToken, nil)); got != 200 {
		t.Errorf("posts after import: got %d, want 200", got)
	}
	if got := s.search(t, "", "zebrawood"); !slices.Equal(got, []string{"Zebrawood furniture for boutique hotels"}) {
		t.Errorf("anonymous search for an imported post: got %q, want the zebrawood post", got)
	}
	created := s.createPost(t, e2eToken, map[string]any{
		"business": "Xylophone School", "email": "xylo@example.com",
		"offer": "Xylophonist lessons for primary schools", "seek": "Music shops that serve schools",
	})
	if got := s.search(t, "", "xylophonist"); len(got) != 1 {
		t.Errorf("search right after create: got %q, want the new post", got)
	}
	s.stop(t)

	// Everything is still there after a restart.
	s = startServer(t, data, tokenEnv)
	all := s.posts(t, e2eToken, nil)
	if len(all) != 201 {
		t.Errorf("posts after restart: got %d, want 201", len(all))
	}
	if !slices.ContainsFunc(all, func(p post) bool { return p.ID == created.ID && p.Email == "xylo@example.com" }) {
		t.Errorf("the post created over HTTP (%d) is missing after restart", created.ID)
	}
	for _, q := range []string{"xylophonist", "zebrawood"} {
		if got := s.search(t, "", q); len(got) != 1 {
			t.Errorf("search %q after restart: got %q, want one post", q, got)
		}
	}
	if got := len(s.search(t, "", "tiling")); got != 199 {
		t.Errorf("search \"tiling\" after restart: got %d posts, want 199", got)
	}

	// While the server runs, commands on its folder say so and exit.
	for _, args := range [][]string{{"import", "--data", data, file}, {"reindex", "--data", data}} {
		res := runCommand(t, 10*time.Second, nil, args...)
		if res.code != 1 || !strings.Contains(res.stderr, "in use") || !strings.Contains(res.stderr, data) {
			t.Errorf("matchmaker %s while serving: got exit %d, stderr %q; want exit 1 and a message that %s is in use",
				args[0], res.code, res.stderr, data)
		}
	}
	s.stop(t)

	// Re-importing the same file updates nothing and duplicates nothing.
	res = runCommand(t, commandTimeout, nil, "import", "--data", data, file)
	if !strings.Contains(res.stdout, "0 created, 0 updated, 200 unchanged, 2 rejected") {
		t.Errorf("second import: got\n%s\nwant 200 unchanged", res.stdout)
	}

	res = runCommand(t, commandTimeout, nil, "reindex", "--data", data)
	if res.code != 0 || !strings.Contains(res.stdout, "search index rebuilt: 201 posts") {
		t.Errorf("reindex: got exit %d, stdout %q, stderr %q; want 0 and 201 posts rebuilt", res.code, res.stdout, res.stderr)
	}
}

func TestIndexRebuiltWhenMissing(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tokenEnv := "MATCHMAKER_HOST_TOKEN=" + e2eToken
	s := startServer(t, data, tokenEnv)
	s.createPost(t, e2eToken, map[string]any{
		"business": "Falconry Ltd", "email": "falcon@example.com",
		"offer": "Falconry displays for country fairs", "seek": "Event organisers who serve rural towns",
	})
	s.stop(t)

	if err := os.RemoveAll(filepath.Join(data, "index.bleve")); err != nil {
		t.Fatal(err)
	}
	s = startServer(t, data, tokenEnv)
	if got := s.search(t, "", "falconry"); !slices.Equal(got, []string{"Falconry displays for country fairs"}) {
		t.Errorf("search after the index folder was deleted: got %q, want the falconry post", got)
	}
	if _, err := os.Stat(filepath.Join(data, "index.bleve")); err != nil {
		t.Errorf("index folder after start: %v", err)
	}
	s.stop(t)
}

func TestLaggingIndexCaughtUpOnStart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tokenEnv := "MATCHMAKER_HOST_TOKEN=" + e2eToken
	s := startServer(t, data, tokenEnv)
	p := s.createPost(t, e2eToken, map[string]any{
		"business": "Harp Hire", "email": "harp@example.com",
		"offer": "Glockenspiel recitals for weddings", "seek": "Wedding planners who serve engaged couples",
	})
	if got := s.search(t, "", "glockenspiel"); len(got) != 1 {
		t.Fatalf("search before the change: got %q, want the post", got)
	}
	s.stop(t)

	// Change the database behind the index's back, as a crash between the
	// two writes would leave it; the triggers log the change.
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, "matchmaker.db")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec("UPDATE posts SET offer = ? WHERE id = ?", "Bagpipe music for ceilidhs", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("UPDATE changed %d rows, want 1", n)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s = startServer(t, data, tokenEnv)
	if got := s.search(t, "", "bagpipe"); !slices.Equal(got, []string{"Bagpipe music for ceilidhs"}) {
		t.Errorf("search for the new offer: got %q, want the updated post", got)
	}
	if got := s.search(t, "", "glockenspiel"); len(got) != 0 {
		t.Errorf("search for the old offer: got %q, want nothing", got)
	}
	s.stop(t)
}

func TestGeneratedHostToken(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, data) // no MATCHMAKER_HOST_TOKEN
	tokenFile := filepath.Join(data, "host-token")
	if want := "Host token: in " + tokenFile + " "; !strings.Contains(s.stdout.String(), want) {
		t.Errorf("serve output: got\n%s\nwant a line naming %s", s.stdout.String(), tokenFile)
	}
	info, err := os.Stat(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("host-token mode: got %v, want 0600", perm)
	}
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))
	if len(token) < 32 {
		t.Fatalf("generated token %q: want at least 32 characters", token)
	}

	in := map[string]any{"business": "Token Test", "email": "t@example.com",
		"offer": "Locksmith services for offices", "seek": "Office managers in the city"}
	s.createPost(t, token, in)
	body, _ := json.Marshal(in)
	for _, bad := range []string{"not-" + token, token + "x"} {
		if status, res := s.do(t, http.MethodPost, "/api/v1/posts", bad, string(body)); status != http.StatusUnauthorized {
			t.Errorf("create with token %q: got %d %s, want 401", bad, status, res)
		}
	}
	// Without a token the post is a member's submission: stored pending,
	// waiting for its owner's confirmation, not live.
	if status, res := s.do(t, http.MethodPost, "/api/v1/posts", "", string(body)); status != http.StatusAccepted || !strings.Contains(string(res), `"status":"pending"`) {
		t.Errorf("create without a token: got %d %s, want 202 and a pending post", status, res)
	}
	noPlaintextToken(t, data, token)
	s.stop(t)
	noPlaintextToken(t, data, token)

	// A restart keeps the same token.
	s = startServer(t, data)
	if !strings.Contains(s.stdout.String(), "Host token: in "+tokenFile+" ") {
		t.Errorf("serve output after restart: got\n%s\nwant a line naming %s", s.stdout.String(), tokenFile)
	}
	if again, _ := os.ReadFile(tokenFile); !bytes.Equal(again, raw) {
		t.Errorf("host-token changed on restart: got %q, want %q", again, raw)
	}
	if got := len(s.posts(t, token, nil)); got != 2 {
		t.Errorf("posts with the generated token after restart: got %d, want 2 (one live, one pending)", got)
	}
	s.stop(t)
}

// noPlaintextToken fails if any file in the data folder but host-token
// holds the token.
func noPlaintextToken(t *testing.T, data, token string) {
	t.Helper()
	sawDB := false
	err := filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "host-token" {
			return err
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a file the running server renamed meanwhile (an email written out)
		}
		if err != nil {
			return err
		}
		if d.Name() == "matchmaker.db" && len(b) > 0 {
			sawDB = true
		}
		if bytes.Contains(b, []byte(token)) {
			t.Errorf("%s holds the host token in plain text", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sawDB {
		t.Errorf("no matchmaker.db in %s: the check read nothing", data)
	}
}

// runRound starts a quarter's round as the host and follows it, as the
// host's page does, until its job has ended; it returns the round then.
func (s *server) runRound(t *testing.T, token, quarter string) []byte {
	t.Helper()
	status, body := s.do(t, http.MethodPost, "/api/v1/rounds", token, fmt.Sprintf(`{"quarter":%q}`, quarter))
	if status != http.StatusAccepted {
		t.Fatalf("start the round: %d %s", status, body)
	}
	return s.waitRound(t, token, quarter)
}

// waitRound looks at a round's job until it has ended (within a bound far
// beyond what the tests' rounds take) and returns the round then.
func (s *server) waitRound(t *testing.T, token, quarter string) []byte {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		status, body := s.do(t, http.MethodGet, "/api/v1/rounds/"+quarter, token, "")
		var round struct {
			Job *struct{ Status string } `json:"job"`
		}
		json.Unmarshal(body, &round)
		switch {
		case status == http.StatusOK && round.Job != nil && round.Job.Status == "done":
			return body
		case status != http.StatusOK || round.Job == nil || round.Job.Status != "running":
			t.Fatalf("round %s: %d %s", quarter, status, body)
		case time.Now().After(deadline):
			t.Fatalf("round %s still running after two minutes: %s", quarter, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
