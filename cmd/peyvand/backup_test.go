package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"peyvand/sqlstore"
)

// runIn runs one subcommand in process with env, as main would, and
// returns its exit code and output.
func runIn(env map[string]string, cmd func(*Main, context.Context, []string) error, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := m.exit(cmd(m, context.Background(), args))
	return code, out.String(), errb.String()
}

func storeEnv(dir string) map[string]string {
	return map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(dir, "p.key"), "USER": "tester"}
}

// tableRows reads every backed-up table of a SQLite file in key order.
func tableRows(t *testing.T, path string) string {
	t.Helper()
	db := openSQLite(t, path)
	defer db.Close()
	var sb strings.Builder
	for _, tb := range sqlstore.Tables() {
		rows, err := db.Query("SELECT * FROM " + tb.Name + " ORDER BY " + strings.Join(tb.Key, ", "))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			sb.WriteString(tb.Name)
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(&sb, "|%T:%v", v, v)
			}
			sb.WriteString("\n")
		}
		rows.Close()
	}
	return sb.String()
}

func TestBackupRestoreCLI(t *testing.T) {
	src := t.TempDir()
	env := storeEnv(src)
	if code, _, errs := runIn(env, (*Main).importCmd, "--quiet", "--source", "org-a", "../../ingest/testdata/persian.csv"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	idFile := filepath.Join(src, "identity.txt")
	os.WriteFile(idFile, []byte("# test identity\n"+id.String()+"\n"), 0o600)
	recipFile := filepath.Join(src, "recipients.txt")
	other, _ := age.GenerateX25519Identity()
	os.WriteFile(recipFile, []byte(other.Recipient().String()+"\n"), 0o600)
	passFile := filepath.Join(src, "pass.txt")
	os.WriteFile(passFile, []byte("a long enough passphrase\n"), 0o600)

	keyBackup := filepath.Join(src, "k.age")
	code, out, errs := runIn(env, (*Main).backupCmd, "--out", keyBackup, "--recipient", id.Recipient().String(), "--recipients-file", recipFile)
	if code != 0 || !strings.Contains(out, "encrypted to 2 age recipient(s)") || !strings.Contains(out, "p.key is NOT in the backup") {
		t.Fatalf("backup: code %d\n%s\n%s", code, out, errs)
	}
	if fi, err := os.Stat(keyBackup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", fi, err)
	}
	passBackup := filepath.Join(src, "p.age")
	if code, out, errs := runIn(env, (*Main).backupCmd, "--out", passBackup, "--passphrase-file", passFile); code != 0 || !strings.Contains(out, "a passphrase") {
		t.Fatalf("backup with a passphrase: code %d\n%s\n%s", code, out, errs)
	}
	want := tableRows(t, env["PEYVAND_DB"])

	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"identity", []string{"--identity", idFile, keyBackup}, nil},
		{"passphrase file", []string{"--passphrase-file", passFile, passBackup}, nil},
		{"passphrase env", []string{passBackup}, map[string]string{"PEYVAND_BACKUP_PASSPHRASE": "a long enough passphrase"}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			dst := t.TempDir()
			e := map[string]string{"PEYVAND_DB": filepath.Join(dst, "new.db"), "PEYVAND_KEY_FILE": env["PEYVAND_KEY_FILE"]}
			for k, v := range tc.env {
				e[k] = v
			}
			code, out, errs := runIn(e, (*Main).restoreCmd, tc.args...)
			if code != 0 || !strings.Contains(out, "audit chain OK") {
				t.Fatalf("restore: code %d\n%s\n%s", code, out, errs)
			}
			if got := tableRows(t, e["PEYVAND_DB"]); got != want {
				t.Fatalf("restored tables differ:\n%s\nwant\n%s", got, want)
			}
			// Restoring again over the restored data is refused.
			if code, _, errs := runIn(e, (*Main).restoreCmd, tc.args...); code != exitConflict || !strings.Contains(errs, "new, empty database") {
				t.Fatalf("restore over data: code %d %s", code, errs)
			}
		})
	}
}

