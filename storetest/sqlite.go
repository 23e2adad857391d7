package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"peyvand"
	"peyvand/sqlite"
)

// NewSQLite returns a fresh SQLite store in a temporary directory, opened
// with TestKeys(t, 1) and closed when the test ends: for the tests of
// packages that need a real store, not the store's own.
func NewSQLite(t testing.TB) peyvand.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "peyvand.db"), TestKeys(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
