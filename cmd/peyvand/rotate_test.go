package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"peyvand"
	"peyvand/seal"
	"peyvand/sqlite"
)

// TestKeysRotateCLI rotates a store's key end to end through the CLI: the
// key file goes from version 1 to a ring and back to one current key and
// a retired one, the store verifies at every step, re-imports recognise
// their rows, the old key file no longer opens the store, and --finish
// refuses when there is nothing to finish.
func TestKeysRotateCLI(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "p.key")
	if code, out, errs := run(t, dir, "import", "--source", "org-a", "../../ingest/testdata/persian.csv"); code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	oldFile, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	_, before, _ := run(t, dir, "export", "--format", "json", "--include-sealed")

	steps := []struct {
		args     []string
		code     int
		stdout   string // a fragment of it
		keyLines []string
	}{
		{[]string{"keys", "rotate", "--finish"}, exitInvalid, "", nil},
		{[]string{"keys", "rotate", "--batch", "2"}, exitOK, "key rotation from", []string{"current ", "rotating-from "}},
		{[]string{"audit", "verify"}, exitOK, "audit chain OK", nil},
		{[]string{"keys", "rotate"}, exitOK, "0 rows re-sealed", []string{"current ", "rotating-from "}},
		{[]string{"keys", "rotate", "--finish"}, exitOK, "key rotation finished", []string{"current ", "retired "}},
		{[]string{"audit", "verify"}, exitOK, "audit chain OK", nil},
		{[]string{"import", "--source", "org-a", "../../ingest/testdata/persian.csv"}, exitOK, "0 created, 0 updated, 3 unchanged, 0 new status events", nil},
		{[]string{"keys", "rotate", "--finish"}, exitInvalid, "", nil},
	}
	for _, st := range steps {
		code, out, errs := run(t, dir, st.args...)
		if code != st.code || !strings.Contains(out, st.stdout) {
			t.Fatalf("peyvand %s: exit %d, want %d; stdout %q, want it to contain %q\n%s", strings.Join(st.args, " "), code, st.code, out, st.stdout, errs)
		}
		if st.keyLines != nil {
			b, _ := os.ReadFile(keyFile)
			for _, l := range st.keyLines {
				if !strings.Contains(string(b), "\n"+l) {
					t.Fatalf("after %s the key file has no %q line:\n%s", strings.Join(st.args, " "), l, b)
				}
			}
		}
	}
	if _, after, _ := run(t, dir, "export", "--format", "json", "--include-sealed"); maskContentIDs(after) != maskContentIDs(before) {
		t.Fatalf("the export differs after the rotation:\n%s\nwant\n%s", after, before)
	}
	// The old key file, as a thief might have kept it, opens nothing.
	os.WriteFile(keyFile, oldFile, 0o600)
	if code, _, errs := run(t, dir, "audit", "verify"); code != exitUnauthorized || !strings.Contains(errs, "another key") {
		t.Fatalf("audit verify with the old key file: exit %d, want %d\n%s", code, exitUnauthorized, errs)
	}
}

