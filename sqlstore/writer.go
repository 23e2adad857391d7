package sqlstore

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"peyvand"
	"peyvand/audit"
)

// writer is one write transaction. It holds the audit chain's head for the
// whole transaction (the write lock in SQLite, a row lock in PostgreSQL), so
// concurrent writers, in one process or several, extend one chain.
//
// A transaction is one entry of the chain: who did what, and how many rows
// of each table it wrote (and, for rows it rewrote, which earlier entries
// they left). Every row it writes carries the entry's number (audit_seq)
// and a keyed MAC of its content (row_mac); verification checks each row's
// MAC and that each entry still has exactly the rows it should.
//
// Inserts are buffered per table and written as multi-row statements: an
// import of a million rows is a few thousand statements, not millions.
// Buffers are flushed in foreign-key order (persons, records, events,
// inquiries, audit) before any other statement runs.
type writer struct {
	s     *Store
	tx    *sql.Tx
	actor string
	at    time.Time

	seq  int64  // this transaction's entry: the head's seq + 1
	prev string // the MAC of the entry before

	action, entity string                   // what the entry says was done
	detail         map[string]any           // and its details: ids, counts, never sealed data
	written        map[string]int           // rows written, per table
	moved          map[string]map[int64]int // rows revised, per table and earlier entry (old versions kept)
	rewritten      map[string]map[int64]int // rows rewritten in place, likewise (old versions not kept)

	ids    *peyvand.IDBatch // ids of the rows this transaction creates
	fields audit.Fields     // reused for the canonical text of a row

	bufs  map[string]*batch
	order []string // tables in foreign-key order

	jobs    chan job       // inserts for the executor goroutine
	pending sync.WaitGroup // inserts handed over and not yet run
	errMu   sync.Mutex
	err     error // the executor's first error
}

type batch struct {
	table string
	cols  []string
	rows  int
	args  []any
	full  *sql.Stmt // prepared statement for a full batch, made on first use
}

func (s *Store) begin(ctx context.Context, actor string) (*writer, error) {
	return s.beginKeyed(ctx, actor, s.chain)
}

