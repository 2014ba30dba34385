package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrDataInUse is returned by Open when another process holds the data
// folder. Waiting would hang on SQLite and Bleve locks, so we say so instead.
var ErrDataInUse = errors.New("data folder in use")

// lockDataDir takes an exclusive, non-blocking lock on dir. The lock is
// released when the file is closed or the process dies, so a crashed server
// never leaves a stale lock behind.
func lockDataDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s is being used by another matchmaker process (pid %s); "+
			"stop it first, or use the running server's API instead", ErrDataInUse, dir, lockHolder(dir))
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}

// lockFile is the data folder's lock, holding the owner's process ID.
const lockFile = "matchmaker.lock"

// lockHolder returns the process ID written in the folder's lock file.
func lockHolder(dir string) string {
	b, _ := os.ReadFile(filepath.Join(dir, lockFile))
	pid := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(pid); err != nil {
		return "unknown"
	}
	return pid
}
