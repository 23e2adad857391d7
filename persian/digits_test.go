package persian

import "testing"

func TestDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
		{"٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"۱۴۰۴/۱۰/۱۸", "1404/10/18"},
		{"۱٬۲۳۴٫۵", "1,234.5"},
		{"علی ۲۵ ساله", "علی 25 ساله"},
		{"already 123", "already 123"},
		{"ي ك", "ي ك"}, // letters are Normalize's business
		{"\xff۱", "\xff1"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Digits(tt.in); got != tt.want {
			t.Errorf("Digits(%+q) = %+q, want %+q", tt.in, got, tt.want)
		}
	}
}

func TestPersianDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1404/10/18", "۱۴۰۴/۱۰/۱۸"},
		{"0123456789", "۰۱۲۳۴۵۶۷۸۹"},
		{"علی 25", "علی ۲۵"},
		{"no digits", "no digits"},
		{"", ""},
	}
	for _, tt := range tests {
		got := PersianDigits(tt.in)
		if got != tt.want {
			t.Errorf("PersianDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := Digits(got); back != tt.in {
			t.Errorf("Digits(PersianDigits(%q)) = %q", tt.in, back)
		}
	}
}

func TestDigitsDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { Digits("Mohammad Hosseini 1375") }); n != 0 {
		t.Errorf("Digits allocated %v times on ASCII input", n)
	}
}
