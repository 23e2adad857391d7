package web

import (
	"context"
	"time"

	"peyvand/metrics"
)

// serverMetrics are the server's counters for the operator's Prometheus.
// Labels are route patterns and fixed words, never what a visitor sent.
type serverMetrics struct {
	requests   *metrics.Counter   // route, method, code
	latency    *metrics.Histogram // route
	importRows *metrics.Counter   // outcome
	linking    *metrics.Histogram // what: inquiry, report, all
}

func newServerMetrics(r *metrics.Registry) *serverMetrics {
	if r == nil {
		r = metrics.New() // counted but not served
	}
	return &serverMetrics{
		requests: r.Counter("peyvand_http_requests_total",
			"HTTP requests answered, by route pattern, method and status code.", "route", "method", "code"),
		latency: r.Histogram("peyvand_http_request_duration_seconds",
			"Time to answer an HTTP request, by route pattern.", metrics.DurationBuckets, "route"),
		importRows: r.Counter("peyvand_import_rows_total",
			"Rows of lists imported through the web, by outcome (created, updated, unchanged, rejected).", "outcome"),
		linking: r.Histogram("peyvand_linkage_seconds",
			"Time to link: one new inquiry or report against the registry, or a full run.", metrics.DurationBuckets, "what"),
	}
}

// linkOne links one new record at once, and times it. Linking must not
// cost a family their code or a witness their report: a failure is logged
// and the next full run links the record.
func (s *Server) linkOne(ctx context.Context, recordID, what string) {
	if s.linker == nil {
		return
	}
	start := time.Now()
	_, err := s.linker.Add(ctx, recordID)
	s.metrics.linking.Observe(time.Since(start).Seconds(), what)
	if err != nil {
		s.log.Error("link new record", "what", what, "err", err)
	}
}

// linkAll re-links the whole registry, and times it.
func (s *Server) linkAll(ctx context.Context) {
	if err := s.LinkAll(ctx); err != nil {
		s.log.Error("link after import", "err", err)
	}
}

// LinkAll runs the linker over the whole registry (at start, after an
// import), timed in the metrics.
func (s *Server) LinkAll(ctx context.Context) error {
	if s.linker == nil {
		return nil
	}
	start := time.Now()
	res, err := s.linker.Run(ctx)
	s.metrics.linking.Observe(time.Since(start).Seconds(), "all")
	if err == nil {
		s.log.Info("registry linked", "persons", res.PersonsAfter, "review_pairs", res.ReviewPairs)
	}
	return err
}
