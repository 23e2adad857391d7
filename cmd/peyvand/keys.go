package main

import (
	"context"
	"fmt"

	"peyvand/identity"
)

const keysUsage = `Usage: peyvand keys generate --dir DIR --name NAME
       peyvand keys show --dir DIR
       peyvand keys qr --dir DIR --out FILE.svg
       peyvand keys protect|unprotect --key FILE   (see peyvand keys protect -h)
       peyvand keys rotate [--finish] --db DB --key FILE   (see peyvand keys rotate -h)

Manages this instance's identity for bundles: a key that signs what it
sends and a key that opens what is sent to it. generate writes them to
DIR/identity.key (readable by its owner only: back it up apart from the
database, never send it) and the public line to DIR/identity.pub. show
prints the public line, to give to peers, and its fingerprint, to read
out over the phone so that they know the line reached them unchanged.

A peer trusts you by adding your public line to its peers file:
  <public line> kinds=list,witness,news events=yes

Example:
  peyvand keys generate --dir ~/.peyvand/identity --name hrana-berlin
  peyvand keys show --dir ~/.peyvand/identity
`

func (m *Main) keysCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "rotate" {
		return m.keysRotate(ctx, args[1:])
	}
	if len(args) > 0 && args[0] == "qr" {
		return m.keysQR(ctx, args[1:])
	}
	if len(args) > 0 && (args[0] == "protect" || args[0] == "unprotect") {
		return m.keysProtect(args[0] == "protect", args[1:])
	}
	if len(args) == 0 || (args[0] != "generate" && args[0] != "show") {
		fs := m.flags("keys", keysUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
			return fs.Parse(args)
		}
		fs.Usage()
		return usageErrorf("keys: the subcommand is generate, show, qr, protect, unprotect or rotate")
	}
	fs := m.flags("keys "+args[0], keysUsage)
	dir := fs.String("dir", m.Getenv("PEYVAND_IDENTITY"), "identity directory (env PEYVAND_IDENTITY)")
	name := fs.String("name", "", "generate: this instance's name, as peers will see it (letters, digits, . _ -)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *dir == "" {
		return usageErrorf("keys %s: no --dir given", args[0])
	}
	if fs.NArg() > 0 {
		return usageErrorf("keys %s: unexpected argument %q", args[0], fs.Arg(0))
	}
	var id *identity.Identity
	var err error
	if args[0] == "generate" {
		if *name == "" {
			return usageErrorf("keys generate: no --name given")
		}
		if id, err = identity.Generate(*dir, *name); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "peyvand: created identity %s in %s; back up %s/identity.key apart from the database\n", id.Name(), *dir, *dir)
	} else if id, err = m.loadIdentity(*dir); err != nil {
		return err
	}
	pub := id.Public()
	fmt.Fprintf(m.Stdout, "%s\nfingerprint: %s\n", pub, pub.Fingerprint())
	return nil
}
