package sqlstore

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"peyvand"
	"peyvand/audit"
	"peyvand/seal"
)

// Key rotation (docs/KEYS.md). The key file gets the new key first, with the
// old one kept as "rotating-from" (seal.Keys.Rotate); then:
//
//  1. One transaction, begun under the old key, appends a key.rotate entry
//     {"from": old, "to": new} MACed with the new key, seals the head with
//     the new key and records the new key id in meta. From then on every
//     write, the rotation's and everyone else's, is sealed and MACed with
//     the new key; a process still holding only the old key cannot write
//     (begin finds the head sealed with a key it does not have).
//  2. Bounded batches, each a transaction with its own key.reseal entry,
//     re-seal every sealed value of every table with the new key,
//     recompute the keyed digests that can be recomputed (records' digest
//     and the content ids made from it, events' content keys) and rewrite
//     each row's MAC. A row is due when its MAC does not verify under the
//     new key; so a rotation killed at any point goes on where it stopped,
//     and a row that verifies under neither key (changed behind the
//     application's back) stops it rather than being given a fresh MAC.
//  3. key.finish {"retired": old}, written only when no row is left sealed
//     or MACed with the old key; then the key file drops the old sealing
//     key (seal.Keys.Finish).
//
// The audit chain is not rewritten: entries keep the MAC they were written
// with, and each key.rotate entry switches the key the verifier checks the
// following entries with. The rotation entry is MACed with the new key and
// its MAC covers the last old-key entry's MAC, so the old part is anchored
// under the new key: someone holding only the old key cannot rewrite it
// without breaking the link. This keeps the chain append-only (heads
// copied off-site before a rotation still match) at the cost of keeping
// each retired key's audit key in the key file. Inquiry codes are the other
// exception: they are stored only as a keyed digest of a code the registry
// never keeps, so they cannot be recomputed; the retired lookup keys stay in
// the key file and InquiryByCode tries each.

// Audit actions of a key rotation.
const (
	actionRotate = "key.rotate"
	actionReseal = "key.reseal"
	actionFinish = "key.finish"
)

type keyDetail struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Retired string `json:"retired"`
}

// RotateOptions tunes a rotation.
type RotateOptions struct {
	// Batch is the most rows one transaction re-seals (default 500).
	Batch int
	// AfterBatch, if set, is called after each committed transaction;
	// an error stops the rotation there, as a crash would (resumable).
	AfterBatch func(RotateProgress) error
}

// RotateProgress is what a call to Rotate has done.
type RotateProgress struct {
	From, To string
	Started  bool           // this call began the rotation in the store
	Batches  int            // re-sealing transactions committed
	Rows     map[string]int // rows re-keyed, per table
	Done     bool           // no row is left under the old key
	Finished bool           // the store had finished this rotation before
}

// Rotate re-keys the store from the key the key file's rotation replaces
// (s's keys must come from a key file in which seal.Keys.Rotate put a new
// key) to its current key. It begins the rotation in the store if needed
// and goes on from wherever an earlier call stopped.
func (s *Store) Rotate(ctx context.Context, actor string, opt RotateOptions) (RotateProgress, error) {
	old := s.keys.Rotating()
	if old == nil {
		return RotateProgress{}, peyvand.Errorf(peyvand.EINVALID, "the key file has no key being replaced: peyvand keys rotate begins a rotation")
	}
	if opt.Batch <= 0 {
		opt.Batch = 500
	}
	p := RotateProgress{From: old.ID(), To: s.keys.ID(), Rows: map[string]int{}}
	stored, err := s.storedKeyID(ctx)
	if err != nil {
		return p, err
	}
	switch stored {
	case old.ID():
		if err := s.beginRotation(ctx, actor, old); err != nil {
			return p, err
		}
		p.Started = true
		if opt.AfterBatch != nil {
			if err := opt.AfterBatch(p); err != nil {
				return p, err
			}
		}
	case s.keys.ID():
		action, id, err := s.lastKeyEntry(ctx)
		switch {
		case err != nil:
			return p, err
		case action == actionFinish && id == old.ID():
			p.Done, p.Finished = true, true
			return p, nil
		case action != actionRotate || id != old.ID():
			return p, peyvand.Errorf(peyvand.ECONFLICT, "the store's key is %s but its audit chain has no rotation from key %s in progress: this key file does not belong to this store's rotation", stored, old.ID())
		}
	default:
		return p, peyvand.Errorf(peyvand.EUNAUTHORIZED, "the store is sealed with key %s, which is neither the key file's key nor the key it replaces", stored)
	}
	for _, t := range rotationTables() {
		if err := s.rotateTable(ctx, actor, t, old, opt, &p); err != nil {
			return p, err
		}
	}
	p.Done = true
	return p, nil
}

