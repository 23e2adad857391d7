package relink_test

import (
	"context"
	"os"
	"strconv"
	"testing"

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
