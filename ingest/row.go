package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"peyvand"
	"peyvand/persian"
)

// FieldError is a value that cannot be read: it names the field and says
// what was expected. The caller adds the file and line.
type FieldError struct {
	Field  Field
	Reason string
}

func (e *FieldError) Error() string { return fmt.Sprintf("field %s: %s", e.Field, e.Reason) }

// ParseOptions are the choices that change how values are read.
type ParseOptions struct {
	// MonthFirst reads ambiguous dates like 01/02/2026 as month first
	// (American); the default is day first, as in Iran and Europe.
	MonthFirst bool
	// Lenient leaves a value that cannot be read empty and notes a
	// warning, instead of failing the row: for analysts' tools (link,
	// estimate), where one odd value must not end the run. The registry's
	// import is never lenient.
	Lenient bool
}

// Row is one row read from a file, before it is stored.
type Row struct {
	Source string // the row's source name, "" when the file has no source column
	peyvand.ImportRow
	Warnings []string // values left out in lenient mode, and why
}

// Convert reads one row of cells into a record and its status events.
func (c *Columns) Convert(cells []string, opt ParseOptions) (Row, error) {
	var out Row
	// Bytes that are not UTF-8 mean the file is in another encoding (an
	// old Excel export in Windows-1256): say so, naming the column,
	// rather than store names no one can read or match.
	copied := false
	for i, cell := range cells {
		if utf8.ValidString(cell) {
			continue
		}
		col := c.Field(i)
		if col == "" {
			col = FNotes
		}
		if !opt.Lenient {
			return out, &FieldError{Field: col, Reason: "not valid UTF-8: save the file as UTF-8 (CSV UTF-8 in Excel)"}
		}
		if !copied { // the caller's slice stays as it was
			cells, copied = append([]string(nil), cells...), true
		}
		cells[i] = strings.ToValidUTF8(cell, "\uFFFD")
		out.Warnings = append(out.Warnings, fmt.Sprintf("field %s: bytes that are not UTF-8 replaced", col))
	}
	r := &out.Record
	get := func(f Field) string { return strings.TrimSpace(c.Get(cells, f)) }
	name := func(f Field) string { return persian.Normalize(get(f)) }

	out.Source = name(FSource)
	r.ExternalID = strings.TrimSpace(persian.Digits(get(FRecordID)))
	r.FullName, r.GivenName, r.FamilyName, r.FatherName = name(FFullName), name(FGivenName), name(FFamilyName), name(FFatherName)
	r.OtherNames = persian.Normalize(strings.ReplaceAll(get(FOtherNames), ";", "\n"))
	r.City, r.Province = name(FCity), name(FProvince)
	r.Contact, r.Reporter, r.Notes = get(FContact), get(FReporter), get(FNotes)

	// bad fails the row, or in lenient mode leaves the field empty and
	// notes why.
	bad := func(f Field, reason string) error {
		if opt.Lenient {
			out.Warnings = append(out.Warnings, fmt.Sprintf("field %s: %s", f, reason))
			return nil
		}
		return &FieldError{f, reason}
	}
	var ok bool
	if r.Gender, ok = ParseGender(get(FGender)); !ok {
		if err := bad(FGender, fmt.Sprintf("%q is not a gender (expected e.g. male/female, m/f, مرد/زن, männlich/weiblich, homme/femme)", get(FGender))); err != nil {
			return out, err
		}
	}
	if v := get(FBirthYear); v != "" {
		if y, err := ParseBirthYear(v); err != nil {
			if err := bad(FBirthYear, err.Error()); err != nil {
				return out, err
			}
		} else {
			r.BirthYear = y
		}
	}
	if v := get(FAge); v != "" {
		if a, err := ParseAge(v); err != nil {
			if err := bad(FAge, err.Error()); err != nil {
				return out, err
			}
		} else {
			r.Age = a
		}
	}
	if v := get(FNationalID); v != "" {
		r.NationalID, r.NationalIDValid = persian.NormalizeNationalID(v)
	}

	e := peyvand.StatusEvent{ExternalID: strings.TrimSpace(persian.Digits(get(FEventID))),
		Place: name(FPlace), Evidence: get(FEvidence), Status: peyvand.StatusUnknown, Verification: peyvand.Reported}
	if v := get(FEventDate); v != "" {
		if d, err := persian.ParseDateWith(v, persian.DateOptions{MonthFirst: opt.MonthFirst}); err != nil {
			if err := bad(FEventDate, err.Error()); err != nil {
				return out, err
			}
		} else {
			e.Date = peyvand.Date{Year: d.Year, Month: d.Month, Day: d.Day}
		}
	}
	if v := get(FStatus); v != "" {
		if s, ok := ParseStatus(v); !ok {
			if err := bad(FStatus, fmt.Sprintf("%q is not a status (expected one of killed, executed, injured, detained, sentenced, missing, released, safe, unknown — or the same in Persian, German or French, e.g. کشته, بازداشت, مفقود)", v)); err != nil {
				return out, err
			}
		} else {
			e.Status = s
		}
	}
	if v := get(FVerification); v != "" {
		if lv, ok := ParseVerification(v); !ok {
			if err := bad(FVerification, fmt.Sprintf("%q is not a verification level (expected reported, corroborated or verified)", v)); err != nil {
				return out, err
			}
		} else {
			e.Verification = lv
		}
	}
	if r.Age > 0 {
		r.AgeDate = e.Date
	}
	if get(FStatus) != "" || get(FEventDate) != "" || e.Place != "" || e.Evidence != "" || e.ExternalID != "" {
		out.Events = []peyvand.StatusEvent{e}
	}
	c.keepUnknown(cells, r)
	if err := checkLengths(r, out.Events, bad); err != nil {
		return out, err
	}
	if !r.HasName() && r.NationalID == "" && r.ExternalID == "" {
		return out, &FieldError{FFullName, "the row names no one: no name, national id or record id"}
	}
	return out, nil
}

