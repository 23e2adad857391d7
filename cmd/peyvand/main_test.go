package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"peyvand/sqlite"
)

// run runs one command line in process, with PEYVAND_DB and
// PEYVAND_KEY_FILE pointing into dir.
func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(dir, "p.key"), "USER": "tester"}
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

// runStdin is run with standard input.
func runStdin(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(dir, "p.key"), "USER": "tester"}
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func TestImportExportVerify(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, dir, "import", "--source", "org-a", "--independent", "../../ingest/testdata/persian.csv")
	if code != 0 || !strings.Contains(out, "3 rows: 3 created, 0 updated, 0 unchanged, 3 new status events, 0 rejected") ||
		!strings.Contains(out, "kept (sealed) in notes: منطقه") {
		t.Fatalf("import: code %d\n%s\n%s", code, out, errs)
	}
	if fi, err := os.Stat(filepath.Join(dir, "p.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	code, out, _ = run(t, dir, "import", "--source", "org-a", "../../ingest/testdata/persian.csv")
	if code != 0 || !strings.Contains(out, "0 created, 0 updated, 3 unchanged, 0 new status events") {
		t.Fatalf("re-import: code %d\n%s", code, out)
	}
	code, out, _ = run(t, dir, "export", "--format", "csv", "--hxl")
	if code != 0 || !strings.HasPrefix(out, "record_id,source,full_name") || !strings.Contains(out, "#meta+id") || !strings.Contains(out, "حسینی") {
		t.Fatalf("export: code %d\n%s", code, out)
	}
	if strings.Contains(out, "عظیمیه") {
		t.Fatal("export holds sealed notes without --include-sealed")
	}
	for _, f := range []string{"json", "pfif"} {
		if code, out, errs := run(t, dir, "export", "--format", f); code != 0 || len(out) < 100 {
			t.Fatalf("export %s: %d %s %s", f, code, out, errs)
		}
	}
	code, out, _ = run(t, dir, "audit", "verify")
	// Two imports and three exports (each recorded, with no row).
	if code != 0 || !strings.HasPrefix(out, "audit chain OK: 5 entries, 10 rows") {
		t.Fatalf("audit verify: code %d\n%s", code, out)
	}
}

func TestBadImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := run(t, dir, "import", "../../ingest/testdata/bad-date.csv")
	if code != exitInvalid || !strings.Contains(errs, "bad-date.csv line 3, field event_date") || !strings.Contains(errs, "nothing imported") {
		t.Fatalf("code %d, stderr %s", code, errs)
	}
	code, out, _ := run(t, dir, "export", "--format", "csv")
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("after a failed import the export has rows:\n%s", out)
	}
	code, out, _ = run(t, dir, "import", "--skip-invalid", "--rejects", filepath.Join(dir, "rej.csv"), "../../ingest/testdata/bad-date.csv")
	if code != 0 || !strings.Contains(out, "2 created") || !strings.Contains(out, "1 rejected") {
		t.Fatalf("skip-invalid: %d %s", code, out)
	}
	rej, _ := os.ReadFile(filepath.Join(dir, "rej.csv"))
	if !strings.Contains(string(rej), "1403/12/31") {
		t.Fatalf("rejects file: %s", rej)
	}
}

// TestAuditVerifyTamper edits the database file behind the application's
// back and expects audit verify to fail and name the entry.
func TestAuditVerifyTamper(t *testing.T) {
	for name, q := range map[string]string{
		"edit a name":     "UPDATE records SET given_name = 'Forged' WHERE external_id = '2'",
		"delete an event": "DELETE FROM status_events WHERE status = 'missing'",
		"edit an entry":   "UPDATE audit_log SET actor = 'nobody' WHERE seq = 1",
		"insert a record": "INSERT INTO persons (id, created_at, audit_seq, row_mac) VALUES ('per_x', 0, 1, 'forged')",
		"drop last entry": "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
	} {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			if code, _, errs := run(t, dir, "import", "../../ingest/testdata/persian.csv"); code != 0 {
				t.Fatal(errs)
			}
			db, err := sql.Open("sqlite", sqlite.DSN(filepath.Join(dir, "p.db")))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
			db.Close()
			code, out, errs := run(t, dir, "audit", "verify")
			if code != exitIntegrity || !strings.Contains(out, "BROKEN") || !regexp.MustCompile(`entry \d+|not in the audit chain`).MatchString(errs) {
				t.Fatalf("code %d\nstdout %s\nstderr %s", code, out, errs)
			}
		})
	}
}

func TestUsageAndErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "Commands:"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"import"}, exitUsage, "no file given"},
		{[]string{"import", "--map", "x=colour", "f.csv"}, exitUsage, "not a field"},
		{[]string{"export", "--format", "xml"}, exitUsage, "not csv, json or pfif"},
		{[]string{"audit"}, exitUsage, "subcommand is verify"},
		{[]string{"audit", "verify"}, exitNotFound, "no database"},
		{[]string{"import", "-h"}, exitOK, "Example:"},
	} {
		code, out, errs := run(t, dir, tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("%v: code %d, want %d; output %q", tc.args, code, tc.code, out+errs)
		}
	}
	// The wrong key file is refused, not used to write unreadable data.
	if code, _, errs := run(t, dir, "import", "../../ingest/testdata/v1.csv"); code != 0 {
		t.Fatal(errs)
	}
	other := t.TempDir()
	var out, errb bytes.Buffer
	env := map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(other, "k")}
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	if code := m.Run(context.Background(), []string{"import", "../../ingest/testdata/v2.csv"}); code != exitUnauthorized {
		t.Fatalf("wrong key: code %d %s", code, errb.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the server's logger and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestServeDemo(t *testing.T) {
	var logs syncBuffer
	m := &Main{Stdout: io.Discard, Stderr: &logs, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}) }()
	re := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("server did not start:\n%s", logs.String())
	}
	for path, want := range map[string]string{"healthz": "ok", "": "fictitious"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("GET /%s: %d %s", path, resp.StatusCode, body)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
