package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/matchmaker/matchmaker/api"
	"github.com/matchmaker/matchmaker/app"
)

// serveConfig is everything serve needs, from flags and environment.
type serveConfig struct {
	Addr          string
	DataDir       string
	ImportLimitMB int64
	LogFormat     string
	HostToken     string
	WeightsFile   string
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--addr HOST:PORT] [--data DIR]", stderr)
	cfg := serveConfig{HostToken: os.Getenv("MATCHMAKER_HOST_TOKEN")}
	fs.StringVar(&cfg.Addr, "addr", envOr("MATCHMAKER_ADDR", "127.0.0.1:8080"), "address to listen on (env MATCHMAKER_ADDR)")
	data := dataFlag(fs)
	importLimit, _ := strconv.ParseInt(envOr("MATCHMAKER_IMPORT_LIMIT_MB", "64"), 10, 64)
	fs.Int64Var(&cfg.ImportLimitMB, "import-limit-mb", importLimit, "largest import upload in MiB (env MATCHMAKER_IMPORT_LIMIT_MB)")
	fs.StringVar(&cfg.LogFormat, "log-format", envOr("MATCHMAKER_LOG_FORMAT", "text"), "log format: text or json")
	weights := weightsFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.DataDir, cfg.WeightsFile = *data, *weights
	return serve(ctx, cfg, stdout, stderr)
}

func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer) error {
	log, err := newLogger(stderr, cfg.LogFormat)
	if err != nil {
		return err
	}
	if cfg.ImportLimitMB <= 0 {
		return errors.New("--import-limit-mb must be positive")
	}
	weights, err := loadWeights(cfg.WeightsFile)
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, app.Config{DataDir: cfg.DataDir, HostToken: cfg.HostToken, Weights: weights, Log: log})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           api.New(a, api.Config{ImportLimit: cfg.ImportLimitMB << 20, Log: log}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(stdout, "Matchmaker is running at http://%s/\n", ln.Addr())
	fmt.Fprintf(stdout, "Data folder: %s\n", a.DataDir())
	if cfg.HostToken != "" {
		fmt.Fprintln(stdout, "Host token: the one set in MATCHMAKER_HOST_TOKEN")
	} else if a.HostTokenFile != "" {
		fmt.Fprintf(stdout, "Host token: in %s (send it as 'Authorization: Bearer <token>')\n", a.HostTokenFile)
	} else {
		fmt.Fprintln(stdout, "Host token: generated on first start; its file was removed. Run 'matchmaker rotate-host-token' for a new one.")
	}

	maintainCtx, stopMaintain := context.WithCancel(ctx)
	maintained := make(chan struct{})
	go func() { a.Maintain(maintainCtx); close(maintained) }()
	defer func() { stopMaintain(); <-maintained }()

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
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
