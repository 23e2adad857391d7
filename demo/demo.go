// Package demo generates and loads a fictitious data set, so that Peyvand
// can be shown, tried and tested without a single real person in it.
//
// The data look like what documenters receive: some 300 invented persons,
// listed by four or five sources that overlap, each with its own script,
// spelling habits and gaps (Persian and Latin names, German and French
// romanisations, ages instead of birth years, Arabic letter forms, typos,
// invalid national IDs), siblings who share surname, father's name and city,
// and families' inquiries. Every source is named "demo-…" and says it is
// fictitious, and so does every record's notes.
package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"peyvand"
)

// Options for the generator; zero values mean sensible defaults.
type Options struct {
	Seed    int64
	Persons int // how many fictitious persons; default 300
	// WideNames draws names from some 300 given names and 2,700
	// surnames with the skew of real frequencies, instead of the
	// 62 given names and 50 surnames drawn uniformly by default: for
	// benchmarks at a million records, where the default pool puts more
	// than a hundred persons behind every full name. It changes the data
	// set a seed gives; the default does not change.
	WideNames bool
}

// DefaultPersons is the number of persons when Options.Persons is zero.
const DefaultPersons = 300

// Dataset is what Generate produces: per source, the rows to import, and
// some families' inquiries.
type Dataset struct {
	Sources   []SourceRows
	Inquiries []InquirySpec
	// Truth maps Key(source name, record id) to the number of the
	// fictitious person the row describes: the ground truth against which
	// record linkage can be scored. Rows with the same number are the same
	// person; rows with different numbers are not, however alike.
	Truth map[string]int
}

// SourceRows is one source and the rows it brings.
type SourceRows struct {
	Source peyvand.Source
	Rows   []peyvand.ImportRow
}

// InquirySpec is one family's inquiry: the inquiry, the person sought as
// the family describes them, and the inquiry's private code.
type InquirySpec struct {
	Inquiry peyvand.Inquiry
	Record  peyvand.Record
	Code    string
	Person  int // the fictitious person sought, as in Dataset.Truth
}

// Key names a row in Dataset.Truth.
func Key(source, recordID string) string { return source + "/" + recordID }

// Fictitious is the mark every demo source and record carries.
const Fictitious = "fictitious demo data"

// Generate makes a data set. The same options always give the same data
// set, so that a demo, a test or a benchmark can be repeated exactly.
func Generate(opt Options) Dataset {
	if opt.Persons <= 0 {
		opt.Persons = DefaultPersons
	}
	seed := uint64(opt.Seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pool := defaultPool()
	if opt.WideNames {
		pool = widePool()
	}
	world := newWorld(rng, opt.Persons, pool)
	defs := sourceDefs()
	members := assign(rng, world, defs)

	d := Dataset{Truth: map[string]int{}}
	for i, def := range defs {
		sr := SourceRows{Source: def.src}
		// Sources list people in their own order, not the world's.
		rng.Shuffle(len(members[i]), func(a, b int) {
			members[i][a], members[i][b] = members[i][b], members[i][a]
		})
		for j, pi := range members[i] {
			row := def.row(rng, world[pi])
			row.Record.ExternalID = fmt.Sprintf(def.idFormat, j+1)
			row.Line = j + 2 // as in a spreadsheet with a header row
			sr.Rows = append(sr.Rows, row)
			d.Truth[Key(def.src.Name, row.Record.ExternalID)] = world[pi].num
		}
		d.Sources = append(d.Sources, sr)
	}
	d.Inquiries = inquiries(rng, world, min(10, max(1, opt.Persons/30)))
	return d
}

// assign decides which sources list each person: every person is on one to
// four sources. Siblings are always on the first list, because families
// report them together and the demo must show them side by side.
func assign(rng *rand.Rand, world []person, defs []sourceDef) [][]int {
	members := make([][]int, len(defs))
	for pi, p := range world {
		var on []int
		for si, def := range defs {
			if (si == 0 && p.kin != 0) || rng.IntN(100) < def.chance(p) {
				on = append(on, si)
			}
		}
		switch {
		case len(on) == 0:
			on = append(on, rng.IntN(2)) // one of the two big lists
		case len(on) > 4:
			drop := 1 + rng.IntN(len(on)-1) // never the first list
			on = slices.Delete(on, drop, drop+1)
		}
		for _, si := range on {
			members[si] = append(members[si], pi)
		}
	}
	return members
}

// codeAlphabet is the Crockford base32 alphabet of inquiry codes.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// demoCode draws an inquiry code in the format of peyvand.NewInquiryCode.
// It comes from the seeded generator so that the demo is repeatable:
// these codes open fictitious inquiries and are not secrets.
func demoCode(rng *rand.Rand) string {
	var b strings.Builder
	for i := range peyvand.CodeLength {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[rng.IntN(len(codeAlphabet))])
	}
	return b.String()
}
