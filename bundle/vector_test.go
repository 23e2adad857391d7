package bundle

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"peyvand"
)

var update = flag.Bool("update", false, "rewrite the test vector under testdata (the encrypted file changes: commit it)")

// The test vector: alice (Ed25519 seed 32×0xa1) sends bob (age key
// bobAge) one source with two records. vector-v1.txt is the plaintext,
// which is deterministic (Ed25519 signatures are); vector-v1.bundle is
// the same encrypted to bob, made once (age encryption is randomised).
const (
	vectorPlain  = "testdata/vector-v1.txt"
	vectorBundle = "testdata/vector-v1.bundle"
)

var vectorMade = time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)

func vectorPlaintext(t *testing.T) []byte {
	var buf bytes.Buffer
	h := Header{Format: Format, Version: Version, ID: "000102030405060708090a0b0c0d0e0f", Created: vectorMade,
		Expires: vectorMade.Add(DefaultExpiry), Sender: alice(t).Public().String(), Recipient: bob(t).Public().Recipient,
		Rules: Rules{Texts: true}}
	enc, err := newEncoder(&buf, h, alice(t), true)
	if err != nil {
		t.Fatal(err)
	}
	src := peyvand.Source{Name: "hrana-2026-01", Kind: peyvand.SourceList, Organisation: "HRANA", Independent: true, ReceivedAt: vectorMade}
	if err := enc.source(fromSource(src)); err != nil {
		t.Fatal(err)
	}
	for i, row := range sampleRows() {
		r := row.Record
		r.ID, r.PersonID, r.Revision = "rec_"+string(rune('a'+i)), "per_"+string(rune('a'+i)), 1
		r.RecordedAt, r.UpdatedAt = vectorMade, vectorMade
		var evs []peyvand.StatusEvent
		for j, e := range row.Events {
			e.ID, e.RecordID, e.RecordedAt = "evt_"+string(rune('a'+i))+string(rune('0'+j)), r.ID, vectorMade
			if i == 0 {
				e.ExternalID = "note-1"
			}
			if e.Verification == "" {
				e.Verification = peyvand.Reported
			}
			evs = append(evs, e)
		}
		if err := enc.record(fromRecord(src.Name, r, evs, h.Rules)); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVector(t *testing.T) {
	plain := vectorPlaintext(t)
	if *update {
		var enc bytes.Buffer
		aw, err := age.Encrypt(&enc, bob(t).AgeIdentity().(*age.X25519Identity).Recipient())
		if err != nil {
			t.Fatal(err)
		}
		aw.Write(plain)
		aw.Close()
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(vectorPlain, plain, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(vectorBundle, enc.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(vectorPlain)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, want) {
		t.Fatalf("the encoder no longer writes %s: the format changed (run with -update only for a new version)", vectorPlain)
	}
	if n := int64(len(plain)); n != padme(n) {
		t.Errorf("plaintext of %d bytes is not padded", n)
	}

	f, err := os.Open(vectorBundle)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := NewReader(f, bob(t), peersOf(t, alice(t)), vectorMade.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if h := rd.Header(); h.ID != "000102030405060708090a0b0c0d0e0f" || !h.Created.Equal(vectorMade) || !h.Rules.Texts || rd.Peer().Name != "alice" {
		t.Fatalf("header: %+v", h)
	}
	var items []Item
	for {
		it, err := rd.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	if len(items) != 4 || items[0].Source == nil || items[0].Source.Name != "hrana-2026-01" {
		t.Fatalf("items: %+v", items)
	}
	r := items[1].Record
	if r.FullName != "محمدرضا حسینی" || r.Notes != "seen at Evin" || r.Contact != "" || r.Reporter != "" ||
		len(r.Events) != 1 || r.Events[0].Key() != "note-1" || r.Events[0].Text != "told by his cousin" {
		t.Fatalf("record 1: %+v", r)
	}
	if e := items[2].Record.Events[0]; e.Key() != "b:"+e.CID || e.Verification != "corroborated" {
		t.Fatalf("record 2's event: %+v", e)
	}

	// The vector imports, and again changes nothing.
	s := newStore(t, 3)
	for i, want := range []bool{true, false} {
		f.Seek(0, io.SeekStart)
		sum, err := Apply(ctx, s, f, bob(t), peersOf(t, alice(t)), ApplyOptions{File: filepath.Base(vectorBundle),
			Now: func() time.Time { return vectorMade.Add(time.Hour) }})
		if err != nil || sum.Applied != want {
			t.Fatalf("import %d: %+v %v", i+1, sum, err)
		}
	}
	// An expired vector is refused.
	f.Seek(0, io.SeekStart)
	if _, err := NewReader(f, bob(t), peersOf(t, alice(t)), vectorMade.Add(DefaultExpiry)); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("expired vector: %v", err)
	}
}
