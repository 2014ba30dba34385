package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/matchmaker/matchmaker/api"
	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/mail"
)

// serveConfig is everything serve needs, from flags and environment.
type serveConfig struct {
	Addr           string
	DataDir        string
	ImportLimitMB  int64
	LogFormat      string
	HostToken      string
	WeightsFile    string
	BaseURL        string
	SMTPURL        string
	MailFrom       string
	TrustProxy     bool
	SecureCookies  bool
	IntroDays      int
	StrategicLimit int
	MetricsAddr    string
	DigestMatches  int
	DigestRate     float64
}

// engineWait is how long a request waits for the matching engine to load
// before it is answered 503 with Retry-After.
const engineWait = 5 * time.Second

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("serve", "matchmaker serve [--addr HOST:PORT] [--data DIR]", stderr)
	cfg := serveConfig{HostToken: os.Getenv("MATCHMAKER_HOST_TOKEN")}
	fs.StringVar(&cfg.Addr, "addr", cli.EnvOr("MATCHMAKER_ADDR", "127.0.0.1:8080"), "address to listen on (env MATCHMAKER_ADDR)")
	data := cli.DataFlag(fs)
	importLimit, _ := strconv.ParseInt(cli.EnvOr("MATCHMAKER_IMPORT_LIMIT_MB", "64"), 10, 64)
	fs.Int64Var(&cfg.ImportLimitMB, "import-limit-mb", importLimit, "largest import upload in MiB (env MATCHMAKER_IMPORT_LIMIT_MB)")
	fs.StringVar(&cfg.LogFormat, "log-format", cli.EnvOr("MATCHMAKER_LOG_FORMAT", "text"), "log format: text or json")
	weights := cli.WeightsFlag(fs)
	fs.StringVar(&cfg.BaseURL, "base-url", os.Getenv("MATCHMAKER_BASE_URL"),
		"address members reach the service at, for links in emails (env MATCHMAKER_BASE_URL; default http://ADDR)")
	fs.StringVar(&cfg.MailFrom, "mail-from", cli.EnvOr("MATCHMAKER_MAIL_FROM", "Matchmaker <matchmaker@localhost>"), "sender of emails (env MATCHMAKER_MAIL_FROM)")
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", os.Getenv("MATCHMAKER_TRUST_PROXY") == "true",
		"take client IPs from X-Forwarded-For, behind a reverse proxy (env MATCHMAKER_TRUST_PROXY=true)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", os.Getenv("MATCHMAKER_SECURE_COOKIES") == "true",
		"mark session cookies Secure, behind a TLS-terminating proxy (env MATCHMAKER_SECURE_COOKIES=true)")
	introDays, err := cli.EnvInt("MATCHMAKER_INTRODUCTION_DAYS", 14)
	if err != nil {
		return err
	}
	fs.IntVar(&cfg.IntroDays, "introduction-days", introDays, "days members have to answer an introduction (env MATCHMAKER_INTRODUCTION_DAYS)")
	strategicLimit, err := cli.EnvInt("MATCHMAKER_STRATEGIC_LIMIT", app.DefaultStrategicLimit)
	if err != nil {
		return err
	}
	fs.IntVar(&cfg.StrategicLimit, "strategic-limit", strategicLimit,
		"active strategic partnerships a business may hold before the API warns (env MATCHMAKER_STRATEGIC_LIMIT)")
	if cfg.DigestMatches, err = cli.EnvInt("MATCHMAKER_DIGEST_MATCHES", app.DefaultDigestMatches); err != nil {
		return err
	}
	fs.IntVar(&cfg.DigestMatches, "digest-matches", cfg.DigestMatches, fmt.Sprintf("partners per digest sent from the host console, 1 to %d (env MATCHMAKER_DIGEST_MATCHES)", app.MaxDigestMatches))
	if cfg.DigestRate, err = cli.EnvFloat("MATCHMAKER_DIGEST_RATE", app.DefaultDigestRate); err != nil {
		return err
	}
	fs.Float64Var(&cfg.DigestRate, "digest-rate", cfg.DigestRate, "digests per second through SMTP, 0 for no limit (env MATCHMAKER_DIGEST_RATE)")
	fs.StringVar(&cfg.MetricsAddr, "metrics-addr", os.Getenv("MATCHMAKER_METRICS_ADDR"),
		"also serve /metrics without a token on this address, for a scraper on a private network (env MATCHMAKER_METRICS_ADDR; /metrics on --addr needs the host token)")
	// The SMTP URL holds a password: environment only, never a flag that
	// shows in the process list.
	cfg.SMTPURL = os.Getenv("MATCHMAKER_SMTP_URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.DataDir, cfg.WeightsFile = *data, *weights
	return serve(ctx, cfg, stdout, stderr)
}

