package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/store"
)

// Finding is one thing Check found, and how to repair it.
type Finding struct {
	Problem bool // false for a note that needs no repair
	What    string
	Repair  string
}

// CheckReport is what Check found in a data folder.
type CheckReport struct {
	Database store.FileReport
	Index    *index.Contents // nil when the index was not read
	// ServerPID is set when a running server holds the folder: the
	// database was then checked read-only and the index not at all.
	ServerPID string
	Findings  []Finding
}

// Problems returns how many findings need a repair.
func (r CheckReport) Problems() int {
	n := 0
	for _, f := range r.Findings {
		if f.Problem {
			n++
		}
	}
	return n
}

const (
	repairRestore = "restore the latest backup: matchmaker restore FILE (with the server stopped); " +
		"without a backup, the sqlite3 shell's .recover command may save what is left"
	repairReindex = "run matchmaker reindex (with the server stopped)"
)

// Check verifies a data folder: the database's integrity and schema, and
// that the search index holds exactly the posts the database says it should
// after the changes it says the index applied. With no server running it
// locks the folder meanwhile and changes nothing. While a server runs, it
// checks the database read-only and leaves the index alone: Bleve's files
// are the server's. It returns an error only when it cannot check at all.
func Check(ctx context.Context, dataDir string) (CheckReport, error) {
	var r CheckReport
	if _, err := os.Stat(dataDir); err != nil {
		return r, fmt.Errorf("no data folder: %w", err)
	}
	lock, err := lockDataDir(dataDir)
	switch {
	case errors.Is(err, ErrDataInUse):
		r.ServerPID = lockHolder(dataDir)
		r.note(fmt.Sprintf("a server (pid %s) is running on %s: the database was checked read-only, the search index not at all", r.ServerPID, dataDir),
			"stop the server and run check again to compare the index with the database")
	case err != nil:
		return r, err
	default:
		defer lock.Close()
	}

	dbPath := filepath.Join(dataDir, dbFile)
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		r.problem("there is no database ("+dbPath+")", "start the server to create an empty one, or "+repairRestore)
		return r, nil
	}
	var ix *index.Contents
	if r.ServerPID == "" {
		c, err := index.Inspect(filepath.Join(dataDir, indexDir))
		switch {
		case errors.Is(err, index.ErrMissing):
			r.problem("there is no search index", repairReindex+"; the server also builds it when it starts")
		case err != nil:
			r.problem("the search index cannot be read: "+err.Error(), repairReindex)
		default:
			ix = &c
		}
	}
	changesAfter := int64(-1)
	if ix != nil {
		changesAfter = ix.AppliedSeq
	}
	if r.Database, err = store.CheckFile(ctx, dbPath, changesAfter); err != nil {
		return r, fmt.Errorf("read the database: %w", err)
	}
	if r.checkDatabase() && ix != nil {
		r.Index = ix
		r.checkIndex()
	}
	return r, nil
}

func (r *CheckReport) problem(what, repair string) {
	r.Findings = append(r.Findings, Finding{Problem: true, What: what, Repair: repair})
}

func (r *CheckReport) note(what, repair string) {
	r.Findings = append(r.Findings, Finding{What: what, Repair: repair})
}

// checkDatabase reports what is wrong with the database and whether what
// it holds can be trusted for comparing the index with.
func (r *CheckReport) checkDatabase() bool {
	db := r.Database
	switch {
	case len(db.Damaged) > 0:
		r.problem("the database is damaged: "+summary(db.Damaged, 5), repairRestore)
		return false
	case !db.Matchmaker:
		r.problem("the database file is not a Matchmaker database", repairRestore)
		return false
	}
	if len(db.Orphans) > 0 {
		r.problem(fmt.Sprintf("%d rows refer to rows that do not exist: %s", len(db.Orphans), summary(db.Orphans, 5)), repairRestore)
	}
	if len(db.Unknown) > 0 {
		r.problem("the database was written by a newer Matchmaker (migrations "+strings.Join(db.Unknown, ", ")+")",
			"run the newer version of matchmaker, or "+repairRestore)
	}
	if len(db.Pending) > 0 {
		r.note("the database predates migrations "+strings.Join(db.Pending, ", "), "none: the next start applies them")
	}
	if db.DatabaseID == "" {
		r.note("the database has no identity yet", "none: the next start gives it one")
	}
	return true
}

// checkIndex compares the index with the database.
func (r *CheckReport) checkIndex() {
	db, ix := r.Database, r.Index
	switch {
	case ix.DatabaseID != db.DatabaseID:
		r.problem("the search index was built from another database", repairReindex+"; the server also rebuilds it when it starts")
		return
	case !ix.MappingCurrent:
		r.problem("the search index was built by an older Matchmaker", repairReindex+"; the server also rebuilds it when it starts")
		return
	case ix.AppliedSeq > db.LastChangeSeq:
		r.problem(fmt.Sprintf("the search index has applied changes up to %d, but the database's log ends at %d: "+
			"the database was replaced behind the index's back (say, a backup copied in by hand)", ix.AppliedSeq, db.LastChangeSeq), repairReindex)
		return
	case ix.AppliedSeq < db.LastChangeSeq && (db.FirstChangeSeq == 0 || db.FirstChangeSeq > ix.AppliedSeq+1):
		r.problem(fmt.Sprintf("the search index is behind the database (it applied changes up to %d of %d) "+
			"and the database no longer logs the changes it lacks", ix.AppliedSeq, db.LastChangeSeq), repairReindex+"; the server also rebuilds it when it starts")
		return
	case ix.AppliedSeq < db.LastChangeSeq:
		r.note(fmt.Sprintf("the search index is %d changes behind the database, as after a crash or a stop before Bleve wrote its last batch",
			db.LastChangeSeq-ix.AppliedSeq), "none: the server replays them when it starts")
	}
	if len(ix.BadIDs) > 0 {
		r.problem(fmt.Sprintf("the search index holds %d documents that are not posts (%s)", len(ix.BadIDs), summary(ix.BadIDs, 5)), repairReindex)
	}
	if got := uint64(len(ix.IDs) + len(ix.BadIDs)); got != ix.DocCount {
		r.problem(fmt.Sprintf("the search index counts %d documents but lists %d", ix.DocCount, got), repairReindex)
	}
	// What the index will hold once it has replayed the changes it lacks.
	will := make(map[int64]bool, len(ix.IDs))
	for _, id := range ix.IDs {
		will[id] = true
	}
	exists := make(map[int64]bool, len(db.PostIDs))
	for _, id := range db.PostIDs {
		exists[id] = true
	}
	for _, id := range db.Changed {
		will[id] = exists[id]
	}
	var missing, extra []int64
	for _, id := range db.PostIDs {
		if !will[id] {
			missing = append(missing, id)
		}
	}
	for id, in := range will {
		if in && !exists[id] {
			extra = append(extra, id)
		}
	}
	slices.Sort(extra)
	if len(missing) > 0 {
		r.problem(fmt.Sprintf("the search index lacks %d posts the database has (IDs %s)", len(missing), idList(missing)), repairReindex)
	}
	if len(extra) > 0 {
		r.problem(fmt.Sprintf("the search index holds %d posts the database does not have (IDs %s)", len(extra), idList(extra)), repairReindex)
	}
}

// idList lists the first IDs of a sorted list.
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	if len(s) > 10 {
		return strings.Join(s[:10], ", ") + fmt.Sprintf(" and %d more", len(s)-10)
	}
	return strings.Join(s, ", ")
}

// summary joins the first n items and says how many more there are.
func summary(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(items[:n], "; "), len(items)-n)
}
