package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"peyvand/identity"
	"peyvand/seal"
)

const keysProtectUsage = `Usage: peyvand keys protect --key FILE [--dir IDENTITY_DIR]
       peyvand keys unprotect --key FILE [--dir IDENTITY_DIR]

protect encrypts the key file with a passphrase (age, scrypt), so that a
laptop seized while switched off gives up nothing sealed: without the
passphrase, the sealed contacts, witnesses and testimony stay closed.
unprotect writes it back in the clear (before a key rotation, say). Every
command that opens the registry then asks for the passphrase: from
PEYVAND_KEY_PASSPHRASE_FILE (a file whose first line it is), from
PEYVAND_KEY_PASSPHRASE, or typed at the terminal. Field mode
(serve --field) requires a protected key file, and a protected identity
(--dir: the keys that sign this laptop's bundles and open those sent to
it), under one passphrase.

The passphrase has at least 12 characters. Forget it and the sealed fields
are lost.

Example:
  peyvand keys protect --key ~/.peyvand/peyvand.key --dir ~/.peyvand/id
`

// keysProtect protects or unprotects the key file, and the identity in
// --dir when given, with one passphrase.
func (m *Main) keysProtect(protect bool, args []string) error {
	name := map[bool]string{true: "keys protect", false: "keys unprotect"}[protect]
	fs := m.flags(name, keysProtectUsage)
	sf := m.addStoreFlags(fs)
	dir := fs.String("dir", "", "also this identity directory (the keys that sign bundles and open those sent here)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sf.resolve()
	what := sf.key
	if *dir != "" {
		what += " and the identity in " + *dir
	}
	if protect {
		pass, err := m.readPassphrase("New passphrase: ")
		if err != nil {
			return err
		}
		again, err := m.readPassphrase("The same passphrase again: ")
		if err != nil {
			return err
		}
		if pass != again {
			return usageErrorf("%s: the two passphrases differ: nothing changed", name)
		}
		if err := seal.Protect(sf.key, pass); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if *dir != "" {
			if err := identity.Protect(*dir, pass); err != nil {
				return fmt.Errorf("%s: the key file is protected, the identity not: %w", name, err)
			}
		}
		fmt.Fprintf(m.Stdout, "%s: protected by the passphrase; keep the passphrase apart from this machine: without it the sealed fields are lost\n", what)
		return nil
	}
	pass, err := m.readPassphrase("Passphrase: ")
	if err != nil {
		return err
	}
	if err := seal.Unprotect(sf.key, pass); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if *dir != "" {
		if err := identity.Unprotect(*dir, pass); err != nil {
			return fmt.Errorf("%s: the key file is in the clear again, the identity not: %w", name, err)
		}
	}
	fmt.Fprintf(m.Stdout, "%s: no longer protected by a passphrase\n", what)
	return nil
}

// loadKeyFile reads the key file, asking for its passphrase if it has one.
func (m *Main) loadKeyFile(path string) (*seal.Keys, error) {
	if on, err := seal.IsProtected(path); err != nil || !on {
		return seal.Load(path)
	}
	pass, err := m.keyPassphrase("Passphrase of the key file " + path + ": ")
	if err != nil {
		return nil, err
	}
	return seal.LoadProtected(path, pass)
}

// loadIdentity reads this instance's identity, asking for its passphrase
// if it has one.
func (m *Main) loadIdentity(dir string) (*identity.Identity, error) {
	if !identity.IsProtected(dir) {
		return identity.Load(dir)
	}
	pass, err := m.keyPassphrase("Passphrase of the identity in " + dir + ": ")
	if err != nil {
		return nil, err
	}
	return identity.LoadProtected(dir, pass)
}

// keyPassphrase reads the passphrase once and keeps it for the command's
// run: a field laptop protects its key file and its identity with the
// same one, and asks once.
func (m *Main) keyPassphrase(prompt string) (string, error) {
	if m.keyPass == nil {
		p, err := m.readPassphrase(prompt)
		if err != nil {
			return "", err
		}
		m.keyPass = &p
	}
	return *m.keyPass, nil
}

// readPassphrase reads the key file's passphrase: from the file named by
// PEYVAND_KEY_PASSPHRASE_FILE, from PEYVAND_KEY_PASSPHRASE, from the
// terminal without echo, or from the first line of standard input.
func (m *Main) readPassphrase(prompt string) (string, error) {
	if f := m.Getenv("PEYVAND_KEY_PASSPHRASE_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", usageErrorf("PEYVAND_KEY_PASSPHRASE_FILE: %v", err)
		}
		return strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r"), nil
	}
	if p := m.Getenv("PEYVAND_KEY_PASSPHRASE"); p != "" {
		return p, nil
	}
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(m.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		return string(b), err
	}
	if m.stdinLines == nil {
		m.stdinLines = bufio.NewScanner(m.Stdin)
	}
	if !m.stdinLines.Scan() {
		return "", usageErrorf("the key file is protected by a passphrase: give it on standard input, in PEYVAND_KEY_PASSPHRASE_FILE or in PEYVAND_KEY_PASSPHRASE")
	}
	return strings.TrimRight(m.stdinLines.Text(), "\r"), nil
}
