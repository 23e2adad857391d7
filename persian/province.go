package persian

import (
	"strings"
)

// Iran's 31 provinces, by their Persian names, with the other ways lists
// write them: the English names, the romanisations of the Persian name in
// use (with and without ezafe), and older names. A list written abroad
// says "Kurdistan" where one written in Iran says کردستان; counting or
// stratifying by province must see one province, not two.
var provinces = [][]string{
	{"آذربایجان شرقی", "East Azerbaijan", "East Azarbaijan", "Azarbaijan-e Sharqi", "Azarbayjan-e Sharqi", "Azerbaijan Sharghi", "Azarbaijan Sharghi", "آذربایجان‌شرقی"},
	{"آذربایجان غربی", "West Azerbaijan", "West Azarbaijan", "Azarbaijan-e Gharbi", "Azarbayjan-e Gharbi", "Azerbaijan Gharbi", "Azarbaijan Gharbi", "آذربایجان‌غربی"},
	{"اردبیل", "Ardabil", "Ardebil"},
	{"اصفهان", "Isfahan", "Esfahan", "Ispahan"},
	{"البرز", "Alborz", "Elburz"},
	{"ایلام", "Ilam"},
	{"بوشهر", "Bushehr", "Bushire"},
	{"تهران", "Tehran", "Teheran"},
	{"چهارمحال و بختیاری", "Chaharmahal and Bakhtiari", "Chaharmahal va Bakhtiari", "Chaharmahal-Bakhtiari", "Chahar Mahaal and Bakhtiari", "Chaharmahal", "چهارمحال وبختیاری"},
	{"خراسان جنوبی", "South Khorasan", "Khorasan-e Jonubi", "Khorasan Jonubi"},
	{"خراسان رضوی", "Razavi Khorasan", "Khorasan Razavi", "Khorasan-e Razavi"},
	{"خراسان شمالی", "North Khorasan", "Khorasan-e Shomali", "Khorasan Shomali"},
	{"خوزستان", "Khuzestan", "Khuzistan", "Khouzestan"},
	{"زنجان", "Zanjan"},
	{"سمنان", "Semnan"},
	{"سیستان و بلوچستان", "Sistan and Baluchestan", "Sistan and Baluchistan", "Sistan va Baluchestan", "Sistan-Baluchestan", "Sistan-Baluchistan", "Sistan Baluchestan", "Sistan o Baluchestan", "سیستان وبلوچستان"},
	{"فارس", "Fars", "Pars"},
	{"قزوین", "Qazvin", "Ghazvin", "Kazvin"},
	{"قم", "Qom", "Ghom", "Qum"},
	{"کردستان", "Kurdistan", "Kordestan", "Kordistan"},
	{"کرمان", "Kerman"},
	{"کرمانشاه", "Kermanshah", "Kermanshahan", "Bakhtaran"},
	{"کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad", "Kohgiluyeh and Boyer Ahmad", "Kohgiluyeh va Boyer-Ahmad", "Kohkiluyeh and Buyer Ahmad", "Kohgiluyeh-Boyerahmad", "Kohgiluyeh", "کهگیلویه وبویراحمد"},
	{"گلستان", "Golestan"},
	{"گیلان", "Gilan", "Guilan"},
	{"لرستان", "Lorestan", "Luristan"},
	{"مازندران", "Mazandaran", "Mazanderan"},
	{"مرکزی", "Markazi", "Central"},
	{"هرمزگان", "Hormozgan"},
	{"همدان", "Hamadan", "Hamedan"},
	{"یزد", "Yazd", "Yezd"},
}

// provinceIndex maps each name's key (provinceKey) to the Persian name.
var provinceIndex = func() map[string]string {
	idx := map[string]string{}
	for _, names := range provinces {
		for _, n := range names {
			idx[provinceKey(n)] = names[0]
		}
	}
	return idx
}()

// Province returns the Persian name of the province s names, in either
// script, with or without a word for "province" (استان, "Province",
// "Ostan", "Provinz"), and whether s names one.
func Province(s string) (string, bool) {
	name, ok := provinceIndex[provinceKey(s)]
	return name, ok
}

// provinceKey folds a province name: Fold, then without the word for
// province, and without spaces, so that "Sistan-Baluchestan", "Sistan and
// Baluchestan" and "sistan & baluchestan" meet (and, و and & dropped).
func provinceKey(s string) string {
	words := strings.Fields(strings.ReplaceAll(Fold(s), "&", " "))
	var kept []string
	for i, w := range words {
		switch w {
		case "استان", "province", "provinz", "ostan", "ostan-e", "and", "va", "o", "و", "e":
			continue
		case "of":
			if i > 0 && (words[i-1] == "province" || words[i-1] == "provinz") {
				continue
			}
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, "")
}
