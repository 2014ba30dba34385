// Package metrics holds Matchmaker's Prometheus metrics: what the service
// is doing (requests, matching, imports, digests, mail) and how big its
// data is. Each open data folder has its own registry, so that tests can
// run many side by side.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's collectors, registered in Registry.
type Metrics struct {
	Registry *prometheus.Registry

	// Requests counts HTTP requests by route pattern, method and status.
	Requests *prometheus.CounterVec
	// Latency is how long requests took, by route pattern and method.
	Latency *prometheus.HistogramVec
	// Matching is how long match computations took: one post's matches,
	// a whole round, a digest run's pairs.
	Matching *prometheus.HistogramVec
	// ImportLines counts imported lines by result: stored or rejected.
	ImportLines *prometheus.CounterVec
	// Digests counts digest recipients by outcome: sent, skipped, failed.
	Digests *prometheus.CounterVec
	// Mail counts emails handed to the mailer, by outcome: sent or failed.
	Mail *prometheus.CounterVec
}

// New returns fresh metrics with the Go runtime and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "matchmaker_http_requests_total",
			Help: "HTTP requests by route pattern, method and status."}, []string{"route", "method", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "matchmaker_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10}}, []string{"route", "method"}),
		Matching: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "matchmaker_match_duration_seconds",
			Help:    "Time to compute matches: one post's (post), a quarter's round (round), a digest run's (digest).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .5, 1, 5, 30, 120, 600}}, []string{"kind"}),
		ImportLines: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "matchmaker_import_lines_total",
			Help: "Lines read by imports, by result: stored or rejected."}, []string{"result"}),
		Digests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "matchmaker_digest_recipients_total",
			Help: "Digest recipients by outcome: sent, skipped or failed."}, []string{"outcome"}),
		Mail: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "matchmaker_mail_total",
			Help: "Emails handed to the mailer, by outcome: sent or failed."}, []string{"outcome"}),
	}
	reg.MustRegister(m.Requests, m.Latency, m.Matching, m.ImportLines, m.Digests, m.Mail,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Size registers a gauge read at each scrape, such as a file's size.
func (m *Metrics) Size(name, help string, read func() float64) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, read))
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
