package persian

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	j := func(y, m, d int) Date { return Date{Year: y, Month: m, Day: d, Written: Jalali} }
	g := func(y, m, d int) Date { return Date{Year: y, Month: m, Day: d, Written: Gregorian} }
	tests := []struct {
		in   string
		want Date
	}{
		// Jalali, year first, in every digit set and separator.
		{"1404/10/18", j(2026, 1, 8)},
		{"۱۴۰۴/۱۰/۱۸", j(2026, 1, 8)},
		{"١٤٠٤/١٠/١٨", j(2026, 1, 8)},
		{"1404-10-18", j(2026, 1, 8)},
		{"1404.10.18", j(2026, 1, 8)},
		{"1404 10 18", j(2026, 1, 8)},
		{"1404؍10؍18", j(2026, 1, 8)},
		{"1404／10／18", j(2026, 1, 8)},
		{"۱۴۰۴٫۱۰٫۱۸", j(2026, 1, 8)},
		{"  1404/10/18\u00a0", j(2026, 1, 8)},
		{"\u200f1404/10/18\u200f", j(2026, 1, 8)},
		{"1404/1/8", j(2025, 3, 28)},
		{"14041018", j(2026, 1, 8)},
		// Jalali, day first, as Iranians also write.
		{"18/10/1404", j(2026, 1, 8)},
		{"۱۸/۱۰/۱۴۰۴", j(2026, 1, 8)},
		{"1/1/1404", j(2025, 3, 21)},
		{"30/12/1403", j(2025, 3, 20)},
		// Gregorian.
		{"2026-01-08", g(2026, 1, 8)},
		{"2026/01/08", g(2026, 1, 8)},
		{"2026/1/8", g(2026, 1, 8)},
		{"08.01.2026", g(2026, 1, 8)},
		{"8.1.2026", g(2026, 1, 8)},
		{"08/01/2026", g(2026, 1, 8)},
		{"18/01/2026", g(2026, 1, 18)},
		{"01/18/2026", g(2026, 1, 18)},
		{"20260108", g(2026, 1, 8)},
		{"2024-02-29", g(2024, 2, 29)},
		{"۲۰۲۶/۰۱/۰۸", g(2026, 1, 8)},
		// Date and time.
		{"2026-01-08T10:00:00Z", g(2026, 1, 8)},
		{"2026-01-08T10:00:00.123+03:30", g(2026, 1, 8)},
		{"2026-01-08 10:00:00", g(2026, 1, 8)},
		{"2026-01-08Z", g(2026, 1, 8)},
		{"08/01/2026 10:30 PM", g(2026, 1, 8)},
		{"1404/10/18 10:30", j(2026, 1, 8)},
		{"۱۸ دی ۱۴۰۴ ساعت ۱۰:۳۰", j(2026, 1, 8)},
		// Year and month; a Jalali month becomes the Gregorian month
		// holding most of it (Dey 1404 is 2025-12-22 to 2026-01-20).
		{"1404/10", j(2026, 1, 0)},
		{"10/1404", j(2026, 1, 0)},
		{"1404/01", j(2025, 4, 0)},
		{"1403/12", j(2025, 3, 0)},
		{"2026-01", g(2026, 1, 0)},
		{"01/2026", g(2026, 1, 0)},
		// Year only; a Jalali year becomes the Gregorian year holding most of it.
		{"1404", j(2025, 0, 0)},
		{"۱۳۷۵", j(1996, 0, 0)},
		{"2026", g(2026, 0, 0)},
		{"سال ۱۴۰۴", j(2025, 0, 0)},
		// Jalali month names in Persian and Latin script.
		{"18 دی 1404", j(2026, 1, 8)},
		{"۱۸ دی ۱۴۰۴", j(2026, 1, 8)},
		{"۱۸ دي ۱۴۰۴", j(2026, 1, 8)},
		{"دی ۱۴۰۴", j(2026, 1, 0)},
		{"۱۸ دی‌ماه ۱۴۰۴", j(2026, 1, 8)},
		{"۱۸ دیماه ۱۴۰۴", j(2026, 1, 8)},
		{"روز ۱۸ ماه دی سال ۱۴۰۴", j(2026, 1, 8)},
		{"پنجشنبه ۱۸ دی ۱۴۰۴", j(2026, 1, 8)},
		{"پنج‌شنبه، ۱۸ دی ۱۴۰۴", j(2026, 1, 8)},
		{"پنج شنبه ۱۸ دی ۱۴۰۴", j(2026, 1, 8)},
		{"۱۸ دی ۱۴۰۴ ه.ش", j(2026, 1, 8)},
		{"۱۸ دی ۱۴۰۴ هـ.ش.", j(2026, 1, 8)},
		{"۱۸ دی ۱۴۰۴ هجری شمسی", j(2026, 1, 8)},
		{"۱۸ام دی ۱۴۰۴", j(2026, 1, 8)},
		{"۲۵ شهریور ۱۴۰۱", j(2022, 9, 16)},
		{"۲۲ بهمن ۱۳۵۷", j(1979, 2, 11)},
		{"۲۴ آبان ۱۳۹۸", j(2019, 11, 15)},
		{"۲۴ ابان ۱۳۹۸", j(2019, 11, 15)},
		{"1 فروردین 1403", j(2024, 3, 20)},
		{"30 اسفند 1399", j(2021, 3, 20)},
		{"1 اردیبهشت 1404", j(2025, 4, 21)},
		{"18 Dey 1404", j(2026, 1, 8)},
		{"18 dei 1404", j(2026, 1, 8)},
		{"18 DEY 1404", j(2026, 1, 8)},
		{"Dey 1404", j(2026, 1, 0)},
		{"1 Farvardin 1404", j(2025, 3, 21)},
		{"1 Ordibehesht 1404", j(2025, 4, 21)},
		{"1 Khordad 1404", j(2025, 5, 22)},
		{"1 Tir 1404", j(2025, 6, 22)},
		{"1 Mordad 1404", j(2025, 7, 23)},
		{"1 Amordad 1404", j(2025, 7, 23)},
		{"25 Shahrivar 1401", j(2022, 9, 16)},
		{"1 Mehr 1404", j(2025, 9, 23)},
		{"24 Aban 1398", j(2019, 11, 15)},
		{"24 Ābān 1398", j(2019, 11, 15)},
		{"1 Azar 1404", j(2025, 11, 22)},
		{"22 Bahman 1357", j(1979, 2, 11)},
		{"30 Esfand 1403", j(2025, 3, 20)},
		{"30 Isfand 1403", j(2025, 3, 20)},
		{"1404 Dey 18", j(2026, 1, 8)},
		// Gregorian month names in English.
		{"8 January 2026", g(2026, 1, 8)},
		{"Jan 8, 2026", g(2026, 1, 8)},
		{"January 8 2026", g(2026, 1, 8)},
		{"8-Jan-2026", g(2026, 1, 8)},
		{"8th January 2026", g(2026, 1, 8)},
		{"Thursday, 8 January 2026", g(2026, 1, 8)},
		{"Sept 16, 2022", g(2022, 9, 16)},
		{"January 2026", g(2026, 1, 0)},
		{"15 November 2019 AD", g(2019, 11, 15)},
		// German.
		{"8. Januar 2026", g(2026, 1, 8)},
		{"8. Jan. 2026", g(2026, 1, 8)},
		{"8. Jänner 2026", g(2026, 1, 8)},
		{"3. März 2026", g(2026, 3, 3)},
		{"3. Maerz 2026", g(2026, 3, 3)},
		{"1. Mai 2026", g(2026, 5, 1)},
		{"1. Juni 2026", g(2026, 6, 1)},
		{"1. Juli 2026", g(2026, 7, 1)},
		{"1. Oktober 2026", g(2026, 10, 1)},
		{"24. Dez. 2025", g(2025, 12, 24)},
		{"Do., 8. Januar 2026", g(2026, 1, 8)},
		// French.
		{"8 janvier 2026", g(2026, 1, 8)},
		{"1er février 2026", g(2026, 2, 1)},
		{"1er fevrier 2026", g(2026, 2, 1)},
		{"15 août 2025", g(2025, 8, 15)},
		{"15 aout 2025", g(2025, 8, 15)},
		{"25 décembre 2025", g(2025, 12, 25)},
		{"jeudi 8 janvier 2026", g(2026, 1, 8)},
		// Persian names of Gregorian months.
		{"۸ ژانویه ۲۰۲۶", g(2026, 1, 8)},
		{"۱ فوریه ۲۰۲۶", g(2026, 2, 1)},
		{"۱ مارس ۲۰۲۶", g(2026, 3, 1)},
		{"۱ آوریل ۲۰۲۶", g(2026, 4, 1)},
		{"۱ مه ۲۰۲۶", g(2026, 5, 1)},
		{"۱ می ۲۰۲۶", g(2026, 5, 1)},
		{"۱ ژوئن ۲۰۲۶", g(2026, 6, 1)},
		{"۱ ژوئیه ۲۰۲۶", g(2026, 7, 1)},
		{"۱ جولای ۲۰۲۶", g(2026, 7, 1)},
		{"۱ اوت ۲۰۲۶", g(2026, 8, 1)},
		{"۱ آگوست ۲۰۲۶", g(2026, 8, 1)},
		{"۱۶ سپتامبر ۲۰۲۲", g(2022, 9, 16)},
		{"۱ اکتبر ۲۰۲۶", g(2026, 10, 1)},
		{"۱۵ نوامبر ۲۰۱۹", g(2019, 11, 15)},
		{"۲۵ دسامبر ۲۰۲۵ میلادی", g(2025, 12, 25)},
		{"۲۵ دسامبر ۲۰۲۵ م", g(2025, 12, 25)},
		{"۲۰۲۶ م", g(2026, 0, 0)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v (%v), %v; want %v (%v)", tt.in, got, got.Written, err, tt.want, tt.want.Written)
		}
	}
}

