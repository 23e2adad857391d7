package demo

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"peyvand"
	"peyvand/persian"
)

func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(Options{Seed: 7}), Generate(Options{Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different data sets")
	}
	if c := Generate(Options{Seed: 8}); reflect.DeepEqual(a, c) {
		t.Fatal("seeds 7 and 8 gave the same data set")
	}
}

func TestGenerateShape(t *testing.T) {
	tests := []struct {
		persons, want int
	}{
		{0, DefaultPersons},
		{40, 40},
		{2, 2},
	}
	for _, tt := range tests {
		d := Generate(Options{Seed: 1, Persons: tt.persons})
		seen := map[int]bool{}
		for _, n := range d.Truth {
			seen[n] = true
		}
		if len(seen) != tt.want {
			t.Errorf("Persons %d: %d persons appear in the sources, want %d", tt.persons, len(seen), tt.want)
		}
		if len(d.Sources) != 5 {
			t.Errorf("Persons %d: %d sources, want 5", tt.persons, len(d.Sources))
		}
		if len(d.Inquiries) == 0 {
			t.Errorf("Persons %d: no inquiries", tt.persons)
		}
	}
	if n := len(Generate(Options{}).Inquiries); n != 10 {
		t.Errorf("default data set has %d inquiries, want 10", n)
	}
}

// TestRowsValid checks that every row would be accepted by an import and is
// marked as fictitious.
func TestRowsValid(t *testing.T) {
	d := Generate(Options{Seed: 3})
	var validIDs, invalidIDs int
	for _, sr := range d.Sources {
		src := sr.Source
		if err := src.Validate(); err != nil {
			t.Errorf("source %s: %v", src.Name, err)
		}
		if !strings.HasPrefix(src.Name, "demo-") || !strings.Contains(src.Organisation, "fictitious") {
			t.Errorf("source %q (%q) does not say it is a fictitious demo", src.Name, src.Organisation)
		}
		ids := map[string]bool{}
		for _, row := range sr.Rows {
			r := row.Record
			if err := r.Validate(); err != nil {
				t.Errorf("%s %s: %v", src.Name, r.ExternalID, err)
			}
			if ids[r.ExternalID] {
				t.Errorf("%s: record id %s twice", src.Name, r.ExternalID)
			}
			ids[r.ExternalID] = true
			if !r.HasName() || !strings.Contains(r.Notes, "fictitious") {
				t.Errorf("%s %s: no name or notes not fictitious: %+v", src.Name, r.ExternalID, r)
			}
			if r.NationalID != "" {
				if r.NationalIDValid != persian.ValidNationalID(r.NationalID) {
					t.Errorf("%s %s: national ID %s flagged valid=%v", src.Name, r.ExternalID, r.NationalID, r.NationalIDValid)
				}
				if r.NationalIDValid {
					validIDs++
				} else {
					invalidIDs++
				}
			}
			if len(row.Events) == 0 {
				t.Errorf("%s %s: no status event", src.Name, r.ExternalID)
			}
			for _, e := range row.Events {
				if err := e.Validate(); err != nil {
					t.Errorf("%s %s: event: %v", src.Name, r.ExternalID, err)
				}
				if !e.Date.IsZero() && !inWindow(e.Date) {
					t.Errorf("%s %s: event date %s outside the demo window", src.Name, r.ExternalID, e.Date)
				}
			}
		}
	}
	if validIDs < 50 || invalidIDs == 0 || invalidIDs > validIDs/5 {
		t.Errorf("national IDs: %d valid, %d invalid; want mostly valid and a few invalid", validIDs, invalidIDs)
	}
}

