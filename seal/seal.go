// Package seal encrypts the registry's sensitive fields at rest and derives
// the other keys the registry needs, all from one key kept in a file outside
// the database.
//
// A sealed value is authenticated encryption (XChaCha20-Poly1305) of the
// plaintext, bound by its associated data to the table, column and row it
// belongs to, so a ciphertext copied into another row does not open.
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

// Keys holds the subkeys derived from one master key. Each purpose has its
// own key so that, say, the audit MAC key can never open sealed fields.
type Keys struct {
	aead     cipherAEAD
	auditKey []byte
	lookups  sync.Pool // HMAC states keyed with the lookup key, for reuse
	keyID    [4]byte
}

type cipherAEAD interface {
	NonceSize() int
	Overhead() int
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
}

// New derives the registry's keys from a master key.
func New(master []byte) (*Keys, error) {
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
	lookupKey := derive("lookup v1")
	k := &Keys{aead: aead, auditKey: derive("audit v1")}
	k.lookups.New = func() any { return hmac.New(sha256.New, lookupKey) }
	copy(k.keyID[:], derive("key id v1"))
	return k, nil
}

// ID is a short public fingerprint of the key. The database stores it so that
// opening it with the wrong key file fails with a clear message instead of
// unreadable fields.
func (k *Keys) ID() string { return fmt.Sprintf("%x", k.keyID) }

// AuditKey is the key of the audit chain's MACs.
func (k *Keys) AuditKey() []byte { return k.auditKey }

// Lookup returns a keyed digest of a secret that must be found again but not
// stored (an inquiry code): without the key, a stolen database cannot test
// guesses against it.
func (k *Keys) Lookup(secret string) string {
	m := k.lookups.Get().(hash.Hash)
	m.Reset()
	io.WriteString(m, secret)
	var sum [sha256.Size]byte
	out := base64.RawStdEncoding.EncodeToString(m.Sum(sum[:0]))
	k.lookups.Put(m)
	return out
}

// Seal encrypts plaintext bound to ad ("records.contact:rec_…"). The empty
// string seals to the empty string, so "not given" stays visible as such
// without revealing anything else.
func (k *Keys) Seal(plaintext, ad string) string {
	if plaintext == "" {
		return ""
	}
	nonce := make([]byte, k.aead.NonceSize(), 1+4+k.aead.NonceSize()+len(plaintext)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	out := append([]byte{version}, k.keyID[:]...)
	out = append(out, nonce...)
	out = k.aead.Seal(out, nonce, []byte(plaintext), []byte(ad))
	return base64.RawStdEncoding.EncodeToString(out)
}

// ErrOpen is returned when a sealed value does not open: wrong key, another
// row's value, or tampering.
var ErrOpen = errors.New("sealed value does not open with this key (tampered, moved or sealed with another key)")

// Open decrypts a value made by Seal with the same ad.
func (k *Keys) Open(sealed, ad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	b, err := base64.RawStdEncoding.DecodeString(sealed)
	ns := k.aead.NonceSize()
	if err != nil || len(b) < 1+4+ns+k.aead.Overhead() || b[0] != version {
		return "", ErrOpen
	}
	if !hmac.Equal(b[1:5], k.keyID[:]) {
		return "", ErrOpen
	}
	nonce := b[5 : 5+ns]
	pt, err := k.aead.Open(nil, nonce, b[5+ns:], []byte(ad))
	if err != nil {
		return "", ErrOpen
	}
	return string(pt), nil
}