func TestParseDateMonthFirst(t *testing.T) {
	tests := []struct {
		in         string
		monthFirst bool
		want       string
	}{
		{"01/02/2026", false, "2026-02-01"},
		{"01/02/2026", true, "2026-01-02"},
		{"13/02/2026", true, "2026-02-13"},  // 13 cannot be a month
		{"02/13/2026", false, "2026-02-13"}, // nor can 13 here
		{"01/02/1404", true, "2025-04-21"},  // Jalali stays day first: 1 Ordibehesht
		{"2026/01/02", true, "2026-01-02"},  // year first is always Y/M/D
	}
	for _, tt := range tests {
		d, err := ParseDateWith(tt.in, DateOptions{MonthFirst: tt.monthFirst})
		if err != nil || d.String() != tt.want {
			t.Errorf("ParseDateWith(%q, MonthFirst=%v) = %v, %v; want %s", tt.in, tt.monthFirst, d, err, tt.want)
		}
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		in, reason string
	}{
		{"", "it is empty"},
		{"   ", "it is empty"},
		{"abc", `"abc" is not a month name or another word used in dates`},
		{"31/02/2026", "day 31 does not exist in February 2026: February 2026 has 28 days"},
		{"29/02/2026", "day 29 does not exist in February 2026: February 2026 has 28 days (2026 is not a leap year)"},
		{"1404/13/01", "month 13 does not exist"},
		{"1404/00/01", "month 0 does not exist"},
		{"1404/10/00", "day 0 does not exist"},
		{"1403/12/31", "day 31 does not exist in Jalali month 12 (Esfand) of 1403: Esfand 1403 has 30 days"},
		{"1404/12/30", "day 30 does not exist in Jalali month 12 (Esfand) of 1404: Esfand 1404 has 29 days (1404 is not a leap year)"},
		{"31 مهر 1404", "day 31 does not exist in Jalali month 7 (Mehr) of 1404: Mehr 1404 has 30 days"},
		{"32.01.2026", "day 32 does not exist in January 2026: January 2026 has 31 days"},
		{"32/13/2026", "month 13 does not exist"},
		{"12/05/26", "two-digit year 26 is ambiguous; write the year with four digits"},
		{"8 Jan 26", "two-digit year 26 is ambiguous; write the year with four digits"},
		{"04/10/18", "two-digit year 18 is ambiguous; write the year with four digits"},
		{"0/0/0", "year 0 must have four digits"},
		{"0000/00/00", "year 0 is in neither accepted range (1200–1499 Jalali, 1800–2199 Gregorian)"},
		{"1700-01-01", "year 1700 is in neither accepted range (1200–1499 Jalali, 1800–2199 Gregorian)"},
		{"10/18", "two-digit year 18 is ambiguous; write the year with four digits"},
		{"18 دی", "it has no four-digit year (18 is a day or a two-digit year)"},
		{"دی", "it has a month but no year"},
		{"ماه", "it has no numbers"},
		{"08/1404/01", "the year must come first or last"},
		{"2026/1404/01", "month 1404 has too many digits"},
		{"1/2/3/2026", "it has 4 numbers; a date has at most three"},
		{"202601", "202601 has 6 digits; write a date as year/month/day"},
		{"2026/001/08", "month 001 has too many digits"},
		{"8 January 1404", `"January" is a Gregorian month but 1404 is a Jalali year`},
		{"18 Dey 2026", `"Dey" is a Jalali month but 2026 is a Gregorian year`},
		{"1404/10/18 میلادی", `it is marked Gregorian ("میلادی") but 1404 is a Jalali year`},
		{"2026-01-08 ه.ش", `it is marked Jalali ("ش") but 2026 is a Gregorian year`},
		{"1404 ش میلادی", `it is marked both Jalali ("ش") and Gregorian ("میلادی")`},
		{"18 دی بهمن 1404", `it names two months, "دی" and "بهمن"`},
		{"۱۵ رجب ۱۴۴۷ ه.ق", `"رجب" is not a month name or another word used in dates`},
		{"۱۴۴۷ قمری", "lunar Hijri (قمری) dates are not supported; give the date in the Solar Hijri or Gregorian calendar"},
		{"2026-01-08T25:99", `it has "25:99" where a time of day could follow the date`},
		{"10:30", "it is a time of day without a date"},
		{"2026-01-08 #3", `it contains '#', which has no place in a date`},
		{"th 8 Jan 2026", `"th" is not a month name or another word used in dates`},
		{"سه 8 Jan 2026", `"سه" is not a weekday`},
		{"123456789", "the number 123456789 is too long to be part of a date"},
		{"2026/01/08/", ""}, // a trailing separator is harmless
	}
	for _, tt := range tests {
		d, err := ParseDate(tt.in)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("ParseDate(%q): %v", tt.in, err)
			}
			continue
		}
		var de *DateError
		if !errors.As(err, &de) {
			t.Errorf("ParseDate(%q) = %v, %v; want a *DateError", tt.in, d, err)
			continue
		}
		if de.Input != tt.in || de.Reason != tt.reason {
			t.Errorf("ParseDate(%q):\n got %q: %q\nwant %q: %q", tt.in, de.Input, de.Reason, tt.in, tt.reason)
		}
		if !strings.HasPrefix(err.Error(), `"`) || !strings.Contains(err.Error(), " is not a date: ") {
			t.Errorf("ParseDate(%q): message %q does not quote the input", tt.in, err)
		}
		if !d.IsZero() {
			t.Errorf("ParseDate(%q) returned %v with an error", tt.in, d)
		}
	}
}

