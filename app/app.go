// Package app opens a Matchmaker data folder and offers the operations that
// span the database and the search index, so that the API and the command
// line do them one way: validate, write to SQLite, bring the index in line.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/metrics"
	"github.com/matchmaker/matchmaker/store"
)

// Names in the data folder.
const (
	dbFile   = "matchmaker.db"
	indexDir = "index.bleve"
	// outboxDir holds emails written out when no SMTP server is set.
	outboxDir = "outbox"
)

// Config says where the data lives and how the host authenticates.
type Config struct {
	DataDir string
	// HostToken, when set, is the host's token; otherwise one is generated
	// on first start and written once to DataDir/host-token.
	HostToken string
	// Weights tune the matching engine; zero means match.DefaultWeights.
	Weights *match.Weights
	// EngineWait is how long what a person waits for (a post's matches, a
	// suggestion by hand) waits for the matching engine to load before
	// it is told to try again (EUNAVAILABLE); 0 waits as long as the
	// context lasts, as a command should. The engine loads on first need,
	// or when StartEngine is called.
	EngineWait time.Duration
	// Mail says where email goes; by default each message is written to
	// DataDir/outbox as an .eml file.
	Mail mail.Config
	// BaseURL is the address members reach the service at, for the links
	// in emails, e.g. https://partners.example.org.
	BaseURL string
	// IntroductionTTL is how long members have to answer an introduction
	// (default DefaultIntroductionTTL).
	IntroductionTTL time.Duration
	// StrategicLimit is how many active strategic partnerships a business
	// may hold before the API warns (default DefaultStrategicLimit).
	StrategicLimit int
	Log            *slog.Logger
}

// App is an open data folder.
type App struct {
	// Store is the database, as the app's use cases need it.
	Store domain.Store
	// db is the same database as a SQLite file, for what is particular to
	// one: its size on disk.
	db    *store.DB
	Index *index.Index
	Log   *slog.Logger
	// Metrics are the data folder's Prometheus metrics.
	Metrics *metrics.Metrics
	// salts is the day's salt for tracking-link visitors.
	salts clickSalts

	engineMu  sync.Mutex // serialises catch-up of the index and the engine
	engineSeq int64      // last change applied to the engine, guarded by engineMu
	matching  *matching  // the matching engine, loaded on first need
	// engineWait is Config.EngineWait.
	engineWait time.Duration

	dataDir       string
	lock          *os.File
	closeOnce     sync.Once
	closeErr      error
	hostTokenHash string
	// HostTokenFile is where a generated host token was written ("" when
	// the token came from the configuration).
	HostTokenFile string

	mailer          mail.Sender
	introductionTTL time.Duration
	strategicLimit  int
	baseURL         string
	signingKey      []byte         // HMAC key for CSRF tokens and signed links
	tasks           sync.WaitGroup // background work Close waits for
	sender          mailSender     // delivers the outbox (see outbox.go)
	digests         *digestRunner  // digest runs going on
	rounds          *roundJobs     // the round being computed
	// stop ends background work that would hold Close up: a round's
	// computation, the engine's loading.
	stop     context.Context
	stopNow  context.CancelFunc
	learning learner // what the matcher learned from answers
}

// Open locks the data folder (creating it if needed), opens the database and
// the index and brings the index in line with the database. It returns an
// error wrapping ErrDataInUse if another process has the folder open.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := keepPrivate(cfg.DataDir); err != nil {
		lock.Close()
		return nil, err
	}
	a := &App{Log: cfg.Log, dataDir: cfg.DataDir, lock: lock, Metrics: metrics.New(), digests: newDigestRunner(), rounds: &roundJobs{}}
	a.stop, a.stopNow = context.WithCancel(context.Background())
	if a.db, err = store.Open(ctx, filepath.Join(cfg.DataDir, dbFile)); err != nil {
		a.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	a.Store = a.db
	if a.Index, err = index.Open(ctx, filepath.Join(cfg.DataDir, indexDir), a.Store, cfg.Log); err != nil {
		a.Close()
		return nil, fmt.Errorf("open search index: %w", err)
	}
	weights := match.DefaultWeights()
	if cfg.Weights != nil {
		weights = *cfg.Weights
	}
	if err := weights.Validate(); err != nil {
		a.Close()
		return nil, fmt.Errorf("matching weights: %w", err)
	}
	a.matching = newMatching(weights)
	a.engineWait = cfg.EngineWait
	if err := a.setUpHostToken(ctx, cfg.HostToken); err != nil {
		a.Close()
		return nil, err
	}
	if a.signingKey, err = a.Store.SigningKey(ctx); err != nil {
		a.Close()
		return nil, err
	}
	if cfg.Mail.OutboxDir == "" {
		cfg.Mail.OutboxDir = filepath.Join(cfg.DataDir, outboxDir)
	}
	if cfg.Mail.From == "" {
		cfg.Mail.From = "Matchmaker <matchmaker@localhost>"
	}
	if a.mailer, err = mail.New(cfg.Mail); err != nil {
		a.Close()
		return nil, fmt.Errorf("mail: %w", err)
	}
	a.watchSizes()
	a.watchOutbox()
	a.startMail()
	a.introductionTTL = cfg.IntroductionTTL
	if a.introductionTTL <= 0 {
		a.introductionTTL = DefaultIntroductionTTL
	}
	a.strategicLimit = cfg.StrategicLimit
	if a.strategicLimit <= 0 {
		a.strategicLimit = DefaultStrategicLimit
	}
	// Without a trailing slash, once: every link is baseURL + "/path".
	a.baseURL = strings.TrimRight(cfg.BaseURL, "/")
	if a.baseURL == "" {
		a.baseURL = "http://127.0.0.1:8080"
	}
	return a, nil
}

