package demo

import (
	"context"
	"path/filepath"
	"testing"

	"peyvand/sqlite"
	"peyvand/storetest"
)

func TestLoad(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), storetest.TestKeys(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	d := Generate(Options{Seed: 1})
	rows := 0
	for _, sr := range d.Sources {
		rows += len(sr.Rows)
	}

	sum, err := Load(ctx, s, d)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sources != len(d.Sources) || sum.Created != rows || sum.Inquiries != len(d.Inquiries) || sum.Events < rows {
		t.Errorf("first load: %+v; want %d sources, %d records, %d inquiries", sum, len(d.Sources), rows, len(d.Inquiries))
	}
	before, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The inquiries' records live in the store's own inquiries source.
	if before.Sources != len(d.Sources)+1 || before.Records != rows+len(d.Inquiries) || before.Inquiries != len(d.Inquiries) {
		t.Errorf("stats after load: %+v", before)
	}
	for _, in := range d.Inquiries {
		got, err := s.InquiryByCode(ctx, in.Code)
		if err != nil || got.Contact != in.Inquiry.Contact {
			t.Errorf("inquiry %s: %+v, %v", in.Code, got, err)
		}
	}

	sum, err = Load(ctx, s, d)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 0 || sum.Updated != 0 || sum.Events != 0 || sum.Inquiries != 0 ||
		sum.Unchanged != rows || sum.InquiriesUnchanged != len(d.Inquiries) {
		t.Errorf("second load changed something: %+v", sum)
	}
	after, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("stats changed on second load: %+v, then %+v", before, after)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("audit: %v", rep.Problems)
	}
}
