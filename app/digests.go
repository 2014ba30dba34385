package app

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// The quarterly digest: every member (every address with an active post in
// the quarter) gets, once, the best partners that are new to them: not
// introduced, not declined by either side, not answered already, not shown
// in the digest of another quarter. Members with nothing new and those who
// unsubscribed get nothing.
//
// A run plans every digest at once from the engine's whole-round
// computation (Engine.Pairs over the quarter's active posts), then sends
// them one by one. Each recipient's state is committed before and after
// its email goes out (see store.DigestPending and the states after it), so
// a run that dies midway can be started again: it sends the rest, and never
// a second digest to anyone. The one recipient whose email was on its way
// when the process died is reported as unknown and left alone unless the
// host asks for it to be sent again (DigestOptions.ResendUnknown): a
// duplicate is worse than asking.

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
	Rate          float64 // 0: the configured rate
	// Sender, when set, sends instead of the app's mailer.
	Sender mail.Sender
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
	// Sent digests in this run (in a dry run, those that would be sent).
	Sent   int `json:"sent"`
	Failed int `json:"failed"` // tried again by the next run
	// Skipped recipients, by reason (store.SkipUnsubscribed,
	// store.SkipNoNewMatches).
	Skipped     map[string]int `json:"skipped"`
	AlreadySent int            `json:"already_sent"` // by an earlier run
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
	if opt.Rate == 0 {
		opt.Rate = cmp.Or(cfg.Rate, DefaultDigestRate)
	}
	if opt.Sender == nil {
		opt.Sender = a.mailer
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
func (a *App) DigestStatus(ctx context.Context, q match.Quarter) (store.Digest, bool, error) {
	if !q.Valid() {
		return store.Digest{}, false, match.Invalid("some fields are not valid", map[string]string{"quarter": "must be a quarter like 2026-Q3"})
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

// digestMember is one recipient of a run: an address, all its posts, and
// the partners planned for its digest.
type digestMember struct {
	email   string
	posts   []match.Post // every post of the address, newest first
	active  []match.Post // its active posts in the quarter
	matches []plannedMatch
	skip    string // why no digest: store.SkipUnsubscribed, store.SkipNoNewMatches
}

type plannedMatch struct {
	post, partner int64 // the member's post, and the partner's
	score         float64
}

// candidatesPer is how many partners per post a plan asks the engine for:
// more than a digest shows, so that partners the member knows already can
// be dropped and the digest still be full.
func candidatesPer(perMember int) int { return 2*perMember + 4 }

// planDigests finds every recipient's partners for the quarter: one
// whole-round computation for all the quarter's active posts, then the
// exclusions. Only a member who lost so many candidates to the exclusions
// that the digest is not full gets a query of their own.
func (a *App) planDigests(ctx context.Context, q match.Quarter, perMember int) ([]*digestMember, error) {
	if err := a.catchUp(ctx); err != nil {
		return nil, err
	}
	byEmail, err := a.Store.DigestPosts(ctx, q)
	if err != nil {
		return nil, err
	}
	ex, err := a.Store.DigestExclusions(ctx, q, "")
	if err != nil {
		return nil, err
	}
	members := make([]*digestMember, 0, len(byEmail))
	owner := map[int64]string{}
	var ids []int64
	for email, posts := range byEmail {
		m := newDigestMember(email, posts, q)
		for _, p := range m.active {
			ids = append(ids, p.ID)
			owner[p.ID] = email
		}
		members = append(members, m)
	}
	slices.SortFunc(members, func(x, y *digestMember) int { return cmp.Compare(x.email, y.email) })
	limit := candidatesPer(perMember)
	byPost := map[int64][]match.Pair{}
	start := time.Now()
	engine, err := a.Matcher(ctx)
	if err != nil {
		return nil, err
	}
	pairs, err := engine.Pairs(ctx, ids, match.MatchOptions{Limit: limit, Quarter: q}, nil)
	if err != nil {
		return nil, err
	}
	a.Metrics.Matching.WithLabelValues("digest").Observe(time.Since(start).Seconds())
	for _, p := range pairs {
		byPost[p.A] = append(byPost[p.A], p)
	}
	for _, m := range members {
		if ex.Unsubscribed[m.email] {
			m.skip = store.SkipUnsubscribed
			continue
		}
		var cands []plannedMatch
		// more: a post's list was cut at the limit while still decent, so
		// the engine holds decent partners beyond it.
		more := false
		for _, p := range m.active {
			list := byPost[p.ID]
			for _, pair := range list {
				cands = append(cands, plannedMatch{post: p.ID, partner: pair.B, score: pair.Score})
			}
			more = more || (len(list) >= limit && slices.MinFunc(list, func(x, y match.Pair) int { return cmp.Compare(x.Score, y.Score) }).Score >= DecentScore)
		}
		m.matches = pickDigestMatches(m.email, cands, &ex, perMember, func(id int64) string { return owner[id] })
		if len(m.matches) < perMember && more {
			m.matches = a.planMember(m, &ex, q, perMember)
		}
		if len(m.matches) == 0 {
			m.skip = store.SkipNoNewMatches
		}
	}
	return members, nil
}

func newDigestMember(email string, posts []match.Post, q match.Quarter) *digestMember {
	m := &digestMember{email: email, posts: posts}
	for _, p := range posts {
		if p.Quarter == q && p.Status == match.StatusActive {
			m.active = append(m.active, p)
		}
	}
	return m
}

// planMember finds one member's partners with a query per active post, the
// exclusions applied inside the engine (which its caller has loaded).
func (a *App) planMember(m *digestMember, ex *store.DigestExclusions, q match.Quarter, perMember int) []plannedMatch {
	engine := a.matching.loaded()
	var cands []plannedMatch
	owner := map[int64]string{}
	for _, p := range m.active {
		ms, err := engine.Matches(p.ID, match.MatchOptions{Limit: candidatesPer(perMember), Quarter: q, NoReasons: true,
			Exclude: func(id int64) bool { return digestExcluded(m.email, p.ID, id, ex) }})
		if err != nil {
			continue // deleted since the plan began
		}
		for _, x := range ms {
			cands = append(cands, plannedMatch{post: p.ID, partner: x.Post.ID, score: x.Score})
			owner[x.Post.ID] = x.Post.Email
		}
	}
	return pickDigestMatches(m.email, cands, ex, perMember, func(id int64) string { return owner[id] })
}

// digestExcluded reports whether partner is not new to the member with this
// address and post.
func digestExcluded(email string, post, partner int64, ex *store.DigestExclusions) bool {
	return ex.Pairs[[2]int64{min(post, partner), max(post, partner)}] || ex.Answered[[2]int64{post, partner}] ||
		ex.Shown[email][partner]
}

// pickDigestMatches keeps the best n new, decent partners, one post per
// partner business (owner gives a partner post's address), best first.
func pickDigestMatches(email string, cands []plannedMatch, ex *store.DigestExclusions, n int, owner func(int64) string) []plannedMatch {
	slices.SortFunc(cands, func(x, y plannedMatch) int {
		return cmp.Or(cmp.Compare(y.score, x.score), cmp.Compare(x.partner, y.partner), cmp.Compare(x.post, y.post))
	})
	var out []plannedMatch
	partners, businesses := map[int64]bool{}, map[string]bool{}
	for _, c := range cands {
		if len(out) == n || c.score < DecentScore {
			break
		}
		biz := owner(c.partner)
		if partners[c.partner] || businesses[biz] || digestExcluded(email, c.post, c.partner, ex) {
			continue
		}
		partners[c.partner], businesses[biz] = true, true
		out = append(out, c)
	}
	return out
}

// planOne plans one address's digest for the quarter, as a run would now.
func (a *App) planOne(ctx context.Context, q match.Quarter, email string, perMember int) (*digestMember, error) {
	posts, err := a.Store.PostsOf(ctx, email)
	if err != nil {
		return nil, err
	}
	m := newDigestMember(email, posts, q)
	if len(m.active) == 0 {
		return nil, match.Errorf(match.ENOTFOUND, "this address has no active post in %s, so it gets no digest", q)
	}
	ex, err := a.Store.DigestExclusions(ctx, q, email)
	if err != nil {
		return nil, err
	}
	if ex.Unsubscribed[email] {
		m.skip = store.SkipUnsubscribed
		return m, nil
	}
	if _, err := a.matcher(ctx); err != nil {
		return nil, err
	}
	if m.matches = a.planMember(m, &ex, q, perMember); len(m.matches) == 0 {
		m.skip = store.SkipNoNewMatches
	}
	return m, nil
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
	plan := make([]store.PlannedRecipient, len(members))
	for i, m := range members {
		plan[i] = store.PlannedRecipient{Email: m.email, Skip: m.skip}
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
		case store.DigestSent:
			rep.AlreadySent++
		case store.DigestUnknown:
			rep.Unknown++
		case store.DigestSkipped:
			rep.Skipped[m.skip]++
		case store.DigestPending:
			queue = append(queue, m)
		}
	}
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return rep, err
	}
	var limiter *rate.Limiter
	if _, outbox := opt.Sender.(*mail.Outbox); !outbox && opt.Rate > 0 {
		limiter = rate.NewLimiter(rate.Limit(opt.Rate), 1)
	}
	progress := DigestProgress{Queued: len(queue)}
	report := func() {
		progress.Done++
		if opt.Progress != nil {
			opt.Progress(progress)
		}
	}
	for i, m := range queue {
		if (opt.Limit > 0 && rep.Sent+rep.Failed >= opt.Limit) || ctx.Err() != nil {
			rep.Pending, rep.Stopped = len(queue)-i, ctx.Err() != nil
			break
		}
		msg, matches, err := a.digestEmail(ctx, q, m, d.Note)
		if errors.Is(err, errNoNewMatches) {
			if err := a.Store.SkipDigest(ctx, q, m.email, store.SkipNoNewMatches); err != nil {
				return rep, err
			}
			rep.Skipped[store.SkipNoNewMatches]++
			progress.Skipped++
			report()
			continue
		}
		if err != nil {
			return rep, err
		}
		if limiter != nil {
			if err := limiter.Wait(ctx); err != nil {
				rep.Pending, rep.Stopped = len(queue)-i, true
				break
			}
		}
		claimed, status, err := a.Store.ClaimDigest(ctx, q, m.email, matches)
		if err != nil {
			return rep, err
		}
		if !claimed {
			if status == store.DigestSkipped {
				rep.Skipped[store.SkipUnsubscribed]++
				progress.Skipped++
				a.Metrics.Digests.WithLabelValues("skipped").Inc()
			}
			report()
			continue
		}
		// A run asked to stop lets the email on its way finish (the mailer
		// bounds each exchange with the server), so that it knows its fate.
		sendErr := opt.Sender.Send(context.WithoutCancel(ctx), msg)
		a.countMail(sendErr)
		outcome := ""
		if sendErr != nil {
			outcome = clip(sendErr.Error(), 500)
			rep.Failed++
			progress.Failed++
			rep.Failures = append(rep.Failures, DigestFailure{Email: m.email, Error: outcome})
			a.Log.Warn("digest not sent", "quarter", q, "err", sendErr)
			a.Metrics.Digests.WithLabelValues("failed").Inc()
		} else {
			rep.Sent++
			progress.Sent++
			a.Metrics.Digests.WithLabelValues("sent").Inc()
		}
		if err := a.Store.FinishDigest(context.WithoutCancel(ctx), q, m.email, outcome); err != nil {
			return rep, err
		}
		report()
	}
	return rep, nil
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
		case st == store.DigestSent:
			rep.AlreadySent++
		case (st == store.DigestUnknown || st == store.DigestSending) && !opt.ResendUnknown:
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
					rep.Skipped[store.SkipNoNewMatches]++
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

// errNoNewMatches says that a digest has no partner left to show (they
// were deleted or paused since the plan).
var errNoNewMatches = errors.New("no new matches")

// digestPage is what the digest templates render.
type digestPage struct {
	Subject   string
	Preheader string
	Quarter   match.Quarter
	Name      string
	Intro     string
	NoteLines []string
	Matches   []digestMatchView
	Posts     []digestPostView
	MorePosts int
	// Links: live in emails and on the online page; "#" in a host's
	// preview, so that nobody acts for the member by accident.
	ViewLink, UnsubscribeLink, HomeLink string
	Preview                             bool // a host's preview
	Online                              bool // the online page: no "view online" link
}

type digestMatchView struct {
	N                               int // 1, 2, …
	Business, Website, WebsiteLabel string
	Offer, Seek                     string
	ForPost                         string // which of the member's posts, when they have several
	Reasons                         []string
	RequestLink                     string
}

type digestPostView struct {
	Business, Offer, Quarter, Status, StatusNote string
}

// Lengths in characters beyond which a digest shortens members' texts; the
// online page shows them whole.
const (
	digestTextLimit = 400
	digestNameLimit = 120
)

type digestMode int

const (
	digestEmail   digestMode = iota // live links
	digestOnline                    // the page a "view online" link opens
	digestPreview                   // the host's preview: links do nothing
)

// digestEmail renders a member's digest as an email with its headers, and
// the partners it shows. It returns errNoNewMatches when no partner is
// left to show.
func (a *App) digestEmail(ctx context.Context, q match.Quarter, m *digestMember, note string) (mail.Message, []store.DigestMatch, error) {
	page, shown, err := a.digestPage(q, m, note, digestEmail)
	if err != nil {
		return mail.Message{}, nil, err
	}
	msg, err := email("digest", m.email, page.Subject, page)
	if err != nil {
		return mail.Message{}, nil, err
	}
	msg.Headers = map[string]string{
		// RFC 2369 and RFC 8058: mail clients show an unsubscribe button
		// that POSTs to this address, with no page in between.
		"List-Unsubscribe":      "<" + a.link("/unsubscribe", a.signLink(linkUnsubscribe, m.email)) + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id":               "Matchmaker quarterly digest <digest." + a.linkHost() + ">",
	}
	return msg, shown, nil
}

// digestPage gathers what a digest shows: each planned partner as the
// engine holds it now, with the reasons written to this member. Partners
// deleted or no longer active since the plan are left out.
func (a *App) digestPage(q match.Quarter, m *digestMember, note string, mode digestMode) (digestPage, []store.DigestMatch, error) {
	page := digestPage{Subject: "Your top partner matches for " + string(q), Quarter: q,
		Preview: mode == digestPreview, Online: mode == digestOnline}
	live := func(path, token string) string {
		if mode == digestPreview {
			return "#"
		}
		return a.link(path, token)
	}
	own := map[int64]match.Post{}
	for _, p := range m.posts {
		own[p.ID] = p
	}
	var shown []store.DigestMatch
	engine := a.matching.loaded() // loaded to plan m.matches
	for _, pm := range m.matches {
		x, err := engine.Explain(pm.post, pm.partner)
		if errors.Is(err, match.ErrNotFound) {
			continue
		}
		if err != nil {
			return page, nil, err
		}
		p := x.Post
		if p.Status != match.StatusActive {
			continue
		}
		limit := digestTextLimit
		if mode == digestOnline {
			limit = 1 << 20
		}
		v := digestMatchView{N: len(page.Matches) + 1, Business: clip(p.Business, digestNameLimit), Website: p.Website, WebsiteLabel: websiteLabel(p.Website),
			Offer: clip(oneLine(p.Offer), limit), Seek: clip(oneLine(p.Seek), limit), Reasons: x.Reasons,
			RequestLink: live("/digest/request", a.requestToken(q, m.email, pm.post, pm.partner))}
		if len(m.active) > 1 {
			v.ForPost = clip(oneLine(own[pm.post].Offer), 80)
		}
		page.Matches = append(page.Matches, v)
		shown = append(shown, store.DigestMatch{Post: pm.post, Partner: pm.partner})
	}
	if len(page.Matches) == 0 && mode != digestOnline {
		return page, nil, errNoNewMatches
	}
	if len(m.active) > 0 {
		page.Name = clip(m.active[0].Business, digestNameLimit)
	} else if len(m.posts) > 0 {
		page.Name = clip(m.posts[0].Business, digestNameLimit)
	}
	var names []string
	for _, v := range page.Matches {
		names = append(names, v.Business)
	}
	switch n := len(page.Matches); n {
	case 0:
		page.Intro = "The partners of this digest are no longer listed."
	case 1:
		page.Intro = "Here is a business, new to you, that could be a good partner in " + string(q) + "."
		page.Preheader = "A new partner for " + page.Name + ": " + names[0]
	default:
		page.Intro = fmt.Sprintf("Here are %d businesses, new to you, that could be good partners in %s.", n, q)
		page.Preheader = fmt.Sprintf("%d new partners for %s: %s and %s", n, page.Name,
			strings.Join(names[:n-1], ", "), names[n-1])
	}
	page.Preheader = clip(page.Preheader, 140)
	if note != "" {
		page.NoteLines = strings.Split(note, "\n")
	}
	for i, p := range m.posts {
		if i == 10 {
			page.MorePosts = len(m.posts) - i
			break
		}
		page.Posts = append(page.Posts, digestPostView{Business: clip(p.Business, digestNameLimit), Offer: clip(oneLine(p.Offer), 80),
			Quarter: string(p.Quarter), Status: string(p.Status), StatusNote: postStatusNote(p.Status)})
	}
	page.ViewLink = live("/digest", a.signLink(linkView, string(q), m.email))
	page.UnsubscribeLink = live("/unsubscribe", a.signLink(linkUnsubscribe, m.email))
	page.HomeLink = a.baseURL + "/"
	return page, shown, nil
}

func postStatusNote(s match.Status) string {
	switch s {
	case match.StatusActive:
		return "live: we suggest partners for it"
	case match.StatusPaused:
		return "paused: it gets no partners until you resume it"
	case match.StatusHidden:
		return "hidden by the host"
	case match.StatusPending:
		return "waiting for you to confirm it, from the email we sent"
	}
	return ""
}

// clip shortens s to at most n characters (not bytes), at a word boundary
// when there is one not too far back, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	cut := string(r[:n-1])
	if i := strings.LastIndexAny(cut, " \t\n"); i > len(cut)*2/3 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \t\n,.;:-") + "…"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func websiteLabel(site string) string {
	if u, err := url.Parse(site); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.") + strings.TrimRight(u.EscapedPath(), "/")
	}
	return site
}

