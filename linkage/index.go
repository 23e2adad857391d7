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
//
// Field values are interned: each distinct value of a field is prepared
// (folded, keyed, parsed) once and stored once, and a record holds one
// number per field. Lists repeat names, cities and years endlessly, so this
// saves both the preparing and the memory, and two records with the same
// value agree without comparing strings.
type Index struct {
	cfg     Config
	labels  [][]string
	nf      int
	top     []int // level of exact agreement, per field
	shift   []uint
	records []Record
	byID    map[string]int
	dict    [][]value          // per field, the distinct prepared values; id 0 is missing
	dictIDs []map[string]int32 // per field, trimmed raw value → id
	ids     []int32            // len(records) × nf value ids

	rules     [][]resolvedKey
	missingIn []int                // per rule, the field one record of a pair must lack, or -1
	similarIn []int                // per rule, the field a pair must not disagree on, or -1
	swaps     [][2]int             // Config.Swaps by field position
	partIDs   [][][]uint32         // per rule and key, by value id: 1 + key part id (1: none), 0 not yet known
	partNames []map[string]uint32  // per rule, key part → id
	blockIdx  []map[blockKey]int32 // per rule, key → block
	blocks    [][][]int32          // per rule and block, its records
	// blockOf holds, per record and rule (record-major, so that one
	// record's blocks share a cache line), its block or -1.
	blockOf []int32

	tf        []map[string]int // per field, by tfKey; nil unless TermFrequency
	tfTotal   []int
	tfSquares []float64 // Σ count² over tf's values
	tfFrom    []int     // lowest level weighed by term frequency
	conflicts [][]int
	decisions map[uint64]bool
	model     *Model
	weights   [][]float64 // log2(m/u) per field and level, set with the model
	hasTF     bool
	clusterOf []int
	members   [][]int // per cluster root; nil for a singleton not yet touched
}

// maxRuleKeys bounds the keys of one blocking rule, so a block key is a
// small array rather than a string built per record.
const maxRuleKeys = 4

type blockKey [maxRuleKeys]uint32

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
	nf := len(cfg.Fields)
	pos := map[string]int{}
	ix := &Index{cfg: cfg, nf: nf, byID: make(map[string]int, len(records)), decisions: map[uint64]bool{}}
	var shift uint
	for i, f := range cfg.Fields {
		pos[f.Name] = i
		ix.labels = append(ix.labels, f.Compare.levelLabels())
		ix.top = append(ix.top, f.Compare.levels()-1)
		ix.shift = append(ix.shift, shift)
		shift += levelBits(f.Compare.levels())
		var m map[string]int
		from := f.Compare.levels() - 1
		if f.TermFrequency {
			m = map[string]int{}
			if f.Compare.Kind == KindName {
				from-- // one phonetic key, spelt two ways, is one name
			}
		}
		ix.tf = append(ix.tf, m)
		ix.tfFrom = append(ix.tfFrom, from)
		ix.dict = append(ix.dict, []value{{}})
		ix.dictIDs = append(ix.dictIDs, map[string]int32{"": 0})
	}
	for _, sw := range cfg.Swaps {
		ix.swaps = append(ix.swaps, [2]int{pos[sw[0]], pos[sw[1]]})
	}
	ix.tfTotal = make([]int, nf)
	ix.tfSquares = make([]float64, nf)
	for _, r := range cfg.Blocking {
		var keys []resolvedKey
		var parts [][]uint32
		for _, k := range r.Keys {
			keys = append(keys, resolvedKey{k, pos[k.Field]})
			parts = append(parts, nil)
		}
		ix.rules = append(ix.rules, keys)
		mi := -1
		if r.Missing != "" {
			mi = pos[r.Missing]
		}
		ix.missingIn = append(ix.missingIn, mi)
		si := -1
		if r.Similar != "" {
			si = pos[r.Similar]
		}
		ix.similarIn = append(ix.similarIn, si)
		ix.partIDs = append(ix.partIDs, parts)
		ix.partNames = append(ix.partNames, map[string]uint32{})
		ix.blockIdx = append(ix.blockIdx, map[blockKey]int32{})
		ix.blocks = append(ix.blocks, nil)
	}
	for _, c := range cfg.Conflicts {
		var fs []int
		for _, f := range c.Fields {
			fs = append(fs, pos[f])
		}
		ix.conflicts = append(ix.conflicts, fs)
	}
	if err := ix.insertAll(records); err != nil {
		return nil, err
	}
	return ix, nil
}

