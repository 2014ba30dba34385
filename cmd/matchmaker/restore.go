package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
)

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("restore", "matchmaker restore [--data DIR] FILE\n\n"+
		"Makes the backup in FILE the data folder's database (the server must be stopped).\n"+
		"The current database is kept beside it as matchmaker.db.before-restore-<time>;\n"+
		"the search index is rebuilt from the restored database.", stderr)
	data := cli.DataFlag(fs)
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("restore takes exactly one FILE")
	}
	log, _ := cli.NewLogger(stderr, "text")
	start := time.Now()
	rep, err := app.Restore(ctx, *data, rest[0], log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s into %s in %s: %s, schema %s; search index rebuilt with %d posts\n",
		rest[0], rep.Restored.Path, time.Since(start).Round(time.Millisecond), postCounts(rep.Restored.Posts), rep.Restored.Schema, rep.Indexed)
	if rep.KeptAs != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept as %s\n", rep.KeptAs)
	}
	if rep.ErasedAgain > 0 {
		fmt.Fprintf(stdout, "%d members erased since the backup was taken were erased again (%s)\n", rep.ErasedAgain, "DATA/erasures")
	}
	if rep.HostTokenNote != "" {
		fmt.Fprintln(stdout, "note:", rep.HostTokenNote)
	}
	return nil
}
