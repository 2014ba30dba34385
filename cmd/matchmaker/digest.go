package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

func runDigest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("digest", "matchmaker digest --quarter 2026-Q3 [--dry-run] [--limit N] [--per-member N] [--resend-unknown] [--rate R] [--note TEXT] [--json] [--data DIR]", stderr)
	data := cli.DataFlag(fs)
	quarter := fs.String("quarter", "", "the quarter whose digest to send, like 2026-Q3 (required)")
	dryRun := fs.Bool("dry-run", false, "plan and render every digest and report what a run would do; send and record nothing")
	limit := fs.Int("limit", 0, "send at most N digests in this run; the others wait for the next run (0: all)")
	perMember, err := cli.EnvInt("MATCHMAKER_DIGEST_MATCHES", app.DefaultDigestMatches)
	if err != nil {
		return err
	}
	fs.IntVar(&perMember, "per-member", perMember, fmt.Sprintf("partners per digest, 1 to %d (env MATCHMAKER_DIGEST_MATCHES)", app.MaxDigestMatches))
	resendUnknown := fs.Bool("resend-unknown", false,
		"also send to the recipients a crash cut short while sending (reported as unknown: they may have their digest already)")
	rateDefault, err := cli.EnvFloat("MATCHMAKER_DIGEST_RATE", app.DefaultDigestRate)
	if err != nil {
		return err
	}
	ratePerSecond := fs.Float64("rate", rateDefault, "digests per second through SMTP, 0 for no limit (env MATCHMAKER_DIGEST_RATE); the outbox folder is never limited")
	note := fs.String("note", "", "set the host's note for the quarter before sending (the note set earlier stays otherwise)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	baseURL := fs.String("base-url", os.Getenv("MATCHMAKER_BASE_URL"),
		"address members reach the service at, for the links in the digests (env MATCHMAKER_BASE_URL; required with SMTP)")
	mailFrom := fs.String("mail-from", cli.EnvOr("MATCHMAKER_MAIL_FROM", "Matchmaker <matchmaker@localhost>"), "sender of emails (env MATCHMAKER_MAIL_FROM)")
	weightsFile := cli.WeightsFlag(fs)
	rest, err := cli.ParseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		fs.Usage()
		return fmt.Errorf("digest takes no arguments, only flags: %q", rest)
	}
	q, err := match.ParseQuarter(*quarter)
	if err != nil {
		return fmt.Errorf("--quarter must be a quarter like 2026-Q3")
	}
	switch {
	case *limit < 0:
		return errors.New("--limit must be 0 or more")
	case perMember < 1 || perMember > app.MaxDigestMatches:
		return fmt.Errorf("--per-member must be from 1 to %d", app.MaxDigestMatches)
	case *ratePerSecond < 0:
		return errors.New("--rate must be 0 (no limit) or more")
	}
	// The SMTP URL holds a password: environment only.
	smtpURL := os.Getenv("MATCHMAKER_SMTP_URL")
	if smtpURL != "" && *baseURL == "" && !*dryRun {
		return errors.New("set --base-url (or MATCHMAKER_BASE_URL) to the address members reach the service at: the digests' links must work")
	}
	weights, err := cli.LoadWeights(*weightsFile)
	if err != nil {
		return err
	}
	log, _ := cli.NewLogger(stderr, "text")
	a, err := app.Open(ctx, app.Config{DataDir: *data, Weights: weights, Log: log, BaseURL: *baseURL,
		Mail: mail.Config{From: *mailFrom, SMTPURL: smtpURL}})
	if err != nil {
		return err
	}
	defer a.Close()
	if *note != "" && !*dryRun {
		if err := a.SetDigestNote(ctx, q, *note); err != nil {
			return err
		}
	}
	// Digests go through the outbox, at the pace set here.
	if err := a.ConfigureDigests(app.DigestConfig{PerMember: perMember, Rate: digestRate(*ratePerSecond)}); err != nil {
		return err
	}
	opt := app.DigestOptions{PerMember: perMember, Limit: *limit, DryRun: *dryRun, ResendUnknown: *resendUnknown}
	where := "the outbox folder"
	if o, ok := a.Mailer().(*mail.Outbox); ok {
		where = o.Dir
	} else if s, ok := a.Mailer().(*mail.SMTP); ok {
		where = s.Server()
		if *ratePerSecond > 0 {
			where += fmt.Sprintf(", at most %g a second", *ratePerSecond)
		}
	}
	if *dryRun {
		fmt.Fprintf(stderr, "Dry run of the %s digest: nothing is sent or recorded.\n", q)
	} else {
		fmt.Fprintf(stderr, "Sending the %s digest to %s.\n", q, where)
	}
	show := newProgressLine(stderr, *dryRun)
	opt.Progress = show.update
	rep, err := a.SendDigests(ctx, q, opt)
	show.end()
	if err != nil {
		return err
	}
	// Before this process ends, the outbox delivers what is due: digests
	// an earlier run queued among them (the server sends the rest later).
	a.FlushMail(ctx)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printDigestReport(stdout, rep)
	}
	if rep.Failed > 0 || rep.Stopped {
		return cli.ErrSilentFailure
	}
	return nil
}

