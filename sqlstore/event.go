package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"peyvand"
)

// AddEvent appends a status event to a record. An event that corrects
// another names it in Supersedes; the corrected event must concern the same
// person, and an event can be superseded only once, so corrections form a
// line, not a tree.
func (s *Store) AddEvent(ctx context.Context, actor string, e peyvand.StatusEvent) (peyvand.StatusEvent, error) {
	if e.Verification == "" {
		e.Verification = peyvand.Reported
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	err := s.change(ctx, actor, func(w *writer) error {
		var person string
		row, err := w.queryRow(ctx, "SELECT person_id FROM records WHERE id = ?", e.RecordID)
		if err != nil {
			return err
		}
		if err := row.Scan(&person); err != nil {
			return notFound(err, "record", e.RecordID)
		}
		if e.Supersedes != "" {
			if err := w.checkSupersedes(ctx, e.Supersedes, person); err != nil {
				return err
			}
		}
		if e.ExternalID == "" {
			e.ExternalID = peyvand.NewID("x")
		}
		e.ID, e.Actor, e.RecordedAt = w.ids.Next("evt"), actor, w.at
		w.describe("event.create", "event:"+e.ID, map[string]any{
			"record": e.RecordID, "status": e.Status, "verification": e.Verification, "supersedes": e.Supersedes})
		return w.write(ctx, "status_events", s.eventValues(e), insertRow, 0)
	})
	return e, err
}

func (w *writer) checkSupersedes(ctx context.Context, eventID, person string) error {
	row, err := w.queryRow(ctx, `SELECT r.person_id,
		(SELECT count(*) FROM status_events x WHERE x.supersedes = e.id)
		FROM status_events e JOIN records r ON r.id = e.record_id WHERE e.id = ?`, eventID)
	if err != nil {
		return err
	}
	var owner string
	var taken int
	if err := row.Scan(&owner, &taken); errors.Is(err, sql.ErrNoRows) {
		return peyvand.Errorf(peyvand.EINVALID, "supersedes: event %q not found", eventID)
	} else if err != nil {
		return err
	}
	if owner != person {
		return peyvand.Errorf(peyvand.EINVALID, "supersedes: event %q is about another person", eventID)
	}
	if taken > 0 {
		return peyvand.Errorf(peyvand.ECONFLICT, "supersedes: event %q was already corrected; correct the latest event instead", eventID)
	}
	return nil
}
