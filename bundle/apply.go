package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"peyvand"
	"peyvand/identity"
)

// ApplyOptions are the details of one import of a bundle.
type ApplyOptions struct {
	File  string // base name of the bundle file, for the audit entry
	Actor string // who imports, for the audit entry (default "bundle")
	// TempDir is where an input that cannot seek is spooled, still
	// encrypted, for the second pass (default os.TempDir()).
	TempDir string
	Now     func() time.Time // for tests; default time.Now
}

// Summary says what importing a bundle did.
type Summary struct {
	ID              string
	Peer            string    // the sender, as the peers file names it
	Made, Expires   time.Time // when the sender made the bundle, and until when it is accepted
	Sources         []string  // local names of the bundle's sources
	Records, Events int       // in the bundle
	peyvand.ImportSummary
	// Applied is false when the bundle held nothing new: then nothing
	// at all was written, not even an audit entry.
	Applied bool
}

// Apply imports a bundle from r into s. It reads the bundle twice: first
// to verify it whole (signature, end line, what the peer may send, every
// record and event valid) and to find whether anything in it is new, then,
// if something is, to store it in one import transaction that commits only
// after the second reading verified the same bundle again. A bundle that
// fails any check changes nothing.
//
// Records land in the local source "<peer>/<source>", where <peer> is the
// sender's name in the peers file, under the sender's external ids: sending
// a record again changes it only if its content changed. Fields the sender's
// rules left out keep their local values.
func Apply(ctx context.Context, s peyvand.Store, r io.Reader, me *identity.Identity, peers *identity.Peers, opt ApplyOptions) (Summary, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Actor == "" {
		opt.Actor = "bundle"
	}
	src, cleanup, err := seekable(r, opt.TempDir)
	if err != nil {
		return Summary{}, err
	}
	defer cleanup()
	start, err := src.Seek(0, io.SeekCurrent)
	if err != nil {
		return Summary{}, err
	}
	a := &applier{s: s, me: me, peers: peers, opt: opt, local: map[string]*localSource{}}
	sum, digest, err := a.pass(ctx, src, nil)
	if err != nil || !a.changes {
		return sum, err
	}
	if _, err := src.Seek(start, io.SeekStart); err != nil {
		return Summary{}, err
	}
	tx, err := s.BeginImport(ctx, opt.Actor, peyvand.ImportMeta{File: opt.File, SHA256: digest, Format: "bundle"})
	if err != nil {
		return Summary{}, err
	}
	sum2, digest2, err := a.pass(ctx, src, tx)
	if err == nil && digest2 != digest {
		err = peyvand.Errorf(peyvand.ECONFLICT, "bundle file changed while it was imported: nothing imported")
	}
	if err != nil {
		tx.Rollback()
		return Summary{}, err
	}
	sum2.ImportSummary, err = tx.Commit(ctx)
	sum2.Applied = err == nil
	return sum2, err
}

// seekable returns r if it can seek, or a temporary copy of it. The copy
// holds the bundle as it came, encrypted: nothing readable touches the
// disk.
func seekable(r io.Reader, dir string) (io.ReadSeeker, func(), error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekCurrent); err == nil {
			return rs, func() {}, nil
		}
	}
	f, err := os.CreateTemp(dir, "peyvand-bundle-*")
	if err != nil {
		return nil, nil, fmt.Errorf("bundle: spool input: %w", err)
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, r); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("bundle: spool input: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, nil, err
	}
	return f, cleanup, nil
}

// applier is one import of a bundle.
type applier struct {
	s       peyvand.Store
	me      *identity.Identity
	peers   *identity.Peers
	opt     ApplyOptions
	local   map[string]*localSource // by the sender's source name
	changes bool                    // the first pass found something new
	seen    map[string]bool         // records read in this pass, by source and external id
}

// localSource is what the store holds of one of the peer's sources.
type localSource struct {
	name    string // local name, "<peer>/<source>"
	exists  bool
	id      string
	records map[string]localRecord // by external id
}

type localRecord struct {
	id       string
	cid      string // content id of the stored record, as the sender would send it
	revision int    // the sender's revision last stored
}

// pass reads the whole bundle. Without tx it checks it and looks for
// anything new; with tx it stores it. It returns the SHA-256 of the
// bundle's bytes.
func (a *applier) pass(ctx context.Context, r io.Reader, tx peyvand.ImportTx) (Summary, string, error) {
	h := sha256.New()
	rd, err := NewReader(io.TeeReader(r, h), a.me, a.peers, a.opt.Now())
	if err != nil {
		return Summary{}, "", err
	}
	hd, peer := rd.Header(), rd.Peer()
	a.seen = map[string]bool{}
	sum := Summary{ID: hd.ID, Peer: peer.Name, Made: hd.Created, Expires: hd.Expires}
	for {
		it, err := rd.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return sum, "", err
		}
		if err := ctx.Err(); err != nil {
			return sum, "", err
		}
		switch {
		case it.Source != nil:
			ls, err := a.source(ctx, tx, peer, hd.Rules, *it.Source)
			if err != nil {
				return sum, "", err
			}
			sum.Sources = append(sum.Sources, ls.name)
		case it.Record != nil:
			if err := a.record(ctx, tx, peer, hd, *it.Record); err != nil {
				return sum, "", err
			}
			sum.Records++
			sum.Events += len(it.Record.Events)
		}
	}
	return sum, digestRest(r, h), nil
}