// linkHost is the host name members reach the service at.
func (a *App) linkHost() string {
	if u, err := url.Parse(a.baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// PreviewDigest renders the digest the address would get for the quarter,
// as HTML (or as its plain-text part), with links that do nothing. When the
// address got its digest already, it shows that one. It returns ENOTFOUND
// when the address would get no digest, saying why.
func (a *App) PreviewDigest(ctx context.Context, q match.Quarter, email string, perMember int, text bool) (string, error) {
	opt, err := a.digestOptions(q, DigestOptions{PerMember: perMember})
	if err != nil {
		return "", err
	}
	m, err := a.recordedOrPlanned(ctx, q, strings.ToLower(strings.TrimSpace(email)), opt.PerMember)
	if err != nil {
		return "", err
	}
	switch m.skip {
	case store.SkipUnsubscribed:
		return "", match.Errorf(match.ENOTFOUND, "this address unsubscribed from digests: it gets none")
	case store.SkipNoNewMatches:
		return "", match.Errorf(match.ENOTFOUND, "no partner is new to this address in %s: it gets no digest", q)
	}
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return "", err
	}
	page, _, err := a.digestPage(q, m, d.Note, digestPreview)
	if errors.Is(err, errNoNewMatches) {
		return "", match.Errorf(match.ENOTFOUND, "no partner is new to this address in %s: it gets no digest", q)
	}
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if text {
		err = textEmails.ExecuteTemplate(&buf, "digest.txt", page)
	} else {
		err = htmlEmails.ExecuteTemplate(&buf, "digest.html", page)
	}
	return buf.String(), err
}

// recordedOrPlanned returns the address's digest for the quarter: the
// partners it was sent (or was being sent), or else those a run would pick
// now.
func (a *App) recordedOrPlanned(ctx context.Context, q match.Quarter, email string, perMember int) (*digestMember, error) {
	r, err := a.Store.DigestRecipient(ctx, q, email)
	if err != nil && !errors.Is(err, match.ErrNotFound) {
		return nil, err
	}
	if err == nil && (r.Status == store.DigestSent || r.Status == store.DigestUnknown || r.Status == store.DigestSending) {
		posts, err := a.Store.PostsOf(ctx, email)
		if err != nil {
			return nil, err
		}
		m := newDigestMember(email, posts, q)
		for _, x := range r.Matches {
			m.matches = append(m.matches, plannedMatch{post: x.Post, partner: x.Partner})
		}
		return m, nil
	}
	return a.planOne(ctx, q, email, perMember)
}

// Digest links are signed, not stored: an HMAC under the database's signing
// key of what the link says, checked in constant time. "u" unsubscribes an
// address (and keeps working: RFC 8058 wants that), "v" shows an address's
// digest for a quarter, "r" asks for an introduction to one partner and
// works once, until the end of the quarter after the digest's.
const (
	prefixDigestLink = "mmd_"
	linkUnsubscribe  = "u"
	linkView         = "v"
	linkRequest      = "r"
)

func (a *App) linkMAC(payload string) []byte {
	mac := hmac.New(sha256.New, a.signingKey)
	mac.Write([]byte("digest-link\x00" + payload))
	return mac.Sum(nil)
}

// signLink returns a token saying fields (the first is the link's kind).
func (a *App) signLink(fields ...string) string {
	payload := strings.Join(fields, "\x00")
	return prefixDigestLink + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(a.linkMAC(payload))
}

var errBadLink = match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")

// openLink checks a token's signature and kind and returns its fields
// (kind first), or ENOTFOUND.
func (a *App) openLink(token, kind string, n int) ([]string, error) {
	rest, ok := strings.CutPrefix(token, prefixDigestLink)
	if !ok {
		return nil, errBadLink
	}
	p, s, ok := strings.Cut(rest, ".")
	if !ok {
		return nil, errBadLink
	}
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(p)
	sig, err2 := base64.RawURLEncoding.Strict().DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, a.linkMAC(string(payload))) {
		return nil, errBadLink
	}
	fields := strings.Split(string(payload), "\x00")
	if len(fields) != n || fields[0] != kind {
		return nil, errBadLink
	}
	return fields, nil
}

