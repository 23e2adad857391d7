package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeField runs "peyvand serve --field" as a witness's laptop would:
// it refuses to listen beyond loopback, serves the report form and the
// send page, and not the registry's other pages.
func TestServeField(t *testing.T) {
	dir := t.TempDir()
	idDir, orgDir := filepath.Join(dir, "id"), filepath.Join(dir, "org")
	for _, c := range [][]string{{"keys", "generate", "--dir", idDir, "--name", "laptop"}, {"keys", "generate", "--dir", orgDir, "--name", "hrorg"}} {
		if code, _, errs := run(t, dir, c...); code != 0 {
			t.Fatalf("%v: %s", c, errs)
		}
	}
	_, orgLine, _ := run(t, dir, "keys", "show", "--dir", orgDir)
	line := ""
	for _, l := range strings.Split(orgLine, "\n") {
		if strings.HasPrefix(l, "peyvand-peer:") {
			line = l
		}
	}
	if line == "" {
		t.Fatalf("no public line in keys show:\n%s", orgLine)
	}
	peers := filepath.Join(dir, "peers.txt")
	if err := os.WriteFile(peers, []byte(line+" kinds=witness events=yes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, dir, "serve", "--field", "--identity", idDir, "--peers", peers, "--addr", "0.0.0.0:0"); code != exitUsage ||
		!strings.Contains(errs, "loopback") {
		t.Fatalf("field mode on every address: code %d, %s", code, errs)
	}
	if code, _, errs := run(t, dir, "serve", "--field", "--addr", "127.0.0.1:0"); code != exitUsage || !strings.Contains(errs, "--identity and --peers") {
		t.Fatalf("field mode without keys: code %d, %s", code, errs)
	}
	// Field mode needs a key file protected by a passphrase.
	key := filepath.Join(dir, "f.key")
	if code, _, errs := run(t, dir, "serve", "--field", "--identity", idDir, "--peers", peers, "--addr", "127.0.0.1:0", "--key", key); code != exitUsage ||
		!strings.Contains(errs, "keys protect") {
		t.Fatalf("field mode with an unprotected key: code %d, %s", code, errs)
	}
	const pass = "a long field passphrase"
	if code, out, errs := runStdin(t, dir, pass+"\n"+pass+"\n", "keys", "protect", "--key", key); code != 0 || !strings.Contains(out, "protected") {
		t.Fatalf("keys protect: %d %s %s", code, out, errs)
	}
	if raw, _ := os.ReadFile(key); !strings.HasPrefix(string(raw), "age-encryption.org/") {
		t.Fatal("the key file is not encrypted")
	}
	// The identity too: it signs the laptop's bundles and opens those sent to it.
	if code, _, errs := run(t, dir, "serve", "--field", "--identity", idDir, "--peers", peers, "--addr", "127.0.0.1:0", "--key", key); code != exitUsage ||
		!strings.Contains(errs, "--dir") {
		t.Fatalf("field mode with an unprotected identity: code %d, %s", code, errs)
	}
	if code, _, errs := runStdin(t, dir, pass+"\n"+pass+"\n"+pass+"\n", "keys", "unprotect", "--key", key); code != 0 {
		t.Fatalf("keys unprotect: %s", errs)
	}
	if code, out, errs := runStdin(t, dir, pass+"\n"+pass+"\n", "keys", "protect", "--key", key, "--dir", idDir); code != 0 || !strings.Contains(out, "identity") {
		t.Fatalf("keys protect --dir: %d %s %s", code, out, errs)
	}
	if raw, _ := os.ReadFile(filepath.Join(idDir, "identity.key")); !strings.HasPrefix(string(raw), "age-encryption.org/") {
		t.Fatal("the identity is not encrypted")
	}
	if code, _, _ := run(t, dir, "keys", "show", "--dir", idDir); code == 0 {
		t.Fatal("the protected identity opened without the passphrase")
	}
	base, _, _ := startServeEnv(t, map[string]string{"PEYVAND_KEY_PASSPHRASE": pass},
		"--field", "--identity", idDir, "--peers", peers, "--db", filepath.Join(dir, "f.db"), "--key", key)
	b := newBrowser(t)
	if code, page := b.get(base); code != 200 || !strings.Contains(page, "hrorg") {
		t.Fatalf("field home: %d\n%s", code, page)
	}
	if code, _ := b.get(base + "inquiry"); code != 404 {
		t.Errorf("inquiry form in field mode: %d", code)
	}
	if code, _ := b.post(base, "/report", url.Values{"full_name": {"Navid Testcase"}, "status": {"detained"}}); code != 200 {
		t.Fatalf("report: %d", code)
	}
	code, body := b.postFrom(base, "/", "/field/send", url.Values{"to": {"hrorg"}})
	if code != 200 || len(body) < 512 || strings.Contains(body, "Navid") || strings.Contains(body, "<html") {
		t.Fatalf("send: %d, %d bytes", code, len(body))
	}
	// Without the passphrase the registry does not open; with it, it does.
	if code, _, errs := run(t, dir, "export", "--db", filepath.Join(dir, "f.db"), "--key", key); code == 0 || !strings.Contains(errs, "passphrase") {
		t.Fatalf("opened without the passphrase: %d %s", code, errs)
	}
	if code, out, errs := runStdin(t, dir, pass+"\n", "export", "--db", filepath.Join(dir, "f.db"), "--key", key); code != 0 || !strings.Contains(out, "Navid Testcase") {
		t.Fatalf("export with the passphrase: %d %s", code, errs)
	}
}
