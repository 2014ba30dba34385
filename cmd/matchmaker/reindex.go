package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
)

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("reindex", "matchmaker reindex [--data DIR]", stderr)
	data := cli.DataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, _ := cli.NewLogger(stderr, "text")
	a, err := app.Open(ctx, app.Config{DataDir: *data, Log: log})
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	if err := a.Reindex(ctx); err != nil {
		return err
	}
	n, err := a.Index.DocCount()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index rebuilt: %d posts in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
