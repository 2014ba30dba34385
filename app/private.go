package app

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Modes of what the data folder holds: members' addresses, token hashes,
// ledgers. Only the service's own user may read them.
const (
	privateFile   = 0o600
	privateFolder = 0o700
)

// keepPrivate tightens the data folder and what the service keeps in it
// (the database and its -wal, -shm and journal files, the lock, the host
// token, the search index, the outbox) to privateFile and privateFolder.
// Versions before 0.19 created them 0644 and 0755; the serve command's
// umask keeps new ones private. Other entries a host keeps in the folder
// are theirs and left alone.
func keepPrivate(dataDir string) error {
	if err := tighten(dataDir, privateFolder); err != nil {
		return err
	}
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return fmt.Errorf("read data folder: %w", err)
	}
	for _, e := range entries {
		if !ownEntry(e.Name()) {
			continue
		}
		err := filepath.WalkDir(filepath.Join(dataDir, e.Name()), func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir():
				return tighten(path, privateFolder)
			case d.Type().IsRegular():
				return tighten(path, privateFile)
			}
			return nil // symbolic links and the like: their targets are not ours to change
		})
		if err != nil {
			return fmt.Errorf("make the data folder private: %w", err)
		}
	}
	return nil
}

// ownEntry reports whether a name in the data folder is the service's.
func ownEntry(name string) bool {
	name = strings.TrimPrefix(name, ".") // temporary files being written
	for _, own := range []string{"matchmaker.", "host-token", indexDir, outboxDir} {
		if strings.HasPrefix(name, own) { // matchmaker.db-wal, index.bleve.building, …
			return true
		}
	}
	return false
}

// tighten removes the permission bits of path that mode lacks.
func tighten(path string, mode fs.FileMode) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode().Perm()&^mode == 0 {
		return nil
	}
	return os.Chmod(path, info.Mode().Perm()&mode)
}