// requestToken is the single-use link asking for an introduction of a
// member's post to a partner's, from the quarter's digest.
func (a *App) requestToken(q match.Quarter, email string, post, partner int64) string {
	expires := q.Next().Next().Start().Unix()
	return a.signLink(linkRequest, string(q), email, strconv.FormatInt(post, 10), strconv.FormatInt(partner, 10), strconv.FormatInt(expires, 10))
}

// digestRequest is what a request link says.
type digestRequest struct {
	quarter      match.Quarter
	me, partner  match.Post
	spentKey     string // the link's identity among spent links
	email        string
	postID, with int64
}

// openRequest checks a request link: signed, not expired, not spent, its
// post still at the address it was sent to, the partner still listed. It
// returns ENOTFOUND otherwise.
func (a *App) openRequest(ctx context.Context, token string) (digestRequest, error) {
	f, err := a.openLink(token, linkRequest, 6)
	if err != nil {
		return digestRequest{}, err
	}
	r := digestRequest{quarter: match.Quarter(f[1]), email: f[2]}
	var perr [3]error
	r.postID, perr[0] = strconv.ParseInt(f[3], 10, 64)
	r.with, perr[1] = strconv.ParseInt(f[4], 10, 64)
	expires, err := strconv.ParseInt(f[5], 10, 64)
	perr[2] = err
	if errors.Join(perr[:]...) != nil || !a.Store.Now().Before(time.Unix(expires, 0)) {
		return digestRequest{}, errBadLink
	}
	r.spentKey = auth.Hash("digest-request\x00" + strings.Join(f, "\x00"))
	spent, err := a.Store.IsLinkSpent(ctx, r.spentKey)
	if err != nil {
		return digestRequest{}, err
	}
	posts, err := a.Store.PostsByID(ctx, []int64{r.postID, r.with})
	if err != nil {
		return digestRequest{}, err
	}
	var ok1, ok2 bool
	r.me, ok1 = posts[r.postID]
	r.partner, ok2 = posts[r.with]
	if spent || !ok1 || !ok2 || r.me.Email != r.email || r.partner.Status != match.StatusActive {
		return digestRequest{}, errBadLink
	}
	return r, nil
}