// checkLengths applies the registry's limits on a value's length (see
// peyvand.MaxNameBytes) field by field, so that an over-long cell is a
// row error naming its column, not a failure when the record is stored;
// in lenient mode the value is left out with a warning.
func checkLengths(r *peyvand.Record, events []peyvand.StatusEvent, bad func(Field, string) error) error {
	type limited struct {
		f   Field
		v   *string
		max int
	}
	vs := []limited{
		{FRecordID, &r.ExternalID, peyvand.MaxNameBytes}, {FFullName, &r.FullName, peyvand.MaxNameBytes},
		{FGivenName, &r.GivenName, peyvand.MaxNameBytes}, {FFamilyName, &r.FamilyName, peyvand.MaxNameBytes},
		{FFatherName, &r.FatherName, peyvand.MaxNameBytes}, {FCity, &r.City, peyvand.MaxNameBytes},
		{FProvince, &r.Province, peyvand.MaxNameBytes}, {FNationalID, &r.NationalID, peyvand.MaxNameBytes},
		{FOtherNames, &r.OtherNames, peyvand.MaxTextBytes}, {FContact, &r.Contact, peyvand.MaxTextBytes},
		{FReporter, &r.Reporter, peyvand.MaxTextBytes}, {FNotes, &r.Notes, peyvand.MaxTextBytes},
	}
	if len(events) > 0 {
		e := &events[0]
		vs = append(vs, limited{FPlace, &e.Place, peyvand.MaxNameBytes}, limited{FEventID, &e.ExternalID, peyvand.MaxNameBytes},
			limited{FEvidence, &e.Evidence, peyvand.MaxTextBytes})
	}
	for _, l := range vs {
		if len(*l.v) <= l.max {
			continue
		}
		if err := bad(l.f, fmt.Sprintf("%d bytes, longer than the %d allowed", len(*l.v), l.max)); err != nil {
			return err
		}
		*l.v = ""
	}
	return nil
}

// keepUnknown appends the cells of unrecognised columns to the notes, as
// "header: value" lines, so a list's extra columns are kept (sealed).
func (c *Columns) keepUnknown(cells []string, r *peyvand.Record) {
	for i, cell := range cells {
		cell = strings.TrimSpace(cell)
		if cell == "" || c.Field(i) != "" {
			continue
		}
		h := fmt.Sprintf("column %d", i+1)
		if i < len(c.Header) && strings.TrimSpace(c.Header[i]) != "" {
			h = strings.TrimSpace(c.Header[i])
		}
		if r.Notes != "" {
			r.Notes += "\n"
		}
		r.Notes += h + ": " + cell
	}
}

var verificationWords = map[peyvand.Verification][]string{
	peyvand.Reported:     {"reported", "unverified", "claimed", "گزارش شده", "گزارش‌شده", "تایید نشده", "تأیید نشده", "gemeldet", "unbestätigt", "signalé", "non vérifié"},
	peyvand.Corroborated: {"corroborated", "confirmed by several", "partly verified", "تایید نسبی", "تأیید نسبی", "بررسی شده", "untermauert", "corroboré"},
	peyvand.Verified:     {"verified", "confirmed", "تایید شده", "تأیید شده", "تاییدشده", "تأییدشده", "مستند", "verifiziert", "bestätigt", "vérifié", "confirmé"},
}

var verificationByWord = index(verificationWords)