// TestKeysRotateKilled kills `peyvand keys rotate` with SIGKILL at random
// moments, over and over; after each kill the store must open and verify
// with the key file as it was left, and running the command again must
// go on. At the end the rotation finishes and the data reads as before.
func TestKeysRotateKilled(t *testing.T) {
	trials, budget := 12, 40*time.Second
	if testing.Short() {
		trials, budget = 4, 15*time.Second
	}
	bin := buildPeyvand(t)
	dir := t.TempDir()
	db, key := filepath.Join(dir, "p.db"), filepath.Join(dir, "p.key")
	list := filepath.Join(dir, "list.csv")
	writeDemoCSV(t, list, 1500)
	ctx := context.Background()
	peyvand := func(ctx context.Context, args ...string) *exec.Cmd {
		n := 1 // the command's words, then its flags
		if args[0] == "audit" || args[0] == "keys" {
			n = 2
		}
		args = append(append(args[:n:n], "--db", db, "--key", key), args[n:]...)
		return exec.CommandContext(ctx, bin, args...)
	}
	mustRun := func(args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		cmd := peyvand(ctx, args...)
		cmd.Stdout, cmd.Stderr = &out, &errs
		if err := cmd.Run(); err != nil {
			t.Fatalf("peyvand %s: %v\n%s\n%s", strings.Join(args, " "), err, out.String(), errs.String())
		}
		return out.String()
	}
	mustRun("import", "--quiet", list)
	before := mustRun("export", "--format", "csv", "--include-sealed")

	// How long an uninterrupted rotation takes, on a copy.
	start := time.Now()
	copyDB(t, db, filepath.Join(dir, "copy.db"))
	copyFile(t, key, filepath.Join(dir, "copy.key"))
	if out, err := exec.Command(bin, "keys", "rotate", "--batch", "50", "--db", filepath.Join(dir, "copy.db"), "--key", filepath.Join(dir, "copy.key")).CombinedOutput(); err != nil {
		t.Fatalf("rotate a copy: %v\n%s", err, out)
	}
	took := time.Since(start)

	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 2))
	var n, killed int
	done := false
	deadline := time.Now().Add(budget)
	for ; n < trials && !done && time.Now().Before(deadline); n++ {
		delay := time.Duration(rng.Int64N(int64(took)))
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		cmd := peyvand(tctx, "keys", "rotate", "--batch", "50", "--quiet")
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		wasKilled, _, err := killAfter(cmd, delay)
		cancel()
		switch {
		case wasKilled:
			killed++
		case err == nil:
			done = true
		default:
			t.Fatalf("trial %d (seed %d): keys rotate failed on its own: %v", n+1, seed, err)
		}
		if out, err := peyvand(ctx, "audit", "verify").CombinedOutput(); err != nil {
			t.Fatalf("trial %d (seed %d, killed after %s): audit verify: %v\n%s", n+1, seed, delay, err, out)
		}
	}
	t.Logf("%d trials (seed %d): %d rotations killed by SIGKILL; audit verify passed after each", n, seed, killed)
	if killed == 0 && !done {
		t.Fatal("no trial ran")
	}
	mustRun("keys", "rotate", "--batch", "50")
	mustRun("keys", "rotate", "--finish")
	mustRun("audit", "verify")
	if after := mustRun("export", "--format", "csv", "--include-sealed"); maskContentIDs(after) != maskContentIDs(before) {
		t.Fatalf("after the killed rotations the export differs (%d and %d bytes)", len(after), len(before))
	}
	if out := mustRun("import", list); !strings.Contains(out, " 0 created, 0 updated") {
		t.Fatalf("re-import after the rotation changed the store:\n%s", out)
	}
	k, err := seal.Load(key)
	if err != nil || k.Rotating() != nil || len(k.Retired()) != 1 {
		t.Fatalf("key file after --finish: %v, rotating %v; want one retired key", err, k.Rotating())
	}
}

// contentID is a record's content id or an event's content key: keyed
// digests, which a rotation recomputes under the new key.
var contentID = regexp.MustCompile(`\b([hc]):[A-Za-z0-9+/]{22}`)

func maskContentIDs(s string) string { return contentID.ReplaceAllString(s, "$1:*") }

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// copyDB copies a SQLite database whole (VACUUM INTO), whatever is in its
// write-ahead log.
func copyDB(t *testing.T, from, to string) {
	t.Helper()
	db := openSQLite(t, from)
	defer db.Close()
	if _, err := db.Exec("VACUUM INTO ?", to); err != nil {
		t.Fatalf("copy %s: %v", from, err)
	}
}

// TestRetentionCLI: the retention command counts without deleting in a
// dry run, deletes once, prints counts only, and is a no-op the second
// time; the store verifies after.
func TestRetentionCLI(t *testing.T) {
	dir := t.TempDir()
	keys, _, err := seal.LoadOrCreate(filepath.Join(dir, "p.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "p.db"), keys)
	if err != nil {
		t.Fatal(err)
	}
	const contact = "+00 000 0042"
	in, err := s.CreateInquiry(context.Background(), "test", peyvand.Inquiry{Contact: contact, State: peyvand.InquiryClosed},
		peyvand.Record{FullName: "Test Person"}, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	retention := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		env := map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(dir, "p.key"), "USER": "tester"}
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
		return m.exit(m.retentionCmd(context.Background(), args)), out.String() + errb.String()
	}
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{}, exitUsage, "--contacts-after is required"},
		{[]string{"--contacts-after", "ninety"}, exitUsage, "neither days"},
		{[]string{"--contacts-after", "30d"}, exitOK, "0 inquiry contacts and 0 case delivery notes deleted; 1 closed or told inquiries not yet due"},
		{[]string{"--contacts-after", "0d", "--dry-run"}, exitOK, "1 inquiry contacts and 0 case delivery notes would be deleted (dry run)"},
		{[]string{"--contacts-after", "0d"}, exitOK, "1 inquiry contacts and 0 case delivery notes deleted"},
		{[]string{"--contacts-after", "0d"}, exitOK, "0 inquiry contacts and 0 case delivery notes deleted; 0 closed"},
	} {
		code, out := retention(c.args...)
		if code != c.code || !strings.Contains(out, c.out) || strings.Contains(out, contact) {
			t.Fatalf("retention %v: exit %d, want %d; output %q, want it to contain %q (and never the contact)", c.args, code, c.code, out, c.out)
		}
	}
	if code, out, _ := run(t, dir, "audit", "verify"); code != 0 {
		t.Fatalf("audit verify after retention: %d\n%s", code, out)
	}
	s, err = sqlite.Open(context.Background(), filepath.Join(dir, "p.db"), keys)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Inquiry(context.Background(), in.ID); err != nil || got.Contact != "" {
		t.Fatalf("inquiry after retention: contact %q, %v; want it deleted", got.Contact, err)
	}
}
