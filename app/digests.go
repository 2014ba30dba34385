package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// The quarterly digest: every member (every address with an active post in
// the quarter) gets, once, the best partners that are new to them: not
// introduced, not declined by either side, not answered already, not shown
// in the digest of another quarter. Members with nothing new and those who
// unsubscribed get nothing.
//
// A run plans every digest at once from the engine's whole-round
// computation (Engine.Pairs over the quarter's active posts), then hands
// them one by one to the outbox, like every other email: each recipient's
// digest is queued in the transaction that marks it sending (see
// domain.DigestPending and the states after it), and the recipient follows
// its email there — sent, or failed after the outbox's retries. A run that
// dies midway can be started again: the outbox delivers what was queued,
// the new run the rest, and nobody gets a second digest. Digests are paced
// (DigestConfig.Rate) as the outbox sends them. (Recipients left sending by
// a run cut short before digests went through the outbox are reported as
// unknown, and sent again only when the host asks: DigestOptions.ResendUnknown.)

// DefaultDigestMatches is how many partners a digest shows by default.
const DefaultDigestMatches = 5

// MaxDigestMatches is the most partners a digest may carry: a digest is a
// short read, and a longer list would be mostly weak matches.
const MaxDigestMatches = 20

// perMemberRule is how every check of a digest's size words its error.
var perMemberRule = fmt.Sprintf("must be from 1 to %d", MaxDigestMatches)

// DefaultDigestRate is how many digests a second go to an SMTP server by
// default: below the sending limits of common providers, and slow enough
// not to look like a burst of spam. The outbox folder is not limited.
const DefaultDigestRate = 5.0

// maxDigestNote bounds the host's note, like a suggestion's note.
const maxDigestNote = 2000

// maxInterestNote bounds a member's note to the host with a request.
const maxInterestNote = 500

// DigestConfig is the service-wide digest configuration.
type DigestConfig struct {
	// PerMember is how many partners a digest shows (1–20), by default
	// DefaultDigestMatches.
	PerMember int
	// Rate is how many digests a second go to an SMTP server: 0 means
	// DefaultDigestRate, a negative rate no limit. The outbox folder is
	// never limited.
	Rate float64
}

// DigestOptions shape one run.
type DigestOptions struct {
	PerMember int // 0: the configured number
	// Limit, when positive, sends at most this many digests in this run;
	// the others stay pending for a later run.
	Limit int
	// DryRun plans and renders every digest and reports what would happen,
	// without sending or recording anything.
	DryRun bool
	// ResendUnknown sends to the recipients whose sending was cut short by
	// a crash, and who may therefore have their digest already.
	ResendUnknown bool
	// Progress, when set, is called after each recipient of the run.
	Progress func(DigestProgress)
}

// DigestProgress is how far a run is.
type DigestProgress struct {
	Queued  int // recipients this run sends to (or would, for a dry run)
	Done    int // of which handled so far
	Sent    int
	Failed  int
	Skipped int
}

// DigestReport sums up a run.
type DigestReport struct {
	Quarter    match.Quarter `json:"quarter"`
	DryRun     bool          `json:"dry_run"`
	Recipients int           `json:"recipients"` // addresses with an active post in the quarter
	// Sent digests in this run (in a dry run, those that would be sent):
	// handed to the outbox, which the server accepted at the first try.
	Sent int `json:"sent"`
	// Failed digests were refused at the first try: the outbox tries them
	// again, and a later run once the outbox gives up.
	Failed int `json:"failed"`
	// Waiting digests are in the outbox, not tried yet when the run was
	// stopped: the outbox sends them.
	Waiting int `json:"waiting"`
	// Skipped recipients, by reason (domain.SkipUnsubscribed,
	// domain.SkipNoNewMatches).
	Skipped     map[string]int `json:"skipped"`
	AlreadySent int            `json:"already_sent"` // by an earlier run
	// InOutbox digests were handed to the outbox by an earlier run and are
	// still on their way (the outbox tries them again).
	InOutbox int `json:"in_outbox"`
	// Unknown recipients were being sent to when a run was cut short: they
	// may have their digest. They are not sent again without ResendUnknown.
	Unknown int `json:"unknown"`
	// Pending recipients are left for a later run: the limit was reached or
	// the run was stopped.
	Pending  int             `json:"pending"`
	Stopped  bool            `json:"stopped"` // the run was cancelled before its end
	Failures []DigestFailure `json:"failures"`
	// PlanSeconds is the time to find every member's partners; Seconds the
	// whole run.
	PlanSeconds float64 `json:"plan_seconds"`
	Seconds     float64 `json:"seconds"`
}

