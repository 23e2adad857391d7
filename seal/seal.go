// Package seal encrypts the registry's sensitive fields at rest and derives
// the other keys the registry needs, all from one key kept in a file outside
// the database.
//
// A sealed value is authenticated encryption (XChaCha20-Poly1305) of the
// plaintext, bound by its associated data to the table, column and row it
// belongs to, so a ciphertext copied into another row does not open.
//
// Keys are rotated (docs/KEYS.md): a Keys value is a ring of generations.
// The current one seals, keys the audit chain and computes digests; while a
// rotation runs, the key it replaces still opens what was sealed with it;
// once the rotation is finished, only that key's digest keys are kept, for
// the digests that cannot be recomputed (inquiry codes) and for the part of
// the audit chain written before the rotation.
package seal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// KeySize is the size of the master key in bytes.
const KeySize = 32

// version is the first byte of every sealed value, so the format can change
// (and keys rotate) without guessing what old values are.
const version byte = 1

// Keys holds the subkeys derived from one master key (the current
// generation) and those of the keys it replaced. Each purpose has its own
// key so that, say, the audit MAC key can never open sealed fields.
type Keys struct {
	gen *generation
	// retired are the generations before gen, newest first. At most the
	// first still has its master key (a rotation is in progress).
	retired []*generation
}

// generation is the keys derived from one master key. A retired generation
// whose rotation is finished has no master and no sealing key: only its id,
// its lookup key and its audit key.
type generation struct {
	id        [4]byte
	master    []byte     // nil once the generation is retired for good
	aead      cipherAEAD // nil likewise
	auditKey  []byte
	lookupKey []byte
	lookups   sync.Pool // HMAC states keyed with lookupKey, for reuse
}

type cipherAEAD interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

// New derives the registry's keys from a master key.
func New(master []byte) (*Keys, error) {
	g, err := newGeneration(master)
	if err != nil {
		return nil, err
	}
	return &Keys{gen: g}, nil
}

func newGeneration(master []byte) (*generation, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("master key has %d bytes, want %d", len(master), KeySize)
	}
	derive := func(info string) []byte {
		k := make([]byte, 32)
		r := hkdf.New(sha256.New, master, nil, []byte("peyvand "+info))
		if _, err := io.ReadFull(r, k); err != nil {
			panic(err) // hkdf cannot fail for 32 bytes
		}
		return k
	}
	aead, err := chacha20poly1305.NewX(derive("seal v1"))
	if err != nil {
		return nil, err
	}
	g := digestGeneration(derive("lookup v1"), derive("audit v1"))
	g.master, g.aead = append([]byte(nil), master...), aead
	copy(g.id[:], derive("key id v1"))
	return g, nil
}

// digestGeneration is a generation with digest keys only.
func digestGeneration(lookupKey, auditKey []byte) *generation {
	g := &generation{lookupKey: lookupKey, auditKey: auditKey}
	g.lookups.New = func() any { return hmac.New(sha256.New, g.lookupKey) }
	return g
}

// ID is a short public fingerprint of the key. The database stores it so that
// opening it with the wrong key file fails with a clear message instead of
// unreadable fields.
func (k *Keys) ID() string { return fmt.Sprintf("%x", k.gen.id) }

// AuditKey is the key of the audit chain's MACs.
func (k *Keys) AuditKey() []byte { return k.gen.auditKey }

// Lookup returns a keyed digest of a secret that must be found again but not
// stored (an inquiry code): without the key, a stolen database cannot test
// guesses against it.
func (k *Keys) Lookup(secret string) string { return k.gen.lookup(secret) }

func (g *generation) lookup(secret string) string {
	m := g.lookups.Get().(hash.Hash)
	m.Reset()
	io.WriteString(m, secret)
	var sum [sha256.Size]byte
	out := base64.RawStdEncoding.EncodeToString(m.Sum(sum[:0]))
	g.lookups.Put(m)
	return out
}

// Lookups returns the keyed digests of secret under every generation,
// current first: a digest stored before a rotation cannot be recomputed
// (the secret is not stored), so it is found under the key that made it.
func (k *Keys) Lookups(secret string) []string {
	out := []string{k.gen.lookup(secret)}
	for _, g := range k.retired {
		out = append(out, g.lookup(secret))
	}
	return out
}

