package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/match/evalset"
	"github.com/matchmaker/matchmaker/synth"
)

// runEval ranks a labelled set with the engine and scores the rankings as
// the baseline tool does (../shared/tools/match-baselines), so that the two
// can be compared on any set.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("eval", "matchmaker-bench eval [--rankings FILE] [--distractors N [--strict]] [--misses] [--weights FILE] SET.jsonl", stderr)
	rankings := fs.String("rankings", "", "also write each post's top 10 as JSON ({key: [keys…]}), the baseline tool's RANKINGS.json")
	distractors := fs.Int("distractors", 0, "hide the set among this many generated posts")
	strict := fs.Bool("strict", false, "count distractors in a ranking as wrong partners, instead of passing over them (they are unlabelled: some are good partners)")
	misses := fs.Bool("misses", false, "list the posts whose first partner is not relevant or whose top 3 holds a rival")
	weightsFile := cli.WeightsFlag(fs)
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("eval takes exactly one SET.jsonl")
	}
	if *distractors < 0 {
		return fmt.Errorf("--distractors must not be negative")
	}
	weights, err := cli.LoadWeights(*weightsFile)
	if err != nil {
		return err
	}
	if weights == nil {
		w := match.DefaultWeights()
		weights = &w
	}
	set, err := evalset.Load(rest[0])
	if err != nil {
		return err
	}
	posts := slices.Clone(set.Posts)
	for i, in := range synth.Generate(synth.Options{N: *distractors, Seed: 1}) {
		p := in.Post(set.Posts[0].CreatedAt)
		p.ID = int64(len(set.Posts) + i + 1)
		posts = append(posts, p)
	}
	e := match.NewEngine(match.DefaultVocabulary(), *weights)
	e.Load(posts)
	ranked := set.Rank(e, *strict)
	m := set.Score(ranked)
	fmt.Fprintf(stdout, "%s: %d posts", rest[0], len(set.Posts))
	if *distractors > 0 {
		fmt.Fprintf(stdout, " among %d others", *distractors)
	}
	fmt.Fprintf(stdout, "\n%s\n", m)
	if *misses {
		for _, it := range set.Items {
			q := set.Query(it.Key, ranked[it.Key])
			if len(it.Relevant) == 0 || (q.Hit1 && !q.RivalTop3) {
				continue
			}
			p, _ := set.Post(it.Key)
			fmt.Fprintf(stdout, "\n%s %s (%s) P@1 %v rival@3 %v NDCG %.2f\n  offer: %s\n  seek:  %s\n  want:  %v\n",
				it.Key, p.Business, it.Role, q.Hit1, q.RivalTop3, q.NDCG10, p.Offer, p.Seek, it.Relevant)
			for i, k := range ranked[it.Key][:min(3, len(ranked[it.Key]))] {
				o, _ := set.Post(k)
				fmt.Fprintf(stdout, "  %d. %s %s (grade %d) %s\n", i+1, k, o.Business, it.Relevant[k], o.Offer)
			}
		}
	}
	if *rankings != "" {
		data, err := json.Marshal(ranked)
		if err != nil {
			return err
		}
		return os.WriteFile(*rankings, data, 0o644)
	}
	return ctx.Err()
}
