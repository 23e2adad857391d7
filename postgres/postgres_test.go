package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"peyvand"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/storetest"
)

func open(t *testing.T, keys *seal.Keys) storetest.Target {
	ctx := context.Background()
	sdsn := storetest.PostgresSchema(t)
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
	})
	return storetest.Target{
		Store:  s,
		Raw:    raw,
		Reopen: func(k *seal.Keys) (peyvand.Store, error) { return postgres.Open(ctx, sdsn, k) },
		Rebind: storetest.RebindNumbered,
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open)
}