// digestRest hashes whatever the decryption left unread (nothing, for a
// well-formed bundle) and returns the digest.
func digestRest(r io.Reader, h hash.Hash) string {
	io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil))
}

func (a *applier) source(ctx context.Context, tx peyvand.ImportTx, peer identity.Peer, rules Rules, s Source) (*localSource, error) {
	if !peer.MayKind(s.Kind) {
		return nil, peyvand.Errorf(peyvand.EFORBIDDEN, "peer %s may not send records of %s sources (source %q); the peers file %s says what it may send",
			peer.Name, s.Kind, s.Name, a.peers.File)
	}
	name := peer.Name + "/" + s.Name
	src := peyvand.Source{Name: name, Kind: s.Kind, Organisation: s.Organisation, Independent: s.Independent, ReceivedAt: s.ReceivedAt}
	if err := src.Validate(); err != nil {
		return nil, peyvand.Errorf(peyvand.EINVALID, "source %q: %s", s.Name, peyvand.ErrorMessage(err))
	}
	if tx != nil {
		got, err := tx.Source(ctx, src)
		if err != nil {
			return nil, err
		}
		ls := a.local[s.Name]
		if ls == nil {
			return nil, peyvand.Errorf(peyvand.ECONFLICT, "bundle file changed while it was imported: nothing imported")
		}
		ls.id = got.ID
		return ls, nil
	}
	ls := &localSource{name: name, records: map[string]localRecord{}}
	a.local[s.Name] = ls
	got, err := a.s.SourceByName(ctx, name)
	switch {
	case peyvand.ErrorCode(err) == peyvand.ENOTFOUND:
		a.changes = true
		return ls, nil
	case err != nil:
		return nil, err
	}
	ls.exists, ls.id = true, got.ID
	// The records the peer sent before, by external id, with the content
	// id they would be sent with: enough to tell new from known without
	// writing anything.
	err = a.s.WalkRecords(ctx, peyvand.RecordFilter{SourceID: got.ID}, func(r peyvand.Record) error {
		ls.records[r.ExternalID] = localRecord{id: r.ID, cid: fromRecord(s.Name, r, nil, allFields).CID, revision: r.Revision}
		return nil
	})
	return ls, err
}

// allFields are rules that keep every field.
var allFields = Rules{Contacts: true, Reporters: true, Texts: true}

func (a *applier) record(ctx context.Context, tx peyvand.ImportTx, peer identity.Peer, hd Header, r Record) error {
	if len(r.Events) > 0 && !peer.Events {
		return peyvand.Errorf(peyvand.EFORBIDDEN, "peer %s may not send status events (record %q of %q has some); the peers file %s says what it may send",
			peer.Name, r.ExternalID, r.Source, a.peers.File)
	}
	// The same record twice in one bundle would make the outcome depend
	// on the order of its lines; a writer sends each record once.
	key := r.Source + "\x00" + r.ExternalID
	if a.seen[key] {
		return peyvand.Errorf(peyvand.EINVALID, "bundle %s: record %q of %q appears twice", hd.ID, r.ExternalID, r.Source)
	}
	a.seen[key] = true
	ls := a.local[r.Source]
	known, exists := ls.records[r.ExternalID]
	// A record at or below the revision stored here is older than what
	// the store holds (bundles arrive in any order): the store keeps the
	// record as it is and takes only the events it does not have.
	stale := exists && r.Revision <= known.revision
	if exists && !stale {
		if err := a.keepLocal(ctx, &r, hd.Rules, known.id); err != nil {
			return err
		}
	}
	row, err := r.row(ls.id, peer)
	if err != nil {
		return peyvand.Errorf(peyvand.EINVALID, "bundle %s, record %q of %q: %s", hd.ID, r.ExternalID, r.Source, peyvand.ErrorMessage(err))
	}
	if tx != nil {
		if _, err := tx.Put(ctx, row); err != nil {
			return fmt.Errorf("bundle %s, record %q of %q: %w", hd.ID, r.ExternalID, r.Source, err)
		}
		return nil
	}
	if a.changes {
		return nil
	}
	if !exists || (!stale && r.ContentID() != known.cid) {
		a.changes = true
		return nil
	}
	return a.newEvents(ctx, known.id, row.Events)
}

// keepLocal fills the fields the sender's rules left out with what the
// store holds: left out means "not shared", not "empty".
func (a *applier) keepLocal(ctx context.Context, r *Record, rules Rules, id string) error {
	if rules.Contacts && rules.Reporters && rules.Texts {
		return nil
	}
	cur, err := a.s.Record(ctx, id)
	if err != nil {
		return err
	}
	if !rules.Contacts {
		r.Contact = cur.Contact
	}
	if !rules.Reporters {
		r.Reporter = cur.Reporter
	}
	if !rules.Texts {
		r.Notes = cur.Notes
	}
	return nil
}

// newEvents notes whether any of evs is not yet stored for the record.
func (a *applier) newEvents(ctx context.Context, recordID string, evs []peyvand.StatusEvent) error {
	if len(evs) == 0 {
		return nil
	}
	have := map[string]bool{}
	if err := a.s.WalkEvents(ctx, peyvand.EventFilter{RecordID: recordID}, func(e peyvand.StatusEvent) error {
		have[e.ExternalID] = true
		return nil
	}); err != nil {
		return err
	}
	for _, e := range evs {
		if !have[e.ExternalID] {
			a.changes = true
		}
	}
	return nil
}
