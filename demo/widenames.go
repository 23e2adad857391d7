package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// namePool is where the generator draws names from. The default pool is
// the short tables of names.go drawn uniformly; the wide pool adds
// some 300 given names and 2,700 surnames drawn with the skew
// of real name frequencies, so that a list of a million records has as
// many namesakes as a real one, not a hundred behind every full name.
type namePool struct {
	male, female, family []name
	// Cumulative weights of the lists, nil for a uniform draw.
	maleCum, femaleCum, familyCum []int
}

// defaultPool draws exactly as the generator always has, so that a seed
// gives the same data set as before the wide pool existed.
func defaultPool() *namePool {
	return &namePool{male: maleNames, female: femaleNames, family: surnames}
}

func draw(rng *rand.Rand, list []name, cum []int) name {
	if cum == nil {
		return list[rng.IntN(len(list))]
	}
	r := rng.IntN(cum[len(cum)-1])
	return list[sort.SearchInts(cum, r+1)]
}

func (p *namePool) maleName(rng *rand.Rand) name   { return draw(rng, p.male, p.maleCum) }
func (p *namePool) femaleName(rng *rand.Rand) name { return draw(rng, p.female, p.femaleCum) }
func (p *namePool) surname(rng *rand.Rand) name    { return draw(rng, p.family, p.familyCum) }

// zipf returns cumulative weights for n names in order of frequency:
// weight 1/(rank+k)^s, scaled to integers. k flattens the head (how far
// the most common name stands above the next), s sets the tail.
func zipf(n int, k, s float64) []int {
	cum := make([]int, n)
	total := 0
	for r := range n {
		total += max(1, int(1e7/math.Pow(float64(r+1)+k, s)))
		cum[r] = total
	}
	return cum
}

// widePool builds the wide pool: the default tables first (they hold the
// most common names), then more given names, compound given names and
// surnames built the way Persian surnames are built (a name or place and
// a suffix: -i, -pour, -zadeh, -nejad, -far, -rad, -nia, …). Shares, for
// orientation: the most common male given name about 6 %, the most
// common surname about 1.2 %, the 400 most common surnames 60 % of the
// persons, among some 2,700.
func widePool() *namePool {
	male := append(append(append([]name(nil), maleNames...), moreMaleNames...), compoundGiven(maleFirsts, maleSeconds)...)
	female := append(append([]name(nil), femaleNames...), moreFemaleNames...)
	female = append(female, name{fa: "فاطمه|زهرا", latin: []string{"Fatemeh|zahra", "Fateme|zahra"}, zwnj: true})
	family := wideSurnames()
	return &namePool{
		male: male, female: female, family: family,
		maleCum:   zipf(len(male), 3, 1),
		femaleCum: zipf(len(female), 3, 1),
		familyCum: zipf(len(family), 10, 0.9),
	}
}

