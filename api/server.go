// Package api is Matchmaker's HTTP interface: the JSON API under /api/v1,
// the health check and the embedded web UI, served with Echo.
package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/matchmaker/matchmaker/app"
)

// Config tunes the API.
type Config struct {
	// BodyLimit caps JSON request bodies (default 1 MiB).
	BodyLimit int64
	// ImportLimit caps import uploads (default 64 MiB).
	ImportLimit int64
	Log         *slog.Logger
}

// Server serves the API for one open data folder.
type Server struct {
	app  *app.App
	cfg  Config
	log  *slog.Logger
	echo *echo.Echo
}

// access says who may call a route.
type access int

const (
	anyone   access = iota // anonymous callers too; the host may see more
	hostOnly               // the host's bearer token is required
)

// route is one entry of the route table.
type route struct {
	method, path string
	access       access
	handler      echo.HandlerFunc
}

// routes is the route table: every endpoint, who may call it, and its
// handler. The OpenAPI test walks it too.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", anyone, s.health},
		{http.MethodGet, "/api/v1/openapi.json", anyone, s.openAPI},
		{http.MethodGet, "/api/v1/posts", anyone, s.listPosts},
		{http.MethodPost, "/api/v1/posts", hostOnly, s.createPost},
		{http.MethodGet, "/api/v1/posts/:id", anyone, s.getPost},
		{http.MethodPatch, "/api/v1/posts/:id", hostOnly, s.updatePost},
		{http.MethodDelete, "/api/v1/posts/:id", hostOnly, s.deletePost},
		{http.MethodGet, "/api/v1/posts/:id/matches", hostOnly, s.postMatches},
		{http.MethodPost, "/api/v1/import", hostOnly, s.importPosts},
	}
}

// New returns the API server for a.
func New(a *app.App, cfg Config) *Server {
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.ImportLimit <= 0 {
		cfg.ImportLimit = 64 << 20
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{app: a, cfg: cfg, log: cfg.Log}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.logRequests())
	e.Use(s.recoverPanics)
	e.Use(securityHeaders)
	for _, r := range s.routes() {
		mw := []echo.MiddlewareFunc{s.identify}
		if r.access == hostOnly {
			mw = append(mw, requireHost)
		}
		e.Add(r.method, r.path, r.handler, mw...)
	}
	registerStatic(e)
	s.echo = e
	return s
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) logRequests() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true,
		LogRequestID: true, LogRoutePath: true,
		// Run the error handler first so that the logged status is the one sent.
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			// The query string is left out: it can hold search text.
			s.log.Info("request", "method", v.Method, "path", v.URIPath, "route", v.RoutePath,
				"status", v.Status, "took", v.Latency.Round(time.Microsecond), "request_id", v.RequestID)
			return nil
		},
	})
}

// recoverPanics turns a panic in a handler into a logged internal error.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "panic", r, "path", c.Path())
				err = echo.NewHTTPError(http.StatusInternalServerError)
			}
		}()
		return next(c)
	}
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		return next(c)
	}
}

func (s *Server) health(c echo.Context) error {
	if err := s.app.Health(c.Request().Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
