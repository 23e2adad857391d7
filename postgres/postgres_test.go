package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"peyvand"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/storetest"
)

// DSNVar names the environment variable with the DSN of a PostgreSQL
// server for tests. Each test gets a schema of its own and drops it after.
const DSNVar = "PEYVAND_TEST_POSTGRES"

func open(t *testing.T, keys *seal.Keys) storetest.Target {
	dsn := os.Getenv(DSNVar)
	if dsn == "" {
		t.Skipf("%s is not set: skipping PostgreSQL tests (set it to e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", DSNVar)
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("peyvand_test_%s", strings.TrimPrefix(peyvand.NewID("s"), "s_"))
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	sdsn := u.String()
	s, err := postgres.Open(ctx, sdsn, keys)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", sdsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		raw.Close()
		admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	return storetest.Target{
		Store:  s,
		Raw:    raw,
		Reopen: func(k *seal.Keys) (peyvand.Store, error) { return postgres.Open(ctx, sdsn, k) },
		Rebind: rebind,
	}
}

func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}
