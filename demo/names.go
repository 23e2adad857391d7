package demo

// The tables below are written for the demo, not read from anywhere: common
// Iranian names and real cities, so that the fictitious people look like
// the ones a documenter meets, with the spellings the field produces.

// name is one given name or surname. In fa and in each latin spelling a
// "|" marks where a compound splits (محمد|رضا, Mohammad|reza): lists write
// compounds joined, spaced, hyphenated or with a zero-width non-joiner, and
// the generator picks one per record. zwnj says the usual Persian form uses
// a non-joiner rather than joined letters.
type name struct {
	fa    string
	latin []string // the first is the usual English-habit spelling
	de    string   // German-habit spelling when it is not a rule away from latin[0]
	fr    string   // French-habit spelling, likewise
	zwnj  bool
}

var maleNames = []name{
	{fa: "محمد", latin: []string{"Mohammad", "Mohammed", "Muhammad", "Mohamad"}},
	{fa: "علی", latin: []string{"Ali"}},
	{fa: "حسین", latin: []string{"Hossein", "Hosein", "Hussein", "Hosseyn"}},
	{fa: "حسن", latin: []string{"Hassan", "Hasan"}},
	{fa: "رضا", latin: []string{"Reza"}},
	{fa: "محمد|رضا", latin: []string{"Mohammad|reza", "Mohamad|reza", "Mohammed|reza"}},
	{fa: "امیر", latin: []string{"Amir"}},
	{fa: "امیر|حسین", latin: []string{"Amir|hossein", "Amir|hosein", "Amir|hussein"}},
	{fa: "مهدی", latin: []string{"Mehdi", "Mahdi"}},
	{fa: "سعید", latin: []string{"Saeed", "Saeid", "Said"}},
	{fa: "مجید", latin: []string{"Majid"}, fr: "Madjid"},
	{fa: "جواد", latin: []string{"Javad"}},
	{fa: "حمید", latin: []string{"Hamid"}},
	{fa: "پویا", latin: []string{"Pouya", "Puya", "Pooya"}},
	{fa: "آرمان", latin: []string{"Arman"}},
	{fa: "کیان", latin: []string{"Kian", "Kiyan"}},
	{fa: "نوید", latin: []string{"Navid"}},
	{fa: "سینا", latin: []string{"Sina"}},
	{fa: "یوسف", latin: []string{"Yousef", "Yusef", "Youssef"}, de: "Jussuf"},
	{fa: "ابوالفضل", latin: []string{"Abolfazl", "Abolfazel", "Abulfazl"}},
	{fa: "مصطفی", latin: []string{"Mostafa", "Mustafa", "Moustafa"}},
	{fa: "بهنام", latin: []string{"Behnam"}},
	{fa: "فرهاد", latin: []string{"Farhad"}},
	{fa: "کامران", latin: []string{"Kamran"}},
	{fa: "میلاد", latin: []string{"Milad"}},
	{fa: "عرفان", latin: []string{"Erfan", "Irfan"}},
	{fa: "پیمان", latin: []string{"Peyman", "Payman"}},
	{fa: "خسرو", latin: []string{"Khosrow", "Khosro"}},
	{fa: "داوود", latin: []string{"Davoud", "Davood", "Dawood"}},
	{fa: "سیاوش", latin: []string{"Siavash", "Siavosh", "Siyavash"}},
	{fa: "محسن", latin: []string{"Mohsen", "Mohssen"}},
	{fa: "ابراهیم", latin: []string{"Ebrahim", "Ibrahim"}},
}

var femaleNames = []name{
	{fa: "فاطمه", latin: []string{"Fatemeh", "Fateme", "Fatima"}},
	{fa: "زهرا", latin: []string{"Zahra"}},
	{fa: "مریم", latin: []string{"Maryam", "Mariam"}},
	{fa: "سارا", latin: []string{"Sara", "Sarah"}},
	{fa: "نرگس", latin: []string{"Narges"}},
	{fa: "شیرین", latin: []string{"Shirin"}, de: "Schirin", fr: "Chirine"},
	{fa: "نسرین", latin: []string{"Nasrin"}, fr: "Nasrine"},
	{fa: "مهسا", latin: []string{"Mahsa"}},
	{fa: "نیکا", latin: []string{"Nika"}},
	{fa: "سپیده", latin: []string{"Sepideh", "Sepide"}},
	{fa: "لیلا", latin: []string{"Leila", "Leyla", "Layla"}},
	{fa: "مینا", latin: []string{"Mina"}},
	{fa: "الهام", latin: []string{"Elham"}},
	{fa: "پریسا", latin: []string{"Parisa"}},
	{fa: "ژیلا", latin: []string{"Zhila", "Jila"}, fr: "Jila"},
	{fa: "آزاده", latin: []string{"Azadeh", "Azade"}},
	{fa: "مهتاب", latin: []string{"Mahtab"}},
	{fa: "یاسمن", latin: []string{"Yasaman", "Yasamin"}, de: "Jasmin"},
	{fa: "ستاره", latin: []string{"Setareh", "Setare"}},
	{fa: "نازنین", latin: []string{"Nazanin"}},
	{fa: "رها", latin: []string{"Raha"}},
	{fa: "کیمیا", latin: []string{"Kimia", "Kimiya"}},
	{fa: "هانیه", latin: []string{"Hanieh", "Haniyeh"}},
	{fa: "ملیکا", latin: []string{"Melika", "Malika"}},
	{fa: "فرشته", latin: []string{"Fereshteh", "Fereshte"}},
	{fa: "گلاره", latin: []string{"Gelareh", "Gelare"}},
	{fa: "شیما", latin: []string{"Shima"}},
	{fa: "معصومه", latin: []string{"Masoumeh", "Masumeh", "Massoumeh"}},
	{fa: "طاهره", latin: []string{"Tahereh", "Tahere"}},
	{fa: "مهرناز", latin: []string{"Mehrnaz"}},
}

