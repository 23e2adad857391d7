package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"filippo.io/age"

	"peyvand"
	"peyvand/backup"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/sqlite"
	"peyvand/sqlstore"
)

const backupUsage = `Usage: peyvand backup --out FILE [--recipient age1…]... [--recipients-file FILE] [--passphrase-file FILE]

Writes a copy of the whole registry as it is at one moment, while the
server goes on, encrypted with age: to the public keys given (age1…, made
with age-keygen; keep the private key offline), or else to a passphrase
read from --passphrase-file or PEYVAND_BACKUP_PASSPHRASE (never from the
command line, where every user of the machine can read it). Without the
private key or the passphrase a backup reveals nothing.

The key file (--key) is NOT in the backup. Keep a copy of it apart from
the backups: a restore needs it, and the backup and the key together
open every sealed contact and testimony.

Example:
  age-keygen -o backup-identity.txt     # prints its public key, age1…
  peyvand backup --db /var/lib/peyvand/peyvand.db --recipient age1… --out peyvand-$(date +%F).age
`

const restoreUsage = `Usage: peyvand restore [--identity FILE | --passphrase-file FILE] [--db …] [--key …] FILE

Restores a backup made by peyvand backup into a new, empty database (a
SQLite file that does not exist yet, or an empty PostgreSQL database): a
SQLite backup restores into PostgreSQL and back. --key must be the key file
of the store that was backed up. The restore is one transaction and ends
with an audit verification: a damaged, truncated or forged backup leaves
nothing behind. A restore never writes over data.

The backup is opened with the age identity file given, or else the
passphrase in --passphrase-file or PEYVAND_BACKUP_PASSPHRASE.

Example:
  peyvand restore --identity backup-identity.txt --db /var/lib/peyvand/new.db \
      --key /etc/peyvand/peyvand.key peyvand-2026-02-01.age
`

// minPassphrase is the shortest passphrase a backup is encrypted to: a
// stolen backup can be attacked offline for as long as the thief likes.
const minPassphrase = 12

func (m *Main) backupCmd(ctx context.Context, args []string) error {
	fs := m.flags("backup", backupUsage)
	sf := m.addStoreFlags(fs)
	out := fs.String("out", "", "backup file to write (must not exist; - for standard output)")
	var recips multiFlag
	fs.Var(&recips, "recipient", "age public key (age1…) to encrypt to (repeatable)")
	recipFile := fs.String("recipients-file", "", "file of age public keys, one a line")
	passFile := fs.String("passphrase-file", "", "file whose first line is the passphrase (else PEYVAND_BACKUP_PASSPHRASE)")
	if err := parseFlags(fs, "backup", args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return usageErrorf("backup: give --out FILE and no other arguments")
	}
	recipients, how, err := m.backupRecipients(recips, *recipFile, *passFile)
	if err != nil {
		return err
	}
	if *out != "-" {
		if _, err := os.Stat(*out); err == nil {
			return peyvand.Errorf(peyvand.ECONFLICT, "backup: %s exists: choose a new file name (a backup never overwrites one)", *out)
		}
	}
	st, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer st.Close()
	s, ok := st.(*sqlstore.Store)
	if !ok {
		return fmt.Errorf("backup: the store %T cannot be backed up", st)
	}
	start := time.Now()
	var h backup.Header
	var size int64
	if *out == "-" {
		h, err = backup.Write(ctx, s, m.Stdout, recipients...)
	} else {
		size, h, err = writeBackupFile(ctx, s, *out, recipients)
	}
	if err != nil {
		return err
	}
	report := m.Stdout
	if *out == "-" {
		report = m.Stderr
	}
	where := "standard output"
	if *out != "-" {
		where = fmt.Sprintf("%s (%d bytes)", *out, size)
	}
	fmt.Fprintf(report, "backup of %d rows in %d tables (schema %d, key id %s) written to %s in %s, encrypted to %s\n",
		h.Rows(), len(h.Tables), h.Schema, h.KeyID, where, time.Since(start).Round(time.Millisecond), how)
	fmt.Fprintf(report, "the key file %s is NOT in the backup: keep a copy of it apart from the backup; a restore needs it to open the store\n", sf.key)
	return nil
}

// backupRecipients returns whom a backup is encrypted to, and says so in
// words for the report.
func (m *Main) backupRecipients(recips []string, recipFile, passFile string) ([]age.Recipient, string, error) {
	var rs []age.Recipient
	for _, r := range recips {
		parsed, err := age.ParseRecipients(strings.NewReader(r))
		if err != nil {
			return nil, "", usageErrorf("backup: --recipient %q: not an age public key (age1…)", r)
		}
		rs = append(rs, parsed...)
	}
	if recipFile != "" {
		f, err := os.Open(recipFile)
		if err != nil {
			return nil, "", usageErrorf("backup: --recipients-file: %v", err)
		}
		parsed, err := age.ParseRecipients(f)
		f.Close()
		if err != nil {
			return nil, "", usageErrorf("backup: --recipients-file %s: %v", recipFile, err)
		}
		rs = append(rs, parsed...)
	}
	if len(rs) > 0 {
		if passFile != "" {
			return nil, "", usageErrorf("backup: give recipients or a passphrase, not both (age allows a passphrase only alone)")
		}
		return rs, fmt.Sprintf("%d age recipient(s)", len(rs)), nil
	}
	pass, err := m.passphrase(passFile)
	if err != nil {
		return nil, "", err
	}
	if pass == "" {
		return nil, "", usageErrorf("backup: give --recipient, --recipients-file, or a passphrase (--passphrase-file or PEYVAND_BACKUP_PASSPHRASE): a backup is never written unencrypted")
	}
	if len([]rune(pass)) < minPassphrase {
		return nil, "", usageErrorf("backup: the passphrase is shorter than %d characters: a stolen backup can be attacked offline; use a long one", minPassphrase)
	}
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		return nil, "", err
	}
	return []age.Recipient{r}, "a passphrase", nil
}

