package persian

import "fmt"

// calendar returns the calendar of a year as written, checking it against
// the calendar marker and the month name if the date has them.
func (p *dateTokens) calendar(year number) (Calendar, string) {
	var cal Calendar
	switch {
	case len(year.text) == 2:
		return 0, fmt.Sprintf("two-digit year %s is ambiguous; write the year with four digits", year.text)
	case len(year.text) != 4:
		return 0, fmt.Sprintf("year %s must have four digits", year.text)
	case year.val >= minJalali && year.val <= maxJalali:
		cal = Jalali
	case year.val >= minGregorian && year.val <= maxGregorian:
		cal = Gregorian
	default:
		return 0, fmt.Sprintf("year %d is in neither accepted range (%d–%d Jalali, %d–%d Gregorian)",
			year.val, minJalali, maxJalali, minGregorian, maxGregorian)
	}
	if p.marker != 0 && p.marker != cal {
		return 0, fmt.Sprintf("it is marked %s (%q) but %d is a %s year", p.marker, p.markerWord, year.val, cal)
	}
	if p.hasMonth && p.month.cal != cal {
		return 0, fmt.Sprintf("%q is a %s month but %d is a %s year", p.monthWord, p.month.cal, year.val, cal)
	}
	return cal, ""
}

// resolveNamed reads a date with a month name: a year and maybe a day.
func (p *dateTokens) resolveNamed() (Date, string) {
	var year, day number
	switch n := p.nums; len(n) {
	case 0:
		return Date{}, "it has a month but no year"
	case 1:
		if len(n[0].text) <= 2 {
			return Date{}, fmt.Sprintf("it has no four-digit year (%s is a day or a two-digit year)", n[0].text)
		}
		year = n[0]
	case 2:
		switch a, b := n[0], n[1]; {
		case len(a.text) == 4 && len(b.text) <= 2:
			year, day = a, b
		case len(b.text) == 4 && len(a.text) <= 2:
			year, day = b, a
		case len(a.text) <= 2 && len(b.text) <= 2:
			year, day = b, a
		default:
			return Date{}, fmt.Sprintf("cannot tell the day from the year in %s and %s", a.text, b.text)
		}
	default:
		return Date{}, fmt.Sprintf("it has %d numbers besides the month; expected a day and a year", len(n))
	}
	cal, reason := p.calendar(year)
	if reason != "" {
		return Date{}, reason
	}
	return build(cal, year.val, p.month.month, day)
}

// resolveNumeric reads a date written with numbers only.
func (p *dateTokens) resolveNumeric(opt DateOptions) (Date, string) {
	n := p.nums
	var year, month, day number
	switch len(n) {
	case 0:
		return Date{}, "it has no numbers"
	case 1:
		switch len(n[0].text) {
		case 8: // YYYYMMDD, as databases and file names write dates
			t := n[0].text
			year, month, day = digits(t[:4]), digits(t[4:6]), digits(t[6:])
		case 4:
			year = n[0]
		case 1, 2:
			return p.yearOnly(n[0])
		default:
			return Date{}, fmt.Sprintf("%s has %d digits; write a date as year/month/day", n[0].text, len(n[0].text))
		}
	case 2:
		switch {
		case len(n[0].text) == 4:
			year, month = n[0], n[1]
		case len(n[1].text) == 4:
			year, month = n[1], n[0]
		default:
			return p.yearOnly(n[1])
		}
	case 3:
		switch {
		case len(n[0].text) == 4:
			year, month, day = n[0], n[1], n[2]
		case len(n[2].text) == 4:
			year = n[2]
			cal, reason := p.calendar(year)
			if reason != "" {
				return Date{}, reason
			}
			day, month = dayMonthOrder(n[0], n[1], cal, opt)
		case len(n[1].text) == 4:
			return Date{}, "the year must come first or last"
		default:
			return p.yearOnly(n[2])
		}
	default:
		return Date{}, fmt.Sprintf("it has %d numbers; a date has at most three", len(n))
	}
	if len(month.text) > 2 {
		return Date{}, fmt.Sprintf("month %s has too many digits", month.text)
	}
	if len(day.text) > 2 {
		return Date{}, fmt.Sprintf("day %s has too many digits", day.text)
	}
	cal, reason := p.calendar(year)
	if reason != "" {
		return Date{}, reason
	}
	if month.text == "" {
		return build(cal, year.val, 0, number{})
	}
	if month.val < 1 || month.val > 12 {
		return Date{}, fmt.Sprintf("month %d does not exist", month.val)
	}
	return build(cal, year.val, month.val, day)
}

// yearOnly returns the error for a date whose would-be year n is not a
// four-digit number.
func (p *dateTokens) yearOnly(n number) (Date, string) {
	_, reason := p.calendar(n)
	if reason == "" {
		reason = "it has no four-digit year"
	}
	return Date{}, reason
}

func digits(t string) number {
	v := 0
	for _, c := range t {
		v = 10*v + int(c-'0')
	}
	return number{text: t, val: v}
}

// dayMonthOrder decides which of the first two numbers of a year-last date
// is the day. Day first is the rule in Iran and Europe; month first is
// taken when only it makes sense (01/18/2026), or when the caller says the
// source writes American dates.
func dayMonthOrder(a, b number, cal Calendar, opt DateOptions) (day, month number) {
	switch {
	case b.val > 12 && a.val <= 12:
		return b, a
	case a.val > 12:
		return a, b
	case cal == Gregorian && opt.MonthFirst:
		return b, a
	}
	return a, b
}

// build returns the Gregorian Date for year y, month m (0: unknown) and
// day (empty text: unknown) in calendar cal, or why there is no such date.
func build(cal Calendar, y, m int, day number) (Date, string) {
	switch {
	case m == 0 && cal == Jalali:
		return Date{Year: y + jalaliEpochOffset, Written: Jalali}, ""
	case m == 0:
		return Date{Year: y, Written: Gregorian}, ""
	case day.text != "" && day.val == 0:
		return Date{}, "day 0 does not exist"
	case cal == Gregorian:
		if reason := checkGregorian(y, m, day.val); reason != "" {
			return Date{}, reason
		}
		return Date{Year: y, Month: m, Day: day.val, Written: Gregorian}, ""
	}
	if reason := checkJalali(y, m, day.val); reason != "" {
		return Date{}, reason
	}
	if day.text == "" {
		// The Gregorian month that holds the middle of the Jalali month
		// holds most of it: Jalali months start between the 19th and the
		// 23rd of a Gregorian month.
		gy, gm, _, err := JalaliToGregorian(y, m, 15)
		if err != nil {
			return Date{}, err.(*DateError).Reason
		}
		return Date{Year: gy, Month: gm, Written: Jalali}, ""
	}
	gy, gm, gd, err := JalaliToGregorian(y, m, day.val)
	if err != nil {
		return Date{}, err.(*DateError).Reason
	}
	return Date{Year: gy, Month: gm, Day: gd, Written: Jalali}, ""
}
