package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"peyvand"
	"peyvand/audit"
)

// writer is one write transaction. It holds the audit chain's head for the
// whole transaction (the write lock in SQLite, a row lock in PostgreSQL), so
// concurrent writers, in one process or several, extend one chain.
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

	seq  int64
	prev string

	ids *peyvand.IDBatch // ids of the rows this transaction creates

	bufs  map[string]*batch
	order []string // tables in foreign-key order
}

type batch struct {
	table string
	cols  []string
	rows  int
	args  []any
	full  *sql.Stmt // prepared statement for a full batch, made on first use
}

func (s *Store) begin(ctx context.Context, actor string) (*writer, error) {
	if actor == "" {
		return nil, peyvand.Errorf(peyvand.EINVALID, "every change needs an actor")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	w := &writer{s: s, tx: tx, actor: actor, at: s.now(), prev: audit.Genesis, bufs: map[string]*batch{},
		ids: peyvand.NewIDBatch()}
	for _, k := range []struct {
		table string
		cols  []string
	}{{"audit_log", auditCols}, {"sources", sourceCols}, {"persons", personCols}, {"records", recordCols},
		{"status_events", eventCols}, {"inquiries", inquiryCols}} {
		w.bufs[k.table] = &batch{table: k.table, cols: k.cols}
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
		w.prev = f[1]
	}
	return w, nil
}

// log appends an audit entry. values is the entity's stored row, whose
// digest the entry carries; nil for actions on no single entity.
func (w *writer) log(ctx context.Context, action, entity string, values []any, detail string) error {
	e := peyvand.AuditEntry{Seq: w.seq + 1, At: w.at, Actor: w.actor, Action: action,
		Entity: entity, Detail: detail, Prev: w.prev}
	if values != nil {
		kindName, _, _ := strings.Cut(entity, ":")
		e.ContentMAC = w.s.chain.Content(kindName, canonicalAll(values))
	}
	e.MAC = w.s.chain.Link(e)
	w.seq, w.prev = e.Seq, e.MAC
	return w.insert(ctx, "audit_log", []any{e.Seq, micro(e.At), e.Actor, e.Action, e.Entity,
		e.ContentMAC, e.Detail, e.MAC}) // Prev is the entry before's MAC: not stored twice
}

// write stores one row of table (inserting it, or updating it by id) and
// the audit entry that vouches for it; the row records the entry's number
// in its audit_seq, which verification follows.
func (w *writer) write(ctx context.Context, table, action, entity string, vals []any, detail string, update bool) error {
	vals = append(vals, w.seq+1) // the entry log is about to write
	var err error
	if update {
		err = w.update(ctx, table, colsOf(table), vals)
	} else {
		err = w.insert(ctx, table, vals)
	}
	if err != nil {
		return err
	}
	return w.log(ctx, action, entity, vals, detail)
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

func (w *writer) flushTable(ctx context.Context, b *batch) error {
	if b.rows == 0 {
		return nil
	}
	var err error
	if b.rows == w.batchRows(b) {
		if b.full == nil {
			b.full, err = w.tx.PrepareContext(ctx, w.s.q(insertSQL(b.table, b.cols, b.rows)))
			if err != nil {
				return fmt.Errorf("prepare insert into %s: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = w.tx.ExecContext(ctx, w.s.q(insertSQL(b.table, b.cols, b.rows)), b.args...)
	}
	if err != nil {
		if w.s.d.IsUnique != nil && w.s.d.IsUnique(err) {
			return peyvand.Errorf(peyvand.ECONFLICT, "insert into %s: a row with the same key exists (%v)", b.table, err)
		}
		return fmt.Errorf("insert into %s: %w", b.table, err)
	}
	b.rows, b.args = 0, b.args[:0]
	return nil
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
	if err := w.flush(ctx); err != nil {
		return nil, err
	}
	return w.tx.ExecContext(ctx, w.s.q(query), args...)
}

func (w *writer) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	if err := w.flush(ctx); err != nil {
		return nil, err
	}
	return w.tx.QueryRowContext(ctx, w.s.q(query), args...), nil
}

// commit writes what is buffered, seals the new head and commits.
func (w *writer) commit(ctx context.Context) error {
	if err := w.flush(ctx); err != nil {
		w.rollback()
		return err
	}
	if w.seq > 0 {
		head := fmt.Sprintf("%d %s %s", w.seq, w.prev, w.s.chain.Head(w.seq, w.prev))
		if _, err := w.tx.ExecContext(ctx, w.s.q("UPDATE meta SET value = ? WHERE key = 'audit_head'"), head); err != nil {
			w.rollback()
			return fmt.Errorf("write audit head: %w", err)
		}
	}
	w.closeStmts()
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (w *writer) rollback() error {
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