var moreMaleNames = []name{
	{fa: "احمد", latin: []string{"Ahmad", "Ahmed"}},
	{fa: "محمود", latin: []string{"Mahmoud", "Mahmood", "Mahmud"}},
	{fa: "مرتضی", latin: []string{"Morteza", "Mortaza"}},
	{fa: "مجتبی", latin: []string{"Mojtaba"}},
	{fa: "عباس", latin: []string{"Abbas", "Abas"}},
	{fa: "اکبر", latin: []string{"Akbar"}},
	{fa: "اصغر", latin: []string{"Asghar", "Asgar"}},
	{fa: "جعفر", latin: []string{"Jafar", "Jaafar", "Djafar"}},
	{fa: "کاظم", latin: []string{"Kazem", "Kazim"}},
	{fa: "قاسم", latin: []string{"Ghasem", "Qasem", "Ghassem"}},
	{fa: "هادی", latin: []string{"Hadi"}},
	{fa: "یاسر", latin: []string{"Yaser", "Yasser"}},
	{fa: "صادق", latin: []string{"Sadegh", "Sadeq", "Sadiq"}},
	{fa: "باقر", latin: []string{"Bagher", "Baqer"}},
	{fa: "مسعود", latin: []string{"Masoud", "Masood", "Massoud"}},
	{fa: "منصور", latin: []string{"Mansour", "Mansoor", "Mansur"}},
	{fa: "ناصر", latin: []string{"Naser", "Nasser"}},
	{fa: "بهروز", latin: []string{"Behrouz", "Behrooz", "Behruz"}},
	{fa: "بهزاد", latin: []string{"Behzad"}},
	{fa: "شهرام", latin: []string{"Shahram"}},
	{fa: "شهاب", latin: []string{"Shahab"}},
	{fa: "کامبیز", latin: []string{"Kambiz"}},
	{fa: "کوروش", latin: []string{"Kourosh", "Kurosh", "Koorosh"}},
	{fa: "داریوش", latin: []string{"Dariush", "Daryoush", "Dariosh"}},
	{fa: "بابک", latin: []string{"Babak"}},
	{fa: "آرش", latin: []string{"Arash"}},
	{fa: "امید", latin: []string{"Omid"}},
	{fa: "رامین", latin: []string{"Ramin"}},
	{fa: "سامان", latin: []string{"Saman"}},
	{fa: "سهیل", latin: []string{"Soheil", "Sohail", "Soheyl"}},
	{fa: "فرزاد", latin: []string{"Farzad"}},
	{fa: "فرشاد", latin: []string{"Farshad"}},
	{fa: "فریدون", latin: []string{"Fereydoun", "Fereidoon", "Freydoun"}},
	{fa: "جمشید", latin: []string{"Jamshid"}},
	{fa: "اسماعیل", latin: []string{"Esmaeil", "Esmail", "Ismail"}},
	{fa: "ایمان", latin: []string{"Iman"}},
	{fa: "احسان", latin: []string{"Ehsan"}},
	{fa: "امین", latin: []string{"Amin"}},
	{fa: "بهرام", latin: []string{"Bahram"}},
	{fa: "پرویز", latin: []string{"Parviz", "Parwiz"}},
	{fa: "حبیب", latin: []string{"Habib"}},
	{fa: "رحیم", latin: []string{"Rahim"}},
	{fa: "رسول", latin: []string{"Rasoul", "Rasool", "Rasul"}},
	{fa: "سجاد", latin: []string{"Sajjad", "Sajad"}},
	{fa: "سروش", latin: []string{"Soroush", "Sorush"}},
	{fa: "شاهین", latin: []string{"Shahin"}},
	{fa: "صالح", latin: []string{"Saleh"}},
	{fa: "عادل", latin: []string{"Adel"}},
	{fa: "عبدالله", latin: []string{"Abdollah", "Abdullah", "Abdolah"}},
	{fa: "عماد", latin: []string{"Emad"}},
	{fa: "فرید", latin: []string{"Farid"}},
	{fa: "کریم", latin: []string{"Karim"}},
	{fa: "کمال", latin: []string{"Kamal"}},
	{fa: "مازیار", latin: []string{"Maziar", "Mazyar"}},
	{fa: "مهران", latin: []string{"Mehran"}},
	{fa: "مهرداد", latin: []string{"Mehrdad"}},
	{fa: "موسی", latin: []string{"Mousa", "Musa", "Moussa"}},
	{fa: "نادر", latin: []string{"Nader"}},
	{fa: "نیما", latin: []string{"Nima"}},
	{fa: "هومن", latin: []string{"Houman", "Hooman"}},
	{fa: "وحید", latin: []string{"Vahid"}},
	{fa: "یحیی", latin: []string{"Yahya"}},
	{fa: "آرین", latin: []string{"Arian", "Aryan"}},
	{fa: "پارسا", latin: []string{"Parsa"}},
	{fa: "طاها", latin: []string{"Taha"}},
	{fa: "دانیال", latin: []string{"Danial", "Daniyal"}},
	{fa: "ماهان", latin: []string{"Mahan"}},
	{fa: "بنیامین", latin: []string{"Benyamin", "Beniamin"}},
	{fa: "رامتین", latin: []string{"Ramtin"}},
	{fa: "شایان", latin: []string{"Shayan"}},
	{fa: "آرمین", latin: []string{"Armin"}},
	{fa: "اشکان", latin: []string{"Ashkan"}},
	{fa: "سپهر", latin: []string{"Sepehr"}},
	{fa: "ساسان", latin: []string{"Sasan", "Sassan"}},
	{fa: "هیوا", latin: []string{"Hiva", "Hewa"}},
	{fa: "کاوه", latin: []string{"Kaveh", "Kave"}},
	{fa: "هوشنگ", latin: []string{"Houshang", "Hooshang"}},
	{fa: "جلال", latin: []string{"Jalal"}},
	{fa: "ابوالقاسم", latin: []string{"Abolghasem", "Abolqasem"}},
	{fa: "غلام", latin: []string{"Gholam", "Qolam"}},
	{fa: "مهیار", latin: []string{"Mahyar"}},
	{fa: "کیوان", latin: []string{"Keyvan", "Kayvan", "Keivan"}},
	{fa: "رضوان", latin: []string{"Rezvan"}},
	{fa: "شروین", latin: []string{"Shervin"}},
	{fa: "آیدین", latin: []string{"Aydin", "Aidin"}},
	{fa: "ژوان", latin: []string{"Zhwan", "Jwan"}},
	{fa: "هژار", latin: []string{"Hazhar", "Hajar"}},
	{fa: "سالار", latin: []string{"Salar"}},
	{fa: "یونس", latin: []string{"Younes", "Yunes", "Younis"}},
	{fa: "ادریس", latin: []string{"Edris", "Idris"}},
}

