package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"peyvand"
	"peyvand/demo"
	"peyvand/relink"
	"peyvand/storetest"
)

// TestLoad sends code lookups and page views to a real server on loopback
// (a SQLite store with a generated registry and its families' inquiries)
// from concurrent clients, for a bounded time, and reports requests per
// second with p50 and p99 latency. In the normal test run it is brief and
// only checks that every answer is right under concurrency; for the
// figures in docs/BENCHMARKS.md run
//
//	PEYVAND_LOAD_SECONDS=10 go test -run TestLoad -v ./web/
func TestLoad(t *testing.T) {
	seconds, _ := strconv.ParseFloat(os.Getenv("PEYVAND_LOAD_SECONDS"), 64)
	persons := 2000
	if seconds <= 0 { // the brief check in every test run
		seconds, persons = 0.5, 200
	}
	workers := 2 * 16
	if w, _ := strconv.Atoi(os.Getenv("PEYVAND_LOAD_WORKERS")); w > 0 {
		workers = w
	}
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	ctx := context.Background()
	st := storetest.NewSQLite(t)
	if _, err := demo.Load(ctx, st, demo.Generate(demo.Options{Seed: 9, Persons: persons})); err != nil {
		t.Fatal(err)
	}
	// Families' inquiries, each with its code, about people the registry
	// holds (so a lookup reads a person with several records and events,
	// and some open a case for a caseworker).
	var recs []peyvand.Record
	seen := 0
	err := st.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		if seen++; seen%4 == 0 && len(recs) < 500 && r.FullName != "" {
			recs = append(recs, r)
		}
		return nil
	})
	if err != nil || len(recs) == 0 {
		t.Fatalf("records: %d, %v", len(recs), err)
	}
	codes := make([]string, len(recs))
	for i, r := range recs {
		codes[i] = peyvand.NewInquiryCode()
		if _, err := st.CreateInquiry(ctx, "public", peyvand.Inquiry{Contact: fmt.Sprintf("+1 555 %04d", i)},
			peyvand.Record{FullName: r.FullName, FatherName: r.FatherName, BirthYear: r.BirthYear, City: r.City}, codes[i]); err != nil {
			t.Fatal(err)
		}
	}
	linker := relink.New(st, "test")
	if _, err := linker.Run(ctx); err != nil {
		t.Fatal(err)
	}
	big := 1 << 30
	srv := httptest.NewServer(New(Config{Store: st, Linker: linker, Secret: testSecret, InsecureCookies: true,
		Limits: Limits{PerClient: big, PerCode: big, Global: big}}).Handler())
	defer srv.Close()

	if wrk, err := exec.LookPath("wrk"); err == nil && os.Getenv("PEYVAND_LOAD_WRK") != "" {
		// wrk, a load generator in C in its own process, takes less of
		// the two cores than Go clients in the server's process.
		for _, kind := range []string{"lookup", "page"} {
			wrkRun(t, wrk, srv.URL, kind, codes, workers, seconds)
		}
		return
	}
	for _, kind := range []string{"lookup", "page"} {
		lat, errs := loadRun(t, srv.URL, kind, codes, workers, time.Duration(seconds*float64(time.Second)))
		if errs > 0 {
			t.Errorf("%s: %d wrong answers", kind, errs)
		}
		if len(lat) == 0 {
			t.Fatalf("%s: no requests", kind)
		}
		slices.Sort(lat)
		t.Logf("%-6s %d workers, %.1f s: %d requests, %.0f/s, p50 %v, p99 %v", kind, workers, seconds, len(lat),
			float64(len(lat))/seconds, lat[len(lat)/2], lat[len(lat)*99/100])
	}
}

// loadRun runs workers clients for d, each with its own cookies and form
// token, and returns every request's latency and the number of wrong
// answers.
func loadRun(t *testing.T, base, kind string, codes []string, workers int, d time.Duration) ([]time.Duration, int) {
	notFound := mustMessages(t)["en"]["lookup_not_found"]
	tr := &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Transport: tr, Jar: jar}
			resp, err := c.Get(base + "/lookup")
			if err != nil {
				t.Error(err)
				return
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := csrfRe.FindSubmatch(page)
			if m == nil {
				t.Error("no form token")
				return
			}
			token := string(m[1])
			var lat []time.Duration
			bad := 0
			for i := w; time.Now().Before(deadline); i += workers {
				start := time.Now()
				var resp *http.Response
				if kind == "lookup" {
					form := url.Values{"csrf": {token}, "code": {codes[i%len(codes)]}}
					req, _ := http.NewRequest("POST", base+"/lookup", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					resp, err = c.Do(req)
				} else {
					resp, err = c.Get(base + []string{"/", "/inquiry", "/lookup", "/report"}[i%4])
				}
				if err != nil {
					bad++
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(start))
				if resp.StatusCode != 200 || (kind == "lookup" && strings.Contains(string(body), notFound)) {
					bad++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, errs
}

func mustMessages(t *testing.T) map[string]map[string]string {
	m, err := loadTranslations()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wrkRun drives the server with wrk (PEYVAND_LOAD_WRK=1 and wrk
// installed): lookups of the families' codes in turn, or page views, with
// one form token and cookie; any answer but 200 counts as an error.
func wrkRun(t *testing.T, wrk, base, kind string, codes []string, conns int, seconds float64) {
	resp, err := http.Get(base + "/lookup")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRe.FindSubmatch(page)
	var cookie string
	for _, c := range resp.Cookies() {
		if c.Name == csrfCookie {
			cookie = c.Name + "=" + c.Value
		}
	}
	if m == nil || cookie == "" {
		t.Fatal("no form token or cookie")
	}
	var lua strings.Builder
	fmt.Fprintf(&lua, "local codes = {")
	for _, c := range codes {
		fmt.Fprintf(&lua, "%q,", c)
	}
	fmt.Fprintf(&lua, "}\nlocal pages = {\"/\", \"/inquiry\", \"/lookup\", \"/report\"}\nlocal i = 0\n")
	if kind == "lookup" {
		fmt.Fprintf(&lua, `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Cookie"] = %q
request = function()
  i = i + 1
  return wrk.format(nil, "/lookup", nil, "csrf=%s&code=" .. codes[(i %% #codes) + 1])
end
`, cookie, url.QueryEscape(string(m[1])))
	} else {
		fmt.Fprintf(&lua, `request = function()
  i = i + 1
  return wrk.format("GET", pages[(i %% #pages) + 1])
end
`)
	}
	script := filepath.Join(t.TempDir(), kind+".lua")
	if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(wrk, "-t1", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%.0fs", seconds), "--latency", "-s", script, base).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Non-2xx") {
		t.Errorf("%s: wrong answers under load:\n%s", kind, out)
	}
	t.Logf("%s with wrk, %d connections:\n%s", kind, conns, out)
}