// progressLine shows a run's progress on one line, redrawn in place on a
// terminal and printed every few seconds otherwise (a log file).
type progressLine struct {
	w        io.Writer
	terminal bool
	dryRun   bool
	last     time.Time
	shown    bool
	start    time.Time
}

func newProgressLine(w io.Writer, dryRun bool) *progressLine {
	p := &progressLine{w: w, dryRun: dryRun, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progressLine) update(g app.DigestProgress) {
	every := 5 * time.Second
	if p.terminal {
		every = 100 * time.Millisecond
	}
	if g.Done != g.Queued && time.Since(p.last) < every {
		return
	}
	p.last = time.Now()
	verb := "sent"
	if p.dryRun {
		verb = "rendered"
	}
	line := fmt.Sprintf("%d/%d: %d %s, %d failed, %d skipped (%s)", g.Done, g.Queued, g.Sent, verb, g.Failed, g.Skipped,
		time.Since(p.start).Round(100*time.Millisecond))
	if p.terminal {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progressLine) end() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}

func printDigestReport(w io.Writer, r app.DigestReport) {
	verb := "sent"
	if r.DryRun {
		verb = "would be sent"
	}
	fmt.Fprintf(w, "Digest %s: %d members with an active post, planned in %s, run took %s\n", r.Quarter, r.Recipients,
		cli.Seconds(r.PlanSeconds), cli.Seconds(r.Seconds))
	fmt.Fprintf(w, "  %-22s %d\n", verb, r.Sent)
	if r.AlreadySent > 0 {
		fmt.Fprintf(w, "  %-22s %d\n", "sent by earlier runs", r.AlreadySent)
	}
	reasons := map[string]string{"unsubscribed": "skipped: unsubscribed", "no_new_matches": "skipped: nobody new", "no_active_post": "skipped: no active post"}
	for _, k := range slices.Sorted(maps.Keys(r.Skipped)) {
		label := reasons[k]
		if label == "" {
			label = "skipped: " + strings.ReplaceAll(k, "_", " ")
		}
		fmt.Fprintf(w, "  %-22s %d\n", label, r.Skipped[k])
	}
	if r.Pending > 0 {
		fmt.Fprintf(w, "  %-22s %d (run again to send them)\n", "left for a later run", r.Pending)
	}
	if r.InOutbox > 0 {
		fmt.Fprintf(w, "  %-22s %d (queued by an earlier run, still on their way)\n", "in the outbox", r.InOutbox)
	}
	if r.Waiting > 0 {
		fmt.Fprintf(w, "  %-22s %d (queued by this run, not tried yet: the outbox sends them)\n", "waiting", r.Waiting)
	}
	if r.Failed > 0 {
		fmt.Fprintf(w, "  %-22s %d (refused at the first try: the outbox tries them again for a day, and the next run after that)\n", "failed", r.Failed)
		for i, f := range r.Failures {
			if i == 20 {
				fmt.Fprintf(w, "    … and %d more\n", len(r.Failures)-i)
				break
			}
			fmt.Fprintf(w, "    %s: %s\n", f.Email, f.Error)
		}
	}
	if r.Unknown > 0 {
		fmt.Fprintf(w, "  %-22s %d: a crash cut their sending short, so they may have their digest.\n"+
			"  %-22s Check the mail server's log; --resend-unknown sends to them again.\n", "unknown", r.Unknown, "")
	}
	if r.Stopped {
		fmt.Fprintln(w, "The run was stopped before its end; run it again to send the rest.")
	}
}

// digestRate turns a --rate or --digest-rate flag, where 0 means no limit,
// into the app's rate, where 0 means its default and less means no limit.
func digestRate(perSecond float64) float64 {
	if perSecond == 0 {
		return -1
	}
	return perSecond
}
