package relink_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"peyvand"
	"peyvand/counts"
	"peyvand/demo"
	"peyvand/relink"
	"peyvand/storetest"
)

func TestRelinkDemo(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	d := demo.Generate(demo.Options{Seed: 9, Persons: 200})
	if _, err := demo.Load(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	res, err := relink.Run(ctx, s, "test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Merged == 0 || res.PersonsAfter >= res.PersonsBefore || res.PersonsAfter != res.PersonsBefore-res.Merged {
		t.Fatalf("result %+v", res)
	}
	// The demo has 200 persons (and inquiries about some of them): linkage
	// should land near that, not at the number of records.
	if res.PersonsAfter > 260 || res.PersonsAfter < 170 {
		t.Fatalf("%d persons after linking %d records of 200 persons", res.PersonsAfter, res.Records)
	}
	again, err := relink.Run(ctx, s, "test")
	if err != nil || again.Merged != 0 {
		t.Fatalf("second run %+v, %v: want nothing merged", again, err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("audit %+v %v", rep, err)
	}
	persons, err := counts.Persons(ctx, s)
	if err != nil || len(persons) != res.PersonsAfter {
		t.Fatalf("counts see %d persons, %v", len(persons), err)
	}
	multi := 0
	for _, p := range persons {
		if len(p.Lists) > 1 {
			multi++
		}
	}
	if multi == 0 {
		t.Fatal("no person is on two lists after linking")
	}
}

// BenchmarkRelink links a registry of generated lists; PEYVAND_BENCH_PERSONS
// sets its size (default 2,000 persons, about 3,800 records).
func BenchmarkRelink(b *testing.B) {
	ctx := context.Background()
	persons := 2000
	if v, err := strconv.Atoi(os.Getenv("PEYVAND_BENCH_PERSONS")); err == nil {
		persons = v
	}
	d := demo.Generate(demo.Options{Seed: 3, Persons: persons})
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := storetest.NewSQLite(b)
		if _, err := demo.Load(ctx, s, d); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := relink.Run(ctx, s, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLinkerAddAndDecide: a family's inquiry that describes a known person
// joins them at once; a reviewer's "not the same" undoes nothing by itself
// but keeps the pair apart on every later run.
func TestLinkerAddAndDecide(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	d := demo.Generate(demo.Options{Seed: 5, Persons: 120})
	if _, err := demo.Load(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	l := relink.New(s, "test")
	if _, err := l.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var known peyvand.Record
	err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		if known.ID == "" && r.GivenName != "" && r.FamilyName != "" && r.FatherName != "" && r.BirthYear != 0 && r.City != "" {
			known = r
		}
		return nil
	})
	if err != nil || known.ID == "" {
		t.Fatalf("no complete record in the demo data: %v", err)
	}
	in, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Relationship: "sister"}, peyvand.Record{
		GivenName: known.GivenName, FamilyName: known.FamilyName, FatherName: known.FatherName,
		BirthYear: known.BirthYear, City: known.City, Gender: known.Gender}, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Add(ctx, in.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	now, _ := s.Record(ctx, known.ID)
	if !res.Merged || res.PersonID != now.PersonID {
		t.Fatalf("Add = %+v; the known record is in person %s", res, now.PersonID)
	}

	// "Different" on a pair the engine had merged: split it off, decide,
	// and a full run must not merge it back.
	if _, err := s.SplitPerson(ctx, "test", []string{in.RecordID}); err != nil {
		t.Fatal(err)
	}
	if err := l.Decide(ctx, "test", known.ID, in.RecordID, peyvand.Different); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Run(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Record(ctx, known.ID)
	b, _ := s.Record(ctx, in.RecordID)
	if a.PersonID == b.PersonID {
		t.Fatal("a full run merged a pair a reviewer said are different")
	}
	for _, p := range l.Review() {
		if (p.A == known.ID && p.B == in.RecordID) || (p.B == known.ID && p.A == in.RecordID) {
			t.Fatal("a decided pair is back in the review queue")
		}
	}
	if err := l.Decide(ctx, "test", known.ID, in.RecordID, peyvand.Same); err != nil {
		t.Fatal(err)
	}
	a, _ = s.Record(ctx, known.ID)
	b, _ = s.Record(ctx, in.RecordID)
	if a.PersonID != b.PersonID {
		t.Fatal("\"same\" did not merge the persons")
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Fatalf("audit: %v %v", rep.Problems, err)
	}
}

// TestLinkersCatchUp: two instances on one database, each with its own
// index. A person no list had before arrives at instance B; a family then
// asks about them at instance A, which must find B's record (it catches up
// with what B stored) rather than open a second person.
func TestLinkersCatchUp(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	if _, err := demo.Load(ctx, s, demo.Generate(demo.Options{Seed: 5, Persons: 120})); err != nil {
		t.Fatal(err)
	}
	a, b := relink.New(s, "instance-a"), relink.New(s, "instance-b")
	for _, l := range []*relink.Linker{a, b} {
		if _, err := l.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	person := peyvand.Record{GivenName: "Kiarash", FamilyName: "Zandvakili", FatherName: "Bahman", BirthYear: 1994, City: "Rasht", Gender: peyvand.GenderMale}
	atB, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Relationship: "brother"}, person, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := b.Add(ctx, atB.RecordID); err != nil || res.Merged {
		t.Fatalf("B: %+v, %v (nobody else had this person)", res, err)
	}
	atA, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Relationship: "mother"}, person, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Add(ctx, atA.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	recB, _ := s.Record(ctx, atB.RecordID)
	if !res.Merged || res.PersonID != recB.PersonID {
		t.Fatalf("A linked the second inquiry to %+v; B's record is in person %s", res, recB.PersonID)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestReviewQueueBounded: the queue keeps at most MaxReview pairs, most
// probable first, however many a run finds.
func TestReviewQueueBounded(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	if _, err := demo.Load(ctx, s, demo.Generate(demo.Options{Seed: 5, Persons: 300})); err != nil {
		t.Fatal(err)
	}
	l := relink.New(s, "test")
	l.MaxReview = 3
	res, err := l.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := l.Review()
	if res.ReviewPairs <= 3 || len(q) != 3 {
		t.Fatalf("%d pairs found, %d queued; want more than 3 found and 3 queued", res.ReviewPairs, len(q))
	}
	for i := 1; i < len(q); i++ {
		if q[i].Probability > q[i-1].Probability {
			t.Fatalf("queue out of order at %d: %v after %v", i, q[i].Probability, q[i-1].Probability)
		}
	}
}

// TestNewRegistry checks that a registry whose first people share no names
// links without error (nothing shares a block: no model to learn yet), and
// that the first inquiry for one of them then links to it.
func TestNewRegistry(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	var first peyvand.Inquiry
	for i, r := range []peyvand.Record{
		{GivenName: "Ali", FamilyName: "Rezaei", BirthYear: 1990, City: "Tehran", Gender: peyvand.GenderMale},
		{GivenName: "نرگس", FamilyName: "محمدی", BirthYear: 1972, City: "زنجان", Gender: peyvand.GenderFemale},
	} {
		in, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Relationship: "sister"}, r, peyvand.NewInquiryCode())
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = in
		}
	}
	l := relink.New(s, "test")
	res, err := l.Run(ctx)
	if err != nil {
		t.Fatalf("run on two unrelated records: %v", err)
	}
	if res.PersonsAfter != 2 || res.Merged != 0 {
		t.Fatalf("run = %+v, want 2 persons, none merged", res)
	}
	in, err := s.CreateInquiry(ctx, "public", peyvand.Inquiry{Relationship: "brother"}, peyvand.Record{
		GivenName: "علی", FamilyName: "رضایی", BirthYear: 1990, City: "تهران", Gender: peyvand.GenderMale}, peyvand.NewInquiryCode())
	if err != nil {
		t.Fatal(err)
	}
	added, err := l.Add(ctx, in.RecordID)
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	known, _ := s.Record(ctx, first.RecordID)
	if !added.Merged || added.PersonID != known.PersonID {
		t.Fatalf("Add = %+v; Ali Rezaei's first record is in person %s", added, known.PersonID)
	}
}
