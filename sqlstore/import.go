package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"peyvand"
)

// importTx is one import: a single write transaction that either lands
// whole or not at all.
type importTx struct {
	w    *writer
	meta peyvand.ImportMeta
	// known holds, per source, the records the source has sent so far
	// (stored before, or earlier in this import), by the source's own id.
	known map[string]map[string]*knownRecord
	sum   peyvand.ImportSummary
}

type knownRecord struct {
	id, personID, digest string
	revision             int
	recordedAt           int64
	auditSeq             int64             // the entry that last wrote the record
	events               map[string]string // the record's events: local id by external id
	line                 int               // line in this import where it was first seen, 0 if not yet
}

// BeginImport starts an import transaction.
func (s *Store) BeginImport(ctx context.Context, actor string, meta peyvand.ImportMeta) (peyvand.ImportTx, error) {
	w, err := s.begin(ctx, actor)
	if err != nil {
		return nil, err
	}
	w.describe("import", "", map[string]any{"file": meta.File, "sha256": meta.SHA256, "format": meta.Format})
	return &importTx{w: w, meta: meta, known: map[string]map[string]*knownRecord{}}, nil
}

func (t *importTx) Source(ctx context.Context, src peyvand.Source) (peyvand.Source, error) {
	return t.w.ensureSource(ctx, src)
}

func (t *importTx) Rollback() error { return t.w.rollback() }

func (t *importTx) Commit(ctx context.Context) (peyvand.ImportSummary, error) {
	t.w.detail["unchanged"] = t.sum.Unchanged
	return t.sum, t.w.commit(ctx)
}

// Put stores one row (see peyvand.ImportTx). Two things a list's rows
// leave zero are honoured when set, for sources that carry them (another
// Peyvand's bundles):
//
//   - Record.Revision is the source's own revision number of the record,
//     which rises with every change there. It is stored as the record's
//     revision, and a row whose revision is at or below the stored one
//     leaves the record as it is, so rows arriving out of order never roll
//     it back. Without one, a changed row is the next revision.
//   - An event's Supersedes is the external id of the event it corrects,
//     among the row's events or the record's stored ones; it is stored as
//     that event's id.
//
// New events are stored in either case: events are never edited, so
// adding the ones not yet here is the same in any order.
func (t *importTx) Put(ctx context.Context, row peyvand.ImportRow) (peyvand.Outcome, error) {
	r := row.Record
	if r.SourceID == "" {
		return 0, peyvand.Errorf(peyvand.EINVALID, "record %q has no source", r.ExternalID)
	}
	w := t.w
	digest := w.s.recordDigest(r)
	if r.ExternalID == "" {
		// A list without ids of its own: the row's content is its id, so
		// the same row imported again is recognised. The digest is keyed,
		// so the id reveals nothing of the sealed fields it covers.
		r.ExternalID = "h:" + digest[:22]
	}
	if err := r.Validate(); err != nil {
		return 0, err
	}
	for _, e := range row.Events {
		if e.Verification == "" {
			e.Verification = peyvand.Reported
		}
		if err := e.Validate(); err != nil {
			return 0, err
		}
	}
	m, err := t.sourceRecords(ctx, r.SourceID)
	if err != nil {
		return 0, err
	}
	k := m[r.ExternalID]
	var outcome peyvand.Outcome
	switch {
	case k == nil:
		outcome = peyvand.Created
		k, err = t.create(ctx, r, digest, row.Line)
		m[r.ExternalID] = k
	case r.Revision > 0 && r.Revision <= k.revision:
		// The source numbers its own revisions (a peer's bundle): one at
		// or below what is stored is old news arriving late, and must not
		// roll the record back.
		outcome = peyvand.Unchanged
	case k.digest == digest || row.EventsOnly:
		outcome = peyvand.Unchanged
	case k.line != 0 && r.Revision == 0:
		return 0, peyvand.Errorf(peyvand.ECONFLICT,
			"record_id %q appears twice in this import with different content (first on line %d)", r.ExternalID, k.line)
	default:
		outcome = peyvand.Updated
		err = t.revise(ctx, k, r, digest)
	}
	if err != nil {
		return 0, err
	}
	if k.line == 0 {
		k.line = row.Line
	}
	if err := t.addEvents(ctx, k, row.Events); err != nil {
		return 0, fmt.Errorf("record_id %q: %w", r.ExternalID, err)
	}
	switch outcome {
	case peyvand.Created:
		t.sum.Created++
	case peyvand.Updated:
		t.sum.Updated++
	default:
		t.sum.Unchanged++
	}
	return outcome, nil
}

func (t *importTx) create(ctx context.Context, r peyvand.Record, digest string, line int) (*knownRecord, error) {
	w := t.w
	p := peyvand.Person{ID: w.ids.Next("per"), CreatedAt: w.at}
	if r.Revision <= 0 {
		r.Revision = 1
	}
	r.ID, r.PersonID, r.RecordedAt, r.UpdatedAt = w.ids.Next("rec"), p.ID, w.at, w.at
	if err := w.write(ctx, "persons", w.s.personValues(p), insertRow, 0); err != nil {
		return nil, err
	}
	if err := w.write(ctx, "records", w.s.recordValues(r, digest), insertRow, 0); err != nil {
		return nil, err
	}
	return &knownRecord{id: r.ID, personID: p.ID, digest: digest, revision: r.Revision, recordedAt: micro(w.at), auditSeq: w.seq, line: line}, nil
}

