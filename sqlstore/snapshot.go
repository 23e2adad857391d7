package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"peyvand"
	"peyvand/audit"
)

// Table is one table as a backup copies it.
type Table struct {
	Name string
	// Key is the primary key: rows are copied in its order, so two
	// backups of the same data hold the same rows in the same order.
	Key []string
	// Parent names a column that references this same table ("" if none).
	// Such a reference may point to a row that sorts after it, so a
	// restore fills the column in once all of the table's rows are in.
	Parent string
}

// selfRefs are the columns that reference their own table.
var selfRefs = map[string]string{"persons": "merged_into", "status_events": "supersedes"}

// NotBackedUp names the tables a backup leaves out, and why.
var NotBackedUp = map[string]string{
	"schema_migrations": "the target's own migrations create it; the backup records the schema version instead",
	"sessions":          "sign-in sessions are not audited and should not outlive a restore: staff sign in again",
	"totp_steps":        "the last one-time-code step of each sign-in, kept only to refuse a code used twice: worthless a minute later",
}

// Tables returns the tables a backup holds, in foreign-key order (every
// table after the tables it references): the meta table (key id and the
// sealed audit head), every audited table, earlier record revisions, and
// the audit log.
func Tables() []Table {
	out := []Table{{Name: "meta", Key: []string{"key"}}}
	for _, k := range kinds {
		out = append(out, Table{Name: k.table, Key: k.cols[:1], Parent: selfRefs[k.table]})
		if k.table == "records" {
			out = append(out, Table{Name: "record_history", Key: []string{"id", "revision"}})
		}
	}
	return append(out, Table{Name: "audit_log", Key: []string{"seq"}})
}

// KeyID returns the id of the key the store is sealed with. It is not
// secret: it tells which key file opens the store.
func (s *Store) KeyID() string { return s.keys.ID() }

// DialectName names the store's database ("sqlite", "postgres").
func (s *Store) DialectName() string { return s.d.Name }

// Snapshot is a read-only view of the whole store at one moment.
type Snapshot struct {
	s  *Store
	tx *sql.Tx
}

// ReadSnapshot runs fn inside one read-only transaction that sees the
// store as it was when the transaction began, while writers go on. In
// SQLite (write-ahead log) a read transaction is such a snapshot from its
// first read, which ReadSnapshot makes at once; PostgreSQL gives one with
// REPEATABLE READ.
func (s *Store) ReadSnapshot(ctx context.Context, fn func(*Snapshot) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.d.Numbered { // PostgreSQL; SQLite's driver takes only the default level
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	sn := &Snapshot{s: s, tx: tx}
	if _, err := sn.SchemaVersion(ctx); err != nil { // pins the snapshot
		return err
	}
	return fn(sn)
}

// SchemaVersion returns the schema version the snapshot's data has.
func (sn *Snapshot) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, sn.tx)
}

// SchemaVersion returns the store's schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, s.db)
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

// Columns returns t's columns in the snapshot, in the schema's order.
func (sn *Snapshot) Columns(ctx context.Context, t Table) ([]string, error) {
	return columns(ctx, sn.tx, t.Name)
}

// Columns returns t's columns in the store, in the schema's order.
func (s *Store) Columns(ctx context.Context, t Table) ([]string, error) {
	return columns(ctx, s.db, t.Name)
}

func columns(ctx context.Context, q queryer, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	return rows.Columns()
}

// Count returns how many rows t has in the snapshot.
func (sn *Snapshot) Count(ctx context.Context, t Table) (int64, error) {
	var n int64
	if err := sn.tx.QueryRowContext(ctx, "SELECT count(*) FROM "+t.Name).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", t.Name, err)
	}
	return n, nil
}

// Rows calls fn with every row of t, in key order, its values in the
// order of cols: int64, string or nil ([]byte where the database holds a
// blob). fn must not keep the slice, which is reused.
func (sn *Snapshot) Rows(ctx context.Context, t Table, cols []string, fn func([]any) error) error {
	rows, err := sn.tx.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.Name+" ORDER BY "+strings.Join(t.Key, ", "))
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	return nil
}

