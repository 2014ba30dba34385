package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/internal/cli"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("import", "matchmaker import [--data DIR] [--format csv|jsonl] [--json] FILE   (FILE - reads standard input)", stderr)
	data := cli.DataFlag(fs)
	format := fs.String("format", "", "file format: csv or jsonl (default: from the file name or its first byte)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("import takes exactly one FILE")
	}
	name := rest[0]
	var in io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	br := bufio.NewReaderSize(in, 64<<10)
	f := intake.Format(*format)
	switch f {
	case "":
		head, _ := br.Peek(512)
		f = intake.DetectFormat(name, head)
	case intake.FormatCSV, intake.FormatJSONL:
	default:
		return fmt.Errorf("--format must be csv or jsonl")
	}

	log, _ := cli.NewLogger(stderr, "text")
	a, err := app.Open(ctx, app.Config{DataDir: *data, Log: log})
	if err != nil {
		return err
	}
	defer a.Close()

	start := time.Now()
	progress := func(lines int) {
		fmt.Fprintf(stderr, "\rread %d lines (%s)", lines, time.Since(start).Round(100*time.Millisecond))
	}
	report, err := a.Import(ctx, br, f, progress)
	fmt.Fprintln(stderr)
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		printImportReport(stdout, report, time.Since(start))
	}
	if report.Rejected > 0 {
		return cli.ErrSilentFailure
	}
	return nil
}

func printImportReport(w io.Writer, r app.ImportReport, took time.Duration) {
	fmt.Fprintf(w, "%d lines in %s: %d created, %d updated, %d unchanged, %d rejected\n",
		r.Lines, took.Round(time.Millisecond), r.Created, r.Updated, r.Unchanged, r.Rejected)
	for _, e := range r.Errors {
		fmt.Fprintf(w, "line %d: %s\n", e.Line, e.Message)
		fields := make([]string, 0, len(e.Fields))
		for f := range e.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			fmt.Fprintf(w, "    %s %s\n", f, e.Fields[f])
		}
	}
	if r.ErrorsOmitted > 0 {
		fmt.Fprintf(w, "… and %d more rejected lines\n", r.ErrorsOmitted)
	}
	if r.Rejected > 0 {
		fmt.Fprintf(w, "The %d rejected lines were not stored; the others were.\n", r.Rejected)
	}
}
