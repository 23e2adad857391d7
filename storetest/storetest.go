// Package storetest is the conformance suite every peyvand.Store runs: the
// same promises, checked the same way, for SQLite and PostgreSQL.
package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"testing"

	"peyvand"
	"peyvand/seal"
)

// Target is one fresh, empty store under test.
type Target struct {
	Store peyvand.Store
	// Raw is a separate handle on the same database, used to tamper with
	// it behind the store's back, as a thief or an intruder would.
	Raw *sql.DB
	// Reopen opens the same database again with other keys.
	Reopen func(keys *seal.Keys) (peyvand.Store, error)
	// Rebind rewrites "?" placeholders for Raw's dialect.
	Rebind func(string) string
}

// Opener returns a fresh, empty store opened with keys; it registers its
// own cleanup with t.
type Opener func(t *testing.T, keys *seal.Keys) Target

// TestKeys returns fixed keys for tests.
func TestKeys(t testing.TB, b byte) *seal.Keys {
	k, err := seal.New(bytes.Repeat([]byte{b}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"Sources", testSources},
		{"ImportRoundTrip", testImportRoundTrip},
		{"ImportIdempotent", testImportIdempotent},
		{"ImportNewRevision", testImportNewRevision},
		{"ImportRollback", testImportRollback},
		{"ImportDuplicateID", testImportDuplicateID},
		{"ImportInvalid", testImportInvalid},
		{"ImportEventsOnly", testImportEventsOnly},
		{"EventsAndCurrentStatus", testEvents},
		{"MergePersons", testMergePersons},
		{"Inquiries", testInquiries},
		{"SealedAtRest", testSealedAtRest},
		{"WrongKey", testWrongKey},
		{"AuditClean", testAuditClean},
		{"AuditTamper", testAuditTamper},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Accounts", testAccounts},
		{"Review", testReview},
		{"Cases", testCases},
		{"Disclose", testDisclose},
		{"PersonStatus", testPersonStatus},
		{"RecordsAfterSeq", testRecordsAfterSeq},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

const actor = "test:storetest"

var ctx = context.Background()

// sample returns records with Persian and Latin names, sealed fields and
// events, as an organisation's list would bring them.
func sample() []peyvand.ImportRow {
	return []peyvand.ImportRow{
		{Line: 2, Record: peyvand.Record{ExternalID: "A-1", FullName: "محمدرضا حسینی", GivenName: "محمدرضا",
			FamilyName: "حسینی", FatherName: "علی", Gender: peyvand.GenderMale, BirthYear: 1996,
			City: "کرج", Province: "البرز", NationalID: "0012345679", NationalIDValid: true,
			Contact: "+49 151 0000 1111", Reporter: "witness Leyla K.", Notes: "seen at Evin on 20 Dey"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusDetained, Date: peyvand.Date{Year: 2026, Month: 1, Day: 10}, Place: "Evin"}}},
		{Line: 3, Record: peyvand.Record{ExternalID: "A-2", FullName: "Shirin Ghasemi", GivenName: "Shirin",
			FamilyName: "Ghasemi", Gender: peyvand.GenderFemale, Age: 24, AgeDate: peyvand.Date{Year: 2026, Month: 1},
			City: "Tehran", NationalID: "12-34", NationalIDValid: false},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2026, Month: 1, Day: 8},
				Place: "Tehran", Text: "shot near Enghelab square, told by her cousin"}}},
		{Line: 4, Record: peyvand.Record{ExternalID: "A-3", FullName: "زهره کاظمی"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusMissing}}},
	}
}

// importRows imports rows into a source named name and fails the test on error.
func importRows(t *testing.T, s peyvand.Store, name string, rows []peyvand.ImportRow) peyvand.ImportSummary {
	t.Helper()
	sum, err := tryImport(s, name, rows)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

func tryImport(s peyvand.Store, name string, rows []peyvand.ImportRow) (peyvand.ImportSummary, error) {
	tx, err := s.BeginImport(ctx, actor, peyvand.ImportMeta{File: name + ".csv", Format: "test"})
	if err != nil {
		return peyvand.ImportSummary{}, err
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: name, Kind: peyvand.SourceList, Organisation: "org", Independent: true})
	if err != nil {
		tx.Rollback()
		return peyvand.ImportSummary{}, err
	}
	for _, row := range rows {
		row.Record.SourceID = src.ID
		if _, err := tx.Put(ctx, row); err != nil {
			tx.Rollback()
			return peyvand.ImportSummary{}, err
		}
	}
	return tx.Commit(ctx)
}

func allRecords(t *testing.T, s peyvand.Store) []peyvand.Record {
	t.Helper()
	var out []peyvand.Record
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func stats(t *testing.T, s peyvand.Store) peyvand.Stats {
	t.Helper()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustVerify(t *testing.T, s peyvand.Store) peyvand.AuditReport {
	t.Helper()
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("audit verify found problems on an untouched store: %v", rep.Problems)
	}
	return rep
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := peyvand.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
