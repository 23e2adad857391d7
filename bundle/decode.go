package bundle

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"time"

	"peyvand"
	"peyvand/identity"
)

// Item is one item of a bundle: a source or a record with its events.
type Item struct {
	Source *Source
	Record *Record
}

// decoder reads the plaintext of a bundle line by line, hashing as it
// goes. It hands out items before the signature is checked: the caller
// must read to io.EOF, which Next returns only once the end line and
// signature are good, and act on nothing before then.
type decoder struct {
	br      *bufio.Reader
	h       hash.Hash
	n       int64 // bytes read and hashed
	line    int
	header  Header
	sender  identity.Public
	end     End // counted so far
	sources map[string]bool
	padded  bool
	err     error // sticky
}

// maxSources bounds the source names a reader remembers.
const maxSources = 10000

// trustFunc checks the sender a header names; it returns an error (with
// a code) to refuse it.
type trustFunc func(identity.Public) error

func newDecoder(r io.Reader, recipient string, now time.Time, trust trustFunc) (*decoder, error) {
	d := &decoder{br: bufio.NewReaderSize(r, 64<<10), h: sha512.New(), sources: map[string]bool{}}
	b, err := d.readLine()
	if err != nil {
		return nil, err
	}
	var env struct {
		Type string `json:"type"`
		*Header
	}
	env.Header = &d.header
	if err := strictUnmarshal(b, &env); err != nil || env.Type != "header" {
		return nil, d.errorf(peyvand.EINVALID, "not a bundle header")
	}
	h := d.header
	switch {
	case h.Format != Format:
		return nil, d.errorf(peyvand.EINVALID, "not a bundle (format %q)", h.Format)
	case h.Version > Version:
		return nil, d.errorf(peyvand.EINVALID, "bundle format version %d is newer than this program reads (%d): update peyvand", h.Version, Version)
	case h.Version != Version:
		return nil, d.errorf(peyvand.EINVALID, "bundle format version %d is not known", h.Version)
	case !validBundleID(h.ID):
		return nil, d.errorf(peyvand.EINVALID, "bundle id %q is not 32 hex digits", h.ID)
	case h.Created.IsZero() || !h.Expires.After(h.Created):
		return nil, d.errorf(peyvand.EINVALID, "bundle times are wrong: made %s, expires %s", h.Created.Format(time.RFC3339), h.Expires.Format(time.RFC3339))
	}
	if d.sender, err = identity.ParsePublic(h.Sender); err != nil {
		return nil, d.errorf(peyvand.EINVALID, "sender: %s", peyvand.ErrorMessage(err))
	}
	if err := trust(d.sender); err != nil {
		return nil, err
	}
	// The recipient is inside the signed part so that a peer cannot open
	// a bundle sent to it and re-encrypt it to a third instance, which
	// would then take it for one the original sender sent to it.
	if h.Recipient != recipient {
		return nil, peyvand.Errorf(peyvand.EUNAUTHORIZED, "bundle %s was made for another instance and forwarded: refused", h.ID)
	}
	if !now.Before(h.Expires) {
		return nil, peyvand.Errorf(peyvand.EINVALID, "bundle %s expired on %s (made %s): ask the sender for a new one",
			h.ID, h.Expires.UTC().Format(time.RFC3339), h.Created.UTC().Format(time.RFC3339))
	}
	return d, nil
}

func validBundleID(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 16 && hex.EncodeToString(b) == s
}

func (d *decoder) errorf(code, format string, args ...any) error {
	return peyvand.Errorf(code, "bundle line %d: %s", d.line, fmt.Sprintf(format, args...))
}

// readLine returns the next line, with its newline, and hashes it.
func (d *decoder) readLine() ([]byte, error) {
	b, err := d.readRaw()
	if err != nil {
		return nil, err
	}
	d.h.Write(b)
	d.n += int64(len(b))
	return b, nil
}

func (d *decoder) readRaw() ([]byte, error) {
	d.line++
	var line []byte
	for {
		frag, err := d.br.ReadSlice('\n')
		if len(line)+len(frag) > MaxLine {
			return nil, d.errorf(peyvand.EINVALID, "line longer than %d bytes", MaxLine)
		}
		line = append(line, frag...)
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			return nil, d.errorf(peyvand.EINTEGRITY, "bundle is truncated: it ends before its end line and signature")
		default:
			return nil, decryptError(err)
		}
	}
}

// strictUnmarshal decodes one JSON object and refuses unknown fields and
// anything after it: version 1 is closed, a new field is a new version.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the object")
	}
	return nil
}

// Next returns the next item, or io.EOF once the whole bundle is read
// and its end line and signature are good.
func (d *decoder) Next() (Item, error) {
	if d.err != nil {
		return Item{}, d.err
	}
	it, err := d.next()
	if err != nil {
		d.err = err
	}
	return it, err
}

