package app

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenTightensAnOlderDataFolder opens a data folder as versions before
// issue 19 left it, readable by everyone, and checks Open makes the
// service's own entries private and leaves the host's other files alone.
func TestOpenTightensAnOlderDataFolder(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(context.Background(), Config{DataDir: dir, HostToken: "mmh_test-host-token-0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	// What an older version wrote, and a file of the host's own.
	for _, name := range []string{"matchmaker.db.before-restore-20260101T000000Z", "index.bleve.building/segment.zap", "outbox/1.eml", "host-token", "notes.txt"} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := map[string]bool{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		before[path] = true
		if d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		return os.Chmod(path, 0o644)
	})

	a, err = Open(context.Background(), Config{DataDir: dir, HostToken: "mmh_test-host-token-0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	checked := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !before[path] {
			return nil // made by this Open, under this test's umask
		}
		info, _ := os.Lstat(path)
		rel, _ := filepath.Rel(dir, path)
		switch {
		case rel == "notes.txt":
			if info.Mode().Perm() != 0o644 {
				t.Errorf("the host's own file became %v", info.Mode().Perm())
			}
		case d.IsDir() && info.Mode().Perm() != privateFolder, !d.IsDir() && info.Mode().Perm() != privateFile:
			t.Errorf("%s is %v after Open", rel, info.Mode().Perm())
		default:
			checked++
		}
		return nil
	})
	if checked < 8 {
		t.Errorf("only %d entries checked; the folder holds the database, index and outbox", checked)
	}
}
