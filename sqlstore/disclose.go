package sqlstore

import (
	"context"
	"strings"
	"time"

	"peyvand"
)

// Disclose writes an audit entry, and nothing else, saying that data left
// the registry.
func (s *Store) Disclose(ctx context.Context, actor string, d peyvand.Disclosure) error {
	if d.What == "" || strings.ContainsAny(d.What, " \t\n") {
		return peyvand.Errorf(peyvand.EINVALID, "disclosure: what: %q is not one word", d.What)
	}
	detail := map[string]any{"to": d.To}
	for k, v := range d.Detail {
		detail[k] = v
	}
	return s.change(ctx, actor, func(w *writer) error {
		w.describe("disclose."+d.What, "to:"+d.To, detail)
		return nil
	})
}

// LastDisclosure returns when data last left for to, by the disclosure
// what ("bundle"); ENOTFOUND if never.
func (s *Store) LastDisclosure(ctx context.Context, what, to string) (time.Time, error) {
	var at int64
	err := s.queryRow(ctx, "SELECT at FROM audit_log WHERE action = ? AND entity = ? ORDER BY seq DESC LIMIT 1",
		"disclose."+what, "to:"+to).Scan(&at)
	if err != nil {
		return time.Time{}, notFound(err, "disclosure to", to)
	}
	return fromMicro(at), nil
}
