package bundle

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"peyvand"
	"peyvand/identity"
	"peyvand/postgres"
	"peyvand/storetest"
)

// newPostgresStore opens a fresh store in a schema of its own, dropped
// after the test.
func newPostgresStore(t *testing.T, key byte) peyvand.Store {
	t.Helper()
	dsn := storetest.PostgresSchema(t)
	s, err := postgres.Open(ctx, dsn, storetest.TestKeys(t, key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// backends runs fn against a fresh receiving store of each kind.
func backends(t *testing.T, fn func(t *testing.T, open func(key byte) peyvand.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, func(k byte) peyvand.Store { return newStore(t, k) }) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(storetest.PostgresVar) == "" {
			t.Skipf("%s is not set", storetest.PostgresVar)
		}
		fn(t, func(k byte) peyvand.Store { return newPostgresStore(t, k) })
	})
}

// state is what a store holds, without the ids, times and history an
// import gives locally: per record its source, own id, content and the
// sender's revision; per event what it says, its verification and the
// external id of the event it corrects. Two stores that received the same
// bundles hold the same state, whatever the order.
func state(t testing.TB, s peyvand.Store) string {
	t.Helper()
	srcName := map[string]string{}
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		srcName[src.ID] = src.Name
	}
	var lines []string
	recs := map[string]string{} // record id → "source|external id"
	persons := map[string]bool{}
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		key := srcName[r.SourceID] + "|" + r.ExternalID
		recs[r.ID] = key
		persons[r.PersonID] = true
		r.ID, r.SourceID, r.PersonID, r.RecordedAt, r.UpdatedAt, r.AuditSeq = "", "", "", time.Time{}, time.Time{}, 0
		lines = append(lines, fmt.Sprintf("record %s %+v", key, r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	extOf := map[string]string{} // event id → external id
	var evs []peyvand.StatusEvent
	if err := s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		extOf[e.ID] = e.ExternalID
		evs = append(evs, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		lines = append(lines, fmt.Sprintf("event %s|%s %s %s %s %s %q corrects %q", recs[e.RecordID], e.ExternalID,
			e.Status, e.Date, e.Place, e.Verification, e.Evidence, extOf[e.Supersedes]))
	}
	sort.Strings(lines)
	lines = append(lines, fmt.Sprintf("%d sources, %d persons", len(srcs), len(persons)))
	return strings.Join(lines, "\n")
}

// threeBundles makes three bundles from alice to bob in which a record
// changes twice, a status event is corrected (raised to verified, as a
// verifier does), another record changes once and one is new; the third
// bundle holds only what changed since the second.
func threeBundles(t *testing.T) [3][]byte {
	a := newStore(t, 1)
	rows := sampleRows()
	fill(t, a, "hrana", peyvand.SourceList, rows)
	var out [3][]byte
	out[0] = export(t, a, alice(t), bob(t), Options{})

	rows[0].Record.City = "تهران"
	fill(t, a, "hrana", peyvand.SourceList, rows)
	r1 := recordOf(t, a, "A-1")
	var first peyvand.StatusEvent
	a.WalkEvents(ctx, peyvand.EventFilter{RecordID: r1.ID}, func(e peyvand.StatusEvent) error { first = e; return nil })
	fix := first
	fix.ID, fix.ExternalID, fix.Supersedes, fix.Verification, fix.Evidence = "", "", first.ID, peyvand.Verified, "court document"
	if _, err := a.AddEvent(ctx, "verifier", fix); err != nil {
		t.Fatal(err)
	}
	out[1] = export(t, a, alice(t), bob(t), Options{})

	since := time.Now()
	time.Sleep(2 * time.Millisecond)
	rows[0].Record.City, rows[0].Record.Province = "قم", "قم"
	rows[1].Record.Age = 25
	rows = append(rows, peyvand.ImportRow{Record: peyvand.Record{ExternalID: "A-4", FullName: "Reza Hosseini"},
		Events: []peyvand.StatusEvent{{ExternalID: "n-4", Status: peyvand.StatusMissing, Verification: peyvand.Corroborated}}})
	fill(t, a, "hrana", peyvand.SourceList, rows)
	out[2] = export(t, a, alice(t), bob(t), Options{Since: since})
	return out
}

func recordOf(t testing.TB, s peyvand.Store, ext string) peyvand.Record {
	t.Helper()
	var got peyvand.Record
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		if r.ExternalID == ext {
			got = r
		}
		return nil
	}); err != nil || got.ID == "" {
		t.Fatalf("record %s: %v", ext, err)
	}
	return got
}

