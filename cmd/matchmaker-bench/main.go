// Command matchmaker-bench generates trial communities and measures
// Matchmaker with them: the engine at scale, a labelled set's ranking, a
// running server under load. It is kept out of the service's binary.
package main

import (
	"context"
	"io"

	"github.com/matchmaker/matchmaker/internal/cli"
)

const program = "matchmaker-bench"

var commands = []cli.Command{
	{Name: "gen", Summary: "write a synthetic community of posts as JSON Lines (for trials and benchmarks)", Run: runGen},
	{Name: "eval", Summary: "rank a labelled set of posts with the engine and score it as the baseline tool does", Run: runEval},
	{Name: "bench", Summary: "measure the matching engine at scale: latency, whole rounds, recall, memory, import", Run: runBench},
	{Name: "partners", Summary: "make referral partnerships in a stopped server's data folder (offered by the host, accepted by both members, terms agreed), for load's referral writes", Run: runPartners},
	{Name: "load", Summary: "load a running server on loopback with matches, search, posts and referrals at fixed rates; report throughput and latency", Run: runLoad},
}

func main() { cli.Main(program, commands) }

// run runs a subcommand as main does, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return cli.Run(ctx, program, commands, args, stdout, stderr)
}
