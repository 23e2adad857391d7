package peyvand

import (
	"strconv"
	"strings"
	"time"
)

// Date is a civil date in the Gregorian calendar that may be partial: lists
// often know only the month or the year of an arrest or a death. Month == 0
// means only the year is known; Day == 0 means the day is not known.
// Dates written in the Solar Hijri calendar are converted on import.
type Date struct {
	Year, Month, Day int
}

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.Year == 0 }

// String returns the ISO 8601 form: "2026-01-08", "2026-01", "2026", or "".
func (d Date) String() string {
	if d.Year == 0 {
		return ""
	}
	b := make([]byte, 0, 10)
	b = appendPadded(b, d.Year, 4)
	if d.Month != 0 {
		b = appendPadded(append(b, '-'), d.Month, 2)
		if d.Day != 0 {
			b = appendPadded(append(b, '-'), d.Day, 2)
		}
	}
	return string(b)
}

// appendPadded appends n with leading zeros to width digits; it is on the
// path of every imported row, where fmt.Sprintf was a measurable cost.
func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Valid reports whether the date is unknown or a real (partial) Gregorian date.
func (d Date) Valid() bool {
	switch {
	case d.Year == 0:
		return d.Month == 0 && d.Day == 0
	case d.Year < 1 || d.Year > 9999 || d.Month < 0 || d.Month > 12 || d.Day < 0:
		return false
	case d.Month == 0:
		return d.Day == 0
	case d.Day == 0:
		return true
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day
}

// Compare orders dates by their first possible day; an unknown date sorts
// before every known one. It returns -1, 0 or +1.
func (d Date) Compare(o Date) int {
	a := [3]int{d.Year, d.Month, d.Day}
	b := [3]int{o.Year, o.Month, o.Day}
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// ParseISODate reads the forms String writes ("2026-01-08", "2026-01",
// "2026", ""). It is for Peyvand's own files; people's input goes through
// the persian package, which reads the many forms people type.
func ParseISODate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return Date{}, Errorf(EINVALID, "%q is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || (i > 0 && len(p) != 2) {
			return Date{}, Errorf(EINVALID, "%q is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)", s)
		}
		n[i] = v
	}
	d := Date{Year: n[0], Month: n[1], Day: n[2]}
	if !d.Valid() {
		return Date{}, Errorf(EINVALID, "%q is not a real date", s)
	}
	return d, nil
}
