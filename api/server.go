// Package api is Matchmaker's HTTP interface: the JSON API under /api/v1,
// the health check and the embedded web UI, served with Echo.
package api

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// Config tunes the API.
type Config struct {
	// BodyLimit caps JSON request bodies (default 1 MiB).
	BodyLimit int64
	// ImportLimit caps import uploads (default 64 MiB).
	ImportLimit int64
	// PublicWritesPerHour caps, per client IP, the writes anyone may make
	// without the host's token: submitting posts, asking for sign-in
	// links, following emailed links (default 30, in bursts of 10).
	PublicWritesPerHour int
	// TrustProxy takes the client's IP from X-Forwarded-For, for a service
	// behind a reverse proxy; otherwise the connection's address is used,
	// so that nobody can dodge the rate limit with a made-up header.
	TrustProxy bool
	// SecureCookies marks session cookies Secure even when the service
	// itself speaks plain HTTP behind a TLS-terminating proxy.
	SecureCookies bool
	Log           *slog.Logger
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
	anyone     access = iota // anonymous callers too; members and the host may see more
	hostOnly                 // the host's bearer token is required
	signedIn                 // a member or the host; the handler checks ownership
	memberOnly               // a signed-in member: routes about "me"
)

// route is one entry of the route table.
type route struct {
	method, path string
	access       access
	handler      echo.HandlerFunc
	// limited routes count against the per-IP rate limit of public writes
	// (the host is not limited).
	limited bool
}

