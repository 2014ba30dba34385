// Package api is Matchmaker's HTTP interface: the JSON API under /api/v1,
// the health check and the embedded web UI, served with Echo.
package api

import (
	"fmt"
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
	// BodyWindow is the pace rule's window: a request body must bring at
	// least 1 KiB in each, or the connection is closed (default 10 s).
	BodyWindow time.Duration
	// TrustedOrigins are origins ("https://community.example") whose
	// pages may post to the service although the request's Host differs
	// (a proxy that rewrites Host). The public base URL belongs here.
	TrustedOrigins []string
	Log            *slog.Logger
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
	// limit is the per-IP rate limit the route counts against (the host
	// is never limited).
	limit rateClass
}

// rateClass names a per-IP rate limit.
type rateClass int

const (
	unlimited   rateClass = iota // reads, and writes by signed-in callers
	publicWrite                  // writes anyone may make: PublicWritesPerHour
	oneClick                     // RFC 8058 unsubscribes: oneClickPerHour
)

// oneClickPerHour caps one-click unsubscribes per IP. Mail providers post
// them for many members from a few addresses, so the cap is far above a
// person's, yet a flood from one address is still refused.
const oneClickPerHour = 1200

// routes is the route table: every endpoint, who may call it, and its
// handler. The OpenAPI test walks it too.
func (s *Server) routes() []route {
	core := []route{
		{http.MethodGet, "/healthz", anyone, s.health, unlimited},
		{http.MethodGet, "/api/v1/openapi.json", anyone, s.openAPI, unlimited},
		{http.MethodGet, "/metrics", hostOnly, s.metrics, unlimited},
		{http.MethodGet, "/api/v1/posts", anyone, s.listPosts, unlimited},
		{http.MethodPost, "/api/v1/posts", anyone, s.createPost, publicWrite},
		{http.MethodPost, "/api/v1/posts/check", anyone, s.checkPost, publicWrite},
		{http.MethodGet, "/api/v1/posts/:id", anyone, s.getPost, unlimited},
		{http.MethodPatch, "/api/v1/posts/:id", signedIn, s.updatePost, unlimited},
		{http.MethodDelete, "/api/v1/posts/:id", signedIn, s.deletePost, unlimited},
		{http.MethodGet, "/api/v1/posts/:id/matches", signedIn, s.postMatches, unlimited},
		{http.MethodPost, "/api/v1/import", hostOnly, s.importPosts, unlimited},
		{http.MethodPost, "/api/v1/drafts", hostOnly, s.createDrafts, unlimited},
		{http.MethodGet, "/api/v1/drafts", hostOnly, s.listDrafts, unlimited},
		{http.MethodPatch, "/api/v1/drafts/:id", hostOnly, s.updateDraft, unlimited},
		{http.MethodDelete, "/api/v1/drafts/:id", hostOnly, s.discardDraft, unlimited},
		{http.MethodPost, "/api/v1/drafts/:id/publish", hostOnly, s.publishDraft, unlimited},
		{http.MethodGet, "/api/v1/intakes", hostOnly, s.listIntakes, unlimited},
		{http.MethodGet, "/api/v1/intakes/:id", hostOnly, s.getIntake, unlimited},
		{http.MethodDelete, "/api/v1/intakes/:id", hostOnly, s.deleteIntake, unlimited},
		{http.MethodPut, "/api/v1/intakes/:id/columns", hostOnly, s.setColumns, unlimited},
		{http.MethodDelete, "/api/v1/intakes/:id/skipped", hostOnly, s.dismissSkipped, unlimited},
		{http.MethodPost, "/api/v1/skipped/:id/draft", hostOnly, s.draftFromSkipped, unlimited},
		{http.MethodPost, "/api/v1/comments/read", anyone, s.readComment, publicWrite},
		{http.MethodPost, "/api/v1/rounds", hostOnly, s.runRound, unlimited},
		{http.MethodGet, "/api/v1/rounds", hostOnly, s.listRounds, unlimited},
		{http.MethodGet, "/api/v1/rounds/:quarter", hostOnly, s.getRound, unlimited},
		{http.MethodGet, "/api/v1/rounds/:quarter/suggestions", hostOnly, s.listSuggestions, unlimited},
		{http.MethodPost, "/api/v1/rounds/:quarter/suggestions", hostOnly, s.addSuggestion, unlimited},
		{http.MethodPatch, "/api/v1/rounds/:quarter/suggestions/:id", hostOnly, s.updateSuggestion, unlimited},
		{http.MethodPost, "/api/v1/rounds/:quarter/suggestions/:id/swap", hostOnly, s.swapSuggestion, unlimited},
		{http.MethodPost, "/api/v1/rounds/:quarter/suggestions/:id/introduce", hostOnly, s.introduce, unlimited},
		{http.MethodGet, "/api/v1/rounds/:quarter/figures", hostOnly, s.roundFigures, unlimited},
		{http.MethodGet, "/api/v1/introductions", signedIn, s.listIntroductions, unlimited},
		{http.MethodPost, "/api/v1/introductions/:id/answer", memberOnly, s.answerIntroduction, unlimited},
		{http.MethodPost, "/api/v1/auth/sign-in-link", anyone, s.requestSignIn, publicWrite},
		{http.MethodPost, "/api/v1/auth/sign-out", memberOnly, s.signOut, unlimited},
		{http.MethodGet, "/api/v1/me", memberOnly, s.me, unlimited},
		{http.MethodGet, "/api/v1/session", anyone, s.session, unlimited},
		{http.MethodGet, "/api/v1/me/posts", memberOnly, s.myPosts, unlimited},
		{http.MethodGet, "/api/v1/me/tokens", memberOnly, s.myTokens, unlimited},
		{http.MethodPost, "/api/v1/me/tokens", memberOnly, s.createToken, unlimited},
		{http.MethodDelete, "/api/v1/me/tokens/:id", memberOnly, s.deleteToken, unlimited},
		{http.MethodGet, "/api/v1/me/notices", memberOnly, s.myNotices, unlimited},
		{http.MethodPut, "/api/v1/me/notices", memberOnly, s.setMyNotices, unlimited},
		// Pages that emailed links open: a button posts the token, so that
		// mail scanners following links cannot spend them.
		{http.MethodGet, "/confirm", anyone, s.confirmPage, unlimited},
		{http.MethodPost, "/confirm", anyone, s.confirm, publicWrite},
		{http.MethodGet, "/signin", anyone, s.signInPage, unlimited},
		{http.MethodPost, "/signin", anyone, s.signIn, publicWrite},
		{http.MethodGet, "/introduction", anyone, s.introductionPage, unlimited},
		{http.MethodPost, "/introduction", anyone, s.answerByLink, publicWrite},
		{http.MethodGet, "/feedback", anyone, s.feedbackPage, unlimited},
		{http.MethodPost, "/feedback", anyone, s.feedback, publicWrite},
	}
	return slices.Concat(core, s.partnershipRoutes(), s.digestRoutes(), s.feedbackRoutes(), s.areaRoutes(), s.outboxRoutes(), s.meetingRoutes(), s.exportRoutes(), s.rightsRoutes(), s.trackingRoutes())
}

