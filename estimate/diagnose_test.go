package estimate

import (
	"strings"
	"testing"
)

func TestDiagnose(t *testing.T) {
	abc := []string{"a", "b", "c"}
	for _, tc := range []struct {
		name   string
		lists  []string
		counts map[uint32]int
		want   []string // one substring per warning, in order
	}{
		{"independent lists", abc, map[uint32]int{1: 210, 2: 315, 4: 140, 3: 135, 5: 60, 6: 90, 7: 40}, nil},
		{"no overlap", abc, map[uint32]int{1: 50, 2: 40, 4: 30}, []string{"no person is on more than one list"}},
		{"two lists, no overlap", []string{"a", "b"}, map[uint32]int{1: 50, 2: 40}, []string{"no person is on more than one list"}},
		{"a list alone", abc, map[uint32]int{1: 50, 2: 40, 3: 10, 4: 30}, []string{`list "c" shares no one`}},
		{"a list inside another", abc, map[uint32]int{3: 40, 2: 150, 4: 100, 6: 15, 7: 10},
			[]string{`all 50 people on list "a" are also on list "b"`}},
		{"the same list twice", abc, map[uint32]int{3: 40, 7: 20, 4: 100},
			[]string{`lists "a" and "b" hold the same 60 people`}},
		// Among the 200 people on c, a and b go together (odds ratio
		// 80·80/20·20 = 16, 15 with Haldane's half); among those on b, a
		// and c do not (80·25/100·20 = 1), nor b and c among those on a.
		{"a and b dependent", abc, map[uint32]int{1: 25, 2: 25, 3: 100, 4: 80, 5: 20, 6: 20, 7: 80},
			[]string{`strongly dependent lists (odds ratio of being on both, among the people on the other lists): "a" and "b" 15 (200 people)`}},
		// An odds ratio of 6 among 24 people is within two standard
		// errors of independence: it could be chance, and is not reported.
		{"a and b, too few to tell", abc, map[uint32]int{1: 3, 2: 3, 3: 5, 4: 13, 5: 3, 6: 3, 7: 5}, nil},
		// Nobody on both a and c among 20,022 on b or d, a on 1 of them, c
		// on 1: Haldane's half alone would make that an odds ratio of
		// 4,449. Too few on a to tell anything.
		{"nobody on both", []string{"a", "b", "c", "d"}, map[uint32]int{1: 20000, 2: 20000, 4: 20, 8: 20, 3: 1, 12: 1},
			[]string{"9 of the 15 possible capture histories are empty"}},
		// Five on each, none on both, among 100,000: as likely as not
		// under independence (expected 0.00025 on both).
		{"nobody on both, five on each", abc, map[uint32]int{4: 99990, 5: 5, 6: 5, 1: 10, 2: 10, 3: 3}, nil},
		// In a stratum some lists have no one, and a person or two make
		// lists look identical or alone: only the empty lists are news.
		{"a small stratum", []string{"a", "b", "c", "d"}, map[uint32]int{3: 1, 8: 2},
			[]string{`no one here is on "c": it adds nothing to this estimate`}},
		{"sparse, five lists", []string{"a", "b", "c", "d", "e"},
			map[uint32]int{1: 300, 2: 200, 4: 100, 8: 80, 16: 60, 3: 20, 5: 10, 12: 5, 31: 2, 18: 4},
			[]string{"strongly dependent lists", "21 of the 31 possible capture histories are empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := NewTable(tc.lists, tc.counts)
			if err != nil {
				t.Fatal(err)
			}
			got := Diagnose(tab)
			if len(got) != len(tc.want) {
				t.Fatalf("%d warnings, want %d: %v", len(got), len(tc.want), got)
			}
			for i, w := range got {
				if !strings.Contains(w.Message, tc.want[i]) {
					t.Errorf("warning %d: %q\nwant it to contain %q", i, w.Message, tc.want[i])
				}
			}
		})
	}
}

func TestDropEmptyLists(t *testing.T) {
	tab, err := NewTable([]string{"a", "b", "c", "d"}, map[uint32]int{1: 5, 4: 7, 5: 3, 8: 2, 12: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, dropped := tab.DropEmptyLists()
	// b is empty: a, c, d become bits 0, 1, 2.
	want := map[uint32]int{1: 5, 2: 7, 3: 3, 4: 2, 6: 1}
	if len(dropped) != 1 || dropped[0] != "b" || strings.Join(got.Lists, ",") != "a,c,d" || len(got.Counts) != len(want) {
		t.Fatalf("dropped %v, lists %v, counts %v", dropped, got.Lists, got.Counts)
	}
	for h, c := range want {
		if got.Counts[h] != c {
			t.Errorf("history %03b: %d, want %d", h, got.Counts[h], c)
		}
	}
	if same, none := got.DropEmptyLists(); none != nil || len(same.Lists) != 3 {
		t.Errorf("nothing to drop: dropped %v", none)
	}
}
