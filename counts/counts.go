// Package counts gives the documented counts of persons (not records): by
// current status, verification level, province, city, date, age band,
// gender and list, and the overlap between lists that multiple systems
// estimation starts from.
package counts

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"peyvand"
	"peyvand/names"
	"peyvand/persian"
)

// Dimensions are the ways persons can be counted.
var Dimensions = []string{"status", "verification", "province", "city", "date", "week", "age_band", "gender", "list"}

// Person is what counting needs to know of one person, derived from all
// their records and status events.
type Person struct {
	ID           string
	Status       peyvand.Status // current status; "" when no event says anything
	Verification peyvand.Verification
	Date         peyvand.Date // of the current status event
	Province     string
	City         string
	Gender       peyvand.Gender
	Age          int      // at the date of the current event; 0 when unknown
	Lists        []string // names of the sources that list the person, sorted
}

// Persons derives a Person for every person standing in the store (not
// merged into another). It reads all records and events once.
func Persons(ctx context.Context, s peyvand.Store) ([]Person, error) {
	srcs, err := s.Sources(ctx)
	if err != nil {
		return nil, err
	}
	srcName := map[string]string{}
	for _, src := range srcs {
		srcName[src.ID] = src.Name
	}
	byPerson := map[string][]peyvand.Record{}
	recPerson := map[string]string{}
	err = s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		r.Contact, r.Reporter, r.Notes = "", "", "" // not needed; do not keep sealed data around
		byPerson[r.PersonID] = append(byPerson[r.PersonID], r)
		recPerson[r.ID] = r.PersonID
		return nil
	})
	if err != nil {
		return nil, err
	}
	events := map[string][]peyvand.StatusEvent{}
	err = s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		e.Text, e.Reporter, e.Contact = "", "", ""
		events[recPerson[e.RecordID]] = append(events[recPerson[e.RecordID]], e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []Person
	err = s.WalkPersons(ctx, func(p peyvand.Person) error {
		if p.MergedInto != "" || len(byPerson[p.ID]) == 0 {
			return nil
		}
		out = append(out, derive(p.ID, byPerson[p.ID], events[p.ID], srcName))
		return nil
	})
	unifySpellings(out, func(p *Person) *string { return &p.Province })
	unifySpellings(out, func(p *Person) *string { return &p.City })
	return out, err
}

// placeKey groups the spellings of one place. A list written abroad says
// "Tehran" or "Kurdistan" where one written in Iran says تهران or کردستان:
// every spelling of a province, in either script (persian.Province), is one
// key, and so is every spelling of a city that shares a province's name
// (Tehran, Qom, Yazd…). Other places meet when their phonetic keys agree
// (names.Key: Zahedan and زاهدان are both ZHDN), the key linkage compares
// towns by; two different towns with the same consonants would be counted
// as one, a smaller error than every town counted twice.
func placeKey(v string) string {
	if name, ok := persian.Province(v); ok {
		return name
	}
	if k := names.Key(v); k != "" {
		return "~" + k
	}
	return persian.Fold(v)
}

// unifySpellings gives every person whose place (get) has the same key the
// same spelling: the one most persons have (ties to the first in order), so
// a province is counted once, under the name the registry uses most.
func unifySpellings(persons []Person, get func(*Person) *string) {
	type tally struct {
		n     map[string]int
		best  string
		bestN int
	}
	byKey := map[string]*tally{}
	for i := range persons {
		v := *get(&persons[i])
		if v == "" {
			continue
		}
		k := placeKey(v)
		t := byKey[k]
		if t == nil {
			t = &tally{n: map[string]int{}}
			byKey[k] = t
		}
		t.n[v]++
		if t.n[v] > t.bestN || t.n[v] == t.bestN && v < t.best {
			t.best, t.bestN = v, t.n[v]
		}
	}
	for i := range persons {
		if v := get(&persons[i]); *v != "" {
			*v = byKey[placeKey(*v)].best
		}
	}
}

