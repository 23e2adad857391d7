// Package sqlite opens the registry in an embedded SQLite database (pure Go,
// modernc.org/sqlite): one file, write-ahead logging, foreign keys on, a
// busy timeout so that concurrent writers wait instead of failing.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"peyvand/seal"
	"peyvand/sqlstore"
)

// Dialect is SQLite's dialect. Writers take the write lock at BEGIN
// (_txlock=immediate), which serialises them on the audit chain.
var Dialect = sqlstore.Dialect{
	Name:      "sqlite",
	MaxParams: 32000,
	IsUnique: func(err error) bool {
		var e *sqlite.Error
		return errors.As(err, &e) && (e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
}

// maxConns bounds the connections to one database file. Each may hold up
// to cache_size of page cache, so the bound is also one on memory.
const maxConns = 8

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// DSN returns the connection string for the database file at path.
func DSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-262144)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	// A URI filename: "?" and "#" in the path would start its query or
	// fragment (two stores could then share one file), so they are
	// escaped, and "%" with them.
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// Open opens (creating if needed) and migrates the database at path.
func Open(ctx context.Context, path string, keys *seal.Keys) (*sqlstore.Store, error) {
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Keep the connections open: database/sql keeps only two idle by
	// default, and a new SQLite connection costs its pragmas, the schema
	// and a cold page cache, which under a burst of lookups (after a
	// massacre is reported) costs more than the queries. WAL lets the
	// readers run side by side; writers queue on the write lock.
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ms, err := sqlstore.Migrations(Dialect)
	if err == nil {
		_, err = sqlstore.Migrate(ctx, db, false, ms)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	s, err := sqlstore.Open(ctx, db, Dialect, keys, db.Close)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}
