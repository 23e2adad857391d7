// Command peyvand runs the Peyvand registry: the server, imports and
// exports, and the audit check. This file only wires: each subcommand
// lives in its own file with its own flags.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"peyvand"
)

// Main holds what every subcommand shares, so tests can run the CLI in
// process with their own environment and streams.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	stdinLines *bufio.Scanner // standard input read line by line, once begun
	keyPass    *string        // the key passphrase, once read
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

const usage = `peyvand — a secure registry to find, verify and count people hurt in a crackdown.

Usage:
  peyvand <command> [flags] [arguments]

Commands:
  serve          run the web server (--demo for a fictitious data set)
  import         import lists: CSV, Excel (.xlsx), PFIF XML
  export         export records and status events: CSV, JSON, PFIF
  audit verify   check the audit chain and every row against it
  backup         write an encrypted (age) copy of the registry while it runs
  restore        restore a backup into a new, empty database
  keys           make or show this instance's keys for bundles (generate, show); rotate the sealing key (rotate)
  retention      delete contacts no longer needed (closed inquiries, told cases)
  bundle         carry records to a peer offline: export, import, split, join
  sms            signed compact text reports for SMS, phone, paper: keygen, encode, decode, import
  wipe           field mode: overwrite and delete the database, keys and identity
  demo           write a generated, fictitious list as CSV (to try imports)
  link           find the records of the same person across lists (no database)
  relink         link the registry's records into persons
  count          count persons by status, province, date, age, gender, list
  estimate       estimate the true number from the overlap of lists (MSE)
  account add    create a staff account for the web application
  version        print the version

Every command that opens the registry takes --db (or PEYVAND_DB): a file
path for SQLite (default ./peyvand.db) or a postgres:// URL; and --key (or
PEYVAND_KEY_FILE): the file with the key that seals contacts, witnesses and
testimony (default: peyvand.key beside the SQLite file, ./peyvand.key for
PostgreSQL). Keep the key file apart from database backups.

Run "peyvand <command> -h" for a command's flags and an example.
`

// Run runs one command line and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return exitUsage
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = m.serve(ctx, rest)
	case "import":
		err = m.importCmd(ctx, rest)
	case "export":
		err = m.exportCmd(ctx, rest)
	case "audit":
		err = m.audit(ctx, rest)
	case "demo":
		err = m.demoCmd(ctx, rest)
	case "estimate":
		err = m.estimateCmd(ctx, rest)
	case "count":
		err = m.countCmd(ctx, rest)
	case "link":
		err = m.linkCmd(ctx, rest)
	case "relink":
		err = m.relinkCmd(ctx, rest)
	case "backup":
		err = m.backupCmd(ctx, rest)
	case "restore":
		err = m.restoreCmd(ctx, rest)
	case "keys":
		err = m.keysCmd(ctx, rest)
	case "bundle":
		err = m.bundleCmd(ctx, rest)
	case "retention":
		err = m.retentionCmd(ctx, rest)
	case "wipe":
		err = m.wipeCmd(ctx, rest)
	case "sms":
		err = m.smsCmd(ctx, rest)
	case "account":
		err = m.accountCmd(ctx, rest)
	case "version":
		fmt.Fprintln(m.Stdout, "peyvand", version)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stdout, usage)
	default:
		fmt.Fprintf(m.Stderr, "peyvand: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
	return m.exit(err)
}

var version = "0.1.0-dev"

// Exit codes. Scripts can tell bad input from a missing thing from a
// tampered database without reading messages.
const (
	exitOK           = 0
	exitInternal     = 1
	exitUsage        = 2
	exitInvalid      = 3
	exitNotFound     = 4
	exitConflict     = 5
	exitUnauthorized = 6
	exitIntegrity    = 7
	exitInterrupted  = 130 // as shells report a command ended by SIGINT
)

func (m *Main) exit(err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(m.Stderr, "peyvand: %v\n", err)
		return exitUsage
	}
	if errors.Is(err, context.Canceled) {
		// Ctrl-C or SIGTERM: stopped as asked, which is not a fault.
		fmt.Fprintln(m.Stderr, "peyvand: interrupted")
		return exitInterrupted
	}
	fmt.Fprintf(m.Stderr, "peyvand: %v\n", err)
	switch peyvand.ErrorCode(err) {
	case peyvand.EINVALID:
		return exitInvalid
	case peyvand.ENOTFOUND:
		return exitNotFound
	case peyvand.ECONFLICT:
		return exitConflict
	case peyvand.EUNAUTHORIZED, peyvand.EFORBIDDEN:
		return exitUnauthorized
	case peyvand.EINTEGRITY:
		return exitIntegrity
	}
	return exitInternal
}

// usageError is a mistake in the command line itself.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// flags returns a FlagSet for a subcommand whose -h prints text.
func (m *Main) flags(name, text string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprint(m.Stderr, text)
		fmt.Fprintln(m.Stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}