// Loader puts a backup's rows into an empty store, table by table in the
// order of Tables, inside the one transaction of Restore.
type Loader struct {
	s    *Store
	tx   *sql.Tx
	t    Table
	cols []string
	// parent and key are the indexes in cols of t.Parent and t's key
	// (-1 when t has no parent column).
	parent, key int
	batch       int // rows per statement
	rows        int // rows buffered
	args        []any
	full        *sql.Stmt // the statement for a full batch of t
	links       []any     // buffered (id, parent) pairs of t
	linkTable   bool      // the links table exists
	counts      map[string]int64
}

// linksTable holds, during a restore, the self-references of the table
// being loaded, set once all its rows are in.
const linksTable = "peyvand_restore_links"

// Restore loads a backup into a store that must be empty: load runs in
// one write transaction, which commits only if load returns nil and the
// rows carry this store's key id, so a damaged backup leaves the store
// empty. The meta table (key id, audit head) becomes the backup's. Then
// the audit chain is verified: a backup encrypted to a public key can be
// forged by anyone who knows the key, but not its chain, which is keyed
// with the store's own key. If verification fails the store is emptied
// again and the error says why (EINTEGRITY).
func (s *Store) Restore(ctx context.Context, load func(*Loader) error) (peyvand.AuditReport, error) {
	if err := s.restore(ctx, load); err != nil {
		return peyvand.AuditReport{}, err
	}
	rep, err := s.VerifyAudit(ctx)
	if err == nil && rep.OK() {
		return rep, nil
	}
	if err == nil {
		err = peyvand.Errorf(peyvand.EINTEGRITY, "the restored data fails audit verification (%s): the backup was forged, or holds a store that was already tampered with",
			strings.Join(rep.Problems, "; "))
	}
	if uerr := s.unrestore(ctx); uerr != nil {
		return rep, fmt.Errorf("%w; and emptying the target again failed: %v (do not use it)", err, uerr)
	}
	return rep, fmt.Errorf("%w; the target was emptied again", err)
}

func (s *Store) restore(ctx context.Context, load func(*Loader) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin restore: %w", err)
	}
	defer tx.Rollback()
	// Writers serialise on the audit head; holding it keeps one from
	// slipping in between the check that the store is empty and the load.
	var head string
	err = tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'audit_head'"+s.d.LockHead).Scan(&head)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("lock audit head: %w", err)
	}
	for _, t := range append(Tables()[1:], Table{Name: "sessions"}) {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM "+t.Name+" LIMIT 1").Scan(&one)
		switch {
		case err == nil:
			return peyvand.Errorf(peyvand.ECONFLICT,
				"the target database is not empty (table %s has rows): restore into a new, empty database; a restore never merges into or replaces data", t.Name)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check that %s is empty: %w", t.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM meta"); err != nil {
		return fmt.Errorf("clear meta: %w", err)
	}
	l := &Loader{s: s, tx: tx, counts: map[string]int64{}}
	defer l.close()
	if err := load(l); err != nil {
		return err
	}
	if err := l.finish(ctx); err != nil {
		return err
	}
	l.close()
	if l.linkTable {
		if _, err := tx.ExecContext(ctx, "DROP TABLE "+linksTable); err != nil {
			return fmt.Errorf("drop %s: %w", linksTable, err)
		}
	}
	var id string
	if err := tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'key_id'").Scan(&id); err != nil {
		return fmt.Errorf("restore: the backup has no key id: %w", err)
	}
	if id != s.keys.ID() {
		return peyvand.Errorf(peyvand.EUNAUTHORIZED,
			"the backup comes from a store sealed with key id %s, the key file given has %s: restore with the key file of the store that was backed up", id, s.keys.ID())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit restore: %w", err)
	}
	return nil
}

// unrestore empties the store after a restore that failed verification,
// leaving it as Open leaves a new one.
func (s *Store) unrestore(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables := Tables()
	for i := len(tables) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+tables[i].Name); err != nil {
			return fmt.Errorf("empty %s: %w", tables[i].Name, err)
		}
	}
	head := fmt.Sprintf("0 %s %s", audit.Genesis, s.chain.Head(0, audit.Genesis))
	if _, err := tx.ExecContext(ctx, s.q("INSERT INTO meta (key, value) VALUES ('key_id', ?), ('audit_head', ?)"), s.keys.ID(), head); err != nil {
		return fmt.Errorf("reset meta: %w", err)
	}
	return tx.Commit()
}

