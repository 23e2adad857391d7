package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"peyvand"
	"peyvand/postgres"
	"peyvand/seal"
	"peyvand/sqlite"
)

// storeFlags are the flags that choose the registry.
type storeFlags struct {
	db, key string
}

func (m *Main) addStoreFlags(fs *flag.FlagSet) *storeFlags {
	sf := &storeFlags{}
	fs.StringVar(&sf.db, "db", m.Getenv("PEYVAND_DB"), "database: a SQLite file path or a postgres:// URL (env PEYVAND_DB; default ./peyvand.db)")
	fs.StringVar(&sf.key, "key", m.Getenv("PEYVAND_KEY_FILE"), "key file that seals sensitive fields (env PEYVAND_KEY_FILE; default beside the database)")
	return sf
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

func (sf *storeFlags) resolve() {
	if sf.db == "" {
		sf.db = "peyvand.db"
	}
	if sf.key == "" {
		if isPostgres(sf.db) {
			sf.key = "peyvand.key"
		} else {
			sf.key = filepath.Join(filepath.Dir(sf.db), "peyvand.key")
		}
	}
}

// open opens the registry. create allows making a new database and key;
// commands that only read refuse to invent an empty registry.
func (m *Main) open(ctx context.Context, sf *storeFlags, create bool) (peyvand.Store, error) {
	s, _, err := m.openKeys(ctx, sf, create)
	return s, err
}

// openKeys is open that also returns the keys, for the server's own MACs.
func (m *Main) openKeys(ctx context.Context, sf *storeFlags, create bool) (peyvand.Store, *seal.Keys, error) {
	sf.resolve()
	if !isPostgres(sf.db) && !create {
		if _, err := os.Stat(sf.db); err != nil {
			return nil, nil, peyvand.Errorf(peyvand.ENOTFOUND, "no database at %s (give --db or PEYVAND_DB)", sf.db)
		}
	}
	var keys *seal.Keys
	var err error
	if create {
		var created bool
		if on, _ := seal.IsProtected(sf.key); on {
			keys, err = m.loadKeyFile(sf.key)
		} else {
			keys, created, err = seal.LoadOrCreate(sf.key)
		}
		if created {
			fmt.Fprintf(m.Stderr, "peyvand: created a new key in %s; back it up apart from the database: without it sealed fields cannot be read\n", sf.key)
		}
	} else {
		keys, err = m.loadKeyFile(sf.key)
	}
	if err != nil {
		return nil, nil, peyvand.Errorf(peyvand.EUNAUTHORIZED, "key file: %v", err)
	}
	var st peyvand.Store
	if isPostgres(sf.db) {
		st, err = postgres.Open(ctx, sf.db, keys)
	} else {
		st, err = sqlite.Open(ctx, sf.db, keys)
	}
	if err != nil {
		return nil, nil, err
	}
	return st, keys, nil
}

// actor names who runs a command, for the audit chain.
func (m *Main) actor(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if u := m.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}
