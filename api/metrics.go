package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// countRequests counts every request and its latency by route pattern
// (never the raw path, which would make a series per post ID).
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the response, so the status counted
			// is the one sent.
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := methodLabel(c.Request().Method)
		m := s.app.Metrics
		m.Requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		m.Latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return nil
	}
}

// methodLabel is the method as a metric label: made-up methods (anyone can
// send "X07METHOD") are all "other", so that no caller can add series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// metrics serves the Prometheus metrics (host only; see also serve's
// --metrics-addr for a separate listener).
func (s *Server) metrics(c echo.Context) error {
	s.app.Metrics.Handler().ServeHTTP(c.Response(), c.Request())
	return nil
}
