package seal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// LoadOrCreate reads the master key from path, or creates a new random key
// there (mode 0600, never overwriting) when the file does not exist. created
// reports which happened so the caller can tell the operator to back the key
// up: without it sealed fields are lost.
func LoadOrCreate(path string) (k *Keys, created bool, err error) {
	k, err = Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, false, err
	}
	master := make([]byte, KeySize)
	if _, err := rand.Read(master); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("create key file: %w", err)
	}
	_, werr := fmt.Fprintf(f, "%s\n", hex.EncodeToString(master))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, false, fmt.Errorf("write key file %s: %w", path, werr)
	}
	k, err = New(master)
	return k, true, err
}

// Load reads the master key from path. The file holds 64 hex digits; it
// must not be readable by group or others, since anyone who reads it can
// open every sealed field.
func Load(path string) (*Keys, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has mode %v: it must be readable by its owner only (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	master, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(master) != KeySize {
		return nil, fmt.Errorf("key file %s: want %d hex digits on one line", path, 2*KeySize)
	}
	return New(master)
}
