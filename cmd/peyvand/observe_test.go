package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// startServe runs "peyvand serve" in process with extra flags and returns
// the public and operator base URLs and the log. The server stops when
// the test ends.
func startServe(t *testing.T, args ...string) (base, ops string, logs *syncBuffer) {
	t.Helper()
	return startServeEnv(t, nil, args...)
}

// startServeEnv is startServe with an environment.
func startServeEnv(t *testing.T, env map[string]string, args ...string) (base, ops string, logs *syncBuffer) {
	t.Helper()
	logs = &syncBuffer{}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(k string) string { return env[k] }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d:\n%s", code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	baseRe := regexp.MustCompile(`msg=listening url=(http://127\.0\.0\.1:\d+/)`)
	opsRe := regexp.MustCompile(`msg="operator listener" url=(http://127\.0\.0\.1:\d+/)metrics`)
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := baseRe.FindStringSubmatch(logs.String()); m != nil {
			base = m[1]
			if m := opsRe.FindStringSubmatch(logs.String()); m != nil {
				ops = m[1]
			}
			return base, ops, logs
		}
	}
	t.Fatalf("server did not start:\n%s", logs.String())
	return
}

// browser is an HTTP client with cookies that remembers the local
// addresses of its connections (the "client IP:port" a log must not hold).
type browser struct {
	t      *testing.T
	c      *http.Client
	mu     sync.Mutex
	locals map[string]bool
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar}, locals: map[string]bool{}}
}

func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) {
		b.mu.Lock()
		b.locals[ci.Conn.LocalAddr().String()] = true
		b.mu.Unlock()
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) get(u string) (int, string) {
	req, _ := http.NewRequest("GET", u, nil)
	return b.do(req)
}

var formToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// post reads the form page at path for its token, then submits the form
// there.
func (b *browser) post(base, path string, vals url.Values) (int, string) {
	b.t.Helper()
	return b.postFrom(base, path, path, vals)
}

// postFrom reads the form page for its token, then submits the form to
// target.
func (b *browser) postFrom(base, formPage, path string, vals url.Values) (int, string) {
	b.t.Helper()
	_, page := b.get(base + strings.TrimPrefix(formPage, "/"))
	m := formToken.FindStringSubmatch(page)
	if m == nil {
		b.t.Errorf("no form token on %s:\n%s", formPage, page)
		return 0, ""
	}
	vals.Set("csrf", m[1])
	req, _ := http.NewRequest("POST", base+strings.TrimPrefix(path, "/"), strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
	return b.do(req)
}

// TestLogsHoldNothingAboutThePublic walks the public side of a running
// server as a family and a witness, and a stranger trying to sign in,
// then checks that the server's whole log holds none of what they sent
// (names, contact, code, username) nor the address they came from; and
// that the metrics are on the operator's listener only.
func TestLogsHoldNothingAboutThePublic(t *testing.T) {
	base, ops, logs := startServe(t, "--demo", "--metrics-addr", "127.0.0.1:0")
	if ops == "" {
		t.Fatalf("no operator listener in the log:\n%s", logs.String())
	}
	b := newBrowser(t)
	secrets := map[string]string{
		"given name":   "Zhubinovich",
		"persian name": "ژوبینوویچ",
		"father":       "Kourushvand",
		"contact":      "+49 170 5550199",
		"place":        "Qezelhesar-Testward",
		"reporter":     "Witnessmann",
		"username":     "stranger-username-x",
	}
	code, page := b.post(base, "/inquiry", url.Values{"full_name": {secrets["persian name"] + " " + secrets["given name"]},
		"father_name": {secrets["father"]}, "birth_year": {"1370"}, "city": {"Karaj"}, "contact": {secrets["contact"]}})
	m := regexp.MustCompile(`id="code"[^>]*>([^<]+)<`).FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("inquiry: %d\n%s", code, page)
	}
	inquiryCode := strings.TrimSpace(m[1])
	secrets["code"] = inquiryCode
	secrets["code without dashes"] = strings.NewReplacer("-", "", " ", "").Replace(inquiryCode)
	if code, page := b.post(base, "/lookup", url.Values{"code": {inquiryCode}}); code != 200 {
		t.Fatalf("lookup: %d\n%s", code, page)
	}
	if code, _ := b.post(base, "/lookup", url.Values{"code": {"WRONG-CODE-GUESS"}}); code == 500 {
		t.Fatal("wrong code: 500")
	}
	secrets["wrong code"] = "WRONG-CODE-GUESS"
	if code, page := b.post(base, "/report", url.Values{"full_name": {secrets["given name"]}, "status": {"detained"},
		"place": {secrets["place"]}, "reporter": {secrets["reporter"]}}); code != 200 {
		t.Fatalf("report: %d\n%s", code, page)
	}
	if code, _ := b.post(base, "/staff/login", url.Values{"username": {secrets["username"]}, "password": {"not the password at all"}, "code": {"123456"}}); code != 401 {
		t.Fatalf("login: %d", code)
	}
	b.get(base + "list?q=" + url.QueryEscape(secrets["given name"]))
	b.get(base + "no/such/" + url.PathEscape(secrets["persian name"]))

	// The operator's listener answers; the public one does not serve metrics.
	if code, body := b.get(ops + "metrics"); code != 200 ||
		!strings.Contains(body, `peyvand_http_requests_total{route="POST /inquiry",method="POST",code="200"} 1`) ||
		!strings.Contains(body, `peyvand_linkage_seconds_count{what="inquiry"} 1`) ||
		!strings.Contains(body, `peyvand_http_requests_total{route="POST /staff/login",method="POST",code="401"} 1`) {
		t.Errorf("metrics: %d\n%s", code, body)
	} else {
		for name, v := range secrets {
			if strings.Contains(body, v) {
				t.Errorf("metrics hold the %s", name)
			}
		}
	}
	if code, _ := b.get(base + "metrics"); code != 404 {
		t.Errorf("public /metrics: %d", code)
	}
	for _, p := range []string{"healthz", "readyz"} {
		if code, body := b.get(ops + p); code != 200 || body != "ok\n" {
			t.Errorf("operator /%s: %d %q", p, code, body)
		}
	}

	log := logs.String()
	if !strings.Contains(log, `route="POST /inquiry"`) {
		t.Fatalf("the log lacks the request lines:\n%s", log)
	}
	for name, v := range secrets {
		if strings.Contains(log, v) {
			t.Errorf("the log holds the %s (%q)", name, v)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for addr := range b.locals {
		_, port, _ := net.SplitHostPort(addr)
		if strings.Contains(log, addr) || strings.Contains(log, ":"+port+" ") {
			t.Errorf("the log holds a client address %s", addr)
		}
	}
}
