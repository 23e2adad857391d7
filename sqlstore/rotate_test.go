package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"peyvand"
	"peyvand/audit"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/sqlite"
	"peyvand/sqlstore"
	"peyvand/storetest"
)

// database is one empty database: open opens a store on it with keys
// (closed when the test ends), raw tampers with it behind the store's back.
type database struct {
	open   func(*seal.Keys) (*sqlstore.Store, error)
	raw    *sql.DB
	rebind func(string) string
}

// backends are the databases every test here runs on.
var backends = []struct {
	name string
	new  func(t *testing.T) database
}{
	{"sqlite", newSQLite},
	{"postgres", newPostgres},
}

func newSQLite(t *testing.T) database {
	path := filepath.Join(t.TempDir(), "p.db")
	raw, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return database{raw: raw, rebind: func(q string) string { return q },
		open: func(k *seal.Keys) (*sqlstore.Store, error) {
			s, err := sqlite.Open(context.Background(), path, k)
			if err == nil {
				t.Cleanup(func() { s.Close() })
			}
			return s, err
		}}
}

func newPostgres(t *testing.T) database {
	ctx := context.Background()
	sdsn := storetest.PostgresSchema(t)
	raw, err := sql.Open("pgx", sdsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return database{raw: raw, rebind: storetest.RebindNumbered,
		open: func(k *seal.Keys) (*sqlstore.Store, error) {
			s, err := postgres.Open(ctx, sdsn, k)
			if err == nil {
				t.Cleanup(func() { s.Close() })
			}
			return s, err
		}}
}

func mustOpen(t *testing.T, db database, k *seal.Keys) *sqlstore.Store {
	t.Helper()
	s, err := db.open(k)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

const actor = "test:rotate"

var ctx = context.Background()

// fixture is what populate stored that tests look up again.
type fixture struct {
	code     string // a family's inquiry code
	inquiry  string
	noIDRows []peyvand.ImportRow // a list without ids, to import again
}

func listRows() []peyvand.ImportRow {
	return []peyvand.ImportRow{
		{Line: 2, Record: peyvand.Record{ExternalID: "A-1", FullName: "Test Person One", GivenName: "One",
			City: "Karaj", Contact: "+00 000 0001", Reporter: "witness W.", Notes: "seen at a checkpoint"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusDetained, Date: peyvand.Date{Year: 2026, Month: 1, Day: 10},
				Place: "Evin", Text: "told by a cellmate", Contact: "+00 000 0002"}}},
		{Line: 3, Record: peyvand.Record{ExternalID: "A-2", FullName: "Test Person Two", Age: 24,
			AgeDate: peyvand.Date{Year: 2026, Month: 1}},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusMissing}}},
	}
}

// noIDRows is a list without ids of its own: its records get content ids
// ("h:…") and its events content keys ("c:…"), both keyed digests.
func noIDRows() []peyvand.ImportRow {
	return []peyvand.ImportRow{
		{Line: 2, Record: peyvand.Record{FullName: "Test Person Three", Contact: "+00 000 0003"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusKilled, Text: "a neighbour's account"}}},
		{Line: 3, Record: peyvand.Record{FullName: "Test Person Four", Notes: "unsure of the date"},
			Events: []peyvand.StatusEvent{{Status: peyvand.StatusDetained, Reporter: "a relative"}}},
	}
}