func TestParseYear(t *testing.T) {
	tests := []struct {
		in      string
		year    int
		written Calendar
		err     string
	}{
		{"1375", 1996, Jalali, ""},
		{"۱۳۷۵", 1996, Jalali, ""},
		{"١٣٧٥", 1996, Jalali, ""},
		{"1996", 1996, Gregorian, ""},
		{"1375 ش", 1996, Jalali, ""},
		{"۱۳۷۵ ه.ش", 1996, Jalali, ""},
		{"1375ش", 1996, Jalali, ""},
		{"1996 م", 1996, Gregorian, ""},
		{"۱۹۹۶ میلادی", 1996, Gregorian, ""},
		{"سال ۱۳۷۵", 1996, Jalali, ""},
		{" 1200 ", 1821, Jalali, ""},
		{"1499", 2120, Jalali, ""},
		{"1800", 1800, Gregorian, ""},
		{"2199", 2199, Gregorian, ""},
		{"", 0, 0, `"" is not a year: it is empty`},
		{"75", 0, 0, `"75" is not a year: two-digit year 75 is ambiguous; write the year with four digits`},
		{"1199", 0, 0, `"1199" is not a year: year 1199 is in neither accepted range (1200–1499 Jalali, 1800–2199 Gregorian)`},
		{"1500", 0, 0, `"1500" is not a year: year 1500 is in neither accepted range (1200–1499 Jalali, 1800–2199 Gregorian)`},
		{"2200", 0, 0, `"2200" is not a year: year 2200 is in neither accepted range (1200–1499 Jalali, 1800–2199 Gregorian)`},
		{"1996 ش", 0, 0, `"1996 ش" is not a year: it is marked Jalali ("ش") but 1996 is a Gregorian year`},
		{"1375/01/01", 0, 0, `"1375/01/01" is not a year: it has 3 numbers; a year is one number such as 1375 or 1996`},
		{"دی 1375", 0, 0, `"دی 1375" is not a year: it names a month; a year is a number such as 1375 or 1996`},
		{"abc", 0, 0, `"abc" is not a year: "abc" is not a month name or another word used in dates`},
	}
	for _, tt := range tests {
		year, written, err := ParseYear(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseYear(%q) error:\n got %v\nwant %s", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || year != tt.year || written != tt.written {
			t.Errorf("ParseYear(%q) = %d, %v, %v; want %d, %v", tt.in, year, written, err, tt.year, tt.written)
		}
	}
}

