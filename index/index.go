// Package index is Matchmaker's full-text search over posts, kept in Bleve.
//
// The index is derived from the database and can always be rebuilt from it.
// It stays in line by replaying the database's change log (see
// match.PostChange): it records, inside the same Bleve batch as the
// documents, the sequence number of the last change it applied. After a
// crash between a database commit and the index write, or with an index
// restored from elsewhere, Open replays or rebuilds as needed.
package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/matchmaker/matchmaker/match"
)

// Source is what the index needs from the database.
type Source interface {
	// DatabaseID identifies the database the index is derived from.
	DatabaseID(ctx context.Context) (string, error)
	// FollowChanges hands every change after the given sequence number to
	// apply, oldest first, in batches.
	FollowChanges(ctx context.Context, after int64, apply func([]match.PostChange) error) error
	// EachPost visits every post from one snapshot and returns the sequence
	// number of the last change the snapshot includes.
	EachPost(ctx context.Context, fn func(match.Post) error) (int64, error)
	// PruneChanges forgets changes up to seq, which the index holds durably.
	PruneChanges(ctx context.Context, seq int64) error
	// FirstChangeSeq returns the oldest change still logged (0 if none) and
	// LastChangeSeq the newest ever logged.
	FirstChangeSeq(ctx context.Context) (int64, error)
	LastChangeSeq(ctx context.Context) (int64, error)
}

// Keys of the values the index keeps about itself.
var (
	keyAppliedSeq     = []byte("applied_seq")
	keyDatabaseID     = []byte("database_id")
	keyMappingVersion = []byte("mapping_version")
)

// batchSize bounds a Bleve batch during a rebuild: large enough to amortise
// segment creation, small enough to keep memory flat.
const batchSize = 2000

// Index is the search index of posts. It is safe for concurrent use.
type Index struct {
	bleve bleve.Index
	path  string
	log   *slog.Logger

	mu          sync.Mutex   // serialises Apply and Rebuild; guards the two below
	applied     int64        // last change applied, guarded by mu
	checkpoints []checkpoint // when changes were applied, guarded by mu
}

// checkpoint records that changes up to seq were applied at a time.
type checkpoint struct {
	seq int64
	at  time.Time
}

// Open opens the index at path and brings it in line with src: it builds
// the index when it is missing, rebuilds it when it is unreadable, from
// another database or an older mapping, and replays the changes it lacks.
func Open(ctx context.Context, path string, src Source, log *slog.Logger) (*Index, error) {
	dbID, err := src.DatabaseID(ctx)
	if err != nil {
		return nil, fmt.Errorf("database id: %w", err)
	}
	ix := &Index{path: path, log: log}
	bi, reason := openExisting(path, dbID)
	if bi != nil {
		if ix.applied, err = readSeq(bi); err != nil {
			bi.Close()
			return nil, err
		}
		if why, err := outOfStep(ctx, src, ix.applied); err != nil {
			bi.Close()
			return nil, err
		} else if why != "" {
			bi.Close()
			bi, reason = nil, why
		}
	}
	if bi == nil {
		log.Info("building search index", "path", path, "reason", reason)
		if err := ix.rebuild(ctx, src, dbID); err != nil {
			return nil, err
		}
	} else {
		ix.bleve = bi
		// What is on disk is durable: the log before it is no longer needed.
		if err := src.PruneChanges(ctx, ix.applied); err != nil {
			bi.Close()
			return nil, fmt.Errorf("prune change log: %w", err)
		}
	}
	if err := ix.CatchUp(ctx, src); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// outOfStep says why replaying the change log cannot bring an index that
// applied changes up to applied in line with the database, or "" when it
// can: changes after applied were pruned from the log, or the index holds
// changes the database never had (an older copy of the database was put
// in place).
func outOfStep(ctx context.Context, src Source, applied int64) (string, error) {
	last, err := src.LastChangeSeq(ctx)
	switch {
	case err != nil:
		return "", err
	case last < applied:
		return "the index holds changes the database does not have (was an older copy of the database put in place?)", nil
	case last == applied:
		return "", nil
	}
	first, err := src.FirstChangeSeq(ctx)
	if err != nil {
		return "", err
	}
	if first == 0 || first > applied+1 {
		return "the change log no longer reaches back to what the index holds", nil
	}
	return "", nil
}

// openExisting opens the index at path if it is usable for database dbID;
// otherwise it returns nil and why.
func openExisting(path, dbID string) (bleve.Index, string) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, "missing"
	}
	bi, err := bleve.OpenUsing(path, runtimeConfig())
	if err != nil {
		return nil, "unreadable: " + err.Error()
	}
	id, err := bi.GetInternal(keyDatabaseID)
	if err != nil || string(id) != dbID {
		bi.Close()
		return nil, "built from another database"
	}
	v, err := bi.GetInternal(keyMappingVersion)
	if err != nil || string(v) != mappingVersion {
		bi.Close()
		return nil, "built with an older mapping"
	}
	return bi, ""
}

// runtimeConfig lets batches return before they are persisted: the change
// log replays whatever a crash or a close loses (scorch's Close does not
// flush), so waiting for the disk on every write would buy nothing.
//
// It also has Bleve's persister pause between rounds, so that the
// segments of the writes meanwhile (one per batch, and a batch is often
// one post) are merged in memory and written as one file, not one file
// each. Creating, syncing and later merging and deleting a file per post
// cost the server a tenth of its CPU under 100 posts a second (measured in
// BENCHMARKS.md); searches see the unpersisted segments all the same.
func runtimeConfig() map[string]any {
	return map[string]any{
		"unsafe_batch":           true,
		"scorchPersisterOptions": map[string]any{"PersisterNapTimeMSec": persisterNap.Milliseconds()},
	}
}

