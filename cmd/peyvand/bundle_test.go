package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"peyvand/identity"
)

// runSub runs one of the subcommands not yet wired into Run, the way Run
// would, with PEYVAND_DB and PEYVAND_KEY_FILE pointing into dir.
func runSub(t *testing.T, dir string, cmd func(*Main, context.Context, []string) error, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := map[string]string{"PEYVAND_DB": filepath.Join(dir, "p.db"), "PEYVAND_KEY_FILE": filepath.Join(dir, "p.key"), "USER": "tester"}
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := m.exit(cmd(m, context.Background(), args))
	return code, out.String(), errb.String()
}

var (
	keysCmd   = (*Main).keysCmd
	bundleCmd = (*Main).bundleCmd
	wipeCmd   = (*Main).wipeCmd
	keysQRCmd = (*Main).keysQR
)

// TestBundleTwoInstances: keys for A and B, a list imported into A,
// exported to B, imported twice, tampered with, split and joined.
func TestBundleTwoInstances(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ida, idb := filepath.Join(a, "id"), filepath.Join(b, "id")
	pub := map[string]string{}
	for dir, name := range map[string]string{ida: "org-a", idb: "org-b"} {
		code, out, errs := runSub(t, dir, keysCmd, "generate", "--dir", dir, "--name", name)
		if code != 0 || !strings.HasPrefix(out, "peyvand-peer:v1:"+name+":") || !strings.Contains(out, "fingerprint: ") {
			t.Fatalf("keys generate: %d %s %s", code, out, errs)
		}
		pub[name] = strings.SplitN(out, "\n", 2)[0]
		if code, out2, _ := runSub(t, dir, keysCmd, "show", "--dir", dir); code != 0 || out2 != out {
			t.Fatalf("keys show: %d %q, want %q", code, out2, out)
		}
	}
	os.WriteFile(filepath.Join(a, "peers.txt"), []byte(pub["org-b"]+" kinds=list events=yes\n"), 0o644)
	os.WriteFile(filepath.Join(b, "peers.txt"), []byte("# trusted\n"+pub["org-a"]+" kinds=list,witness events=yes\n"), 0o644)
	if code, _, errs := run(t, a, "import", "--source", "org-a", "../../ingest/testdata/persian.csv"); code != 0 {
		t.Fatal(errs)
	}
	bf := filepath.Join(t.TempDir(), "to-b.bundle")
	code, out, errs := runSub(t, a, bundleCmd, "export", "--identity", ida, "--peers", filepath.Join(a, "peers.txt"),
		"--to", "org-b", "--out", bf)
	if code != 0 || !strings.Contains(out, "1 sources, 3 records, 3 status events") {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	imp := func(file string) (int, string, string) {
		return runSub(t, b, bundleCmd, "import", "--identity", idb, "--peers", filepath.Join(b, "peers.txt"), file)
	}
	if code, out, errs := imp(bf); code != 0 || !strings.Contains(out, "3 created, 0 updated, 0 unchanged, 3 new status events into org-a/org-a") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	if code, out, errs := imp(bf); code != 0 || !strings.Contains(out, "nothing new") {
		t.Fatalf("import again: %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, b, "audit", "verify"); code != 0 || !strings.HasPrefix(out, "audit chain OK: 1 entries") {
		t.Fatalf("audit after two imports: %d %s", code, out)
	}

	data, _ := os.ReadFile(bf)
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 0x40
	tampered := filepath.Join(t.TempDir(), "tampered.bundle")
	os.WriteFile(tampered, bad, 0o600)
	if code, _, errs := imp(tampered); code != exitIntegrity || !strings.Contains(errs, "nothing imported") {
		t.Fatalf("tampered: %d %s", code, errs)
	}
	// A bundle for A is not B's to open.
	toA := filepath.Join(t.TempDir(), "to-a.bundle")
	if code, _, errs := runSub(t, a, bundleCmd, "export", "--identity", ida, "--peers", filepath.Join(a, "peers.txt"),
		"--to", pub["org-a"], "--out", toA); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := imp(toA); code != exitUnauthorized || !strings.Contains(errs, "not encrypted to this instance") {
		t.Fatalf("wrong recipient: %d %s", code, errs)
	}

	// Split, join out of order, import: nothing new.
	if code, out, errs := runSub(t, a, bundleCmd, "split", "--size", "1000", bf); code != 0 || !strings.Contains(out, "pieces") {
		t.Fatalf("split: %d %s %s", code, out, errs)
	}
	pieces, _ := filepath.Glob(bf + ".0*")
	if len(pieces) < 3 {
		t.Fatalf("pieces: %v", pieces)
	}
	joined := filepath.Join(t.TempDir(), "joined.bundle")
	rev := append([]string{"join", "--out", joined}, pieces[len(pieces)-1])
	rev = append(rev, pieces[:len(pieces)-1]...)
	if code, _, errs := runSub(t, a, bundleCmd, rev...); code != 0 {
		t.Fatalf("join: %s", errs)
	}
	if code, out, errs := imp(joined); code != 0 || !strings.Contains(out, "nothing new") {
		t.Fatalf("import joined: %d %s %s", code, out, errs)
	}
	missing := append([]string{"join", "--out", filepath.Join(t.TempDir(), "x")}, pieces[1:]...)
	if code, _, errs := runSub(t, a, bundleCmd, missing...); code != exitNotFound || !strings.Contains(errs, "missing: 1") {
		t.Fatalf("join with a piece missing: %d %s", code, errs)
	}
}

func TestBundleKeysWipeUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		cmd  func(*Main, context.Context, []string) error
		args []string
		code int
		want string
	}{
		{keysCmd, nil, exitUsage, "keys: the subcommand is generate"},
		{keysCmd, []string{"-h"}, exitOK, "Example:"},
		{keysCmd, []string{"generate", "--dir", dir}, exitUsage, "no --name"},
		{keysCmd, []string{"generate", "--dir", dir, "--name", "a b"}, exitInvalid, "only ASCII"},
		{keysCmd, []string{"show", "--dir", dir}, exitNotFound, "no identity"},
		{bundleCmd, nil, exitUsage, "export, import, split or join"},
		{bundleCmd, []string{"export", "-h"}, exitOK, "Example:"},
		{bundleCmd, []string{"export", "--out", "x"}, exitUsage, "give --to and --out"},
		{bundleCmd, []string{"import"}, exitUsage, "no file given"},
		{bundleCmd, []string{"split", "f"}, exitUsage, "--size"},
		{bundleCmd, []string{"join", "a"}, exitUsage, "--out"},
		{wipeCmd, []string{"-h"}, exitOK, "Example:"},
		{wipeCmd, []string{"--db", "postgres://x/y"}, exitInvalid, "PostgreSQL"},
	} {
		code, out, errs := runSub(t, dir, tc.cmd, tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("%v: code %d, want %d; output %q", tc.args, code, tc.code, out+errs)
		}
	}
}