func TestBackupRestoreCLIErrors(t *testing.T) {
	src := t.TempDir()
	env := storeEnv(src)
	if code, _, errs := runIn(env, (*Main).importCmd, "--quiet", "../../ingest/testdata/persian.csv"); code != 0 {
		t.Fatal(errs)
	}
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	otherFile := filepath.Join(src, "other.txt")
	os.WriteFile(otherFile, []byte(other.String()+"\n"), 0o600)
	file := filepath.Join(src, "b.age")
	if code, _, errs := runIn(env, (*Main).backupCmd, "--out", file, "--recipient", id.Recipient().String()); code != 0 {
		t.Fatal(errs)
	}
	short := filepath.Join(src, "short.txt")
	os.WriteFile(short, []byte("hunter2\n"), 0o600)
	dst := t.TempDir()
	newDB := map[string]string{"PEYVAND_DB": filepath.Join(dst, "new.db"), "PEYVAND_KEY_FILE": env["PEYVAND_KEY_FILE"]}
	noKey := map[string]string{"PEYVAND_DB": filepath.Join(dst, "new.db"), "PEYVAND_KEY_FILE": filepath.Join(dst, "missing.key")}
	for _, tc := range []struct {
		name string
		cmd  func(*Main, context.Context, []string) error
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"no out", (*Main).backupCmd, env, nil, exitUsage, "give --out"},
		{"unencrypted", (*Main).backupCmd, env, []string{"--out", filepath.Join(src, "x")}, exitUsage, "never written unencrypted"},
		{"bad recipient", (*Main).backupCmd, env, []string{"--out", filepath.Join(src, "x"), "--recipient", "bob"}, exitUsage, "not an age public key"},
		{"short passphrase", (*Main).backupCmd, env, []string{"--out", filepath.Join(src, "x"), "--passphrase-file", short}, exitUsage, "shorter than"},
		{"both", (*Main).backupCmd, env, []string{"--out", filepath.Join(src, "x"), "--recipient", id.Recipient().String(), "--passphrase-file", short}, exitUsage, "not both"},
		{"passphrase on argv", (*Main).backupCmd, env, []string{"--out", filepath.Join(src, "x"), "--passphrase", "secret"}, exitUsage, "not defined"},
		{"out exists", (*Main).backupCmd, env, []string{"--out", file, "--recipient", id.Recipient().String()}, exitConflict, "never overwrites"},
		{"no database", (*Main).backupCmd, map[string]string{"PEYVAND_DB": filepath.Join(dst, "none.db")}, []string{"--out", filepath.Join(src, "x"), "--recipient", id.Recipient().String()}, exitNotFound, "no database"},
		{"nothing to open it", (*Main).restoreCmd, newDB, []string{file}, exitUsage, "give --identity"},
		{"wrong identity", (*Main).restoreCmd, newDB, []string{"--identity", otherFile, file}, exitUnauthorized, "encrypted to other keys"},
		{"no key file", (*Main).restoreCmd, noKey, []string{"--identity", otherFile, file}, exitUnauthorized, "encrypted to other keys"},
		{"missing backup", (*Main).restoreCmd, newDB, []string{"--identity", otherFile, filepath.Join(src, "none.age")}, exitNotFound, "none.age"},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			code, out, errs := runIn(tc.env, tc.cmd, tc.args...)
			if code != tc.code || !strings.Contains(out+errs, tc.want) {
				t.Fatalf("code %d, want %d; output %q", code, tc.code, out+errs)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(src, "x")); err == nil {
		t.Error("a failed backup left a file")
	}
	if _, err := os.Stat(newDB["PEYVAND_DB"]); err == nil {
		t.Error("a failed restore created the target database")
	}
	// A restore with the right identity but without the key file says
	// what is missing, and creates nothing either.
	idFile := filepath.Join(src, "id.txt")
	os.WriteFile(idFile, []byte(id.String()+"\n"), 0o600)
	if code, _, errs := runIn(noKey, (*Main).restoreCmd, "--identity", idFile, file); code != exitUnauthorized || !strings.Contains(errs, "it is not in the backup") {
		t.Fatalf("restore without the key: code %d %s", code, errs)
	}
	// A truncated backup leaves no database behind.
	b, _ := os.ReadFile(file)
	cut := filepath.Join(src, "cut.age")
	os.WriteFile(cut, b[:len(b)-10], 0o600)
	if code, _, errs := runIn(newDB, (*Main).restoreCmd, "--identity", idFile, cut); code != exitIntegrity || !strings.Contains(errs, "nothing was restored") {
		t.Fatalf("truncated: code %d %s", code, errs)
	}
	if _, err := os.Stat(newDB["PEYVAND_DB"]); err == nil {
		t.Error("a failed restore left the target database")
	}
}
