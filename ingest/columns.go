package ingest

import (
	"fmt"
	"sort"
	"strings"
)

// Field is a column of Peyvand's import format.
type Field string

// The fields an import understands. The first fourteen are the default
// column set; the rest are optional.
const (
	FRecordID     Field = "record_id"
	FSource       Field = "source"
	FFullName     Field = "full_name"
	FGivenName    Field = "given_name"
	FFamilyName   Field = "family_name"
	FFatherName   Field = "father_name"
	FBirthYear    Field = "birth_year"
	FAge          Field = "age"
	FGender       Field = "gender"
	FCity         Field = "city"
	FProvince     Field = "province"
	FEventDate    Field = "event_date"
	FStatus       Field = "status"
	FNationalID   Field = "national_id"
	FOtherNames   Field = "other_names"
	FPlace        Field = "place"
	FVerification Field = "verification"
	FEvidence     Field = "evidence"
	FEventID      Field = "event_id"
	FContact      Field = "contact"
	FReporter     Field = "reporter"
	FNotes        Field = "notes"
	// FIgnore marks a column to leave out on purpose (--map 'col=-'):
	// columns Peyvand itself derives, such as person_id.
	FIgnore Field = "-"
)

// DefaultColumns is the default English column set, in order.
var DefaultColumns = []Field{FRecordID, FSource, FFullName, FGivenName, FFamilyName, FFatherName,
	FBirthYear, FAge, FGender, FCity, FProvince, FEventDate, FStatus, FNationalID}

// AllFields lists every field, the default set first.
var AllFields = append(append([]Field{}, DefaultColumns...),
	FOtherNames, FPlace, FVerification, FEvidence, FEventID, FContact, FReporter, FNotes)

// headerNames are the names lists give their columns, per field, in
// English, Persian, German and French, and PFIF's own names. They are
// compared folded and without spaces, underscores or hyphens.
var headerNames = map[Field][]string{
	FRecordID: {"record_id", "id", "record", "person_record_id", "case_id", "case", "ref", "reference", "ref no", "reference number", "case number", "case no", "file number",
		"شناسه", "کد", "کد پرونده", "شماره پرونده", "شماره",
		"kennung", "aktenzeichen", "identifiant", "référence", "numéro de dossier"},
	FSource: {"source", "list", "source_name", "منبع", "فهرست", "لیست", "quelle", "liste"},
	FFullName: {"full_name", "name", "full name", "person", "victim", "name of victim",
		"نام و نام خانوادگی", "نام کامل", "اسم", "نام و نام‌خانوادگی", "نام قربانی",
		"vollständiger name", "nom complet", "nom et prénom", "prénom et nom"},
	FGivenName: {"given_name", "first_name", "first name", "forename", "given name",
		"نام", "اسم کوچک", "vorname", "prénom", "prenom"},
	FFamilyName: {"family_name", "last_name", "surname", "last name", "family name",
		"نام خانوادگی", "نام‌خانوادگی", "فامیلی", "نام فامیل", "شهرت",
		"nachname", "familienname", "nom de famille", "nom"},
	FFatherName: {"father_name", "father", "father's name", "fathers name", "نام پدر", "پدر", "اسم پدر",
		"vater", "name des vaters", "vatername", "père", "pere", "nom du père", "nom du pere"},
	FBirthYear: {"birth_year", "year of birth", "born", "date_of_birth", "dob", "birth date", "birthdate", "date of birth",
		"سال تولد", "تاریخ تولد", "متولد", "تولد", "geburtsjahr", "geburtsdatum", "geboren",
		"année de naissance", "date de naissance", "né en", "naissance"},
	FAge:      {"age", "سن", "alter", "âge", "age at death", "سن هنگام فوت"},
	FGender:   {"gender", "sex", "جنسیت", "جنس", "geschlecht", "sexe", "genre"},
	FCity:     {"city", "town", "home_city", "شهر", "شهرستان", "محل سکونت", "stadt", "ort", "wohnort", "ville", "localité"},
	FProvince: {"province", "state", "home_state", "region", "استان", "provinz", "bundesland", "région"},
	FEventDate: {"event_date", "date", "incident date", "date of incident", "date of death", "date of arrest", "date of event",
		"تاریخ", "تاریخ واقعه", "تاریخ حادثه", "تاریخ فوت", "تاریخ بازداشت", "تاریخ جانباختن", "تاریخ کشته شدن", "تاریخ رویداد", "تاریخ دستگیری",
		"datum", "ereignisdatum", "todesdatum", "festnahmedatum", "date de l'événement", "date du décès", "date d'arrestation", "date de l evenement"},
	FStatus:     {"status", "state of person", "وضعیت", "وضعیت فعلی", "zustand", "statut", "situation", "état"},
	FNationalID: {"national_id", "national id", "national code", "kod melli", "code melli", "کد ملی", "شماره ملی", "کدملی", "nationale id", "nationalnummer", "numéro national", "identifiant national"},
	FOtherNames: {"other_names", "alternate_names", "alias", "aliases", "also known as", "نام دیگر", "نام مستعار", "نام‌های دیگر", "andere namen", "autres noms"},
	FPlace: {"place", "location", "event_place", "last_known_location", "place of incident", "place of death", "place of arrest", "place of detention", "location of incident", "incident location",
		"محل", "مکان", "محل واقعه", "محل حادثه", "محل فوت", "محل بازداشت", "محل جانباختن", "محل نگهداری",
		"ort des ereignisses", "tatort", "sterbeort", "haftort", "lieu", "lieu de l'incident", "lieu du décès", "lieu de détention"},
	FVerification: {"verification", "verified", "verification level", "تأیید", "تایید", "وضعیت تایید", "verifizierung", "vérification"},
	FEvidence:     {"evidence", "sources", "documents", "reference documents", "مدرک", "مدارک", "سند", "منابع", "beweis", "belege", "preuve", "preuves"},
	FEventID:      {"event_id", "note_record_id", "report_id", "شناسه گزارش"},
	FContact: {"contact", "phone", "email", "telephone", "author_email", "author_phone", "contact details",
		"email_of_found_person", "phone_of_found_person", "تماس", "شماره تماس", "تلفن", "ایمیل", "موبایل", "kontakt", "telefon", "téléphone", "courriel"},
	FReporter: {"reporter", "author_name", "witness", "reported by", "informant", "گزارشگر", "گزارش دهنده", "شاهد", "منبع خبر", "zeuge", "melder", "témoin", "temoin"},
	FNotes:    {"notes", "note", "description", "text", "details", "comment", "comments", "remarks", "توضیحات", "شرح", "یادداشت", "ملاحظات", "bemerkungen", "beschreibung", "anmerkung", "remarques", "commentaire"},
	FIgnore:   {"person_id", "cluster_id", "revision", "recorded_at", "شناسه فرد"},
}

