package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLinkThenEstimate(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "lists.csv")
	if code, _, errs := run(t, dir, "demo", "--persons", "300", "--out", list); code != 0 {
		t.Fatal(errs)
	}
	// An odd value is a warning, not the end of the run.
	b, _ := os.ReadFile(list)
	odd := filepath.Join(dir, "odd.csv")
	os.WriteFile(odd, []byte("record_id,full_name,birth_year,event_date\nx1,Ali Rezaei,sometime,31/02/2026\n"), 0o600)
	out, review := filepath.Join(dir, "clusters.csv"), filepath.Join(dir, "review.csv")
	code, _, errs := run(t, dir, "link", "--out", out, "--review", review, list, odd)
	if code != 0 {
		t.Fatalf("link: code %d\n%s", code, errs)
	}
	if !strings.Contains(errs, "odd.csv line 2, field birth_year") || !strings.Contains(errs, "field event_date") {
		t.Fatalf("warnings should name file, line and field:\n%s", errs)
	}
	rows := readCSV(t, out)
	inputRows := strings.Count(string(b), "\n") - 1 + 1 // the demo list's rows and the odd row
	if rows[0][0] != "source" || rows[0][1] != "record_id" || rows[0][2] != "cluster_id" || len(rows)-1 != inputRows {
		t.Fatalf("clusters file: header %v, %d rows, want %d", rows[0], len(rows)-1, inputRows)
	}
	clusters := map[string]bool{}
	for _, r := range rows[1:] {
		clusters[r[2]] = true
	}
	if len(clusters) >= inputRows || len(clusters) < 200 {
		t.Fatalf("%d clusters for %d records of 300 persons", len(clusters), inputRows)
	}
	if rr := readCSV(t, review); len(rr) == 0 || rr[0][4] != "probability" {
		t.Fatalf("review file header %v", rr[0])
	}
	code, stdout, errs := run(t, dir, "estimate", "--clusters", out, "--method", "loglinear")
	if code != 0 || !strings.Contains(stdout, "estimate:") {
		t.Fatalf("estimate from link's clusters: %d %s %s", code, stdout, errs)
	}
}

func TestLinkFEBRLConfig(t *testing.T) {
	data := "../../../shared/data/febrl/dataset1.csv"
	if _, err := os.Stat(data); err != nil {
		t.Skip("FEBRL data not here")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "c.csv")
	code, _, errs := run(t, dir, "link", "--config", "../../docs/examples/febrl-config.json", "--out", out, data)
	if code != 0 {
		t.Fatalf("code %d %s", code, errs)
	}
	// dataset1: 1,000 records, 500 of them duplicates of the others.
	rows := readCSV(t, out)
	clusters := map[string]bool{}
	for _, r := range rows[1:] {
		clusters[r[2]] = true
	}
	if len(rows)-1 != 1000 || len(clusters) < 490 || len(clusters) > 520 {
		t.Fatalf("%d rows, %d clusters", len(rows)-1, len(clusters))
	}
}

func TestImportLinkCount(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "lists.csv")
	if code, _, errs := run(t, dir, "demo", "--persons", "300", "--out", list); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, dir, "import", "--link", list)
	if code != 0 || !strings.Contains(out, "merged") {
		t.Fatalf("import --link: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, dir, "relink")
	if code != 0 || !strings.Contains(out, "(0 merged)") {
		t.Fatalf("relink again: %d %s", code, out)
	}
	code, out, _ = run(t, dir, "count", "--overlap")
	overlap := filepath.Join(dir, "overlap.csv")
	os.WriteFile(overlap, []byte(out), 0o600)
	if code, out, errs := run(t, dir, "estimate", "--counts", overlap, "--method", "loglinear"); code != 0 || !strings.Contains(out, "estimate:") {
		t.Fatalf("estimate from the linked registry: %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, dir, "audit", "verify"); code != 0 {
		t.Fatalf("audit after linking: %s", out)
	}
}

// TestLinkWithoutReview checks that leaving out --review, which lets link
// drop the review band, gives the same clusters, on the wide-name demo.
func TestLinkWithoutReview(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "wide.csv")
	if code, _, errs := run(t, dir, "demo", "--persons", "400", "--wide-names", "--out", list); code != 0 {
		t.Fatal(errs)
	}
	with, without := filepath.Join(dir, "with.csv"), filepath.Join(dir, "without.csv")
	if code, _, errs := run(t, dir, "link", "--out", with, "--review", filepath.Join(dir, "review.csv"), list); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, dir, "link", "--out", without, list); code != 0 {
		t.Fatal(errs)
	}
	a, _ := os.ReadFile(with)
	b, _ := os.ReadFile(without)
	if string(a) != string(b) || len(a) == 0 {
		t.Errorf("clusters differ with and without --review (%d and %d bytes)", len(a), len(b))
	}
}

// TestLinkEveryRowOut checks that link writes one line per row read, with
// the record_id it was read with, in the cases lists make common: two lists
// that both number their rows from 1, a list that repeats an id, and lists
// in which no two rows share a block (nothing to learn a model from).
// witnessOrg is an organisation's list in Persian, with Jalali dates and
// the place of each event beside the home town.
const witnessOrg = `record_id,نام,نام خانوادگی,نام پدر,سال تولد,شهر,تاریخ,وضعیت,محل
1,سعید,موسوی,خسرو,۱۳۶۶,قم,۱۴۰۴/۱۰/۱۳,کشته شده,"میدان آزادی، تهران، ایران"
2,نرگس,محمدی,علی,۱۳۵۱,تبریز,۱۴۰۴/۱۰/۱۹,بازداشت,زندان تبریز
3,سعید,رحیمی,حسن,۱۳۶۶,شیراز,۱۴۰۴/۱۰/۱۹,کشته شده,شیراز
`

