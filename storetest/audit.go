package storetest

import (
	"strings"
	"testing"

	"peyvand"
)

func testAuditClean(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	rep := mustVerify(t, s) // an empty store
	if rep.Entries != 0 {
		t.Fatalf("empty store has %d entries", rep.Entries)
	}
	importRows(t, s, "list-a", sample())
	rep = mustVerify(t, s)
	// One entry for the import (its source included); the source and
	// 3 × (person, record, event) rows.
	if rep.Entries != 1 || rep.Rows != 10 {
		t.Fatalf("report = %+v, want 1 entry and 10 rows", rep)
	}
}

// recordColumns are the records table's columns (record_history has them
// too, and replaced_at).
var recordColumns = []string{"id", "source_id", "external_id", "person_id", "full_name", "given_name",
	"family_name", "father_name", "other_names", "gender", "birth_year", "age", "age_date", "city", "province",
	"national_id", "national_id_valid", "contact_sealed", "reporter_sealed", "notes_sealed", "digest",
	"revision", "recorded_at", "updated_at", "audit_seq", "row_mac"}

// testAuditTamper changes the database behind the store's back, each time
// in a fresh store, and expects verification to name what was done. The
// chain: entry 1 imports the sample, entry 2 re-imports it with A-1
// changed (its first version goes to record_history), entries 3 and 4 add
// an event each.
func testAuditTamper(t *testing.T, open Opener) {
	cases := []struct {
		name string
		sql  []string
		want string // a fragment of the first problem
	}{
		{"edit a record", []string{"UPDATE records SET full_name = 'someone else' WHERE external_id = 'A-2'"},
			"does not match its MAC"},
		{"edit a status", []string{"UPDATE status_events SET status = 'safe' WHERE status = 'killed'"},
			"status_events"},
		{"move a sealed field", []string{"UPDATE records SET contact_sealed = (SELECT contact_sealed FROM records WHERE external_id = 'A-1') WHERE external_id = 'A-3'"},
			"does not match its MAC"},
		{"move a row to another entry", []string{"UPDATE persons SET audit_seq = 3"},
			"does not match its MAC"},
		{"delete an event", []string{"DELETE FROM status_events WHERE status = 'missing'"},
			"entry 1: should have 3 status_events rows, the database has 2"},
		{"insert a person", []string{"INSERT INTO persons (id, created_at, audit_seq, row_mac) VALUES ('per_forged', 1, 1, 'x')"},
			"persons per_forged: does not match its MAC"},
		{"insert a copy of a person", []string{"INSERT INTO persons (id, created_at, audit_seq, row_mac) SELECT 'per_forged', created_at, audit_seq, row_mac FROM persons WHERE id = (SELECT min(id) FROM persons)"},
			"persons per_forged: does not match its MAC"},
		{"put an old version back", []string{
			"UPDATE records SET (" + strings.Join(recordColumns[1:], ", ") + ") = (SELECT " + strings.Join(recordColumns[1:], ", ") +
				" FROM record_history h WHERE h.id = records.id) WHERE external_id = 'A-1'"},
			"entry 1: should have 2 records rows, the database has 3"},
		{"edit an entry", []string{"UPDATE audit_log SET actor = 'someone else' WHERE seq = 2"},
			"entry 2: its MAC does not match"},
		{"delete an entry in the middle", []string{"DELETE FROM audit_log WHERE seq = 3"},
			"entry 3: missing"},
		{"delete the last entry", []string{"DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)"},
			"entry 4: missing"},
		{"rewrite the head", []string{"UPDATE meta SET value = '3 x y' WHERE key = 'audit_head'"},
			"chain head"},
		{"edit a history row", []string{"UPDATE record_history SET city = 'Isfahan'"},
			"record_history"},
		{"delete a history row", []string{"DELETE FROM record_history"},
			"earlier revisions kept in record_history"},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			tg := open(t, TestKeys(t, 1))
			importRows(t, tg.Store, "list-a", sample())
			newer := sample()
			newer[0].Record.City = "Tehran"
			importRows(t, tg.Store, "list-a", newer)
			rec := allRecords(t, tg.Store)[0]
			for _, st := range []peyvand.Status{peyvand.StatusReleased, peyvand.StatusSafe} {
				if _, err := tg.Store.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: rec.ID, Status: st}); err != nil {
					t.Fatal(err)
				}
			}
			mustVerify(t, tg.Store)
			for _, q := range c.sql {
				res, err := tg.Raw.ExecContext(ctx, tg.Rebind(q))
				if err != nil {
					t.Fatalf("tamper %q: %v", q, err)
				}
				if n, _ := res.RowsAffected(); n == 0 {
					t.Fatalf("tamper %q changed nothing", q)
				}
			}
			rep, err := tg.Store.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatalf("verification passed after %s", c.name)
			}
			if !strings.Contains(rep.Problems[0], c.want) {
				t.Fatalf("first problem %q does not contain %q (all: %v)", rep.Problems[0], c.want, rep.Problems)
			}
		})
	}
	// A sealed field that was tampered with is an integrity error on read.
	tg := open(t, TestKeys(t, 1))
	importRows(t, tg.Store, "list-a", sample())
	if _, err := tg.Raw.ExecContext(ctx, tg.Rebind("UPDATE records SET contact_sealed = (SELECT contact_sealed FROM records WHERE external_id = 'A-1') WHERE external_id = 'A-3'")); err != nil {
		t.Fatal(err)
	}
	err := tg.Store.WalkRecords(ctx, peyvand.RecordFilter{}, func(peyvand.Record) error { return nil })
	wantCode(t, err, peyvand.EINTEGRITY)
}