func importRows(t *testing.T, s peyvand.Store, source string, rows []peyvand.ImportRow) peyvand.ImportSummary {
	t.Helper()
	tx, err := s.BeginImport(ctx, actor, peyvand.ImportMeta{File: source + ".csv", Format: "test"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := tx.Source(ctx, peyvand.Source{Name: source, Kind: peyvand.SourceList, Organisation: "org", Independent: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		row.Record.SourceID = src.ID
		if _, err := tx.Put(ctx, row); err != nil {
			tx.Rollback()
			t.Fatalf("import %s: %v", source, err)
		}
	}
	sum, err := tx.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// populate writes a row into every table that has sealed values or keyed
// digests, and one into every other audited table.
func populate(t *testing.T, s *sqlstore.Store) fixture {
	t.Helper()
	f := fixture{code: peyvand.NewInquiryCode(), noIDRows: noIDRows()}
	importRows(t, s, "list-a", listRows())
	newer := listRows()
	newer[0].Record.City = "Tehran" // a new revision: the old one goes to record_history
	importRows(t, s, "list-a", newer)
	importRows(t, s, "list-b", f.noIDRows)
	in, err := s.CreateInquiry(ctx, actor, peyvand.Inquiry{Relationship: "sister", Contact: "signal +00 000 0005"},
		peyvand.Record{FullName: "Test Person One"}, f.code)
	if err != nil {
		t.Fatal(err)
	}
	f.inquiry = in.ID
	c, err := s.OpenCase(ctx, actor, in.ID, peyvand.StatusKilled)
	if err != nil {
		t.Fatal(err)
	}
	c.State, c.Delivery = peyvand.CaseTold, "told in person at the family's home"
	if err := s.UpdateCase(ctx, actor, c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAccount(ctx, actor, peyvand.Account{Username: "verifier1", Role: peyvand.RoleVerifier,
		PasswordHash: "argon2id$test", TOTPSecret: "JBSWY3DPEHPK3PXP"}); err != nil {
		t.Fatal(err)
	}
	var recs []peyvand.Record
	s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { recs = append(recs, r); return nil })
	if err := s.Decide(ctx, actor, peyvand.PairDecision{RecordA: recs[0].ID, RecordB: recs[1].ID, Decision: peyvand.Different}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergePersons(ctx, actor, [][]string{{recs[0].ID, recs[len(recs)-1].ID}}); err != nil {
		t.Fatal(err)
	}
	merged, err := s.Record(ctx, recs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPublished(ctx, actor, merged.PersonID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, actor, peyvand.Attachment{RecordID: recs[0].ID, ContentType: "image/png", Data: []byte("\x89PNG fake")}); err != nil {
		t.Fatal(err)
	}
	return f
}

// content is everything the store holds as the application reads it,
// sealed values opened; content ids and content keys, which are keyed
// digests that a rotation recomputes, are masked.
func content(t *testing.T, s *sqlstore.Store, f fixture) string {
	t.Helper()
	var lines []string
	add := func(v any) { lines = append(lines, fmt.Sprintf("%+v", v)) }
	mask := func(id string) string {
		if strings.HasPrefix(id, "h:") || strings.HasPrefix(id, "c:") {
			return id[:2] + "*"
		}
		return id
	}
	err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		r.ExternalID = mask(r.ExternalID)
		r.AuditSeq = 0 // rotation rewrites every row under new entries
		add(r)
		return nil
	})
	if err == nil {
		err = s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
			e.ExternalID = mask(e.ExternalID)
			add(e)
			return nil
		})
	}
	if err != nil {
		t.Fatalf("read records and events: %v", err)
	}
	accounts, err := s.Accounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := s.Cases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.Inquiry(ctx, f.inquiry)
	if err != nil {
		t.Fatal(err)
	}
	byCode, err := s.InquiryByCode(ctx, f.code)
	if err != nil {
		t.Fatalf("inquiry by code: %v", err)
	}
	decisions, err := s.Decisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	published, err := s.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	add(accounts)
	add(cases)
	add(in)
	add(byCode)
	add(decisions)
	add(published)
	for _, r := range allRecords(t, s) {
		atts, err := s.Attachments(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		add(atts)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func allRecords(t *testing.T, s *sqlstore.Store) []peyvand.Record {
	t.Helper()
	var out []peyvand.Record
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustVerify(t *testing.T, s *sqlstore.Store, when string) peyvand.AuditReport {
	t.Helper()
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatalf("%s: verify: %v", when, err)
	}
	if !rep.OK() {
		t.Fatalf("%s: audit verify found problems: %v", when, rep.Problems)
	}
	return rep
}

func wantCode(t *testing.T, err error, code, when string) {
	t.Helper()
	if got := peyvand.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", when, got, err, code)
	}
}

var errStop = errors.New("stopped by the test, as by a crash")

// TestRotate rotates a store that holds a value in every sealed column,
// stops it after a few batches, checks the store in between (opens,
// verifies, reads, takes writes, refuses the old key), resumes it in a new
// process's store, finishes it, and checks that the old key opens nothing.
func TestRotate(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.new(t)
			old := storetest.TestKeys(t, 1)
			s0 := mustOpen(t, db, old)
			f := populate(t, s0)
			before := content(t, s0, f)
			entries := mustVerify(t, s0, "before").Entries

			ring, err := old.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			// The key file has the new key, the store not yet: it opens,
			// reads and verifies, and refuses writes until the rotation
			// begins.
			s1 := mustOpen(t, db, ring)
			mustVerify(t, s1, "key file rotated, store not yet")
			_, err = s1.EnsureSource(ctx, actor, peyvand.Source{Name: "too-early", Kind: peyvand.SourceList})
			wantCode(t, err, peyvand.ECONFLICT, "write before the rotation began")

			calls := 0
			p, err := s1.Rotate(ctx, actor, sqlstore.RotateOptions{Batch: 3, AfterBatch: func(sqlstore.RotateProgress) error {
				if calls++; calls == 4 {
					return errStop
				}
				return nil
			}})
			if !errors.Is(err, errStop) || !p.Started || p.Batches != 3 || p.Done {
				t.Fatalf("interrupted rotation = %+v, %v; want begun, 3 batches, stopped", p, err)
			}

			// Half rotated.
			mustVerify(t, s1, "half rotated")
			if got := content(t, s1, f); got != before {
				t.Fatalf("half rotated, the store reads differently:\n%s\nwant\n%s", got, before)
			}
			_, err = s0.EnsureSource(ctx, actor, peyvand.Source{Name: "stale", Kind: peyvand.SourceList})
			wantCode(t, err, peyvand.EINTEGRITY, "write by a process that holds only the old key")
			_, err = db.open(storetest.TestKeys(t, 1))
			wantCode(t, err, peyvand.EUNAUTHORIZED, "open with the old key alone")
			importRows(t, s1, "list-c", []peyvand.ImportRow{{Line: 2, Record: peyvand.Record{ExternalID: "C-1",
				FullName: "Test Person Five", Contact: "+00 000 0009"}}})
			wantCode(t, s1.FinishRotation(ctx, actor), peyvand.ECONFLICT, "finish while rows remain under the old key")
			after := content(t, s1, f)

			// Resumed by another process, to the end.
			s2 := mustOpen(t, db, ring)
			p, err = s2.Rotate(ctx, actor, sqlstore.RotateOptions{Batch: 3})
			if err != nil || p.Started || !p.Done || p.Batches == 0 {
				t.Fatalf("resumed rotation = %+v, %v", p, err)
			}
			mustVerify(t, s2, "rotated")
			if p, err = s2.Rotate(ctx, actor, sqlstore.RotateOptions{}); err != nil || p.Batches != 0 || !p.Done {
				t.Fatalf("rotation run again = %+v, %v; want nothing to do", p, err)
			}
			if err := s2.FinishRotation(ctx, actor); err != nil {
				t.Fatalf("finish: %v", err)
			}
			if err := s2.FinishRotation(ctx, actor); err != nil {
				t.Fatalf("finish again: %v", err)
			}
			final, err := ring.Finish()
			if err != nil {
				t.Fatal(err)
			}
			s3 := mustOpen(t, db, final)
			rep := mustVerify(t, s3, "finished")
			if rep.Entries <= entries {
				t.Fatalf("entries = %d, want more than the %d before the rotation", rep.Entries, entries)
			}
			if got := content(t, s3, f); got != after {
				t.Fatalf("after the rotation the store reads differently:\n%s\nwant\n%s", got, after)
			}
			// Content ids and keys were recomputed: the list without ids
			// imports again as unchanged, adding nothing.
			if sum := importRows(t, s3, "list-b", f.noIDRows); sum.Unchanged != len(f.noIDRows) || sum.Created != 0 || sum.Events != 0 {
				t.Fatalf("re-import after rotation = %+v, want all unchanged", sum)
			}
			if from, err := s3.KeyRotation(ctx); err != nil || from != "" {
				t.Fatalf("KeyRotation = %q, %v; want none in progress", from, err)
			}
			oldOpensNothing(t, db, old, final)
			oldCannotForge(t, db, s3, old)
		})
	}
}

// sealedColumns are the sealed columns of every table, with the table
// their associated data names.
var sealedColumns = []struct{ table, adTable, key, column string }{
	{"records", "records", "id", "contact"}, {"records", "records", "id", "reporter"}, {"records", "records", "id", "notes"},
	{"record_history", "records", "id", "contact"}, {"record_history", "records", "id", "reporter"}, {"record_history", "records", "id", "notes"},
	{"status_events", "status_events", "id", "text"}, {"status_events", "status_events", "id", "reporter"}, {"status_events", "status_events", "id", "contact"},
	{"inquiries", "inquiries", "id", "contact"}, {"accounts", "accounts", "id", "totp"},
	{"cases", "cases", "inquiry_id", "delivery"}, {"attachments", "attachments", "id", "data"},
}

// oldOpensNothing checks every sealed value in the database: each is
// sealed with the new key, opens with it, and does not open with the old.
func oldOpensNothing(t *testing.T, db database, old, current *seal.Keys) {
	t.Helper()
	for _, c := range sealedColumns {
		rows, err := db.raw.QueryContext(ctx, "SELECT "+c.key+", "+c.column+"_sealed FROM "+c.table)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			if v == "" {
				continue
			}
			n++
			ad := c.adTable + "." + c.column + ":" + id
			if kid, _ := seal.SealedID(v); kid != current.ID() {
				t.Errorf("%s.%s of %s is sealed with key %q, want %s", c.table, c.column, id, kid, current.ID())
			}
			if _, err := old.Open(v, ad); err == nil {
				t.Errorf("%s.%s of %s opens with the old key", c.table, c.column, id)
			}
			if _, err := current.Open(v, ad); err != nil {
				t.Errorf("%s.%s of %s does not open with the new key: %v", c.table, c.column, id, err)
			}
		}
		rows.Close()
		if n == 0 {
			t.Errorf("no sealed value in %s.%s: the test data does not cover it", c.table, c.column)
		}
	}
}

