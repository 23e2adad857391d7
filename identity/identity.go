// Package identity holds an instance's keys for exchanging bundles with
// other instances: an Ed25519 key that signs what the instance sends and an
// age X25519 identity that opens what is sent to it, the public form of both
// that peers exchange, and the file of peers an instance trusts.
package identity

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"

	"peyvand"
	"peyvand/seal"
)

// The files of an identity directory. KeyFile holds the secret keys and
// must be readable by its owner only; PublicFile holds the public line, to
// give to peers.
const (
	KeyFile    = "identity.key"
	PublicFile = "identity.pub"
)

// keyFileHeader starts every key file, so a reader knows what it holds and
// which version wrote it.
const keyFileHeader = "# peyvand identity v1: secret keys. Never share this file; keep it readable by its owner only."

// Identity is an instance's secret keys and its name.
type Identity struct {
	name    string
	signing ed25519.PrivateKey
	age     *age.X25519Identity
}

// New makes an identity from its parts: the 32-byte Ed25519 seed and an
// age secret key ("AGE-SECRET-KEY-1…"). Tests use it for fixed keys.
func New(name string, seed []byte, ageSecret string) (*Identity, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, peyvand.Errorf(peyvand.EINVALID, "signing key seed has %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	a, err := age.ParseX25519Identity(ageSecret)
	if err != nil {
		return nil, peyvand.Errorf(peyvand.EINVALID, "age key: not an age X25519 secret key")
	}
	return &Identity{name: name, signing: ed25519.NewKeyFromSeed(seed), age: a}, nil
}

// Name is the name the instance gave itself.
func (id *Identity) Name() string { return id.name }

// Public returns what peers need to know of the identity.
func (id *Identity) Public() Public {
	return Public{Name: id.name, Signing: id.signing.Public().(ed25519.PublicKey), Recipient: id.age.Recipient().String()}
}

// Sign signs msg with the identity's Ed25519 key.
func (id *Identity) Sign(msg []byte) []byte { return ed25519.Sign(id.signing, msg) }

// AgeIdentity is the identity that opens files encrypted to this instance.
func (id *Identity) AgeIdentity() age.Identity { return id.age }

// Generate makes a new identity named name in dir (created with mode 0700
// if needed): the secret keys in dir/identity.key (mode 0600) and the
// public line in dir/identity.pub. It never overwrites an identity.
func Generate(dir, name string) (*Identity, error) {
	if err := ValidName(name); err != nil {
		return nil, err
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	a, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	id := &Identity{name: name, signing: ed25519.NewKeyFromSeed(seed), age: a}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create identity directory: %w", err)
	}
	path := filepath.Join(dir, KeyFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, peyvand.Errorf(peyvand.ECONFLICT, "%s already holds an identity: it is never overwritten (wipe it first, or choose another --dir)", path)
	} else if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	_, werr := io.WriteString(f, id.marshal())
	if err := f.Sync(); werr == nil {
		werr = err
	}
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.WriteFile(filepath.Join(dir, PublicFile), []byte(id.Public().String()+"\n"), 0o644)
	}
	if werr != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write identity in %s: %w", dir, werr)
	}
	return id, nil
}

func (id *Identity) marshal() string {
	return fmt.Sprintf("%s\nname: %s\nsigning: %s\nage: %s\n", keyFileHeader, id.name,
		base64.RawURLEncoding.EncodeToString(id.signing.Seed()), id.age.String())
}

// Load reads the identity in dir. Like the seal key, the key file must
// not be readable by group or others: anyone who reads it can sign as
// this instance and read every bundle sent to it.
func Load(dir string) (*Identity, error) {
	path := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, peyvand.Errorf(peyvand.ENOTFOUND, "no identity in %s (make one with: peyvand keys generate --dir %s --name NAME)", dir, dir)
	} else if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, peyvand.Errorf(peyvand.EUNAUTHORIZED, "identity key file %s has mode %v: it must be readable by its owner only (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if seal.IsProtectedContent(b) {
		return nil, fmt.Errorf("%s: %w", path, ErrProtected)
	}
	id, err := Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return id, nil
}

// ErrProtected is returned by Load for an identity whose key file is
// protected by a passphrase: load it with LoadProtected.
var ErrProtected = errors.New("the identity's key file is protected by a passphrase")

// IsProtected reports whether the identity in dir is protected by a
// passphrase.
func IsProtected(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, KeyFile))
	return err == nil && seal.IsProtectedContent(b)
}

