package demo

import (
	"math/rand/v2"
	"strings"
	"time"

	"peyvand"
	"peyvand/persian"
)

// sourceDef is one demo source: who it is, how likely it is to list a
// person, and how it writes a row.
type sourceDef struct {
	src      peyvand.Source
	idFormat string             // the source's own record ids
	chance   func(p person) int // per cent
	row      func(*rand.Rand, person) peyvand.ImportRow
}

func received(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 12, 0, 0, 0, time.UTC) }

// sourceDefs lists the demo sources. The two organisations compile their
// lists independently; the UN-style compilation and the news digest draw on
// others' work, and say so, because multiple systems estimation must know.
func sourceDefs() []sourceDef {
	org := func(s string) string { return s + " (" + Fictitious + ")" }
	return []sourceDef{
		{src: peyvand.Source{Name: "demo-hr-group-a", Kind: peyvand.SourceList, Independent: true,
			Organisation: org("Demo human-rights group A"), ReceivedAt: received(2, 12)},
			idFormat: "A-%04d", chance: func(person) int { return 55 }, row: groupARow},
		{src: peyvand.Source{Name: "demo-hr-group-b", Kind: peyvand.SourceList, Independent: true,
			Organisation: org("Demo human-rights group B"), ReceivedAt: received(2, 10)},
			idFormat: "HRB-2026-%04d", chance: func(person) int { return 45 }, row: groupBRow},
		{src: peyvand.Source{Name: "demo-un-list", Kind: peyvand.SourceList, Independent: false,
			Organisation: org("Demo UN-style compilation"), ReceivedAt: received(2, 14)},
			idFormat: "UN-IR-%04d", chance: unChance, row: unRow},
		{src: peyvand.Source{Name: "demo-witness-reports", Kind: peyvand.SourceWitness, Independent: true,
			Organisation: org("Demo witness network"), ReceivedAt: received(2, 15)},
			idFormat: "W-%04d", chance: witnessChance, row: witnessRow},
		{src: peyvand.Source{Name: "demo-news", Kind: peyvand.SourceNews, Independent: false,
			Organisation: org("Demo news digest"), ReceivedAt: received(2, 15)},
			idFormat: "N-%04d", chance: newsChance, row: newsRow},
	}
}

func pct(rng *rand.Rand, p int) bool { return rng.IntN(100) < p }

// groupARow is a row of an organisation's list kept in Persian: full
// fields, Jalali birth years converted, sometimes an Arabic keyboard.
func groupARow(rng *rand.Rand, p person) peyvand.ImportRow {
	arabic := pct(rng, 15)
	c := cities[p.home]
	r := peyvand.Record{
		GivenName:  persianName(p.given, pickCompound(rng, joined), arabic),
		FamilyName: persianName(p.family, pickCompound(rng, joined), arabic),
		City:       c.fa,
		Notes:      "رکورد ساختگی — " + Fictitious,
	}
	if pct(rng, 3) {
		r.GivenName = typo(rng, r.GivenName)
	}
	r.FullName = r.GivenName + " " + r.FamilyName
	if p.kin == 0 && pct(rng, 8) {
		r.GivenName, r.FamilyName = "", "" // the list has one name column
	}
	if p.kin != 0 || pct(rng, 80) {
		r.FatherName = persianName(p.father, joined, arabic)
	}
	if pct(rng, 95) {
		r.Gender = p.gender
	}
	switch n := rng.IntN(100); {
	case n < 75:
		r.BirthYear = jalaliConverted(rng, p)
	case n < 90:
		r.Age, r.AgeDate = p.ageOn(p.first().date), dateOf(p.first().date)
	}
	if pct(rng, 85) {
		r.Province = c.provinceFa
	}
	setNationalID(rng, &r, p, 60)
	facts := p.facts
	if len(facts) > 1 && pct(rng, 15) {
		facts = facts[:len(facts)-1] // the list has not caught up yet
	}
	var events []peyvand.StatusEvent
	for _, f := range facts {
		e := peyvand.StatusEvent{Status: f.status, Date: dateOf(f.date), Place: placeFa(f), Verification: peyvand.Reported}
		if (f.status == peyvand.StatusKilled || f.status == peyvand.StatusExecuted) && pct(rng, 40) {
			e.Verification, e.Evidence = peyvand.Corroborated, "گواهی فوت و گفت‌وگو با خانواده (ساختگی)"
		}
		events = append(events, e)
	}
	return peyvand.ImportRow{Record: r, Events: events}
}

// jalaliConverted is the Gregorian birth year a list holds after its
// Jalali year was converted by adding 621: right for births after Nowruz
// (about 21 March), one year early for births before it.
func jalaliConverted(rng *rand.Rand, p person) int {
	if p.birthMonth < 3 || (p.birthMonth == 3 && pct(rng, 66)) {
		return p.birthYear - 1
	}
	return p.birthYear
}

// setNationalID copies the person's national ID into r with the given
// chance; a few are miswritten and flagged invalid.
func setNationalID(rng *rand.Rand, r *peyvand.Record, p person, chance int) {
	if p.nationalID == "" || !pct(rng, chance) {
		return
	}
	r.NationalID = p.nationalID
	if pct(rng, 8) {
		r.NationalID = miswrite(rng, p.nationalID)
	}
	r.NationalIDValid = persian.ValidNationalID(r.NationalID)
}

