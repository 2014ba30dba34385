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
	// PostChanges returns up to limit changes after the given sequence
	// number, oldest first.
	PostChanges(ctx context.Context, after int64, limit int) ([]match.PostChange, error)
	// EachPost visits every post from one snapshot and returns the sequence
	// number of the last change the snapshot includes.
	EachPost(ctx context.Context, fn func(match.Post) error) (int64, error)
	// PruneChanges forgets changes up to seq, which the index holds durably.
	PruneChanges(ctx context.Context, seq int64) error
}

// Keys of the values the index keeps about itself.
var (
	keyAppliedSeq     = []byte("applied_seq")
	keyDatabaseID     = []byte("database_id")
	keyMappingVersion = []byte("mapping_version")
)

// batchSize bounds a Bleve batch: large enough to amortise segment
// creation, small enough to keep memory flat during a rebuild.
const batchSize = 2000

// Index is the search index of posts. It is safe for concurrent use.
type Index struct {
	bleve bleve.Index
	path  string
	log   *slog.Logger

	mu      sync.Mutex // serialises CatchUp and Rebuild
	applied int64      // last change applied, guarded by mu
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
	if bi == nil {
		log.Info("building search index", "path", path, "reason", reason)
		if err := ix.rebuild(ctx, src, dbID); err != nil {
			return nil, err
		}
	} else {
		ix.bleve = bi
		if ix.applied, err = readSeq(bi); err != nil {
			bi.Close()
			return nil, err
		}
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
// log replays whatever a crash loses, so waiting for fsync on every write
// would buy nothing.
func runtimeConfig() map[string]any {
	return map[string]any{"unsafe_batch": true}
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
	bi, err := bleve.NewUsing(tmp, newMapping(), scorch.Name, scorch.Name, runtimeConfig())
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
	// Closing flushes everything to disk before the folder is moved.
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

// CatchUp applies every change the index has not seen yet. Writers call it
// after their database commit returns, so that a post is searchable as soon
// as its write has returned. Concurrent callers queue; a caller whose change
// was applied by an earlier caller's batch returns at once.
func (ix *Index) CatchUp(ctx context.Context, src Source) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for {
		changes, err := src.PostChanges(ctx, ix.applied, batchSize)
		if err != nil {
			return fmt.Errorf("read change log: %w", err)
		}
		if len(changes) == 0 {
			return nil
		}
		batch := ix.bleve.NewBatch()
		for _, c := range changes {
			if c.Post == nil {
				batch.Delete(docID(c.PostID))
			} else if err := batch.Index(docID(c.PostID), newDoc(*c.Post)); err != nil {
				return err
			}
		}
		last := changes[len(changes)-1].Seq
		batch.SetInternal(keyAppliedSeq, []byte(strconv.FormatInt(last, 10)))
		if err := ix.bleve.Batch(batch); err != nil {
			return fmt.Errorf("index batch: %w", err)
		}
		ix.applied = last
	}
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
