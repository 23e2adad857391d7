package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"peyvand"
	"peyvand/persian"
)

func witnessChance(p person) int {
	switch p.first().status {
	case peyvand.StatusKilled, peyvand.StatusInjured:
		return 35
	case peyvand.StatusDetained:
		return 25
	}
	return 10
}

// witnessRow is a witness's report: what they saw, of someone they may
// know only by first name, with an age guessed to the nearest five years.
// Who the witness is and what they said are sealed fields.
func witnessRow(rng *rand.Rand, p person) peyvand.ImportRow {
	f := p.first()
	inPersian := pct(rng, 65)
	var r peyvand.Record
	if inPersian {
		r.GivenName = persianName(p.given, pickCompound(rng, joined), pct(rng, 10))
		if pct(rng, 70) {
			r.FamilyName = persianName(p.family, pickCompound(rng, joined), false)
		}
		r.City = cities[f.city].fa
	} else {
		r.GivenName = latinName(rng, p.given, english, pickCompound(rng, spaced))
		if pct(rng, 70) {
			r.FamilyName = latinName(rng, p.family, english, joined)
		}
		r.City = cityLatin(rng, cities[f.city], english)
	}
	r.FullName = r.GivenName
	if r.FamilyName != "" {
		r.FullName += " " + r.FamilyName
	}
	if pct(rng, 60) {
		r.Gender = p.gender
	}
	about := roughAge(p.ageOn(f.date))
	r.Age, r.AgeDate = about, dateOf(f.date)
	r.Reporter = fmt.Sprintf("fictitious witness W-%03d (demo)", 1+rng.IntN(60))
	e := peyvand.StatusEvent{Status: f.status, Place: cities[f.city].latin[0], Verification: peyvand.Reported,
		Reporter: r.Reporter}
	if pct(rng, 85) {
		e.Date = dateOf(f.date)
	}
	if inPersian {
		e.Place = cities[f.city].fa
		r.Notes = "شهادت ساختگی: حدود " + persian.PersianDigits(strconv.Itoa(about)) + " ساله. " + testimonyFa(f.status) + " — " + Fictitious
	} else {
		r.Notes = "fictitious testimony: about " + strconv.Itoa(about) + " years old. " + testimonyEn(f.status)
	}
	e.Text = r.Notes
	return peyvand.ImportRow{Record: r, Events: []peyvand.StatusEvent{e}}
}

// roughAge is an age as a witness gives it: "about 30".
func roughAge(a int) int {
	if a < 20 {
		return a
	}
	return (a + 2) / 5 * 5
}

func testimonyEn(s peyvand.Status) string {
	switch s {
	case peyvand.StatusKilled:
		return "Saw them shot in the street during the protest."
	case peyvand.StatusInjured:
		return "Saw them wounded by pellets and carried to a hospital."
	case peyvand.StatusDetained:
		return "Saw them taken away by plain-clothes agents."
	}
	return "Has not seen them since the protest."
}

func testimonyFa(s peyvand.Status) string {
	switch s {
	case peyvand.StatusKilled:
		return "دیدم که در خیابان هدف گلوله قرار گرفت."
	case peyvand.StatusInjured:
		return "دیدم که با ساچمه زخمی شد و به بیمارستان بردندش."
	case peyvand.StatusDetained:
		return "دیدم که مأموران لباس‌شخصی او را بردند."
	}
	return "از روز اعتراض دیگر او را ندیده‌ام."
}

func newsChance(p person) int {
	switch p.last().status {
	case peyvand.StatusKilled, peyvand.StatusExecuted:
		return 40
	case peyvand.StatusSentenced:
		return 30
	}
	return 6
}

