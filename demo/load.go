package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"peyvand"
)

// Actor is the name the demo's changes carry in the audit chain.
const Actor = "demo"

// Summary counts what Load did.
type Summary struct {
	Sources            int // sources imported
	Created, Updated   int // records
	Unchanged          int // records already there
	Events             int // new status events
	Inquiries          int // inquiries created
	InquiriesUnchanged int // inquiries already there
}

// Load puts a data set into a store: each source in one import, then the
// inquiries. Loading the same data set again changes nothing, since imports
// are keyed by the sources' record ids and an inquiry whose code already
// opens one is skipped, so a demo server can load at every start.
func Load(ctx context.Context, s peyvand.Store, d Dataset) (Summary, error) {
	var sum Summary
	for _, sr := range d.Sources {
		is, err := loadSource(ctx, s, sr)
		if err != nil {
			return sum, fmt.Errorf("load demo source %s: %w", sr.Source.Name, err)
		}
		sum.Sources++
		sum.Created += is.Created
		sum.Updated += is.Updated
		sum.Unchanged += is.Unchanged
		sum.Events += is.Events
	}
	for i, spec := range d.Inquiries {
		_, err := s.InquiryByCode(ctx, spec.Code)
		switch {
		case err == nil:
			sum.InquiriesUnchanged++
			continue
		case peyvand.ErrorCode(err) != peyvand.ENOTFOUND:
			return sum, fmt.Errorf("load demo inquiry %d: %w", i+1, err)
		}
		if _, err := s.CreateInquiry(ctx, Actor, spec.Inquiry, spec.Record, spec.Code); err != nil {
			return sum, fmt.Errorf("load demo inquiry %d: %w", i+1, err)
		}
		sum.Inquiries++
	}
	return sum, nil
}

func loadSource(ctx context.Context, s peyvand.Store, sr SourceRows) (peyvand.ImportSummary, error) {
	digest, err := rowsDigest(sr.Rows)
	if err != nil {
		return peyvand.ImportSummary{}, err
	}
	tx, err := s.BeginImport(ctx, Actor, peyvand.ImportMeta{File: sr.Source.Name, SHA256: digest, Format: "demo"})
	if err != nil {
		return peyvand.ImportSummary{}, err
	}
	src, err := tx.Source(ctx, sr.Source)
	if err != nil {
		tx.Rollback()
		return peyvand.ImportSummary{}, err
	}
	for _, row := range sr.Rows {
		row.Record.SourceID = src.ID
		if _, err := tx.Put(ctx, row); err != nil {
			tx.Rollback()
			return peyvand.ImportSummary{}, fmt.Errorf("line %d (%s): %w", row.Line, row.Record.ExternalID, err)
		}
	}
	return tx.Commit(ctx)
}

// rowsDigest stands in for the digest of an imported file: the audit chain
// then names exactly which demo rows were loaded.
func rowsDigest(rows []peyvand.ImportRow) (string, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("digest demo rows: %w", err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}