// beginRotation is step 1: the key.rotate entry, under the new key, in a
// transaction that found the head sealed with the old one.
func (s *Store) beginRotation(ctx context.Context, actor string, old *seal.Keys) error {
	w, err := s.beginKeyed(ctx, actor, audit.NewChain(old.AuditKey()))
	if err != nil {
		return err
	}
	w.describe(actionRotate, "", map[string]any{"from": old.ID(), "to": s.keys.ID()})
	// Sessions are not audited and hold digests under the web server's
	// secret, which is derived from the old key: staff sign in again.
	if _, err := w.exec(ctx, "DELETE FROM sessions"); err != nil {
		w.rollback()
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := w.exec(ctx, "UPDATE meta SET value = ? WHERE key = 'key_id'", s.keys.ID()); err != nil {
		w.rollback()
		return fmt.Errorf("record the new key id: %w", err)
	}
	if err := w.commit(ctx); err != nil {
		return fmt.Errorf("begin key rotation: %w", err)
	}
	return nil
}

// rotTable is a table as a rotation walks it.
type rotTable struct {
	table, kind string
	cols        []string // the columns the row MAC covers, audit_seq last
	key         []string // primary key, for keyset paging
	history     bool     // record_history: rows keep their audit_seq
	adTable     string   // the table named in sealed values' associated data
	maxBatch    int      // a lower bound for tables of large rows (0: none)
}

func rotationTables() []rotTable {
	var out []rotTable
	for _, k := range kinds {
		t := rotTable{table: k.table, kind: k.name, cols: k.cols, key: k.cols[:1], adTable: k.table}
		if k.table == "attachments" {
			t.maxBatch = 4 // up to 16 MiB each, held in memory while re-sealed
		}
		out = append(out, t)
	}
	// History rows were copied from records verbatim, associated data
	// included. They keep the audit_seq of the entry that wrote them: the
	// chain counts them per that entry.
	return append(out, rotTable{table: "record_history", kind: "record", cols: recordCols,
		key: []string{"id", "revision"}, history: true, adTable: "records"})
}

func (t rotTable) pageSQL(first bool, n int) string {
	q := "SELECT " + strings.Join(t.cols, ", ") + ", row_mac FROM " + t.table
	switch {
	case first:
	case len(t.key) == 1:
		q += " WHERE " + t.key[0] + " > ?"
	default:
		q += " WHERE id > ? OR (id = ? AND revision > ?)"
	}
	return q + " ORDER BY " + strings.Join(t.key, ", ") + " LIMIT " + strconv.Itoa(n)
}

func (t rotTable) index(col string) int {
	for i, c := range t.cols {
		if c == col {
			return i
		}
	}
	panic("sqlstore: no column " + col + " in " + t.table)
}

// rotateTable re-keys a table page by page, in key order.
func (s *Store) rotateTable(ctx context.Context, actor string, t rotTable, old *seal.Keys, opt RotateOptions, p *RotateProgress) error {
	size := opt.Batch
	if t.maxBatch > 0 && size > t.maxBatch {
		size = t.maxBatch
	}
	var after []any
	for {
		last, n, end, err := s.rotatePage(ctx, actor, t, old, after, size)
		if err != nil {
			return fmt.Errorf("rotate keys of %s: %w", t.table, err)
		}
		if n > 0 {
			p.Batches++
			p.Rows[t.table] += n
			if opt.AfterBatch != nil {
				if err := opt.AfterBatch(*p); err != nil {
					return err
				}
			}
		}
		if end {
			return nil
		}
		after = last
	}
}

// rotatePage re-keys the due rows among the page after key after, in one
// transaction; it returns the page's last key, the rows re-keyed and
// whether the table ends here. The page is read inside the transaction,
// which holds the chain's head: no writer changes a row between its read
// and its rewrite.
func (s *Store) rotatePage(ctx context.Context, actor string, t rotTable, old *seal.Keys, after []any, size int) (last []any, n int, end bool, err error) {
	w, err := s.begin(ctx, actor)
	if err != nil {
		return nil, 0, false, err
	}
	page, err := t.readPage(ctx, w, after, size)
	if err != nil || len(page) == 0 {
		w.rollback()
		return nil, 0, true, err
	}
	oldChain := audit.NewChain(old.AuditKey())
	var f audit.Fields
	nc := len(t.cols)
	for _, vals := range page {
		mac := canonical(vals[nc])
		if hmac.Equal([]byte(s.rowMAC(t.kind, vals[:nc], &f)), []byte(mac)) {
			continue // written or re-keyed since the rotation began
		}
		if !hmac.Equal([]byte(rowMACWith(oldChain, t.kind, vals[:nc], &f)), []byte(mac)) {
			w.rollback()
			return nil, 0, false, peyvand.Errorf(peyvand.EINTEGRITY,
				"%s %s does not match its MAC under the old key or the new one (changed behind the application's back): the rotation stopped before giving it a new MAC; run peyvand audit verify",
				t.table, canonical(vals[0]))
		}
		if err := s.rekeyRow(ctx, w, t, old, vals[:nc]); err != nil {
			w.rollback()
			return nil, 0, false, err
		}
		n++
	}
	lastRow := page[len(page)-1]
	for _, k := range t.key {
		last = append(last, lastRow[t.index(k)])
	}
	if n == 0 {
		return last, 0, len(page) < size, w.rollback()
	}
	w.describe(actionReseal, "", map[string]any{"from": old.ID(), "to": s.keys.ID(), "table": t.table, "rekeyed": n})
	if err := w.commit(ctx); err != nil {
		return nil, 0, false, err
	}
	return last, n, len(page) < size, nil
}

func (t rotTable) readPage(ctx context.Context, w *writer, after []any, size int) ([][]any, error) {
	args := after
	if len(after) == 2 { // (id, revision): id > ? OR (id = ? AND revision > ?)
		args = []any{after[0], after[0], after[1]}
	}
	rows, err := w.query(ctx, t.pageSQL(after == nil, size), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page [][]any
	for rows.Next() {
		vals, err := scanAny(rows, len(t.cols)+1)
		if err != nil {
			return nil, err
		}
		page = append(page, vals)
	}
	return page, rows.Err()
}

// rekeyRow re-seals a row's sealed values with the current key, recomputes
// its keyed digests and writes it with a MAC under the current key. vals
// are its columns (audit_seq last); they are changed in place.
func (s *Store) rekeyRow(ctx context.Context, w *writer, t rotTable, old *seal.Keys, vals []any) error {
	id := canonical(vals[0])
	opened := map[string]string{}
	for i, c := range t.cols {
		col, ok := strings.CutSuffix(c, "_sealed")
		if !ok {
			continue
		}
		plain, err := s.keys.Open(canonical(vals[i]), ad(t.adTable, col, id))
		if err != nil {
			return peyvand.Errorf(peyvand.EINTEGRITY, "%s.%s of %s: %v", t.table, col, id, err)
		}
		opened[col] = plain
		vals[i] = s.seal(plain, t.adTable, col, id)
	}
	var err error
	switch t.kind {
	case "record":
		err = s.rekeyRecord(t, vals, opened)
	case "event":
		err = s.rekeyEvent(t, old, vals, opened)
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", t.table, id, err)
	}
	seq, _ := strconv.ParseInt(canonical(vals[len(vals)-1]), 10, 64)
	if !t.history {
		return w.write(ctx, t.table, vals[:len(vals)-1], rewriteRow, seq)
	}
	var f audit.Fields
	set := make([]string, 0, len(t.cols))
	args := make([]any, 0, len(t.cols)+2)
	for i, c := range t.cols {
		if c != "id" && c != "revision" {
			set, args = append(set, c+" = ?"), append(args, vals[i])
		}
	}
	args = append(args, s.rowMAC(t.kind, vals, &f), vals[0], vals[t.index("revision")])
	_, err = w.exec(ctx, "UPDATE record_history SET "+strings.Join(set, ", ")+", row_mac = ? WHERE id = ? AND revision = ?", args...)
	if err != nil {
		return fmt.Errorf("re-key record_history %s: %w", id, err)
	}
	return nil
}

// rekeyRecord recomputes a record's digest under the current key, and the
// id made from it for rows of lists without ids of their own ("h:…", see
// importTx.Put): a re-import must still find the row unchanged.
func (s *Store) rekeyRecord(t rotTable, vals []any, opened map[string]string) error {
	str := func(c string) string { return canonical(vals[t.index(c)]) }
	num := func(c string) int { n, _ := strconv.Atoi(str(c)); return n }
	ageDate, err := peyvand.ParseISODate(str("age_date"))
	if err != nil {
		return err
	}
	r := peyvand.Record{FullName: str("full_name"), GivenName: str("given_name"), FamilyName: str("family_name"),
		FatherName: str("father_name"), OtherNames: str("other_names"), Gender: peyvand.Gender(str("gender")),
		BirthYear: num("birth_year"), Age: num("age"), AgeDate: ageDate, City: str("city"), Province: str("province"),
		NationalID: str("national_id"), Contact: opened["contact"], Reporter: opened["reporter"], Notes: opened["notes"]}
	oldDigest, digest := str("digest"), recordDigestWith(s.keys, r)
	if ext := str("external_id"); len(oldDigest) >= 22 && ext == "h:"+oldDigest[:22] {
		vals[t.index("external_id")] = "h:" + digest[:22]
	}
	vals[t.index("digest")] = digest
	return nil
}

// rekeyEvent recomputes the content key of an event that came without an
// id ("c:…", see importTx.addEvent), so a re-import still recognises it.
func (s *Store) rekeyEvent(t rotTable, old *seal.Keys, vals []any, opened map[string]string) error {
	str := func(c string) string { return canonical(vals[t.index(c)]) }
	date, err := peyvand.ParseISODate(str("date"))
	if err != nil {
		return err
	}
	e := peyvand.StatusEvent{Status: peyvand.Status(str("status")), Date: date, Place: str("place"),
		Verification: peyvand.Verification(str("verification")), Evidence: str("evidence"),
		Text: opened["text"], Reporter: opened["reporter"], Contact: opened["contact"]}
	if str("external_id") == eventKeyWith(old, e) {
		vals[t.index("external_id")] = eventKeyWith(s.keys, e)
	}
	return nil
}

// FinishRotation ends the store's rotation from the key file's old key:
// it writes key.finish when no row is left sealed or MACed with that key,
// and otherwise fails with ECONFLICT, saying how many are. After it the old
// key's sealing key may be dropped from the key file (seal.Keys.Finish).
// Finishing a finished rotation again does nothing.
func (s *Store) FinishRotation(ctx context.Context, actor string) error {
	old := s.keys.Rotating()
	if old == nil {
		return peyvand.Errorf(peyvand.EINVALID, "the key file has no key being replaced: there is no rotation to finish")
	}
	stored, err := s.storedKeyID(ctx)
	if err != nil {
		return err
	}
	if stored != s.keys.ID() {
		return peyvand.Errorf(peyvand.ECONFLICT, "the rotation to key %s has not begun in the store: run peyvand keys rotate", s.keys.ID())
	}
	switch action, id, err := s.lastKeyEntry(ctx); {
	case err != nil:
		return err
	case action == actionFinish && id == old.ID():
		return nil
	case action != actionRotate || id != old.ID():
		return peyvand.Errorf(peyvand.ECONFLICT, "the store's audit chain has no rotation from key %s in progress", old.ID())
	}
	return s.change(ctx, actor, func(w *writer) error {
		left, err := s.keyedWith(ctx, w, old)
		if err != nil {
			return err
		}
		if total := sumCounts(left); total > 0 {
			return peyvand.Errorf(peyvand.ECONFLICT, "%d rows still hold values sealed or MACed with key %s (%s): run peyvand keys rotate to re-seal them, then finish",
				total, old.ID(), formatCounts(left))
		}
		w.describe(actionFinish, "", map[string]any{"retired": old.ID(), "key": s.keys.ID()})
		return nil
	})
}

// keyedWith counts, per table, the rows that still depend on key old: a
// sealed value sealed with a key other than the current one, or a MAC
// that does not verify under the current key.
func (s *Store) keyedWith(ctx context.Context, w *writer, old *seal.Keys) (map[string]int, error) {
	left := map[string]int{}
	var f audit.Fields
	for _, t := range rotationTables() {
		rows, err := w.query(ctx, "SELECT "+strings.Join(t.cols, ", ")+", row_mac FROM "+t.table)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", t.table, err)
		}
		nc := len(t.cols)
		for rows.Next() {
			vals, err := scanAny(rows, nc+1)
			if err != nil {
				rows.Close()
				return nil, err
			}
			due := !hmac.Equal([]byte(s.rowMAC(t.kind, vals[:nc], &f)), []byte(canonical(vals[nc])))
			for i, c := range t.cols {
				if id, ok := seal.SealedID(canonical(vals[i])); ok && strings.HasSuffix(c, "_sealed") && id != s.keys.ID() {
					due = true
				}
			}
			if due {
				left[t.table]++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("check %s: %w", t.table, err)
		}
	}
	return left, nil
}

// KeyRotation returns the id of the key that the store's unfinished key
// rotation replaces, or "" when none is in progress.
func (s *Store) KeyRotation(ctx context.Context) (string, error) {
	action, id, err := s.lastKeyEntry(ctx)
	if action != actionRotate {
		id = ""
	}
	return id, err
}

// lastKeyEntry returns the latest key.rotate or key.finish entry's action
// and the key it replaces or retires ("" and "" if there is none).
func (s *Store) lastKeyEntry(ctx context.Context) (action, id string, err error) {
	var d string
	err = s.db.QueryRowContext(ctx, s.q("SELECT action, detail FROM audit_log WHERE action IN (?, ?) ORDER BY seq DESC LIMIT 1"),
		actionRotate, actionFinish).Scan(&action, &d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	} else if err != nil {
		return "", "", fmt.Errorf("read key rotations: %w", err)
	}
	var kd keyDetail
	if err := json.Unmarshal([]byte(d), &kd); err != nil {
		return "", "", peyvand.Errorf(peyvand.EINTEGRITY, "a %s entry's detail is not readable: run peyvand audit verify", action)
	}
	if action == actionRotate {
		return action, kd.From, nil
	}
	return action, kd.Retired, nil
}

func (s *Store) storedKeyID(ctx context.Context) (string, error) {
	var id string
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'key_id'").Scan(&id); err != nil {
		return "", fmt.Errorf("read key id: %w", err)
	}
	return id, nil
}

// headKeyError explains a chain head sealed with a key other than the one
// a writer holds.
func (s *Store) headKeyError(seq int64, mac, sealed string) error {
	if r := s.keys.Rotating(); r != nil && hmac.Equal([]byte(audit.NewChain(r.AuditKey()).Head(seq, mac)), []byte(sealed)) {
		return peyvand.Errorf(peyvand.ECONFLICT,
			"the store is still keyed with key %s, which the key file's new key %s replaces: run peyvand keys rotate to carry the rotation out before writing", r.ID(), s.keys.ID())
	}
	return peyvand.Errorf(peyvand.EINTEGRITY,
		"the audit chain's head is not sealed with key %s: if the key was rotated since this process started, restart it with the current key file; otherwise run peyvand audit verify", s.keys.ID())
}

// chainVerifier checks the audit chain with audit.Verifier, and switches
// keys at every key.rotate entry: entries keep the MAC they were written
// with, so the part before a rotation is checked with the retired key's
// audit key, which the key file keeps.
type chainVerifier struct {
	*audit.Verifier
	s     *Store
	cur   *audit.Chain
	curID string
	from  string // the key the last, unfinished rotation replaces
}

// newChainVerifier starts with the key the chain began with: the first
// rotation's old key, or, if the store was never rotated, its own.
func (s *Store) newChainVerifier(ctx context.Context) (*chainVerifier, error) {
	v := &chainVerifier{Verifier: s.chain.NewVerifier(), s: s}
	var d string
	var seq int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT seq, detail FROM audit_log WHERE action = ? ORDER BY seq LIMIT 1"), actionRotate).Scan(&seq, &d)
	var first string
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if first, err = s.storedKeyID(ctx); err != nil {
			first = s.keys.ID()
		}
	case err != nil:
		return nil, fmt.Errorf("read key rotations: %w", err)
	default:
		var kd keyDetail
		json.Unmarshal([]byte(d), &kd) // a forged detail fails its entry's MAC
		if first = kd.From; s.keys.Generation(first) == nil {
			v.Fail(fmt.Sprintf("entry %d: a key rotation from key %q, which the key file does not have (the entry was edited, or a retired key's line removed from the key file)", seq, first))
			return v, nil
		}
	}
	v.use(first, 1)
	return v, nil
}