// groupBRow is a row of an organisation's list in English romanisation.
func groupBRow(rng *rand.Rand, p person) peyvand.ImportRow {
	h := english
	if n := rng.IntN(100); n < 10 {
		h = german
	} else if n < 15 {
		h = french
	}
	c := cities[p.home]
	r := peyvand.Record{
		GivenName:  latinName(rng, p.given, h, pickCompound(rng, spaced)),
		FamilyName: latinName(rng, p.family, h, pickCompound(rng, joined)),
		City:       cityLatin(rng, c, h),
		Notes:      Fictitious,
	}
	if pct(rng, 5) {
		r.FamilyName = typo(rng, r.FamilyName)
	}
	r.FullName = r.GivenName + " " + r.FamilyName
	if pct(rng, 40) {
		r.FatherName = latinName(rng, p.father, h, spaced)
	}
	if pct(rng, 90) {
		r.Gender = p.gender
	}
	switch n := rng.IntN(100); {
	case n < 55:
		r.Age, r.AgeDate = p.ageOn(p.first().date), dateOf(p.first().date)
	case n < 85:
		r.BirthYear = p.birthYear
	}
	if pct(rng, 60) {
		r.Province = c.provinceEn
	}
	setNationalID(rng, &r, p, 25)
	f := p.last()
	e := peyvand.StatusEvent{Status: f.status, Date: dateOf(f.date), Place: placeEn(f), Verification: peyvand.Reported}
	if pct(rng, 20) {
		e.Date.Day = 0 // the list gives the month only
	}
	if pct(rng, 30) {
		e.Evidence = "family testimony (fictitious)"
	}
	return peyvand.ImportRow{Record: r, Events: []peyvand.StatusEvent{e}}
}

func unChance(p person) int {
	switch p.last().status {
	case peyvand.StatusKilled, peyvand.StatusExecuted, peyvand.StatusSentenced:
		return 50
	case peyvand.StatusDetained:
		return 25
	}
	return 8
}

// unRow is a row of a UN-style compilation: "HOSSEINI, Mohammad-Reza",
// romanised by whichever office took the submission.
func unRow(rng *rand.Rand, p person) peyvand.ImportRow {
	h := habit(rng.IntN(3))
	c := cities[p.home]
	given := latinName(rng, p.given, h, pickCompound(rng, hyphen))
	family := strings.ToUpper(latinName(rng, p.family, h, pickCompound(rng, joined)))
	r := peyvand.Record{
		FullName: family + ", " + given, GivenName: given, FamilyName: family,
		Gender: p.gender, City: cityLatin(rng, c, h), Province: c.provinceEn, Notes: Fictitious,
	}
	if pct(rng, 30) {
		r.FatherName = latinName(rng, p.father, h, hyphen)
	}
	switch n := rng.IntN(100); {
	case n < 60:
		r.BirthYear = p.birthYear
	case n < 85:
		r.Age, r.AgeDate = p.ageOn(p.first().date), dateOf(p.first().date)
	}
	setNationalID(rng, &r, p, 10)
	var events []peyvand.StatusEvent
	for _, f := range p.facts {
		switch f.status {
		case peyvand.StatusDetained, peyvand.StatusSentenced, peyvand.StatusExecuted, peyvand.StatusKilled:
			events = append(events, peyvand.StatusEvent{Status: f.status, Date: dateOf(f.date), Place: placeEn(f),
				Verification: peyvand.Reported, Evidence: "submission to a UN-style mechanism (fictitious)"})
		}
	}
	if len(events) == 0 {
		f := p.last()
		events = append(events, peyvand.StatusEvent{Status: f.status, Date: dateOf(f.date), Place: placeEn(f),
			Verification: peyvand.Reported})
	}
	return peyvand.ImportRow{Record: r, Events: events}
}

// cityLatin spells a city name in Latin script, usually as English does.
func cityLatin(rng *rand.Rand, c city, h habit) string {
	if len(c.latin) > 1 && (h != english || pct(rng, 15)) {
		return c.latin[1+rng.IntN(len(c.latin)-1)]
	}
	return c.latin[0]
}

// placeFa and placeEn say where a fact happened: the prison for a
// detention, the court for a sentence, the city otherwise.
func placeFa(f fact) string {
	c := cities[f.city]
	switch f.status {
	case peyvand.StatusDetained, peyvand.StatusExecuted:
		if c.prisonFa != "" {
			return c.prisonFa + "، " + c.fa
		}
	case peyvand.StatusSentenced:
		return "دادگاه انقلاب " + c.fa
	}
	return c.fa
}

func placeEn(f fact) string {
	c := cities[f.city]
	switch f.status {
	case peyvand.StatusDetained, peyvand.StatusExecuted:
		if c.prisonEn != "" {
			return c.prisonEn + ", " + c.latin[0]
		}
	case peyvand.StatusSentenced:
		return "Revolutionary Court, " + c.latin[0]
	}
	return c.latin[0]
}
