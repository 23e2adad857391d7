package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEstimate(t *testing.T) {
	dir := t.TempDir()
	// Two lists: the independence model is Lincoln–Petersen, n1·n2/m with
	// n1 = 350, n2 = 200, m = 50: N̂ = 1400.
	counts := filepath.Join(dir, "two.csv")
	os.WriteFile(counts, []byte("a,b,count\n1,0,300\n0,1,150\n1,1,50\n0,0,7\n"), 0o600)
	code, out, errs := run(t, dir, "estimate", "--counts", counts, "--method", "loglinear", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	var res struct {
		Method   string     `json:"method"`
		Observed int        `json:"observed"`
		Estimate float64    `json:"estimate"`
		CI95     []*float64 `json:"ci95"`
		Warnings []string   `json:"warnings"`
		Explain  string     `json:"explanation"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Method != "loglinear" || res.Observed != 500 || res.Estimate < 1399.9 || res.Estimate > 1400.1 ||
		len(res.CI95) != 2 || res.CI95[0] == nil || *res.CI95[0] > 1400 || res.Explain == "" {
		t.Fatalf("result %+v", res)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "only two lists") || !strings.Contains(strings.Join(res.Warnings, "\n"), "line 5") {
		t.Fatalf("warnings %q should name the all-zero row and the two-list caveat", res.Warnings)
	}

	// From a clusters file, the way peyvand link writes it.
	clusters := filepath.Join(dir, "clusters.csv")
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
	os.WriteFile(clusters, []byte(b.String()+"a,r9999,\n"), 0o600) // no cluster: skipped
	code, out, errs = run(t, dir, "estimate", "--clusters", clusters, "--method", "loglinear")
	if code != 0 || !strings.Contains(out, "estimate:  1400") || !strings.Contains(out, "observed:  500") || !strings.Contains(out, "skipped") {
		t.Fatalf("clusters: code %d\n%s\n%s", code, out, errs)
	}

	code, out, _ = run(t, dir, "estimate", "--counts", "../../estimate/testdata/three_lists.csv", "--seed", "5")
	if code != 0 || !strings.Contains(out, "method:    lcmcr") || !strings.Contains(out, "seed 5") {
		t.Fatalf("lcmcr: %d\n%s", code, out)
	}
	_, again, _ := run(t, dir, "estimate", "--counts", "../../estimate/testdata/three_lists.csv", "--seed", "5")
	if again != out {
		t.Fatal("the same seed gave another result")
	}
	for _, args := range [][]string{
		{"estimate"},
		{"estimate", "--counts", counts, "--method", "guess"},
		{"estimate", "--counts", counts, "--clusters", clusters},
	} {
		if code, _, _ := run(t, dir, args...); code != exitUsage {
			t.Errorf("%v: code %d, want usage", args, code)
		}
	}
	// An analyst's tool: a bad row is a warning, the run goes on without it.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("a,b,count\n1,0,300\n0,1,x\n0,1,150\n1,1,50\n"), 0o600)
	if code, out, errs := run(t, dir, "estimate", "--counts", bad, "--method", "loglinear"); code != 0 ||
		!strings.Contains(out, `line 3: skipped: column "count"`) || !strings.Contains(out, "estimate:  1400") {
		t.Errorf("bad cell: code %d %s %s", code, out, errs)
	}

	// Strata: one estimate per province and their total.
	strata := filepath.Join(dir, "strata.csv")
	os.WriteFile(strata, []byte("a,b,count,province\n1,0,300,Tehran\n0,1,150,Tehran\n1,1,50,Tehran\n1,0,60,Kurdistan\n0,1,30,Kurdistan\n1,1,10,Kurdistan\n"), 0o600)
	code, out, errs = run(t, dir, "estimate", "--counts", strata, "--strata", "province", "--method", "loglinear", "--format", "json")
	var st struct {
		Estimate float64 `json:"estimate"`
		Observed int     `json:"observed"`
		Strata   []struct {
			Name     string  `json:"name"`
			Estimate float64 `json:"estimate"`
		} `json:"strata"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || len(st.Strata) != 2 || st.Strata[0].Name != "Tehran" ||
		st.Strata[1].Estimate < 279.9 || st.Strata[1].Estimate > 280.1 || st.Estimate < 1679.9 || st.Estimate > 1680.1 || st.Observed != 600 {
		t.Fatalf("strata: code %d %+v\n%s %s", code, st, out, errs)
	}
	// lcmcr needs three lists: with two, no stratum has an estimate, and
	// the error says why.
	code, _, errs = run(t, dir, "estimate", "--counts", strata, "--strata", "province", "--seed", "2")
	if code != exitInvalid || !strings.Contains(errs, "lcmcr needs at least 3 lists") {
		t.Fatalf("lcmcr strata on two lists: %d %s", code, errs)
	}
}

func TestCountThenEstimate(t *testing.T) {
	dir := t.TempDir()
	list := filepath.Join(dir, "demo.csv")
	if code, _, errs := run(t, dir, "demo", "--persons", "400", "--out", list); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := run(t, dir, "import", list); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, dir, "count", "--by", "status,gender")
	if code != 0 || !strings.HasPrefix(out, "dimension,value,count\n") || !strings.Contains(out, "status,killed,") || !strings.Contains(out, "gender,female,") {
		t.Fatalf("count: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, dir, "count", "--overlap")
	if code != 0 || !strings.HasPrefix(out, "demo-hr-group-a,demo-hr-group-b,") {
		t.Fatalf("overlap: %d %s", code, out)
	}
	overlap := filepath.Join(dir, "overlap.csv")
	os.WriteFile(overlap, []byte(out), 0o600)
	// Until linkage merges records into persons, every person is on one
	// list and there is no overlap to estimate from: a clear error.
	if code, _, errs := run(t, dir, "estimate", "--counts", overlap, "--method", "loglinear"); code != exitInvalid || !strings.Contains(errs, "no person is on more than one list") {
		t.Fatalf("estimate without overlap: code %d %s", code, errs)
	}
	if code, _, _ := run(t, dir, "count", "--by", "colour"); code != exitInvalid {
		t.Fatalf("unknown dimension: code %d", code)
	}
	// Linked, the persons overlap, and the registry's overlap by province
	// is the input of a stratified estimate.
	if code, _, errs := run(t, dir, "relink"); code != 0 {
		t.Fatalf("relink: %s", errs)
	}
	code, out, errs = run(t, dir, "count", "--overlap", "--by", "province")
	if code != 0 || !strings.HasPrefix(out, "province,demo-hr-group-a,") {
		t.Fatalf("overlap by province: %d %s %s", code, out, errs)
	}
	byProvince := filepath.Join(dir, "by-province.csv")
	os.WriteFile(byProvince, []byte(out), 0o600)
	code, out, errs = run(t, dir, "estimate", "--counts", byProvince, "--strata", "province", "--method", "dga", "--format", "json")
	var res struct {
		Observed int     `json:"observed"`
		Estimate float64 `json:"estimate"`
		Strata   []struct {
			Name     string  `json:"name"`
			Observed int     `json:"observed"`
			Estimate float64 `json:"estimate"`
		} `json:"strata"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res.Strata) < 2 || res.Estimate < float64(res.Observed) {
		t.Fatalf("estimate by province: code %d %s %s", code, out, errs)
	}
	sum := 0
	for _, st := range res.Strata {
		sum += st.Observed
	}
	if sum != res.Observed {
		t.Errorf("strata observe %d persons, the total %d", sum, res.Observed)
	}
	for _, bad := range [][]string{{"--by", "list"}, {"--by", "province,city"}} {
		if code, _, errs := run(t, dir, append([]string{"count", "--overlap"}, bad...)...); code == 0 {
			t.Errorf("count --overlap %v: accepted (%s)", bad, errs)
		}
	}
}

func TestClustersFileBadQuote(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.csv")
	// The quote on line 3 is never closed. Read leniently, it is left out
	// with a warning, instead of swallowing the rest of the file; the two
	// persons left are too few for any model, which is an error (no panic).
	os.WriteFile(path, []byte("source,record_id,cluster_id\na,1,c1\nb,\"2,c1\na,3,c2\n"), 0o600)
	if code, _, errs := run(t, dir, "estimate", "--clusters", path, "--method", "loglinear"); code != exitInvalid || !strings.Contains(errs, "line 3: a quote mark that is not closed was left out") {
		t.Fatalf("code %d %s", code, errs)
	}
}

func TestEstimateDGA(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, dir, "estimate", "--counts", "../../estimate/testdata/three_lists.csv", "--method", "dga", "--format", "json")
	var res struct {
		Method   string    `json:"method"`
		Observed int       `json:"observed"`
		Estimate float64   `json:"estimate"`
		CI95     []float64 `json:"ci95"`
		Model    string    `json:"model"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Method != "dga" || res.Observed != 970 ||
		res.Estimate <= 970 || res.CI95[0] > res.Estimate || res.CI95[1] < res.Estimate || !strings.Contains(res.Model, "graphs") {
		t.Fatalf("dga: code %d %+v\n%s %s", code, res, out, errs)
	}
	// Two lists are too few for graphical models: a clear error.
	two := filepath.Join(dir, "two.csv")
	os.WriteFile(two, []byte("a,b,count\n1,0,3\n0,1,4\n1,1,2\n"), 0o600)
	if code, _, errs := run(t, dir, "estimate", "--counts", two, "--method", "dga"); code != exitInvalid {
		t.Fatalf("dga on two lists: code %d %s", code, errs)
	}
}

// TestEstimateThin runs LCMCR with longer chains and rejects a thinning
// below one.
func TestEstimateThin(t *testing.T) {
	dir := t.TempDir()
	counts := filepath.Join(dir, "three.csv")
	os.WriteFile(counts, []byte("a,b,c,count\n1,0,0,230\n0,1,0,180\n0,0,1,310\n1,1,0,95\n1,0,1,60\n0,1,1,70\n1,1,1,25\n"), 0o600)
	if code, _, errs := run(t, dir, "estimate", "--counts", counts, "--thin", "0"); code == 0 || !strings.Contains(errs, "--thin") {
		t.Fatalf("--thin 0: code %d, %s", code, errs)
	}
	code, out, errs := run(t, dir, "estimate", "--counts", counts, "--method", "lcmcr", "--thin", "2", "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errs)
	}
	var res struct {
		Estimate float64   `json:"estimate"`
		CI95     []float64 `json:"ci95"`
		Thin     int       `json:"thin"`
		Sweeps   int       `json:"sweeps"`
		ESS      float64   `json:"ess"`
		RHat     float64   `json:"rhat"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Estimate < 970 || len(res.CI95) != 2 || res.CI95[0] > res.Estimate {
		t.Fatalf("%v: %+v\n%s", err, res, out)
	}
	// A thinning given is kept, however the chains mixed.
	if res.Thin != 2 || res.Sweeps != 10000+1000*2 {
		t.Errorf("--thin 2 ran at thinning %d, %d sweeps", res.Thin, res.Sweeps)
	}
	// By default the chains run on until they mix. Kosovo's do not at the
	// default thinning (ESS below 100 there).
	code, out, errs = run(t, dir, "estimate", "--counts", "../../estimate/testdata/published/kosovo.csv", "--method", "lcmcr", "--format", "json")
	res.Thin = 0
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("kosovo: code %d, %v: %s", code, err, errs)
	}
	if res.Thin <= 10 || res.ESS < 400 || res.RHat > 1.1 || strings.Contains(out, "effective sample size") {
		t.Errorf("kosovo's chains not lengthened until mixed: %+v\n%s", res, out)
	}
}

// TestEstimateOneList checks that clusters from a single source, which give
// no overlap to estimate from, get an error that says so.
func TestEstimateOneList(t *testing.T) {
	dir := t.TempDir()
	clusters := filepath.Join(dir, "clusters.csv")
	os.WriteFile(clusters, []byte("source,record_id,cluster_id\nhrana,1,p1\nhrana,2,p2\n"), 0o600)
	code, _, errs := run(t, dir, "estimate", "--clusters", clusters, "--method", "lcmcr")
	if code != 3 || !strings.Contains(errs, "one source (hrana)") || strings.Contains(errs, "stratum") {
		t.Errorf("one source: code %d\n%s", code, errs)
	}
}

// TestEstimateInput runs the outside tester's odd inputs: each is either a
// warning that names what was done, or an error that says what is likely
// wrong; never a silent change of the figure.
func TestEstimateInput(t *testing.T) {
	dir := t.TempDir()
	three := "1,0,0,230\n0,1,0,180\n0,0,1,310\n1,1,0,95\n1,0,1,60\n0,1,1,70\n1,1,1,25\n"
	clusters := "source,record_id,cluster_id\na,1,p1\nb,1,p1\na,1,p1\nc,2,p2\na,5,p5\nb,6,p6\nc,7,p6\nc,7,p8\na,9,p9\nb,9,p9\nc,9,p9\n"
	var strata strings.Builder
	strata.WriteString("a,b,c,count,province\n")
	for _, row := range strings.Split(strings.TrimSpace(three), "\n") {
		fmt.Fprintf(&strata, "%s,north\n%s,south\n", row, row)
	}
	tests := []struct {
		name, file, content string
		flag                string // --counts or --clusters
		code                int
		stdout, stderr      []string
		notStdout           []string
	}{
		{name: "repeated history", file: "dup.csv", content: "a,b,c,count\n" + three + "1,0,1,5\n", flag: "--counts",
			stdout: []string{"observed:  975", "warning:   history 1,0,1 appears on lines 6 and 9: their counts are added"}},
		{name: "no repeat, no warning", file: "three.csv", content: "a,b,c,count\n" + three, flag: "--counts",
			stdout: []string{"observed:  970"}, notStdout: []string{"appears on lines"}},
		{name: "semicolons", file: "semi.csv", content: "a;b;c;count\n" + strings.ReplaceAll(three, ",", ";"), flag: "--counts",
			stdout: []string{"observed:  970"}},
		{name: "Anzahl, tab", file: "tab.csv", content: "a\tb\tc\tAnzahl\n" + strings.ReplaceAll(three, ",", "\t"), flag: "--counts",
			stdout: []string{"observed:  970"}},
		{name: "yes/no", file: "yes.csv", content: "a,b,c,n\n" + strings.NewReplacer("1,", "yes,", "0,", "no,").Replace(three), flag: "--counts",
			stdout: []string{"observed:  970", `read as "a": yes or true = 1`}},
		{name: "no count column", file: "nocount.csv", content: "a,b,c\n1,0,0\n0,1,1\n", flag: "--counts", code: exitInvalid,
			stderr: []string{`no count column among the 3 columns read (comma delimited): "a", "b", "c"`, "add a column count with 1 on every row"}},
		{name: "clusters given as counts", file: "cl.csv", content: clusters, flag: "--counts", code: exitInvalid,
			stderr: []string{"this is a clusters file", "give it with --clusters"}},
		// A column named for a stratum is not a list: left out, with a hint.
		{name: "stratum column not named", file: "strata.csv", content: strata.String(), flag: "--counts",
			stdout: []string{`column "province" is not a list`, "--strata province"}},
		{name: "record listed twice", file: "cl.csv", content: clusters, flag: "--clusters",
			stdout: []string{`record "1" of source "a" appears on lines 2 and 4, in cluster "p1" each time: it counts once`,
				`record "7" of source "c" appears on lines 8 and 9, in clusters "p6" and "p8"`}},
		{name: "warnings that explain an error", file: "bad.csv", content: "a,b,count\n1,0,-3\n0,1,x\n", flag: "--counts", code: exitInvalid,
			stderr: []string{`peyvand: warning: line 2: skipped: column "count"`, `peyvand: warning: line 3: skipped`, "no one is observed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			os.WriteFile(path, []byte(tc.content), 0o600)
			code, out, errs := run(t, dir, "estimate", tc.flag, path, "--method", "loglinear")
			if code != tc.code {
				t.Fatalf("code %d, want %d\n%s\n%s", code, tc.code, out, errs)
			}
			checkOutput(t, "stdout", out, tc.stdout, tc.notStdout)
			for _, want := range tc.stderr {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
		})
	}
}

// TestEstimateModelsSetAside: log-linear selection on a sparse table sets
// most candidate models aside; that is one warning, not one per model, and
// the warnings about the chosen model stay.
func TestEstimateModelsSetAside(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, counts string
		summary      string   // the one warning about models set aside
		chosen       []string // warnings about the chosen model
	}{
		{"half the models", "a,b,c,d,count\n1,0,0,0,50\n0,1,0,0,40\n0,0,1,0,30\n0,0,0,1,20\n1,1,0,0,10\n1,0,1,0,8\n0,1,1,0,6\n0,0,1,1,4\n1,0,0,1,3\n",
			"32 of 64 candidate log-linear models set aside", nil},
		{"chosen model unbounded", "a,b,c,d,count\n1,0,0,0,20000\n0,1,0,0,20000\n0,0,1,0,20\n0,0,0,1,20\n1,1,0,0,1\n0,0,1,1,1\n",
			"61 of 64 candidate log-linear models set aside", []string{"the data cannot bound the population from above",
				"9 of the 15 possible capture histories are empty", "the estimate is 10031 times the number observed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "c.csv")
			os.WriteFile(path, []byte(tc.counts), 0o600)
			code, out, errs := run(t, dir, "estimate", "--counts", path, "--method", "loglinear", "--format", "json")
			var res struct {
				Warnings []string `json:"warnings"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
				t.Fatalf("code %d\n%s\n%s", code, out, errs)
			}
			setAside := 0
			for _, w := range res.Warnings {
				if strings.Contains(w, "is unreliable") {
					t.Errorf("a warning per model: %q", w)
				}
				if strings.Contains(w, "set aside") {
					setAside++
					if !strings.Contains(w, tc.summary) || !strings.Contains(w, "no maximum-likelihood estimate") || strings.Count(w, ";") > 3 {
						t.Errorf("summary %q, want %q, the reason and at most 3 examples", w, tc.summary)
					}
				}
			}
			if setAside != 1 || len(res.Warnings) != 1+len(tc.chosen) {
				t.Errorf("warnings %q: want one summary and %d about the chosen model", res.Warnings, len(tc.chosen))
			}
			for _, want := range tc.chosen {
				if !strings.Contains(strings.Join(res.Warnings, "\n"), want) {
					t.Errorf("warnings %q lack %q", res.Warnings, want)
				}
			}
		})
	}
}

// TestEstimateRounding: text gives whole persons, the interval rounded
// outward; JSON keeps hundredths, not floating-point noise.
func TestEstimateRounding(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.csv")
	// The independence model: estimate 444.584…, interval 340.478… – 605.017….
	os.WriteFile(path, []byte("a,b,c,d,count\n1,0,0,0,50\n0,1,0,0,40\n0,0,1,0,30\n0,0,0,1,20\n1,1,0,0,10\n1,0,1,0,8\n0,1,1,0,6\n0,0,1,1,4\n1,0,0,1,3\n"), 0o600)
	tests := []struct {
		format string
		want   []string
	}{
		{"text", []string{"estimate:  445\n", "95% interval: 340 – 606\n"}},
		{"json", []string{`"estimate": 444.58,`, "\"ci95\": [\n    340.48,\n    605.02\n  ]"}},
	}
	for _, tc := range tests {
		code, out, errs := run(t, dir, "estimate", "--counts", path, "--method", "loglinear", "--format", tc.format)
		if code != 0 {
			t.Fatalf("%s: code %d %s", tc.format, code, errs)
		}
		for _, want := range tc.want {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.format, want, out)
			}
		}
	}
}