// revise stores a new revision of a record; the old one moves to
// record_history, so nothing a source said is lost. The new revision is
// the source's own number when it gave one (r.Revision, always above the
// stored one here), else the next.
func (t *importTx) revise(ctx context.Context, k *knownRecord, r peyvand.Record, digest string) error {
	w := t.w
	cols := strings.Join(recordCols, ", ")
	if _, err := w.exec(ctx, "INSERT INTO record_history ("+cols+", row_mac, replaced_at) SELECT "+cols+", row_mac, ? FROM records WHERE id = ?",
		micro(w.at), k.id); err != nil {
		return fmt.Errorf("keep revision %d of record %s: %w", k.revision, k.id, err)
	}
	if r.Revision <= k.revision {
		r.Revision = k.revision + 1
	}
	r.ID, r.PersonID = k.id, k.personID
	r.RecordedAt, r.UpdatedAt = fromMicro(k.recordedAt), w.at
	old := k.auditSeq
	k.digest, k.revision, k.auditSeq = digest, r.Revision, w.seq
	return w.write(ctx, "records", w.s.recordValues(r, digest), reviseRow, old)
}

// addEvents stores the events the record does not have yet. An event's
// Supersedes names the event it corrects by its external id, among this
// row's events or those stored for the record before; it is stored as that
// event's id. Corrected events are stored first, whatever the row's order.
func (t *importTx) addEvents(ctx context.Context, k *knownRecord, evs []peyvand.StatusEvent) error {
	pending := make([]peyvand.StatusEvent, 0, len(evs))
	for _, e := range evs {
		if e.Verification == "" {
			e.Verification = peyvand.Reported
		}
		if e.ExternalID == "" {
			e.ExternalID = t.w.s.eventKey(e)
		}
		if _, ok := k.events[e.ExternalID]; !ok {
			pending = append(pending, e)
		}
	}
	for len(pending) > 0 {
		rest := pending[:0]
		for _, e := range pending {
			target := ""
			if e.Supersedes != "" {
				id, ok := k.events[e.Supersedes]
				if !ok {
					rest = append(rest, e)
					continue
				}
				target = id
			}
			if _, ok := k.events[e.ExternalID]; ok {
				continue // given twice in the row
			}
			if err := t.addEvent(ctx, k, e, target); err != nil {
				return err
			}
		}
		if len(rest) == len(pending) {
			return peyvand.Errorf(peyvand.EINVALID, "event %q corrects event %q, which the record does not have",
				rest[0].ExternalID, rest[0].Supersedes)
		}
		pending = rest
	}
	return nil
}

// addEvent stores one new event of the record; supersedes is the local id
// of the event it corrects, or "".
func (t *importTx) addEvent(ctx context.Context, k *knownRecord, e peyvand.StatusEvent, supersedes string) error {
	w := t.w
	e.ID, e.RecordID, e.Actor, e.RecordedAt, e.Supersedes = w.ids.Next("evt"), k.id, w.actor, w.at, supersedes
	if k.events == nil {
		k.events = map[string]string{}
	}
	k.events[e.ExternalID] = e.ID
	t.sum.Events++
	return w.write(ctx, "status_events", w.s.eventValues(e), insertRow, 0)
}

// sourceRecords loads, once per import and source, what the source sent
// before: a map lookup per row is much cheaper than a query per row.
func (t *importTx) sourceRecords(ctx context.Context, sourceID string) (map[string]*knownRecord, error) {
	if m, ok := t.known[sourceID]; ok {
		return m, nil
	}
	w := t.w
	if err := w.drain(ctx); err != nil {
		return nil, err
	}
	m := map[string]*knownRecord{}
	rows, err := w.tx.QueryContext(ctx, w.s.q(
		"SELECT external_id, id, person_id, digest, revision, recorded_at, audit_seq FROM records WHERE source_id = ?"), sourceID)
	if err != nil {
		return nil, fmt.Errorf("load records of source %s: %w", sourceID, err)
	}
	byID := map[string]*knownRecord{}
	for rows.Next() {
		k := &knownRecord{}
		var ext string
		if err := rows.Scan(&ext, &k.id, &k.personID, &k.digest, &k.revision, &k.recordedAt, &k.auditSeq); err != nil {
			rows.Close()
			return nil, err
		}
		m[ext], byID[k.id] = k, k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = w.tx.QueryContext(ctx, w.s.q(`SELECT e.record_id, e.external_id, e.id FROM status_events e
		JOIN records r ON r.id = e.record_id WHERE r.source_id = ?`), sourceID)
	if err != nil {
		return nil, fmt.Errorf("load events of source %s: %w", sourceID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid, ext, id string
		if err := rows.Scan(&rid, &ext, &id); err != nil {
			return nil, err
		}
		if k := byID[rid]; k != nil {
			if k.events == nil {
				k.events = map[string]string{}
			}
			k.events[ext] = id
		}
	}
	t.known[sourceID] = m
	return m, rows.Err()
}

// update rewrites a row by id (the first column).
func (w *writer) update(ctx context.Context, table string, cols []string, vals []any) error {
	set := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		set = append(set, c+" = ?")
	}
	args := append(append([]any{}, vals[1:]...), vals[0])
	// The first column is the table's primary key.
	_, err := w.exec(ctx, "UPDATE "+table+" SET "+strings.Join(set, ", ")+" WHERE "+cols[0]+" = ?", args...)
	if err != nil {
		return fmt.Errorf("update %s %v: %w", table, vals[0], err)
	}
	return nil
}