func TestBundleWipe(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, dir, "import", "../../ingest/testdata/persian.csv"); code != 0 {
		t.Fatal(errs)
	}
	id := filepath.Join(dir, "id")
	if code, _, errs := runSub(t, dir, keysCmd, "generate", "--dir", id, "--name", "field"); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs := runSub(t, dir, wipeCmd, "--identity", id)
	if code != exitUsage || !strings.Contains(errs, "refusing without --yes") || !strings.Contains(errs, "p.db-wal") {
		t.Fatalf("wipe without --yes: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.db")); err != nil {
		t.Fatal("wipe without --yes removed the database")
	}
	code, out, errs := runSub(t, dir, wipeCmd, "--identity", id, "--yes")
	if code != 0 || !strings.Contains(out, "wiped "+filepath.Join(dir, "p.key")) || !strings.Contains(out, "identity.key") {
		t.Fatalf("wipe: %d %s %s", code, out, errs)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "p.*"))
	idLeft, _ := os.ReadDir(id)
	if len(left) != 0 || len(idLeft) != 0 {
		t.Fatalf("left after wipe: %v %v", left, idLeft)
	}
}

// TestKeysQR: keys qr writes the public line that keys show prints as a
// QR code in SVG, without inline styles.
func TestKeysQR(t *testing.T) {
	dir := t.TempDir()
	id := filepath.Join(dir, "id")
	code, out, errs := runSub(t, dir, keysCmd, "generate", "--dir", id, "--name", "org-a")
	if code != 0 {
		t.Fatal(errs)
	}
	pub, err := identity.ParsePublic(strings.SplitN(out, "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	svgFile := filepath.Join(dir, "id.svg")
	code, out, errs = runSub(t, dir, keysQRCmd, "--dir", id, "--out", svgFile)
	if code != 0 || !strings.Contains(out, "fingerprint: "+pub.Fingerprint()) {
		t.Fatalf("keys qr: %d %s %s", code, out, errs)
	}
	got, err := os.ReadFile(svgFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := pub.QRSVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || !bytes.HasPrefix(got, []byte("<svg ")) || bytes.Contains(got, []byte("style=")) {
		t.Fatalf("keys qr wrote %.200q, want the QR code of %s", got, pub)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".qr-*")); len(left) > 0 {
		t.Fatalf("left behind: %v", left)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, exitOK, "Example:"},
		{[]string{"--out", svgFile}, exitUsage, "no --dir"},
		{[]string{"--dir", id}, exitUsage, "no --out"},
		{[]string{"--dir", dir, "--out", svgFile}, exitNotFound, "no identity"},
		{[]string{"--dir", id, "--out", filepath.Join(dir, "absent", "x.svg")}, exitInternal, "does the directory of --out exist"},
	} {
		code, out, errs := runSub(t, dir, keysQRCmd, tc.args...)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("keys qr %v: code %d, want %d; output %q", tc.args, code, tc.code, out+errs)
		}
	}
}