// Seal encrypts plaintext bound to ad ("records.contact:rec_…") with the
// current key. The empty string seals to the empty string, so "not given"
// stays visible as such without revealing anything else.
func (k *Keys) Seal(plaintext, ad string) string {
	if plaintext == "" {
		return ""
	}
	g := k.gen
	if g.aead == nil {
		panic("seal: Seal with a retired key, which has no sealing key")
	}
	nonce := make([]byte, g.aead.NonceSize(), 1+4+g.aead.NonceSize()+len(plaintext)+g.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	out := append([]byte{version}, g.id[:]...)
	out = append(out, nonce...)
	out = g.aead.Seal(out, nonce, []byte(plaintext), []byte(ad))
	return base64.RawStdEncoding.EncodeToString(out)
}

// ErrOpen is returned when a sealed value does not open: wrong key, another
// row's value, or tampering.
var ErrOpen = errors.New("sealed value does not open with this key (tampered, moved or sealed with another key)")

// Open decrypts a value made by Seal with the same ad, with whichever
// generation of the ring sealed it (during a rotation, values sealed with
// the old key and the new one are both in the database).
func (k *Keys) Open(sealed, ad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(b) < 1+4 || b[0] != version {
		return "", ErrOpen
	}
	g := k.generationOf(b[1:5])
	if g == nil || g.aead == nil {
		return "", ErrOpen
	}
	ns := g.aead.NonceSize()
	if len(b) < 1+4+ns+g.aead.Overhead() {
		return "", ErrOpen
	}
	pt, err := g.aead.Open(nil, b[5:5+ns], b[5+ns:], []byte(ad))
	if err != nil {
		return "", ErrOpen
	}
	return string(pt), nil
}

func (k *Keys) generationOf(id []byte) *generation {
	if hmac.Equal(id, k.gen.id[:]) {
		return k.gen
	}
	for _, g := range k.retired {
		if hmac.Equal(id, g.id[:]) {
			return g
		}
	}
	return nil
}

// SealedID returns the id of the key a sealed value was sealed with; ok is
// false for "" and for what is not a sealed value. The id is public (it is
// in the clear in every value): it says which key opens a value, so that a
// rotation can tell what it has still to re-seal.
func SealedID(sealed string) (id string, ok bool) {
	if sealed == "" {
		return "", false
	}
	// Only the first 5 bytes are needed: 8 base64 characters hold 6.
	n := min(len(sealed), 8)
	b, err := base64.RawStdEncoding.DecodeString(sealed[:n-n%4])
	if err != nil || len(b) < 5 || b[0] != version {
		return "", false
	}
	return fmt.Sprintf("%x", b[1:5]), true
}

// CanSeal reports whether k's current generation has its sealing key. Only
// the generations Retired returns can lack it.
func (k *Keys) CanSeal() bool { return k.gen.aead != nil }

// Retired returns the generations before the current one, newest first,
// each as a Keys of its own (for its ID, AuditKey and Lookup; Open too while
// it has its sealing key).
func (k *Keys) Retired() []*Keys {
	out := make([]*Keys, len(k.retired))
	for i, g := range k.retired {
		out[i] = &Keys{gen: g}
	}
	return out
}

// Rotating returns the key a rotation in progress replaces: the retired
// generation that still has its sealing key. It is nil when no rotation is
// in progress.
func (k *Keys) Rotating() *Keys {
	if len(k.retired) > 0 && k.retired[0].aead != nil {
		return &Keys{gen: k.retired[0]}
	}
	return nil
}

// Generation returns the generation of the ring with this id, or nil.
func (k *Keys) Generation(id string) *Keys {
	for _, g := range append([]*generation{k.gen}, k.retired...) {
		if fmt.Sprintf("%x", g.id) == id {
			return &Keys{gen: g}
		}
	}
	return nil
}

// Rotate returns a ring with a new random current key; the current key
// becomes the one being replaced, kept whole until Finish. It refuses while
// another rotation is in progress: values would be sealed under three keys.
func (k *Keys) Rotate() (*Keys, error) {
	if r := k.Rotating(); r != nil {
		return nil, fmt.Errorf("a rotation from key %s is in progress: finish it first", r.ID())
	}
	if k.gen.aead == nil {
		return nil, errors.New("the current key has no sealing key")
	}
	master := make([]byte, KeySize)
	if _, err := rand.Read(master); err != nil {
		return nil, err
	}
	g, err := newGeneration(master)
	if err != nil {
		return nil, err
	}
	return &Keys{gen: g, retired: append([]*generation{k.gen}, k.retired...)}, nil
}

// Finish returns the ring without the sealing key of the key a rotation
// replaced: only its lookup and audit keys stay. The caller must first make
// sure that nothing sealed with it remains.
func (k *Keys) Finish() (*Keys, error) {
	if k.Rotating() == nil {
		return nil, errors.New("no rotation is in progress")
	}
	old := k.retired[0]
	d := digestGeneration(old.lookupKey, old.auditKey)
	d.id = old.id
	return &Keys{gen: k.gen, retired: append([]*generation{d}, k.retired[1:]...)}, nil
}
