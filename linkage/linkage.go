// Package linkage finds the records that describe the same person across sources and scripts with a Fellegi–Sunter model learnt from the data.
package linkage

import (
	"encoding/json"
	"fmt"
	"io"
)

// Record is one row of a source: its field values in the order of
// Config.Fields, an empty string meaning the value is missing.
type Record struct {
	ID     string   `json:"id"`
	Source string   `json:"source"`
	Values []string `json:"values"`
}

// Comparison kinds understood by Comparison.Kind.
const (
	KindExact       = "exact"
	KindJaroWinkler = "jaro-winkler"
	KindName        = "name"
	KindNumeric     = "numeric"
	// KindYear reads a year in either calendar, or a date's year; a
	// value may carry its own uncertainty, "1991±2" (a birth year
	// derived from "about 35"), which widens its tolerances.
	KindYear     = "year"
	KindDate     = "date"
	KindIDOneOff = "id-one-digit-off"
)

// Comparison says how two values of a field are graded into levels. Level 0
// is disagreement and the highest level exact agreement; see levelLabels for
// the levels of each kind.
type Comparison struct {
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Thresholds are Jaro–Winkler similarities, highest first
	// (jaro-winkler and name), e.g. [0.95, 0.88].
	Thresholds []float64 `json:"thresholds,omitempty"`
	// Tolerances are absolute differences, smallest first: units for
	// numeric, years for year, days for date, e.g. [1, 2].
	Tolerances []float64 `json:"tolerances,omitempty"`
	// AnyOf lets a value list several, separated by "|", of which a pair
	// is graded by its closest two: the places a record ties a person to
	// (home, and where the event happened), of which a witness may know
	// only the second. Term frequencies count each; a pair that agrees
	// is weighed by the most common of the first record's values.
	AnyOf bool `json:"any_of,omitempty"`
	// NoTypo drops a date's "one digit off" level, so that two dates
	// are graded by their distance alone. Event dates need it: lists
	// shift one event by a day or two (the day of death or the day the
	// body was returned, a Jalali date converted a day off) far more
	// often than they mistype a digit, and in a crackdown of a few weeks
	// a random pair's dates are "one digit off" a third of the time.
	NoTypo bool `json:"no_typo,omitempty"`
}

// AnyOfSeparator separates the values of a field whose Comparison is
// AnyOf.
const AnyOfSeparator = "|"

// Field is one configured column.
type Field struct {
	Name    string     `json:"name"`
	Compare Comparison `json:"compare"`
	// TermFrequency replaces the u-probability of exact agreement by the
	// frequency of the agreed value, so a common surname weighs less.
	TermFrequency bool `json:"term_frequency,omitempty"`
}

// Key functions understood by BlockKey.Func.
const (
	KeyExact = "exact"
	KeyName  = "name-key"
	// KeyNameCoarse is names.CoarseKey of the name key: classes that
	// romanisations confuse (ch/sh/kh, j/y, s/z) merged.
	KeyNameCoarse = "name-coarse"
	// KeyNamePart is, for a compound given name, the coarse key of its
	// part N (1 or 2: Mohammad or Reza of Mohammadreza), and for any
	// other name its coarse key: so that Reza and Mohammadreza share a
	// block.
	KeyNamePart = "name-part"
	KeyPrefix   = "prefix"
	KeyYear     = "year"
	// KeyYearRange is the year divided by N, after adding Offset: two
	// rules of width N offset by N/2 put together every two years less
	// than N/2 apart, such as a birth year and one derived from a rounded
	// age.
	KeyYearRange = "year-range"
)

// BlockKey derives one part of a blocking key from a field.
type BlockKey struct {
	Field string `json:"field"`
	// Func is one of the Key constants; "" means exact.
	Func string `json:"func,omitempty"`
	// N is the number of characters kept by prefix (and, when set, of
	// the coarse key by name-coarse: its first sound or two, which a typo
	// rarely changes), or the width in years of year-range.
	N int `json:"n,omitempty"`
	// Offset is added to the year before year-range divides it.
	Offset int `json:"offset,omitempty"`
	// Last keys, of a field whose values list several (Comparison.AnyOf),
	// the last one rather than the first: a rule can then put a record
	// in the block of the city where its event happened, while another
	// keys its home.
	Last bool `json:"last,omitempty"`
}

// BlockingRule makes two records a candidate pair when all its keys are
// present and equal. The candidate pairs of several rules are unioned.
type BlockingRule struct {
	Keys []BlockKey `json:"keys"`
	// Missing, when set, names a field of which at least one record of
	// a pair must lack a value: a rule for the records a coarser key
	// must catch (a witness who gave no surname) that would otherwise
	// pair every namesake with every other.
	Missing string `json:"missing,omitempty"`
	// AnyOrder sorts the keys' parts before they make the block, so a
	// rule on given and family name also pairs records whose two names
	// are swapped (see Config.Swaps).
	AnyOrder bool `json:"any_order,omitempty"`
	// Similar, when set, names a field on which the two records of a
	// pair must not disagree (its level above 0): a rule that blocks on
	// a name's first sound, to catch typos, would otherwise pair every
	// Mohammad with every Mehdi of one surname and city.
	Similar string `json:"similar,omitempty"`
}

