package persian

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestKnownConversions runs the vectors in testdata/jalali-gregorian.txt,
// each a conversion known from outside this code (the sources are cited
// in the file), in both directions.
func TestKnownConversions(t *testing.T) {
	f, err := os.Open("testdata/jalali-gregorian.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		n++
		var jy, jm, jd int
		if _, err := fmt.Sscanf(fields[0], "%d/%d/%d", &jy, &jm, &jd); err != nil {
			t.Fatalf("bad vector %q: %v", sc.Text(), err)
		}
		gy, gm, gd, err := JalaliToGregorian(jy, jm, jd)
		if fields[1] == "invalid" {
			if err == nil {
				t.Errorf("JalaliToGregorian(%s) = %04d-%02d-%02d, want an error", fields[0], gy, gm, gd)
			}
			continue
		}
		if err != nil {
			t.Errorf("JalaliToGregorian(%s): %v", fields[0], err)
			continue
		}
		if got := fmt.Sprintf("%04d-%02d-%02d", gy, gm, gd); got != fields[1] {
			t.Errorf("JalaliToGregorian(%s) = %s, want %s", fields[0], got, fields[1])
		}
		y, m, d, err := GregorianToJalali(gy, gm, gd)
		if got := fmt.Sprintf("%04d/%02d/%02d", y, m, d); err != nil || got != fields[0] {
			t.Errorf("GregorianToJalali(%s) = %s, %v; want %s", fields[1], got, err, fields[0])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 12 {
		t.Fatalf("read %d vectors, want at least 12", n)
	}
}

// TestJalaliRoundTrip converts every day from 1300/01/01 to 1450/12/29 to
// the Gregorian calendar and back, and checks that consecutive Jalali days
// are consecutive Gregorian days: a wrong leap year anywhere in the range
// would skip or repeat a day.
func TestJalaliRoundTrip(t *testing.T) {
	gy, gm, gd, err := JalaliToGregorian(1300, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(gy, time.Month(gm), gd, 0, 0, 0, 0, time.UTC)
	days, leaps := 0, 0
	for y := 1300; y <= 1450; y++ {
		for m := 1; m <= 12; m++ {
			for d := 1; d <= jalaliMonthDays(y, m); d++ {
				gy, gm, gd, err := JalaliToGregorian(y, m, d)
				if err != nil {
					t.Fatalf("%d/%d/%d: %v", y, m, d, err)
				}
				if got := time.Date(gy, time.Month(gm), gd, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
					t.Fatalf("%d/%02d/%02d = %s, want %s (the day after the previous one)", y, m, d, got.Format(time.DateOnly), want.Format(time.DateOnly))
				}
				jy, jm, jd, err := GregorianToJalali(gy, gm, gd)
				if err != nil || jy != y || jm != m || jd != d {
					t.Fatalf("%d/%02d/%02d → %04d-%02d-%02d → %d/%02d/%02d, %v", y, m, d, gy, gm, gd, jy, jm, jd, err)
				}
				want = want.AddDate(0, 0, 1)
				days++
			}
		}
		if jalaliMonthDays(y, 12) == 30 {
			leaps++
		}
	}
	// 151 years of the 33-year cycle have 8 leap years in 33, about 36.6.
	if leaps < 36 || leaps > 38 {
		t.Errorf("%d leap years in 1300–1450, want about 37", leaps)
	}
	t.Logf("%d days, %d leap years", days, leaps)
}

func TestConversionErrors(t *testing.T) {
	tests := []struct {
		name    string
		convert func(y, m, d int) (int, int, int, error)
		y, m, d int
		want    string
	}{
		{"Jalali", JalaliToGregorian, 1404, 12, 30, `"1404/12/30" is not a date: day 30 does not exist in Jalali month 12 (Esfand) of 1404: Esfand 1404 has 29 days (1404 is not a leap year)`},
		{"Jalali", JalaliToGregorian, 1403, 12, 31, `"1403/12/31" is not a date: day 31 does not exist in Jalali month 12 (Esfand) of 1403: Esfand 1403 has 30 days`},
		{"Jalali", JalaliToGregorian, 1404, 7, 31, `"1404/07/31" is not a date: day 31 does not exist in Jalali month 7 (Mehr) of 1404: Mehr 1404 has 30 days`},
		{"Jalali", JalaliToGregorian, 1404, 13, 1, `"1404/13/01" is not a date: month 13 does not exist`},
		{"Jalali", JalaliToGregorian, 1404, 0, 1, `"1404/00/01" is not a date: month 0 does not exist`},
		{"Jalali", JalaliToGregorian, 1404, 1, 0, `"1404/01/00" is not a date: day 0 does not exist`},
		{"Jalali", JalaliToGregorian, 0, 1, 1, `"0/01/01" is not a date: Jalali year 0 is outside the supported range 1–3177`},
		{"Gregorian", GregorianToJalali, 2026, 2, 29, `"2026-02-29" is not a date: day 29 does not exist in February 2026: February 2026 has 28 days (2026 is not a leap year)`},
		{"Gregorian", GregorianToJalali, 2026, 4, 31, `"2026-04-31" is not a date: day 31 does not exist in April 2026: April 2026 has 30 days`},
		{"Gregorian", GregorianToJalali, 2026, 13, 1, `"2026-13-01" is not a date: month 13 does not exist`},
		{"Gregorian", GregorianToJalali, 2026, 1, -1, `"2026-01--1" is not a date: day -1 does not exist`},
		{"Gregorian", GregorianToJalali, 9999, 1, 1, `"9999-01-01" is not a date: Gregorian year 9999 is outside the supported range 623–3798`},
	}
	for _, tt := range tests {
		_, _, _, err := tt.convert(tt.y, tt.m, tt.d)
		var de *DateError
		if !errors.As(err, &de) {
			t.Errorf("%s %d/%d/%d: error %v, want a *DateError", tt.name, tt.y, tt.m, tt.d, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s %d/%d/%d:\n got %s\nwant %s", tt.name, tt.y, tt.m, tt.d, err, tt.want)
		}
	}
	// 2024 is a Gregorian leap year.
	if _, _, _, err := GregorianToJalali(2024, 2, 29); err != nil {
		t.Errorf("2024-02-29: %v", err)
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{Year: 2026, Month: 1, Day: 8, Written: Jalali}, "2026-01-08"},
		{Date{Year: 2026, Month: 1}, "2026-01"},
		{Date{Year: 2026}, "2026"},
		{Date{Year: 987, Month: 3, Day: 4}, "0987-03-04"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.d, got, tt.want)
		}
		if got := tt.d.IsZero(); got != (tt.want == "") {
			t.Errorf("%#v.IsZero() = %v", tt.d, got)
		}
	}
}

func TestCalendarString(t *testing.T) {
	for c, want := range map[Calendar]string{Gregorian: "Gregorian", Jalali: "Jalali", 0: "Calendar(0)", 7: "Calendar(7)"} {
		if got := c.String(); got != want {
			t.Errorf("Calendar(%d).String() = %q, want %q", int(c), got, want)
		}
	}
}

func TestFormatJalali(t *testing.T) {
	tests := []struct {
		d             Date
		want, persian string
	}{
		{Date{Year: 2026, Month: 1, Day: 8}, "1404/10/18", "۱۴۰۴/۱۰/۱۸"},
		{Date{Year: 2025, Month: 3, Day: 20, Written: Jalali}, "1403/12/30", "۱۴۰۳/۱۲/۳۰"},
		{Date{Year: 1979, Month: 2, Day: 11}, "1357/11/22", "۱۳۵۷/۱۱/۲۲"},
		// Partial dates are not converted: a Gregorian month is not a Jalali one.
		{Date{Year: 2026, Month: 1}, "2026-01", "۲۰۲۶-۰۱"},
		{Date{Year: 2026}, "2026", "۲۰۲۶"},
		{Date{}, "", ""},
		// An impossible date is shown as it is rather than hidden.
		{Date{Year: 2026, Month: 2, Day: 30}, "2026-02-30", "۲۰۲۶-۰۲-۳۰"},
	}
	for _, tt := range tests {
		if got := FormatJalali(tt.d); got != tt.want {
			t.Errorf("FormatJalali(%v) = %q, want %q", tt.d, got, tt.want)
		}
		if got := FormatJalaliPersian(tt.d); got != tt.persian {
			t.Errorf("FormatJalaliPersian(%v) = %q, want %q", tt.d, got, tt.persian)
		}
	}
}

func TestJalaliMonthName(t *testing.T) {
	tests := map[int]string{0: "", 1: "فروردین", 2: "اردیبهشت", 6: "شهریور", 9: "آذر", 10: "دی", 12: "اسفند", 13: ""}
	for m, want := range tests {
		if got := JalaliMonthName(m); got != want {
			t.Errorf("JalaliMonthName(%d) = %q, want %q", m, got, want)
		}
	}
}
