package ingest

import (
	"strings"

	"peyvand"
	"peyvand/persian"
)

// The words lists use for statuses and genders, in the languages of the
// people who write them: Persian, English, German, French (and PFIF's own
// status values). Keys are folded (persian.Fold, spaces removed), so case,
// accents, Arabic letter forms and spacing do not matter.
var statusWords = map[peyvand.Status][]string{
	peyvand.StatusKilled: {"کشته شد", "جان باخت", "جان‌باخت", "فوت کرد", "فوت شد", "درگذشت", "به قتل رسید", "به شهادت رسید", "کشته‌شد", "killed by security forces", "killed", "dead", "died", "deceased", "death", "murdered", "shot dead", "believed_dead",
		"کشته", "کشته شده", "جان باخته", "جانباخته", "جان‌باخته", "فوت", "فوت شده", "فوتی", "شهید", "کشته‌شده", "درگذشته", "متوفی", "جان سپرده",
		"getötet", "tot", "gestorben", "verstorben", "ermordet",
		"tué", "tue", "mort", "morte", "décédé", "décédée", "assassiné", "tuée",
		// The UN's and human-rights reports' terms.
		"killing", "unlawful killing", "extrajudicial killing", "extrajudicial execution", "arbitrary killing", "summary execution",
		"death in custody", "died in custody", "custodial death", "killed in custody",
		"tod in haft", "in haft gestorben", "außergerichtliche hinrichtung", "exécution extrajudiciaire", "mort en détention", "décès en détention"},
	peyvand.StatusExecuted: {"اعدام شد", "اعدام‌شد", "hanged", "put to death", "executed", "execution", "hanged",
		"اعدام", "اعدام شده", "اعدام‌شده", "به دار آویخته",
		"hingerichtet", "exekutiert", "exécuté", "exécutée", "execute"},
	peyvand.StatusDetained: {"بازداشت شد", "دستگیر شد", "بازداشت‌شد", "دستگیرشده", "زندان", "in detention", "taken into custody", "abducted", "ربوده شد", "detained", "arrested", "in custody", "imprisoned", "prisoner", "jailed", "detention", "arrest",
		"بازداشت", "بازداشت شده", "بازداشتی", "دستگیر", "دستگیر شده", "زندانی", "در بازداشت", "بازداشت‌شده",
		"verhaftet", "festgenommen", "inhaftiert", "in haft", "gefangen",
		"arrêté", "arrêtée", "arrete", "détenu", "détenue", "emprisonné", "emprisonnée", "incarcéré",
		"arbitrary detention", "arbitrarily detained", "arbitrary arrest", "held incommunicado", "incommunicado", "détention arbitraire", "willkürliche haft"},
	peyvand.StatusInjured: {"زخمی شد", "مجروح شد", "مصدوم شد", "زخمی‌شده", "injured", "wounded", "hurt",
		"زخمی", "مجروح", "مصدوم", "زخمی شده", "مجروح شده",
		"verletzt", "verwundet", "blessé", "blessée", "blesse"},
	peyvand.StatusMissing: {"ناپدید شد", "مفقود شد", "گم شد", "از او خبری نیست", "بی‌خبری", "missing", "disappeared", "unaccounted", "believed_missing", "information_sought", "whereabouts unknown",
		"مفقود", "مفقودالاثر", "مفقود الاثر", "ناپدید", "ناپدید شده", "گمشده", "گم شده", "بی خبر", "بی‌خبر", "ناپدیدشده",
		"vermisst", "verschwunden", "verschollen",
		"disparu", "disparue", "porté disparu", "portée disparue",
		"enforced disappearance", "forced disappearance", "forcibly disappeared", "disappearance", "ناپدیدشدگی قهری", "ناپدیدسازی قهری",
		"verschwindenlassen", "gewaltsames verschwindenlassen", "disparition forcée", "disparition"},
	peyvand.StatusSentenced: {"محکوم شد", "حکم گرفت", "به اعدام محکوم شد", "sentenced to prison", "sentenced", "convicted", "condemned", "sentenced to death", "death sentence",
		"محکوم", "محکوم شده", "محکومیت", "حکم اعدام", "محکوم به اعدام", "محکوم‌شده",
		"verurteilt", "zum tode verurteilt", "todesurteil", "condamné", "condamnée", "condamne", "condamné à mort"},
	peyvand.StatusReleased: {"آزاد شد", "آزادشد", "با قرار وثیقه آزاد شد", "released on bail", "released", "freed", "released on bail", "bail", "free",
		"آزاد", "آزاد شده", "آزادشده", "آزاد‌شده", "آزادی", "با وثیقه آزاد", "آزاد با وثیقه",
		"freigelassen", "entlassen", "frei", "auf kaution", "libéré", "libérée", "libere", "relâché", "relâchée"},
	peyvand.StatusSafe: {"در امان است", "سالم است", "زنده است", "safe", "alive", "ok", "fine", "well", "believed_alive", "is_note_author", "found", "found alive",
		"سالم", "زنده", "در امان", "امن", "پیدا شد", "پیدا شده", "خوب",
		"sicher", "lebend", "am leben", "in sicherheit", "gefunden", "wohlauf",
		"sain et sauf", "saine et sauve", "en sécurité", "vivant", "vivante", "retrouvé", "retrouvée"},
	peyvand.StatusUnknown: {"unknown", "unclear", "?", "n/a", "na", "unbekannt", "inconnu", "inconnue",
		"نامعلوم", "نامشخص", "معلوم نیست", "نا معلوم", "نا مشخص"},
}

