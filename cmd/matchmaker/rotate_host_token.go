package main

import (
	"context"
	"fmt"
	"io"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
)

func runRotateHostToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("rotate-host-token", "matchmaker rotate-host-token [--data DIR]", stderr)
	data := cli.DataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := app.Open(ctx, app.Config{DataDir: *data})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.RotateHostToken(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "New host token written to %s; the old one no longer works.\n", a.HostTokenFile)
	fmt.Fprintln(stdout, "(When MATCHMAKER_HOST_TOKEN is set, the server uses that instead.)")
	return nil
}