func (d *decoder) next() (Item, error) {
	for {
		b, err := d.readLine()
		if err != nil {
			return Item{}, err
		}
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			return Item{}, d.errorf(peyvand.EINVALID, "not a JSON object")
		}
		if d.padded && head.Type != "end" {
			return Item{}, d.errorf(peyvand.EINVALID, "padding must come just before the end line")
		}
		switch head.Type {
		case "source":
			s, err := d.source(b)
			return Item{Source: s}, err
		case "record":
			r, err := d.record(b)
			return Item{Record: r}, err
		case "pad":
			var env struct {
				Type string `json:"type"`
				padLine
			}
			if err := strictUnmarshal(b, &env); err != nil {
				return Item{}, d.errorf(peyvand.EINVALID, "pad: %v", err)
			}
			d.padded = true
		case "end":
			return Item{}, d.finish(b)
		default:
			return Item{}, d.errorf(peyvand.EINVALID, "unknown item type %q", head.Type)
		}
	}
}

func (d *decoder) source(b []byte) (*Source, error) {
	var env struct {
		Type string `json:"type"`
		Source
	}
	if err := strictUnmarshal(b, &env); err != nil {
		return nil, d.errorf(peyvand.EINVALID, "source: %v", err)
	}
	s := env.Source
	switch {
	case s.CID != s.ContentID():
		return nil, d.errorf(peyvand.EINTEGRITY, "source %q: content id does not match its content", s.Name)
	case d.sources[s.Name]:
		return nil, d.errorf(peyvand.EINVALID, "source %q appears twice", s.Name)
	case len(d.sources) >= maxSources:
		return nil, d.errorf(peyvand.EINVALID, "more than %d sources", maxSources)
	}
	if err := (peyvand.Source{Name: s.Name, Kind: s.Kind}).Validate(); err != nil {
		return nil, d.errorf(peyvand.EINVALID, "source %q: %s", s.Name, peyvand.ErrorMessage(err))
	}
	d.sources[s.Name] = true
	d.end.Sources++
	return &s, nil
}

func (d *decoder) record(b []byte) (*Record, error) {
	var env struct {
		Type string `json:"type"`
		Record
	}
	if err := strictUnmarshal(b, &env); err != nil {
		return nil, d.errorf(peyvand.EINVALID, "record: %v", err)
	}
	r := env.Record
	if !d.sources[r.Source] {
		return nil, d.errorf(peyvand.EINVALID, "record %q: source %q is not among the sources before it", r.ExternalID, r.Source)
	}
	if r.CID != r.ContentID() {
		return nil, d.errorf(peyvand.EINTEGRITY, "record %q: content id does not match its content", r.ExternalID)
	}
	if r.Revision < 1 {
		return nil, d.errorf(peyvand.EINVALID, "record %q: revision %d: want the sender's revision, 1 or more", r.ExternalID, r.Revision)
	}
	for i, e := range r.Events {
		if e.CID != e.ContentID(r.Source, r.ExternalID) {
			return nil, d.errorf(peyvand.EINTEGRITY, "record %q, event %d: content id does not match its content", r.ExternalID, i+1)
		}
	}
	d.end.Records++
	d.end.Events += len(r.Events)
	return &r, nil
}

// finish checks the end line against what was read, then the signature,
// then that nothing follows.
func (d *decoder) finish(b []byte) error {
	var env struct {
		Type string `json:"type"`
		End
	}
	if err := strictUnmarshal(b, &env); err != nil {
		return d.errorf(peyvand.EINVALID, "end: %v", err)
	}
	want := d.end
	want.Bytes = d.n - int64(len(b))
	if env.End != want {
		return d.errorf(peyvand.EINTEGRITY, "end line says %+v, the bundle holds %+v: items are missing or were added", env.End, want)
	}
	sum := d.h.Sum(nil)
	raw, err := d.readRaw()
	if err != nil {
		return err
	}
	var sig struct {
		Type    string `json:"type"`
		Ed25519 string `json:"ed25519"`
	}
	if err := strictUnmarshal(raw, &sig); err != nil || sig.Type != "signature" {
		return d.errorf(peyvand.EINVALID, "want the signature line after the end line")
	}
	s, err := base64.RawURLEncoding.DecodeString(sig.Ed25519)
	if err != nil || !ed25519.Verify(d.sender.Signing, append([]byte(signaturePrefix), sum...), s) {
		return peyvand.Errorf(peyvand.EINTEGRITY, "bundle %s: the signature does not match: the bundle was altered after %s signed it", d.header.ID, d.sender.Name)
	}
	if n, err := io.ReadFull(d.br, make([]byte, 1)); n > 0 {
		return d.errorf(peyvand.EINTEGRITY, "data after the signature")
	} else if err != io.EOF {
		return decryptError(err)
	}
	return io.EOF
}

// decryptError says what a failure to read the encrypted stream means to
// the person importing it.
func decryptError(err error) error {
	if err == nil {
		return nil
	}
	return peyvand.Errorf(peyvand.EINTEGRITY, "bundle is damaged, truncated or was tampered with: %v", err)
}
