package relink

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"peyvand"
	"peyvand/linkage"
)

// Linker keeps the registry linked: Run links everything, Add links one new
// record against the index Run built, in milliseconds, and the pairs the
// model is unsure about wait for a reviewer, whose decisions are stored and
// override the model on every later run. One Linker serves one process;
// its methods may be called concurrently.
type Linker struct {
	// MaxReview bounds the review queue (default MaxReview): set it
	// before the first Run.
	MaxReview int

	store peyvand.Store
	actor string

	mu     sync.Mutex
	ix     *linkage.Index
	review []ReviewPair
	names  map[string]string // source id → name
	// received dates, by source id, an age that nothing else dates
	// (linkage.AgeAsOf).
	received map[string]peyvand.Date
	// indexed are the records in ix, and seen the last audit entry whose
	// records were read: with several instances on one database, Add
	// first takes in what the others stored since (catchUp).
	indexed map[string]bool
	seen    int64
}

// ReviewPair is a pair of records the model could not decide, with the
// per-field reasons a reviewer reads.
type ReviewPair struct {
	A, B        string // record ids
	Probability float64
	Explanation linkage.Explanation
}

// New returns a Linker for s whose merges are attributed to actor.
func New(s peyvand.Store, actor string) *Linker {
	return &Linker{store: s, actor: actor}
}

// Run reads every record and the reviewers' decisions, links, merges the
// persons each cluster spans, and keeps the index for Add and the
// uncertain pairs for Review.
func (l *Linker) Run(ctx context.Context) (Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var res Result
	before, err := l.store.Stats(ctx)
	if err != nil {
		return res, err
	}
	res.PersonsBefore = before.Persons
	if err := l.loadNames(ctx); err != nil {
		return res, err
	}
	// The date of a record's first event anchors an age given without a
	// date, and its places are compared with other records' cities;
	// events are read once for all records.
	events := map[string]*eventsOf{}
	err = l.store.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		ev := events[e.RecordID]
		if ev == nil {
			ev = &eventsOf{}
			events[e.RecordID] = ev
		}
		ev.add(e)
		return nil
	})
	if err != nil {
		return res, err
	}
	var recs []linkage.Record
	personOf := map[string]string{}
	indexed := map[string]bool{}
	var seen int64
	err = l.store.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		recs = append(recs, l.fromRecord(r, events[r.ID]))
		personOf[r.ID] = r.PersonID
		indexed[r.ID] = true
		seen = max(seen, r.AuditSeq)
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Records = len(recs)
	// Until two records share a block (a new registry, or one whose
	// people share no names) there is nothing to link, nor to learn a
	// model from: Add runs this again.
	unlinked := func() (Result, error) {
		res.PersonsAfter = res.PersonsBefore
		l.ix, l.review = nil, nil
		return res, nil
	}
	if len(recs) < 2 {
		return unlinked()
	}
	ix, err := linkage.NewIndex(linkage.PeyvandConfig(), recs)
	if err != nil {
		return res, err
	}
	cands := ix.Candidates()
	if cands.Len() == 0 {
		return unlinked()
	}
	// Decisions first: the model learns from the reviewers' "same".
	decided, apart, err := l.applyDecisions(ctx, ix)
	if err != nil {
		return res, err
	}
	m, err := linkage.EstimatePeyvand(ix, cands)
	if err != nil {
		return res, err
	}
	if err := ix.SetModel(m); err != nil {
		return res, err
	}
	cl, err := ix.ClusterCandidates(cands)
	if err != nil {
		return res, err
	}
	res.Clusters = len(cl.Clusters)
	var groups [][]string
	for _, members := range cl.Clusters {
		if len(members) < 2 {
			continue
		}
		g := make([]string, len(members))
		for i, m := range members {
			g[i] = ix.Record(m).ID
		}
		groups = append(groups, g)
	}
	groups = keepApart(groups, personOf, apart)
	if res.Merged, err = l.store.MergePersons(ctx, l.actor, groups); err != nil {
		return res, err
	}
	l.ix, l.indexed, l.seen = ix, indexed, seen
	l.review = l.review[:0]
	// Most probable first, and only as many as reviewers can work
	// through: at a million records the band holds millions of
	// namesake pairs, and each queued pair carries its explanation.
	sort.SliceStable(cl.Review, func(i, j int) bool { return cl.Review[i].Probability > cl.Review[j].Probability })
	for _, sp := range cl.Review {
		a, b := ix.Record(sp.A).ID, ix.Record(sp.B).ID
		if decided[pairKey(a, b)] {
			continue
		}
		res.ReviewPairs++
		if len(l.review) < l.maxReview() {
			l.review = append(l.review, ReviewPair{A: a, B: b, Probability: sp.Probability, Explanation: ix.Explain(sp.Pair)})
		}
	}
	after, err := l.store.Stats(ctx)
	res.PersonsAfter = after.Persons
	return res, err
}

