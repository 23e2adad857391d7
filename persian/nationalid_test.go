package persian

import "testing"

// Valid IDs below are built with the rule: for the first nine digits d,
// sum = Σ d[i]·(10−i), r = sum mod 11, check = r if r < 2 else 11−r.
//
//	001234567: 0·10+0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2 = 112; 112 mod 11 = 2 → 9: 0012345679
//	123456789: 10+18+24+28+30+30+28+24+18 = 210; 210 mod 11 = 1 → 1:        1234567891
//	012345678: 0+9+16+21+24+25+24+21+16 = 156; 156 mod 11 = 2 → 9:          0123456789
//	008765432: 0+0+64+49+36+25+16+9+4 = 203; 203 mod 11 = 5 → 6:            0087654326
//	432109876: 40+27+16+7+0+45+32+21+12 = 200; 200 mod 11 = 2 → 9:          4321098769
//	111111111: 1·(10+9+…+2) = 54; 54 mod 11 = 10 → 1: 1111111111 passes the
//	           check but all ten digits are equal, so it is invalid.
func TestValidNationalID(t *testing.T) {
	tests := map[string]bool{
		"0012345679":  true,
		"1234567891":  true,
		"0123456789":  true,
		"0087654326":  true,
		"4321098769":  true,
		"0012345678":  false, // wrong check digit
		"1234567890":  false,
		"4321098760":  false,
		"1111111111":  false, // all equal, though the check digit fits
		"0000000000":  false,
		"9999999999":  false,
		"012345678":   false, // nine digits: padding is NormalizeNationalID's job
		"01234567890": false,
		"۰۱۲۳۴۵۶۷۸۹":  false, // Persian digits: normalise first
		"012345678a":  false,
		"":            false,
	}
	for in, want := range tests {
		if got := ValidNationalID(in); got != want {
			t.Errorf("ValidNationalID(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestNormalizeNationalID(t *testing.T) {
	tests := []struct {
		in    string
		id    string
		valid bool
	}{
		{"0012345679", "0012345679", true},
		{"۰۰۱۲۳۴۵۶۷۹", "0012345679", true},
		{"٠٠١٢٣٤٥٦٧٩", "0012345679", true},
		{"001-234567-9", "0012345679", true},
		{"001 234 567 9", "0012345679", true},
		{"001.234.567.9", "0012345679", true},
		{" \u200f0012345679\u200e ", "0012345679", true},
		{"۰۰۱\u200c۲۳۴۵۶۷۹", "0012345679", true},
		{"12345679", "0012345679", true},  // 8 digits: two zeros lost
		{"123456789", "0123456789", true}, // 9 digits: one zero lost
		{"87654326", "0087654326", true},
		{"1234567891", "1234567891", true},
		{"0012345678", "0012345678", false}, // wrong check digit
		{"12345678", "0012345678", false},
		{"1111111111", "1111111111", false}, // all equal
		{"0000000", "0000000", false},       // too short: kept as written
		{"12345678901", "12345678901", false},
		{"۰۰۱۲۳۴۵۶۷a", "001234567a", false}, // letters: as written, digits ASCII
		{"  AB-123  ", "AB-123", false},
		{"کد ملی ندارد", "کد ملی ندارد", false},
		{"", "", false},
	}
	for _, tt := range tests {
		id, valid := NormalizeNationalID(tt.in)
		if id != tt.id || valid != tt.valid {
			t.Errorf("NormalizeNationalID(%+q) = %q, %v; want %q, %v", tt.in, id, valid, tt.id, tt.valid)
		}
	}
}

// FuzzNormalizeNationalID checks that NormalizeNationalID never panics and
// that whatever it calls valid is ten digits that ValidNationalID accepts.
func FuzzNormalizeNationalID(f *testing.F) {
	for _, s := range []string{"0012345679", "۰۰۱۲۳۴۵۶۷۹", "12345679", "001-234567-9", "1111111111", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, valid := NormalizeNationalID(s)
		if valid && (len(id) != 10 || !ValidNationalID(id)) {
			t.Fatalf("NormalizeNationalID(%+q) = %q, true, but ValidNationalID is false", s, id)
		}
		if ValidNationalID(s) && (!valid || id != s) {
			t.Fatalf("NormalizeNationalID(%q) = %q, %v on a valid ID", s, id, valid)
		}
		if id2, valid2 := NormalizeNationalID(id); valid && (id2 != id || !valid2) {
			t.Fatalf("NormalizeNationalID not idempotent on %+q: %q → %q", s, id, id2)
		}
	})
}
