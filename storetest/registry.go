package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"peyvand"
)

func testEvents(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	var rec peyvand.Record
	for _, r := range allRecords(t, s) {
		if r.ExternalID == "A-1" {
			rec = r
		}
	}
	d, err := s.Dossier(ctx, rec.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	first := d.Events[0]
	if cur, _ := d.Current(); cur.Status != peyvand.StatusDetained {
		t.Fatalf("current status = %s, want detained", cur.Status)
	}
	// A later report of release.
	rel, err := s.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: rec.ID, Status: peyvand.StatusReleased,
		Date: peyvand.Date{Year: 2026, Month: 2, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// A verifier corrects the detention date and verifies it: a new event.
	fix, err := s.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: rec.ID, Status: peyvand.StatusDetained,
		Date: peyvand.Date{Year: 2026, Month: 1, Day: 11}, Verification: peyvand.Verified,
		Evidence: "court document 1404/10/21", Supersedes: first.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: rec.ID, Status: peyvand.StatusSafe, Supersedes: first.ID})
	wantCode(t, err, peyvand.ECONFLICT)
	_, err = s.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: "rec_nope", Status: peyvand.StatusSafe})
	wantCode(t, err, peyvand.ENOTFOUND)
	_, err = s.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: rec.ID, Status: "fine"})
	wantCode(t, err, peyvand.EINVALID)

	d, err = s.Dossier(ctx, rec.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) != 3 {
		t.Fatalf("%d events, want 3 (nothing overwritten)", len(d.Events))
	}
	cur, _ := d.Current()
	if cur.ID != rel.ID {
		t.Fatalf("current = %+v, want the release", cur)
	}
	for _, e := range d.Events {
		if e.ID == fix.ID && (e.Supersedes != first.ID || e.Evidence == "" || e.Verification != peyvand.Verified) {
			t.Fatalf("correction read back as %+v", e)
		}
	}
	// Events of another person cannot be superseded from this one.
	var other peyvand.Record
	for _, r := range allRecords(t, s) {
		if r.ExternalID == "A-2" {
			other = r
		}
	}
	_, err = s.AddEvent(ctx, actor, peyvand.StatusEvent{RecordID: other.ID, Status: peyvand.StatusSafe, Supersedes: rel.ID})
	wantCode(t, err, peyvand.EINVALID)
	mustVerify(t, s)
}

func testInquiries(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	code := peyvand.NewInquiryCode()
	in, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Relationship: "sister", Contact: "leila@example.org"},
		peyvand.Record{FullName: "Mohammad Reza Hosseini", BirthYear: 1996, City: "Karaj"}, code)
	if err != nil {
		t.Fatal(err)
	}
	if in.ID == "" || in.RecordID == "" || in.State != peyvand.InquiryOpen {
		t.Fatalf("inquiry = %+v", in)
	}
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	got, err := s.InquiryByCode(ctx, typed)
	if err != nil {
		t.Fatalf("lookup by %q: %v", typed, err)
	}
	if got.ID != in.ID || got.Contact != "leila@example.org" || got.Relationship != "sister" {
		t.Fatalf("lookup = %+v", got)
	}
	for _, wrong := range []string{"", "x", peyvand.NewInquiryCode(), code + "0", strings.Repeat("Z", 20)} {
		_, err := s.InquiryByCode(ctx, wrong)
		wantCode(t, err, peyvand.ENOTFOUND)
	}
	rec, err := s.Record(ctx, in.RecordID)
	if err != nil || rec.FullName != "Mohammad Reza Hosseini" {
		t.Fatalf("inquiry record = %+v, %v", rec, err)
	}
	src, err := s.SourceByName(ctx, "family-inquiries")
	if err != nil || src.Kind != peyvand.SourceInquiry || rec.SourceID != src.ID {
		t.Fatalf("inquiry source = %+v, %v", src, err)
	}
	_, err = s.CreateInquiry(ctx, "public", peyvand.Inquiry{}, peyvand.Record{FullName: "x"}, "not a code")
	wantCode(t, err, peyvand.EINVALID)
	mustVerify(t, s)
}