func (l *Linker) loadNames(ctx context.Context) error {
	srcs, err := l.store.Sources(ctx)
	if err != nil {
		return err
	}
	l.names, l.received = map[string]string{}, map[string]peyvand.Date{}
	for _, src := range srcs {
		l.names[src.ID] = src.Name
		if t := src.ReceivedAt.UTC(); !t.IsZero() {
			l.received[src.ID] = peyvand.Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
		}
	}
	return nil
}

func (l *Linker) fromRecord(r peyvand.Record, ev *eventsOf) linkage.Record {
	r.Contact, r.Reporter, r.Notes = "", "", "" // linkage needs none of the sealed fields
	events := ev.events()
	rec := linkage.FromPerson(r.ID, l.names[r.SourceID], r, events)
	if linkage.NeedsAgeDate(r, events) {
		// The age was given at the latest when the list came in.
		linkage.AgeAsOf(&rec, r.Age, l.received[r.SourceID])
	}
	return rec
}

// eventsOf is what linkage reads of one record's status events: the first
// date and the places, kept small because relink holds them for every
// record at once.
type eventsOf struct {
	date   peyvand.Date
	places []string
}

func (ev *eventsOf) add(e peyvand.StatusEvent) {
	if ev.date.IsZero() {
		ev.date = e.Date
	}
	if e.Place != "" && !slices.Contains(ev.places, e.Place) {
		ev.places = append(ev.places, e.Place)
	}
}

// events returns the events FromPerson reads; nil for none.
func (ev *eventsOf) events() []peyvand.StatusEvent {
	if ev == nil {
		return nil
	}
	es := []peyvand.StatusEvent{{Date: ev.date}}
	for _, p := range ev.places {
		es = append(es, peyvand.StatusEvent{Place: p})
	}
	return es
}

// applyDecisions gives the index every reviewer's "same" and "not the
// same"; "unsure" leaves the pair to the model but out of the queue. It
// returns the decided pairs and those decided "not the same".
func (l *Linker) applyDecisions(ctx context.Context, ix *linkage.Index) (decided map[string]bool, apart [][2]string, err error) {
	ds, err := l.store.Decisions(ctx)
	if err != nil {
		return nil, nil, err
	}
	decided = map[string]bool{}
	for _, d := range ds {
		decided[pairKey(d.RecordA, d.RecordB)] = true
		if d.Decision == peyvand.Unsure {
			continue
		}
		if d.Decision == peyvand.Different {
			apart = append(apart, [2]string{d.RecordA, d.RecordB})
		}
		// A decision about a record that is no longer indexed (none are
		// ever deleted, but a caller may link a subset) is skipped.
		_ = ix.Decide(d.RecordA, d.RecordB, d.Decision == peyvand.Same)
	}
	return decided, apart, nil
}

// keepApart drops from each group the records whose merge would put into
// one person two records a reviewer said are not the same. The engine
// respects decisions within its clusters, but persons are unions of
// earlier merges, so a cluster can reach a decided record through another
// record of its person.
func keepApart(groups [][]string, personOf map[string]string, apart [][2]string) [][]string {
	if len(apart) == 0 {
		return groups
	}
	conflict := map[[2]string]bool{} // person pairs that must stay apart
	for _, p := range apart {
		a, b := personOf[p[0]], personOf[p[1]]
		if a != "" && b != "" && a != b {
			conflict[[2]string{a, b}], conflict[[2]string{b, a}] = true, true
		}
	}
	out := groups[:0]
	for _, g := range groups {
		var kept []string
		var persons []string
		for _, rid := range g {
			p := personOf[rid]
			ok := true
			for _, q := range persons {
				if conflict[[2]string{p, q}] {
					ok = false
					break
				}
			}
			if ok {
				kept = append(kept, rid)
				persons = append(persons, p)
			}
		}
		if len(kept) > 1 {
			out = append(out, kept)
		}
	}
	return out
}

func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + " " + b
}

// AddResult says what Add did with a new record.
type AddResult struct {
	Merged   bool   // the record joined an existing person
	PersonID string // the person it belongs to now
	Review   bool   // a possible match waits for a reviewer
}

