package pfif

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// encodeAll writes persons, then notes, as one document.
func encodeAll(t testing.TB, persons []Person, notes []Note) []byte {
	t.Helper()
	var b bytes.Buffer
	e := NewEncoder(&b)
	for _, p := range persons {
		if err := e.WritePerson(p); err != nil {
			t.Fatalf("WritePerson(%q): %v", p.PersonRecordID, err)
		}
	}
	for _, n := range notes {
		if err := e.WriteNote(n); err != nil {
			t.Fatalf("WriteNote(%q): %v", n.NoteRecordID, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withoutLines zeroes the Line fields, which re-encoding changes.
func withoutLines(persons []Person, notes []Note) ([]Person, []Note) {
	var ps []Person
	for _, p := range persons {
		p.Line = 0
		p.Notes = append([]Note(nil), p.Notes...)
		for i := range p.Notes {
			p.Notes[i].Line = 0
		}
		ps = append(ps, p)
	}
	var ns []Note
	for _, n := range notes {
		n.Line = 0
		ns = append(ns, n)
	}
	return ps, ns
}

// Decoding, encoding and decoding again gives the same records, and the
// encoding is the golden file.
func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/test.pfif-*.xml")
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			persons, notes, _ := decodeFile(t, name)
			out := encodeAll(t, persons, notes)
			golden := filepath.Join("testdata", "golden", strings.TrimPrefix(name, "test."))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("encoding differs from %s (run go test -update and review):\n%s", golden, out)
			}
			again, againNotes, version, err := decodeAll(t, bytes.NewReader(out))
			if err != nil || version != "1.4" {
				t.Fatalf("decoding the encoding: version %q, %v", version, err)
			}
			p1, n1 := withoutLines(persons, notes)
			p2, n2 := withoutLines(again, againNotes)
			if !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(n1, n2) {
				t.Errorf("round trip changed the records:\n%+v %+v\n%+v %+v", p1, n1, p2, n2)
			}
		})
	}
}

func TestEncodeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		person *Person
		note   *Note
		want   string
	}{
		{name: "nested id", person: &Person{PersonRecordID: "p1", Notes: []Note{{NoteRecordID: "n1", PersonRecordID: "p2"}}},
			want: `note "n1" is inside person "p1" but its person_record_id is "p2"`},
		{name: "orphan", note: &Note{NoteRecordID: "n1"}, want: `note "n1" has no person_record_id`},
		{name: "status", note: &Note{NoteRecordID: "n1", PersonRecordID: "p1", Status: "dead"},
			want: `note "n1": status "dead" is not a PFIF note status`},
		{name: "contact", person: &Person{Notes: []Note{{NoteRecordID: "n1", AuthorMadeContact: "yes"}}},
			want: `note "n1": author_made_contact is "yes"`},
		{name: "long", person: &Person{PersonRecordID: "p1", Description: strings.Repeat("x", MaxField+1)},
			want: `person "p1": field description is longer than 64 KiB`},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		e := NewEncoder(&b)
		var err error
		if tt.person != nil {
			err = e.WritePerson(*tt.person)
		} else {
			err = e.WriteNote(*tt.note)
		}
		if err == nil || err.Error() != tt.want && !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %q before refusing", tt.name, b.String())
		}
	}
}

func TestEncodeText(t *testing.T) {
	var b bytes.Buffer
	e := NewEncoder(&b)
	p := Person{
		PersonRecordID: "peyvand.example/person.1",
		FullName:       "مریم احمدی\nMaryam <Ahmadi> & co",
		Description:    "bell\a here\r\nand \xff there",
	}
	if err := e.WritePerson(p); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.WritePerson(p); err == nil {
		t.Error("WritePerson after Close succeeded")
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
  <pfif:person>
    <pfif:person_record_id>peyvand.example/person.1</pfif:person_record_id>
    <pfif:full_name>مریم احمدی
Maryam &lt;Ahmadi&gt; &amp; co</pfif:full_name>
    <pfif:description>bell` + "\uFFFD" + ` here&#xD;
and ` + "\uFFFD" + ` there</pfif:description>
  </pfif:person>
</pfif:pfif>
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	persons, _, _, err := decodeAll(t, &b)
	if err != nil {
		t.Fatal(err)
	}
	if got := persons[0].FullName; got != p.FullName {
		t.Errorf("full_name read back as %q", got)
	}
}

// An empty document is still a document.
func TestEncodeEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := NewEncoder(&b).Close(); err != nil {
		t.Fatal(err)
	}
	persons, notes, version, err := decodeAll(t, &b)
	if err != nil || len(persons)+len(notes) != 0 || version != "1.4" {
		t.Errorf("got %d persons, %d notes, version %q, %v", len(persons), len(notes), version, err)
	}
}
