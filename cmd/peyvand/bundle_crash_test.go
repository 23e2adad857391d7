package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// bundleCrashPersons sizes the bundle the crash test imports: some 15,000
// records with their status events, an import of a second or so, long
// enough to be killed while it verifies, writes or commits.
const bundleCrashPersons = 8000

// TestCrashDuringBundleImport kills `peyvand bundle import` of a large
// bundle with SIGKILL at random moments and checks each time that the
// store opens, its audit chain verifies, and it holds either the whole
// bundle or none of it. Then it imports the bundle to the end and
// compares with a clean import.
func TestCrashDuringBundleImport(t *testing.T) {
	trials, budget := 15, 20*time.Second
	if testing.Short() {
		trials, budget = 5, 10*time.Second
	}
	bin := buildPeyvand(t)
	dir := t.TempDir()
	ctx := context.Background()
	dbA := filepath.Join(dir, "a", "a.db")
	// peyvand runs a command of the binary; db, if not "", is the
	// database it opens. B's databases share one key, so that their
	// keyed digests compare.
	peyvand := func(ctx context.Context, db string, args ...string) *exec.Cmd {
		if db != "" {
			key := filepath.Join(dir, "b.key")
			if db == dbA {
				key = filepath.Join(dir, "a.key")
			}
			n := 1 // the command's words, then its flags
			if args[0] == "audit" || args[0] == "bundle" {
				n = 2
			}
			args = append(append(args[:n:n], "--db", db, "--key", key), args[n:]...)
		}
		return exec.CommandContext(ctx, bin, args...)
	}
	mustRun := func(db string, args ...string) string { // returns stdout
		t.Helper()
		var stderr strings.Builder
		cmd := peyvand(ctx, db, args...)
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("peyvand %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
		}
		return string(out)
	}

	// Instance A, with a large list, sends it to instance B.
	ida, idb := filepath.Join(dir, "id-a"), filepath.Join(dir, "id-b")
	pubA := strings.SplitN(mustRun("", "keys", "generate", "--dir", ida, "--name", "org-a"), "\n", 2)[0]
	pubB := strings.SplitN(mustRun("", "keys", "generate", "--dir", idb, "--name", "org-b"), "\n", 2)[0]
	peersA, peersB := filepath.Join(dir, "peers-a.txt"), filepath.Join(dir, "peers-b.txt")
	os.WriteFile(peersA, []byte(pubB+" kinds=list events=yes\n"), 0o600)
	os.WriteFile(peersB, []byte(pubA+" kinds=list events=yes\n"), 0o600)
	// The list is made by the binary, not in this process: under -race
	// generating it here would take longer than the trials.
	list := filepath.Join(dir, "big.csv")
	mustRun("", "demo", "--seed", "11", "--persons", strconv.Itoa(bundleCrashPersons), "--out", list)
	setup := time.Now()
	os.MkdirAll(filepath.Dir(dbA), 0o700)
	mustRun(dbA, "import", "--quiet", list)
	bf := filepath.Join(dir, "big.bundle")
	start := time.Now()
	mustRun(dbA, "bundle", "export", "--identity", ida, "--peers", peersA, "--to", "org-b", "--out", bf)
	info, err := os.Stat(bf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("exported a bundle of %d bytes in %s", info.Size(), time.Since(start).Round(time.Millisecond))
	importArgs := []string{"bundle", "import", "--identity", idb, "--peers", peersB, bf}

	// B holds a list of its own before: the reference for "none of it".
	fresh := func(db string) {
		t.Helper()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
		os.MkdirAll(filepath.Dir(db), 0o700)
		mustRun(db, "import", "--quiet", "--source", "base", "../../ingest/testdata/persian.csv")
	}
	clean := filepath.Join(dir, "clean", "b.db")
	fresh(clean)
	base := countRows(t, clean)
	start = time.Now()
	if out := mustRun(clean, importArgs...); !strings.Contains(out, "created") {
		t.Fatalf("clean bundle import: %s", out)
	}
	took := time.Since(start)
	whole := countRows(t, clean)
	if whole.records <= base.records+bundleCrashPersons {
		t.Fatalf("the bundle added too little: %+v then %+v", base, whole)
	}
	t.Logf("a clean import of the bundle (%d records, %d events) takes %s",
		whole.records-base.records, whole.events-base.events, took.Round(time.Millisecond))

	t.Logf("setup took %s", time.Since(setup).Round(time.Millisecond))
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 2))
	db := filepath.Join(dir, "crash", "b.db")
	fresh(db)
	var n, killed, landed int // trials, imports killed, imports that landed
	deadline := time.Now().Add(budget)
	// Past the budget, a few more trials if none has killed an import yet
	// (the machine got faster than the clean import measured).
	for i := 0; (i < trials && time.Now().Before(deadline)) || (killed == 0 && i < trials+5); i++ {
		n++
		// Up to past the clean import's time, so that kills land in both
		// passes, the commit, and some after.
		delay := time.Duration(rng.Int64N(int64(took) * 13 / 10))
		tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		cmd := peyvand(tctx, db, importArgs...)
		if err := cmd.Start(); err != nil {
			cancel()
			t.Fatal(err)
		}
		wasKilled, ranFor, err := killAfter(cmd, delay)
		cancel()
		switch {
		case wasKilled:
			killed++
		case err == nil:
			// It finished before the kill: imports are now quicker than
			// the clean one measured, so aim the next kills earlier.
			took = min(took, ranFor)
		default:
			t.Fatalf("trial %d (seed %d): bundle import failed on its own: %v", i+1, seed, err)
		}
		if out, err := peyvand(ctx, db, "audit", "verify").CombinedOutput(); err != nil {
			t.Fatalf("trial %d (seed %d, killed after %s): audit verify: %v\n%s", i+1, seed, delay, err, out)
		}
		switch got := countRows(t, db); got {
		case base:
		case whole:
			landed++
			fresh(db) // so the next kill can again land in an import that changes something
		default:
			t.Fatalf("trial %d (seed %d, killed after %s): the store holds part of the bundle: %+v, want %+v or %+v",
				i+1, seed, delay, got, base, whole)
		}
		// No spooled or half-written file is left beside the bundle.
		if left, _ := filepath.Glob(filepath.Join(dir, "peyvand-bundle-*")); len(left) > 0 {
			t.Fatalf("trial %d: left behind: %v", i+1, left)
		}
	}
	if n < 5 {
		t.Fatalf("only %d trials in %s: the machine is too slow for this test", n, budget)
	}
	if killed == 0 {
		t.Fatalf("%d trials (seed %d) killed no import: the test tested nothing", n, seed)
	}
	t.Logf("%d trials (seed %d): %d bundle imports killed by SIGKILL, %d left the store as before, %d landed whole; audit verify passed after every one",
		n, seed, killed, n-landed, landed)

	// After the crashes the import runs to the end, lands whole and gives
	// what a clean one gives; once more, it changes nothing.
	mustRun(db, importArgs...)
	if out, err := peyvand(ctx, db, "audit", "verify").CombinedOutput(); err != nil {
		t.Fatalf("audit verify after the last import: %v\n%s", err, out)
	}
	if got := countRows(t, db); got != whole {
		t.Fatalf("after the crashes the import left %+v, want %+v", got, whole)
	}
	if a, b := contentOf(t, clean), contentOf(t, db); a != b {
		t.Fatalf("after the crashes the import differs from a clean one (%d and %d bytes of content)", len(a), len(b))
	}
	if out := mustRun(db, importArgs...); !strings.Contains(out, "nothing new") {
		t.Fatalf("the bundle imported again: %s", out)
	}
}