// insertAll adds records as insert does, on every core: each field's
// values are interned by one goroutine, then each rule's blocks by one.
func (ix *Index) insertAll(records []Record) error {
	n, nf, nr := len(records), ix.nf, len(ix.rules)
	ix.byID = make(map[string]int, n)
	for i, r := range records {
		if _, dup := ix.byID[r.ID]; dup {
			return fmt.Errorf("record %s: ID repeated", r.ID)
		}
		if len(r.Values) != nf {
			return fmt.Errorf("record %s: %d values for %d fields", r.ID, len(r.Values), nf)
		}
		ix.byID[r.ID] = i
	}
	ix.records = slices.Clone(records)
	ix.ids = make([]int32, n*nf)
	parallel(nf, 1, func(lo, hi int) {
		for f := lo; f < hi; f++ {
			for i, r := range records {
				id := ix.intern(f, r.Values[f])
				ix.ids[i*nf+f] = id
				ix.count(f, id)
			}
		}
	})
	ix.blockOf = make([]int32, n*nr)
	parallel(nr, 1, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			for i, r := range records {
				ix.blockOf[i*nr+k] = ix.addToBlock(k, i, r)
			}
		}
	})
	ix.clusterOf = make([]int, n, n+n/8)
	for i := range ix.clusterOf {
		ix.clusterOf[i] = i
	}
	ix.members = make([][]int, n, n+n/8)
	return nil
}

// count adds value id of field f to the term frequencies.
func (ix *Index) count(f int, id int32) {
	if id == 0 {
		return
	}
	ix.dict[f][id].each(func(v *value) {
		ix.tfTotal[f]++
		if ix.tf[f] != nil {
			k := tfKey(v)
			c := ix.tf[f][k]
			ix.tf[f][k] = c + 1
			ix.tfSquares[f] += float64(2*c + 1)
		}
	})
}

// addToBlock puts record i in its block of rule k, and returns the block or
// -1.
func (ix *Index) addToBlock(k, i int, r Record) int32 {
	key, ok := ix.blockKeyOf(k, ix.row(i), r, true)
	if !ok {
		return -1
	}
	b, seen := ix.blockIdx[k][key]
	if !seen {
		b = int32(len(ix.blocks[k]))
		ix.blockIdx[k][key] = b
		ix.blocks[k] = append(ix.blocks[k], nil)
	}
	ix.blocks[k][b] = append(ix.blocks[k][b], int32(i))
	return b
}

// levelBits is the number of bits a packed comparison vector gives a field
// of n levels: the levels and "missing".
func levelBits(n int) uint {
	b := uint(1)
	for 1<<b < n+1 {
		b++
	}
	return b
}

// Len returns the number of records in the index.
func (ix *Index) Len() int { return len(ix.records) }

// Record returns the record at position i.
func (ix *Index) Record(i int) Record { return ix.records[i] }

// Config returns the configuration of the index.
func (ix *Index) Config() Config { return ix.cfg }

// newRecord is a record prepared for matching without being indexed: its
// values, and their ids where the index knows them (-1 where not).
type newRecord struct {
	ids  []int32
	vals []*value
}

// lookup prepares r against the index without changing it.
func (ix *Index) lookup(r Record) (newRecord, error) {
	if len(r.Values) != ix.nf {
		return newRecord{}, fmt.Errorf("record %s: %d values for %d fields", r.ID, len(r.Values), ix.nf)
	}
	nr := newRecord{ids: make([]int32, ix.nf), vals: make([]*value, ix.nf)}
	for f, raw := range r.Values {
		raw = strings.TrimSpace(raw)
		if id, ok := ix.dictIDs[f][raw]; ok {
			nr.ids[f], nr.vals[f] = id, &ix.dict[f][id]
			continue
		}
		v := prepare(ix.cfg.Fields[f].Compare, raw)
		nr.ids[f], nr.vals[f] = -1, &v
		if v.s == "" {
			nr.ids[f] = 0
		}
	}
	return nr, nil
}

