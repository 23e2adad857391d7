package pfif

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// readPerson reads the person element just started.
func (d *Decoder) readPerson() (*Person, error) {
	p := &Person{Line: d.line()}
	for {
		tok, err := d.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := d.personChild(p, t.Name); err != nil {
				return nil, err
			}
		case xml.EndElement:
			if err := adoptNotes(p); err != nil {
				return nil, err
			}
			return p, nil
		}
	}
}

// personChild reads one element inside a person: a field, a note, or
// something this reader does not know, which it skips so that documents
// of later PFIF versions can still be read.
func (d *Decoder) personChild(p *Person, name xml.Name) error {
	if !inPFIF(name) {
		return d.skip(2)
	}
	if name.Local == "note" {
		n, err := d.readNote()
		if err != nil {
			return err
		}
		p.Notes = append(p.Notes, *n)
		return nil
	}
	f, old, ok := lookup(personFields, name.Local)
	if !ok {
		return d.skip(2)
	}
	raw, err := d.text(name.Local)
	if err != nil {
		return err
	}
	v := clean(raw, f.lines)
	if name.Local == "other" {
		// Person Finder exported the description of PFIF 1.1 and 1.2 in
		// <other>, labelled so.
		if label := "description:"; len(v) >= len(label) && strings.EqualFold(v[:len(label)], label) {
			v = strings.TrimSpace(v[len(label):])
		}
	}
	set(p, f, old, v)
	return nil
}

// adoptNotes gives nested notes their person's record id, and refuses a
// note that names another person: which of the two is right is unknowable.
func adoptNotes(p *Person) error {
	for i := range p.Notes {
		n := &p.Notes[i]
		switch n.PersonRecordID {
		case "":
			n.PersonRecordID = p.PersonRecordID
		case p.PersonRecordID:
		default:
			return &Error{Line: n.Line, Err: fmt.Errorf("note %q is inside person %q but its person_record_id is %q", n.NoteRecordID, p.PersonRecordID, n.PersonRecordID)}
		}
	}
	return nil
}

// readNote reads the note element just started.
func (d *Decoder) readNote() (*Note, error) {
	n := &Note{Line: d.line()}
	depth := 2 // a note is in the root or in a person
	for {
		tok, err := d.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			f, old, ok := lookup(noteFields, t.Name.Local)
			if !inPFIF(t.Name) || !ok {
				if err := d.skip(depth + 1); err != nil {
					return nil, err
				}
				continue
			}
			raw, err := d.text(t.Name.Local)
			if err != nil {
				return nil, err
			}
			v, err := noteValue(f.name, clean(raw, f.lines))
			if err != nil {
				return nil, &Error{Line: d.line(), Err: err}
			}
			set(n, f, old, v)
		case xml.EndElement:
			return n, nil
		}
	}
}

// noteValue checks the note fields whose values PFIF enumerates.
func noteValue(name, v string) (string, error) {
	switch name {
	case "author_made_contact":
		switch strings.ToLower(v) {
		case "true", "1":
			return "true", nil
		case "false", "0":
			return "false", nil
		case "":
			return "", nil
		}
		return "", fmt.Errorf("author_made_contact (found) is %q; want true or false", v)
	case "status":
		if !validStatus(v) {
			return "", fmt.Errorf("note status %q is not one of %s, %s, %s, %s, %s",
				v, InformationSought, IsNoteAuthor, BelievedAlive, BelievedMissing, BelievedDead)
		}
	}
	return v, nil
}

// clean trims a value: a list field line by line, any other as a whole.
func clean(raw string, lines bool) string {
	if lines {
		return trimLines(raw)
	}
	return strings.TrimSpace(raw)
}

// set stores v in field f of r. A field under its PFIF 1.1 or 1.2 name does
// not replace one given under its current name.
func set[R any](r *R, f field[R], old bool, v string) {
	dst := f.get(r)
	if old && *dst != "" {
		return
	}
	*dst = v
}
