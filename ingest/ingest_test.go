package ingest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"peyvand"
	"peyvand/ingest"
	"peyvand/storetest"
)

var ctx = context.Background()

func newStore(t *testing.T) peyvand.Store { return storetest.NewSQLite(t) }

func records(t *testing.T, s peyvand.Store) map[string]peyvand.Dossier {
	t.Helper()
	out := map[string]peyvand.Dossier{}
	err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		d, err := s.Dossier(ctx, r.PersonID)
		out[r.ExternalID] = d
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPersianList(t *testing.T) {
	s := newStore(t)
	res, err := ingest.File(ctx, s, "testdata/persian.csv", ingest.Options{Source: "org-a"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.Events != 3 || len(res.Unknown) != 1 || res.Unknown[0] != "منطقه" {
		t.Fatalf("result = %+v", res)
	}
	got := records(t, s)
	r1 := got["1"].Records[0]
	want := peyvand.Record{GivenName: "محمدرضا", FamilyName: "حسینی", FatherName: "علی", BirthYear: 1996,
		Gender: peyvand.GenderMale, City: "کرج", Province: "البرز", NationalID: "0012345679", NationalIDValid: true}
	if r1.GivenName != want.GivenName || r1.FatherName != want.FatherName || r1.BirthYear != want.BirthYear ||
		r1.Gender != want.Gender || r1.NationalID != want.NationalID || !r1.NationalIDValid || r1.Province != want.Province {
		t.Fatalf("row 1 = %+v\nwant %+v", r1, want)
	}
	if !strings.Contains(r1.Notes, "منطقه: عظیمیه") || !strings.Contains(r1.Notes, "در خیابان") {
		t.Fatalf("notes %q should keep the description and the unknown column", r1.Notes)
	}
	e1 := got["1"].Events[0]
	if e1.Status != peyvand.StatusKilled || e1.Date != (peyvand.Date{Year: 2026, Month: 1, Day: 8}) {
		t.Fatalf("row 1 event = %+v, want killed on 2026-01-08", e1)
	}
	r2 := got["2"].Records[0]
	if r2.GivenName != "زهره" || r2.FamilyName != "کاظمی" || r2.NationalID != "1234567890" || r2.NationalIDValid || r2.BirthYear != 2001 {
		t.Fatalf("row 2 = %+v (Arabic letters normalised, invalid id kept with a flag, 1380 → 2001)", r2)
	}
	if e := got["3"].Events[0]; e.Status != peyvand.StatusMissing || e.Date != (peyvand.Date{Year: 2026, Month: 1, Day: 10}) {
		t.Fatalf("row 3 event = %+v", e)
	}
	if g := got["3"].Records[0].Gender; g != peyvand.GenderFemale {
		t.Fatalf("خانم read as %q", g)
	}
}

func TestManyLanguages(t *testing.T) {
	s := newStore(t)
	if _, err := ingest.File(ctx, s, "testdata/english.csv", ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	got := records(t, s)
	for id, want := range map[string]struct {
		status peyvand.Status
		date   peyvand.Date
		gender peyvand.Gender
		age    int
		birth  int
	}{
		"A-1": {peyvand.StatusKilled, peyvand.Date{Year: 2026, Month: 1, Day: 8}, peyvand.GenderMale, 0, 1996},
		"A-2": {peyvand.StatusKilled, peyvand.Date{Year: 2026, Month: 1, Day: 8}, peyvand.GenderMale, 30, 0},
		"A-3": {peyvand.StatusMissing, peyvand.Date{Year: 2026, Month: 1, Day: 8}, peyvand.GenderFemale, 24, 0},
		"A-4": {peyvand.StatusMissing, peyvand.Date{}, peyvand.GenderFemale, 0, 0},
		"A-5": {peyvand.StatusDetained, peyvand.Date{Year: 2026, Month: 1, Day: 11}, peyvand.GenderMale, 0, 1996},
	} {
		d := got[id]
		if len(d.Records) != 1 || len(d.Events) != 1 {
			t.Fatalf("%s: %d records %d events", id, len(d.Records), len(d.Events))
		}
		r, e := d.Records[0], d.Events[0]
		if e.Status != want.status || e.Date != want.date || r.Gender != want.gender || r.Age != want.age || r.BirthYear != want.birth {
			t.Errorf("%s: status %s date %v gender %q age %d birth %d; want %+v", id, e.Status, e.Date, r.Gender, r.Age, r.BirthYear, want)
		}
	}
	src, err := s.SourceByName(ctx, "english")
	if err != nil || src.Kind != peyvand.SourceList {
		t.Fatalf("rows without a source go to the file's name: %+v %v", src, err)
	}
}

func TestSemicolonGerman(t *testing.T) {
	s := newStore(t)
	res, err := ingest.File(ctx, s, "testdata/semicolon.csv", ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || len(res.Unknown) != 0 {
		t.Fatalf("result = %+v", res)
	}
	got := records(t, s)
	if e := got["2"].Events[0]; e.Status != peyvand.StatusReleased {
		t.Fatalf("freigelassen read as %s", e.Status)
	}
	if r := got["1"].Records[0]; r.GivenName != "Ali" || r.City != "Teheran" || r.BirthYear != 1990 {
		t.Fatalf("row 1 = %+v", r)
	}
}

func TestBadRowStopsTheImport(t *testing.T) {
	for file, want := range map[string]string{
		"bad-date.csv":   "bad-date.csv line 3, field event_date:",
		"bad-status.csv": `bad-status.csv line 3, field status: "on holiday" is not a status`,
		"too-long.csv":   "too-long.csv line 3, field family_name: 600 bytes, longer than the 500 allowed",
	} {
		s := newStore(t)
		_, err := ingest.File(ctx, s, "testdata/"+file, ingest.Options{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("%s: error %v, want it to contain %q", file, err, want)
		}
		if peyvand.ErrorCode(err) != peyvand.EINVALID {
			t.Fatalf("%s: code %s, want invalid", file, peyvand.ErrorCode(err))
		}
		if st, _ := s.Stats(ctx); st != (peyvand.Stats{}) {
			t.Fatalf("%s: a failed import left %+v", file, st)
		}
	}
}

func TestSkipInvalid(t *testing.T) {
	s := newStore(t)
	var rejects bytes.Buffer
	res, err := ingest.File(ctx, s, "testdata/bad-date.csv", ingest.Options{SkipInvalid: true, Rejects: &rejects})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Rejected != 1 || res.Rows != 3 {
		t.Fatalf("result = %+v", res)
	}
	out := strings.TrimPrefix(rejects.String(), "\ufeff")
	if !strings.HasPrefix(out, "record_id,full_name,event_date,status,error\n") ||
		!strings.Contains(out, "2,Sara Ahmadi,1403/12/31,detained,") || !strings.Contains(out, "line 3, field event_date") {
		t.Fatalf("rejects file:\n%s", out)
	}
}

func TestReimportAndNewVersion(t *testing.T) {
	s := newStore(t)
	opt := ingest.Options{Source: "list"}
	if res, err := ingest.File(ctx, s, "testdata/v1.csv", opt); err != nil || res.Created != 1 {
		t.Fatalf("v1: %+v %v", res, err)
	}
	if res, err := ingest.File(ctx, s, "testdata/v1.csv", opt); err != nil || res.Unchanged != 1 || res.Created != 0 || res.Events != 0 {
		t.Fatalf("v1 again: %+v %v", res, err)
	}
	if res, err := ingest.File(ctx, s, "testdata/v2.csv", opt); err != nil || res.Unchanged != 1 || res.Created != 1 {
		t.Fatalf("v2: %+v %v", res, err)
	}
	if st, _ := s.Stats(ctx); st.Records != 2 || st.Events != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestNoIDColumn(t *testing.T) {
	s := newStore(t)
	path := filepath.Join(t.TempDir(), "noid.csv")
	os.WriteFile(path, []byte("name,city,phone\nAli Rezaei,Tehran,+98 912 000 0000\nSara Ahmadi,Karaj,\n"), 0o600)
	for i := 0; i < 2; i++ {
		res, err := ingest.File(ctx, s, path, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if (i == 0 && res.Created != 2) || (i == 1 && res.Unchanged != 2) {
			t.Fatalf("import %d: %+v", i+1, res)
		}
	}
	for _, d := range records(t, s) {
		if strings.Contains(d.Records[0].ExternalID, "912") {
			t.Fatalf("derived id %q reveals the contact", d.Records[0].ExternalID)
		}
	}
}

func TestColumns(t *testing.T) {
	_, err := ingest.ResolveColumns([]string{"name", "full name"}, nil)
	if err == nil || !strings.Contains(err.Error(), "both read as full_name") {
		t.Fatalf("two name columns: %v", err)
	}
	_, err = ingest.ResolveColumns([]string{"colour", "weight"}, nil)
	if err == nil || !strings.Contains(err.Error(), "--map") {
		t.Fatalf("no name column: %v", err)
	}
	m, err := ingest.ParseMap([]string{"Opfer=full_name, Wohnort = city", "intern=-"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ingest.ResolveColumns([]string{"Opfer", "Wohnort", "intern", "Nachname"}, m)
	if err != nil || len(c.Unknown) != 0 || !c.Has(ingest.FFullName) || !c.Has(ingest.FFamilyName) {
		t.Fatalf("mapped columns: %+v %v", c, err)
	}
	for _, h := range [][]string{{"Nr.", "Name", "Vorname"}, {"Name", "First name"}} {
		c, err := ingest.ResolveColumns(h, nil)
		if err != nil || !c.Has(ingest.FFamilyName) || c.Has(ingest.FFullName) {
			t.Errorf("%q: Name beside a given-name column should be the family name: %+v %v", h, c, err)
		}
	}
	if c, err := ingest.ResolveColumns([]string{"Name", "Vorname", "Nachname"}, nil); err != nil || !c.Has(ingest.FFullName) {
		t.Errorf("Name beside given and family names stays the full name: %+v %v", c, err)
	}
	if _, err := ingest.ParseMap([]string{"x=colour"}); err == nil {
		t.Fatal("ParseMap accepted an unknown field")
	}
	// A column that numbers the rows is the id only when no other is.
	for _, tc := range []struct {
		header  []string
		id      string // the header read as record_id
		unknown string // the header kept in notes
	}{
		{[]string{"ردیف", "شناسه", "نام"}, "شناسه", "ردیف"},
		{[]string{"Ref. No.", "No.", "Name"}, "Ref. No.", "No."},
		{[]string{"Nr.", "Nachname", "Vorname"}, "Nr.", ""},
		{[]string{"N°", "Nom", "Prénom"}, "N°", ""},
		{[]string{"#", "ID", "Full name"}, "ID", "#"},
	} {
		c, err := ingest.ResolveColumns(tc.header, nil)
		if err != nil {
			t.Errorf("%q: %v", tc.header, err)
			continue
		}
		if got := c.Get(tc.header, ingest.FRecordID); got != tc.id {
			t.Errorf("%q: record_id is column %q, want %q", tc.header, got, tc.id)
		}
		if tc.unknown != "" && !slices.Contains(c.Unknown, tc.unknown) {
			t.Errorf("%q: %q should be kept in notes, unknown %q", tc.header, tc.unknown, c.Unknown)
		}
	}
	if c, err := ingest.ResolveColumns([]string{"Place of incident", "Date of incident", "Name"}, nil); err != nil || !c.Has(ingest.FPlace) || !c.Has(ingest.FEventDate) {
		t.Errorf("the UN's column names: %+v %v", c, err)
	}
}

func TestVocabulary(t *testing.T) {
	for in, want := range map[string]peyvand.Status{
		"کشته": peyvand.StatusKilled, "جان‌باخته": peyvand.StatusKilled, "KILLED": peyvand.StatusKilled,
		"tué": peyvand.StatusKilled, "Hingerichtet": peyvand.StatusExecuted, "اعدام شده": peyvand.StatusExecuted,
		"بازداشت": peyvand.StatusDetained, "Festgenommen": peyvand.StatusDetained, "détenu": peyvand.StatusDetained,
		"زخمی": peyvand.StatusInjured, "blessé": peyvand.StatusInjured, "مفقود": peyvand.StatusMissing,
		"believed_missing": peyvand.StatusMissing, "محکوم به اعدام": peyvand.StatusSentenced,
		"آزاد شده": peyvand.StatusReleased, "libéré": peyvand.StatusReleased, "سالم": peyvand.StatusSafe,
		"in Sicherheit": peyvand.StatusSafe, "نامعلوم": peyvand.StatusUnknown,
		"Unlawful killing": peyvand.StatusKilled, "Death in custody": peyvand.StatusKilled,
		"Enforced disappearance": peyvand.StatusMissing, "Arbitrarily detained": peyvand.StatusDetained,
		"disparition forcée": peyvand.StatusMissing, "Extrajudicial execution": peyvand.StatusKilled,
	} {
		if got, ok := ingest.ParseStatus(in); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for in, want := range map[string]peyvand.Gender{
		"M": peyvand.GenderMale, "مرد": peyvand.GenderMale, "männlich": peyvand.GenderMale, "homme": peyvand.GenderMale,
		"F": peyvand.GenderFemale, "زن": peyvand.GenderFemale, "W": peyvand.GenderFemale, "Féminin": peyvand.GenderFemale,
		"": peyvand.GenderUnknown, "divers": peyvand.GenderOther,
	} {
		if got, ok := ingest.ParseGender(in); !ok || got != want {
			t.Errorf("ParseGender(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for in, want := range map[string]int{"30": 30, "۳۰": 30, "about 30": 30, "حدود ۳۰ سال": 30, "35-45": 40, "~25": 25, "24 ans": 24,
		"30s": 35, "in his 30's": 35, "early 20s": 22, "late 40s": 48, "mid-30s": 35, "thirties": 35,
		"30er": 35, "Mitte 30": 35, "Anfang 20": 22, "Ende 40": 48, "la trentaine": 35, "une vingtaine d'années": 25,
		"دهه سی": 35, "سی و چند ساله": 35, "۳۰ و چند": 35, "دهه ۴۰": 45} {
		if got, err := ingest.ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"old", "1375", "200", "30 40"} {
		if _, err := ingest.ParseAge(bad); err == nil {
			t.Errorf("ParseAge(%q) accepted", bad)
		}
	}
}

func TestPersianVerbForms(t *testing.T) {
	for in, want := range map[string]peyvand.Status{
		"کشته شد": peyvand.StatusKilled, "جان باخت": peyvand.StatusKilled, "اعدام شد": peyvand.StatusExecuted,
		"بازداشت شد": peyvand.StatusDetained, "زخمی شد": peyvand.StatusInjured, "ناپدید شد": peyvand.StatusMissing,
		"آزاد شد": peyvand.StatusReleased, "محکوم شد": peyvand.StatusSentenced,
	} {
		if got, ok := ingest.ParseStatus(in); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// An organisation's Excel sheet: Persian headers, a date cell, a national
// ID stored as a number (its leading zeros lost), a Jalali date as text.
func TestExcel(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"ردیف", "نام و نام خانوادگی", "نام پدر", "سن", "شهر", "تاریخ", "وضعیت", "کد ملی"},
		{1, "علی رضایی", "حسن", 23, "زاهدان", "۱۴۰۴/۱۰/۱۹", "کشته", 12345679},
		{2, "سارا احمدی", "", "حدود ۳۰", "تهران", nil, "بازداشت", "0012345679"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellValue(sheet, "F3", time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC))
	f.SetCellStyle(sheet, "F3", "F3", style)
	path := filepath.Join(t.TempDir(), "list.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	s := newStore(t)
	res, err := ingest.File(ctx, s, path, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || !strings.HasPrefix(res.Format, "xlsx") {
		t.Fatalf("result = %+v", res)
	}
	got := records(t, s)
	r1, e1 := got["1"].Records[0], got["1"].Events[0]
	if r1.FullName != "علی رضایی" || r1.Age != 23 || r1.NationalID != "0012345679" || !r1.NationalIDValid ||
		e1.Status != peyvand.StatusKilled || e1.Date != (peyvand.Date{Year: 2026, Month: 1, Day: 9}) {
		t.Fatalf("row 1: %+v %+v", r1, e1)
	}
	if e2 := got["2"].Events[0]; e2.Date != (peyvand.Date{Year: 2026, Month: 1, Day: 9}) || e2.Status != peyvand.StatusDetained {
		t.Fatalf("row 2 event (Excel date cell): %+v", e2)
	}
}

// A list saved by Excel in Iran: Windows-1256, Arabic yeh and kaf.
func TestWindows1256(t *testing.T) {
	text := "شناسه,نام,نام خانوادگي,وضعيت\r\n1,علي,كاظمي,بازداشت\r\n"
	b, err := charmap.Windows1256.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "list.csv")
	os.WriteFile(path, []byte(b), 0o600)
	s := newStore(t)
	res, err := ingest.File(ctx, s, path, ingest.Options{})
	if err != nil || !strings.Contains(res.Format, "1256") {
		t.Fatalf("%+v %v", res, err)
	}
	r := records(t, s)["1"].Records[0]
	if r.GivenName != "علی" || r.FamilyName != "کاظمی" {
		t.Fatalf("names %q %q: want Persian letter forms", r.GivenName, r.FamilyName)
	}
}

// Person Finder's own CSV template: PFIF field names as columns, two
// columns for the author's contact, one note per row. (The template's own
// sample row has one cell too many, which shifts every value after
// profile_urls; the import refuses it, naming the line.)
func TestPersonFinderCSV(t *testing.T) {
	s := newStore(t)
	path := filepath.Join(t.TempDir(), "sample-import.csv")
	os.WriteFile(path, []byte("person_record_id,author_name,author_email,author_phone,source_name,source_date,source_url,full_name,given_name,family_name,alternate_names,description,sex,date_of_birth,age,home_neighborhood,home_city,home_state,home_postal_code,home_country,photo_url,profile_urls,note_record_id,author_made_contact,status,email_of_found_person,phone_of_found_person,last_known_location,text\n"+
		"1,Test Author,author@example.org,+1 555 0100,Test source,2013-02-14T00:00:00Z,,Test Person,,,,This is a test entry,male,,,,,,,,,,1,FALSE,believed_missing,,,,He is missing\n"), 0o600)
	res, err := ingest.File(ctx, s, path, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := records(t, s)["1"]
	r := d.Records[0]
	if res.Created != 1 || r.FullName != "Test Person" || r.Contact != "author@example.org\n+1 555 0100" ||
		!strings.Contains(r.Notes, "This is a test entry") || !strings.Contains(r.Notes, "He is missing") ||
		d.Events[0].Status != peyvand.StatusMissing {
		t.Fatalf("result %+v, record %+v, events %+v", res, r, d.Events)
	}
}

func TestStatusWithWordsAround(t *testing.T) {
	for in, want := range map[string]peyvand.Status{
		"Killed (shot)": peyvand.StatusKilled, "detained in Evin": peyvand.StatusDetained,
		"executed by hanging": peyvand.StatusExecuted, "بازداشت در اوین": peyvand.StatusDetained,
		"زخمی شد در خیابان انقلاب": peyvand.StatusInjured,
	} {
		if got, ok := ingest.ParseStatus(in); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	// Azadi (freedom, release) is also a square: two statuses, so none.
	for _, in := range []string{"not killed", "مفقود (احتمالا بازداشت)", "kein Status", "holiday", "nicht verhaftet", "زخمی شد در میدان آزادی"} {
		if got, ok := ingest.ParseStatus(in); ok {
			t.Errorf("ParseStatus(%q) = %q, want no status", in, got)
		}
	}
}
