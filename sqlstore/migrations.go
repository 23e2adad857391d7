package sqlstore

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// The schema is written once, in SQL that SQLite and PostgreSQL both read,
// with one exception: SQLite's INTEGER is 64 bits, PostgreSQL's is 32, so
// for PostgreSQL every INTEGER column becomes BIGINT.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the schema's migrations for a dialect, in order. Files
// are named NNN_what.sql; NNN is the version.
func Migrations(d Dialect) ([]Migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, name := range names { // fs.Glob returns names sorted
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its version number", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		text := string(b)
		if d.Numbered {
			text = strings.ReplaceAll(text, " INTEGER", " BIGINT")
		}
		ms = append(ms, Migration{Version: v, SQL: text})
	}
	return ms, nil
}
