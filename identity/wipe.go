package identity

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Wipe overwrites each regular file in paths with random bytes, syncs it
// to the disk, and removes it; paths that do not exist are skipped. It
// returns the paths it wiped, and stops at the first error.
//
// Overwriting is a best effort, not a guarantee: flash memory (SSDs, USB
// sticks, phones) and journaling or copy-on-write file systems may keep
// old copies of the blocks where the file cannot reach them. What protects
// a seized device is full-disk encryption; Wipe makes sure the files are
// at least not simply readable, nor recoverable by an undelete tool.
func Wipe(paths ...string) ([]string, error) {
	var done []string
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return done, err
		}
		if !fi.Mode().IsRegular() {
			return done, fmt.Errorf("wipe %s: not a regular file", p)
		}
		// A read-only key file must still be overwritten, not skipped.
		if err := os.Chmod(p, 0o600); err != nil {
			return done, fmt.Errorf("wipe %s: %w", p, err)
		}
		if err := overwrite(p, fi.Size()); err != nil {
			return done, fmt.Errorf("wipe %s: %w", p, err)
		}
		if err := os.Remove(p); err != nil {
			return done, fmt.Errorf("wipe %s: %w", p, err)
		}
		done = append(done, p)
	}
	return done, nil
}

// overwrite writes size random bytes over the file, syncs, then truncates
// it, so that even its length no longer tells what it held.
func overwrite(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, werr := io.CopyN(f, rand.Reader, size)
	if err := f.Sync(); werr == nil {
		werr = err
	}
	if err := f.Truncate(0); werr == nil {
		werr = err
	}
	if err := f.Close(); werr == nil {
		werr = err
	}
	return werr
}
