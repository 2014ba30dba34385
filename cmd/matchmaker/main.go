// Command matchmaker runs the Matchmaker service and its maintenance tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/matchmaker/matchmaker/match"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, errSilentFailure):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "matchmaker:", err)
		os.Exit(1)
	}
}

// errSilentFailure ends the program with status 1 when the command has
// already told the user what went wrong.
var errSilentFailure = errors.New("failed")

// command is one subcommand: its name, one line of help, and its entry.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"serve", "run the web service", runServe},
	{"import", "import posts from a JSON Lines or CSV file", runImport},
	{"reindex", "rebuild the search index from the database", runReindex},
	{"matches", "show a post's best partners, explained", runMatches},
	{"digest", "send a quarter's email digests of new partner matches (--dry-run to see what would go out)", runDigest},
	{"gen", "write a synthetic community of posts as JSON Lines (for trials and benchmarks)", runGen},
	{"eval", "rank a labelled set of posts with the engine and score it as the baseline tool does", runEval},
	{"bench", "measure the matching engine at scale: latency, whole rounds, recall, memory, import", runBench},
	{"load", "load a running server on loopback with matches, search, posts and referrals at fixed rates; report throughput and latency", runLoad},
	{"rotate-host-token", "replace the generated host token with a new one", runRotateHostToken},
	{"backup", "write a consistent copy of the database to a file, also while serving", runBackup},
	{"restore", "replace the database with a backup and rebuild the search index (server stopped)", runRestore},
	{"check", "verify the database and that the search index agrees with it; say how to repair", runCheck},
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return flag.ErrHelp
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: matchmaker COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'matchmaker COMMAND -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, usageLine string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: matchmaker %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// dataFlag adds the --data flag every command that touches the data uses.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", envOr("MATCHMAKER_DATA", "./data"),
		"data folder: SQLite database, search index, host token (env MATCHMAKER_DATA)")
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// newLogger logs to stderr as text, or as JSON for log collectors.
func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}

// weightsFlag adds the --weights flag of the commands that match posts.
func weightsFlag(fs *flag.FlagSet) *string {
	return fs.String("weights", os.Getenv("MATCHMAKER_WEIGHTS"),
		"JSON file overriding matching weights, e.g. {\"shared_customers\": 0.7} (env MATCHMAKER_WEIGHTS)")
}

// loadWeights reads a weights file; "" means the defaults (nil).
func loadWeights(path string) (*match.Weights, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	w, err := match.ParseWeights(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &w, nil
}

// parseArgs parses flags wherever they stand, before or after the
// positional arguments ("matches 42 --limit 5"), and returns the positional
// ones. "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func envInt(name string, fallback int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, not %q", name, v)
	}
	return n, nil
}

func envFloat(name string, fallback float64) (float64, error) {
	v := os.Getenv(name)
	if v == "" {
		return fallback, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%s must be a number, not %q", name, v)
	}
	return f, nil
}
