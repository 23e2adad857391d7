package ingest_test

import (
	"strings"
	"testing"

	"peyvand"
	"peyvand/ingest"
)

// The PFIF files of Google Person Finder's own tests: a real peer's view of
// the format, in every version it wrote.
func TestPersonFinderFiles(t *testing.T) {
	for _, tc := range []struct {
		file            string
		records, events int
	}{
		{"test.pfif-1.1.xml", 1, 2},
		{"test.pfif-1.2.xml", 1, 4},
		{"test.pfif-1.4.xml", 1, 4},
		{"test.pfif-1.2-note.xml", 2, 2},
		{"test.pfif-1.2-believed-dead.xml", 1, 1},
		{"test.pfif-1.2-source.xml", 1, 0},
		{"test.pfif-1.2-badrecord.xml", 2, 4},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := newStore(t)
			path := "../pfif/testdata/" + tc.file
			res, err := ingest.File(ctx, s, path, ingest.Options{Source: "personfinder"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Created != tc.records || res.Events != tc.events || !strings.HasPrefix(res.Format, "pfif 1.") {
				t.Fatalf("result = %+v, want %d records %d events", res, tc.records, tc.events)
			}
			again, err := ingest.File(ctx, s, path, ingest.Options{Source: "personfinder"})
			if err != nil || again.Created != 0 || again.Events != 0 {
				t.Fatalf("second import = %+v, %v: want nothing new", again, err)
			}
			rep, err := s.VerifyAudit(ctx)
			if err != nil || !rep.OK() {
				t.Fatalf("audit: %+v %v", rep, err)
			}
		})
	}
}

func TestPFIF14Fields(t *testing.T) {
	s := newStore(t)
	if _, err := ingest.File(ctx, s, "../pfif/testdata/test.pfif-1.4.xml", ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	d := records(t, s)["test.google.com/person.21009"]
	r := d.Records[0]
	if r.FullName != "_test_full_name1" || !strings.Contains(r.OtherNames, "_test_full_name2") ||
		!strings.Contains(r.OtherNames, "_test_alternate_name2") || r.City != "_test_home_city" ||
		r.Gender != peyvand.GenderFemale || r.BirthYear != 1970 || r.Age != 40 || r.Contact == "" || r.Reporter != "_test_author_name" {
		t.Fatalf("record = %+v", r)
	}
	statuses := map[peyvand.Status]int{}
	for _, e := range d.Events {
		statuses[e.Status]++
	}
	if statuses[peyvand.StatusMissing] != 2 || statuses[peyvand.StatusSafe] != 1 || statuses[peyvand.StatusUnknown] != 1 {
		t.Fatalf("statuses = %v", statuses)
	}
}

// A note about a person the source sent earlier adds an event and leaves
// the record alone.
func TestPFIFNoteAfterPerson(t *testing.T) {
	s := newStore(t)
	opt := ingest.Options{Source: "pf"}
	if _, err := ingest.File(ctx, s, "../pfif/testdata/test.pfif-1.2-source.xml", opt); err != nil {
		t.Fatal(err)
	}
	before := records(t, s)
	res, err := ingest.File(ctx, s, "../pfif/testdata/test.pfif-1.2-note.xml", opt)
	if err != nil {
		t.Fatal(err)
	}
	after := records(t, s)
	for id, d := range before {
		if after[id].Records[0].FullName != d.Records[0].FullName || after[id].Records[0].Revision != 1 {
			t.Fatalf("a note changed record %s: %+v", id, after[id].Records[0])
		}
	}
	if res.Events != 2 {
		t.Fatalf("notes gave %d events, want 2", res.Events)
	}
}
