package seal

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The key file comes in two versions. Version 1 is one line of 64 hex
// digits: the master key. Version 2, written from the first rotation on,
// names each generation of the ring on a line of its own:
//
//	peyvand-keys 2
//	current <64 hex digits: the master key that seals new values>
//	rotating-from <64 hex digits: the master key a rotation replaces>
//	retired <8 hex digits: key id> <64 hex: lookup key> <64 hex: audit key>
//
// Lines starting with # and blank lines are ignored. current comes once;
// rotating-from at most once, while a rotation is in progress; retired once
// for every earlier key whose rotation is finished, newest first. A retired
// key keeps only what cannot be given up: its lookup key, under which
// inquiry codes registered before the rotation are stored, and its audit
// key, which MACs the part of the audit chain written before it.
const fileMagic = "peyvand-keys 2"

const fileHeader = `# Peyvand key file. Whoever reads this file can open every sealed field:
# keep it readable by its owner only, and apart from the database and its
# backups. "current" seals new values; "rotating-from" is the key a rotation
# in progress replaces; "retired" keys (without their sealing key) still
# find inquiry codes registered before the rotation and check the audit
# chain written before it. See docs/KEYS.md.
`

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

// Load reads the keys from path, in either version. The file must not be
// readable by group or others, since anyone who reads it can open every
// sealed field.
func Load(path string) (*Keys, error) {
	b, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	if isProtected(b) {
		return nil, fmt.Errorf("key file %s: %w", path, ErrProtected)
	}
	k, err := parse(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// readKeyFile reads a key file, refusing one that group or others can read.
func readKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has mode %v: it must be readable by its owner only (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	return os.ReadFile(path)
}

func parse(b []byte) (*Keys, error) {
	text := strings.TrimSpace(string(b))
	if !strings.Contains(text, "\n") && !strings.HasPrefix(text, "#") {
		// Version 1: one line, the master key.
		master, err := hex.DecodeString(text)
		if err != nil || len(master) != KeySize {
			return nil, fmt.Errorf("want %d hex digits on one line", 2*KeySize)
		}
		return New(master)
	}
	var k Keys
	magic := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if !magic {
			if line != fileMagic {
				return nil, fmt.Errorf("line %d: want %q first (or, in a version 1 file, %d hex digits alone)", n, fileMagic, 2*KeySize)
			}
			magic = true
			continue
		}
		if err := k.parseLine(f); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if k.gen == nil {
		return nil, errors.New(`no "current" key`)
	}
	return &k, nil
}

func (k *Keys) parseLine(f []string) error {
	hexKey := func(s string) ([]byte, error) {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != KeySize {
			return nil, fmt.Errorf("want %d hex digits, not %d characters", 2*KeySize, len(s))
		}
		return b, nil
	}
	switch {
	case f[0] == "current" && len(f) == 2:
		if k.gen != nil {
			return errors.New(`a second "current" key`)
		}
		m, err := hexKey(f[1])
		if err == nil {
			k.gen, err = newGeneration(m)
		}
		return err
	case f[0] == "rotating-from" && len(f) == 2:
		if len(k.retired) > 0 {
			return errors.New(`"rotating-from" must come once, before every "retired" key`)
		}
		m, err := hexKey(f[1])
		if err != nil {
			return err
		}
		g, err := newGeneration(m)
		k.retired = append(k.retired, g)
		return err
	case f[0] == "retired" && len(f) == 4:
		id, err := hex.DecodeString(f[1])
		if err != nil || len(id) != 4 {
			return errors.New("a retired key's id is 8 hex digits")
		}
		lookup, err := hexKey(f[2])
		if err != nil {
			return err
		}
		audit, err := hexKey(f[3])
		if err != nil {
			return err
		}
		g := digestGeneration(lookup, audit)
		copy(g.id[:], id)
		k.retired = append(k.retired, g)
		return nil
	}
	return fmt.Errorf(`want "current <key>", "rotating-from <key>" or "retired <id> <lookup key> <audit key>", not %q`, f[0])
}

// Marshal returns the key file of k, in version 2.
func (k *Keys) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(fileHeader)
	b.WriteString(fileMagic + "\n")
	fmt.Fprintf(&b, "current %x\n", k.gen.master)
	for _, g := range k.retired {
		if g.master != nil {
			fmt.Fprintf(&b, "rotating-from %x\n", g.master)
		} else {
			fmt.Fprintf(&b, "retired %x %x %x\n", g.id, g.lookupKey, g.auditKey)
		}
	}
	return b.Bytes()
}

// Save replaces the key file at path with k atomically: the new file is
// written beside it (mode 0600), synced and renamed over it, so a crash
// leaves either the old file or the new one, never half of one. Losing the
// key file loses every sealed field, so the write must not tear.
func Save(path string, k *Keys) error {
	if k.gen.master == nil {
		return errors.New("save key file: the current key has no master key")
	}
	return WriteAtomic(path, k.Marshal())
}

// WriteAtomic replaces the file at path with b: written beside it (mode
// 0600), synced and renamed over it, so a crash leaves either the old file
// or the new one, never half of one. It is for key files, whose loss loses
// everything they open.
func WriteAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".peyvand-key-*")
	if err != nil {
		return fmt.Errorf("save key file: %w", err)
	}
	tmp := f.Name()
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(b)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save key file %s: %w", path, err)
	}
	// The rename is durable only once the directory is synced.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
