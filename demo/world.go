package demo

import (
	"math/rand/v2"
	"time"

	"peyvand"
	"peyvand/persian"
)

// person is one fictitious human being: the truth that the sources then
// describe, each in its own way and with its own mistakes.
type person struct {
	num                   int // 1-based; Dataset.Truth refers to it
	given, family, father name
	gender                peyvand.Gender
	birthYear, birthMonth int // Gregorian
	home                  int // index in cities
	nationalID            string
	facts                 []fact // what happened, in order
	kin                   int    // sibling group, 0 for none
}

// fact is one thing that happened to a person.
type fact struct {
	status peyvand.Status
	date   time.Time
	city   int
}

// The window of the demo's events: the crackdown and the weeks after it.
var (
	firstDay = time.Date(2025, 12, 28, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)
	peakDay  = time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC)
)

// outcomes weighs where a person's story ends; documented crackdowns count
// many killed and detained, fewer sentenced and executed.
var outcomes = []struct {
	status peyvand.Status
	weight int
}{
	{peyvand.StatusKilled, 28}, {peyvand.StatusDetained, 22}, {peyvand.StatusInjured, 14},
	{peyvand.StatusMissing, 9}, {peyvand.StatusSentenced, 7}, {peyvand.StatusExecuted, 3},
	{peyvand.StatusReleased, 11}, {peyvand.StatusSafe, 6},
}

// newWorld makes n fictitious persons. Some come in groups of siblings who
// share surname, father's name and city: the hardest false matches a
// linkage engine meets, so the demo always has some.
func newWorld(rng *rand.Rand, n int, pool *namePool) []person {
	ps := make([]person, 0, n)
	kin := 0
	for len(ps) < n {
		left := n - len(ps)
		if left >= 2 && (kin == 0 || rng.IntN(100) < 6) {
			kin++
			size := 2
			if left >= 3 && rng.IntN(4) == 0 {
				size = 3
			}
			ps = append(ps, siblings(rng, len(ps), kin, size, pool)...)
			continue
		}
		ps = append(ps, newPerson(rng, len(ps)+1, pool))
	}
	return ps
}

func newPerson(rng *rand.Rand, num int, pool *namePool) person {
	p := person{num: num, gender: peyvand.GenderMale}
	if rng.IntN(100) < 22 {
		p.gender = peyvand.GenderFemale
	}
	p.given = pool.givenName(rng, p.gender)
	p.family = pool.surname(rng)
	for {
		p.father = pool.maleName(rng)
		if p.father.fa != p.given.fa {
			break
		}
	}
	p.birthYear, p.birthMonth = 2026-age(rng), 1+rng.IntN(12)
	p.home = pickCity(rng)
	if rng.IntN(100) < 65 {
		p.nationalID = newNationalID(rng)
	}
	p.facts = story(rng, p.home)
	return p
}

// siblings makes size brothers and sisters; twins share a birth year.
func siblings(rng *rand.Rand, have, kin, size int, pool *namePool) []person {
	first := newPerson(rng, have+1, pool)
	first.kin = kin
	out := []person{first}
	for len(out) < size {
		p := newPerson(rng, have+len(out)+1, pool)
		p.family, p.father, p.home, p.kin = first.family, first.father, first.home, kin
		if rng.IntN(5) == 0 {
			p.birthYear = first.birthYear
		} else {
			p.birthYear = min(first.birthYear+rng.IntN(17)-8, 2014)
		}
		for p.given.fa == first.given.fa || p.given.fa == out[len(out)-1].given.fa {
			p.given = pool.givenName(rng, p.gender)
		}
		out = append(out, p)
	}
	return out
}

func (p *namePool) givenName(rng *rand.Rand, g peyvand.Gender) name {
	if g == peyvand.GenderFemale {
		return p.femaleName(rng)
	}
	return p.maleName(rng)
}

// age draws an age in 2026: mostly young adults, some minors, some older.
func age(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r < 8:
		return 13 + rng.IntN(5)
	case r < 63:
		return 18 + rng.IntN(13)
	case r < 88:
		return 31 + rng.IntN(15)
	}
	return 46 + rng.IntN(25)
}