// passphrase reads the first line of file, or else PEYVAND_BACKUP_PASSPHRASE;
// "" when neither is given.
func (m *Main) passphrase(file string) (string, error) {
	if file == "" {
		return m.Getenv("PEYVAND_BACKUP_PASSPHRASE"), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", usageErrorf("--passphrase-file: %v", err)
	}
	pass, _, _ := strings.Cut(string(b), "\n")
	pass = strings.TrimSuffix(pass, "\r")
	if pass == "" {
		return "", usageErrorf("--passphrase-file %s: its first line is empty", file)
	}
	return pass, nil
}

// writeBackupFile writes the backup beside path and renames it into place
// once complete and synced, so that a file under the final name is never
// half a backup.
func writeBackupFile(ctx context.Context, s *sqlstore.Store, path string, rs []age.Recipient) (int64, backup.Header, error) {
	tmp := path + ".partial"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, backup.Header{}, fmt.Errorf("backup: %w", err)
	}
	h, err := backup.Write(ctx, s, f, rs...)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var size int64
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Stat(tmp); err == nil {
			size = fi.Size()
			err = os.Rename(tmp, path)
		}
	}
	if err != nil {
		os.Remove(tmp)
		return 0, h, fmt.Errorf("backup to %s: %w", path, err)
	}
	return size, h, nil
}

func (m *Main) restoreCmd(ctx context.Context, args []string) error {
	fs := m.flags("restore", restoreUsage)
	sf := m.addStoreFlags(fs)
	idFile := fs.String("identity", "", "age identity file (AGE-SECRET-KEY-1…) that opens the backup")
	passFile := fs.String("passphrase-file", "", "file whose first line is the passphrase (else PEYVAND_BACKUP_PASSPHRASE)")
	if err := parseFlags(fs, "restore", args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageErrorf("restore: give one backup file")
	}
	ids, err := m.restoreIdentities(*idFile, *passFile)
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	var in io.Reader = m.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return peyvand.Errorf(peyvand.ENOTFOUND, "restore: %v", err)
		}
		defer f.Close()
		in = f
	}
	b, err := backup.Open(in, ids...)
	if err != nil {
		return fmt.Errorf("restore %s: %w", path, err)
	}
	sf.resolve()
	keys, err := m.loadKeyFile(sf.key)
	if err != nil {
		return peyvand.Errorf(peyvand.EUNAUTHORIZED,
			"restore: key file: %v: a restore needs the key file of the store that was backed up (it is not in the backup); give --key", err)
	}
	if keys.ID() != b.Header.KeyID {
		return peyvand.Errorf(peyvand.EUNAUTHORIZED,
			"restore: the backup comes from a store sealed with key id %s, the key file %s has %s: give the key file of the store that was backed up", b.Header.KeyID, sf.key, keys.ID())
	}
	created := false
	if !isPostgres(sf.db) {
		_, err := os.Stat(sf.db)
		created = errors.Is(err, os.ErrNotExist)
	}
	s, err := openForRestore(ctx, sf.db, keys)
	if err != nil {
		return err
	}
	start := time.Now()
	rep, err := b.Restore(ctx, s)
	s.Close()
	if err != nil {
		if created { // leave no half-made database behind
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(sf.db + suffix)
			}
		}
		return fmt.Errorf("restore %s into %s: %w", path, sf.db, err)
	}
	h := b.Header
	fmt.Fprintf(m.Stdout, "restored %d rows in %d tables from %s (made %s from a %s store) into %s in %s\n",
		h.Rows(), len(h.Tables), path, h.Created.Format(time.RFC3339), h.Dialect, sf.db, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(m.Stdout, "audit chain OK: %d entries, %d rows match it; staff sign in again (sessions are not backed up)\n", rep.Entries, rep.Rows)
	return nil
}

// restoreIdentities returns what opens a backup: an identity file or a
// passphrase.
func (m *Main) restoreIdentities(idFile, passFile string) ([]age.Identity, error) {
	if idFile != "" {
		if passFile != "" {
			return nil, usageErrorf("restore: give --identity or --passphrase-file, not both")
		}
		f, err := os.Open(idFile)
		if err != nil {
			return nil, usageErrorf("restore: --identity: %v", err)
		}
		defer f.Close()
		ids, err := age.ParseIdentities(f)
		if err != nil {
			return nil, usageErrorf("restore: --identity %s: %v", idFile, err)
		}
		return ids, nil
	}
	pass, err := m.passphrase(passFile)
	if err != nil {
		return nil, err
	}
	if pass == "" {
		return nil, usageErrorf("restore: give --identity FILE, or a passphrase (--passphrase-file or PEYVAND_BACKUP_PASSPHRASE)")
	}
	id, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, err
	}
	return []age.Identity{id}, nil
}

// openForRestore opens (creating) the target with keys, which must exist
// already: a new key could never open the restored rows.
func openForRestore(ctx context.Context, db string, keys *seal.Keys) (*sqlstore.Store, error) {
	if isPostgres(db) {
		return postgres.Open(ctx, db, keys)
	}
	return sqlite.Open(ctx, db, keys)
}

// parseFlags parses a subcommand's flags; a flag it does not know is a
// usage error (exit 2), like a missing argument.
func parseFlags(fs *flag.FlagSet, cmd string, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return usageErrorf("%s: %v", cmd, err)
	}
	return err
}
