package storetest

import (
	"strings"
	"testing"

	"peyvand"
)

func testSources(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	src := peyvand.Source{Name: "hrana-2026-01", Kind: peyvand.SourceList, Organisation: "HRANA", Independent: true}
	a, err := s.EnsureSource(ctx, actor, src)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.EnsureSource(ctx, actor, src)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.ID != b.ID {
		t.Fatalf("EnsureSource twice gave ids %q and %q, want one", a.ID, b.ID)
	}
	got, err := s.SourceByName(ctx, "hrana-2026-01")
	if err != nil || got.Organisation != "HRANA" || !got.Independent || got.Kind != peyvand.SourceList {
		t.Fatalf("SourceByName = %+v, %v", got, err)
	}
	_, err = s.SourceByName(ctx, "nope")
	wantCode(t, err, peyvand.ENOTFOUND)
	_, err = s.EnsureSource(ctx, actor, peyvand.Source{Name: "x", Kind: "rumour"})
	wantCode(t, err, peyvand.EINVALID)
	_, err = s.EnsureSource(ctx, "", src)
	wantCode(t, err, peyvand.EINVALID)
	all, err := s.Sources(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("Sources = %v, %v", all, err)
	}
}

func testImportRoundTrip(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	sum := importRows(t, s, "list-a", sample())
	if sum.Created != 3 || sum.Events != 3 {
		t.Fatalf("summary = %+v, want 3 created, 3 events", sum)
	}
	recs := allRecords(t, s)
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	byExt := map[string]peyvand.Record{}
	for _, r := range recs {
		byExt[r.ExternalID] = r
	}
	for _, want := range sample() {
		got := byExt[want.Record.ExternalID]
		w := want.Record
		w.ID, w.SourceID, w.PersonID, w.Revision, w.RecordedAt, w.UpdatedAt, w.AuditSeq = got.ID, got.SourceID, got.PersonID, 1, got.RecordedAt, got.UpdatedAt, got.AuditSeq
		if got != w {
			t.Errorf("record %s read back as\n%+v\nwant\n%+v", w.ExternalID, got, w)
		}
		d, err := s.Dossier(ctx, got.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Records) != 1 || len(d.Events) != 1 {
			t.Fatalf("dossier of %s: %d records, %d events", w.ExternalID, len(d.Records), len(d.Events))
		}
		e := d.Events[0]
		we := want.Events[0]
		if e.Status != we.Status || e.Date != we.Date || e.Place != we.Place || e.Text != we.Text ||
			e.Verification != peyvand.Reported || e.Actor != actor || e.RecordID != got.ID {
			t.Errorf("event of %s read back as %+v, want %+v", w.ExternalID, e, we)
		}
	}
	st := stats(t, s)
	if st.Records != 3 || st.Persons != 3 || st.Events != 3 || st.Sources != 1 {
		t.Fatalf("stats = %+v", st)
	}
	_, err := s.Record(ctx, "rec_nope")
	wantCode(t, err, peyvand.ENOTFOUND)
	_, err = s.Dossier(ctx, "per_nope")
	wantCode(t, err, peyvand.ENOTFOUND)
}

func testImportIdempotent(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	before := stats(t, s)
	sum := importRows(t, s, "list-a", sample())
	if sum.Created != 0 || sum.Updated != 0 || sum.Unchanged != 3 || sum.Events != 0 {
		t.Fatalf("second import summary = %+v, want 3 unchanged and nothing else", sum)
	}
	if after := stats(t, s); after != before {
		t.Fatalf("stats changed on re-import: %+v -> %+v", before, after)
	}
	// The same rows from another source are other records.
	sum = importRows(t, s, "list-b", sample())
	if sum.Created != 3 {
		t.Fatalf("import into another source created %d, want 3", sum.Created)
	}
	mustVerify(t, s)
}

