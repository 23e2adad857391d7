package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// Migration is one step of a schema's history. Steps are applied in order,
// each in its own transaction, and never edited once released: a change is
// a new step.
type Migration struct {
	Version int
	SQL     string
}

// Migrate applies the migrations db has not seen yet and returns how many
// it applied. The caller serialises concurrent migrations where the database
// allows several clients (PostgreSQL takes an advisory lock).
func Migrate(ctx context.Context, db *sql.DB, numbered bool, ms []Migration) (int, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	var have int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&have); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if n := len(ms); n > 0 && have > ms[n-1].Version {
		return 0, fmt.Errorf("database schema version %d is newer than this program knows (%d): upgrade peyvand", have, ms[n-1].Version)
	}
	ins := "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"
	if numbered {
		ins = "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)"
	}
	applied := 0
	for _, m := range ms {
		if m.Version <= have {
			continue
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %d: %w", m.Version, err)
		}
		if _, err := tx.ExecContext(ctx, ins, m.Version, nowMicro()); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %d: %w", m.Version, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migration %d: %w", m.Version, err)
		}
		applied++
	}
	return applied, nil
}