// Conflict lists fields that, when all present and all at level 0
// (disagreement) for some pair, forbid the two records to share a cluster:
// a different national ID, or a different birth year and given name.
type Conflict struct {
	Fields []string `json:"fields"`
}

// Thresholds are match probabilities.
type Thresholds struct {
	// Match links a pair at or above it.
	Match float64 `json:"match"`
	// Review sends pairs in [Review, Match) to a reviewer.
	Review float64 `json:"review"`
	// Cluster is the least mean match probability over all cross pairs
	// of two clusters that may merge (average linkage); 0 means Match.
	Cluster float64 `json:"cluster,omitempty"`
}

// Config describes the fields, comparisons, blocking and thresholds of a
// linkage.
type Config struct {
	Fields   []Field        `json:"fields"`
	Blocking []BlockingRule `json:"blocking"`
	// Conflicts are cannot-link rules checked when clusters merge.
	Conflicts []Conflict `json:"conflicts,omitempty"`
	// Swaps are pairs of fields that lists confuse, such as given and
	// family name (a form's columns misread, "HOSSEINI Mohammad" without
	// a comma). When two records disagree on both fields of a pair but
	// each agrees with the other's swapped field by key or better, the
	// swapped levels count. The fields must be compared alike.
	Swaps      [][2]string `json:"swaps,omitempty"`
	Thresholds Thresholds  `json:"thresholds"`
	// LinkOnly compares only records of different sources.
	LinkOnly bool `json:"link_only,omitempty"`
	// OnePerSource forbids a cluster to hold two records of one source,
	// for sources known to be free of duplicates.
	OnePerSource bool `json:"one_per_source,omitempty"`
	// MaxBlock skips blocks with more records than this, which would
	// add quadratically many pairs of little value; 0 means 1000.
	MaxBlock int `json:"max_block,omitempty"`
	// MaxCluster bounds the records of a cluster the model builds (a
	// reviewer's "same" may pass it): a merge past it goes to review.
	// 0 means 64.
	MaxCluster int `json:"max_cluster,omitempty"`
}

