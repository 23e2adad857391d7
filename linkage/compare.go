package linkage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"peyvand/names"
	"peyvand/persian"
)

// missing is the gamma level of a pair where either value is missing: it
// contributes neither agreement nor disagreement (weight 0).
const missing = -1

// value is a field value prepared once per record, so comparing a pair does
// not parse or fold again.
type value struct {
	s      string   // compared form; "" when missing
	keys   []string // phonetic keys (name)
	parts  []string // keys of a compound given name's two parts (name)
	coarse string   // names.CoarseKey of the first key (name)
	rs     []rune   // s as runes when it is not ASCII, for Jaro–Winkler
	num    float64  // number, year, or days since 1970 (date)
	slack  float64  // how far num may be off by its source's own account (a rounded age)
	hasNum bool
	arabic bool
	// alts are the prepared values of a value that lists several
	// (Comparison.AnyOf); the fields above are then those of the first,
	// except s (all of them) and keys (all of theirs, the first's first).
	alts []value
}

// each calls fn with every value v lists: its alternatives, or v itself.
func (v *value) each(fn func(*value)) {
	if v.alts == nil {
		fn(v)
		return
	}
	for i := range v.alts {
		fn(&v.alts[i])
	}
}

// withRunes keeps the runes of a non-ASCII compared form, so that
// Jaro–Winkler never converts it again.
func withRunes(v value) value {
	if !names.IsASCII(v.s) {
		v.rs = []rune(v.s)
	}
	return v
}

// jaroWinkler compares two prepared values without allocating.
func jaroWinkler(a, b *value) float64 {
	if a.rs == nil && b.rs == nil {
		return names.JaroWinkler(a.s, b.s)
	}
	ra, rb := a.rs, b.rs
	if ra == nil {
		ra = []rune(a.s)
	}
	if rb == nil {
		rb = []rune(b.s)
	}
	return names.JaroWinklerRunes(ra, rb)
}

// prepare turns a raw field value into the form its comparison reads.
func prepare(c Comparison, raw string) value {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return value{}
	}
	if c.AnyOf && strings.Contains(raw, AnyOfSeparator) {
		return prepareAnyOf(c, raw)
	}
	switch c.Kind {
	case KindName:
		s := strings.Join(names.Tokens(raw), " ")
		if s == "" {
			return value{}
		}
		v := value{s: s, keys: names.Keys(raw), arabic: persian.HasArabicScript(raw)}
		if len(v.keys) > 0 {
			v.coarse = names.CoarseKey(v.keys[0])
		}
		if ck := names.CompoundKeys(raw); len(ck) == 3 {
			v.parts = ck[1:]
		}
		return withRunes(v)
	case KindNumeric:
		f, err := strconv.ParseFloat(persian.Digits(raw), 64)
		if err != nil {
			return value{}
		}
		return value{s: strconv.FormatFloat(f, 'g', -1, 64), num: f, hasNum: true}
	case KindYear:
		raw, slack := splitSlack(raw)
		y, ok := parseYear(raw)
		if !ok {
			return value{}
		}
		s := strconv.Itoa(y)
		if slack > 0 {
			s += "±" + strconv.Itoa(slack)
		}
		return value{s: s, num: float64(y), slack: float64(slack), hasNum: true}
	case KindDate:
		return prepareDate(raw)
	case KindIDOneOff:
		return value{s: strings.Map(keepAlnum, strings.ToUpper(persian.Digits(raw)))}
	case KindJaroWinkler:
		return withRunes(value{s: persian.Fold(raw)})
	default:
		return value{s: persian.Fold(raw)}
	}
}

