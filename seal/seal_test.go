package seal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func keys(t *testing.T, b byte) *Keys {
	t.Helper()
	k, err := New(bytes.Repeat([]byte{b}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := keys(t, 1)
	for _, pt := range []string{"", "x", "+98 912 000 0000", "شاهد: لیلا", strings.Repeat("testimony ", 1000)} {
		c := k.Seal(pt, "records.contact:rec_1")
		if len(pt) > 4 && strings.Contains(c, pt) {
			t.Fatalf("sealed value contains the plaintext")
		}
		got, err := k.Open(c, "records.contact:rec_1")
		if err != nil || got != pt {
			t.Fatalf("Open(Seal(%q)) = %q, %v", pt, got, err)
		}
	}
	if a, b := k.Seal("same", "ad"), k.Seal("same", "ad"); a == b {
		t.Fatal("two seals of the same plaintext are equal: nonces are not random")
	}
}

func TestOpenRejects(t *testing.T) {
	k := keys(t, 1)
	c := k.Seal("secret", "records.contact:rec_1")
	raw := []byte(c)
	raw[len(raw)/2] ^= 1
	for name, tc := range map[string]struct {
		k     *Keys
		c, ad string
	}{
		"another row":    {k, c, "records.contact:rec_2"},
		"another column": {k, c, "records.notes:rec_1"},
		"another key":    {keys(t, 2), c, "records.contact:rec_1"},
		"flipped byte":   {k, string(raw), "records.contact:rec_1"},
		"truncated":      {k, c[:len(c)-4], "records.contact:rec_1"},
		"garbage":        {k, "not base64!", "records.contact:rec_1"},
	} {
		if _, err := tc.k.Open(tc.c, tc.ad); err != ErrOpen {
			t.Errorf("%s: Open error = %v, want ErrOpen", name, err)
		}
	}
}

func TestDerivedKeysDiffer(t *testing.T) {
	k1, k2 := keys(t, 1), keys(t, 2)
	if k1.ID() == k2.ID() || k1.Lookup("code") == k2.Lookup("code") || bytes.Equal(k1.AuditKey(), k2.AuditKey()) {
		t.Fatal("different master keys give the same derived values")
	}
	if k1.Lookup("a") == k1.Lookup("b") || k1.Lookup("a") != keys(t, 1).Lookup("a") {
		t.Fatal("Lookup is not a deterministic function of its input")
	}
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("New accepted a short key")
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "peyvand.key")
	k1, created, err := LoadOrCreate(path)
	if err != nil || !created {
		t.Fatalf("LoadOrCreate on a new path = %v, created %v", err, created)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	k2, created, err := LoadOrCreate(path)
	if err != nil || created || k1.ID() != k2.ID() {
		t.Fatalf("second LoadOrCreate = %v, created %v, same key %v", err, created, k1.ID() == k2.ID())
	}
	os.Chmod(path, 0o644)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("Load of a world-readable key = %v, want a refusal that says what to do", err)
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("short\n"), 0o600)
	if _, err := Load(path); err == nil {
		t.Fatal("Load accepted a malformed key file")
	}
}

// TestRing follows a ring through a rotation: values sealed with either
// key open while it runs; new values are sealed with the new key; after
// Finish the old key's values no longer open, its inquiry-code digests
// are still found, and its audit key is still there for the old chain.
func TestRing(t *testing.T) {
	old := keys(t, 1)
	oldValue := old.Seal("contact", "inquiries.contact:inq_1")
	ring, err := old.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	if ring.ID() == old.ID() || ring.Rotating() == nil || ring.Rotating().ID() != old.ID() {
		t.Fatalf("Rotate: current %s, rotating %v; want a new key replacing %s", ring.ID(), ring.Rotating(), old.ID())
	}
	if _, err := ring.Rotate(); err == nil {
		t.Fatal("a second rotation began while one is in progress")
	}
	newValue := ring.Seal("contact", "inquiries.contact:inq_2")
	for _, c := range []struct {
		name   string
		k      *Keys
		sealed string
		ad     string
		opens  bool
	}{
		{"ring opens the old key's value", ring, oldValue, "inquiries.contact:inq_1", true},
		{"ring opens the new key's value", ring, newValue, "inquiries.contact:inq_2", true},
		{"old key does not open the new value", old, newValue, "inquiries.contact:inq_2", false},
		{"ring keeps the associated data", ring, oldValue, "inquiries.contact:inq_2", false},
	} {
		got, err := c.k.Open(c.sealed, c.ad)
		if (err == nil) != c.opens || (c.opens && got != "contact") {
			t.Errorf("%s: Open = %q, %v", c.name, got, err)
		}
	}
	if id, ok := SealedID(newValue); !ok || id != ring.ID() {
		t.Errorf("SealedID(new value) = %q, %v; want %s", id, ok, ring.ID())
	}
	if id, ok := SealedID(oldValue); !ok || id != old.ID() {
		t.Errorf("SealedID(old value) = %q, %v; want %s", id, ok, old.ID())
	}
	if _, ok := SealedID(""); ok {
		t.Error("SealedID of the empty value reports a key")
	}

	done, err := ring.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if done.Rotating() != nil || len(done.Retired()) != 1 || done.Retired()[0].CanSeal() {
		t.Fatal("after Finish the old key can still seal, or is gone")
	}
	if _, err := done.Open(oldValue, "inquiries.contact:inq_1"); err != ErrOpen {
		t.Errorf("after Finish the old value opens: %v", err)
	}
	if got := done.Lookups("code"); len(got) != 2 || got[0] != ring.Lookup("code") || got[1] != old.Lookup("code") {
		t.Errorf("Lookups after Finish = %v; want the new key's digest, then the old key's", got)
	}
	if g := done.Generation(old.ID()); g == nil || !bytes.Equal(g.AuditKey(), old.AuditKey()) {
		t.Error("after Finish the old audit key is gone: the chain before the rotation cannot be checked")
	}
	if _, err := done.Finish(); err == nil {
		t.Error("Finish with no rotation in progress succeeded")
	}
}

// TestKeyFileVersions: a version 1 file loads as before; a ring saved in
// version 2 loads back the same at every stage of a rotation, with the
// file's mode kept owner-only.
func TestKeyFileVersions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "peyvand.key")
	v1 := keys(t, 7)
	os.WriteFile(path, []byte(strings.Repeat("07", KeySize)+"\n"), 0o600)
	k, err := Load(path)
	if err != nil || k.ID() != v1.ID() || k.Rotating() != nil {
		t.Fatalf("version 1 file: %v, id %s; want %s", err, k.ID(), v1.ID())
	}
	ring, _ := k.Rotate()
	done, _ := ring.Finish()
	again, _ := done.Rotate()
	for name, want := range map[string]*Keys{"rotating": ring, "finished": done, "rotating again": again} {
		if err := Save(path, want); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: saved with mode %v", name, fi.Mode().Perm())
		}
		got, err := Load(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.Marshal(), want.Marshal()) || got.ID() != want.ID() {
			t.Fatalf("%s: the loaded ring differs from the saved one", name)
		}
		if got.Lookups("x")[len(got.Lookups("x"))-1] != v1.Lookup("x") {
			t.Fatalf("%s: the first key's lookup key is lost", name)
		}
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".peyvand-key-*")); len(matches) > 0 {
		t.Fatalf("Save left temporary files: %v", matches)
	}
}

