package persian

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The four-digit years ParseDate and ParseYear accept, and the calendar
// each range implies. The ranges do not overlap, so a year says by itself
// which calendar it belongs to; anything outside them is far more likely a
// typing error than a date in a record of living people.
const (
	minJalali, maxJalali       = 1200, 1499
	minGregorian, maxGregorian = 1800, 2199
)

// jalaliEpochOffset is the difference between a Jalali year and the
// Gregorian year in which most of it (from 1 Farvardin, around 21 March)
// falls.
const jalaliEpochOffset = 621

// DateOptions changes how ParseDateWith reads ambiguous input.
type DateOptions struct {
	// MonthFirst reads a Gregorian date whose first two numbers could
	// both be the month, such as 01/02/2026, as month/day/year (the
	// American order) instead of day/month/year. Jalali dates are always
	// day first, as Iranians write them.
	MonthFirst bool
}

// ParseDate reads a date as people type it and returns it in the Gregorian
// calendar, with Written saying which calendar the input used. It accepts:
//
//   - numbers separated by / - . or spaces, in Persian, Arabic-Indic or
//     ASCII digits: 1404/10/18, ۱۴۰۴/۱۰/۱۸, 18/10/1404, 2026-01-08,
//     08.01.2026, 01/18/2026; and eight digits as YYYYMMDD (20260108);
//   - a year and month (1404/10, 2026-01, 01/2026) or a year alone (1404);
//   - month names: Jalali months in Persian or Latin script (18 دی 1404,
//     18 Dey 1404), Gregorian months in English, German, French and
//     Persian (8 January 2026, Jan 8, 2026, 8. März 2026, 1er février
//     2026, ۸ ژانویه ۲۰۲۶);
//   - a time after the date, which is ignored (2026-01-08T10:00:00Z);
//   - weekday names and the words روز, ماه, سال, which are ignored, and
//     the calendar markers ه.ش, ش, شمسی (Jalali) and میلادی, م, AD
//     (Gregorian), which must agree with the year.
//
// The calendar follows from the year, which must have four digits:
// 1200–1499 is Jalali and 1800–2199 Gregorian. When the year comes last,
// the first number is the day unless only the order month/day makes sense
// (01/18/2026); see DateOptions for the remaining ambiguous cases.
//
// A Jalali year and month is returned as the Gregorian month that holds
// most of it (دی 1404 → 2026-01), a Jalali year alone as the Gregorian year
// that holds most of it (1404 → 2025); Date cannot hold the exact span.
//
// Anything else, including a two-digit year and an impossible date, is a
// *DateError that quotes the input and says what is wrong.
func ParseDate(s string) (Date, error) {
	return ParseDateWith(s, DateOptions{})
}

// ParseDateWith is ParseDate with options.
func ParseDateWith(s string, opt DateOptions) (Date, error) {
	p, reason := scanDate(s)
	if reason == "" {
		var d Date
		if p.hasMonth {
			d, reason = p.resolveNamed()
		} else {
			d, reason = p.resolveNumeric(opt)
		}
		if reason == "" {
			return d, nil
		}
	}
	return Date{}, &DateError{Input: s, Reason: reason}
}

// ParseYear reads a year, such as a birth year, in either calendar: "1375",
// "۱۳۷۵", "1996", "1375 ش", "1996 م", "سال ۱۳۷۵". A Jalali year Y is
// returned as the Gregorian year in which most of it falls, Y+621, with
// written == Jalali. Years outside 1200–1499 (Jalali) and 1800–2199
// (Gregorian) are errors.
func ParseYear(s string) (year int, written Calendar, err error) {
	fail := func(reason string) (int, Calendar, error) {
		return 0, 0, &DateError{Input: s, Reason: reason, what: "year"}
	}
	p, reason := scanDate(s)
	switch {
	case reason != "":
		return fail(reason)
	case p.hasMonth:
		return fail("it names a month; a year is a number such as 1375 or 1996")
	case len(p.nums) != 1:
		return fail(fmt.Sprintf("it has %d numbers; a year is one number such as 1375 or 1996", len(p.nums)))
	}
	cal, reason := p.calendar(p.nums[0])
	if reason != "" {
		return fail(reason)
	}
	year = p.nums[0].val
	if cal == Jalali {
		year += jalaliEpochOffset
	}
	return year, cal, nil
}

// number is a run of digits in a date, kept as written so that its length
// can tell a year from a day.
type number struct {
	text string
	val  int
}

// dateTokens is what scanDate finds in a date.
type dateTokens struct {
	nums       []number
	hasMonth   bool
	month      wordInfo
	monthWord  string
	marker     Calendar
	markerWord string
}

var (
	timeStart = regexp.MustCompile(`\d{1,2}:\d{2}`)
	timeOfDay = regexp.MustCompile(`^([01]?\d|2[0-4]):[0-5]\d(:([0-5]\d|60)([.,]\d+)?)? ?` +
		`([Zz]|UTC|GMT|[+-]\d{2}(:?\d{2})?|[AaPp]\.?[Mm]\.?|ق\.?ظ|ب\.?ظ)?$`)
)

