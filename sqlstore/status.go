package sqlstore

import (
	"context"
	"database/sql"

	"peyvand"
)

// PersonStatus reads what a lookup needs in three indexed queries, without
// opening any sealed field: a family's lookup is the busiest request after
// a massacre is reported, and it shows none of them.
func (s *Store) PersonStatus(ctx context.Context, recordID string) (peyvand.PersonStatus, error) {
	var ps peyvand.PersonStatus
	if err := s.queryRow(ctx, "SELECT person_id FROM records WHERE id = ?", recordID).Scan(&ps.PersonID); err != nil {
		return ps, notFound(err, "record", recordID)
	}
	if err := s.queryRow(ctx, "SELECT count(*) FROM records WHERE person_id = ?", ps.PersonID).Scan(&ps.Records); err != nil {
		return ps, err
	}
	err := s.walk(ctx, `SELECT e.id, e.status, e.date, e.place, e.verification, e.supersedes, e.recorded_at
		FROM status_events e JOIN records r ON r.id = e.record_id WHERE r.person_id = ? ORDER BY e.recorded_at, e.id`,
		[]any{ps.PersonID}, func(r scanner) error {
			var e peyvand.StatusEvent
			var status, date, verification string
			var supersedes sql.NullString
			var recorded int64
			if err := r.Scan(&e.ID, &status, &date, &e.Place, &verification, &supersedes, &recorded); err != nil {
				return err
			}
			d, err := peyvand.ParseISODate(date)
			if err != nil {
				return err
			}
			e.Status, e.Date, e.Verification, e.Supersedes = peyvand.Status(status), d, peyvand.Verification(verification), supersedes.String
			e.RecordedAt = fromMicro(recorded)
			ps.Events = append(ps.Events, e)
			return nil
		})
	return ps, err
}