var moreFemaleNames = []name{
	{fa: "اعظم", latin: []string{"Azam"}},
	{fa: "اکرم", latin: []string{"Akram"}},
	{fa: "زینب", latin: []string{"Zeinab", "Zeynab", "Zaynab"}},
	{fa: "طیبه", latin: []string{"Tayebeh", "Tayyebeh"}},
	{fa: "رقیه", latin: []string{"Roghayeh", "Roqayeh", "Roghaye"}},
	{fa: "سکینه", latin: []string{"Sakineh", "Sakine"}},
	{fa: "خدیجه", latin: []string{"Khadijeh", "Khadije", "Khadija"}},
	{fa: "مرضیه", latin: []string{"Marzieh", "Marziyeh"}},
	{fa: "منیره", latin: []string{"Monireh", "Monire"}},
	{fa: "فرزانه", latin: []string{"Farzaneh", "Farzane"}},
	{fa: "فریبا", latin: []string{"Fariba"}},
	{fa: "فرناز", latin: []string{"Farnaz"}},
	{fa: "پروین", latin: []string{"Parvin", "Parwin"}},
	{fa: "ژاله", latin: []string{"Zhaleh", "Jaleh", "Zhale"}},
	{fa: "شهلا", latin: []string{"Shahla"}},
	{fa: "شهناز", latin: []string{"Shahnaz"}},
	{fa: "سیمین", latin: []string{"Simin"}},
	{fa: "سوسن", latin: []string{"Sousan", "Susan", "Sousan"}},
	{fa: "مهین", latin: []string{"Mahin"}},
	{fa: "مهناز", latin: []string{"Mahnaz"}},
	{fa: "ماندانا", latin: []string{"Mandana"}},
	{fa: "نگار", latin: []string{"Negar"}},
	{fa: "نگین", latin: []string{"Negin"}},
	{fa: "نیلوفر", latin: []string{"Niloufar", "Niloofar", "Nilufar"}},
	{fa: "نسیم", latin: []string{"Nasim"}},
	{fa: "ندا", latin: []string{"Neda"}},
	{fa: "نوشین", latin: []string{"Noushin", "Nooshin"}},
	{fa: "هستی", latin: []string{"Hasti"}},
	{fa: "هلیا", latin: []string{"Helia", "Heliya"}},
	{fa: "یگانه", latin: []string{"Yeganeh", "Yegane"}},
	{fa: "آیدا", latin: []string{"Aida", "Ayda"}},
	{fa: "آتنا", latin: []string{"Atena", "Atana"}},
	{fa: "آناهیتا", latin: []string{"Anahita"}},
	{fa: "بهاره", latin: []string{"Bahareh", "Bahare"}},
	{fa: "بیتا", latin: []string{"Bita"}},
	{fa: "ترانه", latin: []string{"Taraneh", "Tarane"}},
	{fa: "تینا", latin: []string{"Tina"}},
	{fa: "دریا", latin: []string{"Darya", "Daria"}},
	{fa: "رویا", latin: []string{"Roya", "Roja"}},
	{fa: "ریحانه", latin: []string{"Reyhaneh", "Reihaneh", "Reyhane"}},
	{fa: "زیبا", latin: []string{"Ziba"}},
	{fa: "سمیرا", latin: []string{"Samira"}},
	{fa: "سمانه", latin: []string{"Samaneh", "Samane"}},
	{fa: "سحر", latin: []string{"Sahar"}},
	{fa: "سودابه", latin: []string{"Soudabeh", "Sudabeh", "Soodabeh"}},
	{fa: "شبنم", latin: []string{"Shabnam"}},
	{fa: "شقایق", latin: []string{"Shaghayegh", "Shaqayeq"}},
	{fa: "صبا", latin: []string{"Saba"}},
	{fa: "عاطفه", latin: []string{"Atefeh", "Atefe"}},
	{fa: "غزاله", latin: []string{"Ghazaleh", "Ghazale", "Qazaleh"}},
	{fa: "کتایون", latin: []string{"Katayoun", "Katayoon"}},
	{fa: "گلناز", latin: []string{"Golnaz"}},
	{fa: "لادن", latin: []string{"Ladan"}},
	{fa: "محبوبه", latin: []string{"Mahboubeh", "Mahboobeh", "Mahbube"}},
	{fa: "مرجان", latin: []string{"Marjan"}},
	{fa: "مونا", latin: []string{"Mona"}},
	{fa: "هدی", latin: []string{"Hoda"}},
	{fa: "ویدا", latin: []string{"Vida"}},
	{fa: "پرستو", latin: []string{"Parastoo", "Parastu", "Parastou"}},
	{fa: "الناز", latin: []string{"Elnaz"}},
	{fa: "المیرا", latin: []string{"Elmira"}},
	{fa: "ساناز", latin: []string{"Sanaz"}},
	{fa: "ژینا", latin: []string{"Zhina", "Jina"}},
	{fa: "آزیتا", latin: []string{"Azita"}},
	{fa: "گلرخ", latin: []string{"Golrokh"}},
	{fa: "مهری", latin: []string{"Mehri"}},
	{fa: "پوران", latin: []string{"Pouran", "Pooran"}},
	{fa: "کوثر", latin: []string{"Kowsar", "Kosar", "Kousar"}},
	{fa: "حدیث", latin: []string{"Hadis", "Hadith"}},
	{fa: "سارینا", latin: []string{"Sarina"}},
	{fa: "آوا", latin: []string{"Ava"}},
	{fa: "ثنا", latin: []string{"Sana"}},
	{fa: "نازیلا", latin: []string{"Nazila"}},
	{fa: "افسانه", latin: []string{"Afsaneh", "Afsane"}},
}