// TestBundlesInAnyOrder applies three bundles in all six orders: each
// ends in the state the bundles give in the order they were made, and
// applying them all again changes nothing at all.
func TestBundlesInAnyOrder(t *testing.T) {
	bundles := threeBundles(t)
	backends(t, func(t *testing.T, open func(byte) peyvand.Store) {
		apply := func(s peyvand.Store, i int) Summary {
			t.Helper()
			sum, err := Apply(ctx, s, bytes.NewReader(bundles[i]), bob(t), peersOf(t, alice(t)), ApplyOptions{File: fmt.Sprintf("b%d", i+1)})
			if err != nil {
				t.Fatalf("bundle %d: %v", i+1, err)
			}
			return sum
		}
		base := open(2)
		for i := range bundles {
			if sum := apply(base, i); !sum.Applied {
				t.Fatalf("in order, bundle %d changed nothing: %+v", i+1, sum)
			}
		}
		want := state(t, base)
		// The baseline is the sender's latest: A-1 at its third revision,
		// its first event corrected by the verified one.
		r1 := recordOf(t, base, "A-1")
		if r1.City != "قم" || r1.Revision != 3 || recordOf(t, base, "A-2").Revision != 2 || recordOf(t, base, "A-4").Revision != 1 {
			t.Fatalf("baseline: A-1 %+v", r1)
		}
		var evs []peyvand.StatusEvent
		base.WalkEvents(ctx, peyvand.EventFilter{RecordID: r1.ID}, func(e peyvand.StatusEvent) error { evs = append(evs, e); return nil })
		if len(evs) != 2 || evs[1].Supersedes != evs[0].ID || evs[1].Verification != peyvand.Verified {
			t.Fatalf("baseline events of A-1: %+v", evs)
		}
		d, err := base.Dossier(ctx, r1.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if cur, ok := peyvand.CurrentStatus(d.Events); !ok || cur.ID != evs[1].ID {
			t.Fatalf("current status %+v, want the correction %+v", cur, evs[1])
		}

		for _, order := range [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
			name := fmt.Sprintf("%d%d%d", order[0]+1, order[1]+1, order[2]+1)
			s := open(2)
			for _, i := range order {
				apply(s, i)
			}
			if got := state(t, s); got != want {
				t.Fatalf("order %s:\n%s\nin order:\n%s", name, got, want)
			}
			before := dump(t, s)
			for _, i := range order {
				if sum := apply(s, i); sum.Applied {
					t.Fatalf("order %s: bundle %d applied a second time: %+v", name, i+1, sum)
				}
			}
			if after := dump(t, s); after != before {
				t.Fatalf("order %s: applying the bundles again changed the store", name)
			}
		}
	})
}

// TestPutRevisions checks the store's side: a row with the source's
// revision at or below the stored one leaves the record alone, a later
// one revises it under that number, and a correction names the corrected
// event by its external id.
func TestPutRevisions(t *testing.T) {
	backends(t, func(t *testing.T, open func(byte) peyvand.Store) {
		s := open(1)
		put := func(rows ...peyvand.ImportRow) (peyvand.ImportSummary, error) {
			tx, err := s.BeginImport(ctx, "test", peyvand.ImportMeta{File: "x", Format: "test"})
			if err != nil {
				t.Fatal(err)
			}
			src, err := tx.Source(ctx, peyvand.Source{Name: "peer/list", Kind: peyvand.SourceList})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				r.Record.SourceID = src.ID
				if _, err := tx.Put(ctx, r); err != nil {
					tx.Rollback()
					return peyvand.ImportSummary{}, err
				}
			}
			return tx.Commit(ctx)
		}
		row := func(rev int, city string, evs ...peyvand.StatusEvent) peyvand.ImportRow {
			return peyvand.ImportRow{Record: peyvand.Record{ExternalID: "R", FullName: "Sara", City: city, Revision: rev}, Events: evs}
		}
		ev := func(ext, supersedes string, v peyvand.Verification) peyvand.StatusEvent {
			return peyvand.StatusEvent{ExternalID: ext, Status: peyvand.StatusDetained, Verification: v, Supersedes: supersedes}
		}
		if sum, err := put(row(5, "Rasht", ev("e1", "", peyvand.Reported))); err != nil || sum.Created != 1 {
			t.Fatalf("create: %+v %v", sum, err)
		}
		if r := recordOf(t, s, "R"); r.Revision != 5 || r.City != "Rasht" {
			t.Fatalf("created at %+v, want the source's revision 5", r)
		}
		for _, rev := range []int{3, 5} {
			sum, err := put(row(rev, "Sari", ev("e2", "e1", peyvand.Verified)))
			if err != nil || sum.Unchanged != 1 || sum.Updated != 0 {
				t.Fatalf("revision %d: %+v %v", rev, sum, err)
			}
		}
		if r := recordOf(t, s, "R"); r.Revision != 5 || r.City != "Rasht" {
			t.Fatalf("an older revision rolled the record back: %+v", r)
		}
		// The correction came with the old row: events are kept whatever
		// the revision, and it names e1.
		var evs []peyvand.StatusEvent
		s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error { evs = append(evs, e); return nil })
		if len(evs) != 2 || evs[1].ExternalID != "e2" || evs[1].Supersedes != evs[0].ID {
			t.Fatalf("events: %+v", evs)
		}
		if sum, err := put(row(7, "Sari")); err != nil || sum.Updated != 1 {
			t.Fatalf("revision 7: %+v %v", sum, err)
		}
		if r := recordOf(t, s, "R"); r.Revision != 7 || r.City != "Sari" {
			t.Fatalf("revision 7 stored as %+v", r)
		}
		// Within one row the corrected event may come after its correction.
		if sum, err := put(row(7, "Sari", ev("e4", "e3", peyvand.Verified), ev("e3", "", peyvand.Reported))); err != nil || sum.Events != 2 {
			t.Fatalf("correction before the corrected event: %+v %v", sum, err)
		}
		before := dump(t, s)
		if _, err := put(row(8, "Sari", ev("e5", "nope", peyvand.Verified))); peyvand.ErrorCode(err) != peyvand.EINVALID ||
			!strings.Contains(err.Error(), `corrects event "nope"`) {
			t.Fatalf("correction of an unknown event: %v", err)
		}
		if dump(t, s) != before {
			t.Fatal("a refused import changed the store")
		}
	})
}