func pickCity(rng *rand.Rand) int {
	total := 0
	for _, c := range cities {
		total += c.weight
	}
	r := rng.IntN(total)
	for i, c := range cities {
		if r < c.weight {
			return i
		}
		r -= c.weight
	}
	return 0
}

// story draws what happened to a person, from the first event to the last
// one known by mid-February 2026.
func story(rng *rand.Rand, home int) []fact {
	total := 0
	for _, o := range outcomes {
		total += o.weight
	}
	r := rng.IntN(total)
	end := outcomes[0].status
	for _, o := range outcomes {
		if r < o.weight {
			end = o.status
			break
		}
		r -= o.weight
	}
	where := home
	if rng.IntN(100) < 15 {
		where = pickCity(rng)
	}
	d := firstDate(rng)
	later := func(minDays, maxDays int) time.Time {
		t := d.AddDate(0, 0, minDays+rng.IntN(maxDays-minDays+1))
		if t.After(lastDay) {
			t = lastDay
		}
		d = t
		return t
	}
	f := func(s peyvand.Status, t time.Time) fact { return fact{status: s, date: t, city: where} }
	start := d
	switch end {
	case peyvand.StatusKilled:
		if rng.IntN(4) == 0 {
			return []fact{f(peyvand.StatusInjured, start), f(peyvand.StatusKilled, later(0, 6))}
		}
		return []fact{f(peyvand.StatusKilled, start)}
	case peyvand.StatusSentenced:
		return []fact{f(peyvand.StatusDetained, start), f(peyvand.StatusSentenced, later(12, 30))}
	case peyvand.StatusExecuted:
		return []fact{f(peyvand.StatusDetained, start), f(peyvand.StatusSentenced, later(10, 20)),
			f(peyvand.StatusExecuted, later(5, 20))}
	case peyvand.StatusReleased:
		return []fact{f(peyvand.StatusDetained, start), f(peyvand.StatusReleased, later(3, 25))}
	case peyvand.StatusSafe:
		return []fact{f(peyvand.StatusMissing, start), f(peyvand.StatusSafe, later(2, 12))}
	case peyvand.StatusDetained:
		if rng.IntN(5) == 0 {
			return []fact{f(peyvand.StatusInjured, start), f(peyvand.StatusDetained, later(0, 3))}
		}
	}
	return []fact{f(end, start)}
}

// firstDate draws the day a person's story starts: half on the peak days
// of the crackdown, the rest spread over the first weeks.
func firstDate(rng *rand.Rand) time.Time {
	if rng.IntN(2) == 0 {
		return peakDay.AddDate(0, 0, rng.IntN(3))
	}
	return firstDay.AddDate(0, 0, rng.IntN(24))
}

// ageOn is the person's age on day t.
func (p person) ageOn(t time.Time) int {
	a := t.Year() - p.birthYear
	if int(t.Month()) < p.birthMonth {
		a--
	}
	return max(a, 0)
}

// last is the person's latest fact; first the earliest.
func (p person) last() fact  { return p.facts[len(p.facts)-1] }
func (p person) first() fact { return p.facts[0] }

func dateOf(t time.Time) peyvand.Date {
	return peyvand.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// newNationalID draws a valid Iranian national ID: nine random digits and
// the one check digit that persian.ValidNationalID accepts.
func newNationalID(rng *rand.Rand) string {
	for {
		b := make([]byte, 10)
		for i := range 9 {
			b[i] = byte('0' + rng.IntN(10))
		}
		for c := byte('0'); c <= '9'; c++ {
			b[9] = c
			if s := string(b); persian.ValidNationalID(s) {
				return s
			}
		}
	}
}

// miswrite copies a national ID with one digit wrong, as a hurried hand
// writes it; the result is usually, not always, invalid.
func miswrite(rng *rand.Rand, id string) string {
	b := []byte(id)
	i := rng.IntN(10)
	b[i] = '0' + (b[i]-'0'+1+byte(rng.IntN(9)))%10
	return string(b)
}
