// Package sqlstore implements peyvand.Store over database/sql. The sqlite
// and postgres packages open their databases, bring their own migrations and
// a Dialect, and hand the rest to this package, so both stores run the same
// queries, seal the same fields and keep the same audit chain.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"peyvand"
	"peyvand/audit"
	"peyvand/seal"
)

// Dialect is what differs between the SQL databases.
type Dialect struct {
	Name string
	// Numbered placeholders ($1, $2…) instead of "?".
	Numbered bool
	// LockHead is appended to the query that reads the audit head at the
	// start of every write, to serialise writers ("FOR UPDATE"). SQLite
	// serialises writers by taking the write lock at BEGIN instead.
	LockHead string
	// MaxParams bounds the parameters of one statement.
	MaxParams int
	// IsUnique reports whether err is a unique-constraint violation.
	IsUnique func(error) bool
}

// Store is a peyvand.Store on a SQL database.
type Store struct {
	db    *sql.DB
	d     Dialect
	keys  *seal.Keys
	chain *audit.Chain
	now   func() time.Time
	close func() error
	stmts sync.Map // query text → *sql.Stmt, for the reads that run on every page
}

var _ peyvand.Store = (*Store)(nil)

// Open checks that db was migrated and belongs to keys, recording the key's
// id on first use, and returns a Store. closeFn runs on Close (it closes the
// database and whatever the opener started).
func Open(ctx context.Context, db *sql.DB, d Dialect, keys *seal.Keys, closeFn func() error) (*Store, error) {
	s := &Store{db: db, d: d, keys: keys, chain: audit.NewChain(keys.AuditKey()),
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }, close: closeFn}
	var id string
	err := db.QueryRowContext(ctx, s.q("SELECT value FROM meta WHERE key = 'key_id'")).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = db.ExecContext(ctx, s.q("INSERT INTO meta (key, value) VALUES ('key_id', ?)"), keys.ID())
		if err != nil {
			return nil, fmt.Errorf("record key id: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("read key id: %w", err)
	case id != keys.ID() && (keys.Rotating() == nil || keys.Rotating().ID() != id):
		// The key a rotation replaces is accepted too: the key file gets the
		// new key before the store does (rotate.go), and the rotation must
		// be able to open the store to go on.
		return nil, peyvand.Errorf(peyvand.EUNAUTHORIZED,
			"this database was sealed with another key (key id %s, the key file given has %s): use the key file it was created with", id, keys.ID())
	}
	// The chain's head row exists from the start, so that every writer,
	// the first included, serialises on it.
	head := fmt.Sprintf("0 %s %s", audit.Genesis, s.chain.Head(0, audit.Genesis))
	if _, err := db.ExecContext(ctx, s.q("INSERT INTO meta (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO NOTHING"), head); err != nil {
		return nil, fmt.Errorf("create audit head: %w", err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	if s.close != nil {
		return s.close()
	}
	return s.db.Close()
}

// prepared returns the prepared statement for a query (placeholders
// written "?"), prepared once and kept. SQLite otherwise parses and plans
// every statement on every call, which costs more than a family's lookup
// itself; database/sql re-prepares it on each connection as needed.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, s.q(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if old, loaded := s.stmts.LoadOrStore(query, st); loaded { // prepared meanwhile by another request
		st.Close()
		return old.(*sql.Stmt), nil
	}
	return st, nil
}

// queryRow runs a one-row read through a kept prepared statement.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) scanner {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// errRow carries a failed prepare to the caller's Scan.
type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

// q rewrites "?" placeholders for dialects that number them. Queries here
// never contain a literal "?".
func (s *Store) q(query string) string {
	if !s.d.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// Stats counts what the registry holds.
func (s *Store) Stats(ctx context.Context) (peyvand.Stats, error) {
	var st peyvand.Stats
	for _, c := range []struct {
		table string
		n     *int
	}{
		{"sources", &st.Sources}, {"records", &st.Records}, {"persons WHERE merged_into IS NULL", &st.Persons},
		{"status_events", &st.Events}, {"inquiries", &st.Inquiries},
	} {
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.n); err != nil {
			return st, fmt.Errorf("count %s: %w", c.table, err)
		}
	}
	return st, nil
}

func notFound(err error, what, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return peyvand.Errorf(peyvand.ENOTFOUND, "%s %q not found", what, id)
	}
	return err
}
