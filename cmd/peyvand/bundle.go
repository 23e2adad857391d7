package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"peyvand"
	"peyvand/bundle"
	"peyvand/identity"
)

const bundleUsage = `Usage: peyvand bundle export --identity DIR --peers FILE --to PEER --out FILE [flags]
       peyvand bundle import --identity DIR --peers FILE FILE
       peyvand bundle split --size N FILE
       peyvand bundle join --out FILE PIECE...

Carries records between instances when the network cannot: a bundle is a
file encrypted to one peer and signed by this instance, for a USB stick, a
messenger or a satellite link. Whoever carries it learns only its size.
Every bundle written is recorded in the audit chain (to whom, what, under
which rules); --since last sends what changed since the last one to the
same peer.

export writes the records of list, witness and news sources (--source to
choose; --since for those changed since a date) with their status events.
Contacts, witnesses and testimony stay out unless --include-sealed.
--to is a peer's name in the peers file or its public line.

import verifies the whole bundle (sender in the peers file, signature,
expiry, what the peer may send) before it stores anything, in one
transaction. Records land in sources named PEER/SOURCE. A bundle imported
again, or one overlapping an earlier one, changes nothing; nor does an
older one arriving after a newer one (records carry the sender's
revision). A peer's line in the peers file says what it may send:
  <public line> kinds=list,witness events=yes [verification=verified]
verification is the highest level its status events keep here (default
reported: a peer not trusted to verify cannot raise a level).

split cuts a bundle into FILE.001, FILE.002… of at most N bytes each; join
puts the pieces, in any order, back together.

Example:
  peyvand bundle export --identity id --peers peers.txt --to hrana --since 2026-01-20 --out hrana.bundle
  peyvand bundle split --size 1000000 hrana.bundle
  peyvand bundle join --out hrana.bundle hrana.bundle.*
  peyvand bundle import --identity id --peers peers.txt hrana.bundle
`

func (m *Main) bundleCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.flags("bundle", bundleUsage).Usage()
		return usageErrorf("bundle: the subcommand is export, import, split or join")
	}
	switch args[0] {
	case "export":
		return m.bundleExport(ctx, args[1:])
	case "import":
		return m.bundleImport(ctx, args[1:])
	case "split":
		return m.bundleSplit(args[1:])
	case "join":
		return m.bundleJoin(args[1:])
	case "-h", "-help", "--help":
		return m.flags("bundle", bundleUsage).Parse(args)
	}
	m.flags("bundle", bundleUsage).Usage()
	return usageErrorf("bundle: %q is not export, import, split or join", args[0])
}

// loadKeys loads this instance's identity and its peers.
func (m *Main) loadKeys(dir, peersFile, cmd string) (*identity.Identity, *identity.Peers, error) {
	if dir == "" || peersFile == "" {
		return nil, nil, usageErrorf("bundle %s: give --identity and --peers", cmd)
	}
	id, err := m.loadIdentity(dir)
	if err != nil {
		return nil, nil, err
	}
	peers, err := identity.LoadPeers(peersFile)
	return id, peers, err
}

