package pfif

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzDecoder checks that no input makes the Decoder panic, and that
// whatever it decodes, before any error, encodes and decodes to the same.
func FuzzDecoder(f *testing.F) {
	files, _ := filepath.Glob("testdata/test.pfif-*.xml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<pfif xmlns="http://zesty.ca/pfif/1.1"><person><full_name> a &#xD; <x>b</x>
 c </full_name><other>description: d</other><note><found>1</found></note></person></pfif>`))
	f.Add([]byte("\uFEFF<pfif:pfif xmlns:pfif='http://zesty.ca/pfif/1.4'><pfif:note><pfif:person_record_id>p" +
		"</pfif:person_record_id><pfif:status>believed_dead</pfif:status></pfif:note><x/></pfif:pfif>"))
	f.Add([]byte(`<pfif xmlns="http://zesty.ca/pfif/1.3"><person><person_record_id>p</person_record_id>` +
		`<note><person_record_id>q</person_record_id></note></person></pfif>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		persons, notes, _, _ := decodeAll(t, bytes.NewReader(data))
		out := encodeAll(t, persons, notes)
		again, againNotes, _, err := decodeAll(t, bytes.NewReader(out))
		if err != nil {
			t.Fatalf("decoding the encoding: %v\n%s", err, out)
		}
		p1, n1 := withoutLines(persons, notes)
		p2, n2 := withoutLines(again, againNotes)
		if !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(n1, n2) {
			t.Fatalf("round trip changed the records:\n%#v %#v\n%#v %#v", p1, n1, p2, n2)
		}
	})
}
