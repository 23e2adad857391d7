package bundle

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"filippo.io/age"

	"peyvand"
	"peyvand/identity"
)

// DefaultExpiry is how long a bundle is accepted when Options.Expires is
// zero: long enough for a courier, short enough that an old stick found
// later cannot be replayed into a registry.
const DefaultExpiry = 30 * 24 * time.Hour

// Options choose what a bundle holds and who may open it.
type Options struct {
	From *identity.Identity // signs the bundle
	To   identity.Public    // the only instance that can open it
	// Since selects the records updated, or given a status event, at or
	// after it; zero selects every record.
	Since time.Time
	// Sources limits the bundle to these sources, by name.
	Sources []string
	// MinVerification, when set, selects only records with a status
	// event at or above this level ("share what we have verified"). A
	// selected record still travels with all its events.
	MinVerification peyvand.Verification
	Rules           Rules
	// Expires is how long the bundle is accepted (default DefaultExpiry).
	Expires time.Duration
	// NoPadding leaves the bundle its natural size; by default it is
	// padded so that its size tells little about how much it holds.
	NoPadding bool
	Now       func() time.Time // for tests; default time.Now
}

// Written says what a bundle holds.
type Written struct {
	ID                       string
	Sources, Records, Events int
	Expires                  time.Time
}

// defaultKinds are the kinds of source sent when Rules.Kinds is empty.
var defaultKinds = []peyvand.SourceKind{peyvand.SourceList, peyvand.SourceWitness, peyvand.SourceNews}

// Write writes a bundle of the records opt selects from s, with their
// status events, encrypted to opt.To and signed by opt.From. A record is
// sent whole with all its events, so that bundles can arrive in any order.
func Write(ctx context.Context, s peyvand.Store, w io.Writer, opt Options) (Written, error) {
	var out Written
	if opt.From == nil {
		return out, peyvand.Errorf(peyvand.EINVALID, "bundle: no sender identity")
	}
	if opt.MinVerification != "" && !opt.MinVerification.Valid() {
		return out, peyvand.Errorf(peyvand.EINVALID, "bundle: verification level %q is not reported, corroborated or verified", opt.MinVerification)
	}
	recipient, err := age.ParseX25519Recipient(opt.To.Recipient)
	if err != nil {
		return out, peyvand.Errorf(peyvand.EINVALID, "bundle: recipient %q is not an age X25519 recipient", opt.To.Recipient)
	}
	srcs, err := selectSources(ctx, s, opt)
	if err != nil {
		return out, err
	}
	h, err := newHeader(opt)
	if err != nil {
		return out, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	aw, err := age.Encrypt(bw, recipient)
	if err != nil {
		return out, fmt.Errorf("bundle: encrypt: %w", err)
	}
	enc, err := newEncoder(aw, h, opt.From, !opt.NoPadding)
	if err != nil {
		return out, err
	}
	for _, src := range srcs {
		if err := writeSource(ctx, s, enc, src, opt); err != nil {
			return out, err
		}
	}
	if err := enc.close(); err != nil {
		return out, err
	}
	if err := aw.Close(); err != nil {
		return out, err
	}
	if err := bw.Flush(); err != nil {
		return out, err
	}
	return Written{ID: h.ID, Sources: enc.end.Sources, Records: enc.end.Records, Events: enc.end.Events, Expires: h.Expires}, nil
}

func newHeader(opt Options) (Header, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	exp := opt.Expires
	if exp == 0 {
		exp = DefaultExpiry
	}
	if exp < 0 {
		return Header{}, peyvand.Errorf(peyvand.EINVALID, "bundle: expiry %v is negative", exp)
	}
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Header{}, err
	}
	created := now().UTC().Truncate(time.Second)
	return Header{Format: Format, Version: Version, ID: hex.EncodeToString(id[:]), Created: created,
		Expires: created.Add(exp), Sender: opt.From.Public().String(), Recipient: opt.To.Recipient, Rules: opt.Rules}, nil
}

// selectSources returns the sources to send: those named, or all of the
// kinds the rules send.
func selectSources(ctx context.Context, s peyvand.Store, opt Options) ([]peyvand.Source, error) {
	kinds := opt.Rules.Kinds
	if len(kinds) == 0 {
		kinds = defaultKinds
	}
	kindOK := func(k peyvand.SourceKind) bool {
		for _, v := range kinds {
			if v == k {
				return true
			}
		}
		return false
	}
	var out []peyvand.Source
	if len(opt.Sources) > 0 {
		for _, name := range opt.Sources {
			src, err := s.SourceByName(ctx, name)
			if err != nil {
				return nil, err
			}
			if !kindOK(src.Kind) {
				return nil, peyvand.Errorf(peyvand.EFORBIDDEN, "source %q is of kind %s, which the sharing rules do not send", name, src.Kind)
			}
			out = append(out, src)
		}
		return out, nil
	}
	all, err := s.Sources(ctx)
	if err != nil {
		return nil, err
	}
	for _, src := range all {
		if kindOK(src.Kind) {
			out = append(out, src)
		}
	}
	return out, nil
}

// writeSource writes one source and its selected records. The source
// line goes out before its first record, and not at all without one.
func writeSource(ctx context.Context, s peyvand.Store, enc *encoder, src peyvand.Source, opt Options) error {
	wrote := false
	return s.WalkRecords(ctx, peyvand.RecordFilter{SourceID: src.ID}, func(r peyvand.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var evs []peyvand.StatusEvent
		if err := s.WalkEvents(ctx, peyvand.EventFilter{RecordID: r.ID}, func(e peyvand.StatusEvent) error {
			evs = append(evs, e)
			return nil
		}); err != nil {
			return err
		}
		if !selected(r, evs, opt.Since) || !verifiedEnough(evs, opt.MinVerification) {
			return nil
		}
		if !wrote {
			wrote = true
			if err := enc.source(fromSource(src)); err != nil {
				return err
			}
		}
		return enc.record(fromRecord(src.Name, r, evs, opt.Rules))
	})
}

// verifiedEnough reports whether one of the events reaches min (any
// record does when min is unset).
func verifiedEnough(evs []peyvand.StatusEvent, min peyvand.Verification) bool {
	if min == "" {
		return true
	}
	for _, e := range evs {
		if e.Verification.Rank() >= min.Rank() {
			return true
		}
	}
	return false
}

func selected(r peyvand.Record, evs []peyvand.StatusEvent, since time.Time) bool {
	if since.IsZero() || !r.UpdatedAt.Before(since) {
		return true
	}
	for _, e := range evs {
		if !e.RecordedAt.Before(since) {
			return true
		}
	}
	return false
}