func TestStatuses(t *testing.T) {
	d := Generate(Options{Seed: 4})
	count := map[peyvand.Status]int{}
	for _, sr := range d.Sources {
		for _, row := range sr.Rows {
			for _, e := range row.Events {
				count[e.Status]++
			}
		}
	}
	for _, s := range []peyvand.Status{
		peyvand.StatusKilled, peyvand.StatusExecuted, peyvand.StatusDetained, peyvand.StatusInjured,
		peyvand.StatusMissing, peyvand.StatusSentenced, peyvand.StatusReleased, peyvand.StatusSafe,
	} {
		if count[s] == 0 {
			t.Errorf("no %s event", s)
		}
	}
	if count[peyvand.StatusKilled] < count[peyvand.StatusExecuted] {
		t.Errorf("more executed (%d) than killed (%d)", count[peyvand.StatusExecuted], count[peyvand.StatusKilled])
	}
}

// TestSiblings checks that distinct persons share surname, father's name
// and city on one list: the false matches linkage must not make.
func TestSiblings(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		d := Generate(Options{Seed: seed})
		sr := d.Sources[0]
		byFamily := map[string]map[int]bool{}
		for _, row := range sr.Rows {
			r := row.Record
			if r.FamilyName == "" || r.FatherName == "" {
				continue
			}
			k := strings.Join([]string{arabicForms(r.FamilyName), arabicForms(r.FatherName), r.City}, "|")
			if byFamily[k] == nil {
				byFamily[k] = map[int]bool{}
			}
			byFamily[k][d.Truth[Key(sr.Source.Name, r.ExternalID)]] = true
		}
		found := 0
		for _, persons := range byFamily {
			if len(persons) > 1 {
				found++
			}
		}
		if found < 3 {
			t.Errorf("seed %d: %d groups of siblings on %s, want at least 3", seed, found, sr.Source.Name)
		}
	}
}

func TestOverlap(t *testing.T) {
	d := Generate(Options{Seed: 5})
	on := map[int]map[string]bool{}
	for _, sr := range d.Sources {
		for _, row := range sr.Rows {
			n := d.Truth[Key(sr.Source.Name, row.Record.ExternalID)]
			if on[n] == nil {
				on[n] = map[string]bool{}
			}
			on[n][sr.Source.Name] = true
		}
	}
	hist := map[int]int{}
	for n, srcs := range on {
		if len(srcs) < 1 || len(srcs) > 4 {
			t.Errorf("person %d is on %d sources, want 1 to 4", n, len(srcs))
		}
		hist[len(srcs)]++
	}
	if hist[3]+hist[4] == 0 || hist[1] == 0 || hist[2] == 0 {
		t.Errorf("persons by number of sources: %v; want some on one, two, and three or more", hist)
	}
}

// TestNoise checks that the data set carries the variants the field does.
func TestNoise(t *testing.T) {
	d := Generate(Options{Seed: 6})
	var all []peyvand.Record
	for _, sr := range d.Sources {
		for _, row := range sr.Rows {
			all = append(all, row.Record)
		}
	}
	tests := []struct {
		what string
		ok   func(peyvand.Record) bool
	}{
		{"Arabic yeh or keheh", func(r peyvand.Record) bool { return strings.ContainsAny(r.FullName, "يك") }},
		{"zero-width non-joiner", func(r peyvand.Record) bool { return strings.Contains(r.FullName, zwnj) }},
		{"upper-case surname first", func(r peyvand.Record) bool {
			return r.FamilyName != "" && r.FamilyName == strings.ToUpper(r.FamilyName) && strings.Contains(r.FullName, ",")
		}},
		{"German spelling", func(r peyvand.Record) bool { return strings.Contains(strings.ToLower(r.FullName), "sch") }},
		{"French spelling", func(r peyvand.Record) bool { return strings.Contains(strings.ToLower(r.FullName), "dj") }},
		{"age without birth year", func(r peyvand.Record) bool { return r.Age > 0 && r.BirthYear == 0 && !r.AgeDate.IsZero() }},
		{"birth year", func(r peyvand.Record) bool { return r.BirthYear > 0 }},
		{"sealed reporter", func(r peyvand.Record) bool { return r.Reporter != "" }},
		{"Persian city", func(r peyvand.Record) bool { return r.City == "تهران" }},
		{"Latin city", func(r peyvand.Record) bool { return r.City == "Tehran" }},
		{"no national ID", func(r peyvand.Record) bool { return r.NationalID == "" }},
	}
	for _, tt := range tests {
		found := false
		for _, r := range all {
			if tt.ok(r) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no record with %s", tt.what)
		}
	}
}