// TestVerificationCapped: a peer not trusted to verify (no verification=
// in its peers line) cannot raise a verification level here; its events
// arrive as reported. One trusted up to corroborated arrives at most
// corroborated, one trusted to verify as sent.
func TestVerificationCapped(t *testing.T) {
	a := newStore(t, 1)
	rows := sampleRows()
	rows[0].Events[0].Verification = peyvand.Verified
	rows[0].Events[0].Evidence = "court document"
	fill(t, a, "hrana", peyvand.SourceList, rows) // A-1 verified, A-2 corroborated
	data := export(t, a, alice(t), bob(t), Options{})
	for _, tc := range []struct {
		setting string
		a1, a2  peyvand.Verification
	}{
		{"", peyvand.Reported, peyvand.Reported},
		{" verification=reported", peyvand.Reported, peyvand.Reported},
		{" verification=corroborated", peyvand.Corroborated, peyvand.Corroborated},
		{" verification=verified", peyvand.Verified, peyvand.Corroborated},
	} {
		name := strings.TrimSpace(tc.setting)
		if name == "" {
			name = "unset" // not "#00": sqlite.DSN takes a '#' in the path for a fragment
		}
		t.Run(name, func(t *testing.T) {
			peers, err := identity.ParsePeers("peers.txt", strings.NewReader(alice(t).Public().String()+" kinds=list events=yes"+tc.setting+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			b := newStore(t, 2)
			for i := 0; i < 2; i++ {
				sum, err := Apply(ctx, b, bytes.NewReader(data), bob(t), peers, ApplyOptions{})
				if err != nil || sum.Applied != (i == 0) {
					t.Fatalf("import %d: %+v %v", i+1, sum, err)
				}
			}
			got := map[string]peyvand.StatusEvent{}
			b.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
				r, _ := b.Record(ctx, e.RecordID)
				got[r.ExternalID] = e
				return nil
			})
			if got["A-1"].Verification != tc.a1 || got["A-2"].Verification != tc.a2 {
				t.Fatalf("A-1 %s, A-2 %s; want %s, %s", got["A-1"].Verification, got["A-2"].Verification, tc.a1, tc.a2)
			}
			if got["A-1"].Evidence != "court document" {
				t.Fatalf("evidence lost: %+v", got["A-1"])
			}
		})
	}
}

// TestRecordTwiceRefused: a signed bundle with one record twice is
// refused, since what it would leave would depend on the order of its
// lines.
func TestRecordTwiceRefused(t *testing.T) {
	var plain bytes.Buffer
	h := Header{Format: Format, Version: Version, ID: strings.Repeat("cd", 16), Created: time.Now().UTC().Truncate(time.Second),
		Sender: alice(t).Public().String(), Recipient: bob(t).Public().Recipient}
	h.Expires = h.Created.Add(time.Hour)
	enc, err := newEncoder(&plain, h, alice(t), true)
	if err != nil {
		t.Fatal(err)
	}
	src := peyvand.Source{Name: "hrana", Kind: peyvand.SourceList}
	enc.source(fromSource(src))
	for _, rev := range []int{2, 1} {
		r := sampleRows()[2].Record
		r.Revision, r.City = rev, fmt.Sprint("city ", rev)
		enc.record(fromRecord(src.Name, r, nil, h.Rules))
	}
	if err := enc.close(); err != nil {
		t.Fatal(err)
	}
	var data bytes.Buffer
	aw, _ := age.Encrypt(&data, bob(t).AgeIdentity().(*age.X25519Identity).Recipient())
	aw.Write(plain.Bytes())
	aw.Close()

	b := newStore(t, 2)
	before := dump(t, b)
	_, err = Apply(ctx, b, bytes.NewReader(data.Bytes()), bob(t), peersOf(t, alice(t)), ApplyOptions{})
	if peyvand.ErrorCode(err) != peyvand.EINVALID || !strings.Contains(err.Error(), `record "A-3" of "hrana" appears twice`) {
		t.Fatalf("a bundle with a record twice: %v", err)
	}
	if dump(t, b) != before {
		t.Fatal("a refused bundle changed the store")
	}
}
