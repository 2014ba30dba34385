package main

import (
	"context"
	"fmt"
	"io"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("check", "matchmaker check [--data DIR]\n\n"+
		"Verifies the database (integrity, foreign keys, schema) and that the search index\n"+
		"agrees with it; says how to repair what it finds and exits 1 if anything needs it.\n"+
		"While the server runs, only the database is checked (read-only).", stderr)
	data := cli.DataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("check takes no arguments")
	}
	rep, err := app.Check(ctx, *data)
	if err != nil {
		return err
	}
	db := rep.Database
	if db.Matchmaker && len(db.Damaged) == 0 {
		fmt.Fprintf(stdout, "database: %s, schema %s, changes logged up to %d\n", postCounts(db.Posts), db.Schema, db.LastChangeSeq)
	}
	if ix := rep.Index; ix != nil {
		fmt.Fprintf(stdout, "search index: %d posts, changes applied up to %d\n", ix.DocCount, ix.AppliedSeq)
	}
	for _, f := range rep.Findings {
		if f.Problem {
			fmt.Fprintf(stdout, "problem: %s\n  repair: %s\n", f.What, f.Repair)
		} else {
			fmt.Fprintf(stdout, "note: %s\n  (%s)\n", f.What, f.Repair)
		}
	}
	switch n := rep.Problems(); n {
	case 0:
		fmt.Fprintln(stdout, "no problems found")
		return nil
	case 1:
		fmt.Fprintln(stdout, "1 problem found")
	default:
		fmt.Fprintf(stdout, "%d problems found\n", n)
	}
	return cli.ErrSilentFailure
}
