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
	path := filepath.Join(dir, "matchmaker.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		pid := strings.TrimSpace(string(holder))
		if _, perr := strconv.Atoi(pid); perr != nil {
			pid = "unknown"
		}
		return nil, fmt.Errorf("%w: %s is being used by another matchmaker process (pid %s); "+
			"stop it first, or use the running server's API instead", ErrDataInUse, dir, pid)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return f, nil
}
