package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/matchmaker/matchmaker/app"
)

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reindex", "reindex [--data DIR]", stderr)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, _ := newLogger(stderr, "text")
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