// persisterNap is how long Bleve's persister gathers segments before it
// writes them. (A variable only so that a test can open an index without
// the pause, to compare.)
var persisterNap = 200 * time.Millisecond

// buildConfig makes every batch of a build wait until it is on disk: the
// finished folder is moved into place after Close, which would otherwise
// drop the batches not yet persisted.
func buildConfig() map[string]any {
	return map[string]any{"unsafe_batch": false}
}

func readSeq(bi bleve.Index) (int64, error) {
	v, err := bi.GetInternal(keyAppliedSeq)
	if err != nil || len(v) == 0 {
		return 0, err
	}
	return strconv.ParseInt(string(v), 10, 64)
}

// Rebuild builds a new index from every post in src and swaps it in. It is
// for offline use (the reindex command): searches must not run meanwhile.
func (ix *Index) Rebuild(ctx context.Context, src Source) error {
	dbID, err := src.DatabaseID(ctx)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bleve != nil {
		if err := ix.bleve.Close(); err != nil {
			return err
		}
		ix.bleve = nil
	}
	return ix.rebuild(ctx, src, dbID)
}

// rebuild builds the index into a fresh folder beside path and moves it into
// place only when complete, so a crash mid-build leaves no half index.
func (ix *Index) rebuild(ctx context.Context, src Source, dbID string) error {
	start := time.Now()
	tmp := ix.path + ".building"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	bi, err := bleve.NewUsing(tmp, newMapping(), scorch.Name, scorch.Name, buildConfig())
	if err != nil {
		return fmt.Errorf("create index: %w", err)
	}
	n := 0
	batch := bi.NewBatch()
	seq, err := src.EachPost(ctx, func(p match.Post) error {
		if err := batch.Index(docID(p.ID), newDoc(p)); err != nil {
			return err
		}
		if n++; batch.Size() >= batchSize {
			if err := bi.Batch(batch); err != nil {
				return err
			}
			batch.Reset()
		}
		return nil
	})
	if err == nil {
		batch.SetInternal(keyDatabaseID, []byte(dbID))
		batch.SetInternal(keyMappingVersion, []byte(mappingVersion))
		batch.SetInternal(keyAppliedSeq, []byte(strconv.FormatInt(seq, 10)))
		err = bi.Batch(batch)
	}
	if cerr := bi.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("build index: %w", err)
	}
	if err := os.RemoveAll(ix.path); err != nil {
		return err
	}
	if err := os.Rename(tmp, ix.path); err != nil {
		return err
	}
	if ix.bleve, err = bleve.OpenUsing(ix.path, runtimeConfig()); err != nil {
		return err
	}
	ix.applied = seq
	ix.log.Info("search index built", "posts", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// CatchUp applies every change the index has not seen yet.
func (ix *Index) CatchUp(ctx context.Context, src Source) error {
	return src.FollowChanges(ctx, ix.AppliedSeq(), ix.Apply)
}

// Apply applies a batch of changes from the change log, oldest first,
// skipping those the index holds already: writers call it (through the
// app's one reader of the log) after their database commit returns, so
// that a post is searchable as soon as its write has returned.
func (ix *Index) Apply(changes []match.PostChange) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	batch := ix.bleve.NewBatch()
	last := ix.applied
	for _, c := range changes {
		if c.Seq <= ix.applied {
			continue
		}
		if c.Post == nil {
			batch.Delete(docID(c.PostID))
		} else if err := batch.Index(docID(c.PostID), newDoc(*c.Post)); err != nil {
			return err
		}
		last = c.Seq
	}
	if last == ix.applied {
		return nil
	}
	batch.SetInternal(keyAppliedSeq, []byte(strconv.FormatInt(last, 10)))
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	ix.applied = last
	if n := len(ix.checkpoints); n == 0 || time.Since(ix.checkpoints[n-1].at) > time.Minute {
		ix.checkpoints = append(ix.checkpoints, checkpoint{seq: last, at: time.Now()})
	}
	return nil
}

// persistDelay is how long after a change is applied the index can be
// counted on to hold it on disk; Bleve persists in the background within
// moments, so this leaves a wide margin.
const persistDelay = 10 * time.Minute

// PrunableSeq returns the last change the index applied long enough ago to
// hold durably (0 if none yet): the database may forget the changes up to
// it. Should that ever be wrong, Open sees the gap and rebuilds the index
// instead of serving a stale one.
func (ix *Index) PrunableSeq() int64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	cut := -1
	for i, c := range ix.checkpoints {
		if time.Since(c.at) >= persistDelay {
			cut = i
		}
	}
	if cut < 0 {
		return 0
	}
	seq := ix.checkpoints[cut].seq
	ix.checkpoints = ix.checkpoints[cut+1:]
	return seq
}

// AppliedSeq returns the sequence number of the last change applied.
func (ix *Index) AppliedSeq() int64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.applied
}

// DocCount returns the number of posts in the index.
func (ix *Index) DocCount() (uint64, error) { return ix.bleve.DocCount() }

// Close closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bleve == nil {
		return nil
	}
	err := ix.bleve.Close()
	ix.bleve = nil
	return err
}

func docID(id int64) string { return strconv.FormatInt(id, 10) }
