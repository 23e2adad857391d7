package counts_test

import (
	"context"
	"fmt"
	"testing"

	"peyvand"
	"peyvand/counts"
	"peyvand/demo"
	"peyvand/storetest"
)

func TestCountsAddUp(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	if _, err := demo.Load(ctx, s, demo.Generate(demo.Options{Seed: 3, Persons: 120})); err != nil {
		t.Fatal(err)
	}
	persons, err := counts.Persons(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.Stats(ctx)
	if len(persons) != st.Persons {
		t.Fatalf("%d persons counted, the store has %d", len(persons), st.Persons)
	}
	for _, dim := range counts.Dimensions {
		rows, err := counts.By(persons, dim, counts.Options{Jalali: dim == "week"})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, r := range rows {
			total += r.Count
		}
		if dim != "list" && total != len(persons) {
			t.Errorf("by %s: %d, want every person once (%d)", dim, total, len(persons))
		}
		if dim == "list" && total < len(persons) {
			t.Errorf("by list: %d, want at least %d", total, len(persons))
		}
	}
	lists, overlap := counts.Overlap(persons, counts.Options{})
	sum := 0
	for h, n := range overlap {
		if len(h) != len(lists) {
			t.Fatalf("history %q for %d lists", h, len(lists))
		}
		sum += n
	}
	if sum != len(persons) {
		t.Fatalf("overlap sums to %d, want %d", sum, len(persons))
	}
	// By province, the strata add up to the whole table, history by
	// history, with the same lists.
	byLists, strata, err := counts.OverlapBy(persons, "province", counts.Options{})
	if err != nil || len(strata) < 2 || len(byLists) != len(lists) {
		t.Fatalf("overlap by province: %d strata, %v, %v", len(strata), byLists, err)
	}
	added := map[string]int{}
	for _, rows := range strata {
		for h, n := range rows {
			added[h] += n
		}
	}
	for h, n := range overlap {
		if added[h] != n {
			t.Errorf("history %s: %d in the strata, %d in all", h, added[h], n)
		}
	}
	for _, dim := range []string{"list", "shoe size"} {
		if _, _, err := counts.OverlapBy(persons, dim, counts.Options{}); peyvand.ErrorCode(err) != peyvand.EINVALID {
			t.Errorf("overlap by %s: %v", dim, err)
		}
	}
	killed, _ := counts.By(persons, "status", counts.Options{Status: peyvand.StatusKilled})
	if len(killed) != 1 || killed[0].Value != "killed" {
		t.Fatalf("filtered by status: %v", killed)
	}
	if _, err := counts.By(persons, "shoe size", counts.Options{}); peyvand.ErrorCode(err) != peyvand.EINVALID {
		t.Fatalf("unknown dimension: %v", err)
	}
}

func TestDerive(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	tx, _ := s.BeginImport(ctx, "test", peyvand.ImportMeta{})
	src, _ := tx.Source(ctx, peyvand.Source{Name: "a", Kind: peyvand.SourceList})
	_, err := tx.Put(ctx, peyvand.ImportRow{Record: peyvand.Record{SourceID: src.ID, ExternalID: "1", FullName: "Sara",
		BirthYear: 2008, Gender: peyvand.GenderFemale, Province: "تهران", City: "تهران"},
		Events: []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Date: peyvand.Date{Year: 2026, Month: 1, Day: 8}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	persons, err := counts.Persons(ctx, s)
	if err != nil || len(persons) != 1 {
		t.Fatal(persons, err)
	}
	p := persons[0]
	if p.Status != peyvand.StatusKilled || p.Age != 18 || p.Gender != peyvand.GenderFemale || len(p.Lists) != 1 || p.Lists[0] != "a" {
		t.Fatalf("person %+v", p)
	}
	for dim, want := range map[string]string{"age_band": "18-24", "date": "1404/10/18", "week": "1404/10/13"} {
		rows, _ := counts.By(persons, dim, counts.Options{Jalali: true})
		if rows[0].Value != want {
			t.Errorf("%s = %q, want %q", dim, rows[0].Value, want)
		}
	}
	// The Gregorian week of 2026-01-08 starts on Saturday 2026-01-03.
	if rows, _ := counts.By(persons, "week", counts.Options{}); rows[0].Value != "2026-01-03" {
		t.Errorf("week = %q", rows[0].Value)
	}
}

// TestProvincesAcrossScripts: lists written abroad and at home spell one
// province differently; counting by province sees one, under the spelling
// most persons have.
func TestProvincesAcrossScripts(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	tx, _ := s.BeginImport(ctx, "test", peyvand.ImportMeta{})
	src, _ := tx.Source(ctx, peyvand.Source{Name: "a", Kind: peyvand.SourceList})
	cities := []string{"Tehran", "تهران", "Zahedan", "زاهدان", "زاهدان", "Mashhad", "Karaj"}
	for i, prov := range []string{"Tehran", "تهران", "تهران", "Tehran Province", "كردستان", "Kurdistan", "Karaj"} {
		_, err := tx.Put(ctx, peyvand.ImportRow{Record: peyvand.Record{SourceID: src.ID, ExternalID: fmt.Sprint(i), FullName: fmt.Sprint("P", i), Province: prov, City: cities[i]}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	persons, err := counts.Persons(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := counts.By(persons, "province", counts.Options{})
	got := map[string]int{}
	for _, r := range rows {
		got[r.Value] = r.Count
	}
	// Two write تهران, one Tehran, one "Tehran Province": تهران. Kurdistan
	// and کردستان tie, and the tie goes to the first in byte order.
	want := map[string]int{"تهران": 4, "Kurdistan": 1 + 1, "Karaj": 1}
	if len(got) != len(want) {
		t.Fatalf("provinces %v, want %v", got, want)
	}
	for v, n := range want {
		if got[v] != n {
			t.Errorf("province %q: %d, want %d (all: %v)", v, got[v], n, got)
		}
	}
	// Towns by their phonetic key: Zahedan and زاهدان are one town.
	rows, _ = counts.By(persons, "city", counts.Options{})
	got = map[string]int{}
	for _, r := range rows {
		got[r.Value] = r.Count
	}
	want = map[string]int{"Tehran": 2, "زاهدان": 3, "Mashhad": 1, "Karaj": 1}
	if len(got) != len(want) {
		t.Fatalf("cities %v, want %v", got, want)
	}
	for v, n := range want {
		if got[v] != n {
			t.Errorf("city %q: %d, want %d (all: %v)", v, got[v], n, got)
		}
	}
}
