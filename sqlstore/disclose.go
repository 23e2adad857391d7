package sqlstore

import (
	"context"
	"strings"

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
		w.describe("disclose."+d.What, "", detail)
		return nil
	})
}
