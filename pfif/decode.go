package pfif

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxToken bounds the bytes of one XML token (a tag, a run of text, a
// comment). encoding/xml holds a whole token in memory before the decoder can
// check a field's length, so this is what keeps memory bounded; it leaves
// room for a MaxField value written entirely as character references.
const maxToken = 16 * MaxField

// maxDepth bounds how deeply unknown elements may nest.
const maxDepth = 64

var errTokenTooLong = fmt.Errorf("more than %d KiB of text or markup in one piece; a field may hold at most %d KiB", maxToken>>10, MaxField>>10)

// Decoder streams the persons and top-level notes of a PFIF document. It
// holds one person with its notes in memory at a time.
type Decoder struct {
	x       *xml.Decoder
	in      *tokenLimit
	version string
	err     error // returned again by every call after the first error or io.EOF
}

// NewDecoder returns a Decoder reading a PFIF 1.1, 1.2, 1.3 or 1.4 document,
// which must be UTF-8.
func NewDecoder(r io.Reader) *Decoder {
	in := &tokenLimit{r: bufio.NewReader(r)}
	x := xml.NewDecoder(in)
	x.Strict = true
	x.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, charsetError(charset)
	}
	return &Decoder{x: x, in: in}
}

// Version is the PFIF version of the document, "1.1" to "1.4", known after
// the first call to Next.
func (d *Decoder) Version() string { return d.version }

// Next returns the next person, with its notes, or the next top-level note:
// exactly one of person and note is non-nil. It returns io.EOF after the last
// one. An error is an *Error naming the line, and ends the document: every
// later call returns it again.
//
// A nested note without a person_record_id gets its person's; one with
// another person's id is an error, and so is a top-level note without one.
func (d *Decoder) Next() (person *Person, note *Note, err error) {
	if d.err != nil {
		return nil, nil, d.err
	}
	person, note, err = d.next()
	if err != nil {
		d.err = err
		return nil, nil, err
	}
	return person, note, nil
}

func (d *Decoder) next() (*Person, *Note, error) {
	if d.version == "" {
		if err := d.readRoot(); err != nil {
			return nil, nil, err
		}
	}
	for {
		tok, err := d.token()
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case inPFIF(t.Name) && t.Name.Local == "person":
				p, err := d.readPerson()
				return p, nil, err
			case inPFIF(t.Name) && t.Name.Local == "note":
				n, err := d.readNote()
				if err == nil && n.PersonRecordID == "" {
					err = &Error{Line: n.Line, Err: errors.New("note has no person_record_id: a note outside a person must name its person")}
				}
				return nil, n, err
			default:
				if err := d.skip(1); err != nil {
					return nil, nil, err
				}
			}
		case xml.EndElement: // of the root, as encoding/xml checks nesting
			return nil, nil, d.readTrailer()
		}
	}
}

// token returns the next token, with errors located and explained. The end
// of input is an error, since it comes before the root element ends.
func (d *Decoder) token() (xml.Token, error) {
	d.in.n = 0
	tok, err := d.x.Token()
	if err == nil {
		if dir, ok := tok.(xml.Directive); ok {
			return nil, &Error{Line: d.line(), Err: directiveError(dir)}
		}
		return tok, nil
	}
	var se *xml.SyntaxError
	switch {
	case err == io.EOF && d.version == "":
		return nil, &Error{Line: d.line(), Err: errors.New("not a PFIF document: it has no root element")}
	case err == io.EOF, errors.As(err, &se) && se.Msg == "unexpected EOF":
		return nil, &Error{Line: d.line(), Err: errors.New("the document ends early, before </pfif:pfif>; it may be cut off")}
	}
	return nil, d.tokenError(err)
}

// directiveError refuses DOCTYPE and other declarations: PFIF needs none,
// and entity definitions are the way to billion-laughs and file-inclusion
// attacks on XML readers.
func directiveError(dir xml.Directive) error {
	word, _, _ := strings.Cut(strings.TrimSpace(string(dir)), " ")
	if strings.EqualFold(word, "DOCTYPE") {
		return errors.New("DOCTYPE declarations are not allowed in a PFIF document")
	}
	return fmt.Errorf("declaration <!%.20s> is not allowed in a PFIF document", word)
}

func (d *Decoder) line() int {
	line, _ := d.x.InputPos()
	return line
}