// prepareAnyOf prepares each value raw lists, leaving out the empty and
// the repeated; one left is prepared as a single value.
func prepareAnyOf(c Comparison, raw string) value {
	c.AnyOf = false
	var alts []value
	var forms []string
	for _, part := range strings.Split(raw, AnyOfSeparator) {
		v := prepare(c, part)
		if v.s == "" || slices.Contains(forms, v.s) {
			continue
		}
		alts = append(alts, v)
		forms = append(forms, v.s)
	}
	switch len(alts) {
	case 0:
		return value{}
	case 1:
		return alts[0]
	}
	v := alts[0]
	v.s = strings.Join(forms, AnyOfSeparator)
	v.keys = nil
	for _, a := range alts {
		for _, k := range a.keys {
			if !slices.Contains(v.keys, k) {
				v.keys = append(v.keys, k)
			}
		}
	}
	v.alts = alts
	return v
}

func keepAlnum(r rune) rune {
	if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
		return r
	}
	return -1
}

// splitSlack reads a year written with its own uncertainty, "1991±2" (a
// birth year derived from a rounded age), into the year and the slack; a
// year without one has slack 0.
func splitSlack(raw string) (string, int) {
	y, pm, ok := strings.Cut(raw, "±")
	if !ok {
		return raw, 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(persian.Digits(pm)))
	if err != nil || n < 0 || n > 50 {
		return y, 0
	}
	return strings.TrimSpace(y), n
}

// yearOf is raw without its slack.
func yearOf(raw string) string {
	y, _ := splitSlack(raw)
	return y
}

// parseYear reads a bare year or the year of any date persian.ParseDate reads.
func parseYear(raw string) (int, bool) {
	d := persian.Digits(raw)
	if y, err := strconv.Atoi(d); err == nil && y >= 1000 && y <= 2999 {
		if y < 1500 { // a bare Jalali year, as ParseDate reads it
			if dt, err := persian.ParseDate(d); err == nil {
				return dt.Year, true
			}
		}
		return y, true
	}
	dt, err := persian.ParseDate(raw)
	if err != nil {
		return 0, false
	}
	return dt.Year, true
}

// prepareDate keeps the canonical digits YYYYMMDD for the exact and typo
// levels and the day number for the tolerance levels. A date that does not
// parse (a typo in 19151311) keeps its digits, so a typo still counts.
func prepareDate(raw string) value {
	dt, err := persian.ParseDate(raw)
	if err != nil {
		s := strings.Map(keepAlnum, persian.Digits(raw))
		return value{s: s}
	}
	v := value{s: fmt.Sprintf("%04d%02d%02d", dt.Year, dt.Month, dt.Day)}
	if dt.Day > 0 {
		t := time.Date(dt.Year, time.Month(dt.Month), dt.Day, 0, 0, 0, 0, time.UTC)
		v.num, v.hasNum = float64(t.Unix()/86400), true
	}
	return v
}

// levels returns the number of gamma levels of c.
func (c Comparison) levels() int {
	switch c.Kind {
	case KindJaroWinkler:
		return len(c.Thresholds) + 2
	case KindName:
		return len(c.Thresholds) + 3
	case KindNumeric, KindYear:
		return len(c.Tolerances) + 2
	case KindDate:
		if c.NoTypo {
			return len(c.Tolerances) + 2
		}
		return len(c.Tolerances) + 3
	case KindIDOneOff:
		return 3
	default:
		return 2
	}
}

// levelLabels names the levels of c, index = level, for explanations.
func (c Comparison) levelLabels() []string {
	n := c.levels()
	l := make([]string, n)
	l[0], l[n-1] = "different", "exact"
	switch c.Kind {
	case KindJaroWinkler, KindName:
		for i, t := range c.Thresholds {
			l[len(c.Thresholds)-i] = fmt.Sprintf("jaro-winkler>=%g", t)
		}
		if c.Kind == KindName {
			l[n-2] = "same name key"
		}
	case KindNumeric, KindYear:
		for i, t := range c.Tolerances {
			l[n-2-i] = fmt.Sprintf("within %g", t)
		}
	case KindDate:
		top := n - 2
		if !c.NoTypo {
			l[top], top = "one digit off", top-1
		}
		for i, t := range c.Tolerances {
			l[top-i] = fmt.Sprintf("within %g days", t)
		}
	case KindIDOneOff:
		l[1] = "one digit off"
	}
	return l
}

