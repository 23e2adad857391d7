package sms

import (
	"errors"
	"testing"

	"peyvand"
)

// FuzzDecode feeds the decoder outside input. It must never panic, fail
// only with the errors it documents, and accept only texts that are
// exactly what Encode writes for the report they hold.
func FuzzDecode(f *testing.F) {
	for _, r := range []Report{latinReport(), persianReport()} {
		text := mustEncode(f, r, testKey())
		f.Add(text)
		f.Add(Group(text, 5))
		f.Add(text[:len(text)/2])
	}
	f.Add("")
	f.Add("1")
	k := testKey()
	keys := testKeys()
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Decode(text, keys.Lookup)
		ur, uerr := DecodeUnverified(text)
		var ce *CheckError
		switch {
		case err == nil:
			if uerr != nil || ur != r {
				t.Fatalf("verified %+v but unverified %+v, %v", r, ur, uerr)
			}
			syms, _, _ := readSymbols(text)
			again, err := Encode(r, k.Key)
			if err != nil || again != symbolString(syms) {
				t.Fatalf("decoded %+v from %q, which encodes as %q (%v)", r, text, again, err)
			}
			if row := ToRow(r); row.Record.Validate() != nil || row.Events[0].Validate() != nil {
				t.Fatalf("%+v makes an invalid row", r)
			}
		case errors.Is(err, ErrUnknownSender), errors.Is(err, ErrBadSignature):
			if uerr != nil {
				t.Fatalf("unverified: %v", uerr)
			}
			if _, err := ur.normalized(); err != nil {
				t.Fatalf("unverified report %+v: %v", ur, err)
			}
		case errors.As(err, &ce):
			if ce.Pos < 0 || ce.Pos > len([]rune(text))+1 {
				t.Fatalf("position %d in a text of %d characters", ce.Pos, len([]rune(text)))
			}
		default:
			if peyvand.ErrorCode(err) != peyvand.EINVALID {
				t.Fatalf("error %v has code %s", err, peyvand.ErrorCode(err))
			}
		}
	})
}
