package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"peyvand"
)

// PostgresVar names the environment variable with the DSN of a PostgreSQL
// server for tests (CI sets it; e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
const PostgresVar = "PEYVAND_TEST_POSTGRES"

// PostgresSchema returns the DSN of a new, empty schema of the test server,
// dropped when the test ends. It skips the test, saying why, when
// PostgresVar is not set.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresVar)
	if dsn == "" {
		t.Skipf("%s is not set: skipping PostgreSQL (set it to e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", PostgresVar)
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "peyvand_test_" + strings.TrimPrefix(peyvand.NewID("s"), "s_")
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// RebindNumbered rewrites "?" placeholders as PostgreSQL's $1, $2…
func RebindNumbered(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