// newsRow is a person named in a news item: a name, an age, a city.
func newsRow(rng *rand.Rand, p person) peyvand.ImportRow {
	f := p.last()
	var r peyvand.Record
	e := peyvand.StatusEvent{Status: f.status, Verification: peyvand.Reported, Evidence: "news item (fictitious)"}
	if pct(rng, 50) {
		r.FullName = persianName(p.given, pickCompound(rng, joined), false) + " " +
			persianName(p.family, pickCompound(rng, joined), false)
		r.City, e.Place = cities[p.home].fa, placeFa(f)
	} else {
		h := english
		if n := rng.IntN(100); n < 15 {
			h = german
		} else if n < 30 {
			h = french
		}
		r.FullName = latinName(rng, p.given, h, pickCompound(rng, spaced)) + " " +
			latinName(rng, p.family, h, pickCompound(rng, joined))
		r.City, e.Place = cityLatin(rng, cities[p.home], h), placeEn(f)
	}
	if pct(rng, 4) {
		r.FullName = typo(rng, r.FullName)
	}
	if pct(rng, 70) {
		r.Gender = p.gender
	}
	if pct(rng, 80) {
		r.Age, r.AgeDate = p.ageOn(f.date), dateOf(f.date)
	}
	if pct(rng, 90) {
		e.Date = dateOf(f.date)
	}
	r.Notes = Fictitious
	return peyvand.ImportRow{Record: r, Events: []peyvand.StatusEvent{e}}
}

// relations are how families describe themselves, in both languages; a
// spouse or a grown child searches only for an adult.
var relations = []struct {
	fa, en string
	minAge int
}{
	{"مادر", "mother", 0}, {"پدر", "father", 0}, {"خواهر", "sister", 0}, {"برادر", "brother", 0},
	{"دخترعمو", "cousin", 0}, {"عمه", "aunt", 0}, {"همسر", "spouse", 20}, {"پسر", "son", 40},
}

// diaspora are where the demo families write from, with the spelling habit
// of the country.
var diaspora = []struct {
	prefix string
	h      habit
}{
	{"+49 151", german}, {"+33 6", french}, {"+44 7700", english}, {"+46 70", english},
	{"+31 6", english}, {"+1 555", english},
}

// inquiries makes n families' inquiries, mostly for the missing and the
// detained, whose families search hardest.
func inquiries(rng *rand.Rand, world []person, n int) []InquirySpec {
	var wanted, others []int
	for i, p := range world {
		switch p.first().status {
		case peyvand.StatusMissing, peyvand.StatusDetained:
			wanted = append(wanted, i)
		default:
			others = append(others, i)
		}
	}
	rng.Shuffle(len(wanted), func(a, b int) { wanted[a], wanted[b] = wanted[b], wanted[a] })
	rng.Shuffle(len(others), func(a, b int) { others[a], others[b] = others[b], others[a] })
	pick := append(wanted[:min(len(wanted), n*8/10)], others...)
	var out []InquirySpec
	for _, pi := range pick[:min(n, len(pick))] {
		out = append(out, inquiry(rng, world[pi]))
	}
	return out
}

func inquiry(rng *rand.Rand, p person) InquirySpec {
	from := diaspora[rng.IntN(len(diaspora))]
	rel := relations[rng.IntN(len(relations))]
	for p.ageOn(lastDay) < rel.minAge {
		rel = relations[rng.IntN(len(relations))]
	}
	c := cities[p.home]
	r := peyvand.Record{Gender: p.gender, BirthYear: p.birthYear}
	in := peyvand.Inquiry{State: peyvand.InquiryOpen,
		Contact: fmt.Sprintf("demo contact %s %04d %04d", from.prefix, rng.IntN(10000), rng.IntN(10000))}
	if pct(rng, 55) {
		r.GivenName = persianName(p.given, joined, false)
		r.FamilyName = persianName(p.family, joined, false)
		r.FatherName = persianName(p.father, joined, false)
		r.City, r.Province = c.fa, c.provinceFa
		r.Notes = "درخواست ساختگی خانواده — " + Fictitious
		in.Relationship = rel.fa
	} else {
		r.GivenName = latinName(rng, p.given, from.h, spaced)
		r.FamilyName = latinName(rng, p.family, from.h, joined)
		r.FatherName = latinName(rng, p.father, from.h, spaced)
		r.City, r.Province = cityLatin(rng, c, from.h), c.provinceEn
		r.Notes = "fictitious family inquiry — " + Fictitious
		in.Relationship = rel.en
	}
	r.FullName = r.GivenName + " " + r.FamilyName
	if pct(rng, 20) {
		r.FatherName = "" // not every family thinks to give it
	}
	if p.nationalID != "" && pct(rng, 40) {
		r.NationalID, r.NationalIDValid = p.nationalID, true
	}
	return InquirySpec{Inquiry: in, Record: r, Code: demoCode(rng), Person: p.num}
}