// readRoot reads up to the root element and takes the version from its namespace.
func (d *Decoder) readRoot() error {
	// Windows editors start UTF-8 files with a byte order mark, which
	// encoding/xml takes for text.
	if b, err := d.in.r.Peek(3); err == nil && string(b) == "\uFEFF" {
		d.in.r.Discard(3)
	}
	for {
		start := d.line()
		tok, err := d.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return &Error{Line: start, Err: errors.New("not a PFIF document: it starts with text, not XML")}
			}
		case xml.StartElement:
			return d.checkRoot(t)
		}
	}
}

func (d *Decoder) checkRoot(t xml.StartElement) error {
	if t.Name.Local != "pfif" || !strings.HasPrefix(t.Name.Space, namespacePrefix) {
		what := "<" + t.Name.Local + ">"
		if t.Name.Space != "" {
			what += fmt.Sprintf(" in namespace %q", t.Name.Space)
		}
		return &Error{Line: d.line(), Err: fmt.Errorf("not a PFIF document: root element is %s", what)}
	}
	v := strings.TrimSuffix(strings.TrimPrefix(t.Name.Space, namespacePrefix), "/")
	switch v {
	case "1.1", "1.2", "1.3", "1.4":
		d.version = v
		return nil
	}
	return &Error{Line: d.line(), Err: fmt.Errorf("unknown PFIF version: namespace %q; this reader knows PFIF 1.1 to 1.4", t.Name.Space)}
}

// inPFIF reports whether an element inside the root is PFIF's. Elements
// without a namespace are taken as PFIF's, as careless writers leave it out.
func inPFIF(n xml.Name) bool {
	return n.Space == "" || strings.HasPrefix(n.Space, namespacePrefix)
}

// readTrailer checks that nothing but space and comments follows the root,
// so that two documents pasted into one file are not half read.
func (d *Decoder) readTrailer() error {
	for {
		d.in.n = 0
		tok, err := d.x.Token()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			return d.tokenError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &Error{Line: d.line(), Err: fmt.Errorf("element <%s> after the end of the document: a file holds one PFIF document", t.Name.Local)}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return &Error{Line: d.line(), Err: errors.New("text after the end of the document")}
			}
		case xml.Directive:
			return &Error{Line: d.line(), Err: directiveError(t)}
		}
	}
}

// tokenError explains an error other than the end of input.
func (d *Decoder) tokenError(err error) error {
	var se *xml.SyntaxError
	var ce charsetError
	switch {
	case errors.As(err, &se):
		return &Error{Line: se.Line, Err: fmt.Errorf("malformed XML: %s", se.Msg)}
	case errors.As(err, &ce):
		err = ce // without encoding/xml's wrapping, which names its internals
	}
	return &Error{Line: d.line(), Err: err}
}

// charsetError refuses an encoding other than UTF-8, which PFIF requires.
type charsetError string

func (c charsetError) Error() string {
	return fmt.Sprintf("the document declares encoding %q; PFIF documents must be UTF-8", string(c))
}

// skip reads past the element just started, at nesting depth depth.
func (d *Decoder) skip(depth int) error {
	for level := 1; level > 0; {
		tok, err := d.token()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			level++
			if depth+level > maxDepth {
				return &Error{Line: d.line(), Err: fmt.Errorf("elements nested more than %d deep", maxDepth)}
			}
		case xml.EndElement:
			level--
		}
	}
	return nil
}

// text reads the text of the field element just started, including that of
// any elements inside it, which PFIF fields should not have.
func (d *Decoder) text(name string) (string, error) {
	var b strings.Builder
	for level := 1; ; {
		tok, err := d.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > MaxField {
				return "", &Error{Line: d.line(), Err: fmt.Errorf("field %s is longer than %d KiB", name, MaxField>>10)}
			}
			b.Write(t)
		case xml.StartElement:
			if level++; level > maxDepth {
				return "", &Error{Line: d.line(), Err: fmt.Errorf("elements nested more than %d deep", maxDepth)}
			}
		case xml.EndElement:
			if level--; level == 0 {
				return b.String(), nil
			}
		}
	}
}

// tokenLimit counts the bytes encoding/xml reads for one token and fails
// past maxToken. It is an io.ByteReader, so encoding/xml reads it directly,
// without a buffer of its own that would read ahead.
type tokenLimit struct {
	r *bufio.Reader
	n int
}

func (l *tokenLimit) ReadByte() (byte, error) {
	if l.n >= maxToken {
		return 0, errTokenTooLong
	}
	l.n++
	return l.r.ReadByte()
}

func (l *tokenLimit) Read(p []byte) (int, error) {
	if l.n >= maxToken {
		return 0, errTokenTooLong
	}
	p = p[:min(len(p), maxToken-l.n)]
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}