// testSealedAtRest reads every text column of every table behind the
// store's back, as a thief with the database would, and looks for the
// sealed plaintexts and the inquiry code.
func testSealedAtRest(t *testing.T, open Opener) {
	tg := open(t, TestKeys(t, 1))
	importRows(t, tg.Store, "list-a", sample())
	code := peyvand.NewInquiryCode()
	norm, _ := peyvand.NormalizeInquiryCode(code)
	if _, err := tg.Store.CreateInquiry(ctx, "public", peyvand.Inquiry{Contact: "+46 70 123 45 67"},
		peyvand.Record{FullName: "Chirine Ghassemi"}, code); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"+49 151 0000 1111", "Leyla", "Evin on 20 Dey", "Enghelab", "+46 70 123 45 67", code, norm}
	dump := dumpAll(t, tg)
	for _, sec := range secrets {
		if strings.Contains(dump, sec) {
			t.Errorf("the database holds %q in the clear", sec)
		}
	}
	// Names are not sealed: they are what the registry is for.
	if !strings.Contains(dump, "Shirin Ghasemi") {
		t.Fatalf("dump does not contain the record names; is dumpAll reading anything?")
	}
}

// dumpAll returns every value of every table as text.
func dumpAll(t *testing.T, tg Target) string {
	t.Helper()
	var sb strings.Builder
	for _, table := range []string{"meta", "sources", "persons", "records", "record_history", "status_events", "inquiries", "audit_log"} {
		rows, err := tg.Raw.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(&sb, "%s\t", v)
			}
			sb.WriteByte('\n')
		}
		rows.Close()
	}
	return sb.String()
}

func testWrongKey(t *testing.T, open Opener) {
	tg := open(t, TestKeys(t, 1))
	importRows(t, tg.Store, "list-a", sample())
	_, err := tg.Reopen(TestKeys(t, 2))
	wantCode(t, err, peyvand.EUNAUTHORIZED)
	s, err := tg.Reopen(TestKeys(t, 1))
	if err != nil {
		t.Fatalf("reopen with the right key: %v", err)
	}
	defer s.Close()
	if n := len(allRecords(t, s)); n != 3 {
		t.Fatalf("reopened store has %d records", n)
	}
}

func testConcurrentWriters(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	rec := allRecords(t, s)[0]
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				_, err := s.AddEvent(ctx, fmt.Sprintf("writer-%d", g), peyvand.StatusEvent{RecordID: rec.ID,
					Status: peyvand.StatusDetained, Place: fmt.Sprintf("place %d/%d", g, i)})
				if err != nil {
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent AddEvent: %v", err)
	}
	if st := stats(t, s); st.Events != 43 {
		t.Fatalf("%d events, want 43", st.Events)
	}
	mustVerify(t, s)
}

func testMergePersons(t *testing.T, open Opener) {
	s := open(t, TestKeys(t, 1)).Store
	importRows(t, s, "list-a", sample())
	recs := map[string]peyvand.Record{}
	for _, r := range allRecords(t, s) {
		recs[r.ExternalID] = r
	}
	a1, a2, a3 := recs["A-1"], recs["A-2"], recs["A-3"]
	n, err := s.MergePersons(ctx, actor, [][]string{{a1.ID, a2.ID}, {a3.ID}})
	if err != nil || n != 1 {
		t.Fatalf("MergePersons = %d, %v; want 1 merged", n, err)
	}
	if st := stats(t, s); st.Persons != 2 || st.Records != 3 {
		t.Fatalf("stats after merge %+v", st)
	}
	// Both old person ids lead to one dossier with both records.
	for _, r := range []peyvand.Record{a1, a2} {
		d, err := s.Dossier(ctx, r.PersonID)
		if err != nil || len(d.Records) != 2 || len(d.Events) != 2 {
			t.Fatalf("dossier of %s: %d records, %d events, %v", r.PersonID, len(d.Records), len(d.Events), err)
		}
	}
	// Linking again changes nothing.
	if n, err := s.MergePersons(ctx, actor, [][]string{{a1.ID, a2.ID}}); err != nil || n != 0 {
		t.Fatalf("second merge = %d, %v", n, err)
	}
	// A third record joins the standing person, through an old id too.
	if n, err := s.MergePersons(ctx, actor, [][]string{{a3.ID, a2.ID}}); err != nil || n != 1 {
		t.Fatalf("third merge = %d, %v", n, err)
	}
	if st := stats(t, s); st.Persons != 1 {
		t.Fatalf("stats %+v", st)
	}
	_, err = s.MergePersons(ctx, actor, [][]string{{a1.ID, "rec_nope"}})
	wantCode(t, err, peyvand.ENOTFOUND)
	mustVerify(t, s)
	// Sealed fields survive the move.
	r, err := s.Record(ctx, a1.ID)
	if err != nil || r.Contact != a1.Contact || r.Notes != a1.Notes {
		t.Fatalf("record after merge %+v, %v", r, err)
	}
}
