package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"peyvand"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/sqlite"
	"peyvand/sqlstore"
)

const rotateUsage = `Usage: peyvand keys rotate [--batch N] [--finish] --db DB --key FILE

Replaces the key that seals contacts, witnesses and testimony and keys the
audit chain (docs/KEYS.md). The first run writes a new key into the key
file, keeping the old one beside it, then re-seals every sealed value and
recomputes every keyed digest and row MAC under the new key, N rows per
transaction, each recorded in the audit chain. If it is interrupted (a
crash, a kill, Ctrl-C), the store stays consistent: run the same command
again and it goes on where it stopped.

Other processes (peyvand serve) that hold the old key cannot write once the
rotation has begun: restart them with the key file as it is now.

--finish, once the rotation is done, checks that nothing in the store is
sealed or MACed with the old key any more and deletes the old sealing key
from the key file. Backups made before the rotation open only with the old
key file: keep a copy of it with them, or destroy both.

Example:
  peyvand audit verify --db /var/lib/peyvand/peyvand.db --key /etc/peyvand/peyvand.key
  peyvand keys rotate --db /var/lib/peyvand/peyvand.db --key /etc/peyvand/peyvand.key
  peyvand keys rotate --finish --db /var/lib/peyvand/peyvand.db --key /etc/peyvand/peyvand.key
`

func (m *Main) keysRotate(ctx context.Context, args []string) error {
	fs := m.flags("keys rotate", rotateUsage)
	sf := m.addStoreFlags(fs)
	finish := fs.Bool("finish", false, "end a finished rotation: delete the old sealing key from the key file")
	batch := fs.Int("batch", 500, "rows re-sealed per transaction")
	actorFlag := fs.String("actor", "", "who rotates, for the audit chain (default cli:$USER)")
	quiet := fs.Bool("quiet", false, "print only errors")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("keys rotate: unexpected argument %q", fs.Arg(0))
	}
	if *batch < 1 {
		return usageErrorf("keys rotate: --batch must be at least 1")
	}
	sf.resolve()
	keys, err := seal.Load(sf.key)
	if errors.Is(err, seal.ErrProtected) {
		return peyvand.Errorf(peyvand.EINVALID, "keys rotate: the key file is protected by a passphrase: unprotect it (peyvand keys unprotect), rotate, then protect it again")
	}
	if err != nil {
		return peyvand.Errorf(peyvand.EUNAUTHORIZED, "key file: %v", err)
	}
	actor := m.actor(*actorFlag)
	say := func(format string, args ...any) {
		if !*quiet {
			fmt.Fprintf(m.Stderr, "peyvand: "+format+"\n", args...)
		}
	}
	if *finish {
		return m.finishRotation(ctx, sf, keys, actor, say)
	}
	if keys.Rotating() == nil {
		if keys, err = m.beginRotation(ctx, sf, keys); err != nil {
			return err
		}
		say("wrote a new key %s into %s; the old key %s stays in it until --finish", keys.ID(), sf.key, keys.Rotating().ID())
	} else {
		say("going on with the rotation from key %s to %s", keys.Rotating().ID(), keys.ID())
	}
	s, err := m.openSQLStore(ctx, sf, keys)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Rotate(ctx, actor, sqlstore.RotateOptions{Batch: *batch})
	if err != nil {
		return fmt.Errorf("key rotation stopped (run the same command again to go on): %w", err)
	}
	if p.Finished {
		say("the store finished this rotation before; run peyvand keys rotate --finish to update the key file")
		return nil
	}
	fmt.Fprintf(m.Stdout, "key rotation from %s to %s: done; %d rows re-sealed in %d transactions (%s)\n",
		p.From, p.To, rowTotal(p.Rows), p.Batches, tableCounts(p.Rows))
	say("next: peyvand audit verify, restart servers with %s, then peyvand keys rotate --finish", sf.key)
	return nil
}

// beginRotation checks that the store belongs to keys and verifies before
// anything changes, then writes the new key into the key file. The file
// changes first: a store re-sealed under a key that never reached the file
// would be lost, while a file with a key the store does not use yet is
// harmless (the store opens with the old key it keeps).
func (m *Main) beginRotation(ctx context.Context, sf *storeFlags, keys *seal.Keys) (*seal.Keys, error) {
	s, err := m.openSQLStore(ctx, sf, keys)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	if from, err := s.KeyRotation(ctx); err != nil {
		return nil, err
	} else if from != "" {
		return nil, peyvand.Errorf(peyvand.ECONFLICT, "the store is in a rotation from key %s, but the key file %s does not hold that key: use the key file the rotation began with", from, sf.key)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		return nil, err
	}
	if !rep.OK() {
		// Re-sealing rewrites every row's MAC: on a tampered store it must
		// not run, or the new MACs would vouch for the tampering.
		return nil, peyvand.Errorf(peyvand.EINTEGRITY, "the store fails audit verification (%s): it must verify before its key is rotated", rep.Problems[0])
	}
	next, err := keys.Rotate()
	if err != nil {
		return nil, err
	}
	if err := seal.Save(sf.key, next); err != nil {
		return nil, err
	}
	return next, nil
}

func (m *Main) finishRotation(ctx context.Context, sf *storeFlags, keys *seal.Keys, actor string, say func(string, ...any)) error {
	old := keys.Rotating()
	if old == nil {
		return peyvand.Errorf(peyvand.EINVALID, "the key file %s has no key being replaced: there is no rotation to finish", sf.key)
	}
	s, err := m.openSQLStore(ctx, sf, keys)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.FinishRotation(ctx, actor); err != nil {
		return err
	}
	// The store no longer needs the old sealing key; the file changes
	// after it, so a crash here leaves a file that still has it, and
	// --finish again completes.
	done, err := keys.Finish()
	if err != nil {
		return err
	}
	if err := seal.Save(sf.key, done); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "key rotation finished: the sealing key of %s is deleted from %s; its lookup and audit keys stay for inquiry codes and the audit chain before the rotation\n",
		old.ID(), sf.key)
	say("backups made before the rotation need the old key file to be restored")
	return nil
}

// openSQLStore opens an existing store with the keys given.
func (m *Main) openSQLStore(ctx context.Context, sf *storeFlags, keys *seal.Keys) (*sqlstore.Store, error) {
	sf.resolve()
	if isPostgres(sf.db) {
		return postgres.Open(ctx, sf.db, keys)
	}
	if _, err := os.Stat(sf.db); err != nil {
		return nil, peyvand.Errorf(peyvand.ENOTFOUND, "no database at %s (give --db or PEYVAND_DB)", sf.db)
	}
	return sqlite.Open(ctx, sf.db, keys)
}

func rowTotal(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func tableCounts(m map[string]int) string {
	if len(m) == 0 {
		return "nothing left to re-seal"
	}
	var parts []string
	for t, n := range m {
		parts = append(parts, fmt.Sprintf("%s %d", t, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
