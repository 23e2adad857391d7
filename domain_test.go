package peyvand_test

import (
	"strings"
	"testing"
	"time"

	"peyvand"
)

func TestDate(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  peyvand.Date
		valid bool
	}{
		{"2026-01-08", peyvand.Date{Year: 2026, Month: 1, Day: 8}, true},
		{"2026-01", peyvand.Date{Year: 2026, Month: 1}, true},
		{"2026", peyvand.Date{Year: 2026}, true},
		{"", peyvand.Date{}, true},
		{"2026-02-30", peyvand.Date{}, false},
		{"2026-1-8", peyvand.Date{}, false},
		{"08.01.2026", peyvand.Date{}, false},
	} {
		got, err := peyvand.ParseISODate(tc.in)
		if (err == nil) != tc.valid || got != tc.want {
			t.Errorf("ParseISODate(%q) = %v, %v", tc.in, got, err)
		}
		if tc.valid && got.String() != tc.in {
			t.Errorf("%q round-trips as %q", tc.in, got.String())
		}
	}
	a, b := peyvand.Date{Year: 2026, Month: 1}, peyvand.Date{Year: 2026, Month: 1, Day: 8}
	if a.Compare(b) >= 0 || b.Compare(a) <= 0 || a.Compare(a) != 0 || (peyvand.Date{}).Compare(a) >= 0 {
		t.Fatal("Compare does not order partial dates by their first day")
	}
}

func TestCurrentStatus(t *testing.T) {
	at := func(d int) time.Time { return time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC) }
	day := func(d int) peyvand.Date { return peyvand.Date{Year: 2026, Month: 1, Day: d} }
	ev := func(id string, s peyvand.Status, d peyvand.Date, v peyvand.Verification, rec int, sup string) peyvand.StatusEvent {
		return peyvand.StatusEvent{ID: id, Status: s, Date: d, Verification: v, RecordedAt: at(rec), Supersedes: sup}
	}
	for _, tc := range []struct {
		name   string
		events []peyvand.StatusEvent
		want   string
	}{
		{"latest event date wins", []peyvand.StatusEvent{
			ev("a", peyvand.StatusKilled, day(10), peyvand.Reported, 1, ""),
			ev("b", peyvand.StatusDetained, day(5), peyvand.Verified, 2, "")}, "a"},
		{"a correction replaces the event it supersedes", []peyvand.StatusEvent{
			ev("a", peyvand.StatusKilled, day(10), peyvand.Reported, 1, ""),
			ev("b", peyvand.StatusDetained, day(5), peyvand.Reported, 2, ""),
			ev("c", peyvand.StatusInjured, day(10), peyvand.Verified, 3, "a")}, "c"},
		{"same day: the better verified", []peyvand.StatusEvent{
			ev("a", peyvand.StatusKilled, day(10), peyvand.Verified, 1, ""),
			ev("b", peyvand.StatusSafe, day(10), peyvand.Reported, 2, "")}, "a"},
		{"unknown does not hide a known status", []peyvand.StatusEvent{
			ev("a", peyvand.StatusDetained, day(3), peyvand.Reported, 1, ""),
			ev("b", peyvand.StatusUnknown, day(20), peyvand.Reported, 2, "")}, "a"},
		{"an undated event counts from when it was recorded", []peyvand.StatusEvent{
			ev("a", peyvand.StatusDetained, day(3), peyvand.Reported, 1, ""),
			ev("b", peyvand.StatusReleased, peyvand.Date{}, peyvand.Reported, 2, "")}, "b"},
	} {
		got, ok := peyvand.CurrentStatus(tc.events)
		if !ok || got.ID != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got.ID, tc.want)
		}
	}
	if _, ok := peyvand.CurrentStatus(nil); ok {
		t.Error("no events gave a status")
	}
}

func TestInquiryCode(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		c := peyvand.NewInquiryCode()
		if len(c) != 24 || strings.Count(c, "-") != 4 || seen[c] {
			t.Fatalf("code %q: wrong form or repeated", c)
		}
		seen[c] = true
		norm, ok := peyvand.NormalizeInquiryCode(strings.ToLower(strings.ReplaceAll(c, "-", " ")))
		if !ok || norm != strings.ReplaceAll(c, "-", "") {
			t.Fatalf("code %q normalises to %q, %v", c, norm, ok)
		}
	}
	// Read over a phone: O for 0, I or L for 1, Persian digits.
	if a, _ := peyvand.NormalizeInquiryCode("O1II-ABCD-EFGH-JKMN-PQRS"); a != "0111ABCDEFGHJKMNPQRS" {
		t.Fatalf("got %q", a)
	}
	if a, _ := peyvand.NormalizeInquiryCode("۰۱۲۳-ABCD-EFGH-JKMN-PQRS"); a != "0123ABCDEFGHJKMNPQRS" {
		t.Fatalf("Persian digits: got %q", a)
	}
	for _, bad := range []string{"", "ABC", "UUUU-ABCD-EFGH-JKMN-PQRS", "0123-ABCD-EFGH-JKMN-PQRS-0"} {
		if _, ok := peyvand.NormalizeInquiryCode(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestErrors(t *testing.T) {
	err := peyvand.Errorf(peyvand.ENOTFOUND, "record %q not found", "x")
	wrapped := &wrap{err}
	if peyvand.ErrorCode(wrapped) != peyvand.ENOTFOUND || peyvand.ErrorMessage(wrapped) != `record "x" not found` {
		t.Fatal("codes do not survive wrapping")
	}
	if peyvand.ErrorCode(errString("boom")) != peyvand.EINTERNAL || peyvand.ErrorMessage(errString("boom")) != "internal error" {
		t.Fatal("other errors must be internal and say nothing")
	}
	if peyvand.ErrorCode(nil) != "" {
		t.Fatal("nil has a code")
	}
}

type wrap struct{ err error }

func (w *wrap) Error() string { return "context: " + w.err.Error() }
func (w *wrap) Unwrap() error { return w.err }

type errString string

func (e errString) Error() string { return string(e) }

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	b := peyvand.NewIDBatch()
	prev := ""
	for i := 0; i < 5000; i++ {
		id := b.Next("rec")
		if !strings.HasPrefix(id, "rec_") || len(id) != 4+26 || seen[id] || id <= prev {
			t.Fatalf("id %d %q after %q: wrong form, repeated or out of order", i, id, prev)
		}
		seen[id], prev = true, id
	}
	other := peyvand.NewIDBatch().Next("rec")
	if other[:12] == prev[:12] {
		t.Fatalf("two batches share a prefix: %q %q", other, prev)
	}
	if a, c := peyvand.NewID("per"), peyvand.NewID("per"); a == c || len(a) != 4+26 {
		t.Fatalf("NewID: %q %q", a, c)
	}
}