// routes is the route table: every endpoint, who may call it, and its
// handler. The OpenAPI test walks it too.
func (s *Server) routes() []route {
	core := []route{
		{http.MethodGet, "/healthz", anyone, s.health, false},
		{http.MethodGet, "/api/v1/openapi.json", anyone, s.openAPI, false},
		{http.MethodGet, "/metrics", hostOnly, s.metrics, false},
		{http.MethodGet, "/api/v1/posts", anyone, s.listPosts, false},
		{http.MethodPost, "/api/v1/posts", anyone, s.createPost, true},
		{http.MethodGet, "/api/v1/posts/:id", anyone, s.getPost, false},
		{http.MethodPatch, "/api/v1/posts/:id", signedIn, s.updatePost, false},
		{http.MethodDelete, "/api/v1/posts/:id", signedIn, s.deletePost, false},
		{http.MethodGet, "/api/v1/posts/:id/matches", signedIn, s.postMatches, false},
		{http.MethodPost, "/api/v1/import", hostOnly, s.importPosts, false},
		{http.MethodPost, "/api/v1/drafts", hostOnly, s.createDrafts, false},
		{http.MethodGet, "/api/v1/drafts", hostOnly, s.listDrafts, false},
		{http.MethodPatch, "/api/v1/drafts/:id", hostOnly, s.updateDraft, false},
		{http.MethodDelete, "/api/v1/drafts/:id", hostOnly, s.discardDraft, false},
		{http.MethodPost, "/api/v1/drafts/:id/publish", hostOnly, s.publishDraft, false},
		{http.MethodGet, "/api/v1/intakes", hostOnly, s.listIntakes, false},
		{http.MethodGet, "/api/v1/intakes/:id", hostOnly, s.getIntake, false},
		{http.MethodDelete, "/api/v1/intakes/:id", hostOnly, s.deleteIntake, false},
		{http.MethodPut, "/api/v1/intakes/:id/columns", hostOnly, s.setColumns, false},
		{http.MethodDelete, "/api/v1/intakes/:id/skipped", hostOnly, s.dismissSkipped, false},
		{http.MethodPost, "/api/v1/skipped/:id/draft", hostOnly, s.draftFromSkipped, false},
		{http.MethodPost, "/api/v1/comments/read", anyone, s.readComment, true},
		{http.MethodPost, "/api/v1/rounds", hostOnly, s.runRound, false},
		{http.MethodGet, "/api/v1/rounds", hostOnly, s.listRounds, false},
		{http.MethodGet, "/api/v1/rounds/:quarter", hostOnly, s.getRound, false},
		{http.MethodGet, "/api/v1/rounds/:quarter/suggestions", hostOnly, s.listSuggestions, false},
		{http.MethodPost, "/api/v1/rounds/:quarter/suggestions", hostOnly, s.addSuggestion, false},
		{http.MethodPatch, "/api/v1/rounds/:quarter/suggestions/:id", hostOnly, s.updateSuggestion, false},
		{http.MethodPost, "/api/v1/rounds/:quarter/suggestions/:id/swap", hostOnly, s.swapSuggestion, false},
		{http.MethodPost, "/api/v1/rounds/:quarter/suggestions/:id/introduce", hostOnly, s.introduce, false},
		{http.MethodGet, "/api/v1/rounds/:quarter/figures", hostOnly, s.roundFigures, false},
		{http.MethodGet, "/api/v1/introductions", signedIn, s.listIntroductions, false},
		{http.MethodPost, "/api/v1/introductions/:id/answer", memberOnly, s.answerIntroduction, false},
		{http.MethodPost, "/api/v1/auth/sign-in-link", anyone, s.requestSignIn, true},
		{http.MethodPost, "/api/v1/auth/sign-out", memberOnly, s.signOut, false},
		{http.MethodGet, "/api/v1/me", memberOnly, s.me, false},
		{http.MethodGet, "/api/v1/me/posts", memberOnly, s.myPosts, false},
		{http.MethodGet, "/api/v1/me/tokens", memberOnly, s.myTokens, false},
		{http.MethodPost, "/api/v1/me/tokens", memberOnly, s.createToken, false},
		{http.MethodDelete, "/api/v1/me/tokens/:id", memberOnly, s.deleteToken, false},
		// Pages that emailed links open: a button posts the token, so that
		// mail scanners following links cannot spend them.
		{http.MethodGet, "/confirm", anyone, s.confirmPage, false},
		{http.MethodPost, "/confirm", anyone, s.confirm, true},
		{http.MethodGet, "/signin", anyone, s.signInPage, false},
		{http.MethodPost, "/signin", anyone, s.signIn, true},
		{http.MethodGet, "/introduction", anyone, s.introductionPage, false},
		{http.MethodPost, "/introduction", anyone, s.answerByLink, true},
		{http.MethodGet, "/feedback", anyone, s.feedbackPage, false},
		{http.MethodPost, "/feedback", anyone, s.feedback, true},
	}
	return slices.Concat(core, s.partnershipRoutes(), s.digestRoutes(), s.feedbackRoutes(), s.areaRoutes())
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
	if cfg.PublicWritesPerHour <= 0 {
		cfg.PublicWritesPerHour = 30
	}
	s := &Server{app: a, cfg: cfg, log: cfg.Log}
	e := echo.New()
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	limit := s.rateLimit()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.logRequests())
	e.Use(s.countRequests)
	e.Use(s.recoverPanics)
	e.Use(s.securityHeaders)
	for _, r := range s.routes() {
		mw := []echo.MiddlewareFunc{s.identify}
		switch r.access {
		case hostOnly:
			mw = append(mw, requireHost)
		case signedIn:
			mw = append(mw, requireSignedIn)
		case memberOnly:
			mw = append(mw, requireMember)
		}
		if r.limited {
			mw = append(mw, limit)
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

// rateLimit limits public writes per client IP; the host is not limited.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	perSecond := rate.Limit(float64(s.cfg.PublicWritesPerHour) / 3600)
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: perSecond, Burst: min(10, s.cfg.PublicWritesPerHour), ExpiresIn: time.Hour,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper:             func(c echo.Context) bool { return callerOf(c).host },
		Store:               store,
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "120")
			return match.Errorf(match.ERATELIMITED, "too many requests from your address; try again in a few minutes")
		},
	})
}

// securityHeaders sets the headers every response carries. HSTS goes
// only with HTTPS: over TLS, or behind a TLS proxy (--secure-cookies says
// so), since a browser must not be told to insist on HTTPS for a service
// that has none.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if c.IsTLS() || s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
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
	// Matching joins in once the engine has read every post (most of a
	// minute for a million): until then match requests get 503.
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "matching": s.app.MatchingState()})
}
