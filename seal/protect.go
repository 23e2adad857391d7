package seal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
)

// A key file can be protected by a passphrase: the file is then the key
// file's text encrypted with age to that passphrase (scrypt). A field
// laptop needs this: seized while switched off, it must give up nothing
// sealed, and an unprotected key file sitting beside the database would
// open every sealed field.

// ErrProtected is returned by Load for a key file protected by a
// passphrase: load it with LoadProtected.
var ErrProtected = errors.New("the key file is protected by a passphrase")

// MinPassphrase is the shortest passphrase a key file is protected with:
// a seized laptop can be attacked offline for as long as the thief likes.
const MinPassphrase = 12

const ageHeader = "age-encryption.org/"

// isProtected reports whether key file content is age-encrypted.
func isProtected(b []byte) bool { return bytes.HasPrefix(b, []byte(ageHeader)) }

// IsProtected reports whether the key file at path is protected by a
// passphrase.
func IsProtected(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(ageHeader))
	n, _ := io.ReadFull(f, head)
	return isProtected(head[:n]), nil
}

// LoadProtected reads a key file protected by passphrase.
func LoadProtected(path, passphrase string) (*Keys, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	text, err := OpenProtected(b, passphrase)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	k, err := parse(text)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// OpenProtected decrypts the content of a file protected by passphrase
// (by ProtectBytes).
func OpenProtected(b []byte, passphrase string) ([]byte, error) {
	if !isProtected(b) {
		return nil, errors.New("not protected by a passphrase")
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(bytes.NewReader(b), id)
	if err != nil {
		return nil, errors.New("wrong passphrase (or the file is damaged)")
	}
	return io.ReadAll(r)
}

// ProtectBytes encrypts a secret file's content with passphrase (age,
// scrypt), refusing a passphrase shorter than MinPassphrase.
func ProtectBytes(b []byte, passphrase string) ([]byte, error) {
	if len([]rune(strings.TrimSpace(passphrase))) < MinPassphrase {
		return nil, fmt.Errorf("the passphrase must have at least %d characters", MinPassphrase)
	}
	rcpt, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rcpt)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// IsProtectedContent reports whether a file's content is protected by a
// passphrase.
func IsProtectedContent(b []byte) bool { return isProtected(b) }

// Protect encrypts the key file at path with passphrase, in place and
// atomically; a key file that does not exist yet is made first.
func Protect(path, passphrase string) error {
	if len([]rune(strings.TrimSpace(passphrase))) < MinPassphrase {
		return fmt.Errorf("the passphrase must have at least %d characters", MinPassphrase)
	}
	k, _, err := LoadOrCreate(path)
	if err != nil {
		return err
	}
	b, err := ProtectBytes(k.Marshal(), passphrase)
	if err != nil {
		return err
	}
	return WriteAtomic(path, b)
}

// Unprotect writes the key file at path back in the clear.
func Unprotect(path, passphrase string) error {
	k, err := LoadProtected(path, passphrase)
	if err != nil {
		return err
	}
	return Save(path, k)
}