// DigestRequestForLink returns, without spending the link, the member's
// post and the partner an introduction-request link is about, or
// ENOTFOUND.
func (a *App) DigestRequestForLink(ctx context.Context, token string) (me, partner match.Post, err error) {
	r, err := a.openRequest(ctx, token)
	return r.me, r.partner, err
}

// RequestByLink records, by a digest's single-use link, that the member
// wants an introduction to the partner (yes) or is not interested (no).
// It returns ENOTFOUND for a bad or spent link and ECONFLICT for a pair
// introduced already.
func (a *App) RequestByLink(ctx context.Context, token string, yes bool) (store.Interest, error) {
	r, err := a.openRequest(ctx, token)
	if err != nil {
		return store.Interest{}, err
	}
	interest := store.InterestNo
	if yes {
		interest = store.InterestYes
	}
	return a.recordInterest(ctx, r.me, r.partner, interest, "", r.spentKey, max(match.QuarterOf(a.Store.Now()), r.quarter))
}

// FeedbackByLink records, by a digest's request link, that the partner it
// names is not a fit, for the reason given (a competitor, not relevant):
// the pair leaves the member's matches and digests, and the matcher
// learns from it. The link stays usable: an answer can be changed. It
// returns ENOTFOUND for a bad link, EINVALID for another reason.
func (a *App) FeedbackByLink(ctx context.Context, token string, reason match.Reason) (store.Feedback, error) {
	if reason != match.ReasonCompetitor && reason != match.ReasonNotRelevant {
		return store.Feedback{}, match.Invalid("some fields are not valid", map[string]string{"answer": "must be yes, no, competitor or not_relevant"})
	}
	r, err := a.openRequest(ctx, token)
	if err != nil {
		return store.Feedback{}, err
	}
	return a.RecordFeedback(ctx, r.me, r.partner.ID, FeedbackInput{Verdict: match.NotAFit, Reason: reason, Source: store.FeedbackFromDigest})
}

