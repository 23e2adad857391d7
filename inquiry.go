package peyvand

import (
	"crypto/rand"
	"strings"
	"time"
)

// InquiryState says whether a family's search is still open.
type InquiryState string

// The states of an inquiry.
const (
	InquiryOpen   InquiryState = "open"
	InquiryClosed InquiryState = "closed"
)

// Inquiry is a family's search for a person. The person as the family
// describes them is a Record of the inquiries source; the inquiry adds what
// only the family's channel needs. The private code is given to the family
// once and never stored: the store keeps a keyed hash of it.
type Inquiry struct {
	ID           string
	RecordID     string
	Relationship string // the family's relation to the person ("brother", "مادر")
	Contact      string // sealed at rest
	State        InquiryState
	CreatedAt    time.Time
}

// codeAlphabet is Crockford's base32: no I, L, O or U, so a code read over a
// bad phone line or copied by hand is hard to get wrong.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLength is the number of symbols in an inquiry code: 20 × 5 = 100 bits,
// well past what an attacker could guess online or offline.
const CodeLength = 20

// NewInquiryCode returns a fresh private code in groups of four
// ("7K3M-Q9XD-…") for a family to write down.
func NewInquiryCode() string {
	b := make([]byte, CodeLength)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[c&31])
	}
	return sb.String()
}

// NormalizeInquiryCode returns the canonical form of a code as a person may
// type it back: any case, with or without dashes and spaces, Persian digits,
// O for 0 and I or L for 1. ok is false when it cannot be a code.
func NormalizeInquiryCode(s string) (code string, ok bool) {
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r >= '۰' && r <= '۹':
			r = '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			r = '0' + (r - '٠')
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		switch r {
		case '-', ' ', '\t', '\u00a0', '_', '.':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(codeAlphabet, byte(r)) < 0 {
			return "", false
		}
		sb.WriteRune(r)
	}
	if sb.Len() != CodeLength {
		return "", false
	}
	return sb.String(), true
}
