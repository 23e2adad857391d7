package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"peyvand"
)

// InquirySource is the name of the source that holds families' inquiries.
const InquirySource = "family-inquiries"

// CreateInquiry stores an inquiry and the record describing the person
// sought. Only a keyed hash of the code is stored.
func (s *Store) CreateInquiry(ctx context.Context, actor string, in peyvand.Inquiry, r peyvand.Record, code string) (peyvand.Inquiry, error) {
	norm, ok := peyvand.NormalizeInquiryCode(code)
	if !ok {
		return in, peyvand.Errorf(peyvand.EINVALID, "inquiry code is malformed")
	}
	if len(in.Relationship) > 200 || len(in.Contact) > 4096 {
		return in, peyvand.Errorf(peyvand.EINVALID, "relationship or contact is too long")
	}
	err := s.change(ctx, actor, func(w *writer) error {
		in.ID = w.ids.Next("inq")
		w.describe("inquiry.create", "inquiry:"+in.ID, map[string]any{})
		src, err := w.ensureSource(ctx, peyvand.Source{Name: InquirySource, Kind: peyvand.SourceInquiry,
			Organisation: "families", Independent: true})
		if err != nil {
			return err
		}
		r.SourceID, r.ExternalID = src.ID, in.ID
		if err := r.Validate(); err != nil {
			return err
		}
		t := &importTx{w: w, known: map[string]map[string]*knownRecord{src.ID: {}}}
		k, err := t.create(ctx, r, s.recordDigest(r), 0)
		if err != nil {
			return err
		}
		in.RecordID, in.CreatedAt = k.id, w.at
		if in.State == "" {
			in.State = peyvand.InquiryOpen
		}
		w.detail["record"] = k.id
		return w.write(ctx, "inquiries", s.inquiryValues(in, s.keys.Lookup("inquiry code v1 "+norm)), insertRow, 0)
	})
	return in, err
}

// InquiryByCode finds an inquiry by its code. A malformed code is looked
// up like any other, so that the answer and its timing say nothing about
// why a code was not found.
func (s *Store) InquiryByCode(ctx context.Context, code string) (peyvand.Inquiry, error) {
	norm, _ := peyvand.NormalizeInquiryCode(code)
	// A code registered before a key rotation is stored under the lookup
	// key of its day, which the key file keeps: the code itself is not
	// stored, so its digest cannot be recomputed (docs/KEYS.md).
	hashes := s.keys.Lookups("inquiry code v1 " + norm)
	args := make([]any, len(hashes))
	for i, h := range hashes {
		args[i] = h
	}
	var in peyvand.Inquiry
	var state, contact string
	var created int64
	err := s.queryRow(ctx, `SELECT id, record_id, relationship, contact_sealed, state, created_at
		FROM inquiries WHERE code_hash IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...).Scan(&in.ID, &in.RecordID, &in.Relationship, &contact, &state, &created)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && norm == "") {
		return peyvand.Inquiry{}, peyvand.Errorf(peyvand.ENOTFOUND, "no inquiry has this code")
	} else if err != nil {
		return peyvand.Inquiry{}, fmt.Errorf("look up inquiry: %w", err)
	}
	in.State, in.CreatedAt = peyvand.InquiryState(state), fromMicro(created)
	o := opener{k: s.keys, table: "inquiries", id: in.ID}
	in.Contact = o.open("contact", contact)
	return in, o.err
}