// New returns the API server for a. It returns an error for a trusted
// origin that is not one.
func New(a *app.App, cfg Config) (*Server, error) {
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.ImportLimit <= 0 {
		cfg.ImportLimit = 64 << 20
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.BodyWindow <= 0 {
		cfg.BodyWindow = 10 * time.Second
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
	limits := map[rateClass]echo.MiddlewareFunc{
		publicWrite: s.rateLimit(cfg.PublicWritesPerHour, min(10, cfg.PublicWritesPerHour)),
		oneClick:    s.rateLimit(oneClickPerHour, 60),
	}
	sameOrigin, err := crossOriginRefusal(cfg.TrustedOrigins)
	if err != nil {
		return nil, err
	}
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.logRequests())
	e.Use(s.countRequests)
	e.Use(s.recoverPanics)
	e.Use(s.securityHeaders)
	e.Use(sameOrigin)
	for _, r := range s.routes() {
		mw := []echo.MiddlewareFunc{limitBody(s.bodyRuleOf(r)), s.identify}
		switch r.access {
		case hostOnly:
			mw = append(mw, requireHost)
		case signedIn:
			mw = append(mw, requireSignedIn)
		case memberOnly:
			mw = append(mw, requireMember)
		}
		if limit, ok := limits[r.limit]; ok {
			mw = append(mw, limit)
		}
		if !safeMethod(r.method) {
			mw = append(mw, s.idempotent)
		}
		e.Add(r.method, r.path, r.handler, mw...)
	}
	registerStatic(e)
	s.echo = e
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return paceBodies(s.echo, s.cfg.BodyWindow) }

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

// rateLimit limits requests per client IP to perHour, in bursts of burst;
// the host is not limited.
func (s *Server) rateLimit(perHour, burst int) echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate: rate.Limit(float64(perHour) / 3600), Burst: burst, ExpiresIn: time.Hour,
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
// that has none. Nothing is stored by browsers or proxies (no-store):
// answers hold members' addresses, ledgers and sign-in pages, and the same
// URL answers differently for each caller. The UI's own files, the same
// for everyone, say otherwise (see staticFile.serve).
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		if c.IsTLS() || s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("Cache-Control", "no-store")
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

// crossOriginRefusal refuses unsafe requests (POST, PUT, PATCH, DELETE)
// that a browser says come from another site's page: by Sec-Fetch-Site, or
// where that is missing by an Origin other than the service's own. Such a
// request is a cross-site forgery, whether it would sign a member in as
// someone else (login CSRF), answer an introduction or post: nothing of the
// service's is meant to be posted from another site. Clients that are not
// browsers send neither header and are let through: they authenticate with
// a bearer token no other site can make a browser send.
func crossOriginRefusal(trusted []string) (echo.MiddlewareFunc, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("trusted origin %q: %w", o, err)
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return match.Errorf(match.EFORBIDDEN, "cross-site requests are refused: post from this service's own pages")
			}
			return next(c)
		}
	}, nil
}
