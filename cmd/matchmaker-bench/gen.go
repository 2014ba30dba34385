package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("gen", "matchmaker-bench gen [--n N] [--seed S] [--quarter YYYY-Qn] [--out FILE]", stderr)
	n := fs.Int("n", 1000, "number of posts")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same community")
	quarter := fs.String("quarter", "", "quarter of every post (default: the current quarter)")
	out := fs.String("out", "-", "output file (- for standard output)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 0 {
		return fmt.Errorf("--n must not be negative")
	}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	if err := synth.Write(bw, synth.Options{N: *n, Seed: *seed, Quarter: match.Quarter(*quarter)}); err != nil {
		return err
	}
	return bw.Flush()
}