func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer) error {
	log, err := cli.NewLogger(stderr, cfg.LogFormat)
	if err != nil {
		return err
	}
	if cfg.ImportLimitMB <= 0 {
		return errors.New("--import-limit-mb must be positive")
	}
	if cfg.IntroDays < 1 || cfg.IntroDays > 365 {
		return errors.New("--introduction-days must be from 1 to 365")
	}
	if cfg.StrategicLimit < 1 {
		return errors.New("--strategic-limit must be at least 1")
	}
	if cfg.DigestMatches < 1 || cfg.DigestMatches > app.MaxDigestMatches {
		return fmt.Errorf("--digest-matches must be from 1 to %d", app.MaxDigestMatches)
	}
	if cfg.DigestRate < 0 {
		return errors.New("--digest-rate must be 0 (no limit) or more")
	}
	weights, err := cli.LoadWeights(cfg.WeightsFile)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	a, err := app.Open(ctx, app.Config{DataDir: cfg.DataDir, HostToken: cfg.HostToken, Weights: weights, Log: log,
		BaseURL: cfg.BaseURL, Mail: mail.Config{From: cfg.MailFrom, SMTPURL: cfg.SMTPURL},
		IntroductionTTL: time.Duration(cfg.IntroDays) * 24 * time.Hour, StrategicLimit: cfg.StrategicLimit,
		EngineWait: engineWait})
	if err != nil {
		return err
	}
	defer a.Close()
	// The server answers at once; matching joins in when the engine has
	// read every post (most of a minute for a million). Meanwhile a match
	// request waits a few seconds, then is told to try again (503).
	a.StartEngine()
	if err := a.ConfigureDigests(app.DigestConfig{PerMember: cfg.DigestMatches, Rate: digestRate(cfg.DigestRate)}); err != nil {
		return err
	}
	server, err := api.New(a, api.Config{ImportLimit: cfg.ImportLimitMB << 20, Log: log,
		TrustProxy: cfg.TrustProxy, SecureCookies: cfg.SecureCookies, TrustedOrigins: []string{origin(cfg.BaseURL)}})
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: server.Handler(),
		// A client must send its headers within this; bodies are held to
		// a pace of their own (see api.Handler).
		ReadHeaderTimeout: api.HeaderTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "Matchmaker is running at http://%s/\n", ln.Addr())
	fmt.Fprintf(stdout, "Data folder: %s\n", a.DataDir())
	if outbox, ok := a.Mailer().(*mail.Outbox); ok {
		fmt.Fprintf(stdout, "Email: written to %s (set MATCHMAKER_SMTP_URL to send by SMTP)\n", outbox.Dir)
	} else if smtp, ok := a.Mailer().(*mail.SMTP); ok {
		fmt.Fprintf(stdout, "Email: sent through %s\n", smtp.Server())
	}
	if cfg.HostToken != "" {
		fmt.Fprintln(stdout, "Host token: the one set in MATCHMAKER_HOST_TOKEN")
	} else if a.HostTokenFile != "" {
		fmt.Fprintf(stdout, "Host token: in %s (send it as 'Authorization: Bearer <token>')\n", a.HostTokenFile)
	} else {
		fmt.Fprintln(stdout, "Host token: generated on first start; its file was removed. Run 'matchmaker rotate-host-token' for a new one.")
	}

	if err := a.ResumeRound(ctx); err != nil {
		log.Error("compute again the round a stopped server was computing", "err", err)
	}
	maintainCtx, stopMaintain := context.WithCancel(ctx)
	maintained := make(chan struct{})
	go func() { a.Maintain(maintainCtx); close(maintained) }()
	defer func() { stopMaintain(); <-maintained }()

	served := make(chan error, 2)
	go func() { served <- srv.Serve(ln) }()
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics.Handler())
		// It takes no bodies: the whole request must come within the
		// header timeout.
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: api.HeaderTimeout, ReadTimeout: api.HeaderTimeout}
		defer msrv.Close()
		go func() {
			if err := msrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				served <- err
			}
		}()
		fmt.Fprintf(stdout, "Metrics: http://%s/metrics\n", mln.Addr())
	}
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "err", err)
	}
	stopMaintain()
	<-maintained
	if err := a.Close(); err != nil {
		return err
	}
	log.Info("stopped cleanly")
	return nil
}

// origin is the scheme and host of a base URL ("https://example.org" of
// "https://example.org/community/"): pages served there may post to the
// service even when a proxy hands it another Host.
func origin(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return baseURL // refused, with the reason, by api.New
	}
	return u.Scheme + "://" + u.Host
}
