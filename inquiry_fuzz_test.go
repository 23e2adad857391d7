package peyvand

import (
	"strings"
	"testing"
)

// FuzzNormalizeInquiryCode: whatever a person types back (or an attacker
// sends), the result is either refused or a canonical code that
// normalises to itself; and every issued code, typed with any habit, is
// read back as itself.
func FuzzNormalizeInquiryCode(f *testing.F) {
	f.Add("K7QM-2XHD-9PRT-BC4W-ZE5N")
	f.Add("k7qm 2xhd 9prt bc4w ze5n")
	f.Add("۱۲۳۴-ABCD-EFGH-JKMN-PQRS")
	f.Add("")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := NormalizeInquiryCode(s)
		if !ok {
			if code != "" {
				t.Fatalf("refused %q but returned %q", s, code)
			}
			return
		}
		if len(code) != CodeLength {
			t.Fatalf("%q → %q: %d characters", s, code, len(code))
		}
		if again, ok := NormalizeInquiryCode(code); !ok || again != code {
			t.Fatalf("not canonical: %q → %q → %q", s, code, again)
		}
	})
}

func TestIssuedCodesReadBack(t *testing.T) {
	for range 200 {
		c := NewInquiryCode()
		want, ok := NormalizeInquiryCode(c)
		if !ok {
			t.Fatalf("issued code %q does not read back", c)
		}
		for _, typed := range []string{strings.ToLower(c), strings.ReplaceAll(c, "-", " "), strings.ReplaceAll(c, "-", "")} {
			if got, ok := NormalizeInquiryCode(typed); !ok || got != want {
				t.Fatalf("%q typed as %q reads %q", c, typed, got)
			}
		}
	}
}