// scanDate splits a normalised date into numbers and known words, or
// returns why it cannot.
func scanDate(s string) (dateTokens, string) {
	var p dateTokens
	t := Normalize(s)
	if t == "" {
		return p, "it is empty"
	}
	t, reason := cutTime(t)
	if reason != "" {
		return p, reason
	}
	afterNumber := false // an ordinal such as "th" may follow a number
	needShanbe := ""     // سه in "سه شنبه" must be followed by شنبه
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		switch {
		case isDigit(r):
			j := i
			for j < len(t) && isDigit(rune(t[j])) {
				j++
			}
			if needShanbe != "" {
				return p, fmt.Sprintf("%q is not a weekday", needShanbe)
			}
			if j-i > 8 {
				return p, fmt.Sprintf("the number %s is too long to be part of a date", t[i:j])
			}
			v, _ := strconv.Atoi(t[i:j])
			p.nums = append(p.nums, number{text: t[i:j], val: v})
			afterNumber = true
			i = j
		case isDateSeparator(r):
			i += size
		case unicode.IsLetter(r) || unicode.IsMark(r):
			j := i + size
			for j < len(t) {
				r, size := utf8.DecodeRuneInString(t[j:])
				if !unicode.IsLetter(r) && !unicode.IsMark(r) && r != zwnj && r != '\u200d' {
					break
				}
				j += size
			}
			raw := t[i:j]
			if reason := p.addWord(raw, afterNumber, &needShanbe); reason != "" {
				return p, reason
			}
			afterNumber = false
			i = j
		default:
			return p, fmt.Sprintf("it contains %q, which has no place in a date", r)
		}
	}
	if needShanbe != "" {
		return p, fmt.Sprintf("%q is not a weekday", needShanbe)
	}
	return p, ""
}

// addWord records the meaning of one word of a date.
func (p *dateTokens) addWord(raw string, afterNumber bool, needShanbe *string) string {
	w := Fold(raw)
	if *needShanbe != "" {
		if w != "شنبه" {
			return fmt.Sprintf("%q is not a weekday", *needShanbe+" "+raw)
		}
		*needShanbe = ""
		return ""
	}
	info, ok := lookupDateWord(w)
	if !ok || info.kind == wordOrdinal && !afterNumber {
		return fmt.Sprintf("%q is not a month name or another word used in dates", raw)
	}
	switch info.kind {
	case wordWeekdayCount:
		*needShanbe = raw
	case wordLunar:
		return "lunar Hijri (قمری) dates are not supported; give the date in the Solar Hijri or Gregorian calendar"
	case wordMarker:
		if p.marker != 0 && p.marker != info.cal {
			return fmt.Sprintf("it is marked both %s (%q) and %s (%q)", p.marker, p.markerWord, info.cal, raw)
		}
		p.marker, p.markerWord = info.cal, raw
	case wordMonth:
		if p.hasMonth {
			return fmt.Sprintf("it names two months, %q and %q", p.monthWord, raw)
		}
		p.hasMonth, p.month, p.monthWord = true, info, raw
	}
	return ""
}

// cutTime removes a time of day after the date ("T10:00:00Z", " 10:30",
// " ساعت ۱۰:۳۰") and a bare UTC marker ("2026-01-08Z").
func cutTime(t string) (string, string) {
	loc := timeStart.FindStringIndex(t)
	if loc == nil {
		if n := len(t); n > 1 && (t[n-1] == 'Z' || t[n-1] == 'z') && isDigit(rune(t[n-2])) {
			return t[:n-1], ""
		}
		return t, ""
	}
	head, clock := t[:loc[0]], t[loc[0]:]
	if !timeOfDay.MatchString(clock) || head != "" && isDigit(rune(head[len(head)-1])) {
		return "", fmt.Sprintf("it has %q where a time of day could follow the date", clock)
	}
	if n := len(head); n > 1 && (head[n-1] == 'T' || head[n-1] == 't') && isDigit(rune(head[n-2])) {
		head = head[:n-1]
	}
	head = strings.TrimRight(head, " ,")
	for _, w := range []string{"ساعت", "at", "um"} {
		if h, ok := strings.CutSuffix(head, " "+w); ok {
			head = strings.TrimRight(h, " ,")
			break
		}
	}
	if head == "" {
		return "", "it is a time of day without a date"
	}
	return head, ""
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// isDateSeparator reports whether r separates the parts of a date.
func isDateSeparator(r rune) bool {
	switch r {
	case ' ', '/', '-', '.', ',', '،', '\u060D', // Arabic date separator
		'\u2044', '\u2215', '\uFF0F', // fraction slash, division slash, full-width solidus
		'\u2212': // minus sign
		return true
	}
	return r >= '\u2010' && r <= '\u2015' // hyphens and dashes
}