// Table starts loading t, whose rows will come with values for cols;
// the rows of the table before are written first.
func (l *Loader) Table(ctx context.Context, t Table, cols []string) error {
	if err := l.finish(ctx); err != nil {
		return err
	}
	l.close()
	l.t, l.cols, l.parent, l.key = t, cols, -1, -1
	for i, c := range cols {
		if c == t.Parent {
			l.parent = i
		}
		if len(t.Key) == 1 && c == t.Key[0] {
			l.key = i
		}
	}
	if t.Parent != "" && (l.parent < 0 || l.key < 0) {
		return fmt.Errorf("restore %s: its columns lack %s or its key", t.Name, t.Parent)
	}
	l.batch = min(l.s.d.MaxParams/len(cols), 256)
	l.args = make([]any, 0, l.batch*len(cols))
	return nil
}

// Insert buffers one row of the current table; vals may be reused by the
// caller.
func (l *Loader) Insert(ctx context.Context, vals []any) error {
	if len(vals) != len(l.cols) {
		return fmt.Errorf("restore %s: a row has %d values for %d columns", l.t.Name, len(vals), len(l.cols))
	}
	start := len(l.args)
	l.args = append(l.args, vals...)
	if l.parent >= 0 && vals[l.parent] != nil {
		// The row it references may not be in yet: set it at the end.
		l.links = append(l.links, vals[l.key], vals[l.parent])
		l.args[start+l.parent] = nil
	}
	l.rows++
	l.counts[l.t.Name]++
	if l.rows == l.batch {
		return l.flush(ctx)
	}
	return nil
}

// Count returns how many rows of table were loaded.
func (l *Loader) Count(table string) int64 { return l.counts[table] }

func (l *Loader) flush(ctx context.Context) error {
	if l.rows == 0 {
		return nil
	}
	var err error
	if l.rows == l.batch {
		if l.full == nil {
			if l.full, err = l.tx.PrepareContext(ctx, l.s.q(insertSQL(l.t.Name, l.cols, l.rows))); err != nil {
				return fmt.Errorf("restore %s: prepare: %w", l.t.Name, err)
			}
		}
		_, err = l.full.ExecContext(ctx, l.args...)
	} else {
		_, err = l.tx.ExecContext(ctx, l.s.q(insertSQL(l.t.Name, l.cols, l.rows)), l.args...)
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", l.t.Name, err)
	}
	l.rows, l.args = 0, l.args[:0]
	return nil
}

// finish writes the current table's buffered rows, then its
// self-references.
func (l *Loader) finish(ctx context.Context) error {
	if l.t.Name == "" {
		return nil
	}
	if err := l.flush(ctx); err != nil {
		return err
	}
	if len(l.links) == 0 {
		return nil
	}
	if !l.linkTable {
		if _, err := l.tx.ExecContext(ctx, "CREATE TEMPORARY TABLE "+linksTable+" (id TEXT PRIMARY KEY, parent TEXT NOT NULL)"); err != nil {
			return fmt.Errorf("restore %s: %w", l.t.Name, err)
		}
		l.linkTable = true
	}
	for len(l.links) > 0 {
		n := min(len(l.links)/2, 256)
		if _, err := l.tx.ExecContext(ctx, l.s.q(insertSQL(linksTable, []string{"id", "parent"}, n)), l.links[:2*n]...); err != nil {
			return fmt.Errorf("restore %s: %w", l.t.Name, err)
		}
		l.links = l.links[2*n:]
	}
	t, id := l.t.Name, l.t.Key[0]
	if _, err := l.tx.ExecContext(ctx, "UPDATE "+t+" SET "+l.t.Parent+" = (SELECT k.parent FROM "+linksTable+" k WHERE k.id = "+t+"."+id+
		") WHERE "+id+" IN (SELECT id FROM "+linksTable+")"); err != nil {
		return fmt.Errorf("restore %s.%s: %w", t, l.t.Parent, err)
	}
	if _, err := l.tx.ExecContext(ctx, "DELETE FROM "+linksTable); err != nil {
		return fmt.Errorf("restore %s: %w", t, err)
	}
	l.links = nil
	return nil
}

func (l *Loader) close() {
	if l.full != nil {
		l.full.Close()
		l.full = nil
	}
}
