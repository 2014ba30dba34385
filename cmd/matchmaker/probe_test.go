package main

import (
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/mail"
)

// The probes run the built binary on 127.0.0.1 and try it as an outsider
// would: over real HTTP, and over raw TCP where a probe must control the
// bytes and their timing. A probe that makes more than a few public writes
// has a server of its own, so that the per-address limit of public writes
// (bursts of 10) never answers 429 in place of the answer probed.

const (
	probeToken = "probe-host-token-5c81e0a7"
	// probeWait bounds every wait on the server: no probe hangs longer.
	probeWait  = 45 * time.Second
	evilOrigin = "https://evil.example"
	formType   = "application/x-www-form-urlencoded"
	jsonType   = "application/json"
)

// probeClient follows no redirects: a 303 is the answer probed.
var probeClient = &http.Client{
	Timeout:       probeWait,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func probeServer(t *testing.T) *server {
	t.Helper()
	return startServer(t, t.TempDir(), "MATCHMAKER_HOST_TOKEN="+probeToken)
}

func (s *server) addr() string { return strings.TrimPrefix(s.URL, "http://") }

// headers builds a header from name, value pairs.
func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// with returns a copy of h with the name, value pairs added.
func with(h http.Header, kv ...string) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	for k, v := range headers(kv...) {
		out[k] = append(out[k], v...)
	}
	return out
}

func hostAuth(kv ...string) http.Header {
	return with(headers(kv...), "Authorization", "Bearer "+probeToken)
}

// send sends one request and returns the answer with its body read.
func (s *server) send(t *testing.T, method, path string, h http.Header, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	res, err := probeClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return res, b
}

