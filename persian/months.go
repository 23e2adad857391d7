package persian

import "strings"

// jalaliMonths holds the Jalali months: the Persian name, the Latin name
// used in error messages, and the other spellings people write.
var jalaliMonths = [12]struct {
	persian, latin string
	variants       string
}{
	{"فروردین", "Farvardin", "farvardeen farwardin"},
	{"اردیبهشت", "Ordibehesht", "ordibehest ordibehesh ordibeheshet ardibehesht urdibihisht"},
	{"خرداد", "Khordad", "khordaad khurdad khordâd xordad"},
	{"تیر", "Tir", "teer"},
	{"مرداد", "Mordad", "امرداد mordaad amordad amordaad murdad"},
	{"شهریور", "Shahrivar", "shahriwar shahrivur sharivar shahrewar shahrivar"},
	{"مهر", "Mehr", "mihr mehar"},
	{"آبان", "Aban", "abaan aaban"},
	{"آذر", "Azar", "aazar azer adar adhar"},
	{"دی", "Dey", "dei dee"},
	{"بهمن", "Bahman", "bahmann bahaman"},
	{"اسفند", "Esfand", "esfend isfand espand asfand esphand"},
}

// JalaliMonthName returns the Persian name of Jalali month m (1 = فروردین),
// or "" if there is no such month.
func JalaliMonthName(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return jalaliMonths[m-1].persian
}

// jalaliMonthLatin returns the Latin name of Jalali month m for messages.
func jalaliMonthLatin(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return jalaliMonths[m-1].latin
}

// gregorianMonths lists, for each Gregorian month, its names and
// abbreviations in English, German and French and its Persian names.
// Spellings without accents (fevrier, aout, maerz) are listed because
// people type them so.
var gregorianMonths = [12]string{
	"january jan januar jänner jan janvier janv ژانویه ژانوئیه",
	"february feb februar feber février fevrier févr fevr فوریه",
	"march mar march märz maerz mrz mars مارس مارچ",
	"april apr avril avr آوریل اپریل",
	"may mai مه می",
	"june jun juni juin ژوئن ژوئن جون",
	"july jul juli juillet juil ژوئیه ژوییه جولای",
	"august aug août aout اوت آگوست آگست",
	"september sep sept septembre سپتامبر",
	"october oct oktober okt octobre اکتبر",
	"november nov novembre نوامبر",
	"december dec dezember dez décembre decembre déc دسامبر",
}

// gregorianMonthName returns the English name of Gregorian month m.
func gregorianMonthName(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	name, _, _ := strings.Cut(gregorianMonths[m-1], " ")
	return strings.ToUpper(name[:1]) + name[1:]
}

// wordKind says what a word in a date means.
type wordKind int

const (
	wordFiller       wordKind = iota + 1 // روز, ماه, سال, weekdays: ignored
	wordOrdinal                          // "th", "er", "ام" after a day: ignored
	wordWeekdayCount                     // یک, دو, … in "سه شنبه": ignored before شنبه
	wordNeutral                          // ه, هجری: "Hijri" without saying which
	wordMonth                            // a month name; cal says which calendar
	wordMarker                           // marks the calendar: ش, میلادی, AD
	wordLunar                            // lunar Hijri (قمری), which Peyvand does not read
)

type wordInfo struct {
	kind  wordKind
	month int
	cal   Calendar
}

// dateWords maps the folded form (see Fold) of every word ParseDate knows
// to its meaning. It is built once and never changed.
var dateWords = buildDateWords()

func buildDateWords() map[string]wordInfo {
	m := make(map[string]wordInfo)
	add := func(words string, info wordInfo) {
		for _, w := range strings.Fields(words) {
			k := Fold(w)
			if old, ok := m[k]; ok && old != info {
				panic("persian: date word " + w + " has two meanings")
			}
			m[k] = info
		}
	}
	for i, jm := range jalaliMonths {
		add(jm.persian+" "+jm.latin+" "+jm.variants, wordInfo{kind: wordMonth, month: i + 1, cal: Jalali})
	}
	for i, names := range gregorianMonths {
		add(names, wordInfo{kind: wordMonth, month: i + 1, cal: Gregorian})
	}
	add(`روز ماه سال تاریخ مورخ مورخه the of le den der
		شنبه یکشنبه دوشنبه سه‌شنبه چهارشنبه پنجشنبه جمعه آدینه
		monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri saturday sat sunday sun
		montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di mi do fr sa so
		lundi mardi mercredi jeudi vendredi samedi dimanche`, wordInfo{kind: wordFiller})
	add("st nd rd th er ام", wordInfo{kind: wordOrdinal})
	add("یک دو سه چهار پنج", wordInfo{kind: wordWeekdayCount})
	add("ه هجری hijri", wordInfo{kind: wordNeutral})
	add("ش شمسی خورشیدی هش jalali shamsi ap sh hs", wordInfo{kind: wordMarker, cal: Jalali})
	add("م میلادی ad ce gregorian", wordInfo{kind: wordMarker, cal: Gregorian})
	add("ق قمری هق ah qamari", wordInfo{kind: wordLunar})
	return m
}

// lookupDateWord returns the meaning of a folded word. A month name may
// carry ماه joined to it, as in دیماه.
func lookupDateWord(w string) (wordInfo, bool) {
	if info, ok := dateWords[w]; ok {
		return info, true
	}
	if base, ok := strings.CutSuffix(w, "ماه"); ok && base != "" {
		if info, ok := dateWords[base]; ok && info.kind == wordMonth {
			return info, true
		}
	}
	return wordInfo{}, false
}