// beginKeyed is begin that expects the chain's head sealed with head's key:
// the store's own, except for the transaction that starts a key rotation
// (rotate.go). A head sealed with another key means this process holds a
// key the store no longer uses: its writes would break the chain.
func (s *Store) beginKeyed(ctx context.Context, actor string, headKey *audit.Chain) (*writer, error) {
	if actor == "" {
		return nil, peyvand.Errorf(peyvand.EINVALID, "every change needs an actor")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	w := &writer{s: s, tx: tx, actor: actor, at: s.now(), prev: audit.Genesis, bufs: map[string]*batch{},
		ids: peyvand.NewIDBatch(), written: map[string]int{},
		moved: map[string]map[int64]int{}, rewritten: map[string]map[int64]int{}}
	w.bufs["audit_log"] = &batch{table: "audit_log", cols: auditCols}
	w.order = append(w.order, "audit_log")
	for _, k := range kinds {
		b := &batch{table: k.table, cols: storedCols(k.cols)}
		b.args = make([]any, 0, w.batchRows(b)*len(b.cols))
		w.bufs[k.table] = b
		w.order = append(w.order, k.table)
	}
	var head string
	err = tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'audit_head'"+s.d.LockHead).Scan(&head)
	switch {
	case err != nil:
		tx.Rollback()
		return nil, fmt.Errorf("read audit head: %w", err)
	default:
		f := strings.Fields(head)
		if len(f) != 3 {
			tx.Rollback()
			return nil, peyvand.Errorf(peyvand.EINTEGRITY, "audit head is malformed: run peyvand audit verify")
		}
		w.seq, _ = strconv.ParseInt(f[0], 10, 64)
		if !hmac.Equal([]byte(headKey.Head(w.seq, f[1])), []byte(f[2])) {
			tx.Rollback()
			return nil, s.headKeyError(w.seq, f[1], f[2])
		}
		w.seq++
		w.prev = f[1]
	}
	return w, nil
}

// describe says what the transaction does, for its audit entry; the
// first description stands (an import that creates its source is an
// import).
func (w *writer) describe(action, entity string, detail map[string]any) {
	if w.action != "" {
		return
	}
	w.action, w.entity, w.detail = action, entity, detail
}

// How write stores a row.
const (
	insertRow  = iota
	reviseRow  // update; the old version was kept in record_history
	rewriteRow // update in place; the old version is not kept (a record moved to another person)
)

// write stores one row of table: inserting it, or updating it by id, in
// which case oldSeq is the entry that wrote it before. The row gets this
// transaction's audit_seq and its row_mac; the entry counts which earlier
// entries' rows it took over.
func (w *writer) write(ctx context.Context, table string, vals []any, mode int, oldSeq int64) error {
	vals = append(vals, w.seq)
	vals = append(vals, w.s.rowMAC(kindOf(table), vals, &w.fields))
	w.written[table]++
	if mode == insertRow {
		return w.insert(ctx, table, vals)
	}
	from := w.moved
	if mode == rewriteRow {
		from = w.rewritten
	}
	if from[table] == nil {
		from[table] = map[int64]int{}
	}
	from[table][oldSeq]++
	return w.update(ctx, table, storedCols(colsOf(table)), vals)
}

// entry returns the transaction's audit entry; ok is false when it did
// nothing worth an entry.
func (w *writer) entry() (e peyvand.AuditEntry, ok bool) {
	if w.action == "" && len(w.written) == 0 {
		return e, false
	}
	d := map[string]any{}
	for k, v := range w.detail {
		d[k] = v
	}
	if len(w.written) > 0 {
		d["rows"] = w.written
	}
	for key, m := range map[string]map[string]map[int64]int{"moved": w.moved, "rewritten": w.rewritten} {
		if len(m) == 0 {
			continue
		}
		out := map[string]map[string]int{}
		for table, from := range m {
			out[table] = map[string]int{}
			for seq, n := range from {
				out[table][strconv.FormatInt(seq, 10)] = n
			}
		}
		d[key] = out
	}
	e = peyvand.AuditEntry{Seq: w.seq, At: w.at, Actor: w.actor, Action: w.action, Entity: w.entity,
		Detail: detail(d), Prev: w.prev}
	e.MAC = w.s.chain.Link(e)
	return e, true
}

// insert buffers one row for table.
func (w *writer) insert(ctx context.Context, table string, values []any) error {
	b := w.bufs[table]
	b.args = append(b.args, values...)
	b.rows++
	if b.rows >= w.batchRows(b) {
		return w.flushUpTo(ctx, table)
	}
	return nil
}

func (w *writer) batchRows(b *batch) int {
	n := w.s.d.MaxParams / len(b.cols)
	if n > 256 {
		n = 256
	}
	return n
}

// flush writes every buffered row, in foreign-key order.
func (w *writer) flush(ctx context.Context) error {
	return w.flushUpTo(ctx, "")
}

// flushUpTo writes the buffered rows of table and of the tables before it
// in foreign-key order ("" for all). Flushing only what must go keeps the
// other buffers filling up to full batches, which run as one prepared
// statement; the audit log references nothing and goes alone.
func (w *writer) flushUpTo(ctx context.Context, table string) error {
	for _, t := range w.order {
		if table != "" && t == "audit_log" && table != t {
			continue
		}
		if err := w.flushTable(ctx, w.bufs[t]); err != nil {
			return err
		}
		if t == table {
			break
		}
	}
	return nil
}

// flushTable hands b's rows to the executor, which runs them while this
// goroutine goes on preparing rows (sealing, MACs): on two cores the
// database and the preparation overlap.
func (w *writer) flushTable(ctx context.Context, b *batch) error {
	if b.rows == 0 {
		return nil
	}
	if err := w.execErr(); err != nil {
		return err
	}
	if w.jobs == nil {
		w.startExecutor(ctx)
	}
	w.pending.Add(1)
	w.jobs <- job{b: b, rows: b.rows, args: b.args}
	b.rows, b.args = 0, make([]any, 0, cap(b.args))
	return nil
}

// job is one multi-row insert for the executor.
type job struct {
	b    *batch
	rows int
	args []any
}

// startExecutor starts the goroutine that runs inserts in the order they
// were handed over (so foreign keys hold) until the writer drains it.
func (w *writer) startExecutor(ctx context.Context) {
	w.jobs = make(chan job, 4)
	go func() {
		for j := range w.jobs {
			if w.execErr() == nil {
				if err := w.run(ctx, j); err != nil {
					w.errMu.Lock()
					w.err = err
					w.errMu.Unlock()
				}
			}
			w.pending.Done()
		}
	}()
}

func (w *writer) run(ctx context.Context, j job) error {
	b := j.b
	var err error
	if j.rows == w.batchRows(b) {
		if b.full == nil {
			b.full, err = w.tx.PrepareContext(ctx, w.s.q(insertSQL(b.table, b.cols, j.rows)))
			if err != nil {
				return fmt.Errorf("prepare insert into %s: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(ctx, j.args...)
	} else {
		_, err = w.tx.ExecContext(ctx, w.s.q(insertSQL(b.table, b.cols, j.rows)), j.args...)
	}
	if err != nil {
		if w.s.d.IsUnique != nil && w.s.d.IsUnique(err) {
			return peyvand.Errorf(peyvand.ECONFLICT, "insert into %s: a row with the same key exists (%v)", b.table, err)
		}
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	return nil
}

func (w *writer) execErr() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	return w.err
}

// drain writes everything buffered and waits for the executor, before the
// transaction is used directly.
func (w *writer) drain(ctx context.Context) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	w.pending.Wait()
	return w.execErr()
}

// stopExecutor ends the executor goroutine after it has finished.
func (w *writer) stopExecutor() {
	w.pending.Wait()
	if w.jobs != nil {
		close(w.jobs)
		w.jobs = nil
	}
}

func insertSQL(table string, cols []string, rows int) string {
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for i := 0; i < rows; i++ {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(one)
	}
	return sb.String()
}

// exec flushes the buffers and runs one statement in the transaction.
func (w *writer) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := w.drain(ctx); err != nil {
		return nil, err
	}
	return w.tx.ExecContext(ctx, w.s.q(query), args...)
}

func (w *writer) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	if err := w.drain(ctx); err != nil {
		return nil, err
	}
	return w.tx.QueryRowContext(ctx, w.s.q(query), args...), nil
}

// commit writes what is buffered and the transaction's audit entry, seals
// the new head and commits.
func (w *writer) commit(ctx context.Context) error {
	e, ok := w.entry()
	if ok {
		if err := w.insert(ctx, "audit_log", []any{e.Seq, micro(e.At), e.Actor, e.Action, e.Entity, e.Detail, e.MAC}); err != nil {
			w.rollback()
			return err
		}
	}
	if err := w.drain(ctx); err != nil {
		w.rollback()
		return err
	}
	if ok {
		head := fmt.Sprintf("%d %s %s", e.Seq, e.MAC, w.s.chain.Head(e.Seq, e.MAC))
		if _, err := w.tx.ExecContext(ctx, w.s.q("UPDATE meta SET value = ? WHERE key = 'audit_head'"), head); err != nil {
			w.rollback()
			return fmt.Errorf("write audit head: %w", err)
		}
	}
	w.stopExecutor()
	w.closeStmts()
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (w *writer) rollback() error {
	w.stopExecutor()
	w.closeStmts()
	return w.tx.Rollback()
}

func (w *writer) closeStmts() {
	for _, b := range w.bufs {
		if b.full != nil {
			b.full.Close()
			b.full = nil
		}
	}
}

// change runs fn in a write transaction and commits it.
func (s *Store) change(ctx context.Context, actor string, fn func(w *writer) error) error {
	w, err := s.begin(ctx, actor)
	if err != nil {
		return err
	}
	if err := fn(w); err != nil {
		w.rollback()
		return err
	}
	return w.commit(ctx)
}
