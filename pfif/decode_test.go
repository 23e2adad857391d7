package pfif

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// decodeAll reads every item, returning those read before any error.
func decodeAll(t testing.TB, r io.Reader) (persons []Person, notes []Note, version string, err error) {
	t.Helper()
	d := NewDecoder(r)
	for {
		p, n, err := d.Next()
		switch {
		case err == io.EOF:
			return persons, notes, d.Version(), nil
		case err != nil:
			return persons, notes, d.Version(), err
		case p != nil && n == nil:
			persons = append(persons, *p)
		case n != nil && p == nil:
			notes = append(notes, *n)
		default:
			t.Fatalf("Next returned person %v and note %v", p, n)
		}
	}
}

func decodeFile(t *testing.T, name string) ([]Person, []Note, string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	persons, notes, version, err := decodeAll(t, f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return persons, notes, version
}

// samplePerson is the person of test.pfif-1.4.xml, as the Decoder must give it.
var samplePerson = Person{
	PersonRecordID: "test.google.com/person.21009", EntryDate: "2000-01-16T02:07:57Z",
	AuthorName: "_test_author_name", AuthorEmail: "_test_author_email", AuthorPhone: "_test_author_phone",
	SourceName: "_test_source_name", SourceDate: "2000-01-01T00:00:00Z", SourceURL: "_test_source_url",
	FullName: "_test_full_name1\n_test_full_name2", GivenName: "_test_given_name", FamilyName: "_test_family_name",
	AlternateNames: "_test_alternate_name1\n_test_alternate_name2",
	Description:    "_test_description", Sex: "female", DateOfBirth: "1970-01", Age: "35-45",
	HomeStreet: "_test_home_street", HomeNeighborhood: "_test_home_neighborhood",
	HomeCity: "_test_home_city", HomeState: "_test_home_state",
	HomePostalCode: "_test_home_postal_code", HomeCountry: "US",
	PhotoURL: "_test_photo_url", ProfileURLs: "_test_profile_url1\n_test_profile_url2",
	Line: 3,
	Notes: []Note{{
		NoteRecordID: "test.google.com/note.27009", PersonRecordID: "test.google.com/person.21009",
		LinkedPersonRecordID: "test.google.com/person.999", EntryDate: "2000-01-16T17:32:05Z",
		AuthorName: "_test_author_name", AuthorEmail: "_test_author_email", AuthorPhone: "_test_author_phone",
		SourceDate: "2000-01-16T04:05:06Z", AuthorMadeContact: "false", Status: BelievedMissing,
		EmailOfFoundPerson: "_test_email_of_found_person", PhoneOfFoundPerson: "_test_phone_of_found_person",
		LastKnownLocation: "_test_last_known_location", Text: "_test_text", PhotoURL: "_test_note_photo_url",
		Line: 35,
	}, {
		// No person_record_id in the file: it is implied by nesting.
		NoteRecordID: "test.google.com/note.31095", PersonRecordID: "test.google.com/person.21009",
		EntryDate: "2000-01-17T20:13:17Z", AuthorName: "inna-testing", AuthorEmail: "inna-testing@gmail.com",
		AuthorPhone: "inna-testing-number", SourceDate: "2000-01-17T14:15:16Z", AuthorMadeContact: "true",
		LastKnownLocation: "19.16592425362802 -71.9384765625", Text: "new comment - testing",
		Line: 52,
	}, {
		NoteRecordID: "test.google.com/note.40121", PersonRecordID: "test.google.com/person.21009",
		EntryDate: "2000-01-18T23:13:17Z", AuthorEmail: "test@example.com", SourceDate: "2000-01-18T20:21:22Z",
		Status: IsNoteAuthor, Text: "change only the status",
		Line: 65,
	}, {
		NoteRecordID: "test.google.com/note.50121", PersonRecordID: "test.google.com/person.21009",
		EntryDate: "2000-01-18T23:13:20Z", AuthorEmail: "test@example.com", SourceDate: "2000-01-18T20:00:00Z",
		AuthorMadeContact: "false", Status: BelievedMissing, Text: "backdated change",
		Line: 73,
	}},
}

func TestDecode14(t *testing.T) {
	persons, notes, version := decodeFile(t, "test.pfif-1.4.xml")
	if version != "1.4" || len(persons) != 1 || len(notes) != 0 {
		t.Fatalf("version %q, %d persons, %d notes; want 1.4, 1, 0", version, len(persons), len(notes))
	}
	if !reflect.DeepEqual(persons[0], samplePerson) {
		t.Errorf("got\n%#v\nwant\n%#v", persons[0], samplePerson)
	}
}

// The older samples hold the same person under older names.
func TestDecodeOlderVersions(t *testing.T) {
	type want struct {
		version, given, family, postal, description string
		contact, status                             []string
	}
	tests := map[string]want{
		"test.pfif-1.1.xml": {"1.1", "_test_first_name", "_test_last_name", "_test_home_zip", "_test_description",
			[]string{"true", ""}, []string{"", ""}},
		"test.pfif-1.2.xml": {"1.2", "_test_first_name", "_test_last_name", "_test_home_postal_code", "_test_description",
			[]string{"false", "true", "", "false"}, []string{BelievedMissing, "", IsNoteAuthor, BelievedMissing}},
	}
	for file, w := range tests {
		persons, _, version := decodeFile(t, file)
		p := persons[0]
		got := want{version, p.GivenName, p.FamilyName, p.HomePostalCode, p.Description, nil, nil}
		for _, n := range p.Notes {
			got.contact = append(got.contact, n.AuthorMadeContact)
			got.status = append(got.status, n.Status)
			if n.PersonRecordID != "test.google.com/person.21009" {
				t.Errorf("%s: note %s has person_record_id %q", file, n.NoteRecordID, n.PersonRecordID)
			}
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: got %+v, want %+v", file, got, w)
		}
		if p.HomeCity != "_test_home_city" || p.FullName != "" {
			t.Errorf("%s: home_city %q, full_name %q", file, p.HomeCity, p.FullName)
		}
	}
}

func TestDecodeTopLevelNotes(t *testing.T) {
	tests := []struct {
		file    string
		persons []string // person record ids
		notes   []string // "note id -> person id: status"
	}{
		{file: "test.pfif-1.2-note.xml", notes: []string{
			"test.google.com/note.27009 -> test.google.com/person.21009: believed_missing",
			"test.google.com/note.31095 -> test.google.com/person.21010: is_note_author",
		}},
		{file: "test.pfif-1.2-believed-dead.xml", notes: []string{
			"test.google.com/note.218 -> test.google.com/person.21009: believed_dead",
		}},
		{file: "test.pfif-1.2-source.xml", persons: []string{"mytestdomain.com/person.21009"}},
		{file: "test.pfif-1.2-badrecord.xml", persons: []string{"test.google.com/person.21009", "foo.google.com/person.666"}},
	}
	for _, tt := range tests {
		persons, notes, _ := decodeFile(t, tt.file)
		var gotPersons, gotNotes []string
		for _, p := range persons {
			gotPersons = append(gotPersons, p.PersonRecordID)
		}
		for _, n := range notes {
			gotNotes = append(gotNotes, n.NoteRecordID+" -> "+n.PersonRecordID+": "+n.Status)
		}
		if !reflect.DeepEqual(gotPersons, tt.persons) || !reflect.DeepEqual(gotNotes, tt.notes) {
			t.Errorf("%s: persons %q notes %q; want %q %q", tt.file, gotPersons, gotNotes, tt.persons, tt.notes)
		}
	}
	persons, _, _ := decodeFile(t, "test.pfif-1.2-source.xml")
	if p := persons[0]; p.SourceName != "_test_source_name" || p.SourceURL != "_test_source_url" || p.SourceDate != "2000-01-01T00:00:00Z" {
		t.Errorf("source fields %q %q %q", p.SourceName, p.SourceURL, p.SourceDate)
	}
}

// The copies under testdata must be the shared files, while those exist.
func TestSamplesMatchShared(t *testing.T) {
	shared := "../../shared/data/personfinder"
	if _, err := os.Stat(shared); err != nil {
		t.Skip("no shared Person Finder files")
	}
	copies, _ := filepath.Glob("testdata/test.pfif-*.xml")
	for _, c := range copies {
		want, err := os.ReadFile(filepath.Join(shared, filepath.Base(c)))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(c); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the shared file", c)
		}
	}
}