// rowNumberNames head a column that numbers a list's rows (ردیف, Nr., N°).
// Such a column is the record_id when the list has no other, and is kept in
// notes when it has one: a Persian list's ردیف beside its شناسه is the
// usual layout, not two ids.
var rowNumberNames = []string{"no", "number", "nr", "lfd nr", "n°", "nº", "no.", "#", "row", "row number", "s/n", "sn", "sl no", "sr no",
	"ردیف", "شماره ردیف", "رديف", "nummer", "laufende nummer", "zeile", "numero", "numéro", "ligne"}

var fieldByHeader = func() map[string]Field {
	m := map[string]Field{}
	for f, names := range headerNames {
		for _, n := range names {
			m[headerKey(n)] = f
		}
	}
	for _, f := range AllFields {
		m[headerKey(string(f))] = f
	}
	for _, n := range rowNumberNames {
		m[headerKey(n)] = FRecordID
	}
	return m
}()

var isRowNumber = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range rowNumberNames {
		m[headerKey(n)] = true
	}
	return m
}()

// headerKey folds a column header for lookup like wordKey, and also drops
// the dots and colons of abbreviations and labels ("Nr.", "Ref. No.",
// "Name:"); a header of nothing but them keeps them ("#").
func headerKey(s string) string {
	k := wordKey(s)
	if stripped := headerPunct.Replace(k); stripped != "" {
		return stripped
	}
	return k
}

var headerPunct = strings.NewReplacer(".", "", ":", "", "#", "")

// ParseField reads a field name as --map gives it.
func ParseField(s string) (Field, error) {
	if s == "-" {
		return FIgnore, nil
	}
	for _, f := range AllFields {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(AllFields))
	for i, f := range AllFields {
		names[i] = string(f)
	}
	return "", fmt.Errorf("%q is not a field; fields are %s, or - to leave a column out", s, strings.Join(names, ", "))
}

// ParseMap reads --map values, each "header=field" (several may be joined
// by commas). The header is compared as written in the file.
func ParseMap(specs []string) (map[string]Field, error) {
	m := map[string]Field{}
	for _, spec := range specs {
		for _, part := range strings.Split(spec, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			i := strings.LastIndex(part, "=")
			if i <= 0 {
				return nil, fmt.Errorf("--map %q: want header=field", part)
			}
			f, err := ParseField(strings.TrimSpace(part[i+1:]))
			if err != nil {
				return nil, fmt.Errorf("--map %q: %w", part, err)
			}
			m[headerKey(part[:i])] = f
		}
	}
	return m, nil
}

// accumulating fields may come from several columns, whose values are
// joined one per line: a list with both "phone" and "email", PFIF's
// author_email and author_phone, or "description" and "text".
var accumulating = map[Field]bool{FContact: true, FNotes: true, FReporter: true, FOtherNames: true, FEvidence: true}

