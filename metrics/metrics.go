// Package metrics counts what the server does, for an operator's
// Prometheus, in the text exposition format (version 0.0.4), without the
// client library and its dependencies.
//
// Labels name code paths (a route pattern, a command), never what a user
// sent: the metrics listener is not public, but it is still read by
// whoever runs the monitoring, and the number of series must stay bounded.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Registry holds metric families and writes them out in registration order.
type Registry struct {
	mu       sync.Mutex
	families []family
	names    map[string]bool
}

type family interface {
	write(w *bufio.Writer)
}

// New returns an empty registry.
func New() *Registry { return &Registry{names: map[string]bool{}} }

func (r *Registry) add(name string, f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: " + name + " registered twice")
	}
	r.names[name] = true
	r.families = append(r.families, f)
}

// Counter registers a counter with the given label names.
func (r *Registry) Counter(name, help string, labels ...string) *Counter {
	c := &Counter{vec: newVec[float64](name, help, labels)}
	r.add(name, c)
	return c
}

// Gauge registers a gauge whose value is read from fn at each scrape.
func (r *Registry) Gauge(name, help string, fn func() float64) {
	r.add(name, &gauge{name: name, help: help, fn: fn})
}

// Histogram registers a histogram with the given upper bounds (sorted,
// without +Inf, which every histogram has) and label names.
func (r *Registry) Histogram(name, help string, bounds []float64, labels ...string) *Histogram {
	if !slices.IsSorted(bounds) {
		panic("metrics: " + name + ": bounds not sorted")
	}
	h := &Histogram{vec: newVec[*histSeries](name, help, labels), bounds: bounds}
	r.add(name, h)
	return h
}

// WriteTo writes every family in the text exposition format.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	bw := bufio.NewWriter(cw)
	r.mu.Lock()
	fams := slices.Clone(r.families)
	r.mu.Unlock()
	for _, f := range fams {
		f.write(bw)
	}
	err := bw.Flush()
	return cw.n, err
}

// Handler serves the registry at any path it is mounted on.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		r.WriteTo(w)
	})
}

// DurationBuckets are upper bounds in seconds for request and job timings,
// from a millisecond to a minute.
var DurationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// vec is a family's series keyed by their label values.
type vec[T any] struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	series     map[string]*entry[T]
}

type entry[T any] struct {
	values []string
	v      T
}

func newVec[T any](name, help string, labels []string) *vec[T] {
	return &vec[T]{name: name, help: help, labels: labels, series: map[string]*entry[T]{}}
}

// get returns the series for values, made by mk on first use. The caller
// holds v.mu.
func (v *vec[T]) get(values []string, mk func() T) *entry[T] {
	if len(values) != len(v.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", v.name, len(v.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	e := v.series[key]
	if e == nil {
		e = &entry[T]{values: slices.Clone(values), v: mk()}
		v.series[key] = e
	}
	return e
}

// sorted returns the series in label order, so output is stable.
func (v *vec[T]) sorted() []*entry[T] {
	out := make([]*entry[T], 0, len(v.series))
	for _, e := range v.series {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *entry[T]) int { return slices.Compare(a.values, b.values) })
	return out
}

func (v *vec[T]) header(w *bufio.Writer, typ string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", v.name, escapeHelp(v.help), v.name, typ)
}

// Counter is a monotonically increasing count.
type Counter struct{ vec *vec[float64] }

// Add adds d (≥ 0) to the series with the given label values.
func (c *Counter) Add(d float64, values ...string) {
	if d < 0 {
		panic("metrics: counter " + c.vec.name + " decreased")
	}
	c.vec.mu.Lock()
	c.vec.get(values, func() float64 { return 0 }).v += d
	c.vec.mu.Unlock()
}

// Inc adds one.
func (c *Counter) Inc(values ...string) { c.Add(1, values...) }

func (c *Counter) write(w *bufio.Writer) {
	c.vec.mu.Lock()
	defer c.vec.mu.Unlock()
	c.vec.header(w, "counter")
	for _, e := range c.vec.sorted() {
		writeSample(w, c.vec.name, c.vec.labels, e.values, "", "", e.v)
	}
}

type gauge struct {
	name, help string
	fn         func() float64
}

func (g *gauge) write(w *bufio.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", g.name, escapeHelp(g.help), g.name)
	writeSample(w, g.name, nil, nil, "", "", g.fn())
}

// Histogram counts observations in buckets.
type Histogram struct {
	vec    *vec[*histSeries]
	bounds []float64
}

type histSeries struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

// Observe records one observation in the series with the given label values.
func (h *Histogram) Observe(x float64, values ...string) {
	i, _ := slices.BinarySearch(h.bounds, x) // first bound ≥ x: "le" is inclusive
	h.vec.mu.Lock()
	s := h.vec.get(values, func() *histSeries { return &histSeries{counts: make([]uint64, len(h.bounds)+1)} }).v
	s.counts[i]++
	s.sum += x
	s.n++
	h.vec.mu.Unlock()
}

func (h *Histogram) write(w *bufio.Writer) {
	h.vec.mu.Lock()
	defer h.vec.mu.Unlock()
	h.vec.header(w, "histogram")
	for _, e := range h.vec.sorted() {
		var cum uint64
		for i, c := range e.v.counts {
			cum += c
			le := "+Inf"
			if i < len(h.bounds) {
				le = formatFloat(h.bounds[i])
			}
			writeSample(w, h.vec.name+"_bucket", h.vec.labels, e.values, "le", le, float64(cum))
		}
		writeSample(w, h.vec.name+"_sum", h.vec.labels, e.values, "", "", e.v.sum)
		writeSample(w, h.vec.name+"_count", h.vec.labels, e.values, "", "", float64(e.v.n))
	}
}

func writeSample(w *bufio.Writer, name string, labels, values []string, extraName, extraValue string, v float64) {
	w.WriteString(name)
	if len(labels) > 0 || extraName != "" {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, "%s=\"%s\"", l, escapeLabel(values[i]))
		}
		if extraName != "" {
			if len(labels) > 0 {
				w.WriteByte(',')
			}
			fmt.Fprintf(w, "%s=\"%s\"", extraName, extraValue)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
