package identity

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"peyvand"
)

func TestGenerateLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "id")
	id, err := Generate(dir, "hrana-berlin")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	back, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Public().String() != id.Public().String() || back.Name() != "hrana-berlin" {
		t.Fatalf("loaded %s, want %s", back.Public(), id.Public())
	}
	pub, _ := os.ReadFile(filepath.Join(dir, PublicFile))
	p, err := ParsePublic(string(pub))
	if err != nil || !p.SameKeys(id.Public()) || p.Name != "hrana-berlin" {
		t.Fatalf("public file: %v %v", p, err)
	}
	if f := p.Fingerprint(); len(f) != 19 || strings.Count(f, "-") != 3 || f != id.Public().Fingerprint() {
		t.Fatalf("fingerprint %q", f)
	}
	if _, err := Generate(dir, "again"); peyvand.ErrorCode(err) != peyvand.ECONFLICT {
		t.Fatalf("second generate: %v", err)
	}
	os.Chmod(filepath.Join(dir, KeyFile), 0o640)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("group-readable key file loaded: %v", err)
	}
	if _, err := Load(t.TempDir()); peyvand.ErrorCode(err) != peyvand.ENOTFOUND {
		t.Fatalf("no identity: %v", err)
	}
}

func TestParsePublic(t *testing.T) {
	good := "peyvand-peer:v1:alice:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU:age1j5pxzv4k2kh2ct7yj5ahgsqvz0x8fwa9tk9sf5yneyq2cxxm9apqskrfa0"
	if _, err := ParsePublic(good); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"", "does not start"},
		{"peyvand-peer:v2:a:b:c", "version not supported"},
		{"peyvand-peer:v1:alice:xyz", "want peyvand-peer:v1:"},
		{"peyvand-peer:v1:al ice:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU:age1j5pxzv4k2kh2ct7yj5ahgsqvz0x8fwa9tk9sf5yneyq2cxxm9apqskrfa0", "only ASCII"},
		{"peyvand-peer:v1:alice:vHy8tWNj:age1j5pxzv4k2kh2ct7yj5ahgsqvz0x8fwa9tk9sf5yneyq2cxxm9apqskrfa0", "signing key"},
		{"peyvand-peer:v1:alice:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU:age1xyz", "not an age X25519 recipient"},
	} {
		if _, err := ParsePublic(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParsePublic(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestParsePeers(t *testing.T) {
	const a = "peyvand-peer:v1:alice:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU:age1j5pxzv4k2kh2ct7yj5ahgsqvz0x8fwa9tk9sf5yneyq2cxxm9apqskrfa0"
	const a2 = "peyvand-peer:v1:alice2:vHy8tWNjdfodgkNNRmck2SN39TuYBpXdSdJtDOEiBaU:age1j5pxzv4k2kh2ct7yj5ahgsqvz0x8fwa9tk9sf5yneyq2cxxm9apqskrfa0"
	ps, err := ParsePeers("peers.txt", strings.NewReader("# trusted\n\n"+a+" kinds=list,witness events=no\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := ps.ByName("alice")
	if !ok || !p.MayKind(peyvand.SourceWitness) || p.MayKind(peyvand.SourceInquiry) || p.Events || p.Line != 3 {
		t.Fatalf("peer %+v", p)
	}
	if q, ok := ps.BySigningKey(p.Signing); !ok || q.Name != "alice" {
		t.Fatal("by key")
	}
	// Without verification=… the peer is not trusted to verify.
	if p.Verification != peyvand.Reported || p.Cap(peyvand.Verified) != peyvand.Reported || p.Cap(peyvand.Corroborated) != peyvand.Reported {
		t.Fatalf("default verification trust: %+v", p)
	}
	ps, err = ParsePeers("peers.txt", strings.NewReader(a+" kinds=list events=yes verification=corroborated\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ = ps.ByName("alice")
	if p.Cap(peyvand.Verified) != peyvand.Corroborated || p.Cap(peyvand.Corroborated) != peyvand.Corroborated || p.Cap(peyvand.Reported) != peyvand.Reported {
		t.Fatalf("verification=corroborated: %+v", p)
	}
	for _, tc := range []struct{ in, want string }{
		{a + " events=yes", "peers.txt line 1: no kinds="},
		{a + " kinds=list", "no events="},
		{a + " kinds=rumour events=yes", "line 1: kinds: \"rumour\" is not"},
		{a + " kinds=list events=maybe", "events: \"maybe\""},
		{a + " kinds=list events=yes colour=red", "unknown setting"},
		{a + " kinds=list events=yes verification=trusted", `verification: "trusted" is not reported, corroborated or verified`},
		{a + " kinds=list events=yes verification=verified verification=reported", "at most once"},
		{"# x\n" + a + " kinds=list events=yes\n" + a + " kinds=news events=yes", "line 3: peer name \"alice\" is already on line 2"},
		{a + " kinds=list events=yes\n" + a2 + " kinds=news events=yes", "line 2: these keys are already on line 1"},
		{"nonsense", "line 1: public line"},
	} {
		if _, err := ParsePeers("peers.txt", strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestWipe(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.key"), filepath.Join(dir, "b.db")
	os.WriteFile(a, []byte("secret"), 0o400)
	os.WriteFile(b, make([]byte, 10000), 0o600)
	done, err := Wipe(a, b, filepath.Join(dir, "absent"))
	if err != nil || len(done) != 2 {
		t.Fatalf("wipe: %v %v", done, err)
	}
	for _, p := range []string{a, b} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", p, err)
		}
	}
	if _, err := Wipe(dir); err == nil {
		t.Fatal("wiped a directory")
	}
}

// TestProtect: a protected identity loads only with its passphrase, its
// key file holds no key in the clear, and unprotecting gives it back.
func TestProtect(t *testing.T) {
	dir := t.TempDir()
	id, err := Generate(dir, "field-laptop")
	if err != nil {
		t.Fatal(err)
	}
	if IsProtected(dir) {
		t.Fatal("a new identity is protected")
	}
	const pass = "a long field passphrase"
	if err := Protect(dir, "short"); err == nil {
		t.Fatal("a short passphrase was accepted")
	}
	if err := Protect(dir, pass); err != nil {
		t.Fatal(err)
	}
	if !IsProtected(dir) {
		t.Fatal("not protected after Protect")
	}
	raw, _ := os.ReadFile(filepath.Join(dir, KeyFile))
	if strings.Contains(string(raw), "AGE-SECRET-KEY") || strings.Contains(string(raw), "signing:") {
		t.Fatal("the protected key file holds the keys in the clear")
	}
	if _, err := Load(dir); !errors.Is(err, ErrProtected) {
		t.Fatalf("Load of a protected identity: %v", err)
	}
	if _, err := LoadProtected(dir, "the wrong passphrase"); err == nil {
		t.Fatal("opened with the wrong passphrase")
	}
	got, err := LoadProtected(dir, pass)
	if err != nil || !got.Public().SameKeys(id.Public()) {
		t.Fatalf("LoadProtected: %v", err)
	}
	if err := Unprotect(dir, pass); err != nil {
		t.Fatal(err)
	}
	if again, err := Load(dir); err != nil || !again.Public().SameKeys(id.Public()) {
		t.Fatalf("after Unprotect: %v", err)
	}
}
