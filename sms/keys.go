package sms

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"strings"

	"peyvand"
)

// A sender's key file holds one line, "peyvand-sms-key-v1 SENDER SEED",
// after comment lines starting with #: the sender id and the 32-byte
// Ed25519 seed in the text alphabet. It is secret. The registry keeps a
// senders file of public keys, one "SENDER ed25519 PUBLICKEY" line per
// sender; it is not secret, but it lists the senders, so keep it with the
// registry's other files. Both formats are in docs/SMS.md.

const keyFileTag = "peyvand-sms-key-v1"

// SenderKey is a sender's id and private key.
type SenderKey struct {
	Sender string
	Key    ed25519.PrivateKey
}

// NewSenderID returns a random sender id of six characters (30 bits): a
// pseudonym that names no one and, among a few hundred senders, is
// unlikely to repeat (a repeat is refused when the senders file is read).
func NewSenderID() string {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	out := make([]byte, 6)
	for i := range out {
		out[i] = alphabet[v>>(5*i)&31]
	}
	return string(out)
}

// GenerateKey makes a new key for sender (NewSenderID when empty).
func GenerateKey(sender string) (SenderKey, error) {
	if sender == "" {
		sender = NewSenderID()
	}
	sender, err := canonicalSender(sender)
	if err != nil {
		return SenderKey{}, err
	}
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return SenderKey{}, fmt.Errorf("generate key: %w", err)
	}
	return SenderKey{Sender: sender, Key: priv}, nil
}

// WriteTo writes the secret key file.
func (k SenderKey) WriteTo(w io.Writer) (int64, error) {
	n, err := fmt.Fprintf(w, "# Peyvand SMS sender key. SECRET: whoever holds this file can send reports in\n"+
		"# the name of sender %s. Give only the line of the .pub file to the registry.\n%s %s %s\n",
		k.Sender, keyFileTag, k.Sender, bytesToText(k.Key.Seed()))
	return int64(n), err
}

// PublicLine returns the line for the registry's senders file.
func (k SenderKey) PublicLine() string {
	return k.Sender + " ed25519 " + bytesToText(k.Key.Public().(ed25519.PublicKey))
}

// ReadSenderKey reads a key file written by WriteTo.
func ReadSenderKey(r io.Reader) (SenderKey, error) {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<16))
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) != 3 || f[0] != keyFileTag {
			return SenderKey{}, peyvand.Errorf(peyvand.EINVALID, "key file line %d: expected %q, a sender id and a key", line, keyFileTag)
		}
		sender, err := canonicalSender(f[1])
		if err != nil {
			return SenderKey{}, fmt.Errorf("key file line %d: %w", line, err)
		}
		seed, err := textToBytes(f[2], ed25519.SeedSize)
		if err != nil {
			return SenderKey{}, peyvand.Errorf(peyvand.EINVALID, "key file line %d: the key is damaged", line)
		}
		return SenderKey{Sender: sender, Key: ed25519.NewKeyFromSeed(seed)}, nil
	}
	if err := sc.Err(); err != nil {
		return SenderKey{}, fmt.Errorf("key file: %w", err)
	}
	return SenderKey{}, peyvand.Errorf(peyvand.EINVALID, "key file: no key in it")
}

// Keys are the senders' public keys, by sender id.
type Keys map[string]ed25519.PublicKey

// Lookup returns the key of a sender; it has the type Decode takes.
func (k Keys) Lookup(sender string) (ed25519.PublicKey, bool) {
	s, err := canonicalSender(sender)
	if err != nil {
		return nil, false
	}
	pub, ok := k[s]
	return pub, ok
}

// ParseKeys reads a senders file: "SENDER ed25519 PUBLICKEY" lines, blank
// lines and comments (# to the end of the line). A sender listed twice is
// an error, so a repeated random id cannot let one sender pass for another.
func ParseKeys(r io.Reader) (Keys, error) {
	keys := Keys{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 || f[1] != "ed25519" {
			return nil, peyvand.Errorf(peyvand.EINVALID, "senders file line %d: expected SENDER ed25519 PUBLICKEY", line)
		}
		sender, err := canonicalSender(f[0])
		if err != nil {
			return nil, fmt.Errorf("senders file line %d: %w", line, err)
		}
		if _, dup := keys[sender]; dup {
			return nil, peyvand.Errorf(peyvand.EINVALID, "senders file line %d: sender %s is listed twice", line, sender)
		}
		pub, err := textToBytes(f[2], ed25519.PublicKeySize)
		if err != nil {
			return nil, peyvand.Errorf(peyvand.EINVALID, "senders file line %d: the public key of %s is damaged", line, sender)
		}
		keys[sender] = ed25519.PublicKey(pub)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("senders file: %w", err)
	}
	return keys, nil
}

// bytesToText writes bytes in the text alphabet, 5 bits a character, the
// last padded with zero bits.
func bytesToText(b []byte) string {
	w := &bitWriter{}
	for _, x := range b {
		w.write(uint32(x), 8)
	}
	return symbolString(w.symbols())
}

// textToBytes reads n bytes written by bytesToText.
func textToBytes(s string, n int) ([]byte, error) {
	syms, _, err := readSymbols(s)
	if err != nil {
		return nil, err
	}
	if len(syms) != (8*n+4)/5 {
		return nil, fmt.Errorf("%d characters, not %d", len(syms), (8*n+4)/5)
	}
	rd := &bitReader{syms: syms}
	out := make([]byte, n)
	for i := range out {
		v, _ := rd.read(8)
		out[i] = byte(v)
	}
	if pad, _ := rd.read(uint(rd.rest())); pad != 0 {
		return nil, fmt.Errorf("padding is not zero")
	}
	return out, nil
}
