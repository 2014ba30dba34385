package index

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// TestSmallWritesShareSegmentFiles checks that posts written one at a
// time, as the API writes them, reach the disk several to a segment file
// rather than one file each: the persister's pause gathers them. Two
// indexes of one database take the same writes, in turn, so that both see
// the same pace whatever the machine's speed: the one with the pause must
// write fewer files than the one without.
func TestSmallWritesShareSegmentFiles(t *testing.T) {
	ctx := context.Background()
	db, paused := openBoth(t)
	nap := persisterNap
	persisterNap = 0
	eager, err := Open(ctx, filepath.Join(t.TempDir(), "eager.bleve"), db, slog.New(slog.DiscardHandler))
	persisterNap = nap
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eager.Close() })
	// Writes one after another, each caught up at once, as the API writes
	// them (no pause of the test's own: the persister's gathers them).
	const writes = 30
	for i := range writes {
		in := match.PostInput{Business: fmt.Sprintf("Firm %d", i), Email: "x@example.com", Offer: "Bookkeeping for dentists", Seek: "Dental marketing agencies"}
		if _, err := db.CreatePost(ctx, in.Post(time.Now())); err != nil {
			t.Fatal(err)
		}
		for _, ix := range []*Index{paused, eager} {
			if err := ix.CatchUp(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The files each index wrote once every segment is on disk (waited
	// for, bounded): the persister writes a file for each segment it
	// persists as is, and one for each set it merges in memory first.
	files := func(ix *Index) uint64 {
		stat := func(name string) uint64 {
			v, ok := ix.bleve.StatsMap()["index"].(map[string]any)[name].(uint64)
			if !ok {
				t.Fatalf("Bleve reports no %s", name) // renamed in an upgrade?
			}
			return v
		}
		for deadline := time.Now().Add(30 * time.Second); stat("TotMemorySegmentsAtRoot") > 0 || stat("TotIntroducedItems") < writes; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after 30 s, segments are still in memory: %v", ix.bleve.StatsMap()["index"])
			}
		}
		if batches := stat("TotBatches"); batches < writes {
			t.Fatalf("%d batches, want at least %d", batches, writes)
		}
		return stat("TotPersistedSegments") + stat("TotMemMergeZapEnd")
	}
	if withPause, without := files(paused), files(eager); withPause >= without {
		t.Errorf("%d writes reached the disk as %d segment files with the persister's pause, and %d without: the pause gathers nothing", writes, withPause, without)
	} else {
		t.Logf("%d writes: %d segment files with the pause, %d without", writes, withPause, without)
	}
}

// openBoth opens a new database and its index in a temporary folder, both
// closed when the test ends.
func openBoth(t *testing.T) (*store.DB, *Index) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ix, err := Open(context.Background(), filepath.Join(dir, "index.bleve"), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return db, ix
}