func TestDecodeLenient(t *testing.T) {
	doc := `<?xml version="1.0"?>
<pfif xmlns="http://zesty.ca/pfif/1.3" xmlns:x="urn:example">
  <x:header>ignored</x:header>
  <person>
    <person_record_id>example.org/p1</person_record_id>
    <future_field><deep>ignored</deep></future_field>
    <x:given_name>not PFIF's</x:given_name>
    <first_name>Old</first_name>
    <given_name>New</given_name>
    <last_name>Old</last_name>
    <other>description: not used</other>
    <description>  kept  </description>
    <full_name>
        Maryam Ahmadi
        <!-- a comment -->
        مریم احمدی  &amp; Co<![CDATA[ <raw> ]]>
    </full_name>
    <note><found>1</found><text>a <b>bold</b> claim</text></note>
  </person>
  <futureRecord/>
</pfif>
<!-- trailing comment -->
`
	persons, _, version, err := decodeAll(t, strings.NewReader("\uFEFF"+doc))
	if err != nil {
		t.Fatal(err)
	}
	p := persons[0]
	got := []string{version, p.GivenName, p.FamilyName, p.Description, p.FullName, p.Notes[0].AuthorMadeContact, p.Notes[0].Text, p.Notes[0].PersonRecordID}
	want := []string{"1.3", "New", "Old", "kept", "Maryam Ahmadi\nمریم احمدی  & Co <raw>", "true", "a bold claim", "example.org/p1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	const open = `<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">` + "\n"
	sample, err := os.ReadFile("testdata/test.pfif-1.4.xml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "line 1: not a PFIF document: it has no root element"},
		{"text", "name,age\nAli,30\n", "line 1: not a PFIF document: it starts with text, not XML"},
		{"html", "<html><body>hi</body></html>", "line 1: not a PFIF document: root element is <html>"},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom"/>`, `line 1: not a PFIF document: root element is <feed> in namespace "http://www.w3.org/2005/Atom"`},
		{"version", `<pfif xmlns="http://zesty.ca/pfif/2.0"/>`, `line 1: unknown PFIF version: namespace "http://zesty.ca/pfif/2.0"`},
		{"doctype", "<?xml version=\"1.0\"?>\n<!DOCTYPE pfif [<!ENTITY x \"y\">]>\n" + open + "</pfif:pfif>",
			"line 2: DOCTYPE declarations are not allowed in a PFIF document"},
		{"truncated", string(sample[:len(sample)/2]), "line 42: the document ends early, before </pfif:pfif>; it may be cut off"},
		{"no root end", open + "<pfif:person></pfif:person>\n", "line 3: the document ends early"},
		{"mismatched tag", open + "<pfif:person>\n<pfif:full_name>x</pfif:given_name>", "line 3: malformed XML: element <full_name> closed by </given_name>"},
		{"bad char", open + "<pfif:person><pfif:full_name>\x01</pfif:full_name>", "line 2: malformed XML: illegal character code U+0001"},
		{"nested id", open + "<pfif:person>\n<pfif:person_record_id>p1</pfif:person_record_id>\n<pfif:note>\n" +
			"<pfif:note_record_id>n1</pfif:note_record_id><pfif:person_record_id>p2</pfif:person_record_id>\n</pfif:note>\n</pfif:person>",
			`line 4: note "n1" is inside person "p1" but its person_record_id is "p2"`},
		{"orphan note", open + "\n<pfif:note><pfif:text>x</pfif:text></pfif:note>", "line 3: note has no person_record_id"},
		{"status", open + "<pfif:person><pfif:note>\n<pfif:status>alive</pfif:status>", `line 3: note status "alive" is not one of`},
		{"found", open + "<pfif:note>\n<pfif:found>yes</pfif:found>", `line 3: author_made_contact (found) is "yes"; want true or false`},
		{"long field", open + "<pfif:person>\n<pfif:description>" + strings.Repeat("x", MaxField+1) + "</pfif:description>",
			"line 3: field description is longer than 64 KiB"},
		{"huge field", open + "<pfif:person>\n<pfif:description>" + strings.Repeat("x", maxToken+1) + "</pfif:description>",
			"line 3: field description is longer than 64 KiB"},
		{"huge comment", open + "<pfif:person>\n<!--" + strings.Repeat("x", maxToken+1) + "-->",
			"line 3: more than 1024 KiB of text or markup in one piece"},
		{"deep", open + "<pfif:person>" + strings.Repeat("<x>", maxDepth+1), "line 2: elements nested more than 64 deep"},
		{"second root", open + "</pfif:pfif>\n" + open + "</pfif:pfif>", "line 3: element <pfif> after the end of the document"},
		{"latin1", `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" + open + "</pfif:pfif>",
			`line 1: the document declares encoding "ISO-8859-1"; PFIF documents must be UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := decodeAll(t, strings.NewReader(tt.doc))
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %q\nwant it to start %q", err, tt.want)
			}
		})
	}
}

// After an error, and after the end, Next keeps saying so.
func TestDecodeSticky(t *testing.T) {
	d := NewDecoder(strings.NewReader("<html/>"))
	_, _, err1 := d.Next()
	_, _, err2 := d.Next()
	if err1 == nil || err1 != err2 {
		t.Errorf("errors %v then %v", err1, err2)
	}
	d = NewDecoder(strings.NewReader(`<pfif xmlns="http://zesty.ca/pfif/1.4"></pfif>`))
	for range 2 {
		if _, _, err := d.Next(); err != io.EOF {
			t.Errorf("Next: %v, want io.EOF", err)
		}
	}
}