var surnames = []name{
	{fa: "حسینی", latin: []string{"Hosseini", "Hoseyni", "Husseini", "Hosseyni", "Hoseini"}, de: "Chosseini"},
	{fa: "محمدی", latin: []string{"Mohammadi", "Mohamadi"}},
	{fa: "رضایی", latin: []string{"Rezaei", "Rezaee", "Rezai", "Rezaie"}},
	{fa: "احمدی", latin: []string{"Ahmadi"}},
	{fa: "کریمی", latin: []string{"Karimi"}},
	{fa: "موسوی", latin: []string{"Mousavi", "Musavi", "Moosavi"}},
	{fa: "قاسمی", latin: []string{"Ghasemi", "Qasemi", "Ghassemi"}, de: "Kasemi"},
	{fa: "جعفری", latin: []string{"Jafari", "Jaafari"}},
	{fa: "صادقی", latin: []string{"Sadeghi", "Sadeqi"}},
	{fa: "رحیمی", latin: []string{"Rahimi"}},
	{fa: "کاظمی", latin: []string{"Kazemi"}},
	{fa: "حیدری", latin: []string{"Heidari", "Heydari"}},
	{fa: "نوری", latin: []string{"Nouri", "Noori", "Nuri"}},
	{fa: "اکبری", latin: []string{"Akbari"}},
	{fa: "عباسی", latin: []string{"Abbasi", "Abasi"}},
	{fa: "هاشمی", latin: []string{"Hashemi"}},
	{fa: "قربانی", latin: []string{"Ghorbani", "Qorbani"}},
	{fa: "ابراهیمی", latin: []string{"Ebrahimi", "Ibrahimi"}},
	{fa: "نجفی", latin: []string{"Najafi"}, fr: "Nadjafi"},
	{fa: "امیری", latin: []string{"Amiri"}},
	{fa: "خسروی", latin: []string{"Khosravi"}},
	{fa: "سلطانی", latin: []string{"Soltani"}},
	{fa: "رستمی", latin: []string{"Rostami"}},
	{fa: "یوسفی", latin: []string{"Yousefi", "Yusefi"}},
	{fa: "مرادی", latin: []string{"Moradi", "Muradi"}},
	{fa: "کرمی", latin: []string{"Karami"}},
	{fa: "زارعی", latin: []string{"Zarei", "Zareie", "Zareei"}},
	{fa: "شریفی", latin: []string{"Sharifi"}},
	{fa: "طاهری", latin: []string{"Taheri"}},
	{fa: "فرهادی", latin: []string{"Farhadi"}},
	{fa: "بهرامی", latin: []string{"Bahrami"}},
	{fa: "افشار", latin: []string{"Afshar"}},
	{fa: "رحمانی", latin: []string{"Rahmani"}},
	{fa: "توکلی", latin: []string{"Tavakoli", "Tavakkoli"}},
	{fa: "نظری", latin: []string{"Nazari"}},
	{fa: "شجاعی", latin: []string{"Shojaei", "Shojaee"}},
	{fa: "خانی", latin: []string{"Khani"}},
	{fa: "پور|محمدی", latin: []string{"Pour|mohammadi", "Pur|mohammadi"}},
	{fa: "علی|پور", latin: []string{"Ali|pour", "Ali|pur"}, zwnj: true},
	{fa: "احمد|زاده", latin: []string{"Ahmad|zadeh", "Ahmad|zade"}, zwnj: true},
	{fa: "حسن|زاده", latin: []string{"Hassan|zadeh", "Hasan|zadeh"}, zwnj: true},
	{fa: "قلی|زاده", latin: []string{"Gholi|zadeh", "Qoli|zadeh"}, zwnj: true},
	{fa: "کردی", latin: []string{"Kordi", "Kurdi"}},
	{fa: "بلوچ", latin: []string{"Baloch", "Baluch"}},
	{fa: "شیخی", latin: []string{"Sheikhi", "Sheykhi"}},
	{fa: "مولایی", latin: []string{"Molaei", "Mowlaei"}},
	{fa: "پناهی", latin: []string{"Panahi"}},
	{fa: "فتحی", latin: []string{"Fathi"}},
	{fa: "ملکی", latin: []string{"Maleki"}},
	{fa: "کیانی", latin: []string{"Kiani", "Kiyani"}},
}

