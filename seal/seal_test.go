package seal

import (
	"bytes"
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
