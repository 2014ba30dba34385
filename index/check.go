package index

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
)

// ErrMissing is returned by Inspect when there is no index at the path.
var ErrMissing = errors.New("no search index")

// Contents is what an index folder holds, as Inspect reads it.
type Contents struct {
	DatabaseID string // the database it was built from
	// MappingCurrent is false for an index built with another mapping,
	// which Open would rebuild.
	MappingCurrent bool
	AppliedSeq     int64 // the last change of the database's log it applied
	DocCount       uint64
	IDs            []int64  // the posts it holds, ascending
	BadIDs         []string // documents whose id is not a post ID
}

// Inspect reads what the index at path holds without changing it. It
// returns ErrMissing if there is none, and an error if it cannot be read.
// Nothing may have the index open meanwhile (Bleve's files are not meant
// to be shared): call it only with the data folder locked.
func Inspect(path string) (Contents, error) {
	var c Contents
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return c, ErrMissing
	}
	bi, err := bleve.OpenUsing(path, map[string]any{"read_only": true, "bolt_timeout": "1s"})
	if err != nil {
		return c, err
	}
	defer bi.Close()
	id, err := bi.GetInternal(keyDatabaseID)
	if err != nil {
		return c, err
	}
	c.DatabaseID = string(id)
	v, err := bi.GetInternal(keyMappingVersion)
	if err != nil {
		return c, err
	}
	c.MappingCurrent = string(v) == mappingVersion
	if c.AppliedSeq, err = readSeq(bi); err != nil {
		return c, fmt.Errorf("applied change: %w", err)
	}
	if c.DocCount, err = bi.DocCount(); err != nil {
		return c, err
	}
	r, err := snapshot(bi)
	if err != nil {
		return c, err
	}
	defer r.Close()
	docs, err := r.DocIDReaderAll()
	if err != nil {
		return c, err
	}
	defer docs.Close()
	for {
		internal, err := docs.Next()
		if err != nil {
			return c, err
		}
		if internal == nil {
			break
		}
		ext, err := r.ExternalID(internal)
		if err != nil {
			return c, err
		}
		if n, err := strconv.ParseInt(ext, 10, 64); err == nil && n > 0 && docID(n) == ext {
			c.IDs = append(c.IDs, n)
		} else {
			c.BadIDs = append(c.BadIDs, ext)
		}
	}
	slices.Sort(c.IDs)
	return c, nil
}