// probePost is a valid post with a fresh address.
func probePost(business string) map[string]any {
	return map[string]any{
		"business": business, "email": fmt.Sprintf("probe-%d@example.com", rand.Uint32()),
		"offer": "Bookkeeping and payroll for small design studios",
		"seek":  "Design studios that need an accountant they can trust",
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// errorReply is the project's JSON error envelope.
type errorReply struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// outboxCount is how many emails the server has written to its outbox.
func outboxCount(t *testing.T, data string) int {
	t.Helper()
	out, err := (&mail.Outbox{Dir: filepath.Join(data, "outbox")}).Messages()
	if err != nil {
		t.Fatal(err)
	}
	return len(out)
}

// signInLink asks for a sign-in link for email and returns the token the
// emailed link carries, unspent.
func (s *server) signInLink(t *testing.T, email string) string {
	t.Helper()
	seen := outboxCount(t, s.Data)
	if res, body := s.send(t, http.MethodPost, "/api/v1/auth/sign-in-link", headers("Content-Type", jsonType),
		mustJSON(map[string]string{"email": email})); res.StatusCode != http.StatusAccepted {
		t.Fatalf("ask for a sign-in link for %s: got %d %s, want 202", email, res.StatusCode, body)
	}
	mails := waitForMail(t, s.Data, seen)
	return linkToken(t, mails[len(mails)-1], "signin")
}

// signIn signs a member in by an emailed link, as a browser would, and
// returns the session's Cookie header.
func (s *server) signIn(t *testing.T, email string) string {
	t.Helper()
	form := url.Values{"token": {s.signInLink(t, email)}}.Encode()
	res, body := s.send(t, http.MethodPost, "/signin", headers("Content-Type", formType), form)
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
		t.Fatalf("sign in as %s: got %d, cookies %v, %.300s; want 303 and a session cookie", email, res.StatusCode, res.Cookies(), body)
	}
	var parts []string
	for _, c := range res.Cookies() {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// TestProbeToolchain: the binary is built with Go 1.26.10 or later, which
// has the fixes the service relies on.
func TestProbeToolchain(t *testing.T) {
	t.Parallel()
	info, err := buildinfo.ReadFile(binary(t))
	if err != nil {
		t.Fatalf("read the binary's build info: %v", err)
	}
	m := regexp.MustCompile(`^go(\d+)\.(\d+)(?:\.(\d+))?`).FindStringSubmatch(info.GoVersion)
	if m == nil {
		t.Fatalf("binary built with %q: not a Go release version", info.GoVersion)
	}
	var v [3]int
	for i, part := range m[1:] {
		v[i], _ = strconv.Atoi(part) // "" (a release candidate like go1.27rc1) counts as 0
	}
	want := [3]int{1, 26, 10}
	for i := range v {
		if v[i] != want[i] {
			if v[i] < want[i] {
				t.Errorf("binary built with %s, want go1.26.10 or later", info.GoVersion)
			}
			return
		}
	}
}

// TestProbePrivateFiles: what the service writes to its data folder (posts,
// addresses, sign-in links in mail, the host token) is for its own user
// only, also in a folder an older version wrote with looser modes.
func TestProbePrivateFiles(t *testing.T) {
	t.Parallel()
	t.Run("new data folder", func(t *testing.T) {
		t.Parallel()
		data := filepath.Join(t.TempDir(), "data") // made by the server
		s := startServer(t, data)                  // no MATCHMAKER_HOST_TOKEN: the token goes to a file
		fillDataFolder(t, s)
		backup := filepath.Join(t.TempDir(), "backup.db")
		if res := runCommand(t, commandTimeout, nil, "backup", "--data", data, backup); res.code != 0 {
			t.Fatalf("matchmaker backup while serving: exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
		}
		checkPrivate(t, data, "while serving")
		if info, err := os.Stat(backup); err != nil {
			t.Error(err)
		} else if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("backup file %s: mode %v, want 0600", backup, perm)
		}
		s.stop(t)
		checkPrivate(t, data, "after a clean stop")
	})
	t.Run("data folder from before", func(t *testing.T) {
		t.Parallel()
		data := filepath.Join(t.TempDir(), "data")
		s := startServer(t, data)
		fillDataFolder(t, s)
		s.stop(t)
		loosened := 0
		err := filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			loosened++
			if d.IsDir() {
				return os.Chmod(path, 0o755)
			}
			return os.Chmod(path, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("set %d entries of %s to 0644/0755, as a version before the fix left them", loosened, data)

		s = startServer(t, data)
		checkPrivate(t, data, "right after a start on a loose folder")
		s.createPost(t, readHostToken(t, data), probePost("After Restart Ltd"))
		checkPrivate(t, data, "while serving")
		s.stop(t)
	})
}

func readHostToken(t *testing.T, data string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(data, "host-token"))
	if err != nil {
		t.Fatalf("host token file: %v", err)
	}
	return strings.TrimSpace(string(raw))
}

// fillDataFolder makes the server write every kind of file it keeps: the
// database and its WAL, the index, the host token and a mail.
func fillDataFolder(t *testing.T, s *server) {
	t.Helper()
	s.createPost(t, readHostToken(t, s.Data), probePost("Private Files Ltd"))
	// A member's submission is emailed a confirmation link.
	if status, body := s.do(t, http.MethodPost, "/api/v1/posts", "", mustJSON(probePost("Pending Files Ltd"))); status != http.StatusAccepted {
		t.Fatalf("submit a post: got %d %s, want 202", status, body)
	}
	waitForMail(t, s.Data, 0)
	for _, name := range []string{"matchmaker.db", "matchmaker.db-wal", "matchmaker.db-shm", "host-token", "outbox", "index.bleve"} {
		if _, err := os.Stat(filepath.Join(s.Data, name)); err != nil {
			t.Errorf("data folder while serving: %v", err)
		}
	}
}

// checkPrivate fails for every folder under root (root too) that is not
// 0700 and every regular file that is not 0600.
func checkPrivate(t *testing.T, root, when string) {
	t.Helper()
	checked := 0
	var wrong []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // gone while walking: a merged index segment, a mail being renamed
		}
		if err != nil {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		var want fs.FileMode
		switch {
		case info.IsDir():
			want = 0o700
		case info.Mode().IsRegular():
			want = 0o600
		default:
			return nil
		}
		checked++
		if got := info.Mode().Perm(); got != want {
			rel, _ := filepath.Rel(root, path)
			wrong = append(wrong, fmt.Sprintf("%v %s (want %v)", got, rel, want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(wrong) > 0 {
		t.Errorf("%s: %d of %d entries in %s are open to others:\n%s", when, len(wrong), checked, root, strings.Join(wrong, "\n"))
	}
	if checked < 6 {
		t.Errorf("%s: only %d entries in %s: the check saw too little", when, checked, root)
	}
}

// bigBody is prefix, n bytes of 'a', then suffix, made as it is sent.