// WaitBackground waits until background work started so far is done, and
// the mail it queued delivered (or tried).
func (a *App) WaitBackground() {
	a.tasks.Wait()
	a.FlushMail(context.Background())
}

// Mailer returns where the app's email goes: the outbox or SMTP.
func (a *App) Mailer() mail.Sender { return a.mailer }

// countMail counts an email sent, or failed, in the metrics.
func (a *App) countMail(err error) {
	outcome := "sent"
	if err != nil {
		outcome = "failed"
	}
	a.Metrics.Mail.WithLabelValues(outcome).Inc()
}

// watchSizes reports the database's and the index's sizes on disk at each
// scrape of the metrics.
func (a *App) watchSizes() {
	a.Metrics.Size("matchmaker_database_bytes", "Size of the SQLite database with its write-ahead log.", func() float64 {
		return float64(fileSize(a.db.Path()) + fileSize(a.db.Path()+"-wal"))
	})
	a.Metrics.Size("matchmaker_index_bytes", "Size of the Bleve search index.", func() float64 {
		var n int64
		filepath.WalkDir(filepath.Join(a.dataDir, indexDir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n += fileSize(path)
			}
			return nil
		})
		return float64(n)
	})
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// background runs work that outlives the request asking for it, such as
// sending mail; Close waits for it.
func (a *App) background(work func(ctx context.Context)) {
	a.tasks.Add(1)
	go func() {
		defer a.tasks.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		work(ctx)
	}()
}

// catchUp applies to the search index and the matching engine the
// changes they have not seen: one reader of the change log feeds both,
// each skipping what it holds already (the index may be ahead of the
// engine, which starts from a snapshot). The engine's idf table is
// refreshed once at the end, so catching up is linear in the changes.
func (a *App) catchUp(ctx context.Context) error {
	a.engineMu.Lock()
	defer a.engineMu.Unlock()
	engine := a.matching.loaded()
	if engine == nil {
		// Not loaded yet: it will read every post when it loads.
		return a.Index.CatchUp(ctx, a.Store)
	}
	var err, indexErr error
	batches := func(yield func([]match.Post, []int64) bool) {
		err = a.Store.FollowChanges(ctx, min(a.engineSeq, a.Index.AppliedSeq()), func(changes []match.PostChange) error {
			// A failing index does not hold matching back: it stays
			// behind, and the next catch-up offers it these changes again.
			if err := a.Index.Apply(changes); err != nil && indexErr == nil {
				indexErr = fmt.Errorf("search index: %w", err)
			}
			upserts, removals := a.engineChanges(changes)
			if !yield(upserts, removals) {
				return errStopped
			}
			a.engineSeq = max(a.engineSeq, changes[len(changes)-1].Seq)
			return nil
		})
	}
	engine.ApplyAll(batches)
	return errors.Join(err, indexErr)
}

// errStopped ends a walk of the change log its consumer stopped.
var errStopped = errors.New("stopped")

// engineChanges turns changes the engine has not seen into what it
// applies: a post's last change in the batch carries its current state.
func (a *App) engineChanges(changes []match.PostChange) (upserts []match.Post, removals []int64) {
	latest := map[int64]*match.Post{}
	for _, c := range changes {
		if c.Seq > a.engineSeq {
			latest[c.PostID] = c.Post
		}
	}
	for id, p := range latest {
		if p == nil {
			removals = append(removals, id)
		} else {
			upserts = append(upserts, *p)
		}
	}
	return upserts, removals
}