// Compound given names: the first part and the parts that follow it.
var (
	maleFirsts = []name{
		{fa: "محمد", latin: []string{"Mohammad", "Mohamad", "Mohammed"}},
		{fa: "علی", latin: []string{"Ali"}},
		{fa: "امیر", latin: []string{"Amir"}},
		{fa: "غلام", latin: []string{"Gholam", "Qolam"}},
		{fa: "حمید", latin: []string{"Hamid"}},
	}
	maleSeconds = []name{
		{fa: "علی", latin: []string{"ali"}},
		{fa: "حسین", latin: []string{"hossein", "hosein"}},
		{fa: "مهدی", latin: []string{"mahdi", "mehdi"}},
		{fa: "جواد", latin: []string{"javad"}},
		{fa: "امین", latin: []string{"amin"}},
		{fa: "صادق", latin: []string{"sadegh", "sadeq"}},
		{fa: "تقی", latin: []string{"taghi", "taqi"}},
		{fa: "باقر", latin: []string{"bagher", "baqer"}},
		{fa: "هادی", latin: []string{"hadi"}},
		{fa: "کاظم", latin: []string{"kazem"}},
		{fa: "اکبر", latin: []string{"akbar"}},
		{fa: "اصغر", latin: []string{"asghar"}},
		{fa: "رضا", latin: []string{"reza"}},
		{fa: "عباس", latin: []string{"abbas"}},
		{fa: "حسن", latin: []string{"hassan", "hasan"}},
		{fa: "محمد", latin: []string{"mohammad"}},
	}
)