func TestSpelling(t *testing.T) {
	tests := []struct{ got, want string }{
		{germanise("Shirin"), "Schirin"},
		{germanise("Khosravi"), "Chosrawi"},
		{germanise("Javad"), "Dschawad"},
		{germanise("Mousavi"), "Musawi"},
		{francise("Shirin"), "Chirin"},
		{francise("Jafari"), "Djafari"},
		{francise("Musavi"), "Mousavi"},
		{francise("Mousavi"), "Mousavi"},
		{joinParts("Mohammad|reza", joined), "Mohammadreza"},
		{joinParts("Mohammad|reza", spaced), "Mohammad Reza"},
		{joinParts("Mohammad|reza", hyphen), "Mohammad-Reza"},
		{persianName(name{fa: "محمد|رضا"}, joined, false), "محمدرضا"},
		{persianName(name{fa: "محمد|رضا"}, spaced, false), "محمد رضا"},
		{persianName(name{fa: "محمد|رضا"}, hyphen, false), "محمد\u200cرضا"},
		{persianName(name{fa: "حسن|زاده", zwnj: true}, joined, false), "حسن\u200cزاده"},
		{persianName(name{fa: "حسن|زاده", zwnj: true}, hyphen, false), "حسنزاده"},
		{persianName(name{fa: "کریمی"}, joined, true), "كريمي"},
		{persian.PersianDigits("30"), "۳۰"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestNationalID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"0012345679", true},
		{"0012345678", false},
		{"1111111111", false}, // passes the check, never issued
		{"001234567", false},
		{"00123456۷9", false},
	}
	for _, tt := range tests {
		if got := persian.ValidNationalID(tt.id); got != tt.want {
			t.Errorf("persian.ValidNationalID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		if id := newNationalID(rng); !persian.ValidNationalID(id) {
			t.Fatalf("newNationalID gave invalid %s", id)
		}
	}
}

func TestInquiries(t *testing.T) {
	d := Generate(Options{Seed: 9})
	codes := map[string]bool{}
	for i, in := range d.Inquiries {
		norm, ok := peyvand.NormalizeInquiryCode(in.Code)
		if !ok || len(in.Code) != 24 || codes[norm] {
			t.Errorf("inquiry %d: code %q malformed or repeated", i, in.Code)
		}
		codes[norm] = true
		r := in.Record
		r.ExternalID = "inq" // the store gives it the inquiry's id
		if err := r.Validate(); err != nil {
			t.Errorf("inquiry %d: %v", i, err)
		}
		if in.Inquiry.Relationship == "" || !strings.HasPrefix(in.Inquiry.Contact, "demo contact +") {
			t.Errorf("inquiry %d: relationship %q, contact %q", i, in.Inquiry.Relationship, in.Inquiry.Contact)
		}
		if !strings.Contains(in.Record.Notes, "fictitious") || in.Person == 0 {
			t.Errorf("inquiry %d: notes %q, person %d", i, in.Record.Notes, in.Person)
		}
	}
}

// inWindow reports whether d, known to the day or the month, falls between
// the first and the last day of the demo.
func inWindow(d peyvand.Date) bool {
	lo, hi := dateOf(firstDay), dateOf(lastDay)
	if d.Day == 0 {
		lo.Day, hi.Day = 0, 0
	}
	return d.Compare(lo) >= 0 && d.Compare(hi) <= 0
}
