package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// Backup writes a consistent copy of the data folder's database to dest,
// while a server may be serving from it: it takes no lock and only reads.
// It refuses to replace an existing dest unless force is set (the error
// then matches match.ErrConflict).
func Backup(ctx context.Context, dataDir, dest string, force bool) (store.BackupInfo, error) {
	return store.Backup(ctx, filepath.Join(dataDir, dbFile), dest, force)
}

// RestoreReport says what Restore did.
type RestoreReport struct {
	Restored store.BackupInfo // the database now in the data folder
	// KeptAs is where the database it replaced was kept ("" if there was none).
	KeptAs  string
	Indexed uint64 // posts in the rebuilt search index
	// ErasedAgain counts the members the backup held who were erased
	// since (DATA/erasures): erased again before the service starts.
	ErasedAgain int
	// HostTokenNote is set when the host token file in the folder is not
	// the restored database's.
	HostTokenNote string
}

// Restore makes the database backed up in file the data folder's database
// and rebuilds the search index from it. It needs the folder to itself:
// while a server runs on it, it returns an error wrapping ErrDataInUse and
// changes nothing. It checks the backup first (SQLite's integrity check; a
// Matchmaker database this version can open) and changes nothing if that
// fails (an EINVALID error). The database it replaces is kept beside it as
// matchmaker.db.before-restore-<time>.
func Restore(ctx context.Context, dataDir, file string, log *slog.Logger) (RestoreReport, error) {
	var rep RestoreReport
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return rep, fmt.Errorf("create data folder: %w", err)
	}
	lock, err := lockDataDir(dataDir)
	if errors.Is(err, ErrDataInUse) {
		return rep, fmt.Errorf("%w: a server (pid %s) is running on %s; stop it, then restore: "+
			"a restore replaces the database under it", ErrDataInUse, lockHolder(dataDir), dataDir)
	}
	if err != nil {
		return rep, err
	}
	defer lock.Close()

	dbPath := filepath.Join(dataDir, dbFile)
	if same(file, dbPath) {
		return rep, match.Invalid(file+" is the data folder's own database: restore a backup of it instead", nil)
	}
	if err := checkBackup(ctx, file); err != nil {
		return rep, err
	}
	// The index goes first: should the restore stop half way, the next
	// start builds a fresh one from whichever database is in place. (The
	// backup may come from this very database, so the index's record of
	// which database it was built from would not tell them apart.)
	indexPath := filepath.Join(dataDir, indexDir)
	for _, p := range []string{indexPath, indexPath + ".building"} {
		if err := os.RemoveAll(p); err != nil {
			return rep, fmt.Errorf("remove the old search index: %w", err)
		}
	}
	if rep.KeptAs, rep.Restored, err = store.Replace(ctx, dbPath, file, time.Now()); err != nil {
		return rep, err
	}

	db, err := store.Open(ctx, dbPath) // applies migrations newer than the backup
	if err != nil {
		return rep, fmt.Errorf("open the restored database: %w", err)
	}
	defer db.Close()
	ix, err := index.Open(ctx, indexPath, db, log)
	if err != nil {
		return rep, fmt.Errorf("build the search index: %w", err)
	}
	rep.Indexed, err = ix.DocCount()
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, err
	}
	// Members erased since the backup was taken stay erased.
	if rep.ErasedAgain, err = eraseAgain(ctx, dataDir, db); err != nil {
		return rep, fmt.Errorf("erase again the members erased since the backup: %w", err)
	}
	rep.HostTokenNote = hostTokenNote(ctx, dataDir, db)
	return rep, db.Close()
}

// checkBackup returns an EINVALID error if file is not a sound Matchmaker
// database this version can open.
func checkBackup(ctx context.Context, file string) error {
	r, err := store.CheckFile(ctx, file, -1)
	if err != nil {
		return fmt.Errorf("read the backup: %w", err)
	}
	switch {
	case len(r.Damaged) > 0:
		return match.Invalid(file+" is damaged or not a database: "+summary(r.Damaged, 3), nil)
	case !r.Matchmaker:
		return match.Invalid(file+" is not a Matchmaker database", nil)
	case len(r.Unknown) > 0:
		return match.Invalid(fmt.Sprintf("%s was written by a newer Matchmaker (migrations %s): restore it with that version",
			file, strings.Join(r.Unknown, ", ")), nil)
	case len(r.Orphans) > 0:
		return match.Invalid(file+" has rows that refer to rows that do not exist: "+summary(r.Orphans, 3), nil)
	}
	return nil
}

// hostTokenNote warns when the folder's host-token file holds a token the
// restored database does not know: the host could not sign in with it.
func hostTokenNote(ctx context.Context, dataDir string, db *store.DB) string {
	path := filepath.Join(dataDir, "host-token")
	token, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	hash, _ := db.Setting(ctx, settingHostTokenHash)
	if auth.Matches(strings.TrimSpace(string(token)), hash) {
		return ""
	}
	return path + " holds the token of the database that was replaced, not of the restored one: " +
		"run matchmaker rotate-host-token for a new one (unless you set MATCHMAKER_HOST_TOKEN)"
}

// same reports whether a and b name the same existing file.
func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