// level grades a pair of prepared values: the comparison level γ of the
// Fellegi–Sunter model, from 0 (different) to levels()-1 (exact), or missing.
func (c Comparison) level(a, b *value) int {
	if a.s == "" || b.s == "" {
		return missing
	}
	if a.alts != nil || b.alts != nil {
		best := 0
		a.each(func(x *value) {
			b.each(func(y *value) { best = max(best, c.level(x, y)) })
		})
		return best
	}
	n := c.levels()
	if a.s == b.s {
		return n - 1
	}
	switch c.Kind {
	case KindJaroWinkler:
		return jwLevel(c.Thresholds, jaroWinkler(a, b), 1)
	case KindName:
		if sharesKey(a.keys, b.keys) {
			return n - 2
		}
		var l int
		if a.arabic != b.arabic && len(a.keys) > 0 && len(b.keys) > 0 {
			// Letters of two scripts never agree; their keys can.
			l = jwLevel(c.Thresholds, names.JaroWinkler(a.keys[0], b.keys[0]), 1)
		} else {
			l = jwLevel(c.Thresholds, jaroWinkler(a, b), 1)
		}
		if partOf(a, b) || partOf(b, a) {
			// Lists often give one part of a compound given name:
			// Reza Hosseini for Mohammadreza Hosseini. But brothers
			// are called Mohammad and Mohammadreza too, so it is the
			// weakest agreement, not a spelling of the same name.
			l = max(l, 1)
		}
		if a.coarse != "" && a.coarse == b.coarse && !(a.arabic && b.arabic) {
			// Spellings that differ only in classes romanisations
			// confuse (Marjam, Maryam) count as the closest spelling.
			// Two spellings in Persian script are not romanisations:
			// ظ and س are never one letter, so کاظمی and قاسمی,
			// equal under the coarse key, are two names.
			l = max(l, n-3)
		}
		return l
	case KindNumeric, KindYear:
		return tolLevel(c.Tolerances, a, b, n-2)
	case KindDate:
		if c.NoTypo {
			return tolLevel(c.Tolerances, a, b, n-2)
		}
		if oneOff(a.s, b.s) || swappedDayMonth(a.s, b.s) {
			return n - 2
		}
		return tolLevel(c.Tolerances, a, b, n-3)
	case KindIDOneOff:
		if oneOff(a.s, b.s) {
			return 1
		}
	}
	return 0
}

// jwLevel maps a similarity to the level of the highest threshold it reaches;
// the lowest threshold has level base.
func jwLevel(th []float64, sim float64, base int) int {
	for i, t := range th {
		if sim >= t {
			return base + len(th) - 1 - i
		}
	}
	return 0
}

func tolLevel(tol []float64, a, b *value, top int) int {
	if !a.hasNum || !b.hasNum {
		return 0
	}
	d := a.num - b.num
	if d < 0 {
		d = -d
	}
	// A value that may be off by its slack is as close as its nearest
	// possible reading.
	d = max(0, d-a.slack-b.slack)
	for i, t := range tol {
		if d <= t {
			return top - i
		}
	}
	return 0
}

// partOf reports whether name a, not itself a compound, is one part of
// compound b.
func partOf(a, b *value) bool {
	if a.parts != nil || len(a.keys) == 0 {
		return false
	}
	for _, p := range b.parts {
		if p == a.keys[0] {
			return true
		}
	}
	return false
}

func sharesKey(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// oneOff reports whether a and b differ by one substituted, inserted or
// deleted character, or two swapped adjacent characters: the typing errors
// of an ID or date (Damerau 1964).
func oneOff(a, b string) bool {
	if len(a) == len(b) {
		diff := -1
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					return diff == i-1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a) != len(b)+1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	return a[i+1:] == b[i:]
}

// swappedDayMonth reports YYYYMMDD dates with day and month exchanged.
func swappedDayMonth(a, b string) bool {
	return len(a) == 8 && len(b) == 8 && a[:4] == b[:4] && a[4:6] == b[6:8] && a[6:8] == b[4:6]
}