// oldCannotForge edits a row and gives it a MAC under the old key, as
// someone holding the old key file could: after the rotation the chain
// must no longer accept it.
func oldCannotForge(t *testing.T, db database, s *sqlstore.Store, old *seal.Keys) {
	t.Helper()
	var id string
	var created, seq int64
	if err := db.raw.QueryRowContext(ctx, "SELECT id, created_at, audit_seq FROM persons WHERE merged_into IS NULL ORDER BY id LIMIT 1").Scan(&id, &created, &seq); err != nil {
		t.Fatal(err)
	}
	forged := fmt.Sprint(created + 1)
	mac := audit.NewChain(old.AuditKey()).Content("person", []string{id, forged, "", fmt.Sprint(seq)})
	if _, err := db.raw.ExecContext(ctx, db.rebind("UPDATE persons SET created_at = ?, row_mac = ? WHERE id = ?"), created+1, mac, id); err != nil {
		t.Fatal(err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), "persons "+id) {
		t.Fatalf("a row forged with the old key after the rotation passes verification: %v", rep.Problems)
	}
}

// TestRotateRefusesTamperedRow: a row changed behind the application's
// back before the rotation must not come out of it with a valid MAC.
func TestRotateRefusesTamperedRow(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.new(t)
			old := storetest.TestKeys(t, 1)
			s0 := mustOpen(t, db, old)
			populate(t, s0)
			if _, err := db.raw.ExecContext(ctx, "UPDATE records SET city = 'Isfahan' WHERE external_id = 'A-2'"); err != nil {
				t.Fatal(err)
			}
			ring, err := old.Rotate()
			if err != nil {
				t.Fatal(err)
			}
			s1 := mustOpen(t, db, ring)
			_, err = s1.Rotate(ctx, actor, sqlstore.RotateOptions{Batch: 2})
			wantCode(t, err, peyvand.EINTEGRITY, "rotate a tampered store")
			rep, err := s1.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() {
				t.Fatal("after the refused rotation the tampered row verifies: the rotation laundered it")
			}
		})
	}
}