// derive combines a person's records: the current status from all events;
// for each attribute the value most records give (ties to the earliest
// record), since lists disagree and one typo should not move a person.
func derive(id string, recs []peyvand.Record, evs []peyvand.StatusEvent, srcName map[string]string) Person {
	p := Person{ID: id}
	if cur, ok := peyvand.CurrentStatus(evs); ok {
		p.Status, p.Verification, p.Date = cur.Status, cur.Verification, cur.Date
	}
	p.Province = mostCommonPlace(recs, func(r peyvand.Record) string { return r.Province })
	p.City = mostCommonPlace(recs, func(r peyvand.Record) string { return r.City })
	p.Gender = peyvand.Gender(mostCommon(recs, func(r peyvand.Record) string { return string(r.Gender) }))
	p.Age = age(recs, p.Date)
	lists := map[string]bool{}
	for _, r := range recs {
		lists[srcName[r.SourceID]] = true
	}
	for l := range lists {
		p.Lists = append(p.Lists, l)
	}
	sort.Strings(p.Lists)
	return p
}

func mostCommon(recs []peyvand.Record, get func(peyvand.Record) string) string {
	n := map[string]int{}
	best, bestN := "", 0
	for _, r := range recs {
		v := get(r)
		if v == "" {
			continue
		}
		n[v]++
		if n[v] > bestN {
			best, bestN = v, n[v]
		}
	}
	return best
}

// mostCommonPlace is mostCommon for a place: the records vote by place
// (placeKey), so "Tehran" and تهران count together, and the winner is
// spelled as the first record of that place spells it.
func mostCommonPlace(recs []peyvand.Record, get func(peyvand.Record) string) string {
	n := map[string]int{}
	spelling := map[string]string{}
	best, bestN := "", 0
	for _, r := range recs {
		v := persian.Normalize(get(r))
		if v == "" {
			continue
		}
		k := placeKey(v)
		if _, ok := spelling[k]; !ok {
			spelling[k] = v
		}
		n[k]++
		if n[k] > bestN {
			best, bestN = k, n[k]
		}
	}
	return spelling[best]
}

// age is the person's age at date: from a birth year when a record has one,
// else from an age a record gives (shifted by the years between its date
// and date). Records disagree; the first that can answer answers.
func age(recs []peyvand.Record, date peyvand.Date) int {
	year := date.Year
	for _, r := range recs {
		if r.BirthYear != 0 && year != 0 {
			return max(0, year-r.BirthYear)
		}
	}
	for _, r := range recs {
		if r.Age != 0 {
			if r.AgeDate.Year != 0 && year != 0 {
				return max(0, r.Age+year-r.AgeDate.Year)
			}
			return r.Age
		}
	}
	return 0
}

// Options shape a count.
type Options struct {
	// Jalali labels dates and weeks in the Solar Hijri calendar.
	Jalali bool
	// Status, when set, counts only persons with this current status.
	Status peyvand.Status
}

// Row is one cell of a count.
type Row struct {
	Dimension string `json:"dimension"`
	Value     string `json:"value"`
	Count     int    `json:"count"`
}

// By counts persons along a dimension, largest count first. Persons with
// no value are counted under "unknown", so every dimension adds up to the
// same total.
func By(persons []Person, dim string, opt Options) ([]Row, error) {
	valid := false
	for _, d := range Dimensions {
		valid = valid || d == dim
	}
	if !valid {
		return nil, peyvand.Errorf(peyvand.EINVALID, "cannot count by %q; dimensions are %v", dim, Dimensions)
	}
	n := map[string]int{}
	for _, p := range persons {
		if opt.Status != "" && p.Status != opt.Status {
			continue
		}
		for _, v := range values(p, dim, opt) {
			if v == "" {
				v = "unknown"
			}
			n[v]++
		}
	}
	rows := make([]Row, 0, len(n))
	for v, c := range n {
		rows = append(rows, Row{dim, v, c})
	}
	sort.Slice(rows, func(i, j int) bool {
		if dim == "date" || dim == "week" || dim == "age_band" {
			return rows[i].Value < rows[j].Value
		}
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Value < rows[j].Value
	})
	return rows, nil
}

