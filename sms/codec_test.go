package sms

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"peyvand"
	"peyvand/names"
	"peyvand/persian"
)

func TestEncodeDecode(t *testing.T) {
	full := persianReport()
	full.BirthYear, full.Age, full.Gender = 2006, 19, peyvand.GenderMale
	for name, r := range map[string]Report{
		"latin":            latinReport(),
		"persian":          persianReport(),
		"everything":       full,
		"family name only": {Sender: "T3ST01", FamilyName: "Rezaei"},
		"month only":       {Sender: "T3ST01", GivenName: "Shirin", Date: peyvand.Date{Year: 2026, Month: 1}, Status: peyvand.StatusMissing},
		"year only":        {Sender: "T3ST01", GivenName: "Shirin", Date: peyvand.Date{Year: 1988}, Status: peyvand.StatusExecuted},
		"big seq":          {Sender: "T3ST01", Seq: 1<<32 - 1, GivenName: "X", Gender: peyvand.GenderOther},
		"every status":     {Sender: "T3ST01", GivenName: "Y", Status: peyvand.StatusSafe},
	} {
		text := mustEncode(t, r, testKey())
		got, err := Decode(text, testKeys().Lookup)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, _ := r.normalized()
		want.ID = got.ID
		if got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
		if !strings.HasPrefix(got.ID, "sms:") || len(got.ID) != 4+24 {
			t.Errorf("%s: id %q", name, got.ID)
		}
	}
}

// TestDecodeForgiving reads a text as people pass it on: lower case,
// grouped with dashes or spaces, broken over lines, O for 0 and I or L for
// 1, Persian digits, invisible marks pasted along.
func TestDecodeForgiving(t *testing.T) {
	text := mustEncode(t, latinReport(), testKey())
	want, err := Decode(text, testKeys().Lookup)
	if err != nil {
		t.Fatal(err)
	}
	persianDigits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '۰' + r - '0'
		}
		return r
	}, text)
	for name, variant := range map[string]string{
		"lower case":     strings.ToLower(text),
		"groups":         Group(text, 5),
		"spaces":         strings.ReplaceAll(Group(text, 4), "-", " "),
		"lines":          strings.ReplaceAll(Group(text, 40), "-", "\r\n"),
		"O I L":          strings.NewReplacer("0", "O", "1", "l").Replace(text),
		"persian digits": persianDigits,
		"bidi marks":     "\u200f" + text + "\u200e\ufeff",
		"en dash":        strings.ReplaceAll(Group(text, 5), "-", "–"),
	} {
		got, err := Decode(variant, testKeys().Lookup)
		if err != nil || got != want {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	good := mustEncode(t, latinReport(), testKey())
	other := latinReport()
	other.Sender = "ABCDEF"
	syms, _, _ := readSymbols(good)
	v2 := syms[:len(syms)-checkSymbols]
	v2[0] = 2
	for _, tc := range []struct {
		name, text string
		code       string
		is         error
		want       string
	}{
		{"empty", "", peyvand.EINVALID, nil, "empty"},
		{"spaces", " - ", peyvand.EINVALID, nil, "empty"},
		{"short", symbolString(appendCheck([]byte{1, 2, 3})), peyvand.EINVALID, nil, "too short"},
		{"version 2", symbolString(appendCheck(v2)), peyvand.EINVALID, nil, "version 2"},
		{"not a code", "Salam, khoobi?", peyvand.EINVALID, nil, "not one of the letters"},
		{"too long", strings.Repeat("0", MaxSymbols+1), peyvand.EINVALID, nil, "more than"},
		{"huge", strings.Repeat(" ", 10000), peyvand.EINVALID, nil, "longer than"},
		{"unknown sender", mustEncode(t, other, testKey()), peyvand.EUNAUTHORIZED, ErrUnknownSender, "ABCDEF"},
		{"forged", mustEncode(t, latinReport(), otherKey()), peyvand.EUNAUTHORIZED, ErrBadSignature, "T3ST01"},
		{"u", "U" + good[1:], peyvand.EINVALID, nil, "position 1"},
	} {
		_, err := Decode(tc.text, testKeys().Lookup)
		if err == nil || peyvand.ErrorCode(err) != tc.code || tc.is != nil && !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (code %s), want %s containing %q", tc.name, err, peyvand.ErrorCode(err), tc.code, tc.want)
		}
	}
	// A key of the wrong length from the lookup is no key, not a panic.
	_, err := Decode(good, func(string) (ed25519.PublicKey, bool) { return ed25519.PublicKey{1, 2}, true })
	if !errors.Is(err, ErrUnknownSender) {
		t.Errorf("short key: %v", err)
	}
}