// Close closes the index, the database and releases the folder. Calls
// after the first return the first call's result.
func (a *App) Close() error {
	a.closeOnce.Do(func() { a.closeErr = a.close() })
	return a.closeErr
}

func (a *App) close() error {
	// A digest run stops between two recipients; it would otherwise hold
	// Close up until every member got theirs.
	a.StopDigests()
	// A round being computed stops too (it is run again at the next
	// start), and so does the engine's loading.
	a.stopNow()
	a.tasks.Wait()
	a.sender.loop.Wait()
	var errs []error
	if a.Index != nil {
		errs = append(errs, a.Index.Close())
	}
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	if a.lock != nil {
		errs = append(errs, a.lock.Close())
	}
	return errors.Join(errs...)
}

// DataDir returns the data folder.
func (a *App) DataDir() string { return a.dataDir }

const settingHostTokenHash = "host_token_hash"

// setUpHostToken remembers the hash of the configured host token or, when
// none is configured, of the one generated on first start. Only the hash is
// kept; the generated token is written once to a 0600 file for the host.
func (a *App) setUpHostToken(ctx context.Context, configured string) error {
	if configured != "" {
		a.hostTokenHash = auth.Hash(configured)
		return nil
	}
	hash, err := a.Store.Setting(ctx, settingHostTokenHash)
	if err == nil {
		a.hostTokenHash = hash
		if path := filepath.Join(a.dataDir, "host-token"); fileExists(path) {
			a.HostTokenFile = path
		}
		return nil
	}
	if !errors.Is(err, match.ErrNotFound) {
		return err
	}
	return a.RotateHostToken(ctx)
}

// RotateHostToken generates a new host token, stores its hash and writes the
// token to DataDir/host-token (mode 0600). The old token stops working.
func (a *App) RotateHostToken(ctx context.Context) error {
	token := auth.NewToken("mmh_")
	path := filepath.Join(a.dataDir, "host-token")
	// Write the file first: a crash in between leaves a token nobody can
	// use rather than a hash nobody knows the token of.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(token+"\n"), 0o600); err != nil {
		return fmt.Errorf("write host token: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if err := a.Store.SetSetting(ctx, settingHostTokenHash, auth.Hash(token)); err != nil {
		return err
	}
	a.hostTokenHash = auth.Hash(token)
	a.HostTokenFile = path
	return nil
}

// IsHost reports whether token is the host's token (in constant time).
func (a *App) IsHost(token string) bool { return auth.Matches(token, a.hostTokenHash) }

// Health returns an error if the database or the index cannot be used.
func (a *App) Health(ctx context.Context) error {
	if err := a.Store.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if _, err := a.Index.DocCount(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// syncDerived brings the search index and the matching engine in line
// after a committed write, so that the post is found by search and by
// matching as soon as the write returns. The write has succeeded whatever
// happens here: on failure the change stays in the log and the next write,
// or the next start, applies it.
func (a *App) syncDerived(ctx context.Context) {
	if err := a.catchUp(context.WithoutCancel(ctx)); err != nil {
		a.Log.Error("search index or matching engine is behind the database", "err", err)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Maintain runs background upkeep until ctx ends: it moves introductions
// along (reminders, expiry, follow-ups), forgets idempotency keys a day
// old and prunes the database's change log of what the search index holds
// durably.
func (a *App) Maintain(ctx context.Context) {
	tick := time.NewTicker(5 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := a.ProcessIntroductions(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("process introductions", "err", err)
			}
			if err := a.SendWeeklyNotices(ctx); err != nil && ctx.Err() == nil {
				a.Log.Error("send weekly notices", "err", err)
			}
			if _, err := a.Store.PruneKeyedWrites(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("prune idempotency keys", "err", err)
			}
			// Forget only what both the index (durably) and the engine hold.
			a.engineMu.Lock()
			seq := min(a.Index.PrunableSeq(), a.engineSeq)
			a.engineMu.Unlock()
			if seq == 0 {
				continue
			}
			if err := a.Store.PruneChanges(ctx, seq); err != nil && ctx.Err() == nil {
				a.Log.Warn("prune change log", "err", err)
			}
		}
	}
}

// Clock returns the clock the database's timestamps and the app's dates
// come from.
func (a *App) Clock() func() time.Time { return a.db.Clock() }

// SetClock replaces that clock: tests move time with it.
func (a *App) SetClock(now func() time.Time) { a.db.SetClock(now) }
