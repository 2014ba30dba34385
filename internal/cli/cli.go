// Package cli holds what the project's commands share: subcommands, flags
// that report errors instead of exiting, the data folder and weights
// flags, loggers. The service (cmd/matchmaker) and the tools that measure
// it (cmd/matchmaker-bench) are separate binaries built from it.
package cli

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

// Command is one subcommand: its name, one line of help, and its entry.
type Command struct {
	Name, Summary string
	Run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// ErrSilentFailure ends the program with status 1 when the command has
// already told the user what went wrong.
var ErrSilentFailure = errors.New("failed")

// Main runs the subcommand named by the program's arguments until it
// returns or the process is interrupted, and exits with its status.
func Main(program string, commands []Command) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, program, commands, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, ErrSilentFailure):
		os.Exit(1)
	default:
		fmt.Fprintf(os.Stderr, "%s: %v\n", program, err)
		os.Exit(1)
	}
}

// Run runs the subcommand args[0] with the rest of args.
func Run(ctx context.Context, program string, commands []Command, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, program, commands)
		return flag.ErrHelp
	}
	for _, c := range commands {
		if c.Name == args[0] {
			return c.Run(ctx, args[1:], stdout, stderr)
		}
	}
	usage(stderr, program, commands)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer, program string, commands []Command) {
	fmt.Fprintf(w, "Usage: %s COMMAND [flags]\n\nCommands:\n", program)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND -h' for a command's flags.\n", program)
}

// NewFlagSet returns a flag set that reports errors instead of exiting;
// usageLine is the command line shown in its help, program name first.
func NewFlagSet(name, usageLine string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// DataFlag adds the --data flag every command that touches the data uses.
func DataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", EnvOr("MATCHMAKER_DATA", "./data"),
		"data folder: SQLite database, search index, host token (env MATCHMAKER_DATA)")
}

// EnvOr returns the environment variable name, or fallback when it is
// empty.
func EnvOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// NewLogger logs to w as text, or as JSON for log collectors.
func NewLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", format)
}

// WeightsFlag adds the --weights flag of the commands that match posts.
func WeightsFlag(fs *flag.FlagSet) *string {
	return fs.String("weights", os.Getenv("MATCHMAKER_WEIGHTS"),
		"JSON file overriding matching weights, e.g. {\"shared_customers\": 0.7} (env MATCHMAKER_WEIGHTS)")
}

// LoadWeights reads a weights file; "" means the defaults (nil).
func LoadWeights(path string) (*match.Weights, error) {
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

// ParseArgs parses flags wherever they stand, before or after the
// positional arguments ("matches 42 --limit 5"), and returns the positional
// ones. "--" ends the flags.
func ParseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
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

// EnvInt reads a whole number from the environment variable name, or
// returns fallback when it is empty.
func EnvInt(name string, fallback int) (int, error) {
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

// EnvFloat reads a number from the environment variable name, or returns
// fallback when it is empty.
func EnvFloat(name string, fallback float64) (float64, error) {
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

// Seconds writes a duration for people: "2.35 s", or "3m07.2s" from a
// minute.
func Seconds(seconds float64) string {
	if seconds < 60 {
		return strconv.FormatFloat(seconds, 'f', 2, 64) + " s"
	}
	m := int(seconds / 60)
	return fmt.Sprintf("%dm%04.1fs", m, seconds-float64(m*60))
}

// Bytes writes a size for people: KiB, MiB or GiB.
func Bytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