// DigestFailure is a digest that could not be sent.
type DigestFailure struct {
	Email string `json:"email"`
	Error string `json:"error"`
}

// digestRunner keeps the digest runs of one App: one per quarter at a time.
type digestRunner struct {
	mu      sync.Mutex
	cfg     DigestConfig
	running map[match.Quarter]context.CancelFunc
	wg      sync.WaitGroup
}

func newDigestRunner() *digestRunner {
	return &digestRunner{running: map[match.Quarter]context.CancelFunc{}}
}

// begin registers a run, or returns ECONFLICT when the quarter has one.
func (r *digestRunner) begin(q match.Quarter, cancel context.CancelFunc) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, busy := r.running[q]; busy {
		return match.Errorf(match.ECONFLICT, "the digest for %s is being sent already", q)
	}
	r.running[q] = cancel
	r.wg.Add(1)
	return nil
}

func (r *digestRunner) end(q match.Quarter) {
	r.mu.Lock()
	delete(r.running, q)
	r.mu.Unlock()
	r.wg.Done()
}

// ConfigureDigests sets the service-wide digest configuration.
func (a *App) ConfigureDigests(cfg DigestConfig) error {
	if cfg.PerMember < 0 || cfg.PerMember > MaxDigestMatches {
		return match.Invalid("some fields are not valid", map[string]string{"per_member": perMemberRule})
	}
	r := a.digests
	r.mu.Lock()
	r.cfg = cfg
	r.mu.Unlock()
	a.paceDigests(cmp.Or(cfg.Rate, DefaultDigestRate))
	return nil
}