// compoundGiven joins each first part with each following part other than
// itself, skipping the compounds the default tables already have.
func compoundGiven(firsts, seconds []name) []name {
	have := map[string]bool{}
	for _, n := range maleNames {
		have[n.fa] = true
	}
	var out []name
	for _, f := range firsts {
		for _, s := range seconds {
			fa := f.fa + "|" + s.fa
			if f.fa == s.fa || have[fa] {
				continue
			}
			n := name{fa: fa}
			for i, fl := range f.latin {
				n.latin = append(n.latin, fl+"|"+s.latin[min(i, len(s.latin)-1)])
			}
			out = append(out, n)
		}
	}
	return out
}

// surnameBase is a name, place or word that surnames are built from.
type surnameBase struct {
	fa    string
	latin []string
	place bool // a place: takes -i (Tehrani) and -nejad, not -pour
}

var surnameBases = []surnameBase{
	{fa: "حسین", latin: []string{"Hossein", "Hosein", "Hussein"}},
	{fa: "حسن", latin: []string{"Hassan", "Hasan"}},
	{fa: "محمد", latin: []string{"Mohammad", "Mohamad"}},
	{fa: "احمد", latin: []string{"Ahmad"}},
	{fa: "محمود", latin: []string{"Mahmoud", "Mahmood"}},
	{fa: "علی", latin: []string{"Ali"}},
	{fa: "رضا", latin: []string{"Reza"}},
	{fa: "کریم", latin: []string{"Karim"}},
	{fa: "رحیم", latin: []string{"Rahim"}},
	{fa: "جعفر", latin: []string{"Jafar", "Jaafar"}},
	{fa: "کاظم", latin: []string{"Kazem"}},
	{fa: "قاسم", latin: []string{"Ghasem", "Qasem"}},
	{fa: "عباس", latin: []string{"Abbas", "Abas"}},
	{fa: "اکبر", latin: []string{"Akbar"}},
	{fa: "اصغر", latin: []string{"Asghar"}},
	{fa: "تقی", latin: []string{"Taghi", "Taqi"}},
	{fa: "باقر", latin: []string{"Bagher", "Baqer"}},
	{fa: "صادق", latin: []string{"Sadegh", "Sadeq"}},
	{fa: "یوسف", latin: []string{"Yousef", "Yusef"}},
	{fa: "ابراهیم", latin: []string{"Ebrahim", "Ibrahim"}},
	{fa: "اسماعیل", latin: []string{"Esmaeil", "Esmail"}},
	{fa: "امین", latin: []string{"Amin"}},
	{fa: "هادی", latin: []string{"Hadi"}},
	{fa: "مهدی", latin: []string{"Mahdi", "Mehdi"}},
	{fa: "جواد", latin: []string{"Javad"}},
	{fa: "حمید", latin: []string{"Hamid"}},
	{fa: "مجید", latin: []string{"Majid"}},
	{fa: "سعید", latin: []string{"Saeed", "Saeid"}},
	{fa: "فرهاد", latin: []string{"Farhad"}},
	{fa: "بهرام", latin: []string{"Bahram"}},
	{fa: "جمشید", latin: []string{"Jamshid"}},
	{fa: "خسرو", latin: []string{"Khosro", "Khosrow"}},
	{fa: "رستم", latin: []string{"Rostam"}},
	{fa: "نادر", latin: []string{"Nader"}},
	{fa: "حبیب", latin: []string{"Habib"}},
	{fa: "سلمان", latin: []string{"Salman"}},
	{fa: "سلطان", latin: []string{"Soltan"}},
	{fa: "حیدر", latin: []string{"Heidar", "Heydar"}},
	{fa: "مراد", latin: []string{"Morad", "Murad"}},
	{fa: "نور", latin: []string{"Nour", "Noor"}},
	{fa: "امیر", latin: []string{"Amir"}},
	{fa: "شاه", latin: []string{"Shah"}},
	{fa: "خان", latin: []string{"Khan"}},
	{fa: "غلام", latin: []string{"Gholam", "Qolam"}},
	{fa: "عبدالله", latin: []string{"Abdollah", "Abdullah"}},
	{fa: "نصر", latin: []string{"Nasr"}},
	{fa: "منصور", latin: []string{"Mansour", "Mansoor"}},
	{fa: "مسعود", latin: []string{"Masoud", "Masood"}},
	{fa: "ناصر", latin: []string{"Naser", "Nasser"}},
	{fa: "شریف", latin: []string{"Sharif"}},
	{fa: "لطیف", latin: []string{"Latif"}},
	{fa: "جلال", latin: []string{"Jalal"}},
	{fa: "کمال", latin: []string{"Kamal"}},
	{fa: "جمال", latin: []string{"Jamal"}},
	{fa: "نیک", latin: []string{"Nik", "Nick"}},
	{fa: "مهر", latin: []string{"Mehr"}},
	{fa: "پاک", latin: []string{"Pak"}},
	{fa: "شاد", latin: []string{"Shad"}},
	{fa: "آزاد", latin: []string{"Azad"}},
	{fa: "بهار", latin: []string{"Bahar"}},
	{fa: "روشن", latin: []string{"Roshan"}},
	{fa: "فاضل", latin: []string{"Fazel"}},
	{fa: "عادل", latin: []string{"Adel"}},
	{fa: "صفا", latin: []string{"Safa"}},
	{fa: "وفا", latin: []string{"Vafa"}},
	{fa: "دانش", latin: []string{"Danesh"}},
	{fa: "کیان", latin: []string{"Kian", "Kiyan"}},
	{fa: "بابا", latin: []string{"Baba"}},
	{fa: "زمان", latin: []string{"Zaman"}},
	{fa: "رحمان", latin: []string{"Rahman"}},
	{fa: "قربان", latin: []string{"Ghorban", "Qorban"}},
	{fa: "رمضان", latin: []string{"Ramezan", "Ramazan"}},
	{fa: "نجف", latin: []string{"Najaf"}},
	{fa: "تهران", latin: []string{"Tehran"}, place: true},
	{fa: "شیراز", latin: []string{"Shiraz"}, place: true},
	{fa: "اصفهان", latin: []string{"Esfahan", "Isfahan"}, place: true},
	{fa: "تبریز", latin: []string{"Tabriz"}, place: true},
	{fa: "کاشان", latin: []string{"Kashan"}, place: true},
	{fa: "یزد", latin: []string{"Yazd"}, place: true},
	{fa: "کرمان", latin: []string{"Kerman"}, place: true},
	{fa: "مشهد", latin: []string{"Mashhad", "Mashad"}, place: true},
	{fa: "قزوین", latin: []string{"Ghazvin", "Qazvin"}, place: true},
	{fa: "زنجان", latin: []string{"Zanjan"}, place: true},
	{fa: "همدان", latin: []string{"Hamedan", "Hamadan"}, place: true},
	{fa: "رشت", latin: []string{"Rasht"}, place: true},
	{fa: "سمنان", latin: []string{"Semnan"}, place: true},
	{fa: "خراسان", latin: []string{"Khorasan"}, place: true},
	{fa: "گیلان", latin: []string{"Gilan"}, place: true},
	{fa: "اراک", latin: []string{"Arak"}, place: true},
	{fa: "بروجرد", latin: []string{"Boroujerd", "Borujerd"}, place: true},
	{fa: "دامغان", latin: []string{"Damghan"}, place: true},
	{fa: "نایین", latin: []string{"Naein", "Naeen"}, place: true},
	{fa: "اردبیل", latin: []string{"Ardabil"}, place: true},
	{fa: "لاهیجان", latin: []string{"Lahijan"}, place: true},
	{fa: "کرد", latin: []string{"Kord", "Kurd"}, place: true},
	{fa: "لر", latin: []string{"Lor", "Lur"}, place: true},
	{fa: "ترک", latin: []string{"Tork", "Turk"}, place: true},
}

