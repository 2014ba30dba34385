package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/synth"
)

// Crash tests: the server is killed with SIGKILL in the middle of long
// work, started again, and must have kept every acknowledged write, and
// nothing half-written. When exactly the kill lands is up to the
// scheduler; the checks hold wherever it lands.

const crashToken = "mmh_crash-test-host-token-7d2e"

// kill ends the server at once, as a power cut or the OOM killer would.
func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatalf("SIGKILL: %v", err)
	}
	<-s.done
}

// metric returns a sample's value from the server's /metrics, or -1.
func (s *server) metric(t *testing.T, prefix string) float64 {
	t.Helper()
	status, body := s.do(t, http.MethodGet, "/metrics", crashToken, "")
	if status != http.StatusOK {
		t.Fatalf("/metrics: %d", status)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, prefix+" ") {
			v, _ := strconv.ParseFloat(strings.TrimPrefix(line, prefix+" "), 64)
			return v
		}
	}
	return -1
}

func TestKilledMidImportKeepsAcknowledgedWrites(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, data, "MATCHMAKER_HOST_TOKEN="+crashToken)
	// Acknowledged writes before the import.
	var acked []post
	for i := range 12 {
		acked = append(acked, s.createPost(t, crashToken, map[string]any{"business": fmt.Sprintf("Acked Zanzibar %d", i),
			"email": fmt.Sprintf("z%d@zanzibar%d.example", i, i), "website": fmt.Sprintf("https://zanzibar%d.example", i),
			"offer": "Zanzibar spice sourcing for restaurants", "seek": "Restaurant consultants who serve new openings"}))
	}
	var file bytes.Buffer
	if err := synth.Write(&file, synth.Options{N: 30000, Seed: 11, Quarter: "2026-Q3"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/import", bytes.NewReader(file.Bytes()))
		req.Header.Set("Authorization", "Bearer "+crashToken)
		req.Header.Set("Content-Type", "application/x-ndjson")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0 // the connection died with the server
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	// Kill once the import is well under way (its progress is a metric).
	for deadline := time.Now().Add(60 * time.Second); s.metric(t, `matchmaker_import_lines_total{result="read"}`) < 3000; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the import made no progress")
		}
	}
	s.kill(t)
	status := <-done
	t.Logf("import answered %d before the kill (0: no answer)", status)

	s = startServer(t, data, "MATCHMAKER_HOST_TOKEN="+crashToken)
	for _, p := range acked {
		if st, body := s.do(t, http.MethodGet, "/api/v1/posts/"+strconv.FormatInt(p.ID, 10), crashToken, ""); st != http.StatusOK {
			t.Errorf("acknowledged post %d after the crash: %d %s", p.ID, st, body)
		}
	}
	// All or nothing: the import is one transaction.
	stored := storedPosts(t, data)
	switch {
	case status == http.StatusOK && stored != len(acked)+30000:
		t.Errorf("the import was acknowledged but %d posts are stored, want %d", stored, len(acked)+30000)
	case status != http.StatusOK && stored != len(acked) && stored != len(acked)+30000:
		t.Errorf("a killed import left %d posts: half-imported (want %d or %d)", stored, len(acked), len(acked)+30000)
	}
	// The index agrees with the database: the acknowledged posts are found,
	// and matchmaker check finds nothing wrong once the server stopped.
	if n := len(s.search(t, crashToken, "zanzibar")); n != len(acked) {
		t.Errorf("search finds %d of the %d acknowledged posts", n, len(acked))
	}
	s.stop(t)
	checkDataFolder(t, data)
}

// checkDataFolder runs matchmaker check on a stopped server's folder: the
// database is whole and the index agrees with it.
func checkDataFolder(t *testing.T, data string) {
	t.Helper()
	if r := runCommand(t, commandTimeout, nil, "check", "--data", data); r.code != 0 {
		t.Errorf("matchmaker check after the crash: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// openDB opens the data folder's database read-only, beside the running
// server (WAL lets a reader in).
func openDB(t *testing.T, data string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, "matchmaker.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// storedPosts returns how many posts the database holds, and checks the
// file's integrity.
func storedPosts(t *testing.T, data string) int {
	t.Helper()
	db := openDB(t, data)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM posts").Scan(&n); err != nil {
		t.Fatal(err)
	}
	var problems string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&problems); err != nil || problems != "ok" {
		t.Errorf("integrity_check: %q %v", problems, err)
	}
	return n
}

func TestKilledMidRoundLeavesNoHalfRound(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "posts.jsonl")
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{N: 3000, Seed: 5, Quarter: "2026-Q3"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCommand(t, 2*commandTimeout, nil, "import", "--data", data, file); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	s := startServer(t, data, "MATCHMAKER_HOST_TOKEN="+crashToken)
	if status, body := s.do(t, http.MethodPost, "/api/v1/rounds", crashToken, `{"quarter":"2026-Q3"}`); status != http.StatusAccepted {
		t.Fatalf("start the round: %d %s", status, body)
	}
	// Killed while the round is computed (the engine loads, then 3,000
	// posts are matched: seconds) or, at worst, just after.
	s.kill(t)

	db := openDB(t, data)
	defer db.Close()
	var rounds, suggestions int
	var job string
	if err := db.QueryRow("SELECT count(*), (SELECT count(*) FROM suggestions), (SELECT status FROM round_jobs WHERE quarter = '2026-Q3') FROM rounds").Scan(&rounds, &suggestions, &job); err != nil {
		t.Fatal(err)
	}
	t.Logf("after the kill: job %s, %d rounds, %d suggestions", job, rounds, suggestions)
	if (rounds == 0) != (suggestions == 0) || (job == "running") != (rounds == 0) {
		t.Errorf("after the kill: job %s with %d rounds and %d suggestions: half a round", job, rounds, suggestions)
	}
	// The round the kill cut short is computed again at start, whole.
	s = startServer(t, data, "MATCHMAKER_HOST_TOKEN="+crashToken)
	body := s.waitRound(t, crashToken, "2026-Q3")
	var round struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(body, &round); err != nil || round.Counts["proposed"] == 0 {
		t.Errorf("round after the restart: %s", body)
	}
	s.stop(t)
	checkDataFolder(t, data)
}
