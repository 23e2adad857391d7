package metrics

import (
	"bytes"
	"flag"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestExposition(t *testing.T) {
	r := New()
	req := r.Counter("peyvand_http_requests_total", "Requests by route pattern, method and status.", "route", "method", "code")
	lat := r.Histogram("peyvand_http_request_duration_seconds", "Time to answer.", []float64{0.01, 0.1, 1}, "route")
	r.Gauge("peyvand_up", "Always 1 while the server runs.", func() float64 { return 1 })
	req.Inc("GET /{$}", "GET", "200")
	req.Inc("GET /{$}", "GET", "200")
	req.Add(3, `POST "odd"\path`+"\n", "POST", "303")
	lat.Observe(0.005, "GET /{$}")
	lat.Observe(0.01, "GET /{$}") // on a bound: counted in that bucket ("le")
	lat.Observe(0.5, "GET /{$}")
	lat.Observe(7, "GET /{$}")

	var buf bytes.Buffer
	if _, err := r.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/exposition.txt"
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", buf.String(), want)
	}
}

func TestHandlerAndConcurrency(t *testing.T) {
	r := New()
	c := r.Counter("jobs_total", "Jobs.", "kind")
	h := r.Histogram("job_seconds", "Job time.", DurationBuckets)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 1000; j++ {
				c.Inc("import")
				h.Observe(0.003)
			}
		}()
	}
	wg.Wait()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{`jobs_total{kind="import"} 8000`, `job_seconds_bucket{le="0.005"} 8000`, `job_seconds_bucket{le="0.0025"} 0`, "job_seconds_count 8000"} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in\n%s", want, body)
		}
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
}

func TestMisuse(t *testing.T) {
	for name, f := range map[string]func(){
		"twice":         func() { r := New(); r.Counter("a", "a"); r.Counter("a", "a") },
		"label count":   func() { New().Counter("a", "a", "x").Inc() },
		"negative":      func() { New().Counter("a", "a").Add(-1) },
		"bounds sorted": func() { New().Histogram("h", "h", []float64{2, 1}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}
