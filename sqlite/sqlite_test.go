package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"peyvand"
	"peyvand/seal"
	"peyvand/sqlite"
	"peyvand/storetest"
)

func open(t *testing.T, keys *seal.Keys) storetest.Target {
	path := filepath.Join(t.TempDir(), "peyvand.db")
	s, err := sqlite.Open(context.Background(), path, keys)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); raw.Close() })
	return storetest.Target{
		Store: s,
		Raw:   raw,
		Reopen: func(k *seal.Keys) (peyvand.Store, error) {
			return sqlite.Open(context.Background(), path, k)
		},
		Rebind: func(q string) string { return q },
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}

// TestStolenFile reads the database file and its write-ahead log as bytes,
// as someone who copied them off the server would, and looks for sealed
// values.
func TestStolenFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "peyvand.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, storetest.TestKeys(t, 7))
	if err != nil {
		t.Fatal(err)
	}
	code := peyvand.NewInquiryCode()
	if _, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Contact: "mother-phone-+98-912-555-0101"},
		peyvand.Record{FullName: "Narges Mohammadi", Notes: "last seen near Azadi tower"}, code); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		files, _ := filepath.Glob(path + "*")
		if len(files) == 0 {
			t.Fatal("no database files")
		}
		sawName := false
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{"mother-phone", "Azadi tower", code} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("%s: %s holds %q in the clear", when, filepath.Base(f), secret)
				}
			}
			sawName = sawName || bytes.Contains(b, []byte("Narges Mohammadi"))
		}
		if !sawName {
			t.Fatalf("%s: the unsealed name is not in the files either; is this test reading the database?", when)
		}
	}
	check("while open") // the data may still be in the WAL
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	check("after close")
}

// TestOddPaths: a path with "#", "?" or "%" in a directory's name is one
// file of its own, not a URI query or fragment that makes two stores share
// a file.
func TestOddPaths(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i, name := range []string{"a#1", "a?2", "a%233", "a"} {
		sub := filepath.Join(dir, name)
		if err := os.Mkdir(sub, 0o700); err != nil {
			t.Fatal(err)
		}
		s, err := sqlite.Open(ctx, filepath.Join(sub, "p.db"), storetest.TestKeys(t, 1))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := s.EnsureSource(ctx, "test", peyvand.Source{Name: "src" + string(rune('a'+i)), Kind: peyvand.SourceList}); err != nil {
			t.Fatal(err)
		}
		srcs, err := s.Sources(ctx)
		s.Close()
		if err != nil || len(srcs) != 1 {
			t.Fatalf("%s: the store holds %d sources (%v): it shares a file with another", name, len(srcs), err)
		}
		if _, err := os.Stat(filepath.Join(sub, "p.db")); err != nil {
			t.Fatalf("%s: no file at the path given: %v", name, err)
		}
	}
}