// Columns is a file's header resolved to fields.
type Columns struct {
	Header  []string
	fields  []Field // per column; "" for a column kept in notes
	index   map[Field]int
	more    map[Field][]int // further columns of an accumulating field
	Unknown []string        // headers not recognised: their values are kept in notes
	// Warnings say which columns a lenient reading set aside: a second
	// column read as a field that the first already holds.
	Warnings []string
}

// ResolveColumns maps a header to fields: --map first, then the names
// lists use. Two columns for one field is an error; an unknown column is
// not: its values are kept in the record's (sealed) notes, so nothing a
// list says is lost, and the summary names it.
func ResolveColumns(header []string, overrides map[string]Field) (*Columns, error) {
	return resolveColumns(header, overrides, false)
}

// resolveColumns is ResolveColumns; lenient (the analysts' tools) keeps
// the first of two columns read as one field and notes a warning, where
// the registry's import asks for --map.
func resolveColumns(header []string, overrides map[string]Field, lenient bool) (*Columns, error) {
	c := &Columns{Header: header, fields: make([]Field, len(header)), index: map[Field]int{}, more: map[Field][]int{}}
	unknown := func(i int) {
		c.fields[i] = ""
		if strings.TrimSpace(header[i]) != "" {
			c.Unknown = append(c.Unknown, header[i])
		} else {
			c.Unknown = append(c.Unknown, fmt.Sprintf("column %d", i+1))
		}
	}
	rowNumber := -1 // a row-number column read as record_id, until a real id comes
	for i, h := range header {
		key := headerKey(h)
		f, ok := overrides[key]
		mapped := ok
		if !ok {
			f, ok = fieldByHeader[key]
		}
		if !ok {
			unknown(i)
			continue
		}
		c.fields[i] = f
		if f == FIgnore {
			continue
		}
		j, dup := c.index[f]
		switch {
		case dup && accumulating[f]:
			c.more[f] = append(c.more[f], i)
			continue
		case dup && f == FRecordID && j == rowNumber && !isRowNumber[key]:
			// ردیف then شناسه: the row number goes to notes.
			unknown(j)
			rowNumber = -1
		case dup && f == FRecordID && isRowNumber[key] && !mapped:
			unknown(i)
			continue
		case dup && lenient:
			c.Warnings = append(c.Warnings, fmt.Sprintf("columns %d (%q) and %d (%q) both read as %s: the first is used, the second left out (--map '%s=field' says what it is)", j+1, header[j], i+1, h, f, h))
			c.fields[i] = FIgnore
			continue
		case dup:
			return nil, fmt.Errorf("columns %d (%q) and %d (%q) both read as %s: map one of them elsewhere with --map", j+1, header[j], i+1, h, f)
		}
		if f == FRecordID && isRowNumber[key] && !mapped {
			rowNumber = i
		}
		c.index[f] = i
	}
	// "Name" beside "Vorname" or "First name", with no family-name
	// column, is the family name: German lists write Name and Vorname.
	if i, ok := c.index[FFullName]; ok && c.Has(FGivenName) && !c.Has(FFamilyName) && headerKey(header[i]) == headerKey("name") {
		if _, mapped := overrides[headerKey(header[i])]; !mapped {
			c.fields[i] = FFamilyName
			delete(c.index, FFullName)
			c.index[FFamilyName] = i
		}
	}
	if !c.Has(FFullName) && !c.Has(FGivenName) && !c.Has(FFamilyName) && !c.Has(FNationalID) && !c.Has(FRecordID) {
		known := make([]string, 0, len(c.index))
		for f := range c.index {
			known = append(known, string(f))
		}
		sort.Strings(known)
		return nil, fmt.Errorf("no column names the person (full_name, given_name, family_name, national_id or record_id); recognised: %v; header: %q — use --map 'header=field'", known, header)
	}
	return c, nil
}

// Has reports whether a column holds f.
func (c *Columns) Has(f Field) bool { _, ok := c.index[f]; return ok }

// Get returns f's cell of a row, "" when there is no such column; the
// non-empty cells of an accumulating field's columns, one per line.
func (c *Columns) Get(cells []string, f Field) string {
	i, ok := c.index[f]
	if !ok || i >= len(cells) {
		return ""
	}
	v := cells[i]
	for _, j := range c.more[f] {
		if j < len(cells) && strings.TrimSpace(cells[j]) != "" {
			if strings.TrimSpace(v) != "" {
				v += "\n"
			}
			v += cells[j]
		}
	}
	return v
}

// Field returns the field of column i, "" when it is kept in notes.
func (c *Columns) Field(i int) Field {
	if i < len(c.fields) {
		return c.fields[i]
	}
	return ""
}
