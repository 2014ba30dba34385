package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// postWriter keeps creating posts on a running server from a few
// goroutines, remembering every post the server acknowledged (201).
type postWriter struct {
	mu    sync.Mutex
	acked []int64
	errs  []error
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startWriting(s *server, token string, writers int) *postWriter {
	w := &postWriter{stop: make(chan struct{})}
	for g := range writers {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-w.stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"business":"Bouzouki Works %d-%d","email":"b%d-%d@bouzouki.example",`+
					`"offer":"Bouzouki repairs and lessons","seek":"Music schools that teach folk instruments"}`, g, i, g, i)
				req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/posts", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := http.DefaultClient.Do(req)
				var p post
				if err == nil {
					err = json.NewDecoder(res.Body).Decode(&p)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusCreated {
						err = fmt.Errorf("create post: got %d", res.StatusCode)
					}
				}
				w.mu.Lock()
				if err != nil {
					w.errs = append(w.errs, err)
				} else {
					w.acked = append(w.acked, p.ID)
				}
				w.mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	return w
}

// snapshot returns the posts acknowledged so far.
func (w *postWriter) snapshot() []int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.acked)
}

// waitFor returns once n more posts than seen were acknowledged (or a
// writer failed).
func (w *postWriter) waitFor(t *testing.T, n int) {
	t.Helper()
	start := len(w.snapshot())
	deadline := time.Now().Add(commandTimeout) // a hang guard, not a timing check
	for len(w.snapshot()) < start+n {
		w.mu.Lock()
		errs := w.errs
		w.mu.Unlock()
		if len(errs) > 0 {
			t.Fatalf("writer: %v", errs[0])
		}
		if time.Now().After(deadline) {
			t.Fatalf("writers acknowledged %d posts in %v, want %d", len(w.snapshot())-start, commandTimeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (w *postWriter) finish(t *testing.T) []int64 {
	t.Helper()
	close(w.stop)
	w.wg.Wait()
	if len(w.errs) > 0 {
		t.Fatalf("writer: %v", w.errs[0])
	}
	return w.acked
}

// TestBackupWhileServingThenRestore backs up the database of a server
// taking writes, restores the copy into a fresh folder and serves it.
func TestBackupWhileServingThenRestore(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tokenEnv := "MATCHMAKER_HOST_TOKEN=" + e2eToken
	s := startServer(t, data, tokenEnv)
	w := startWriting(s, e2eToken, 3)
	w.waitFor(t, 60)

	file := filepath.Join(t.TempDir(), "matchmaker-backup.db")
	before := w.snapshot()
	res := runCommand(t, commandTimeout, nil, "backup", "--data", data, file)
	if res.code != 0 || !strings.Contains(res.stdout, "backup written to "+file) || !strings.Contains(res.stdout, "posts (") {
		t.Fatalf("backup while serving: exit %d\nstdout: %s\nstderr: %s", res.code, res.stdout, res.stderr)
	}
	w.waitFor(t, 30) // the server goes on taking writes
	if res := runCommand(t, commandTimeout, nil, "backup", "--data", data, file); res.code != 1 || !strings.Contains(res.stderr, "--force") {
		t.Errorf("backup over an existing file: exit %d, stderr %q; want 1 and a word about --force", res.code, res.stderr)
	}

	// While the server runs: check looks at the database only; restore refuses.
	res = runCommand(t, commandTimeout, nil, "check", "--data", data)
	if res.code != 0 || !strings.Contains(res.stdout, "is running") || !strings.Contains(res.stdout, "no problems found") {
		t.Errorf("check while serving: exit %d\nstdout: %s\nstderr: %s", res.code, res.stdout, res.stderr)
	}
	res = runCommand(t, commandTimeout, nil, "restore", "--data", data, file)
	if res.code != 1 || !strings.Contains(res.stderr, "in use") || !strings.Contains(res.stderr, "stop it") {
		t.Errorf("restore while serving: exit %d, stderr %q; want 1 and a message to stop the server", res.code, res.stderr)
	}
	all := w.finish(t)
	s.stop(t)

	// The copy is one snapshot holding every acknowledged write up to the backup.
	inBackup := backupPostIDs(t, file)
	for _, id := range before {
		if !slices.Contains(inBackup, id) {
			t.Fatalf("post %d was acknowledged before the backup began but is not in it", id)
		}
	}
	if n := len(inBackup); n == 0 || inBackup[n-1] != int64(n) || n > len(all) {
		t.Errorf("backup holds %d posts %v (of %d written): want posts 1..n, a prefix of the writes", n, inBackup[max(0, n-3):], len(all))
	}
	t.Logf("%d posts acknowledged before the backup, %d in it, %d written in all", len(before), len(inBackup), len(all))

	fresh := filepath.Join(t.TempDir(), "data")
	res = runCommand(t, commandTimeout, nil, "restore", "--data", fresh, file)
	if want := fmt.Sprintf("search index rebuilt with %d posts", len(inBackup)); res.code != 0 || !strings.Contains(res.stdout, want) {
		t.Fatalf("restore into a fresh folder: exit %d, stdout %q (want %q), stderr %s", res.code, res.stdout, want, res.stderr)
	}
	if res := runCommand(t, commandTimeout, nil, "check", "--data", fresh); res.code != 0 || !strings.Contains(res.stdout, "no problems found") {
		t.Errorf("check after restore: exit %d\nstdout: %s\nstderr: %s", res.code, res.stdout, res.stderr)
	}
	s = startServer(t, fresh, tokenEnv)
	if got := len(s.search(t, "", "bouzouki")); got != len(inBackup) {
		t.Errorf("search on the restored folder: %d posts, want %d", got, len(inBackup))
	}
	s.stop(t)

	// check finds a missing index and a damaged database, and says how to repair.
	if err := os.RemoveAll(filepath.Join(fresh, "index.bleve")); err != nil {
		t.Fatal(err)
	}
	res = runCommand(t, commandTimeout, nil, "check", "--data", fresh)
	if res.code != 1 || !strings.Contains(res.stdout, "problem: there is no search index") || !strings.Contains(res.stdout, "matchmaker reindex") {
		t.Errorf("check without an index: exit %d\nstdout: %s", res.code, res.stdout)
	}
	overwritePages(t, filepath.Join(fresh, "matchmaker.db"))
	res = runCommand(t, commandTimeout, nil, "check", "--data", fresh)
	if res.code != 1 || !strings.Contains(res.stdout, "problem: the database is damaged") || !strings.Contains(res.stdout, "matchmaker restore") {
		t.Errorf("check of a damaged database: exit %d\nstdout: %s", res.code, res.stdout)
	}
}

// backupPostIDs returns the IDs of the posts in a backup file, ascending,
// after checking the file's integrity.
func backupPostIDs(t *testing.T, file string) []int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+file+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("backup integrity_check: %q, %v", ok, err)
	}
	rows, err := db.Query("SELECT id FROM posts ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

// overwritePages writes garbage over every page of a database file but
// the first.
func overwritePages(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil || st.Size() < 8192 {
		t.Fatalf("damage %s: %v", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", int(st.Size()-4096)/4)), 4096); err != nil {
		t.Fatal(err)
	}
}
