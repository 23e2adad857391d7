package bundle

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"peyvand"
	"peyvand/identity"
)

// TestTwoInstances carries a bundle from instance A to instance B: it is
// imported once, changes nothing the second time, and arrives the same in
// pieces joined out of order.
func TestTwoInstances(t *testing.T) {
	a, b := newStore(t, 1), newStore(t, 2)
	fill(t, a, "hrana-2026-01", peyvand.SourceList, sampleRows())
	fill(t, a, "families", peyvand.SourceInquiry, sampleRows()[:1])
	data := export(t, a, alice(t), bob(t), Options{})

	apply := func(data []byte) (Summary, error) {
		return Apply(ctx, b, bytes.NewReader(data), bob(t), peersOf(t, alice(t)), ApplyOptions{File: "x.bundle"})
	}
	sum, err := apply(data)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Applied || sum.Created != 3 || sum.Events != 2 || sum.Peer != "alice" ||
		len(sum.Sources) != 1 || sum.Sources[0] != "alice/hrana-2026-01" {
		t.Fatalf("first import: %+v", sum)
	}
	src, err := b.SourceByName(ctx, "alice/hrana-2026-01")
	if err != nil || src.Kind != peyvand.SourceList || src.Organisation != "Org hrana-2026-01" || !src.Independent {
		t.Fatalf("source: %+v %v", src, err)
	}
	// Sealed fields stayed home; the rest arrived.
	var got []peyvand.Record
	b.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error { got = append(got, r); return nil })
	if len(got) != 3 || got[0].FullName != "محمدرضا حسینی" || got[0].NationalID != "0012345679" || got[0].BirthYear != 1996 ||
		got[0].Contact != "" || got[0].Reporter != "" || got[0].Notes != "" || got[1].AgeDate != (peyvand.Date{Year: 2026, Month: 1}) {
		t.Fatalf("records: %+v", got)
	}
	b.WalkEvents(ctx, peyvand.EventFilter{}, func(e peyvand.StatusEvent) error {
		if e.Text != "" || e.Reporter != "" || e.Contact != "" || e.ExternalID == "" {
			t.Errorf("event carries sealed fields or no id: %+v", e)
		}
		return nil
	})

	before := dump(t, b)
	sum, err = apply(data)
	if err != nil || sum.Applied || sum.Created != 0 {
		t.Fatalf("second import: %+v %v", sum, err)
	}
	if after := dump(t, b); after != before {
		t.Fatalf("the second import changed the store:\nbefore\n%s\nafter\n%s", before, after)
	}

	// A new bundle of the same records (new id, new encryption) changes
	// nothing either; one with a new event adds just the event.
	if sum, err := apply(export(t, a, alice(t), bob(t), Options{})); err != nil || sum.Applied {
		t.Fatalf("overlapping bundle: %+v %v", sum, err)
	}
	var rec peyvand.Record
	a.WalkRecords(ctx, peyvand.RecordFilter{}, func(r peyvand.Record) error {
		if r.ExternalID == "A-3" {
			rec = r
		}
		return nil
	})
	since := time.Now()
	if _, err := a.AddEvent(ctx, "test", peyvand.StatusEvent{RecordID: rec.ID, Status: peyvand.StatusReleased}); err != nil {
		t.Fatal(err)
	}
	incr := export(t, a, alice(t), bob(t), Options{Since: since})
	sum, err = apply(incr)
	if err != nil || !sum.Applied || sum.Records != 1 || sum.ImportSummary.Events != 1 || sum.Unchanged != 1 {
		t.Fatalf("incremental bundle: %+v %v", sum, err)
	}
	before = dump(t, b)
	// Out of order: the old full bundle after the newer one changes nothing.
	if sum, err := apply(data); err != nil || sum.Applied {
		t.Fatalf("old bundle again: %+v %v", sum, err)
	}

	// Split into small pieces, joined out of order.
	var pieces [][]byte
	n, err := Split(bytes.NewReader(data), 700, func(i, n int) (io.WriteCloser, error) {
		pieces = append(pieces, nil)
		return &sliceWriter{p: &pieces[i-1]}, nil
	})
	if err != nil || n < 3 {
		t.Fatalf("split: %d %v", n, err)
	}
	var in []Piece
	for _, i := range rand.Perm(n) {
		if len(pieces[i]) > 700 {
			t.Fatalf("piece %d has %d bytes", i+1, len(pieces[i]))
		}
		in = append(in, Piece{Name: string(rune('a' + i)), R: bytes.NewReader(pieces[i])})
	}
	var joined bytes.Buffer
	if err := Join(&joined, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(joined.Bytes(), data) {
		t.Fatal("joined pieces differ from the bundle")
	}
	if sum, err := apply(joined.Bytes()); err != nil || sum.Applied {
		t.Fatalf("joined bundle: %+v %v", sum, err)
	}
	if after := dump(t, b); after != before {
		t.Fatal("re-imports changed the store")
	}
}

type sliceWriter struct{ p *[]byte }

func (w *sliceWriter) Write(b []byte) (int, error) { *w.p = append(*w.p, b...); return len(b), nil }
func (w *sliceWriter) Close() error                { return nil }

