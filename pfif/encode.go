package pfif

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Encoder writes a PFIF 1.4 document. Records are written as they come;
// Close ends the document and must be called.
type Encoder struct {
	w       io.Writer
	buf     bytes.Buffer // one record, written whole so a failed check writes nothing
	started bool
	closed  bool
	err     error // the first write error, returned by every later call
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: w} }

const header = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
	`<pfif:pfif xmlns:pfif="` + Namespace + `">` + "\n"

// WritePerson writes p with its nested notes. A nested note without a
// person_record_id is written with p's; one with another is refused, as are
// values the Decoder would refuse. Characters that XML cannot hold are
// written as U+FFFD.
func (e *Encoder) WritePerson(p Person) error {
	if err := checkPerson(&p); err != nil {
		return err
	}
	e.buf.Reset()
	e.buf.WriteString("  <pfif:person>\n")
	writeFields(&e.buf, "    ", personFields, &p)
	for _, n := range p.Notes {
		if n.PersonRecordID == "" {
			n.PersonRecordID = p.PersonRecordID
		}
		e.buf.WriteString("    <pfif:note>\n")
		writeFields(&e.buf, "      ", noteFields, &n)
		e.buf.WriteString("    </pfif:note>\n")
	}
	e.buf.WriteString("  </pfif:person>\n")
	return e.flush()
}

// WriteNote writes a top-level note, which must name its person.
func (e *Encoder) WriteNote(n Note) error {
	if n.PersonRecordID == "" {
		return fmt.Errorf("note %q has no person_record_id: a note outside a person must name its person", n.NoteRecordID)
	}
	if err := checkNote(&n); err != nil {
		return err
	}
	e.buf.Reset()
	e.buf.WriteString("  <pfif:note>\n")
	writeFields(&e.buf, "    ", noteFields, &n)
	e.buf.WriteString("  </pfif:note>\n")
	return e.flush()
}

// Close ends the document. It does not close the underlying writer.
func (e *Encoder) Close() error {
	if e.closed {
		return e.err
	}
	e.buf.Reset()
	e.buf.WriteString("</pfif:pfif>\n")
	err := e.flush()
	e.closed = true
	return err
}

// flush writes the record in buf, after the document's header if it is the first.
func (e *Encoder) flush() error {
	switch {
	case e.err != nil:
		return e.err
	case e.closed:
		return errors.New("pfif: write after Close")
	}
	if !e.started {
		e.started = true
		if _, e.err = io.WriteString(e.w, header); e.err != nil {
			return e.err
		}
	}
	_, e.err = e.w.Write(e.buf.Bytes())
	return e.err
}

func checkPerson(p *Person) error {
	if err := checkLengths(personFields, p); err != nil {
		return fmt.Errorf("person %q: %w", p.PersonRecordID, err)
	}
	for i := range p.Notes {
		n := &p.Notes[i]
		if n.PersonRecordID != "" && n.PersonRecordID != p.PersonRecordID {
			return fmt.Errorf("note %q is inside person %q but its person_record_id is %q", n.NoteRecordID, p.PersonRecordID, n.PersonRecordID)
		}
		if err := checkNote(n); err != nil {
			return err
		}
	}
	return nil
}

func checkNote(n *Note) error {
	err := checkLengths(noteFields, n)
	switch {
	case err != nil:
	case n.AuthorMadeContact != "" && n.AuthorMadeContact != "true" && n.AuthorMadeContact != "false":
		err = fmt.Errorf("author_made_contact is %q; want true, false or empty", n.AuthorMadeContact)
	case !validStatus(n.Status):
		err = fmt.Errorf("status %q is not a PFIF note status", n.Status)
	}
	if err != nil {
		return fmt.Errorf("note %q: %w", n.NoteRecordID, err)
	}
	return nil
}

func checkLengths[R any](fields []field[R], r *R) error {
	for _, f := range fields {
		if len(*f.get(r)) > MaxField {
			return fmt.Errorf("field %s is longer than %d KiB", f.name, MaxField>>10)
		}
	}
	return nil
}

// writeFields writes the non-empty fields of r, one element a line.
func writeFields[R any](b *bytes.Buffer, indent string, fields []field[R], r *R) {
	for _, f := range fields {
		v := *f.get(r)
		if v == "" {
			continue
		}
		fmt.Fprintf(b, "%s<pfif:%s>", indent, f.name)
		escape(b, v)
		fmt.Fprintf(b, "</pfif:%s>\n", f.name)
	}
}

// escape writes s as XML text. Unlike xml.EscapeText it leaves newlines and
// tabs as they are, so that multi-line names stay readable; it escapes
// carriage returns, which XML readers would otherwise turn into newlines.
func escape(b *bytes.Buffer, s string) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
