package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
)

func runMatches(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("matches", "matchmaker matches [--data DIR] [--limit N] [--lane strategic|referral] [--json] POST_ID", stderr)
	data := cli.DataFlag(fs)
	limit := fs.Int("limit", 10, "how many matches (1-50)")
	lane := fs.String("lane", "", "only partners for this lane: strategic or referral")
	asJSON := fs.Bool("json", false, "print the matches as JSON, as the API returns them")
	weightsFile := cli.WeightsFlag(fs)
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("matches takes exactly one POST_ID")
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("POST_ID must be a positive whole number, not %q", rest[0])
	}
	if *limit < 1 || *limit > 50 {
		return fmt.Errorf("--limit must be from 1 to 50")
	}
	if l := match.Lane(*lane); l != "" && !l.Valid() {
		return fmt.Errorf("--lane must be strategic or referral")
	}
	weights, err := cli.LoadWeights(*weightsFile)
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, app.Config{DataDir: *data, Weights: weights})
	if err != nil {
		return err
	}
	defer a.Close()
	post, err := a.Store.Post(ctx, id)
	if err != nil {
		return err
	}
	ms, err := a.Matches(ctx, id, match.MatchOptions{Limit: *limit, Lane: match.Lane(*lane)})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ms)
	}
	fmt.Fprintf(stdout, "Matches for #%d %s\n  offers: %s\n  seeks:  %s\n\n", post.ID, post.Business, post.Offer, post.Seek)
	if len(ms) == 0 {
		fmt.Fprintln(stdout, "No matches yet: no active post of another business fits.")
	}
	for i, m := range ms {
		fmt.Fprintf(stdout, "%2d. %.2f  #%d %s (%s)\n", i+1, m.Score, m.Post.ID, m.Post.Business, m.Post.Lane)
		for _, r := range m.Reasons {
			fmt.Fprintf(stdout, "      - %s\n", r)
		}
	}
	return nil
}
