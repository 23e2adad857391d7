package bundle

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math/bits"

	"peyvand/identity"
)

// signaturePrefix starts the message the sender signs; the message is the
// prefix and the SHA-512 of every byte from the header through the end
// line, so a signature cannot be taken for one over anything else.
const signaturePrefix = "peyvand-bundle/v1 signature\n"

// sigLineLen is the length of the signature line: Ed25519 signatures have
// a fixed size, so the padding can be computed before signing.
var sigLineLen = len(`{"type":"signature","ed25519":""}`+"\n") + base64.RawURLEncoding.EncodedLen(64)

// End is the end line: counts and the number of bytes before it, so a
// reader knows the bundle is whole before it checks the signature.
type End struct {
	Sources int   `json:"sources"`
	Records int   `json:"records"`
	Events  int   `json:"events"`
	Bytes   int64 `json:"bytes"`
}

// encoder writes the plaintext of a bundle: header, items, padding, end
// and signature, one JSON object a line.
type encoder struct {
	w    io.Writer
	h    hash.Hash
	from *identity.Identity
	n    int64
	end  End
	pad  bool
}

func newEncoder(w io.Writer, h Header, from *identity.Identity, pad bool) (*encoder, error) {
	e := &encoder{w: w, h: sha512.New(), from: from, pad: pad}
	return e, e.line("header", &h)
}

// line writes one item. HTML escaping is off so that names read as
// themselves in the file.
func (e *encoder) line(typ string, v any) error {
	b, err := marshalLine(typ, v)
	if err != nil {
		return err
	}
	if len(b) > MaxLine {
		return fmt.Errorf("bundle: a %s line of %d bytes is longer than the limit of %d", typ, len(b), MaxLine)
	}
	return e.write(b)
}

func (e *encoder) write(b []byte) error {
	e.h.Write(b)
	e.n += int64(len(b))
	_, err := e.w.Write(b)
	return err
}

func marshalLine(typ string, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"type":"` + typ + `"`)
	if v != nil {
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		b := bytes.TrimSpace(body.Bytes())
		if len(b) > 2 { // not "{}"
			buf.WriteByte(',')
			buf.Write(b[1 : len(b)-1])
		}
	}
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

func (e *encoder) source(s Source) error {
	e.end.Sources++
	return e.line("source", &s)
}

func (e *encoder) record(r Record) error {
	e.end.Records++
	e.end.Events += len(r.Events)
	return e.line("record", &r)
}

type padLine struct {
	Pad string `json:"pad"`
}

// close pads the bundle to a size that says little about its contents,
// then writes the end and signature lines.
func (e *encoder) close() error {
	if e.pad {
		if err := e.write(e.padding()); err != nil {
			return err
		}
	}
	e.end.Bytes = e.n
	if err := e.line("end", &e.end); err != nil {
		return err
	}
	sig := e.from.Sign(append([]byte(signaturePrefix), e.h.Sum(nil)...))
	_, err := io.WriteString(e.w, `{"type":"signature","ed25519":"`+base64.RawURLEncoding.EncodeToString(sig)+`"}`+"\n")
	return err
}

// padding returns the pad line that makes the whole plaintext padmé
// long: the length of the end line depends on the pad's, so it settles
// in a few rounds.
func (e *encoder) padding() []byte {
	lineFor := func(k int) []byte {
		b, _ := marshalLine("pad", padLine{Pad: string(bytes.Repeat([]byte{'0'}, k))})
		return b
	}
	total := func(k int) int64 {
		end := e.end
		end.Bytes = e.n + int64(len(lineFor(k)))
		b, _ := marshalLine("end", &end)
		return end.Bytes + int64(len(b)) + int64(sigLineLen)
	}
	target := padme(total(0))
	k := int(target - total(0))
	for {
		t := total(k)
		if t == target {
			return lineFor(k)
		}
		k += int(target - t)
		if k < 0 {
			target = padme(target + 1)
			k = int(target - total(0))
		}
	}
}

// padme rounds n up as Padmé does (Nikitin et al., "Reducing metadata
// leakage from encrypted files and communication with PURBs", PETS 2019):
// keep the top ⌊log₂ E⌋+1 bits of the length, where E = ⌊log₂ n⌋. The
// overhead is at most 12%, and a length leaks O(log log n) bits.
func padme(n int64) int64 {
	if n < 2 {
		return n
	}
	e := int64(bits.Len64(uint64(n)) - 1)
	s := int64(bits.Len64(uint64(e)))
	mask := int64(1)<<(e-s) - 1
	return (n + mask) &^ mask
}