// StopDigests stops the runs going on and waits for them to end. A run
// stops between two recipients: an email on its way is finished first.
func (a *App) StopDigests() {
	r := a.digests
	r.mu.Lock()
	for _, cancel := range r.running {
		cancel()
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// DigestRunning reports whether the quarter's digest is being sent.
func (a *App) DigestRunning(q match.Quarter) bool {
	r := a.digests
	r.mu.Lock()
	defer r.mu.Unlock()
	_, busy := r.running[q]
	return busy
}

// digestOptions checks a run's options and fills in the defaults.
func (a *App) digestOptions(q match.Quarter, opt DigestOptions) (DigestOptions, error) {
	fields := map[string]string{}
	if !q.Valid() {
		fields["quarter"] = "must be a quarter like 2026-Q3"
	}
	if opt.PerMember < 0 || opt.PerMember > MaxDigestMatches {
		fields["per_member"] = perMemberRule
	}
	if opt.Limit < 0 {
		fields["limit"] = "must be a positive whole number"
	}
	if len(fields) > 0 {
		return opt, match.Invalid("some fields are not valid", fields)
	}
	r := a.digests
	r.mu.Lock()
	cfg := r.cfg
	r.mu.Unlock()
	if opt.PerMember == 0 {
		opt.PerMember = cmp.Or(cfg.PerMember, DefaultDigestMatches)
	}
	return opt, nil
}

// SendDigests runs the quarter's digest and returns its report. It
// returns ECONFLICT while another run of the quarter goes on. Sending
// stops, leaving the rest pending, when ctx ends.
func (a *App) SendDigests(ctx context.Context, q match.Quarter, opt DigestOptions) (DigestReport, error) {
	opt, err := a.digestOptions(q, opt)
	if err != nil {
		return DigestReport{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := a.digests
	if err := r.begin(q, cancel); err != nil {
		return DigestReport{}, err
	}
	defer r.end(q)
	return a.runDigests(ctx, q, opt)
}

// StartDigests starts a run of the quarter's digest in the background; its
// progress shows in DigestStatus. It returns ECONFLICT while another run of
// the quarter goes on.
func (a *App) StartDigests(q match.Quarter, opt DigestOptions) error {
	opt, err := a.digestOptions(q, opt)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := a.digests
	if err := r.begin(q, cancel); err != nil {
		cancel()
		return err
	}
	a.tasks.Add(1)
	go func() {
		defer a.tasks.Done()
		defer r.end(q)
		defer cancel()
		rep, err := a.runDigests(ctx, q, opt)
		if err != nil {
			a.Log.Error("digest run", "quarter", q, "err", err)
			return
		}
		a.Log.Info("digest run", "quarter", q, "sent", rep.Sent, "failed", rep.Failed, "skipped", rep.Skipped,
			"already_sent", rep.AlreadySent, "unknown", rep.Unknown, "pending", rep.Pending, "took", time.Duration(rep.Seconds*float64(time.Second)).Round(time.Millisecond))
	}()
	return nil
}

// DigestStatus returns where the quarter's digest stands, and whether a run
// is going on.
func (a *App) DigestStatus(ctx context.Context, q match.Quarter) (domain.Digest, bool, error) {
	if !q.Valid() {
		return domain.Digest{}, false, match.Invalid("some fields are not valid", map[string]string{"quarter": "must be a quarter like 2026-Q3"})
	}
	d, err := a.Store.Digest(ctx, q)
	return d, a.DigestRunning(q), err
}

// SetDigestNote sets the host's note for the quarter's digest ("" for
// none). The digests sent afterwards carry it.
func (a *App) SetDigestNote(ctx context.Context, q match.Quarter, note string) error {
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	fields := map[string]string{}
	if !q.Valid() {
		fields["quarter"] = "must be a quarter like 2026-Q3"
	}
	if len([]rune(note)) > maxDigestNote || !match.IsCleanText(note) {
		fields["note"] = fmt.Sprintf("must be plain text of at most %d characters", maxDigestNote)
	}
	if len(fields) > 0 {
		return match.Invalid("some fields are not valid", fields)
	}
	return a.Store.SetDigestNote(ctx, q, note)
}

// runDigests runs a quarter's digest; see SendDigests.
func (a *App) runDigests(ctx context.Context, q match.Quarter, opt DigestOptions) (rep DigestReport, err error) {
	start := time.Now()
	rep = DigestReport{Quarter: q, DryRun: opt.DryRun, Skipped: map[string]int{}, Failures: []DigestFailure{}}
	defer func() { rep.Seconds = time.Since(start).Seconds() }()
	members, err := a.planDigests(ctx, q, opt.PerMember)
	if err != nil {
		return rep, err
	}
	rep.PlanSeconds, rep.Recipients = time.Since(start).Seconds(), len(members)
	if opt.DryRun {
		statuses, err := a.Store.DigestStatuses(ctx, q)
		if err != nil {
			return rep, err
		}
		return a.dryRunDigests(ctx, q, opt, members, statuses, rep)
	}
	plan := make([]domain.PlannedRecipient, len(members))
	for i, m := range members {
		plan[i] = domain.PlannedRecipient{Email: m.email, Skip: m.skip}
	}
	if err := a.Store.StartDigestRun(ctx, q, plan, opt.ResendUnknown); err != nil {
		return rep, err
	}
	defer a.Store.FinishDigestRun(context.WithoutCancel(ctx), q)
	// After the run's start: it has marked every recipient's state.
	statuses, err := a.Store.DigestStatuses(ctx, q)
	if err != nil {
		return rep, err
	}
	var queue []*digestMember
	for _, m := range members {
		switch statuses[m.email] {
		case domain.DigestSent:
			rep.AlreadySent++
		case domain.DigestSending:
			rep.InOutbox++
		case domain.DigestUnknown:
			rep.Unknown++
		case domain.DigestSkipped:
			rep.Skipped[m.skip]++
		case domain.DigestPending:
			queue = append(queue, m)
		}
	}
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return rep, err
	}
	progress := DigestProgress{Queued: len(queue)}
	report := func() {
		progress.Done++
		if opt.Progress != nil {
			opt.Progress(progress)
		}
	}
	var handed []handedDigest
	for i, m := range queue {
		if (opt.Limit > 0 && len(handed) >= opt.Limit) || ctx.Err() != nil {
			rep.Pending, rep.Stopped = len(queue)-i, ctx.Err() != nil
			break
		}
		msg, matches, err := a.digestEmail(ctx, q, m, d.Note)
		if errors.Is(err, errNoNewMatches) {
			if err := a.Store.SkipDigest(ctx, q, m.email, domain.SkipNoNewMatches); err != nil {
				return rep, err
			}
			rep.Skipped[domain.SkipNoNewMatches]++
			progress.Skipped++
			report()
			continue
		}
		if err != nil {
			return rep, err
		}
		id, status, err := a.Store.ClaimDigest(ctx, q, m.email, matches, msg)
		if err != nil {
			return rep, err
		}
		if id == 0 {
			if status == domain.DigestSkipped {
				rep.Skipped[domain.SkipUnsubscribed]++
				progress.Skipped++
				a.Metrics.Digests.WithLabelValues("skipped").Inc()
			}
			report()
			continue
		}
		handed = append(handed, handedDigest{m.email, id})
		a.kickMail()
		report()
	}
	a.awaitDigests(ctx, handed, &rep, &progress, opt.Progress)
	return rep, nil
}

// handedDigest is a recipient's digest in the outbox.
type handedDigest struct {
	email    string
	outboxID int64
}

// A run looks at how the outbox does with its digests first after
// digestPoll, then less and less often, up to digestPollMost: a quarter's
// thousands of paced digests take minutes, and each look reads every
// digest still waiting.
const (
	digestPoll     = 50 * time.Millisecond
	digestPollMost = time.Second
)

// awaitDigests waits until the outbox has tried each digest of the run
// once, counting in rep (and progress) those the server took and those it
// refused (the outbox tries them again). A run stopped meanwhile counts
// the rest as waiting: they are in the outbox, which sends them.
func (a *App) awaitDigests(ctx context.Context, handed []handedDigest, rep *DigestReport, progress *DigestProgress, notify func(DigestProgress)) {
	pause := digestPoll
	wait := time.NewTimer(pause)
	defer wait.Stop()
	for len(handed) > 0 {
		ids := make([]int64, len(handed))
		for i, h := range handed {
			ids[i] = h.outboxID
		}
		mails, err := a.Store.MailByIDs(context.WithoutCancel(ctx), ids)
		if err != nil {
			a.Log.Error("follow the digests in the outbox", "err", err)
			break
		}
		left := handed[:0]
		for _, h := range handed {
			m, ok := mails[h.outboxID]
			switch {
			case !ok || (m.Status == domain.MailQueued && m.Attempts == 0):
				left = append(left, h)
			case m.Status == domain.MailSent:
				rep.Sent++
				progress.Sent++
				a.Metrics.Digests.WithLabelValues("sent").Inc()
			default:
				rep.Failed++
				progress.Failed++
				rep.Failures = append(rep.Failures, DigestFailure{Email: h.email, Error: clip(m.LastError, 500)})
				a.Metrics.Digests.WithLabelValues("failed").Inc()
			}
		}
		if len(left) < len(handed) && notify != nil {
			notify(*progress)
		}
		handed = left
		if len(handed) == 0 {
			break
		}
		select {
		case <-ctx.Done():
			rep.Waiting, rep.Stopped = len(handed), true
			return
		case <-wait.C:
			pause = min(2*pause, digestPollMost)
			wait.Reset(pause)
		}
	}
}

// dryRunDigests renders every digest a run would send, on every core, and
// reports what the run would do; it writes nothing.
func (a *App) dryRunDigests(ctx context.Context, q match.Quarter, opt DigestOptions, members []*digestMember, statuses map[string]string, rep DigestReport) (DigestReport, error) {
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return rep, err
	}
	var queue []*digestMember
	for _, m := range members {
		switch st := statuses[m.email]; {
		case st == domain.DigestSent:
			rep.AlreadySent++
		case (st == domain.DigestUnknown || st == domain.DigestSending) && !opt.ResendUnknown:
			rep.Unknown++
		case m.skip != "":
			rep.Skipped[m.skip]++
		default:
			queue = append(queue, m)
		}
	}
	if opt.Limit > 0 && len(queue) > opt.Limit {
		rep.Pending, queue = len(queue)-opt.Limit, queue[:opt.Limit]
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
		progress = DigestProgress{Queued: len(queue)}
	)
	work := make(chan *digestMember)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				_, _, err := a.digestEmail(ctx, q, m, d.Note)
				mu.Lock()
				switch {
				case errors.Is(err, errNoNewMatches):
					rep.Skipped[domain.SkipNoNewMatches]++
					progress.Skipped++
				case err != nil:
					firstErr = cmp.Or(firstErr, err)
				default:
					rep.Sent++
					progress.Sent++
				}
				progress.Done++
				if opt.Progress != nil {
					opt.Progress(progress)
				}
				mu.Unlock()
			}
		}()
	}
	for _, m := range queue {
		if ctx.Err() != nil {
			break
		}
		work <- m
	}
	close(work)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		rep.Stopped = true
	}
	return rep, firstErr
}