func TestKeyFileMalformed(t *testing.T) {
	key := strings.Repeat("ab", KeySize)
	for name, text := range map[string]string{
		"no magic":            "current " + key + "\n",
		"no current":          fileMagic + "\nrotating-from " + key + "\n",
		"two current":         fileMagic + "\ncurrent " + key + "\ncurrent " + key + "\n",
		"short key":           fileMagic + "\ncurrent abcd\n",
		"rotating after old":  fileMagic + "\ncurrent " + key + "\nretired 01020304 " + key + " " + key + "\nrotating-from " + key + "\n",
		"retired without id":  fileMagic + "\ncurrent " + key + "\nretired " + key + " " + key + "\n",
		"unknown line":        fileMagic + "\ncurrent " + key + "\nspare " + key + "\n",
		"version 1 with junk": key + "zz\n",
	} {
		if _, err := parse([]byte(text)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// TestProtect: a protected key file opens only with its passphrase, holds
// nothing readable, and unprotects back to the same keys.
func TestProtect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.key")
	k, _, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	sealed := k.Seal("witness name", "ad")
	if err := Protect(path, "short"); err == nil {
		t.Fatal("a short passphrase was accepted")
	}
	const pass = "a long field passphrase"
	if err := Protect(path, pass); err != nil {
		t.Fatal(err)
	}
	if on, err := IsProtected(path); err != nil || !on {
		t.Fatalf("IsProtected = %v, %v", on, err)
	}
	if _, err := Load(path); !errors.Is(err, ErrProtected) {
		t.Fatalf("Load of a protected file: %v", err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), "current") || strings.Contains(string(raw), hexOf(k)) {
		t.Fatal("the protected file holds the key in the clear")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode().Perm())
	}
	if _, err := LoadProtected(path, "the wrong passphrase"); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	got, err := LoadProtected(path, pass)
	if err != nil {
		t.Fatal(err)
	}
	if pt, err := got.Open(sealed, "ad"); err != nil || pt != "witness name" || got.ID() != k.ID() {
		t.Fatalf("protected keys open %q, %v", pt, err)
	}
	if err := Unprotect(path, pass); err != nil {
		t.Fatal(err)
	}
	if again, err := Load(path); err != nil || again.ID() != k.ID() {
		t.Fatalf("after unprotect: %v", err)
	}
}

func hexOf(k *Keys) string { return hex.EncodeToString(k.gen.master) }