// RecordInterest records what the owner of post me (as the caller read it,
// checking who may act for it) thinks of a partner:
// store.InterestYes asks the host for an introduction (the pair goes to
// the round of the current quarter, or of the post's quarter when that is
// later), store.InterestNo means not interested (the pair is never
// suggested again). It returns ENOTFOUND for a partner that is not listed, EINVALID for a pair that cannot be
// introduced, and ECONFLICT for a yes to a pair introduced already.
func (a *App) RecordInterest(ctx context.Context, me match.Post, partnerID int64, interest, note string) (store.Interest, error) {
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	fields := map[string]string{}
	if interest != store.InterestYes && interest != store.InterestNo {
		fields["interest"] = "must be yes or no"
	}
	if len([]rune(note)) > maxInterestNote || !match.IsCleanText(note) {
		fields["note"] = fmt.Sprintf("must be plain text of at most %d characters", maxInterestNote)
	}
	if len(fields) > 0 {
		return store.Interest{}, match.Invalid("some fields are not valid", fields)
	}
	posts, err := a.Store.PostsByID(ctx, []int64{partnerID})
	if err != nil {
		return store.Interest{}, err
	}
	partner, ok := posts[partnerID]
	// Members know partners by their matches: active posts, or paused
	// ones they were shown before (a no is still worth keeping).
	listed := partner.Status == match.StatusActive || (interest == store.InterestNo && partner.Status == match.StatusPaused)
	if !ok || !listed {
		return store.Interest{}, match.Errorf(match.ENOTFOUND, "post %d not found", partnerID)
	}
	return a.recordInterest(ctx, me, partner, interest, note, "", max(match.QuarterOf(a.Store.Now()), me.Quarter))
}