// LoadProtected reads the identity in dir whose key file is protected by
// passphrase.
func LoadProtected(dir, passphrase string) (*Identity, error) {
	path := filepath.Join(dir, KeyFile)
	if _, err := Load(dir); !errors.Is(err, ErrProtected) {
		if err == nil {
			return nil, fmt.Errorf("%s is not protected by a passphrase", path)
		}
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text, err := seal.OpenProtected(b, passphrase)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	id, err := Parse(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return id, nil
}

// Protect encrypts the identity's key file in dir with passphrase, as
// seal.Protect does the registry's key file: a field laptop seized while
// off must not give up the keys that sign reports in its name and open
// bundles sent to it.
func Protect(dir, passphrase string) error {
	id, err := Load(dir)
	if err != nil {
		return err
	}
	b, err := seal.ProtectBytes([]byte(id.marshal()), passphrase)
	if err != nil {
		return err
	}
	return seal.WriteAtomic(filepath.Join(dir, KeyFile), b)
}

// Unprotect writes the identity's key file back in the clear.
func Unprotect(dir, passphrase string) error {
	id, err := LoadProtected(dir, passphrase)
	if err != nil {
		return err
	}
	return seal.WriteAtomic(filepath.Join(dir, KeyFile), []byte(id.marshal()))
}

// Parse reads a key file's contents (without checking its mode).
func Parse(r io.Reader) (*Identity, error) {
	fields := map[string]string{}
	sc := bufio.NewScanner(io.LimitReader(r, 1<<16))
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, ":")
		if !ok {
			return nil, peyvand.Errorf(peyvand.EINVALID, "line %d: want \"key: value\"", line)
		}
		fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, k := range []string{"name", "signing", "age"} {
		if fields[k] == "" {
			return nil, peyvand.Errorf(peyvand.EINVALID, "no %q line: not a peyvand identity key file", k)
		}
	}
	seed, err := base64.RawURLEncoding.DecodeString(fields["signing"])
	if err != nil {
		return nil, peyvand.Errorf(peyvand.EINVALID, "signing: not base64url")
	}
	return New(fields["name"], seed, fields["age"])
}

// ValidName reports whether name can name an instance: 1 to 64 ASCII
// letters, digits, '.', '_' or '-'. Names become source name prefixes and
// parts of the public line, so they hold nothing that needs escaping.
func ValidName(name string) error {
	if name == "" || len(name) > 64 {
		return peyvand.Errorf(peyvand.EINVALID, "instance name %q: want 1 to 64 characters", name)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return peyvand.Errorf(peyvand.EINVALID, "instance name %q: use only ASCII letters, digits, '.', '_' and '-'", name)
		}
	}
	return nil
}

// Public is what an instance shares with its peers: its name and public keys.
type Public struct {
	Name      string
	Signing   ed25519.PublicKey
	Recipient string // age X25519 recipient, "age1…"
}

// publicPrefix starts the public line; the version is in it so that a key
// type can change without guessing.
const publicPrefix = "peyvand-peer:v1:"

// String is the public line, small enough to send in a message or read
// out: peyvand-peer:v1:<name>:<Ed25519 public key, base64url>:<age1…>.
func (p Public) String() string {
	return publicPrefix + p.Name + ":" + base64.RawURLEncoding.EncodeToString(p.Signing) + ":" + p.Recipient
}

// ParsePublic reads a public line.
func ParsePublic(s string) (Public, error) {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, publicPrefix)
	if !ok {
		if strings.HasPrefix(s, "peyvand-peer:") {
			return Public{}, peyvand.Errorf(peyvand.EINVALID, "public line: version not supported (want %s…)", publicPrefix)
		}
		return Public{}, peyvand.Errorf(peyvand.EINVALID, "public line: does not start with %q", publicPrefix)
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return Public{}, peyvand.Errorf(peyvand.EINVALID, "public line: want %s<name>:<signing key>:<age1…>", publicPrefix)
	}
	if err := ValidName(parts[0]); err != nil {
		return Public{}, err
	}
	key, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || len(key) != ed25519.PublicKeySize {
		return Public{}, peyvand.Errorf(peyvand.EINVALID, "public line: signing key is not %d bytes of base64url", ed25519.PublicKeySize)
	}
	if _, err := age.ParseX25519Recipient(parts[2]); err != nil {
		return Public{}, peyvand.Errorf(peyvand.EINVALID, "public line: %q is not an age X25519 recipient", parts[2])
	}
	return Public{Name: parts[0], Signing: key, Recipient: parts[2]}, nil
}

// fingerprintEncoding is Crockford's base32 (no I, L, O, U), like inquiry
// codes: easy to read over a bad phone line.
var fingerprintEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// Fingerprint is a short digest of the public keys (not the name, which
// each side may choose) for two people to compare over the phone before
// trusting a public line received by a channel an adversary may control:
// 80 bits of SHA-256, in four groups of four ("7K3M-Q9XD-…"), more than
// anyone can search for a second key that matches.
func (p Public) Fingerprint() string {
	h := sha256.New()
	io.WriteString(h, "peyvand-peer fingerprint v1\n")
	h.Write(p.Signing)
	io.WriteString(h, "\n"+p.Recipient)
	s := fingerprintEncoding.EncodeToString(h.Sum(nil)[:10])
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
}

// SameKeys reports whether p and q have the same public keys.
func (p Public) SameKeys(q Public) bool {
	return p.Signing.Equal(q.Signing) && p.Recipient == q.Recipient
}