// TestRejected: every bundle that must be refused is refused with a clear
// error and leaves the store exactly as it was.
func TestRejected(t *testing.T) {
	a := newStore(t, 1)
	fill(t, a, "list", peyvand.SourceList, sampleRows())
	fill(t, a, "witnesses", peyvand.SourceWitness, sampleRows()[1:2])
	good := export(t, a, alice(t), bob(t), Options{})
	mallory := testIdentity(t, "mallory", 0xee, aliceAge)

	flip := func(i int) []byte {
		d := bytes.Clone(good)
		d[i] ^= 0x01
		return d
	}
	limited := func(spec string) *identity.Peers {
		ps, err := identity.ParsePeers("peers.txt", strings.NewReader(alice(t).Public().String()+" "+spec+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		return ps
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		me    *identity.Identity
		peers *identity.Peers
		now   time.Time
		code  string
		want  string
	}{
		{"truncated", good[:len(good)-100], nil, nil, time.Time{}, peyvand.EINTEGRITY, "damaged, truncated or was tampered"},
		{"truncated to header", good[:200], nil, nil, time.Time{}, peyvand.EINTEGRITY, "truncated"},
		{"empty", nil, nil, nil, time.Time{}, peyvand.EINVALID, "not a bundle"},
		{"wrong recipient", export(t, a, alice(t), alice(t), Options{}), nil, nil, time.Time{}, peyvand.EUNAUTHORIZED, "not encrypted to this instance"},
		{"unknown sender", export(t, a, mallory, bob(t), Options{}), nil, nil, time.Time{}, peyvand.EUNAUTHORIZED, "not in the trusted peers file"},
		{"expired", good, nil, nil, time.Now().Add(DefaultExpiry + time.Hour), peyvand.EINVALID, "expired"},
		{"kind not allowed", good, nil, limited("kinds=list events=yes"), time.Time{}, peyvand.EFORBIDDEN, "may not send records of witness sources"},
		{"events not allowed", good, nil, limited("kinds=list,witness events=no"), time.Time{}, peyvand.EFORBIDDEN, "may not send status events"},
		{"forwarded", forwarded(t), alice(t), nil, time.Time{}, peyvand.EUNAUTHORIZED, "made for another instance"},
		{"edited and re-encrypted", reencrypted(t, good, func(p string) string { return strings.Replace(p, "Shirin", "Shirim", 1) }),
			nil, nil, time.Time{}, peyvand.EINTEGRITY, "content id does not match"},
		{"padding edited and re-encrypted", reencrypted(t, good, func(p string) string { return strings.Replace(p, `"pad":"0`, `"pad":"1`, 1) }),
			nil, nil, time.Time{}, peyvand.EINTEGRITY, "signature does not match"},
		{"line removed and re-encrypted", reencrypted(t, good, func(p string) string {
			lines := strings.SplitAfter(p, "\n")
			return strings.Join(append(lines[:2:2], lines[3:]...), "")
		}), nil, nil, time.Time{}, peyvand.EINTEGRITY, "items are missing"},
		{"not a bundle", []byte("hello\n"), nil, nil, time.Time{}, peyvand.EINVALID, "not a bundle"},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			b := newStore(t, 2)
			fill(t, b, "local", peyvand.SourceList, sampleRows()[:1])
			before := dump(t, b)
			me, peers, now := tc.me, tc.peers, tc.now
			if me == nil {
				me = bob(t)
			}
			if peers == nil {
				peers = peersOf(t, alice(t))
			}
			if now.IsZero() {
				now = time.Now()
			}
			_, err := Apply(ctx, b, bytes.NewReader(tc.data), me, peers, ApplyOptions{Now: func() time.Time { return now }})
			if peyvand.ErrorCode(err) != tc.code || !strings.Contains(peyvand.ErrorMessage(err), tc.want) {
				t.Fatalf("error %v (code %s), want code %s and %q", err, peyvand.ErrorCode(err), tc.code, tc.want)
			}
			if after := dump(t, b); after != before {
				t.Fatal("a refused bundle changed the store")
			}
		})
	}

	// Flip any one byte: every position is refused (sampled to keep the
	// test fast; the header, the stanza, the MAC and the payload all
	// fall in the sample).
	b := newStore(t, 2)
	before := dump(t, b)
	step := len(good) / 150
	for i := 0; i < len(good); i += 1 + (i*7)%step {
		_, err := Apply(ctx, b, bytes.NewReader(flip(i)), bob(t), peersOf(t, alice(t)), ApplyOptions{})
		if err == nil {
			t.Fatalf("flipping byte %d of %d: accepted", i, len(good))
		}
		if c := peyvand.ErrorCode(err); c == peyvand.EINTERNAL {
			t.Fatalf("flipping byte %d: unclear error %v", i, err)
		}
	}
	if after := dump(t, b); after != before {
		t.Fatal("tampered bundles changed the store")
	}
}

// forwarded is a bundle alice signed for bob, which bob re-encrypted to
// alice (as he would to a third instance).
func forwarded(t *testing.T) []byte {
	var buf bytes.Buffer
	aw, err := age.Encrypt(&buf, alice(t).AgeIdentity().(*age.X25519Identity).Recipient())
	if err != nil {
		t.Fatal(err)
	}
	h := Header{Format: Format, Version: Version, ID: strings.Repeat("ab", 16), Created: time.Now().UTC(),
		Expires: time.Now().Add(time.Hour).UTC(), Sender: alice(t).Public().String(), Recipient: bob(t).Public().Recipient}
	enc, err := newEncoder(aw, h, alice(t), true)
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.close(); err != nil {
		t.Fatal(err)
	}
	aw.Close()
	return buf.Bytes()
}

// reencrypted decrypts a bundle for bob, edits its plaintext and encrypts
// it to bob again, as anyone who knows bob's public key can.
func reencrypted(t *testing.T, data []byte, edit func(string) string) []byte {
	r, err := age.Decrypt(bytes.NewReader(data), bob(t).AgeIdentity())
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(plain))
	if edited == string(plain) {
		t.Fatal("edit changed nothing")
	}
	var buf bytes.Buffer
	aw, _ := age.Encrypt(&buf, bob(t).AgeIdentity().(*age.X25519Identity).Recipient())
	io.WriteString(aw, edited)
	aw.Close()
	return buf.Bytes()
}