// Add links one new record against the index: if the engine matches it to
// a person, the record's person is merged into that one. Without an index
// (fewer than two records so far) it runs the whole linkage instead.
func (l *Linker) Add(ctx context.Context, recordID string) (AddResult, error) {
	var res AddResult
	r, err := l.store.Record(ctx, recordID)
	if err != nil {
		return res, err
	}
	l.mu.Lock()
	ix := l.ix
	if ix == nil {
		l.mu.Unlock()
		if _, err := l.Run(ctx); err != nil {
			return res, err
		}
		d, err := l.store.Dossier(ctx, r.PersonID)
		res.PersonID, res.Merged = d.Person.ID, len(d.Records) > 1
		return res, err
	}
	defer l.mu.Unlock()
	if _, ok := l.names[r.SourceID]; !ok {
		if err := l.loadNames(ctx); err != nil {
			return res, err
		}
	}
	if err := l.catchUp(ctx, ix, r.ID); err != nil {
		return res, err
	}
	event, err := l.eventsOfRecord(ctx, r.ID)
	if err != nil {
		return res, err
	}
	m, pos, err := ix.Add(l.fromRecord(r, event))
	l.indexed[r.ID] = true
	if err != nil {
		return res, fmt.Errorf("link record %s: %w", r.ID, err)
	}
	res.PersonID = r.PersonID
	if m.Cluster >= 0 {
		var other string
		for _, y := range ix.Members(ix.ClusterOf(pos)) {
			if y != pos {
				other = ix.Record(y).ID
				break
			}
		}
		if other != "" {
			if _, err := l.store.MergePersons(ctx, l.actor, [][]string{{other, r.ID}}); err != nil {
				return res, err
			}
			merged, err := l.store.Record(ctx, r.ID)
			if err != nil {
				return res, err
			}
			res.Merged, res.PersonID = true, merged.PersonID
		}
	}
	if m.Review && len(m.Candidates) > 0 {
		c := m.Candidates[0]
		p := linkage.Pair{A: c.Record, B: pos}
		l.queue(ReviewPair{A: ix.Record(c.Record).ID, B: r.ID, Probability: c.Probability, Explanation: ix.Explain(p)})
		res.Review = true
	}
	return res, nil
}

// MaxReview is the default bound of the review queue a Linker keeps.
const MaxReview = 5000

func (l *Linker) maxReview() int {
	if l.MaxReview > 0 {
		return l.MaxReview
	}
	return MaxReview
}

// queue puts a pair in the review queue in its place by probability,
// dropping the least probable when the queue is full. The caller holds
// l.mu.
func (l *Linker) queue(p ReviewPair) {
	i := sort.Search(len(l.review), func(i int) bool { return l.review[i].Probability < p.Probability })
	if i >= l.maxReview() {
		return
	}
	l.review = slices.Insert(l.review, i, p)
	if len(l.review) > l.maxReview() {
		l.review = l.review[:l.maxReview()]
	}
}

// catchUp puts into the index the records other instances on the same
// database stored since this one last looked (their audit entries come
// after l.seen), so that a new inquiry here is matched against a report
// that arrived there a minute ago. They were linked where they arrived:
// here they are only indexed, never merged again. except is the record
// Add is about to link itself.
func (l *Linker) catchUp(ctx context.Context, ix *linkage.Index, except string) error {
	var fresh []peyvand.Record
	seen := l.seen
	err := l.store.WalkRecords(ctx, peyvand.RecordFilter{AfterSeq: l.seen}, func(r peyvand.Record) error {
		seen = max(seen, r.AuditSeq)
		if !l.indexed[r.ID] && r.ID != except {
			fresh = append(fresh, r)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("catch up with other instances: %w", err)
	}
	for _, r := range fresh {
		if _, ok := l.names[r.SourceID]; !ok {
			if err := l.loadNames(ctx); err != nil {
				return err
			}
		}
		event, err := l.eventsOfRecord(ctx, r.ID)
		if err != nil {
			return err
		}
		if _, _, err := ix.Add(l.fromRecord(r, event)); err != nil {
			return fmt.Errorf("index record %s: %w", r.ID, err)
		}
		l.indexed[r.ID] = true
	}
	l.seen = seen
	return nil
}

// eventsOfRecord reads what linkage needs of a record's status events.
func (l *Linker) eventsOfRecord(ctx context.Context, recordID string) (*eventsOf, error) {
	ev := &eventsOf{}
	err := l.store.WalkEvents(ctx, peyvand.EventFilter{RecordID: recordID}, func(e peyvand.StatusEvent) error {
		ev.add(e)
		return nil
	})
	return ev, err
}

// Review returns the pairs waiting for a reviewer, most probable first.
func (l *Linker) Review() []ReviewPair {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ReviewPair(nil), l.review...)
}

// Decide stores a reviewer's decision, takes the pair out of the queue and
// acts on it: "same" merges the two persons at once.
func (l *Linker) Decide(ctx context.Context, actor string, a, b string, d peyvand.Decision) error {
	if err := l.store.Decide(ctx, actor, peyvand.PairDecision{RecordA: a, RecordB: b, Decision: d}); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	key := pairKey(a, b)
	kept := l.review[:0]
	for _, p := range l.review {
		if pairKey(p.A, p.B) != key {
			kept = append(kept, p)
		}
	}
	l.review = kept
	if l.ix != nil && d != peyvand.Unsure {
		_ = l.ix.Decide(a, b, d == peyvand.Same) // either may be newer than the index
	}
	if d == peyvand.Same {
		if _, err := l.store.MergePersons(ctx, actor, [][]string{{a, b}}); err != nil {
			return err
		}
	}
	return nil
}