var genderWords = map[peyvand.Gender][]string{
	peyvand.GenderMale: {"m", "male", "man", "men", "boy", "mr", "masculine", "he",
		"مرد", "آقا", "پسر", "مذکر", "ذکور", "م",
		"männlich", "mann", "junge", "herr", "maennlich",
		"h", "homme", "masculin", "garçon", "garcon", "monsieur"},
	peyvand.GenderFemale: {"f", "female", "woman", "women", "girl", "mrs", "ms", "miss", "feminine", "she",
		"زن", "خانم", "دختر", "مونث", "مؤنث", "اناث", "ز",
		"w", "weiblich", "frau", "mädchen", "maedchen",
		"femme", "féminin", "feminin", "fille", "madame", "mademoiselle"},
	peyvand.GenderOther:   {"other", "x", "d", "diverse", "divers", "non-binary", "nonbinary", "autre", "دیگر", "سایر"},
	peyvand.GenderUnknown: {"unknown", "?", "n/a", "na", "-", "unbekannt", "inconnu", "نامعلوم", "نامشخص"},
}

var (
	statusByWord = index(statusWords)
	genderByWord = index(genderWords)
)

func index[T comparable](m map[T][]string) map[string]T {
	out := map[string]T{}
	for v, words := range m {
		for _, w := range words {
			out[wordKey(w)] = v
		}
		out[wordKey(fmtString(v))] = v
	}
	return out
}

func fmtString[T comparable](v T) string {
	switch x := any(v).(type) {
	case peyvand.Status:
		return string(x)
	case peyvand.Gender:
		return string(x)
	}
	return ""
}

// wordKey folds a word for lookup: case, accents, Arabic letter forms,
// spaces, ZWNJ, hyphens and underscores do not count.
func wordKey(s string) string {
	return separators.Replace(persian.Fold(s))
}

var separators = strings.NewReplacer(" ", "", "_", "", "-", "")

// ParseStatus reads a status as lists write it, in Persian, English, German
// or French, or as PFIF's status values. A status with words around it
// ("killed (shot)", "detained in Evin", "بازداشت در اوین") is read when
// exactly one status is named in it and nothing negates it; "missing
// (maybe detained)" names two and is not read.
func ParseStatus(s string) (peyvand.Status, bool) {
	if v, ok := statusByWord[wordKey(s)]; ok {
		return v, true
	}
	words := strings.Fields(persian.Fold(s))
	found := map[peyvand.Status]bool{}
	for i := range words {
		if negations[words[i]] {
			return "", false
		}
		// Phrases of up to three words, as the vocabulary has them.
		for n := 1; n <= 3 && i+n <= len(words); n++ {
			if v, ok := statusByWord[wordKey(strings.Join(words[i:i+n], " "))]; ok && v != peyvand.StatusUnknown {
				found[v] = true
			}
		}
	}
	// "shot dead" also holds "dead": a phrase and its own words agree.
	if len(found) != 1 {
		return "", false
	}
	for v := range found {
		return v, true
	}
	return "", false
}

// negations turn a status into its opposite or into doubt; a status near
// one is not read.
var negations = map[string]bool{"not": true, "no": true, "never": true, "nicht": true, "kein": true, "keine": true,
	"nie": true, "pas": true, "non": true, "jamais": true, "نه": true, "نیست": true, "نشده": true, "نشد": true, "غیر": true}

// ParseGender reads a gender as lists write it. The empty string is a
// known "not recorded".
func ParseGender(s string) (peyvand.Gender, bool) {
	if strings.TrimSpace(s) == "" {
		return peyvand.GenderUnknown, true
	}
	v, ok := genderByWord[wordKey(s)]
	return v, ok
}
