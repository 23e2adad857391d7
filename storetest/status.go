package storetest

import (
	"testing"

	"peyvand"
)

// testPersonStatus: the light read of a lookup agrees with the dossier:
// the same person, record count and current status, after a merge too,
// and with no sealed field opened.
func testPersonStatus(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	var recs []peyvand.Record
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil || len(recs) < 2 {
		t.Fatalf("records: %d, %v", len(recs), err)
	}
	if _, err := s.MergePersons(ctx, "test", [][]string{{recs[0].ID, recs[1].ID}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		ps, err := s.PersonStatus(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Dossier(ctx, ps.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if ps.PersonID != d.Person.ID || ps.Records != len(d.Records) || len(ps.Events) != len(d.Events) {
			t.Fatalf("record %s: PersonStatus %s, %d records, %d events; dossier %s, %d, %d", r.ID,
				ps.PersonID, ps.Records, len(ps.Events), d.Person.ID, len(d.Records), len(d.Events))
		}
		got, ok1 := ps.Current()
		want, ok2 := d.Current()
		if ok1 != ok2 || got.ID != want.ID || got.Status != want.Status || got.Date != want.Date || got.Verification != want.Verification {
			t.Fatalf("record %s: current %+v, dossier's %+v", r.ID, got, want)
		}
		for _, e := range ps.Events {
			if e.Text != "" || e.Reporter != "" || e.Contact != "" {
				t.Fatal("PersonStatus opened a sealed field")
			}
		}
	}
	_, err := s.PersonStatus(ctx, "rec_nope")
	wantCode(t, err, peyvand.ENOTFOUND)
}

// testRecordsAfterSeq: a reader that noted the last audit entry it saw
// gets exactly the records created, changed or moved since.
func testRecordsAfterSeq(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	var last int64
	var recs []peyvand.Record
	s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		if r.AuditSeq <= 0 {
			t.Fatalf("record %s has audit seq %d", r.ID, r.AuditSeq)
		}
		last = max(last, r.AuditSeq)
		recs = append(recs, r)
		return nil
	})
	after := func() map[string]bool {
		got := map[string]bool{}
		if err := s.WalkRecords(ctx, peyvand.RecordFilter{AfterSeq: last}, func(r peyvand.Record) error {
			got[r.ID] = true
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := after(); len(got) != 0 {
		t.Fatalf("nothing changed, yet %d records after seq %d", len(got), last)
	}
	if _, err := s.MergePersons(ctx, "test", [][]string{{recs[0].ID, recs[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if got := after(); len(got) == 0 || len(got) > 2 {
		t.Fatalf("after a merge, records after seq %d: %v", last, got)
	}
}
