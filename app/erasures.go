package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/store"
)

// erasuresFile is the register of erased addresses in the data folder,
// outside the database: a backup taken before an erasure still holds the
// member, and restoring it must not bring them back. It holds one hash
// per line, never an address.
const erasuresFile = "erasures"

// erasureHash is how the register names an address: a SHA-256, so that
// the register itself holds no address. (Like a mail suppression list's,
// it recognises an address given again; it cannot be read back.)
func erasureHash(email string) string {
	return auth.Hash("matchmaker erasure\x00" + strings.ToLower(strings.TrimSpace(email)))
}

// recordErasure appends the address's hash to the register, synced.
func recordErasure(dataDir, email string) error {
	f, err := os.OpenFile(filepath.Join(dataDir, erasuresFile), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("record the erasure: %w", err)
	}
	if _, err := f.WriteString(erasureHash(email) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("record the erasure: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("record the erasure: %w", err)
	}
	return f.Close()
}

// readErasures returns the register's hashes (none when there is no
// register).
func readErasures(dataDir string) (map[string]bool, error) {
	f, err := os.Open(filepath.Join(dataDir, erasuresFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out[line] = true
		}
	}
	return out, sc.Err()
}

// eraseAgain erases, in a database just restored, every address the
// register names (members erased after the backup was taken), in one
// erasure. It returns how many it erased.
func eraseAgain(ctx context.Context, dataDir string, db *store.DB) (int, error) {
	erased, err := readErasures(dataDir)
	if err != nil || len(erased) == 0 {
		return 0, err
	}
	addresses, err := db.Addresses(ctx)
	if err != nil {
		return 0, err
	}
	var again []string
	for _, a := range addresses {
		if erased[erasureHash(a)] {
			again = append(again, a)
		}
	}
	if _, err := db.EraseMembers(ctx, again); err != nil {
		return 0, err
	}
	return len(again), nil
}
