package main

import (
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"peyvand/sqlite"
)

// buildPeyvand builds the command into a temporary directory, for the
// tests that kill it with SIGKILL (a process of its own, not a goroutine).
func buildPeyvand(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build peyvand with")
	}
	bin := filepath.Join(t.TempDir(), "peyvand")
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build peyvand: %v\n%s", err, out)
	}
	return bin
}

// killAfter waits for a started command, sending it SIGKILL after delay
// if it is still running. It reports whether the kill ended it, how long
// it ran when it finished on its own, and any other failure.
func killAfter(cmd *exec.Cmd, delay time.Duration) (killed bool, ranFor time.Duration, err error) {
	begin := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
		ranFor = time.Since(begin)
	case <-time.After(delay):
		cmd.Process.Signal(syscall.SIGKILL)
		err = <-done
		// The command may have ended on its own just before the signal:
		// then it ran this long, not 0 (which made a caller aim its next
		// kill at 0 and rand.Int64N panic).
		ranFor = time.Since(begin)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
		return true, 0, nil
	}
	return false, ranFor, err
}

// openSQLite opens a store's SQLite file directly, as someone with the
// file would, to count, compare or tamper with rows. The caller closes it.
func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	return db
}
