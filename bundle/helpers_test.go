package bundle

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"peyvand"
	"peyvand/identity"
	"peyvand/sqlite"
	"peyvand/storetest"
)

var ctx = context.Background()

// Fixed test identities: Ed25519 keys from fixed seeds and age keys
// generated once, so that the test vector under testdata stays valid.
// They are published: never use them for anything real.
const (
	aliceAge = "AGE-SECRET-KEY-1DE8LZ06KJZKPJ892QG4M95MYLXD9YC2C6RS2KXCM6NQ3VFAQ0M7SACFCZ8"
	bobAge   = "AGE-SECRET-KEY-104WJ36HCG946HHYKVWG5AAK8V6MHREXLUJMV4LXJ5PZVVLGRLLAQTVCL9F"
)

func testIdentity(t testing.TB, name string, seed byte, ageKey string) *identity.Identity {
	t.Helper()
	id, err := identity.New(name, bytes.Repeat([]byte{seed}, 32), ageKey)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func alice(t testing.TB) *identity.Identity { return testIdentity(t, "alice", 0xa1, aliceAge) }
func bob(t testing.TB) *identity.Identity   { return testIdentity(t, "bob", 0xb0, bobAge) }

// peersOf returns a peers file trusting ids for every kind, events and
// verification.
func peersOf(t testing.TB, ids ...*identity.Identity) *identity.Peers {
	t.Helper()
	var b strings.Builder
	for _, id := range ids {
		fmt.Fprintf(&b, "%s kinds=list,witness,news,inquiry events=yes verification=verified\n", id.Public())
	}
	ps, err := identity.ParsePeers("peers.txt", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// newStore opens a fresh SQLite store in a temporary directory.
func newStore(t testing.TB, key byte) peyvand.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"), storetest.TestKeys(t, key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fill imports a small list with sealed fields and events into s.
func fill(t testing.TB, s peyvand.Store, source string, kind peyvand.SourceKind, rows []peyvand.ImportRow) {
	t.Helper()
	tx, err := s.BeginImport(ctx, "test", peyvand.ImportMeta{File: source + ".csv", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: source, Kind: kind, Organisation: "Org " + source, Independent: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		r.Record.SourceID = src.ID
		if _, err := tx.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func sampleRows() []peyvand.ImportRow {
	return []peyvand.ImportRow{
		{Record: peyvand.Record{ExternalID: "A-1", FullName: "محمدرضا حسینی", GivenName: "محمدرضا", FamilyName: "حسینی",
			FatherName: "علی", Gender: peyvand.GenderMale, BirthYear: 1996, City: "کرج", Province: "البرز",
			NationalID: "0012345679", NationalIDValid: true, Contact: "+49 151 0000 1111", Reporter: "witness Leyla K.",
			Notes: "seen at Evin"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusDetained, Date: peyvand.Date{Year: 2026, Month: 1, Day: 10},
				Place: "Evin", Text: "told by his cousin", Reporter: "cousin R.", Contact: "+98 912 000 0000"}}},
		{Record: peyvand.Record{ExternalID: "A-2", FullName: "Shirin Ghasemi", Gender: peyvand.GenderFemale, Age: 24,
			AgeDate: peyvand.Date{Year: 2026, Month: 1}, City: "Tehran"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2026, Month: 1, Day: 8},
				Place: "Tehran", Verification: peyvand.Corroborated, Evidence: "hospital list"}}},
		{Record: peyvand.Record{ExternalID: "A-3", FullName: "زهره کاظمی"}},
	}
}

// dump is everything a store holds that an import can change, as text,
// so that two states compare with ==.
func dump(t testing.TB, s peyvand.Store) string {
	t.Helper()
	var b strings.Builder
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "%+v\n", st)
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		fmt.Fprintf(&b, "%+v\n", src)
	}
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		fmt.Fprintf(&b, "%+v\n", r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		fmt.Fprintf(&b, "%+v\n", e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("audit: %v %v", rep.Problems, err)
	}
	fmt.Fprintf(&b, "audit entries %d rows %d\n", rep.Entries, rep.Rows)
	return b.String()
}

// export writes a bundle of everything in s from a to b.
func export(t testing.TB, s peyvand.Store, from, to *identity.Identity, opt Options) []byte {
	t.Helper()
	opt.From, opt.To = from, to.Public()
	var buf bytes.Buffer
	if _, err := Write(ctx, s, &buf, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fixedNow() time.Time { return time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC) }