func (m *Main) bundleExport(ctx context.Context, args []string) error {
	fs := m.flags("bundle export", bundleUsage)
	sf := m.addStoreFlags(fs)
	idDir := fs.String("identity", m.Getenv("PEYVAND_IDENTITY"), "this instance's identity directory (env PEYVAND_IDENTITY)")
	peersFile := fs.String("peers", m.Getenv("PEYVAND_PEERS"), "trusted peers file (env PEYVAND_PEERS)")
	to := fs.String("to", "", "recipient: a peer's name in the peers file, or its public line")
	since := fs.String("since", "", `only records changed or given a status event since this date (YYYY-MM-DD) or time (RFC 3339); "last": since the last bundle to this peer`)
	var sources multiFlag
	fs.Var(&sources, "source", "only this source, by name (repeatable)")
	kinds := fs.String("kinds", "list,witness,news", "kinds of source to send (inquiry reveals who searches for whom)")
	sealed := fs.Bool("include-sealed", false, "include contacts, witnesses' identities and testimony")
	minLevel := fs.String("min-verification", "", "only records with a status event at this level or above: reported, corroborated or verified")
	actor := fs.String("actor", "", "who exports, for the audit log (default cli:$USER)")
	expires := fs.Duration("expires", bundle.DefaultExpiry, "how long the recipient accepts the bundle")
	out := fs.String("out", "", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *to == "" {
		return usageErrorf("bundle export: give --to and --out")
	}
	if fs.NArg() > 0 {
		return usageErrorf("bundle export: unexpected argument %q", fs.Arg(0))
	}
	id, peers, err := m.loadKeys(*idDir, *peersFile, "export")
	if err != nil {
		return err
	}
	opt := bundle.Options{From: id, Sources: sources, Expires: *expires, MinVerification: peyvand.Verification(*minLevel),
		Rules: bundle.Rules{Contacts: *sealed, Reporters: *sealed, Texts: *sealed}}
	if p, ok := peers.ByName(*to); ok {
		opt.To = p.Public
	} else if opt.To, err = identity.ParsePublic(*to); err != nil {
		return usageErrorf("bundle export: --to %q is neither a peer in %s nor a public line", *to, peers.File)
	}
	for _, k := range strings.Split(*kinds, ",") {
		if !peyvand.SourceKind(k).Valid() {
			return usageErrorf("bundle export: --kinds: %q is not list, witness, news or inquiry", k)
		}
		opt.Rules.Kinds = append(opt.Rules.Kinds, peyvand.SourceKind(k))
	}
	if *since != "last" {
		if opt.Since, err = parseSince(*since); err != nil {
			return err
		}
	}
	s, err := m.open(ctx, sf, false)
	if err != nil {
		return err
	}
	defer s.Close()
	if *since == "last" {
		// Since the last bundle to this peer, with an hour's overlap: a
		// record changed while that bundle was being written may not be
		// in it, and sending a record twice costs nothing (the receiver
		// keeps what it has).
		last, err := s.LastDisclosure(ctx, "bundle", disclosedTo(opt.To))
		switch {
		case err == nil:
			opt.Since = last.Add(-time.Hour)
			fmt.Fprintf(m.Stderr, "peyvand: the last bundle to %s was made %s: sending what changed since an hour before\n",
				opt.To.Name, last.Format(time.RFC3339))
		case peyvand.ErrorCode(err) == peyvand.ENOTFOUND:
			fmt.Fprintf(m.Stderr, "peyvand: no bundle went to %s before: sending everything selected\n", opt.To.Name)
		default:
			return err
		}
	}
	// Written beside the target and renamed, so a half-written bundle
	// never sits under the name a courier will copy.
	f, err := os.CreateTemp(filepath.Dir(*out), ".bundle-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	w, err := bundle.Write(ctx, s, f, opt)
	if err == nil {
		err = f.Close()
	}
	if err == nil {
		err = os.Rename(f.Name(), *out)
	}
	if err != nil {
		return fmt.Errorf("bundle export: nothing written: %w", err)
	}
	// What left, to whom and under which rules goes into the audit chain:
	// an organisation must always be able to say what it gave away.
	if err := s.Disclose(ctx, m.actor(*actor), bundleDisclosure(opt, w)); err != nil {
		return fmt.Errorf("bundle export: %s written, but not recorded in the audit chain: %w", *out, err)
	}
	fmt.Fprintf(m.Stdout, "%s: bundle %s for %s: %d sources, %d records, %d status events; expires %s\n",
		*out, w.ID, opt.To.Name, w.Sources, w.Records, w.Events, w.Expires.Format(time.RFC3339))
	return nil
}

// bundleDisclosure describes a written bundle for the audit chain.
func bundleDisclosure(opt bundle.Options, w bundle.Written) peyvand.Disclosure {
	kinds := make([]string, len(opt.Rules.Kinds))
	for i, k := range opt.Rules.Kinds {
		kinds[i] = string(k)
	}
	d := map[string]any{"bundle": w.ID, "sources": w.Sources, "records": w.Records, "events": w.Events,
		"kinds": kinds, "contacts": opt.Rules.Contacts, "reporters": opt.Rules.Reporters, "texts": opt.Rules.Texts}
	if !opt.Since.IsZero() {
		d["since"] = opt.Since.UTC().Format(time.RFC3339)
	}
	if opt.MinVerification != "" {
		d["min_verification"] = string(opt.MinVerification)
	}
	return peyvand.Disclosure{What: "bundle", To: disclosedTo(opt.To), Detail: d}
}

// disclosedTo names a peer in the audit chain: its name here and the
// fingerprint of its keys.
func disclosedTo(p identity.Public) string { return p.Name + " " + p.Fingerprint() }

func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, usageErrorf("bundle export: --since %q is not YYYY-MM-DD or an RFC 3339 time", s)
}

func (m *Main) bundleImport(ctx context.Context, args []string) error {
	fs := m.flags("bundle import", bundleUsage)
	sf := m.addStoreFlags(fs)
	idDir := fs.String("identity", m.Getenv("PEYVAND_IDENTITY"), "this instance's identity directory (env PEYVAND_IDENTITY)")
	peersFile := fs.String("peers", m.Getenv("PEYVAND_PEERS"), "trusted peers file (env PEYVAND_PEERS)")
	actor := fs.String("actor", "", "who imports, for the audit log (default cli:$USER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErrorf("bundle import: no file given")
	}
	id, peers, err := m.loadKeys(*idDir, *peersFile, "import")
	if err != nil {
		return err
	}
	s, err := m.open(ctx, sf, true)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, path := range fs.Args() {
		if err := m.importBundle(ctx, s, path, id, peers, m.actor(*actor)); err != nil {
			return err
		}
	}
	return nil
}

func (m *Main) importBundle(ctx context.Context, s peyvand.Store, path string, id *identity.Identity, peers *identity.Peers, actor string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sum, err := bundle.Apply(ctx, s, f, id, peers, bundle.ApplyOptions{File: filepath.Base(path), Actor: actor, TempDir: filepath.Dir(path)})
	if err != nil {
		return fmt.Errorf("bundle import %s: nothing imported: %w", path, err)
	}
	if !sum.Applied {
		fmt.Fprintf(m.Stdout, "%s: bundle %s from %s: nothing new (%d records, %d status events already here)\n",
			path, sum.ID, sum.Peer, sum.Records, sum.Events)
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s: bundle %s from %s: %d created, %d updated, %d unchanged, %d new status events into %s\n",
		path, sum.ID, sum.Peer, sum.Created, sum.Updated, sum.Unchanged, sum.ImportSummary.Events, strings.Join(sum.Sources, ", "))
	return nil
}

func (m *Main) bundleSplit(args []string) error {
	fs := m.flags("bundle split", bundleUsage)
	size := fs.Int64("size", 0, "largest piece, in bytes (header included)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *size <= 0 {
		return usageErrorf("bundle split: give --size N and one FILE")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var made []string
	n, err := bundle.Split(f, *size, func(i, n int) (io.WriteCloser, error) {
		name := path + "." + pieceSuffix(i, n)
		made = append(made, name)
		return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	})
	if err != nil {
		for _, p := range made {
			os.Remove(p)
		}
		return fmt.Errorf("bundle split %s: %w", path, err)
	}
	fmt.Fprintf(m.Stdout, "%s: %d pieces: %s … %s\n", path, n, made[0], made[len(made)-1])
	return nil
}

// pieceSuffix numbers pieces with as many digits as the count needs (at
// least three), so that they sort in order.
func pieceSuffix(i, n int) string {
	w := max(3, len(strconv.Itoa(n)))
	return fmt.Sprintf("%0*d", w, i)
}

func (m *Main) bundleJoin(args []string) error {
	fs := m.flags("bundle join", bundleUsage)
	out := fs.String("out", "", "the bundle to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return usageErrorf("bundle join: give --out FILE and the pieces")
	}
	var pieces []bundle.Piece
	for _, p := range fs.Args() {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		pieces = append(pieces, bundle.Piece{Name: p, R: f})
	}
	w, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = bundle.Join(w, pieces)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out)
		return fmt.Errorf("bundle join: nothing written: %w", err)
	}
	fmt.Fprintf(m.Stdout, "%s: joined %d pieces\n", *out, len(pieces))
	return nil
}