func testImportNewRevision(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	newer := sample()
	newer[1].Record.City = "Karaj"
	newer[1].Events = append(newer[1].Events, peyvand.StatusEvent{Status: peyvand.StatusKilled,
		Date: peyvand.Date{Year: 2026, Month: 1, Day: 9}, Place: "Karaj"})
	newer = append(newer, peyvand.ImportRow{Line: 5, Record: peyvand.Record{ExternalID: "A-4", FullName: "Reza Hosseini"}})
	sum := importRows(t, s, "list-a", newer)
	if sum.Created != 1 || sum.Updated != 1 || sum.Unchanged != 2 || sum.Events != 1 {
		t.Fatalf("summary = %+v, want 1 created, 1 updated, 2 unchanged, 1 event", sum)
	}
	var r peyvand.Record
	for _, x := range allRecords(t, s) {
		if x.ExternalID == "A-2" {
			r = x
		}
	}
	if r.City != "Karaj" || r.Revision != 2 || r.UpdatedAt.Before(r.RecordedAt) {
		t.Fatalf("updated record = %+v, want city Karaj revision 2", r)
	}
	if st := stats(t, s); st.Records != 4 || st.Events != 4 {
		t.Fatalf("stats = %+v, want 4 records 4 events", st)
	}
	mustVerify(t, s)
}

func testImportRollback(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	tx, err := s.BeginImport(ctx, actor, peyvand.ImportMeta{File: "x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: "rolled-back", Kind: peyvand.SourceList})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range sample() {
		row.Record.SourceID = src.ID
		if _, err := tx.Put(ctx, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if st := stats(t, s); st != (peyvand.Stats{}) {
		t.Fatalf("after rollback stats = %+v, want nothing", st)
	}
	mustVerify(t, s)
	// The store is usable after a rollback.
	importRows(t, s, "list-a", sample())
	mustVerify(t, s)
}

func testImportDuplicateID(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	rows := sample()
	dup := rows[0]
	dup.Line = 9
	rows = append(rows, dup) // the same row twice is harmless
	if sum := importRows(t, s, "list-a", rows); sum.Created != 3 || sum.Unchanged != 1 {
		t.Fatalf("summary = %+v", sum)
	}
	rows = sample()
	other := rows[0]
	other.Line, other.Record.FullName = 9, "someone else"
	rows = append(rows, other)
	_, err := tryImport(s, "list-b", rows)
	wantCode(t, err, peyvand.ECONFLICT)
	if !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), `"A-1"`) {
		t.Fatalf("conflict error %q should name the record id and the first line", err)
	}
	if st := stats(t, s); st.Records != 3 {
		t.Fatalf("failed import left records behind: %+v", st)
	}
}

func testImportInvalid(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	for _, bad := range []peyvand.ImportRow{
		{Record: peyvand.Record{ExternalID: "x", FullName: strings.Repeat("a", 600)}},
		{Record: peyvand.Record{ExternalID: "x", City: "\xff"}},
		{Record: peyvand.Record{ExternalID: "x", Gender: "?"}},
		{Record: peyvand.Record{ExternalID: "x", BirthYear: 1375}},
		{Record: peyvand.Record{ExternalID: "x", Age: 300}},
		{Record: peyvand.Record{ExternalID: "x"}, Events: []peyvand.StatusEvent{{Status: "dead-ish"}}},
		{Record: peyvand.Record{ExternalID: "x"}, Events: []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2026, Month: 2, Day: 30}}}},
	} {
		_, err := tryImport(s, "list-a", []peyvand.ImportRow{sample()[0], bad})
		wantCode(t, err, peyvand.EINVALID)
	}
	if st := stats(t, s); st != (peyvand.Stats{}) {
		t.Fatalf("invalid imports left %+v", st)
	}
}

// testImportEventsOnly: a row that only adds events (a PFIF note about a
// person sent before) leaves the record alone, and creates a bare record
// when the source never sent the person.
func testImportEventsOnly(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	note := peyvand.ImportRow{Line: 2, EventsOnly: true, Record: peyvand.Record{ExternalID: "A-1"},
		Events: []peyvand.StatusEvent{{ExternalID: "note-1", Status: peyvand.StatusReleased}}}
	orphan := peyvand.ImportRow{Line: 3, EventsOnly: true, Record: peyvand.Record{ExternalID: "A-9"},
		Events: []peyvand.StatusEvent{{ExternalID: "note-2", Status: peyvand.StatusMissing}}}
	sum := importRows(t, s, "list-a", []peyvand.ImportRow{note, orphan})
	if sum.Unchanged != 1 || sum.Created != 1 || sum.Events != 2 {
		t.Fatalf("summary = %+v", sum)
	}
	for _, r := range allRecords(t, s) {
		if r.ExternalID == "A-1" && (r.FullName != "محمدرضا حسینی" || r.Revision != 1) {
			t.Fatalf("an events-only row changed the record: %+v", r)
		}
	}
	mustVerify(t, s)
}