// intern returns the id of raw in field f, preparing it when new.
func (ix *Index) intern(f int, raw string) int32 {
	raw = strings.TrimSpace(raw)
	if id, ok := ix.dictIDs[f][raw]; ok {
		return id
	}
	v := prepare(ix.cfg.Fields[f].Compare, raw)
	var id int32
	if v.s != "" {
		id = int32(len(ix.dict[f]))
		ix.dict[f] = append(ix.dict[f], v)
	}
	ix.dictIDs[f][strings.Clone(raw)] = id
	return id
}

// insert adds r to the records, blocks and term frequencies, as its own
// cluster, and returns its position.
func (ix *Index) insert(r Record) (int, error) {
	if _, dup := ix.byID[r.ID]; dup {
		return 0, fmt.Errorf("record %s: ID repeated", r.ID)
	}
	if len(r.Values) != ix.nf {
		return 0, fmt.Errorf("record %s: %d values for %d fields", r.ID, len(r.Values), ix.nf)
	}
	i := len(ix.records)
	ix.records = append(ix.records, r)
	ix.byID[r.ID] = i
	for f, raw := range r.Values {
		id := ix.intern(f, raw)
		ix.ids = append(ix.ids, id)
		ix.count(f, id)
	}
	for k := range ix.rules {
		ix.blockOf = append(ix.blockOf, ix.addToBlock(k, i, r))
	}
	ix.clusterOf = append(ix.clusterOf, i)
	ix.members = append(ix.members, nil)
	return i, nil
}

// row returns the value ids of record i.
func (ix *Index) row(i int) []int32 { return ix.ids[i*ix.nf : (i+1)*ix.nf] }

// blockKeyOf derives the key of blocking rule k for a record with value ids
// row; ok is false when a part is missing, so that records without the value
// are not all put in one block. With add, new key parts are registered;
// without, an unknown part means no indexed record shares the block.
func (ix *Index) blockKeyOf(k int, row []int32, r Record, add bool) (blockKey, bool) {
	var key blockKey
	for j, rk := range ix.rules[k] {
		id := row[rk.field]
		if id < 0 { // a value the index has not seen
			part := keyPart(rk, ix.dict[rk.field], id, r.Values[rk.field], ix.cfg.Fields[rk.field].Compare)
			p, ok := ix.partNames[k][part]
			if part == "" || !ok {
				return key, false
			}
			key[j] = p
			continue
		}
		known := ix.partIDs[k][j]
		var p uint32
		if int(id) < len(known) && known[id] != 0 {
			p = known[id] - 1
		} else {
			part := keyPart(rk, ix.dict[rk.field], id, r.Values[rk.field], ix.cfg.Fields[rk.field].Compare)
			if part != "" {
				var ok bool
				if p, ok = ix.partNames[k][part]; !ok && add {
					p = uint32(len(ix.partNames[k]) + 1)
					ix.partNames[k][part] = p
				}
			}
			if add {
				if n := len(ix.dict[rk.field]); len(known) < n {
					known = append(known, make([]uint32, n-len(known))...)
					ix.partIDs[k][j] = known
				}
				known[id] = p + 1
			}
		}
		if p == 0 {
			return key, false
		}
		key[j] = p
	}
	if ix.cfg.Blocking[k].AnyOrder {
		slices.Sort(key[:len(ix.rules[k])])
	}
	return key, true
}

// keyPart is the part of a block key that one BlockKey derives from a value
// (dict[id], or prepared from raw when id < 0).
func keyPart(k resolvedKey, dict []value, id int32, raw string, c Comparison) string {
	var v value
	if id >= 0 {
		v = dict[id]
	} else {
		v = prepare(c, raw)
	}
	if v.s == "" {
		return ""
	}
	if len(v.alts) > 0 {
		i := 0
		if k.Last {
			i = len(v.alts) - 1
		}
		v = v.alts[i]
		raw = v.s
	}
	switch k.Func {
	case KeyName:
		if len(v.keys) > 0 {
			return v.keys[0]
		}
		return names.Key(raw)
	case KeyNameCoarse:
		var key string
		if len(v.keys) > 0 {
			key = names.CoarseKey(v.keys[0])
		} else {
			key = names.CoarseKey(names.Key(raw))
		}
		if k.N > 0 && len(key) > k.N { // keys are ASCII
			key = key[:k.N]
		}
		return key
	case KeyNamePart:
		if len(v.parts) == 2 {
			return names.CoarseKey(v.parts[k.N-1])
		}
		if len(v.keys) > 0 {
			return names.CoarseKey(v.keys[0])
		}
		return names.CoarseKey(names.Key(raw))
	case KeyPrefix:
		if utf8.RuneCountInString(v.s) > k.N {
			return string([]rune(v.s)[:k.N])
		}
		return v.s
	case KeyYear:
		if y, ok := parseYear(yearOf(raw)); ok {
			return strconv.Itoa(y)
		}
		return ""
	case KeyYearRange:
		if y, ok := parseYear(yearOf(raw)); ok {
			return strconv.Itoa((y + k.Offset) / k.N)
		}
		return ""
	}
	return v.s
}

