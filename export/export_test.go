package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"peyvand"
	"peyvand/export"
	"peyvand/ingest"
	"peyvand/storetest"
)

var ctx = context.Background()

func newStore(t *testing.T) peyvand.Store { return storetest.NewSQLite(t) }

func load(t *testing.T, s peyvand.Store, files ...string) {
	t.Helper()
	for _, f := range files {
		if _, err := ingest.File(ctx, s, f, ingest.Options{Source: strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))}); err != nil {
			t.Fatal(err)
		}
	}
}

// view is what a round trip must keep of a record: everything a source
// said, keyed by source and the source's id, without the ids and times the
// registry gives.
type view struct {
	Record peyvand.Record
	Events []string
}

func snapshot(t *testing.T, s peyvand.Store, withEventText bool) map[string]view {
	t.Helper()
	srcs, _ := s.Sources(ctx)
	names := map[string]string{}
	for _, src := range srcs {
		names[src.ID] = src.Name
	}
	out := map[string]view{}
	err := s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		var evs []string
		err := s.WalkEvents(ctx, peyvand.EventFilter{RecordID: r.ID}, func(e peyvand.StatusEvent) error {
			k := strings.Join([]string{e.ExternalID, string(e.Status), e.Date.String(), e.Place, string(e.Verification), e.Evidence}, "|")
			if withEventText {
				k += "|" + e.Text + "|" + e.Reporter + "|" + e.Contact
			}
			evs = append(evs, k)
			return nil
		})
		sort.Strings(evs)
		key := names[r.SourceID] + "/" + r.ExternalID
		r.ID, r.SourceID, r.PersonID, r.AgeDate = "", "", "", peyvand.Date{}
		r.RecordedAt, r.UpdatedAt, r.AuditSeq = time.Time{}, time.Time{}, 0
		out[key] = view{r, evs}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func compare(t *testing.T, a, b map[string]view) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d records before, %d after", len(a), len(b))
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			t.Fatalf("record %s lost", k)
		}
		if va.Record != vb.Record {
			t.Errorf("record %s:\nbefore %+v\nafter  %+v", k, va.Record, vb.Record)
		}
		if strings.Join(va.Events, "\n") != strings.Join(vb.Events, "\n") {
			t.Errorf("events of %s:\nbefore %q\nafter  %q", k, va.Events, vb.Events)
		}
	}
}

func writeTemp(t *testing.T, name string, b []byte) string {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSVRoundTrip(t *testing.T) {
	for _, hxl := range []bool{false, true} {
		a := newStore(t)
		load(t, a, "../ingest/testdata/persian.csv", "../ingest/testdata/english.csv", "../ingest/testdata/semicolon.csv")
		var buf bytes.Buffer
		if err := export.CSV(ctx, a, &buf, export.Options{IncludeSealed: true, HXL: hxl}); err != nil {
			t.Fatal(err)
		}
		b := newStore(t)
		if _, err := ingest.File(ctx, b, writeTemp(t, "export.csv", buf.Bytes()), ingest.Options{}); err != nil {
			t.Fatalf("import the export (hxl %v): %v\n%s", hxl, err, buf.String())
		}
		compare(t, snapshot(t, a, false), snapshot(t, b, false))
	}
}

func TestPFIFRoundTrip(t *testing.T) {
	a := newStore(t)
	load(t, a, "../ingest/testdata/english.csv")
	rec := map[string]peyvand.Record{}
	a.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { rec[r.ExternalID] = r; return nil })
	// Statuses and levels PFIF has no words for travel on the extension line.
	if _, err := a.AddEvent(ctx, "test", peyvand.StatusEvent{RecordID: rec["A-1"].ID, Status: peyvand.StatusSentenced,
		Date: peyvand.Date{Year: 2026, Month: 2}, Verification: peyvand.Verified, Evidence: "court ruling",
		Text: "sentenced in Karaj", Reporter: "lawyer", Contact: "lawyer@example.org"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.PFIF(ctx, a, &buf, export.Options{IncludeSealed: true}); err != nil {
		t.Fatal(err)
	}
	b := newStore(t)
	if _, err := ingest.File(ctx, b, writeTemp(t, "english.xml", buf.Bytes()), ingest.Options{Source: "english"}); err != nil {
		t.Fatalf("import the export: %v\n%s", err, buf.String())
	}
	before, after := snapshot(t, a, true), snapshot(t, b, true)
	// PFIF has no father's name, national id or evidence field.
	for k, v := range before {
		v.Record.FatherName, v.Record.NationalID, v.Record.NationalIDValid = "", "", false
		for i := range v.Events {
			v.Events[i] = strings.Replace(v.Events[i], "|court ruling|", "||", 1)
		}
		before[k] = v
	}
	compare(t, before, after)
}

func TestJSON(t *testing.T) {
	a := newStore(t)
	load(t, a, "../ingest/testdata/persian.csv")
	var buf bytes.Buffer
	if err := export.JSON(ctx, a, &buf, export.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format  string `json:"format"`
		Sources []struct{ Name string }
		Records []struct {
			RecordID string `json:"record_id"`
			Notes    string `json:"notes"`
			Events   []struct{ Status string }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if doc.Format != "peyvand-export" || len(doc.Sources) != 1 || len(doc.Records) != 3 || doc.Records[0].Events[0].Status != "killed" {
		t.Fatalf("document = %+v", doc)
	}
	if strings.Contains(buf.String(), "در خیابان") || doc.Records[0].Notes != "" {
		t.Fatal("sealed notes exported without --include-sealed")
	}
}

func TestSealedStayOut(t *testing.T) {
	a := newStore(t)
	load(t, a, "../ingest/testdata/persian.csv")
	for name, fn := range map[string]func(context.Context, peyvand.Store, *bytes.Buffer, export.Options) error{
		"csv": func(c context.Context, s peyvand.Store, b *bytes.Buffer, o export.Options) error {
			return export.CSV(c, s, b, o)
		},
		"pfif": func(c context.Context, s peyvand.Store, b *bytes.Buffer, o export.Options) error {
			return export.PFIF(c, s, b, o)
		},
	} {
		var buf bytes.Buffer
		if err := fn(ctx, a, &buf, export.Options{}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "عظیمیه") {
			t.Errorf("%s export holds sealed notes", name)
		}
	}
}
