package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"

	"peyvand/sqlite"
	"peyvand/sqlstore"
	"peyvand/storetest"
)

// TestTablesCoverSchema keeps backups whole as the schema grows: every
// table a migration creates is either backed up or left out on purpose,
// and every column that references its own table is known, since a
// restore must fill those in last.
func TestTablesCoverSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s, err := sqlite.Open(ctx, path, storetest.TestKeys(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	var schema []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		schema = append(schema, name)
	}
	rows.Close()
	backed := map[string]sqlstore.Table{}
	seen := map[string]bool{}
	for _, tb := range sqlstore.Tables() {
		backed[tb.Name] = tb
		// Foreign-key order: every table a table references comes first.
		refs, err := db.QueryContext(ctx, "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?)", tb.Name)
		if err != nil {
			t.Fatal(err)
		}
		for refs.Next() {
			var parent, col string
			if err := refs.Scan(&parent, &col); err != nil {
				t.Fatal(err)
			}
			switch {
			case parent == tb.Name && col != tb.Parent:
				t.Errorf("%s.%s references its own table but is not the table's Parent", tb.Name, col)
			case parent != tb.Name && !seen[parent]:
				t.Errorf("%s references %s, which comes later in Tables()", tb.Name, parent)
			}
		}
		refs.Close()
		seen[tb.Name] = true
	}
	for _, name := range schema {
		_, ok := backed[name]
		if why := sqlstore.NotBackedUp[name]; ok == (why != "") {
			t.Errorf("table %s: add it to sqlstore.Tables (or, with the reason, to NotBackedUp)", name)
		}
	}
	for name := range backed {
		if !slices.Contains(schema, name) {
			t.Errorf("Tables() names %s, which the schema does not have", name)
		}
	}
}
