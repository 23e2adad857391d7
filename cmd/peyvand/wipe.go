package main

import (
	"context"
	"fmt"
	"path/filepath"

	"peyvand"
	"peyvand/identity"
)

const wipeUsage = `Usage: peyvand wipe --db FILE --key FILE [--identity DIR] --yes

Field mode: destroys this instance's data before a device is seized.
Overwrites with random bytes, then deletes, the SQLite database with its
-wal, -shm and -journal files, the key file that seals it, and the
identity's files. Stop the server first. There is no undo: without
--yes it only lists what it would destroy.

Overwriting is a best effort: flash memory (SSDs, USB sticks, phones) and
journaling file systems may keep old copies where no program can reach
them. Full-disk encryption is what protects a seized device; wipe makes
sure the files are not simply there to read. A PostgreSQL database is
not wiped: drop it on its server.

Example:
  peyvand wipe --db /data/peyvand.db --key /keys/peyvand.key --identity /keys/identity --yes
`

func (m *Main) wipeCmd(ctx context.Context, args []string) error {
	fs := m.flags("wipe", wipeUsage)
	sf := m.addStoreFlags(fs)
	idDir := fs.String("identity", m.Getenv("PEYVAND_IDENTITY"), "identity directory to destroy too (env PEYVAND_IDENTITY)")
	yes := fs.Bool("yes", false, "really destroy the files")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("wipe: unexpected argument %q", fs.Arg(0))
	}
	sf.resolve()
	if isPostgres(sf.db) {
		return peyvand.Errorf(peyvand.EINVALID, "wipe: --db is a PostgreSQL database, which lives on its server: drop it there (DROP DATABASE); nothing was wiped")
	}
	paths := []string{sf.db, sf.db + "-wal", sf.db + "-shm", sf.db + "-journal", sf.key}
	if *idDir != "" {
		paths = append(paths, filepath.Join(*idDir, identity.KeyFile), filepath.Join(*idDir, identity.PublicFile))
	}
	if !*yes {
		fmt.Fprintln(m.Stderr, "peyvand: wipe would destroy, if they exist:")
		for _, p := range paths {
			fmt.Fprintln(m.Stderr, "  "+p)
		}
		return usageErrorf("wipe: refusing without --yes")
	}
	done, err := identity.Wipe(paths...)
	for _, p := range done {
		fmt.Fprintf(m.Stdout, "wiped %s\n", p)
	}
	if err != nil {
		return fmt.Errorf("wipe: %w (%d files wiped before it)", err, len(done))
	}
	if len(done) == 0 {
		fmt.Fprintln(m.Stdout, "nothing to wipe")
	}
	return nil
}