// TestRotateChainTamper: the chain stays checked across a rotation, the
// part before it with the retired key.
func TestRotateChainTamper(t *testing.T) {
	cases := []struct {
		name, sql, want string
	}{
		{"edit an entry before the rotation", "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2", "entry 2: its MAC does not match"},
		{"edit the rotation entry", "UPDATE audit_log SET detail = replace(detail, '\"from\"', '\"fro\"') WHERE action = 'key.rotate'", "key rotation"},
		{"delete the finish entry", "DELETE FROM audit_log WHERE action = 'key.finish'", "missing"},
	}
	for _, b := range backends {
		for _, c := range cases {
			t.Run(b.name+"/"+strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				db := b.new(t)
				old := storetest.TestKeys(t, 1)
				populate(t, mustOpen(t, db, old))
				ring, _ := old.Rotate()
				s := mustOpen(t, db, ring)
				if _, err := s.Rotate(ctx, actor, sqlstore.RotateOptions{}); err != nil {
					t.Fatal(err)
				}
				if err := s.FinishRotation(ctx, actor); err != nil {
					t.Fatal(err)
				}
				final, _ := ring.Finish()
				s = mustOpen(t, db, final)
				mustVerify(t, s, "rotated")
				if res, err := db.raw.ExecContext(ctx, c.sql); err != nil {
					t.Fatal(err)
				} else if n, _ := res.RowsAffected(); n == 0 {
					t.Fatalf("tamper %q changed nothing", c.sql)
				}
				rep, err := s.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if rep.OK() || !strings.Contains(rep.Problems[0], c.want) {
					t.Fatalf("problems %v, want the first to contain %q", rep.Problems, c.want)
				}
			})
		}
	}
}
