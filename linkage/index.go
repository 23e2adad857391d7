package linkage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"peyvand/names"
)

// Pair is two records of an Index by position, A < B.
type Pair struct{ A, B int }

func (p Pair) key() uint64 { return uint64(p.A)<<32 | uint64(p.B) }

func makePair(a, b int) Pair {
	if a > b {
		a, b = b, a
	}
	return Pair{a, b}
}

// Index holds records with their prepared values, blocking maps, term
// frequencies, the model and the clusters, so that a new record can be matched
// without comparing it with every other one.
type Index struct {
	cfg       Config
	labels    [][]string
	records   []Record
	byID      map[string]int
	vals      []value // len(records) × len(cfg.Fields)
	rules     [][]resolvedKey
	blocks    []map[string][]int
	tf        []map[string]int // per field; nil unless TermFrequency
	tfTotal   []int
	conflicts [][]int
	decisions map[uint64]bool
	model     *Model
	clusterOf []int
	members   map[int][]int
	crossMemo map[uint64]crossResult // during Cluster only
}

type resolvedKey struct {
	BlockKey
	field int
}

// NewIndex prepares records for linkage under cfg. Every record must have one
// value per configured field and a unique ID.
func NewIndex(cfg Config, records []Record) (*Index, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxBlock == 0 {
		cfg.MaxBlock = 1000
	}
	pos := map[string]int{}
	ix := &Index{cfg: cfg, byID: map[string]int{}, decisions: map[uint64]bool{}, members: map[int][]int{}}
	for i, f := range cfg.Fields {
		pos[f.Name] = i
		ix.labels = append(ix.labels, f.Compare.levelLabels())
		var m map[string]int
		if f.TermFrequency {
			m = map[string]int{}
		}
		ix.tf = append(ix.tf, m)
	}
	ix.tfTotal = make([]int, len(cfg.Fields))
	for _, r := range cfg.Blocking {
		var keys []resolvedKey
		for _, k := range r.Keys {
			keys = append(keys, resolvedKey{k, pos[k.Field]})
		}
		ix.rules = append(ix.rules, keys)
		ix.blocks = append(ix.blocks, map[string][]int{})
	}
	for _, c := range cfg.Conflicts {
		var fs []int
		for _, f := range c.Fields {
			fs = append(fs, pos[f])
		}
		ix.conflicts = append(ix.conflicts, fs)
	}
	for _, r := range records {
		if _, err := ix.insert(r); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// Len returns the number of records in the index.
func (ix *Index) Len() int { return len(ix.records) }

// Record returns the record at position i.
func (ix *Index) Record(i int) Record { return ix.records[i] }

// Config returns the configuration of the index.
func (ix *Index) Config() Config { return ix.cfg }

func (ix *Index) prepareValues(r Record) ([]value, error) {
	if len(r.Values) != len(ix.cfg.Fields) {
		return nil, fmt.Errorf("record %s: %d values for %d fields", r.ID, len(r.Values), len(ix.cfg.Fields))
	}
	vs := make([]value, len(r.Values))
	for f, raw := range r.Values {
		vs[f] = prepare(ix.cfg.Fields[f].Compare, raw)
	}
	return vs, nil
}

// insert adds r to the records, blocks and term frequencies, as its own
// cluster, and returns its position.
func (ix *Index) insert(r Record) (int, error) {
	if _, dup := ix.byID[r.ID]; dup {
		return 0, fmt.Errorf("record %s: ID repeated", r.ID)
	}
	vs, err := ix.prepareValues(r)
	if err != nil {
		return 0, err
	}
	i := len(ix.records)
	ix.records = append(ix.records, r)
	ix.byID[r.ID] = i
	ix.vals = append(ix.vals, vs...)
	for f, v := range vs {
		if v.s != "" {
			ix.tfTotal[f]++
			if ix.tf[f] != nil {
				ix.tf[f][v.s]++
			}
		}
	}
	for k, rule := range ix.rules {
		if key, ok := blockKey(rule, r, vs); ok {
			ix.blocks[k][key] = append(ix.blocks[k][key], i)
		}
	}
	ix.clusterOf = append(ix.clusterOf, i)
	ix.members[i] = []int{i}
	return i, nil
}

func (ix *Index) row(i int) []value {
	n := len(ix.cfg.Fields)
	return ix.vals[i*n : (i+1)*n]
}

// blockKey derives the key of one blocking rule; ok is false when a part is
// missing, so that records without the value are not all put in one block.
func blockKey(rule []resolvedKey, r Record, vs []value) (string, bool) {
	var b strings.Builder
	for j, k := range rule {
		v := vs[k.field]
		var part string
		switch k.Func {
		case KeyName:
			if len(v.keys) > 0 {
				part = v.keys[0]
			} else {
				part = names.Key(r.Values[k.field])
			}
		case KeyPrefix:
			part = v.s
			if utf8.RuneCountInString(part) > k.N {
				part = string([]rune(part)[:k.N])
			}
		case KeyYear:
			if y, ok := parseYear(r.Values[k.field]); ok {
				part = strconv.Itoa(y)
			}
		default:
			part = v.s
		}
		if part == "" {
			return "", false
		}
		if j > 0 {
			b.WriteByte(0x1f)
		}
		b.WriteString(part)
	}
	return b.String(), true
}

// CandidatePairs returns the union of the pairs that share a block under any
// blocking rule, in order. Blocks larger than Config.MaxBlock are skipped.
func (ix *Index) CandidatePairs() []Pair {
	seen := map[uint64]struct{}{}
	var pairs []Pair
	for _, blocks := range ix.blocks {
		for _, rs := range blocks {
			if len(rs) < 2 || len(rs) > ix.cfg.MaxBlock {
				continue
			}
			for x, a := range rs {
				for _, b := range rs[x+1:] {
					if ix.cfg.LinkOnly && ix.records[a].Source == ix.records[b].Source {
						continue
					}
					p := makePair(a, b)
					if _, ok := seen[p.key()]; !ok {
						seen[p.key()] = struct{}{}
						pairs = append(pairs, p)
					}
				}
			}
		}
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	return pairs
}

// Decide records a reviewer's decision that the records with these IDs are
// (same) or are not the same person; it overrides the model.
func (ix *Index) Decide(idA, idB string, same bool) error {
	a, okA := ix.byID[idA]
	b, okB := ix.byID[idB]
	if !okA || !okB || a == b {
		return fmt.Errorf("decide %s/%s: need two different indexed records", idA, idB)
	}
	ix.decisions[makePair(a, b).key()] = same
	return nil
}

// Gamma returns the comparison vector of records a and b: one level per
// field, or -1 where a value is missing.
func (ix *Index) Gamma(a, b int) []int {
	g := make([]int, len(ix.cfg.Fields))
	ix.gamma(ix.row(a), ix.row(b), g)
	return g
}

func (ix *Index) gamma(ra, rb []value, g []int) {
	for f := range ix.cfg.Fields {
		g[f] = ix.cfg.Fields[f].Compare.level(&ra[f], &rb[f])
	}
}