func TestLinkEveryRowOut(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  [][]string // source, record_id, and a label: equal labels, one cluster
	}{
		{"two lists numbered from 1", map[string]string{
			"hrana.csv":   "record_id,given_name,family_name,birth_year,city\n1,محمدرضا,حسینی,1370,کرج\n2,سارا,کریمی,1995,تهران\n",
			"amnesty.csv": "record_id,given_name,family_name,birth_year,city\n1,Sara,Karimi,1995,Tehran\n2,Mohammadreza,Hosseini,1991,Karaj\n",
		}, [][]string{{"amnesty", "1", "sara"}, {"amnesty", "2", "mr"}, {"hrana", "1", "mr"}, {"hrana", "2", "sara"}}},
		{"a repeated id", map[string]string{
			"list.csv": "record_id,full_name,birth_year\n7,Ali Rezaei,1990\n7,Narges Mohammadi,1972\n",
		}, [][]string{{"list", "7", "a"}, {"list", "7", "b"}}},
		// A man from Qom shot in Tehran: the list gives his home and the
		// place, a witness the place and an age nothing dates, which is
		// taken as of the latest event the witness's list reports.
		{"a witness names the place; an undated age", map[string]string{
			"org.csv":     witnessOrg,
			"witness.csv": "id,first name,age,location,date,status\nw1,Saeed,about 40,\"Azadi Square, Tehran\",,killed\nw2,Saeid,38,Shiraz,9 January 2026,killed\n",
		}, [][]string{{"org", "1", "saeed"}, {"witness", "w1", "saeed"}, {"org", "2", "narges"}, {"org", "3", "rahimi"}, {"witness", "w2", "rahimi"}}},
		// A list with no date at all: its ages are as of the other lists'
		// latest event.
		{"a list without dates", map[string]string{
			"org.csv":     witnessOrg,
			"witness.csv": "id,first name,age,location,status\nw1,Saeed,about 40,\"Azadi Square, Tehran\",killed\n",
		}, [][]string{{"org", "1", "saeed"}, {"witness", "w1", "saeed"}, {"org", "2", "narges"}, {"org", "3", "rahimi"}}},
		// A Persian list numbers its rows (ردیف) beside its ids (شناسه);
		// one row has cells past the header, another a quote left open:
		// warnings, not the end of the run. The honorific سید is no part
		// of the name, and "30s" is a decade, not 30.
		{"a list's habits", map[string]string{
			"ngo.csv": "ردیف,شناسه,نام,نام خانوادگی,سال تولد,شهر,تاریخ\n" +
				"۱,A1,سید یوسف,حسینی,1370,تهران,۱۴۰۴/۱۰/۱۶\n" +
				"۲,A2,مریم,کریمی,1375,شیراز,۱۴۰۴/۱۰/۱۸,extra,cells\n",
			"diaspora.csv": "Ref. No.,Name,Age,City,Date of incident\n" +
				"D-1,Yousef Hosseini,30s,Tehran,2026-01-07\n" +
				"D-2,\"Maryam Karimi,1996,Shiraz,2026-01-08\n",
		}, [][]string{{"diaspora", "D-1", "yousef"}, {"diaspora", "D-2", "maryam"}, {"ngo", "A1", "yousef"}, {"ngo", "A2", "maryam"}}},
		{"no pair to compare", map[string]string{
			"a.csv": "record_id,full_name,birth_year\n1,Ali Rezaei,1990\n",
			"b.csv": "record_id,full_name,birth_year\n1,Narges Mohammadi,1972\n",
		}, [][]string{{"a", "1", "a"}, {"b", "1", "b"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"link", "--out", filepath.Join(dir, "clusters.csv")}
			for name, body := range tc.files {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, p)
			}
			if code, _, errs := run(t, dir, args...); code != 0 {
				t.Fatalf("link: code %d\n%s", code, errs)
			}
			rows := readCSV(t, filepath.Join(dir, "clusters.csv"))[1:]
			if len(rows) != len(tc.want) {
				t.Fatalf("%d rows out, want %d: %v", len(rows), len(tc.want), rows)
			}
			clusterOf := map[string]string{} // label -> cluster
			labelOf := map[string]string{}   // cluster -> label
			for _, w := range tc.want {
				var got []string
				for i, r := range rows {
					if r[0] == w[0] && r[1] == w[1] {
						got = r
						rows[i] = []string{"", "", ""} // each row once
						break
					}
				}
				if got == nil {
					t.Fatalf("no row for %s/%s", w[0], w[1])
				}
				if c, ok := clusterOf[w[2]]; ok && c != got[2] {
					t.Errorf("%s/%s in %s, want it with %s", w[0], w[1], got[2], c)
				}
				if l, ok := labelOf[got[2]]; ok && l != w[2] {
					t.Errorf("%s/%s joined %s's cluster %s", w[0], w[1], l, got[2])
				}
				clusterOf[w[2]], labelOf[got[2]] = got[2], w[2]
			}
		})
	}
}
