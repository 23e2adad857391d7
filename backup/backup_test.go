package backup_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"peyvand"
	"peyvand/backup"
	"peyvand/demo"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/sqlite"
	"peyvand/sqlstore"
	"peyvand/storetest"
)

var ctx = context.Background()

// target is a fresh, empty store and a raw handle on its database, for
// reading its tables behind the store's back.
type target struct {
	s   *sqlstore.Store
	raw *sql.DB
}

type opener func(t *testing.T, keys *seal.Keys) target

func openSQLite(t *testing.T, keys *seal.Keys) target {
	t.Helper()
	path := filepath.Join(t.TempDir(), "peyvand.db")
	s, err := sqlite.Open(ctx, path, keys)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", sqlite.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close(); s.Close() })
	return target{s, raw}
}

func openPostgres(t *testing.T, keys *seal.Keys) target {
	t.Helper()
	dsn := storetest.PostgresSchema(t)
	s, err := postgres.Open(ctx, dsn, keys)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		raw.Close()
	})
	return target{s, raw}
}

var openers = map[string]opener{"sqlite": openSQLite, "postgres": openPostgres}

// fill loads the demo data set and then what the demo does not write:
// persons merged across lists (so some reference a person whose id sorts
// after theirs), a corrected event and a staff account.
func fill(t *testing.T, s *sqlstore.Store) demo.Dataset {
	t.Helper()
	d := demo.Generate(demo.Options{Seed: 7, Persons: 120})
	if _, err := demo.Load(ctx, s, d); err != nil {
		t.Fatal(err)
	}
	recs := map[string]string{} // demo.Key → record id
	srcName := map[string]string{}
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range srcs {
		srcName[src.ID] = src.Name
	}
	var some peyvand.Record
	if err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		recs[demo.Key(srcName[r.SourceID], r.ExternalID)] = r.ID
		some = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	byPerson := map[int][]string{}
	for key, num := range d.Truth {
		byPerson[num] = append(byPerson[num], recs[key])
	}
	var groups [][]string
	for _, g := range byPerson {
		if len(g) > 1 {
			slices.Sort(g)
			groups = append(groups, g)
		}
	}
	if _, err := s.MergePersons(ctx, "test", groups); err != nil {
		t.Fatal(err)
	}
	first, err := s.AddEvent(ctx, "test", peyvand.StatusEvent{RecordID: some.ID, Status: peyvand.StatusDetained, Verification: peyvand.Reported})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEvent(ctx, "test", peyvand.StatusEvent{RecordID: some.ID, Status: peyvand.StatusReleased,
		Verification: peyvand.Reported, Supersedes: first.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAccount(ctx, "test", peyvand.Account{Username: "ana", Role: peyvand.RoleVerifier,
		PasswordHash: "$argon2id$test", TOTPSecret: "JBSWY3DPEHPK3PXP"}); err != nil {
		t.Fatal(err)
	}
	return d
}

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func write(t *testing.T, s *sqlstore.Store, r ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := backup.Write(ctx, s, &buf, r...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func restore(file []byte, s *sqlstore.Store, ids ...age.Identity) (peyvand.AuditReport, error) {
	b, err := backup.Open(bytes.NewReader(file), ids...)
	if err != nil {
		return peyvand.AuditReport{}, err
	}
	return b.Restore(ctx, s)
}

// dump reads every backed-up table with a plain query, ordered by primary
// key, each value as type and text: what both stores must agree on.
func dump(t *testing.T, db *sql.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tb := range sqlstore.Tables() {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+tb.Name+" ORDER BY "+strings.Join(tb.Key, ", "))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		out[tb.Name] = []string{} // an empty table is still a table
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&sb, "%s=%T:%v|", cols[i], v, v)
			}
			out[tb.Name] = append(out[tb.Name], sb.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

func compare(t *testing.T, want, got map[string][]string) {
	t.Helper()
	for table, w := range want {
		g := got[table]
		if len(w) != len(g) {
			t.Errorf("table %s: %d rows, restored %d", table, len(w), len(g))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				t.Errorf("table %s row %d:\n was      %s\n restored %s", table, i+1, w[i], g[i])
				break
			}
		}
	}
}

// TestRoundTrip backs up a store and restores it into a fresh one of each
// kind: every table must come back row for row.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct{ from, to string }{
		{"sqlite", "sqlite"},
		{"sqlite", "postgres"},
		{"postgres", "sqlite"},
		{"postgres", "postgres"},
	} {
		t.Run(tc.from+"_to_"+tc.to, func(t *testing.T) {
			keys := storetest.TestKeys(t, 3)
			src := openers[tc.from](t, keys)
			dst := openers[tc.to](t, keys)
			fill(t, src.s)
			id := newIdentity(t)
			file := write(t, src.s, id.Recipient())
			rep, err := restore(file, dst.s, id)
			if err != nil {
				t.Fatal(err)
			}
			want, got := dump(t, src.raw), dump(t, dst.raw)
			compare(t, want, got)
			var n int
			for _, rows := range want {
				n += len(rows)
			}
			if rep.Rows == 0 || len(want["persons"]) == 0 || len(want["accounts"]) != 1 {
				t.Fatalf("test data too thin: %d rows verified, tables %d rows", rep.Rows, n)
			}
			// The restored store works: it takes a new import.
			if _, err := demo.Load(ctx, dst.s, demo.Generate(demo.Options{Seed: 8, Persons: 30})); err != nil {
				t.Fatalf("import after restore: %v", err)
			}
			if rep, err := dst.s.VerifyAudit(ctx); err != nil || !rep.OK() {
				t.Fatalf("verify after a write on the restored store: %v %v", err, rep.Problems)
			}
		})
	}
}

// TestBackupWhileImporting backs up while another goroutine imports: the
// backup must be of one moment, which the restored store's audit chain
// (every row against the entry that wrote it) proves.
func TestBackupWhileImporting(t *testing.T) {
	for name, open := range openers {
		t.Run(name, func(t *testing.T) {
			keys := storetest.TestKeys(t, 4)
			src := open(t, keys)
			fill(t, src.s)
			before := count(t, src.s)
			stop := make(chan struct{})
			done := make(chan error)
			go func() {
				seed := int64(100)
				for {
					select {
					case <-stop:
						done <- nil
						return
					default:
					}
					d := demo.Generate(demo.Options{Seed: seed, Persons: 60})
					for i := range d.Sources { // new sources, so every import adds rows
						d.Sources[i].Source.Name = fmt.Sprintf("%s-%d", d.Sources[i].Source.Name, seed)
					}
					d.Inquiries = nil
					if _, err := demo.Load(ctx, src.s, d); err != nil {
						done <- err
						return
					}
					seed++
				}
			}()
			// Back up until the importer has committed in between, so
			// that some backup overlapped an import (bounded: imports of
			// 60 persons take milliseconds).
			id := newIdentity(t)
			var files [][]byte
			for len(files) < 3 || (count(t, src.s) == before && len(files) < 50) {
				files = append(files, write(t, src.s, id.Recipient()))
			}
			close(stop)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			after := count(t, src.s)
			for i, file := range files {
				dst := openSQLite(t, keys)
				if _, err := restore(file, dst.s, id); err != nil {
					t.Fatalf("backup %d: %v", i+1, err)
				}
				if n := count(t, dst.s); n < before || n > after {
					t.Errorf("backup %d: %d records, outside [%d, %d]", i+1, n, before, after)
				}
			}
			if after == before {
				t.Fatal("the importer did not commit during the backups")
			}
		})
	}
}

func count(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st.Records
}

// TestNothingInTheClear greps a backup for what a thief would look for.
func TestNothingInTheClear(t *testing.T) {
	keys := storetest.TestKeys(t, 5)
	src := openSQLite(t, keys)
	d := fill(t, src.s)
	file := write(t, src.s, newIdentity(t).Recipient())
	needles := []string{backup.Format, keys.ID(), "audit_head", "merged_into", demo.Fictitious}
	for _, sr := range d.Sources[:2] {
		for _, row := range sr.Rows[:5] {
			r := row.Record
			needles = append(needles, r.FullName, r.FamilyName, r.ExternalID, r.Notes, r.Contact, r.City)
		}
	}
	for _, in := range d.Inquiries {
		needles = append(needles, in.Code, in.Inquiry.Contact)
	}
	for _, n := range needles {
		if len(n) >= 4 && bytes.Contains(file, []byte(n)) {
			t.Errorf("the backup holds %q in the clear", n)
		}
	}
	if !bytes.HasPrefix(file, []byte("age-encryption.org/v1\n")) {
		t.Errorf("not an age file: %q", file[:min(40, len(file))])
	}
}

// TestRefused covers the restores that must fail, and what each leaves.
func TestRefused(t *testing.T) {
	keys := storetest.TestKeys(t, 6)
	src := openSQLite(t, keys)
	fill(t, src.s)
	id := newIdentity(t)
	good := write(t, src.s, id.Recipient())
	pass, err := age.NewScryptRecipient("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	withPass := write(t, src.s, pass)
	wrongPass, _ := age.NewScryptIdentity("incorrect horse")
	rightPass, _ := age.NewScryptIdentity("correct horse battery staple")

	// A backup of a store tampered with before the backup: the copy is
	// faithful, and the restore must notice and not keep it.
	tampered := openSQLite(t, keys)
	fill(t, tampered.s)
	if _, err := tampered.raw.ExecContext(ctx, "UPDATE records SET full_name = 'Forged' WHERE rowid = 3"); err != nil {
		t.Fatal(err)
	}
	forged := write(t, tampered.s, id.Recipient())

	// age encrypts in chunks of 64 KiB (plus a 16-byte tag) after its
	// header and a 16-byte nonce: cutting the file exactly after the
	// first chunk leaves a shorter file that age alone must refuse.
	hdr := bytes.Index(good, []byte("\n--- "))
	hdr += bytes.IndexByte(good[hdr+1:], '\n') + 2
	chunk := hdr + 16 + 64<<10 + 16
	if len(good) <= chunk {
		t.Fatalf("the backup (%d bytes) fits in one chunk: make the test data larger", len(good))
	}
	flip := func(at int) []byte {
		b := slices.Clone(good)
		b[at] ^= 0x01
		return b
	}
	for _, tc := range []struct {
		name string
		file []byte
		ids  []age.Identity
		keys *seal.Keys
		code string
	}{
		{"other identity", good, []age.Identity{newIdentity(t)}, keys, peyvand.EUNAUTHORIZED},
		{"wrong passphrase", withPass, []age.Identity{wrongPass}, keys, peyvand.EUNAUTHORIZED},
		{"passphrase for a key backup", good, []age.Identity{rightPass}, keys, peyvand.EUNAUTHORIZED},
		{"other seal key", good, []age.Identity{id}, storetest.TestKeys(t, 9), peyvand.EUNAUTHORIZED},
		{"byte flipped in the age header", flip(30), []age.Identity{id}, keys, ""},
		{"byte flipped in the first chunk", flip(200), []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"byte flipped in the middle", flip(len(good) / 2), []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"last byte flipped", flip(len(good) - 1), []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"truncated by one byte", good[:len(good)-1], []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"truncated after a chunk", good[:chunk], []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"truncated inside a chunk", good[:chunk+100], []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"cut in half", good[:len(good)/2], []age.Identity{id}, keys, peyvand.EINTEGRITY},
		{"empty file", nil, []age.Identity{id}, keys, peyvand.EINVALID},
		{"forged content", forged, []age.Identity{id}, keys, peyvand.EINTEGRITY},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			dst := openSQLite(t, tc.keys)
			_, err := restore(tc.file, dst.s, tc.ids...)
			if err == nil {
				t.Fatal("restored")
			}
			if tc.code != "" && peyvand.ErrorCode(err) != tc.code {
				t.Errorf("error code %q, want %q: %v", peyvand.ErrorCode(err), tc.code, err)
			}
			if strings.Contains(err.Error(), "correct horse") {
				t.Errorf("the error shows the passphrase: %v", err)
			}
			wantEmpty(t, dst)
		})
	}
	t.Run("passphrase", func(t *testing.T) {
		dst := openSQLite(t, keys)
		if _, err := restore(withPass, dst.s, rightPass); err != nil {
			t.Fatal(err)
		}
		compare(t, dump(t, src.raw), dump(t, dst.raw))
	})
	t.Run("target not empty", func(t *testing.T) {
		dst := openSQLite(t, keys)
		if _, err := demo.Load(ctx, dst.s, demo.Generate(demo.Options{Seed: 2, Persons: 10})); err != nil {
			t.Fatal(err)
		}
		was := dump(t, dst.raw)
		_, err := restore(good, dst.s, id)
		if peyvand.ErrorCode(err) != peyvand.ECONFLICT || !strings.Contains(err.Error(), "new, empty database") {
			t.Fatalf("got %v, want a conflict", err)
		}
		compare(t, was, dump(t, dst.raw))
	})
}

// wantEmpty checks that a failed restore left the target as new: no rows,
// its own key id, and an audit chain that verifies and takes writes.
func wantEmpty(t *testing.T, dst target) {
	t.Helper()
	for table, rows := range dump(t, dst.raw) {
		if table != "meta" && len(rows) > 0 {
			t.Errorf("after a failed restore, table %s has %d rows", table, len(rows))
		}
	}
	if rep, err := dst.s.VerifyAudit(ctx); err != nil || !rep.OK() || rep.Entries != 0 {
		t.Errorf("after a failed restore: verify %v %+v", err, rep)
	}
	if _, err := demo.Load(ctx, dst.s, demo.Generate(demo.Options{Seed: 3, Persons: 5})); err != nil {
		t.Errorf("after a failed restore the store takes no import: %v", err)
	}
}