// DecodeConfig reads a JSON Config and checks it.
func DecodeConfig(r io.Reader) (Config, error) {
	var c Config
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, fmt.Errorf("decode linkage config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate reports the first mistake in c.
func (c Config) Validate() error {
	if len(c.Fields) == 0 {
		return fmt.Errorf("linkage config: no fields")
	}
	seen, anyOf := map[string]bool{}, map[string]bool{}
	for _, f := range c.Fields {
		if f.Name == "" || seen[f.Name] {
			return fmt.Errorf("linkage config: field name %q empty or repeated", f.Name)
		}
		seen[f.Name], anyOf[f.Name] = true, f.Compare.AnyOf
		if err := f.Compare.validate(); err != nil {
			return fmt.Errorf("linkage config: field %s: %w", f.Name, err)
		}
	}
	if len(c.Blocking) == 0 {
		return fmt.Errorf("linkage config: no blocking rule: every pair would be compared")
	}
	var bits uint
	for _, f := range c.Fields {
		bits += levelBits(f.Compare.levels())
	}
	if bits > 32 {
		return fmt.Errorf("linkage config: the fields' comparison levels need %d bits, more than 32: use fewer fields or thresholds", bits)
	}
	for i, b := range c.Blocking {
		if len(b.Keys) == 0 || len(b.Keys) > maxRuleKeys {
			return fmt.Errorf("linkage config: blocking rule %d has %d keys, need 1 to %d", i, len(b.Keys), maxRuleKeys)
		}
		if b.Missing != "" && !seen[b.Missing] {
			return fmt.Errorf("linkage config: blocking rule %d: unknown field %q", i, b.Missing)
		}
		if b.Similar != "" && !seen[b.Similar] {
			return fmt.Errorf("linkage config: blocking rule %d: unknown field %q", i, b.Similar)
		}
		for _, k := range b.Keys {
			if !seen[k.Field] {
				return fmt.Errorf("linkage config: blocking rule %d: unknown field %q", i, k.Field)
			}
			if k.Last && !anyOf[k.Field] {
				return fmt.Errorf("linkage config: blocking rule %d: key \"last\" of field %s, whose values are not any_of", i, k.Field)
			}
			switch k.Func {
			case "", KeyExact, KeyName, KeyNameCoarse, KeyYear:
			case KeyNamePart:
				if k.N != 1 && k.N != 2 {
					return fmt.Errorf("linkage config: blocking rule %d: %s of %s needs n 1 or 2", i, k.Func, k.Field)
				}
			case KeyPrefix, KeyYearRange:
				if k.N <= 0 {
					return fmt.Errorf("linkage config: blocking rule %d: %s of %s needs n > 0", i, k.Func, k.Field)
				}
			default:
				return fmt.Errorf("linkage config: blocking rule %d: unknown key function %q", i, k.Func)
			}
		}
	}
	for i, cf := range c.Conflicts {
		if len(cf.Fields) == 0 {
			return fmt.Errorf("linkage config: conflict %d has no fields", i)
		}
		for _, f := range cf.Fields {
			if !seen[f] {
				return fmt.Errorf("linkage config: conflict %d: unknown field %q", i, f)
			}
		}
	}
	for i, sw := range c.Swaps {
		if !seen[sw[0]] || !seen[sw[1]] || sw[0] == sw[1] {
			return fmt.Errorf("linkage config: swap %d: need two known fields, not %q and %q", i, sw[0], sw[1])
		}
		var kinds [2]Comparison
		for _, f := range c.Fields {
			for j := range sw {
				if f.Name == sw[j] {
					kinds[j] = f.Compare
				}
			}
		}
		if kinds[0].Kind != kinds[1].Kind || kinds[0].levels() != kinds[1].levels() {
			return fmt.Errorf("linkage config: swap %d: %s and %s are compared differently", i, sw[0], sw[1])
		}
	}
	t := c.Thresholds
	if c.MaxBlock < 0 || c.MaxCluster < 0 {
		return fmt.Errorf("linkage config: max_block and max_cluster must not be negative")
	}
	if t.Match <= 0 || t.Match >= 1 || t.Review < 0 || t.Review > t.Match || t.Cluster < 0 || t.Cluster >= 1 {
		return fmt.Errorf("linkage config: thresholds %+v: need 0 <= review <= match < 1 and cluster in [0,1)", t)
	}
	return nil
}

func (c Comparison) validate() error {
	switch c.Kind {
	case KindExact, KindIDOneOff:
	case KindJaroWinkler, KindName:
		for i, t := range c.Thresholds {
			if t <= 0 || t >= 1 || (i > 0 && t >= c.Thresholds[i-1]) {
				return fmt.Errorf("%s thresholds %v: need descending values in (0,1)", c.Kind, c.Thresholds)
			}
		}
	case KindNumeric, KindYear, KindDate:
		for i, t := range c.Tolerances {
			if t <= 0 || (i > 0 && t <= c.Tolerances[i-1]) {
				return fmt.Errorf("%s tolerances %v: need ascending positive values", c.Kind, c.Tolerances)
			}
		}
	default:
		return fmt.Errorf("unknown comparison kind %q", c.Kind)
	}
	return nil
}

// FEBRLConfig returns a configuration for the FEBRL synthetic data sets
// (Christen 2008): columns given_name, surname, street_number, address_1,
// address_2, suburb, postcode, state, date_of_birth, soc_sec_id.
func FEBRLConfig() Config {
	jw := Comparison{Kind: KindJaroWinkler, Thresholds: []float64{0.95, 0.88}}
	name := Comparison{Kind: KindName, Thresholds: []float64{0.95, 0.88}}
	return Config{
		Fields: []Field{
			{Name: "given_name", Compare: name, TermFrequency: true},
			{Name: "surname", Compare: name, TermFrequency: true},
			{Name: "street_number", Compare: Comparison{Kind: KindIDOneOff}},
			{Name: "address_1", Compare: jw},
			{Name: "address_2", Compare: jw},
			{Name: "suburb", Compare: jw, TermFrequency: true},
			{Name: "postcode", Compare: Comparison{Kind: KindIDOneOff}},
			{Name: "state", Compare: Comparison{Kind: KindExact}},
			{Name: "date_of_birth", Compare: Comparison{Kind: KindDate, Tolerances: []float64{365}}},
			{Name: "soc_sec_id", Compare: Comparison{Kind: KindIDOneOff}},
		},
		Blocking: []BlockingRule{
			{Keys: []BlockKey{{Field: "soc_sec_id"}}},
			{Keys: []BlockKey{{Field: "date_of_birth"}}},
			{Keys: []BlockKey{{Field: "given_name", Func: KeyName}, {Field: "surname", Func: KeyName}}},
			{Keys: []BlockKey{{Field: "surname", Func: KeyPrefix, N: 3}, {Field: "postcode"}}},
			{Keys: []BlockKey{{Field: "given_name", Func: KeyPrefix, N: 3}, {Field: "date_of_birth", Func: KeyYear}}},
			{Keys: []BlockKey{{Field: "address_1", Func: KeyPrefix, N: 6}, {Field: "street_number"}}},
		},
		Conflicts: []Conflict{
			{Fields: []string{"soc_sec_id", "date_of_birth", "given_name"}},
		},
		Thresholds: Thresholds{Match: 0.9, Review: 0.5},
	}
}