// FuzzParseDate checks that ParseDate never panics and that every date it
// returns is a real Gregorian date, full or partial, in the years the
// accepted ranges map to.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"1404/10/18", "۱۴۰۴/۱۰/۱۸", "18/10/1404", "2026-01-08T10:00:00Z", "8. März 2026",
		"1er février 2026", "Jan 8, 2026", "پنجشنبه ۱۸ دی‌ماه ۱۴۰۴ ه.ش", "12/05/26", "0/0/0",
		"20260108", "1404/12/30", "دی ۱۴۰۴", "۱ ژوئیه ۲۰۲۶", "2026-01-08 10:30 PM", "سه شنبه",
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, monthFirst bool) {
		d, err := ParseDateWith(s, DateOptions{MonthFirst: monthFirst})
		if err != nil {
			var de *DateError
			if !errors.As(err, &de) || de.Input != s || de.Reason == "" {
				t.Fatalf("ParseDate(%q): error %#v", s, err)
			}
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with error %v", s, d, err)
			}
			return
		}
		if d.Year < minGregorian || d.Year > maxGregorian {
			t.Fatalf("ParseDate(%q) = %v: year out of range", s, d)
		}
		if d.Written != Gregorian && d.Written != Jalali {
			t.Fatalf("ParseDate(%q) = %v: Written = %v", s, d, d.Written)
		}
		switch {
		case d.Month == 0:
			if d.Day != 0 {
				t.Fatalf("ParseDate(%q) = %#v: a day without a month", s, d)
			}
		case d.Month < 1 || d.Month > 12:
			t.Fatalf("ParseDate(%q) = %#v: no such month", s, d)
		case d.Day < 0 || d.Day > gregorianMonthDays(d.Year, d.Month):
			t.Fatalf("ParseDate(%q) = %#v: no such day", s, d)
		}
	})
}