func (a *App) recordInterest(ctx context.Context, me, partner match.Post, interest, note, linkHash string, quarter match.Quarter) (store.Interest, error) {
	if me.ID == partner.ID || match.SameBusiness(me, partner) {
		return store.Interest{}, match.Invalid("a post cannot be paired with its own business", map[string]string{"partner": "is the same business"})
	}
	in := store.Interest{PostID: me.ID, PartnerID: partner.ID, Interest: interest, Note: note}
	eff := store.InterestEffect{LinkHash: linkHash}
	switch interest {
	case store.InterestYes:
		if me.Status != match.StatusActive {
			return store.Interest{}, match.Invalid("only an active post can ask for introductions", map[string]string{"post": "is not active: resume it first"})
		}
		if err := pairable(me, partner); err != nil {
			return store.Interest{}, err
		}
		engine, err := a.matcher(ctx)
		if err != nil {
			return store.Interest{}, err
		}
		s, err := suggestion(engine, me.ID, partner.ID)
		if err != nil {
			return store.Interest{}, err
		}
		s.Note = "Requested by " + me.Business
		if note != "" {
			s.Note += ": " + oneLine(note)
		}
		eff.Request, eff.Quarter = &s, quarter
	case store.InterestNo:
		eff.Declined = me.Business + " is not interested"
	}
	return a.Store.RecordInterest(ctx, in, eff)
}