// use switches to the audit key of key id from entry seq on.
func (v *chainVerifier) use(id string, seq int64) {
	v.curID = id
	switch g := v.s.keys.Generation(id); {
	case id == v.s.keys.ID():
		v.cur = v.s.chain
	case g != nil:
		v.cur = audit.NewChain(g.AuditKey())
	default:
		v.cur = nil
		v.Fail(fmt.Sprintf("entry %d: keyed with key %s, which the key file does not have (a retired key's line was removed from it?)", seq, id))
		return
	}
	v.Rekey(v.cur)
}

// Entry checks the next entry, switching keys first at a rotation (whose
// entry is MACed with the new key); audit.Verifier checks its place and
// its MAC.
func (v *chainVerifier) Entry(e peyvand.AuditEntry) {
	if v.Problem() != "" {
		return
	}
	if e.Seq == v.Next() { // a misplaced entry fails in Verifier.Entry, whatever it says
		var kd keyDetail
		switch e.Action {
		case actionRotate:
			json.Unmarshal([]byte(e.Detail), &kd) // a forged detail fails the MAC
			if kd.From != v.curID {
				v.Fail(fmt.Sprintf("entry %d: a key rotation from key %s, but the chain before it is keyed with %s (edited or inserted)", e.Seq, kd.From, v.curID))
				return
			}
			v.use(kd.To, e.Seq)
			v.from = kd.From
		case actionFinish:
			json.Unmarshal([]byte(e.Detail), &kd)
			if kd.Retired == v.from {
				v.from = ""
			}
		}
	}
	v.Verifier.Entry(e)
}

// rowKeys are the keys a row's MAC may be under: the chain's current key
// and, until its rotation is finished, the key it replaced. Once finished,
// a row MACed with the old key fails, whoever holds that key.
func (v *chainVerifier) rowKeys() []*audit.Chain {
	if v.cur == nil {
		return []*audit.Chain{v.s.chain}
	}
	keys := []*audit.Chain{v.cur}
	if g := v.s.keys.Generation(v.from); v.from != "" && g != nil {
		keys = append(keys, audit.NewChain(g.AuditKey()))
	}
	return keys
}

// macUnderAny reports whether mac is the row MAC of vals under one of keys.
func macUnderAny(keys []*audit.Chain, kind string, vals []any, mac string, f *audit.Fields) bool {
	for _, c := range keys {
		if hmac.Equal([]byte(rowMACWith(c, kind, vals, f)), []byte(mac)) {
			return true
		}
	}
	return false
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func formatCounts(m map[string]int) string {
	var parts []string
	for t, n := range m {
		parts = append(parts, fmt.Sprintf("%s %d", t, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