// ParseVerification reads a verification level.
func ParseVerification(s string) (peyvand.Verification, bool) {
	v, ok := verificationByWord[wordKey(s)]
	return v, ok
}

// ParseBirthYear reads a birth year in either calendar ("1375", "۱۳۷۵",
// "1996"), or a date of birth of which it keeps the year.
func ParseBirthYear(s string) (int, error) {
	y, _, err := persian.ParseYear(s)
	if err == nil {
		return y, nil
	}
	if d, derr := persian.ParseDate(s); derr == nil && d.Year != 0 {
		return d.Year, nil
	}
	return 0, fmt.Errorf("%q is not a birth year (expected a year such as 1375 or 1996, or a date of birth)", s)
}

var numberRE = regexp.MustCompile(`[0-9]+`)

// ParseAge reads an age as people write it: "30", "۳۰", "about 30",
// "حدود ۳۰ سال", "30 ans", "~30", "35-45" (the middle of a range), and a
// decade (decadeAge).
func ParseAge(s string) (int, error) {
	if n, ok := decadeAge(s); ok {
		return n, nil
	}
	d := persian.Digits(s)
	nums := numberRE.FindAllString(d, -1)
	bad := fmt.Errorf("%q is not an age in years (expected e.g. 30, ۳۰, about 30, 35-45)", s)
	var n int
	switch len(nums) {
	case 1:
		n, _ = strconv.Atoi(nums[0])
	case 2:
		lo, _ := strconv.Atoi(nums[0])
		hi, _ := strconv.Atoi(nums[1])
		if !strings.ContainsAny(d, "-–—/") && !strings.Contains(d, "تا") && !strings.Contains(strings.ToLower(d), "to") {
			return 0, bad
		}
		if hi < lo {
			return 0, bad
		}
		n = (lo + hi) / 2
	default:
		return 0, bad
	}
	if n > 130 {
		if n >= 1200 && n <= 2200 {
			return 0, fmt.Errorf("%q is not an age: it looks like a year; map the column to birth_year", s)
		}
		return 0, bad
	}
	return n, nil
}

// decadeAge reads an age given as a decade, as witnesses and lists write
// one they do not know: "30s", "in his 30s", "early 20s", "mid-40s", "30er",
// "Mitte 30", "Ende 20", "la trentaine", "دهه سی", "سی و چند ساله", "۳۰ و
// چند". It is the decade's middle (35 for the thirties) or the part of it
// named (early 32, late 38): a decade read as its first year would be five
// years too young, and linkage would count it against the person.
func decadeAge(s string) (int, bool) {
	f := strings.ToLower(persian.Digits(persian.Normalize(s)))
	tens := 0
	if m := decadeDigitsRE.FindStringSubmatch(f); m != nil {
		tens, _ = strconv.Atoi(m[1] + m[2])
	} else if m := decadeGermanRE.FindStringSubmatch(f); m != nil {
		tens, _ = strconv.Atoi(m[2])
		if tens%10 != 0 {
			return 0, false
		}
		return tens + map[string]int{"anfang": 2, "mitte": 5, "ende": 8}[m[1]], true
	} else {
		for word, n := range decadeWords {
			if strings.Contains(f, word) {
				tens = n
				break
			}
		}
	}
	if tens < 10 || tens > 90 || tens%10 != 0 {
		return 0, false
	}
	switch {
	case strings.Contains(f, "early"):
		return tens + 2, true
	case strings.Contains(f, "late"):
		return tens + 8, true
	}
	return tens + 5, true
}

var (
	// 30s, 30's, 30ies, 30er, ۳۰ و چند, دهه ۳۰
	decadeDigitsRE = regexp.MustCompile(`(?:^|[^0-9])([1-9]0)\s*(?:'?s\b|ies\b|er\b|\s*و\s*چند)|دهه\s*([1-9]0)`)
	// Anfang 30, Mitte 40, Ende 20 (German: early, mid, late in the decade)
	decadeGermanRE = regexp.MustCompile(`(anfang|mitte|ende)\s*(?:der\s*)?([1-9]0)`)
	// Persian tens with "and some", the decade named, and French -aines.
	decadeWords = map[string]int{
		"بیست و چند": 20, "سی و چند": 30, "چهل و چند": 40, "پنجاه و چند": 50, "شصت و چند": 60, "هفتاد و چند": 70,
		"دهه بیست": 20, "دهه سی": 30, "دهه چهل": 40, "دهه پنجاه": 50, "دهه شصت": 60, "دهه هفتاد": 70,
		"vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "septantaine": 70,
		"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
		"zwanzigern": 20, "dreißigern": 30, "vierzigern": 40, "fünfzigern": 50, "sechzigern": 60,
	}
)
