package estimate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeClusters writes content to a file in a temporary directory.
func writeClusters(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// From a clusters file the way peyvand link writes it; ported from
// cmd/peyvand's estimate test.
func TestReadClustersLinkOutput(t *testing.T) {
	var b strings.Builder
	b.WriteString("source,record_id,cluster_id\n")
	id := 0
	add := func(n int, srcs ...string) {
		for i := 0; i < n; i++ {
			id++
			for _, s := range srcs {
				fmt.Fprintf(&b, "%s,r%d,c%d\n", s, id, id)
			}
		}
	}
	add(300, "a")
	add(150, "b")
	add(50, "a", "b")
	b.WriteString(",,\na,r999,\n")
	st, warnings, err := ReadClusters(writeClusters(t, "clusters.csv", b.String()), "")
	if err != nil {
		t.Fatal(err)
	}
	tab := st.Tables[""]
	if strings.Join(tab.Lists, ",") != "a,b" || tab.Observed() != 500 || tab.Counts[1] != 300 || tab.Counts[2] != 150 || tab.Counts[3] != 50 {
		t.Errorf("table %+v", tab)
	}
	if len(warnings) != 1 || warnings[0].String() != "line 553: skipped: no source or cluster_id" {
		t.Errorf("warnings %v", warnings)
	}
}

func TestReadClusters(t *testing.T) {
	three := map[uint32]int{1: 120, 2: 90, 4: 75, 3: 40, 5: 30, 6: 25, 7: 12}
	twice := "source,record_id,cluster_id\na,1,p1\nb,1,p1\na,1,p1\nc,2,p2\na,5,p5\nb,6,p6\nc,7,p6\nc,7,p8\na,9,p9\nb,9,p9\nc,9,p9\n"
	tests := []struct {
		name, file, content, strata string
		lists                       string
		counts                      map[uint32]int // of the only stratum
		strataNames                 string
		warnings                    []string // substrings
		err                         string
	}{
		{name: "record listed twice", file: "cl.csv", content: twice, lists: "a,b,c",
			warnings: []string{`record "1" of source "a" appears on lines 2 and 4, in cluster "p1" each time: it counts once`,
				`record "7" of source "c" appears on lines 8 and 9, in clusters "p6" and "p8"`}},
		{name: "one source", file: "one.csv", content: "source,record_id,cluster_id\nhrana,1,p1\nhrana,2,p2\n",
			err: "one source (hrana); estimation needs at least two lists"},
		{name: "no cluster column", file: "no.csv", content: "source,record_id,person_name\na,1,x\n",
			err: "the header needs source and cluster_id columns"},
		{name: "no strata column", file: "ns.csv", content: "source,record_id,cluster_id\na,1,p1\nb,2,p1\n", strata: "province",
			err: `no column named "province" to stratify by`},
		{name: "too many sources", file: "many.csv", content: manySources(16), err: "16 sources; estimation takes at most 15 lists"},
		// A quote mark that is never closed no longer swallows the rest of
		// the file: the lenient reader drops it and says so.
		{name: "bad quote", file: "q.csv", content: "source,record_id,cluster_id\na,1,c1\nb,\"2,c1\na,3,c2\n", lists: "a,b",
			counts: map[uint32]int{3: 1, 1: 1}, warnings: []string{"line 3: a quote mark that is not closed was left out"}},
		{name: "semicolon, BOM, CRLF", file: "field/clusters_bom_crlf_semicolon.csv", lists: "NGO_A,NGO_B,Official", counts: three},
		{name: "tab", file: "field/clusters_tab.tsv", lists: "NGO_A,NGO_B,Official", counts: three},
		{name: "Persian header", file: "field/clusters_header_persian.csv", lists: "NGO_A,NGO_B,Official", counts: three},
		{name: "header variants", file: "v.csv", content: "LIST;RECORD;Person_ID\na;1;p1\nb;2;p1\nb;3;p2\n", lists: "a,b", counts: map[uint32]int{3: 1, 2: 1}},
		{name: "header with spaces", file: "s.csv", content: "Source,RECORD ID,CLUSTER ID\na,1,p1\nb,2,p1\nb,3,p2\n", lists: "a,b", counts: map[uint32]int{3: 1, 2: 1}},
		{name: "header id and cluster", file: "i.csv", content: "source,id,cluster\na,1,p1\nb,2,p1\nb,3,p2\n", lists: "a,b", counts: map[uint32]int{3: 1, 2: 1}},
		{name: "source spellings", file: "field/clusters_source_variants.csv", lists: "NGO_A,NGO_B,Official", counts: three,
			warnings: []string{`source "NGO_B" is also written "ngo_b" (23 records, lines 22, 46,`, `read as one list, "NGO_B"`}},
		{name: "strata conflict", file: "field/clusters_strata_conflict.csv", strata: "PROVINCE", lists: "NGO_A,NGO_B,Official",
			strataNames: "unknown,کردستان,تهران,ایلام",
			warnings: []string{`the stratum is blank on lines`, `put in a stratum named "unknown"`,
				"4 persons have records in different strata (cluster", "and 1 more): each is counted in the stratum most of its records give"}},
		{name: "strata spellings", file: "sp.csv", content: "source,cluster_id,province\na,p1,كردستان\nb,p1,کردستان\nb,p2,کردستان\na,p3,Tehran\nb,p3,tehran\n", strata: "province",
			lists: "a,b", strataNames: "کردستان,Tehran", warnings: []string{`the spellings "كردستان" and "کردستان" are read as one stratum`}},
		{name: "most common stratum", file: "mc.csv", content: "source,cluster_id,province\na,p1,x\nb,p1,y\nc,p1,y\na,p2,x\nb,p3,x\n", strata: "province",
			lists: "a,b,c", strataNames: "y,x", warnings: []string{`1 person has records in different strata (cluster "p1": "x" ×1, "y" ×2)`}},
		// A province in either script is one stratum, and one person's
		// records in both scripts no conflict; the stratum is named by the
		// spelling most records give.
		{name: "provinces in two scripts", file: "field/clusters_province_scripts.csv", strata: "province", lists: "a,b,c",
			strataNames: "تهران,Kurdistan,zone 1",
			warnings: []string{`stratum "تهران": the spellings "Tehran", "تهران" and "Tehran Province" (names of one province) are read as one stratum`,
				`stratum "Kurdistan": the spellings "Kurdistan", "کردستان" and "Kordestan" (names of one province) are read as one stratum`,
				`stratum "zone 1": the spellings "zone 1" and "zone ۱" are read as one stratum`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			if tc.content != "" {
				path = writeClusters(t, tc.file, tc.content)
			}
			st, warnings, err := ReadClusters(path, tc.strata)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), path+": ") {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, w := range warnings {
				all += w.String() + "\n"
			}
			if got := strings.Join(st.Tables[st.Names[0]].Lists, ","); got != tc.lists {
				t.Errorf("lists %q, want %q", got, tc.lists)
			}
			if tc.strataNames != "" && strings.Join(st.Names, ",") != tc.strataNames {
				t.Errorf("strata %q, want %q", strings.Join(st.Names, ","), tc.strataNames)
			}
			if tc.counts != nil {
				tab := st.Tables[st.Names[0]]
				if len(st.Names) != 1 || len(tab.Counts) != len(tc.counts) {
					t.Fatalf("strata %v, want one with %v", st, tc.counts)
				}
				for h, c := range tc.counts {
					if tab.Counts[h] != c {
						t.Errorf("history %03b: %d, want %d", h, tab.Counts[h], c)
					}
				}
			}
			for _, want := range tc.warnings {
				if !strings.Contains(all, want) {
					t.Errorf("warnings %q lack %q", all, want)
				}
			}
			if tc.warnings == nil && all != "" {
				t.Errorf("unexpected warnings %q", all)
			}
		})
	}
}

// manySources is a clusters file with n sources that all saw one person.
func manySources(n int) string {
	var b strings.Builder
	b.WriteString("source,record_id,cluster_id\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "s%02d,%d,p1\n", i, i)
	}
	return b.String()
}
