package relink_test

import (
	"context"
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
