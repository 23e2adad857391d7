package persian

import (
	"fmt"
	"strconv"
	"time"

	jalaali "github.com/jalaali/go-jalaali"
)

// Calendar says in which calendar a date was written.
type Calendar int

// The calendars lists are written in.
const (
	Gregorian Calendar = iota + 1
	Jalali             // Solar Hijri (هجری شمسی), Iran's civil calendar
)

// String returns "Gregorian" or "Jalali".
func (c Calendar) String() string {
	switch c {
	case Gregorian:
		return "Gregorian"
	case Jalali:
		return "Jalali"
	}
	return "Calendar(" + strconv.Itoa(int(c)) + ")"
}

// Date is a civil date in the (proleptic) Gregorian calendar, possibly
// partial, because lists often know only the month or the year of an
// arrest or a death: Month == 0 means only the year is known; Day == 0
// means only the year and month are known. Written records the calendar
// the input used, so that a date can be shown back the way it was typed.
type Date struct {
	Year, Month, Day int
	Written          Calendar
}

// String returns the ISO 8601 form: "2026-01-08", "2026-01", "2026", or ""
// for the zero Date.
func (d Date) String() string {
	switch {
	case d.Year == 0 && d.Month == 0 && d.Day == 0:
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Date, which stands for "unknown".
func (d Date) IsZero() bool { return d == Date{} }

// DateError reports input that is not a date (or, from ParseYear, not a
// year), with the reason in words a person fixing the list can act on.
type DateError struct {
	Input  string // the input as given
	Reason string // what is wrong, e.g. "month 13 does not exist"
	what   string // "date" or "year"; "" means "date"
}

// Error returns the reason with the input quoted, e.g.
// "1404/13/01" is not a date: month 13 does not exist.
func (e *DateError) Error() string {
	what := e.what
	if what == "" {
		what = "date"
	}
	return fmt.Sprintf("%q is not a %s: %s", e.Input, what, e.Reason)
}

// The years the conversions accept: the Jalali years that go-jalaali's
// break table covers from year 1, and the Gregorian years whose every day
// falls in one of them.
const (
	minJalaliYear    = 1
	maxJalaliYear    = 3177
	minGregorianYear = minJalaliYear + 622
	maxGregorianYear = maxJalaliYear + 621
)

// JalaliToGregorian converts a Jalali date to the Gregorian calendar. An
// impossible date, such as 1404/12/30 (1404 is not a leap year), is an
// error that says why.
func JalaliToGregorian(y, m, d int) (gy, gm, gd int, err error) {
	if reason := checkJalali(y, m, d); reason != "" || d == 0 {
		if reason == "" {
			reason = "day 0 does not exist"
		}
		return 0, 0, 0, &DateError{Input: fmt.Sprintf("%d/%02d/%02d", y, m, d), Reason: reason}
	}
	g, month, day, err := jalaali.ToGregorian(y, jalaali.Month(m), d)
	if err != nil {
		return 0, 0, 0, &DateError{Input: fmt.Sprintf("%d/%02d/%02d", y, m, d), Reason: err.Error()}
	}
	return g, int(month), day, nil
}

// GregorianToJalali converts a Gregorian date to the Jalali calendar. An
// impossible date, such as 2026-02-29, is an error that says why.
func GregorianToJalali(y, m, d int) (jy, jm, jd int, err error) {
	if reason := checkGregorian(y, m, d); reason != "" || d == 0 {
		if reason == "" {
			reason = "day 0 does not exist"
		}
		return 0, 0, 0, &DateError{Input: fmt.Sprintf("%04d-%02d-%02d", y, m, d), Reason: reason}
	}
	j, month, day, err := jalaali.ToJalaali(y, time.Month(m), d)
	if err != nil {
		return 0, 0, 0, &DateError{Input: fmt.Sprintf("%04d-%02d-%02d", y, m, d), Reason: err.Error()}
	}
	return j, int(month), day, nil
}

// checkJalali returns why y/m/d is not a Jalali date, or "" if it is one.
// A zero day is checked only as far as year and month.
func checkJalali(y, m, d int) string {
	if y < minJalaliYear || y > maxJalaliYear {
		return fmt.Sprintf("Jalali year %d is outside the supported range %d–%d", y, minJalaliYear, maxJalaliYear)
	}
	if m < 1 || m > 12 {
		return fmt.Sprintf("month %d does not exist", m)
	}
	if d < 0 {
		return fmt.Sprintf("day %d does not exist", d)
	}
	n := jalaliMonthDays(y, m)
	if d > n {
		name := jalaliMonthLatin(m)
		reason := fmt.Sprintf("day %d does not exist in Jalali month %d (%s) of %d: %s %d has %d days", d, m, name, y, name, y, n)
		if m == 12 && d == 30 {
			reason += fmt.Sprintf(" (%d is not a leap year)", y)
		}
		return reason
	}
	return ""
}

// checkGregorian returns why y-m-d is not a Gregorian date, or "" if it is
// one. A zero day is checked only as far as year and month.
func checkGregorian(y, m, d int) string {
	if y < minGregorianYear || y > maxGregorianYear {
		return fmt.Sprintf("Gregorian year %d is outside the supported range %d–%d", y, minGregorianYear, maxGregorianYear)
	}
	if m < 1 || m > 12 {
		return fmt.Sprintf("month %d does not exist", m)
	}
	if d < 0 {
		return fmt.Sprintf("day %d does not exist", d)
	}
	n := gregorianMonthDays(y, m)
	if d > n {
		name := gregorianMonthName(m)
		reason := fmt.Sprintf("day %d does not exist in %s %d: %s %d has %d days", d, name, y, name, y, n)
		if m == 2 && d == 29 {
			reason += fmt.Sprintf(" (%d is not a leap year)", y)
		}
		return reason
	}
	return ""
}

func jalaliMonthDays(y, m int) int {
	n, err := jalaali.MonthLength(y, m)
	if err != nil {
		// Unreachable for the years checkJalali accepts.
		panic(err)
	}
	return n
}

func gregorianMonthDays(y, m int) int {
	// Day 0 of the next month is the last day of this one.
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// FormatJalali formats a full Gregorian date as the Jalali date
// "1404/10/18". A partial date is returned as String() returns it: a
// Gregorian month or year does not coincide with any Jalali one, and
// showing one as the other would misstate what the source said.
func FormatJalali(d Date) string {
	if d.Month == 0 || d.Day == 0 {
		return d.String()
	}
	jy, jm, jd, err := GregorianToJalali(d.Year, d.Month, d.Day)
	if err != nil {
		return d.String()
	}
	return fmt.Sprintf("%04d/%02d/%02d", jy, jm, jd)
}

// FormatJalaliPersian is FormatJalali with Persian digits: "۱۴۰۴/۱۰/۱۸".
func FormatJalaliPersian(d Date) string {
	return PersianDigits(FormatJalali(d))
}
