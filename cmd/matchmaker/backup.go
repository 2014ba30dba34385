package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("backup", "matchmaker backup [--data DIR] [--force] FILE\n\n"+
		"Writes a consistent copy of the database to FILE, also while the server runs.\n"+
		"The search index is not copied: it is rebuilt from the database on restore.", stderr)
	data := cli.DataFlag(fs)
	force := fs.Bool("force", false, "replace FILE if it exists")
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("backup takes exactly one FILE")
	}
	start := time.Now()
	info, err := app.Backup(ctx, *data, rest[0], *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s in %s: %s, %s, schema %s\n", info.Path, time.Since(start).Round(time.Millisecond),
		cli.Bytes(info.Bytes), postCounts(info.Posts), info.Schema)
	return nil
}

// postCounts says how many posts there are, by status: "3 posts (2 active, 1 paused)".
func postCounts(by map[match.Status]int) string {
	total := 0
	var parts []string
	for _, s := range []match.Status{match.StatusActive, match.StatusPending, match.StatusPaused, match.StatusHidden} {
		if n := by[s]; n > 0 {
			total += n
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	out := fmt.Sprintf("%d posts", total)
	if total == 1 {
		out = "1 post"
	}
	if len(parts) > 0 {
		out += " (" + strings.Join(parts, ", ") + ")"
	}
	return out
}