// values returns the person's values along dim: one, except for lists,
// where a person counts once on every list that has them.
func values(p Person, dim string, opt Options) []string {
	switch dim {
	case "status":
		return []string{string(p.Status)}
	case "verification":
		return []string{string(p.Verification)}
	case "province":
		return []string{p.Province}
	case "city":
		return []string{p.City}
	case "gender":
		return []string{string(p.Gender)}
	case "date":
		return []string{dayLabel(p.Date, opt.Jalali)}
	case "week":
		return []string{weekLabel(p.Date, opt.Jalali)}
	case "age_band":
		return []string{ageBand(p.Age)}
	case "list":
		return p.Lists
	}
	return nil
}

func dayLabel(d peyvand.Date, jalali bool) string {
	if d.Day == 0 {
		return ""
	}
	if jalali {
		return persian.FormatJalali(persian.Date{Year: d.Year, Month: d.Month, Day: d.Day})
	}
	return d.String()
}

// weekLabel names the week (Saturday to Friday, as in Iran) by its first
// day.
func weekLabel(d peyvand.Date, jalali bool) string {
	if d.Day == 0 {
		return ""
	}
	t := civil(d)
	back := (int(t.Weekday()) + 1) % 7 // days since Saturday
	s := t.AddDate(0, 0, -back)
	return dayLabel(peyvand.Date{Year: s.Year(), Month: int(s.Month()), Day: s.Day()}, jalali)
}

// ageBand groups ages the way human-rights reports do: children apart.
func ageBand(a int) string {
	switch {
	case a == 0:
		return ""
	case a < 18:
		return "00-17"
	case a < 25:
		return "18-24"
	case a < 35:
		return "25-34"
	case a < 45:
		return "35-44"
	case a < 60:
		return "45-59"
	}
	return "60+"
}

// Overlap is the capture-history table of the persons: for each
// combination of lists, how many persons are on exactly those lists. It
// is the input of multiple systems estimation.
func Overlap(persons []Person, opt Options) (lists []string, rows map[string]int) {
	lists, idx := listIndex(persons)
	rows = map[string]int{}
	for _, p := range persons {
		if opt.Status != "" && p.Status != opt.Status {
			continue
		}
		rows[history(p, idx)]++
	}
	return lists, rows
}

// OverlapBy is Overlap within each value of a dimension, for an estimate
// by stratum (province, week…): strata[value][history]. Persons with no
// value form the stratum "unknown". Every stratum has the columns of all
// lists. It cannot be by list, since a person on two lists would then be
// in two strata.
func OverlapBy(persons []Person, dim string, opt Options) (lists []string, strata map[string]map[string]int, err error) {
	if dim == "list" || !slices.Contains(Dimensions, dim) {
		return nil, nil, peyvand.Errorf(peyvand.EINVALID, "cannot stratify the overlap by %q; dimensions are %v, except list", dim, Dimensions)
	}
	lists, idx := listIndex(persons)
	strata = map[string]map[string]int{}
	for _, p := range persons {
		if opt.Status != "" && p.Status != opt.Status {
			continue
		}
		v := values(p, dim, opt)[0]
		if v == "" {
			v = "unknown"
		}
		if strata[v] == nil {
			strata[v] = map[string]int{}
		}
		strata[v][history(p, idx)]++
	}
	return lists, strata, nil
}

// listIndex returns the lists the persons are on, sorted, and each one's
// column.
func listIndex(persons []Person) ([]string, map[string]int) {
	idx := map[string]int{}
	for _, p := range persons {
		for _, l := range p.Lists {
			idx[l] = 0
		}
	}
	lists := make([]string, 0, len(idx))
	for l := range idx {
		lists = append(lists, l)
	}
	sort.Strings(lists)
	for i, l := range lists {
		idx[l] = i
	}
	return lists, idx
}

// history is the person's capture history, one '0' or '1' per list.
func history(p Person, idx map[string]int) string {
	key := make([]byte, len(idx))
	for i := range key {
		key[i] = '0'
	}
	for _, l := range p.Lists {
		key[idx[l]] = '1'
	}
	return string(key)
}

// String renders a row for logs and tests.
func (r Row) String() string {
	return fmt.Sprintf("%s=%s:%s", r.Dimension, r.Value, strconv.Itoa(r.Count))
}

// civil is d's first possible day, at noon UTC so time zones cannot move it.
func civil(d peyvand.Date) time.Time {
	return time.Date(d.Year, time.Month(max(d.Month, 1)), max(d.Day, 1), 12, 0, 0, 0, time.UTC)
}
