package sms

import (
	"context"
	"errors"
	"strings"
	"testing"

	"peyvand"
	"peyvand/storetest"
)

func TestReadTexts(t *testing.T) {
	a := mustEncode(t, latinReport(), testKey())
	b := mustEncode(t, persianReport(), testKey())
	for _, tc := range []struct {
		name string
		file string
		want []Text
	}{
		{"one per line", a + "\n" + b + "\n", []Text{{1, a}, {2, b}}},
		{"blocks", "# from Leyla's phone\n\n" + a + "\n\n\n" + b, []Text{{3, a}, {6, b}}},
		{"wrapped over lines", a[:60] + "\n" + a[60:120] + "\n" + a[120:] + "\n" + b[:100] + "\n" + b[100:] + "\n",
			[]Text{{1, a[:60] + " " + a[60:120] + " " + a[120:]}, {4, b[:100] + " " + b[100:]}}},
		{"grouped", Group(a, 5) + "\n\n" + strings.ToLower(Group(b, 4)) + "\r\n", []Text{{1, Group(a, 5)}, {3, strings.ToLower(Group(b, 4))}}},
		{"other lines stand alone", "From: +98 912 000 0000\n" + a + "\nok, sent\n" + b, []Text{{1, "From: +98 912 000 0000"}, {2, a}, {3, "ok, sent"}, {4, b}}},
		{"a broken text ends at a blank line", a[:50] + "\n\n" + b, []Text{{1, a[:50]}, {3, b}}},
	} {
		got, err := ReadTexts(strings.NewReader(tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %d texts %+v, want %d", tc.name, len(got), got, len(tc.want))
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: text %d is %+v, want %+v", tc.name, i, got[i], tc.want[i])
			}
		}
	}
	if _, err := ReadTexts(strings.NewReader(strings.Repeat("A", 3*maxInputBytes))); err == nil {
		t.Error("a line of 6 KB was read")
	}
}

// TestImportOnce imports the same reports twice, and forwarded copies of
// them written differently, into a real store: one record and one event
// each.
func TestImportOnce(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	a := mustEncode(t, latinReport(), testKey())
	b := mustEncode(t, persianReport(), testKey())
	texts := []Text{{1, a}, {2, Group(b, 5)}, {3, strings.ToLower(Group(a, 4))}} // a forwarded twice
	opt := ImportOptions{Actor: "test", Source: "sms-witnesses", File: "texts.txt"}
	res, err := Import(ctx, s, texts, testKeys().Lookup, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Unchanged != 1 || res.Events != 2 || res.Texts != 3 {
		t.Fatalf("first import: %+v", res)
	}
	res, err = Import(ctx, s, texts[1:], testKeys().Lookup, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Unchanged != 2 || res.Events != 0 {
		t.Fatalf("second import: %+v", res)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 2 || st.Events != 2 {
		t.Fatalf("stats %+v", st)
	}
	var recs []peyvand.Record
	s.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { recs = append(recs, r); return nil })
	for _, r := range recs {
		if strings.Contains(r.ExternalID, "T3ST01") || !strings.HasPrefix(r.ExternalID, "sms:") {
			t.Errorf("record id %q names the sender", r.ExternalID)
		}
		if r.GivenName != "Mohammad" && r.GivenName != "محمدرضا" || r.City == "" {
			t.Errorf("record %+v", r)
		}
	}
	var evs []peyvand.StatusEvent
	s.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error { evs = append(evs, e); return nil })
	for _, e := range evs {
		if e.Status != peyvand.StatusDetained && e.Status != peyvand.StatusKilled || e.Date != (peyvand.Date{Year: 2026, Month: 1, Day: 9}) {
			t.Errorf("event %+v", e)
		}
	}
	if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
		t.Fatalf("audit: %v %v", rep.Problems, err)
	}
}

// TestImportAllOrNothing: a bad text stops the import and names its line,
// and nothing is stored; with SkipInvalid the good ones are.
func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := storetest.NewSQLite(t)
	a := mustEncode(t, latinReport(), testKey())
	forged := mustEncode(t, persianReport(), otherKey())
	texts := []Text{{1, a}, {4, forged}, {5, a[:100] + "Q" + a[101:]}}
	opt := ImportOptions{Actor: "test", Source: "sms", File: "texts.txt"}
	_, err := Import(ctx, s, texts, testKeys().Lookup, opt)
	var te *TextError
	if !errors.As(err, &te) || te.Line != 4 || !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "texts.txt line 4") {
		t.Fatalf("got %v", err)
	}
	if st, _ := s.Stats(ctx); st.Records != 0 {
		t.Fatalf("%d records after a failed import", st.Records)
	}
	var rejected []int
	opt.SkipInvalid = true
	opt.Rejected = func(e *TextError) { rejected = append(rejected, e.Line) }
	res, err := Import(ctx, s, texts, testKeys().Lookup, opt)
	if err != nil || res.Created != 1 || res.Rejected != 2 || len(rejected) != 2 || rejected[1] != 5 {
		t.Fatalf("skip invalid: %+v %v %v", res, rejected, err)
	}
}

func TestToRow(t *testing.T) {
	r, err := Decode(mustEncode(t, persianReport(), testKey()), testKeys().Lookup)
	if err != nil {
		t.Fatal(err)
	}
	row := ToRow(r)
	rec, e := row.Record, row.Events[0]
	if rec.ExternalID != r.ID || e.ExternalID != r.ID || rec.FatherName != "علی" || rec.Age != 19 ||
		rec.AgeDate != r.Date || rec.Gender != peyvand.GenderMale || e.Place != "زاهدان" || e.Verification != peyvand.Reported {
		t.Fatalf("%+v", row)
	}
	if !strings.Contains(rec.Reporter, "T3ST01") || !strings.Contains(rec.Reporter, "38") {
		t.Errorf("reporter %q: the sender and number are kept, sealed", rec.Reporter)
	}
	if err := rec.Validate(); err != nil {
		t.Error(err)
	}
}
