package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Outbox writes each message as an .eml file in Dir, byte for byte what
// would go over SMTP, so that a local install needs no mail server and the
// links in the mail can be followed from there.
//
// Files are named <UTC time>-<random>.eml, so names sort oldest first, and
// are written atomically: a reader never sees half a message. Files are
// mode 0600 (they hold sign-in links); the folder is created 0700.
type Outbox struct {
	Dir string

	from *netmail.Address
	mu   sync.Mutex
	last time.Time // time of the newest name given out, so names only increase
}

// outboxTimeFormat is fixed width, so names sort as their times do.
const outboxTimeFormat = "20060102T150405.000000000Z"

// Send writes m to a new file in the outbox. An Outbox must come from New
// to send; a bare &Outbox{Dir: dir} can only list Files.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	msg, err := build(o.from, m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mail: write to outbox: %w", err)
	}
	// Created again in case the folder was removed while running.
	if err := o.makeDir(); err != nil {
		return err
	}
	if err := o.write(msg); err != nil {
		return fmt.Errorf("mail: write to outbox %s: %w", o.Dir, err)
	}
	return nil
}

// write writes msg to a temporary file in the outbox folder, syncs it and
// renames it to its final name; on failure the temporary file is removed.
func (o *Outbox) write(msg *gomail.Msg) (err error) {
	f, err := os.CreateTemp(o.Dir, ".writing-*.tmp") // mode 0600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w := bufio.NewWriter(f)
	if _, err := msg.WriteTo(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), filepath.Join(o.Dir, o.nextName())); err != nil {
		return err
	}
	return syncDir(o.Dir)
}

// nextName returns a new file name, later than any given out before by o
// even if the clock stands still or steps back.
func (o *Outbox) nextName() string {
	o.mu.Lock()
	now := time.Now().UTC()
	if !now.After(o.last) {
		now = o.last.Add(time.Nanosecond)
	}
	o.last = now
	o.mu.Unlock()
	return now.Format(outboxTimeFormat) + "-" + randomHex(8) + ".eml"
}

// Files returns the paths of the messages in the outbox, oldest first. An
// outbox folder that does not exist yet holds no messages.
func (o *Outbox) Files() ([]string, error) {
	entries, err := os.ReadDir(o.Dir) // sorted by name, and names start with the time
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mail: list outbox: %w", err)
	}
	var paths []string
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && strings.HasSuffix(name, ".eml") && !strings.HasPrefix(name, ".") {
			paths = append(paths, filepath.Join(o.Dir, name))
		}
	}
	return paths, nil
}

func (o *Outbox) makeDir() error {
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return fmt.Errorf("mail: create outbox folder: %w", err)
	}
	return nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Forget deletes the messages that name an address, in any case: to it,
// or mentioning it in their subject, text, HTML or raw form (a member's
// erasure). It returns how many it deleted.
func (o *Outbox) Forget(address string) (int, error) {
	address = strings.ToLower(address)
	files, err := o.Files()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return n, err
		}
		m, err := Read(bytes.NewReader(raw))
		if err != nil {
			return n, fmt.Errorf("%s: %w", f, err)
		}
		names := func(s string) bool { return strings.Contains(strings.ToLower(s), address) }
		if !names(string(raw)) && !names(m.To) && !names(m.Subject) && !names(m.Text) && !names(m.HTML) {
			continue
		}
		if err := os.Remove(f); err != nil {
			return n, fmt.Errorf("mail: forget %s: %w", f, err)
		}
		n++
	}
	return n, nil
}