// surnameSuffix is one way a Persian surname ends. split says lists also
// write it apart (Ahmad Pour, Hassan-Zadeh), as the default tables mark
// with "|"; zwnj says the usual Persian form has a non-joiner there.
type surnameSuffix struct {
	fa      string
	latin   []string
	split   bool
	zwnj    bool
	person  bool // after a person's name
	ofPlace bool // after a place
}

var surnameSuffixes = []surnameSuffix{
	{fa: "ی", latin: []string{"i"}, person: true, ofPlace: true},
	{fa: "پور", latin: []string{"pour", "pur", "poor"}, split: true, person: true},
	{fa: "زاده", latin: []string{"zadeh", "zade"}, split: true, zwnj: true, person: true, ofPlace: true},
	{fa: "نژاد", latin: []string{"nejad", "nezhad", "nejhad"}, split: true, person: true, ofPlace: true},
	{fa: "فر", latin: []string{"far"}, person: true},
	{fa: "راد", latin: []string{"rad"}, person: true},
	{fa: "نیا", latin: []string{"nia", "niya"}, person: true},
	{fa: "خانی", latin: []string{"khani"}, person: true},
	{fa: "لو", latin: []string{"lou", "lu", "loo"}, person: true},
	{fa: "وند", latin: []string{"vand"}, person: true},
	{fa: "آبادی", latin: []string{"abadi"}, person: true},
	{fa: "منش", latin: []string{"manesh"}, person: true},
	{fa: "دوست", latin: []string{"doust", "doost", "dust"}, split: true, zwnj: true, person: true},
	{fa: "کیا", latin: []string{"kia", "kiya"}, person: true},
	{fa: "یان", latin: []string{"ian", "yan"}, person: true},
}

