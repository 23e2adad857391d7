// Package postgres opens the registry in PostgreSQL (through pgx), the store
// for several Peyvand instances sharing one database.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"peyvand/seal"
	"peyvand/sqlstore"
)

// Dialect is PostgreSQL's dialect. Writers lock the audit head row, which
// serialises them across every instance that shares the database.
var Dialect = sqlstore.Dialect{
	Name:      "postgres",
	Numbered:  true,
	LockHead:  " FOR UPDATE",
	MaxParams: 65000,
	IsUnique: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
}

// migrationLock is the advisory lock that keeps two instances starting at
// once from migrating the same database together.
const migrationLock = 0x706579766e64 // "peyvnd"

// Open connects to the database at dsn (a postgres:// URL; a search_path
// parameter selects a schema) and migrates it.
func Open(ctx context.Context, dsn string, keys *seal.Keys) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	s, err := sqlstore.Open(ctx, db, Dialect, keys, db.Close)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to postgres: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("lock for migration: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLock)
	ms, err := sqlstore.Migrations(Dialect)
	if err != nil {
		return err
	}
	// Migrate runs on the pool; the lock above is held by this connection
	// for as long as it takes.
	if _, err := sqlstore.Migrate(ctx, db, true, ms); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
