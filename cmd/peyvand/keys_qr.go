package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

const keysQRUsage = `Usage: peyvand keys qr --dir DIR --out FILE.svg

Draws this instance's public line (what "peyvand keys show" prints) as a
QR code in SVG, for a peer to scan from a screen or a printed page. The
file uses no inline styles, so a page with a strict Content-Security-Policy
can show it. Scanning saves typing, not checking: still compare the
fingerprint over the phone.

Example:
  peyvand keys qr --dir ~/.peyvand/identity --out identity.svg
`

func (m *Main) keysQR(ctx context.Context, args []string) error {
	fs := m.flags("keys qr", keysQRUsage)
	dir := fs.String("dir", m.Getenv("PEYVAND_IDENTITY"), "identity directory (env PEYVAND_IDENTITY)")
	out := fs.String("out", "", "the SVG file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *dir == "":
		return usageErrorf("keys qr: no --dir given")
	case *out == "":
		return usageErrorf("keys qr: no --out given")
	case fs.NArg() > 0:
		return usageErrorf("keys qr: unexpected argument %q", fs.Arg(0))
	}
	id, err := m.loadIdentity(*dir)
	if err != nil {
		return err
	}
	pub := id.Public()
	svg, err := pub.QRSVG()
	if err != nil {
		return err
	}
	// Written beside the target and renamed, so a page never serves half
	// a file.
	f, err := os.CreateTemp(filepath.Dir(*out), ".qr-*.svg")
	if err != nil {
		return fmt.Errorf("keys qr: %w (does the directory of --out exist?)", err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(svg)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644) // public, like identity.pub
	}
	if err == nil {
		err = os.Rename(f.Name(), *out)
	}
	if err != nil {
		return fmt.Errorf("keys qr: write %s: %w", *out, err)
	}
	fmt.Fprintf(m.Stdout, "%s: QR code of the public line of %s\nfingerprint: %s\n", *out, pub.Name, pub.Fingerprint())
	return nil
}