// wideSurnames returns the default surnames, then those built from bases
// and suffixes, then "Mir" before the -i ones (Mirhosseini), in an order
// fixed by a generator of its own: the data set's seed does not change
// which surname is common.
func wideSurnames() []name {
	out := append([]name(nil), surnames...)
	have := map[string]bool{}
	for _, n := range surnames {
		have[strings.ReplaceAll(n.fa, "|", "")] = true
	}
	var built []name
	add := func(n name) {
		if key := strings.ReplaceAll(n.fa, "|", ""); !have[key] {
			have[key] = true
			built = append(built, n)
		}
	}
	bases := append([]surnameBase(nil), surnameBases...)
	seenBase := map[string]bool{}
	for _, b := range bases {
		seenBase[b.fa] = true
	}
	// Every simple given name also makes surnames (Farhadi, Behnampour).
	for _, n := range append(append([]name(nil), maleNames...), moreMaleNames...) {
		if !strings.Contains(n.fa, "|") && !seenBase[n.fa] {
			seenBase[n.fa] = true
			bases = append(bases, surnameBase{fa: n.fa, latin: n.latin[:min(2, len(n.latin))]})
		}
	}
	for _, b := range bases {
		vowel := strings.ContainsAny(b.latin[0][len(b.latin[0])-1:], "aeiou")
		for _, s := range surnameSuffixes {
			if b.place && !s.ofPlace || !b.place && !s.person {
				continue
			}
			if vowel && (s.fa == "ی" || s.fa == "یان") {
				continue // Rezaei, Mousavi: irregular, in the default tables
			}
			n := name{zwnj: s.zwnj}
			sep := ""
			if s.split {
				sep = "|"
			}
			n.fa = b.fa + sep + s.fa
			for i, bl := range b.latin {
				n.latin = append(n.latin, bl+sep+s.latin[0])
				if i == 0 {
					for _, sl := range s.latin[1:] {
						n.latin = append(n.latin, bl+sep+sl)
					}
				}
			}
			add(n)
			if s.fa == "ی" && !b.place {
				lower := strings.ToLower(n.latin[0])
				add(name{fa: "میر" + n.fa, latin: []string{"Mir" + lower}})
				add(name{fa: "پور|" + n.fa, latin: []string{"Pour|" + lower, "Pur|" + lower}})
				add(name{fa: "حاجی|" + n.fa, latin: []string{"Haji|" + lower, "Hadji|" + lower}, zwnj: true})
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(built), func(i, j int) { built[i], built[j] = built[j], built[i] })
	return append(out, built...)
}