// CandidatePairs returns the union of the pairs that share a block under any
// blocking rule, in order. Blocks larger than Config.MaxBlock are skipped.
// Link and Candidates avoid building this list; it is kept for tests and
// small data.
func (ix *Index) CandidatePairs() []Pair {
	c := ix.compareBlocks(false)
	pairs := c.Pairs()
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
	g := make([]int, ix.nf)
	ix.gamma(ix.row(a), ix.row(b), g)
	return g
}

// gamma computes the comparison vector of two indexed records by their
// value ids. It does not allocate.
func (ix *Index) gamma(ra, rb []int32, g []int) {
	for f := range g {
		g[f] = ix.levelOf(f, ra[f], rb[f], nil)
	}
	ix.uncross(ra, rb, g)
}

// uncross applies Config.Swaps to the comparison vector g of indexed
// records ra and rb.
func (ix *Index) uncross(ra, rb []int32, g []int) {
	for _, sw := range ix.swaps {
		x, y := sw[0], sw[1]
		if ix.crossable(g, x, y) {
			ix.cross(g, x, y, &ix.dict[x][ra[x]], &ix.dict[y][ra[y]], &ix.dict[x][rb[x]], &ix.dict[y][rb[y]])
		}
	}
}

// crossable says whether fields x and y of g are both present and both
// short of agreement by key, the only case in which swapping them can
// raise the levels.
func (ix *Index) crossable(g []int, x, y int) bool {
	return g[x] != missing && g[y] != missing && g[x] < ix.top[x]-1 && g[y] < ix.top[y]-1
}

// cross compares a's x with b's y and a's y with b's x, and takes those
// levels when both agree by key or better: the two names were swapped.
func (ix *Index) cross(g []int, x, y int, ax, ay, bx, by *value) {
	cx := ix.cfg.Fields[x].Compare.level(ax, by)
	cy := ix.cfg.Fields[y].Compare.level(ay, bx)
	if cx >= ix.top[x]-1 && cy >= ix.top[y]-1 {
		g[x], g[y] = cx, cy
	}
}

// gammaNew is gamma for a record that is not indexed against record y.
func (ix *Index) gammaNew(nr newRecord, y int, g []int) {
	rb := ix.row(y)
	for f := range g {
		a, b := nr.ids[f], rb[f]
		switch {
		case a == 0 || b == 0:
			g[f] = missing
		case a == b:
			g[f] = ix.top[f]
		default:
			g[f] = ix.cfg.Fields[f].Compare.level(nr.vals[f], &ix.dict[f][b])
		}
	}
	for _, sw := range ix.swaps {
		x, y := sw[0], sw[1]
		if ix.crossable(g, x, y) {
			ix.cross(g, x, y, nr.vals[x], nr.vals[y], &ix.dict[x][rb[x]], &ix.dict[y][rb[y]])
		}
	}
}

// value returns the prepared value of field f of record i.
func (ix *Index) value(i, f int) *value { return &ix.dict[f][ix.ids[i*ix.nf+f]] }

// dissimilar reports whether records a and b disagree (level 0) on the
// field rule k's pairs must not disagree on; caches, when not nil, are a
// block walker's (a block's records share a few spellings).
func (ix *Index) dissimilar(k int, a, b int32, caches []*levelCache) bool {
	f := ix.similarIn[k]
	if f < 0 {
		return false
	}
	var c *levelCache
	if caches != nil {
		c = caches[f]
	}
	return ix.levelOf(f, ix.ids[int(a)*ix.nf+f], ix.ids[int(b)*ix.nf+f], c) == 0
}