// city is a real Iranian city with its province and, where one is widely
// known, the prison where people arrested there are held.
type city struct {
	fa, provinceFa string
	latin          []string // the first is the usual English spelling
	provinceEn     string
	prisonFa       string
	prisonEn       string
	weight         int // how often the demo places people there
}

var cities = []city{
	{fa: "تهران", latin: []string{"Tehran", "Teheran", "Téhéran"}, provinceFa: "تهران", provinceEn: "Tehran",
		prisonFa: "زندان اوین", prisonEn: "Evin prison", weight: 30},
	{fa: "کرج", latin: []string{"Karaj", "Karadsch"}, provinceFa: "البرز", provinceEn: "Alborz",
		prisonFa: "زندان قزلحصار", prisonEn: "Ghezel Hesar prison", weight: 8},
	{fa: "مشهد", latin: []string{"Mashhad", "Mashad", "Meschhed"}, provinceFa: "خراسان رضوی", provinceEn: "Razavi Khorasan",
		prisonFa: "زندان وکیل‌آباد", prisonEn: "Vakilabad prison", weight: 8},
	{fa: "اصفهان", latin: []string{"Isfahan", "Esfahan"}, provinceFa: "اصفهان", provinceEn: "Isfahan",
		prisonFa: "زندان دستگرد", prisonEn: "Dastgerd prison", weight: 7},
	{fa: "شیراز", latin: []string{"Shiraz", "Schiras", "Chiraz"}, provinceFa: "فارس", provinceEn: "Fars",
		prisonFa: "زندان عادل‌آباد", prisonEn: "Adelabad prison", weight: 6},
	{fa: "تبریز", latin: []string{"Tabriz", "Täbris"}, provinceFa: "آذربایجان شرقی", provinceEn: "East Azerbaijan",
		prisonFa: "زندان مرکزی تبریز", prisonEn: "Tabriz central prison", weight: 5},
	{fa: "رشت", latin: []string{"Rasht", "Rascht"}, provinceFa: "گیلان", provinceEn: "Gilan",
		prisonFa: "زندان لاکان", prisonEn: "Lakan prison", weight: 5},
	{fa: "زاهدان", latin: []string{"Zahedan", "Sahedan"}, provinceFa: "سیستان و بلوچستان", provinceEn: "Sistan and Baluchestan",
		prisonFa: "زندان مرکزی زاهدان", prisonEn: "Zahedan central prison", weight: 6},
	{fa: "سنندج", latin: []string{"Sanandaj", "Sanandadsch"}, provinceFa: "کردستان", provinceEn: "Kurdistan",
		prisonFa: "زندان مرکزی سنندج", prisonEn: "Sanandaj central prison", weight: 5},
	{fa: "کرمانشاه", latin: []string{"Kermanshah", "Kermanschah"}, provinceFa: "کرمانشاه", provinceEn: "Kermanshah",
		prisonFa: "زندان دیزل‌آباد", prisonEn: "Dizelabad prison", weight: 5},
	{fa: "اهواز", latin: []string{"Ahvaz", "Ahwaz"}, provinceFa: "خوزستان", provinceEn: "Khuzestan",
		prisonFa: "زندان سپیدار", prisonEn: "Sepidar prison", weight: 5},
	{fa: "قم", latin: []string{"Qom", "Ghom"}, provinceFa: "قم", provinceEn: "Qom",
		prisonFa: "زندان لنگرودی", prisonEn: "Langroudi prison", weight: 3},
	{fa: "ارومیه", latin: []string{"Urmia", "Orumiyeh"}, provinceFa: "آذربایجان غربی", provinceEn: "West Azerbaijan",
		prisonFa: "زندان مرکزی ارومیه", prisonEn: "Urmia central prison", weight: 3},
	{fa: "مهاباد", latin: []string{"Mahabad"}, provinceFa: "آذربایجان غربی", provinceEn: "West Azerbaijan", weight: 2},
	{fa: "جوانرود", latin: []string{"Javanrud", "Javanroud"}, provinceFa: "کرمانشاه", provinceEn: "Kermanshah", weight: 2},
	{fa: "ایذه", latin: []string{"Izeh"}, provinceFa: "خوزستان", provinceEn: "Khuzestan", weight: 2},
	{fa: "اراک", latin: []string{"Arak"}, provinceFa: "مرکزی", provinceEn: "Markazi", weight: 2},
	{fa: "همدان", latin: []string{"Hamedan", "Hamadan"}, provinceFa: "همدان", provinceEn: "Hamadan", weight: 2},
	{fa: "کرمان", latin: []string{"Kerman"}, provinceFa: "کرمان", provinceEn: "Kerman", weight: 2},
	{fa: "یزد", latin: []string{"Yazd", "Jasd"}, provinceFa: "یزد", provinceEn: "Yazd", weight: 1},
	{fa: "بندرعباس", latin: []string{"Bandar Abbas"}, provinceFa: "هرمزگان", provinceEn: "Hormozgan", weight: 2},
}