// DigestOnline renders, for the page a digest's "view online" link opens,
// the address's digest for the quarter: the partners it was sent, with
// their texts whole and live links. It returns ENOTFOUND for a bad link.
func (a *App) DigestOnline(ctx context.Context, token string) (string, error) {
	f, err := a.openLink(token, linkView, 3)
	if err != nil {
		return "", err
	}
	q, address := match.Quarter(f[1]), f[2]
	opt, err := a.digestOptions(q, DigestOptions{})
	if err != nil {
		return "", errBadLink
	}
	m, err := a.recordedOrPlanned(ctx, q, address, opt.PerMember)
	if errors.Is(err, match.ErrNotFound) {
		m, err = &digestMember{email: address}, nil // no active post any more: an empty digest
	}
	if err != nil {
		return "", err
	}
	d, err := a.Store.Digest(ctx, q)
	if err != nil {
		return "", err
	}
	page, _, err := a.digestPage(q, m, d.Note, digestOnline)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	err = htmlEmails.ExecuteTemplate(&buf, "digest.html", page)
	return buf.String(), err
}

// CheckUnsubscribeLink returns ENOTFOUND unless token is a valid
// unsubscribe link.
func (a *App) CheckUnsubscribeLink(token string) error {
	_, err := a.openLink(token, linkUnsubscribe, 2)
	return err
}

// UnsubscribeByLink stops the digests to the address of an unsubscribe
// link, or with resubscribe set starts them again. It returns ENOTFOUND
// for a bad link.
func (a *App) UnsubscribeByLink(ctx context.Context, token string, resubscribe bool) error {
	f, err := a.openLink(token, linkUnsubscribe, 2)
	if err != nil {
		return err
	}
	if resubscribe {
		return a.Store.Resubscribe(ctx, f[1])
	}
	return a.Store.Unsubscribe(ctx, f[1])
}