// TestDecodeRefusesNonCanonical signs texts whose fields are written in a
// form Encode never writes: they must be refused even with a good
// signature, so one report has one text.
func TestDecodeRefusesNonCanonical(t *testing.T) {
	k := testKey()
	sign := func(head []byte) string {
		sig := ed25519.Sign(k.Key, signedMessage(head))
		return symbolString(appendCheck(append(head, sigToSymbols(sig)...)))
	}
	base := func() *bitWriter {
		w := &bitWriter{}
		w.write(Version, 5)
		w.write(5, 4)
		for _, c := range "T3ST01" {
			v, _ := symbolValue(c)
			w.write(uint32(v), 5)
		}
		w.writeUvar(1)
		w.write(0, 4)
		return w
	}
	for name, build := range map[string]func(w *bitWriter){
		"raw a": func(w *bitWriter) {
			w.write(0b10000000, 8)
			w.write(scriptLatin, 1)
			w.write(caseLower, 2)
			w.write(codeEscape, 5)
			w.write(extRaw, 5)
			w.write('a', 21)
			w.write(codeEnd, 5)
		},
		"empty name": func(w *bitWriter) {
			w.write(0b11000000, 8)
			writeText(w, "Ali")
			w.write(scriptLatin, 1)
			w.write(caseLower, 2)
			w.write(codeEnd, 5)
		},
		"mixed case when title fits": func(w *bitWriter) {
			w.write(0b10000000, 8)
			w.write(scriptLatin, 1)
			w.write(caseMixed, 2)
			w.write(codeEscape, 5)
			w.write(extShift, 5)
			w.write(0, 5)
			w.write(codeEnd, 5)
		},
		"extra symbol": func(w *bitWriter) {
			w.write(0b10000000, 8)
			writeText(w, "Ali")
			w.write(0, 5)
		},
		"gender zero": func(w *bitWriter) {
			w.write(0b10000001, 8)
			writeText(w, "Ali")
			w.write(0, 2)
		},
		"month 13": func(w *bitWriter) {
			w.write(0b10001000, 8)
			writeText(w, "Ali")
			w.write(126, 9)
			w.write(13, 4)
			w.write(1, 5)
		},
		"double space": func(w *bitWriter) {
			w.write(0b10000000, 8)
			w.write(scriptLatin, 1)
			w.write(caseLower, 2)
			w.write(0, 5)
			w.write(26, 5)
			w.write(26, 5)
			w.write(0, 5)
			w.write(codeEnd, 5)
		},
	} {
		w := base()
		build(w)
		_, err := Decode(sign(w.symbols()), testKeys().Lookup)
		if peyvand.ErrorCode(err) != peyvand.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	// The same builder with canonical fields is accepted.
	w := base()
	w.write(0b10000000, 8)
	writeText(w, "Ali")
	if _, err := Decode(sign(w.symbols()), testKeys().Lookup); err != nil {
		t.Errorf("canonical: %v", err)
	}
}

func TestEncodeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(r *Report)
		want string
	}{
		{"no sender", func(r *Report) { r.Sender = "" }, "sender id"},
		{"bad sender", func(r *Report) { r.Sender = "AB_C" }, "sender id"},
		{"long sender", func(r *Report) { r.Sender = strings.Repeat("A", 17) }, "sender id"},
		{"no name", func(r *Report) { r.GivenName, r.FamilyName = "", " " }, "names no one"},
		{"long name", func(r *Report) { r.GivenName = strings.Repeat("ا", 65) }, "at most 64"},
		{"status", func(r *Report) { r.Status = "dead" }, "status"},
		{"date", func(r *Report) { r.Date = peyvand.Date{Year: 2026, Month: 2, Day: 30} }, "date"},
		{"old date", func(r *Report) { r.Date = peyvand.Date{Year: 1800} }, "between 1900"},
		{"birth year", func(r *Report) { r.BirthYear = 1404 }, "birth year"},
		{"age", func(r *Report) { r.Age = 131 }, "age"},
		{"gender", func(r *Report) { r.Gender = "x" }, "gender"},
	} {
		r := latinReport()
		tc.edit(&r)
		_, err := Encode(r, testKey().Key)
		if peyvand.ErrorCode(err) != peyvand.EINVALID || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := Encode(latinReport(), nil); err == nil {
		t.Error("encode without a key")
	}
	// Four names of 64 letters outside both tables do not fit.
	r := latinReport()
	long := strings.Repeat("中", 64)
	r.GivenName, r.FamilyName, r.FatherName, r.Place = long, long, long, long
	if _, err := Encode(r, testKey().Key); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("too long: %v", err)
	}
}

// TestReportsOfGivenNames encodes and decodes a report for a sample of
// the names of PNGT-26K with signatures, as the field will: the decoded
// name is the normalised one, and linkage keys it the same.
func TestReportsOfGivenNames(t *testing.T) {
	all := readGivenNames(t)
	k := testKey()
	for i := 0; i < len(all); i += 97 {
		for _, s := range []string{all[i].fa, title(all[i].latin)} {
			r := Report{Sender: k.Sender, Seq: uint32(i), GivenName: s, FamilyName: all[len(all)-1-i].fa, Status: peyvand.StatusDetained}
			got, err := Decode(mustEncode(t, r, k), testKeys().Lookup)
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			if got.GivenName != persian.Normalize(s) || names.Key(got.GivenName) != names.Key(s) {
				t.Fatalf("%q came back as %q", s, got.GivenName)
			}
		}
	}
}
