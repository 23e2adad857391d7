package main

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"peyvand/demo"
)

// crashPersons sizes the crash test's list: some 57,000 rows, an import
// of a second or two on a small machine, long enough to be killed in the
// middle of parsing, sealing, inserting or committing.
const crashPersons = 30000

// TestCrashDuringImport kills `peyvand import` with SIGKILL at random
// moments, many times over, and checks each time that the store opens,
// its audit chain verifies, and it holds either the whole import or none
// of it. Then it imports to the end and compares with a clean import.
func TestCrashDuringImport(t *testing.T) {
	trials, budget := 20, 40*time.Second
	if testing.Short() {
		trials, budget = 5, 15*time.Second
	}
	bin := buildPeyvand(t)
	dir := t.TempDir()
	list := filepath.Join(dir, "big.csv")
	writeDemoCSV(t, list, crashPersons)
	key := filepath.Join(dir, "p.key")
	peyvand := func(ctx context.Context, db string, args ...string) *exec.Cmd {
		n := 1 // the command's words, then its flags
		if args[0] == "audit" {
			n = 2
		}
		args = append(append(args[:n:n], "--db", db, "--key", key), args[n:]...)
		return exec.CommandContext(ctx, bin, args...)
	}
	ctx := context.Background()
	mustRun := func(db string, args ...string) {
		t.Helper()
		if out, err := peyvand(ctx, db, args...).CombinedOutput(); err != nil {
			t.Fatalf("peyvand %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	// A clean import: the reference, and how long an import takes.
	clean := filepath.Join(dir, "clean", "p.db")
	os.MkdirAll(filepath.Dir(clean), 0o700)
	mustRun(clean, "import", "--quiet", "--source", "base", "../../ingest/testdata/persian.csv")
	base := countRows(t, clean)
	start := time.Now()
	mustRun(clean, "import", "--quiet", list)
	took := time.Since(start)
	whole := countRows(t, clean)
	if whole.records <= base.records {
		t.Fatalf("the import added nothing: %+v then %+v", base, whole)
	}
	t.Logf("a clean import of %d records takes %s", whole.records-base.records, took.Round(time.Millisecond))

	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	db := filepath.Join(dir, "crash", "p.db")
	fresh := func() {
		t.Helper()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
		os.MkdirAll(filepath.Dir(db), 0o700)
		mustRun(db, "import", "--quiet", "--source", "base", "../../ingest/testdata/persian.csv")
	}
	fresh()
	var n, killed, landed int // trials, imports killed, imports that landed
	deadline := time.Now().Add(budget)
	for i := 0; i < trials && time.Now().Before(deadline); i++ {
		n++
		// Up to a little past the clean import's time, so that kills land
		// from process start to commit and a few after.
		delay := time.Duration(rng.Int64N(int64(took) * 11 / 10))
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		cmd := peyvand(tctx, db, "import", "--quiet", list)
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
		default:
			t.Fatalf("trial %d (seed %d): import failed on its own: %v", i+1, seed, err)
		}
		if out, err := peyvand(ctx, db, "audit", "verify").CombinedOutput(); err != nil {
			t.Fatalf("trial %d (seed %d, killed after %s): audit verify: %v\n%s", i+1, seed, delay, err, out)
		}
		switch got := countRows(t, db); got {
		case base:
		case whole:
			landed++
			fresh() // so the next kill can again land in an import that changes something
		default:
			t.Fatalf("trial %d (seed %d, killed after %s): the store holds part of an import: %+v, want %+v or %+v",
				i+1, seed, delay, got, base, whole)
		}
	}
	if n < 5 {
		t.Fatalf("only %d trials in %s: the machine is too slow for this test", n, budget)
	}
	t.Logf("%d trials (seed %d): %d imports killed by SIGKILL, %d left the store as before, %d landed whole; audit verify passed after every one",
		n, seed, killed, n-landed, landed)

	// After the crashes an import to the end gives what a clean one gives.
	mustRun(db, "import", "--quiet", list)
	if out, err := peyvand(ctx, db, "audit", "verify").CombinedOutput(); err != nil {
		t.Fatalf("audit verify after the last import: %v\n%s", err, out)
	}
	if a, b := contentOf(t, clean), contentOf(t, db); a != b {
		t.Fatalf("after the crashes the import differs from a clean one (%d and %d bytes of content)", len(a), len(b))
	}
}

func writeDemoCSV(t *testing.T, path string, persons int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := demo.WriteCSV(w, demo.Generate(demo.Options{Seed: 11, Persons: persons})); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// rowCounts is what an import changes.
type rowCounts struct{ records, events, persons, entries int }

func countRows(t *testing.T, path string) rowCounts {
	t.Helper()
	db := openSQLite(t, path)
	defer db.Close()
	var c rowCounts
	err := db.QueryRow(`SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM status_events),
		(SELECT count(*) FROM persons), (SELECT count(*) FROM audit_log)`).Scan(&c.records, &c.events, &c.persons, &c.entries)
	if err != nil {
		t.Fatalf("count rows of %s: %v", path, err)
	}
	return c
}

// contentOf is what a source said, independent of the ids and times an
// import gives: per record its source, own id, keyed digest of content and
// revision, and its events.
func contentOf(t *testing.T, path string) string {
	t.Helper()
	db := openSQLite(t, path)
	defer db.Close()
	var sb strings.Builder
	for _, q := range []string{
		`SELECT s.name || '|' || r.external_id || '|' || r.digest || '|' || r.revision
			FROM records r JOIN sources s ON s.id = r.source_id ORDER BY 1`,
		`SELECT s.name || '|' || r.external_id || '|' || e.external_id || '|' || e.status || '|' || e.date || '|' || e.place
			FROM status_events e JOIN records r ON r.id = e.record_id JOIN sources s ON s.id = r.source_id ORDER BY 1`,
		`SELECT name || '|' || kind || '|' || organisation || '|' || independent FROM sources ORDER BY 1`,
		`SELECT count(*) FROM persons`,
		`SELECT count(*) FROM record_history`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			sb.WriteString(line + "\n")
		}
		rows.Close()
	}
	return sb.String()
}
