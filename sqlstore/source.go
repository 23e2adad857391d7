package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"peyvand"
)

// EnsureSource returns the source named s.Name, creating it if needed.
func (s *Store) EnsureSource(ctx context.Context, actor string, src peyvand.Source) (peyvand.Source, error) {
	var out peyvand.Source
	err := s.change(ctx, actor, func(w *writer) (err error) {
		out, err = w.ensureSource(ctx, src)
		return err
	})
	return out, err
}

func (w *writer) ensureSource(ctx context.Context, src peyvand.Source) (peyvand.Source, error) {
	if err := src.Validate(); err != nil {
		return src, err
	}
	row, err := w.queryRow(ctx, "SELECT "+sourceSelect+" FROM sources WHERE name = ?", src.Name)
	if err != nil {
		return src, err
	}
	got, err := scanSource(row)
	if err == nil {
		return got, nil
	} else if !errors.Is(err, sql.ErrNoRows) {
		return src, err
	}
	src.ID = w.ids.Next("src")
	src.CreatedAt = w.at
	if src.ReceivedAt.IsZero() {
		src.ReceivedAt = w.at
	}
	src.ReceivedAt = src.ReceivedAt.UTC().Truncate(1000)
	w.describe("source.create", "source:"+src.ID, map[string]any{"kind": src.Kind})
	if err := w.write(ctx, "sources", w.s.sourceValues(src), insertRow, 0); err != nil {
		return src, fmt.Errorf("create source %q: %w", src.Name, err)
	}
	return src, nil
}

// SourceByName finds a source by its name.
func (s *Store) SourceByName(ctx context.Context, name string) (peyvand.Source, error) {
	src, err := scanSource(s.queryRow(ctx, "SELECT "+sourceSelect+" FROM sources WHERE name = ?", name))
	return src, notFound(err, "source", name)
}

// Sources lists every source by name.
func (s *Store) Sources(ctx context.Context) ([]peyvand.Source, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+sourceSelect+" FROM sources ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []peyvand.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, rows.Err()
}

const sourceSelect = "id, name, kind, organisation, independent, received_at, created_at"

type scanner interface{ Scan(...any) error }

func scanSource(r scanner) (peyvand.Source, error) {
	var src peyvand.Source
	var kind string
	var indep, recv, created int64
	err := r.Scan(&src.ID, &src.Name, &kind, &src.Organisation, &indep, &recv, &created)
	src.Kind, src.Independent = peyvand.SourceKind(kind), indep != 0
	src.ReceivedAt, src.CreatedAt = fromMicro(recv), fromMicro(created)
	return src, err
}

// detail encodes an audit entry's detail. Callers pass ids, counts and
// kinds, never names or sealed data: the audit log is not sealed.
func detail(m map[string]any) string {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}