// TestEstimateErrorJSON: like every command, estimate reports an error on
// stderr with its exit code, in any --format; stdout stays empty, so a
// script never parses half a result.
func TestEstimateErrorJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "six.csv")
	os.WriteFile(path, []byte("a,b,c,d,e,f,count\n1,0,0,0,0,0,5\n0,1,0,0,0,0,5\n1,1,0,0,0,0,2\n0,0,1,0,0,1,3\n0,0,0,1,1,0,4\n1,0,1,0,1,0,1\n"), 0o600)
	tests := []struct{ format string }{{"json"}, {"text"}}
	for _, tc := range tests {
		code, out, errs := run(t, dir, "estimate", "--counts", path, "--method", "dga", "--format", tc.format)
		if code != exitInvalid || out != "" || !strings.Contains(errs, "DGA needs 3 to 5 lists, got 6") {
			t.Errorf("%s: code %d, stdout %q, stderr %q", tc.format, code, out, errs)
		}
	}
}

// TestEstimateHardTables: tables an outside tester found where a run
// stopped or gave a figure without saying what it rests on.
func TestEstimateHardTables(t *testing.T) {
	dir := t.TempDir()
	const threeStrata = "province,A,B,C,count\n" +
		"Tehran,1,0,0,120\nTehran,0,1,0,90\nTehran,0,0,1,70\nTehran,1,1,0,40\nTehran,1,0,1,30\nTehran,0,1,1,25\nTehran,1,1,1,17\n" +
		// nobody on C: estimated from A and B
		"Sistan,1,0,0,30\nSistan,0,1,0,25\nSistan,1,1,0,13\n" +
		// one person: no model fits; the others still get estimates
		"Yazd,1,0,0,1\n"
	tests := []struct {
		name, counts string
		args         []string
		want         []string // substrings of the JSON output
		notWant      []string
	}{
		{"a stratum no model fits", threeStrata, []string{"--strata", "province", "--method", "loglinear"},
			[]string{`1 stratum has no estimate, and the total leaves out their 1 observed: \"Yazd\" (1 observed): no log-linear model`, `no one here is on \"C\": estimated from the other lists`, `"name": "Sistan"`},
			[]string{`"seed"`}},
		{"dga on its prior", "a,b,c,count\n1,0,0,50000\n0,1,0,40000\n0,0,1,30000\n1,1,0,10000\n1,0,1,8000\n0,1,1,6000\n1,1,1,4000\n", []string{"--method", "dga", "--thin", "5"},
			[]string{"the graph with every interaction (a*b*c) carries", "--thin applies to lcmcr only: ignored by dga"}, []string{`"seed"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "c.csv")
			os.WriteFile(path, []byte(tc.counts), 0o600)
			code, out, errs := run(t, dir, append([]string{"estimate", "--counts", path, "--format", "json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("code %d: %s", code, errs)
			}
			checkOutput(t, "output", out, tc.want, tc.notWant)
		})
	}
	// lcmcr refuses two lists: its answer would be its prior's.
	two := filepath.Join(dir, "two.csv")
	os.WriteFile(two, []byte("a,b,count\n1,0,2400\n0,1,1900\n1,1,6\n"), 0o600)
	if code, _, errs := run(t, dir, "estimate", "--counts", two, "--method", "lcmcr"); code != exitInvalid || !strings.Contains(errs, "use --method loglinear") {
		t.Errorf("lcmcr on two lists: code %d, %s", code, errs)
	}
	// When no stratum can be estimated the run fails and says why.
	path := filepath.Join(dir, "none.csv")
	os.WriteFile(path, []byte("province,A,B,count\nYazd,1,0,1\nQom,0,1,2\n"), 0o600)
	if code, _, errs := run(t, dir, "estimate", "--counts", path, "--strata", "province", "--method", "loglinear"); code != exitInvalid || !strings.Contains(errs, "no stratum could be estimated") {
		t.Errorf("no stratum estimable: code %d, %s", code, errs)
	}
}

// checkOutput reports each of want that out lacks and each of notWant it
// has; what names the stream in the message.
func checkOutput(t *testing.T, what, out string, want, notWant []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
	for _, w := range notWant {
		if strings.Contains(out, w) {
			t.Errorf("%s has %q:\n%s", what, w, out)
		}
	}
}
