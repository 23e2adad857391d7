// Package audit computes and checks the registry's hash chain: every
// transaction is an entry that names who did what and how many rows of each
// table it wrote, chained to the entry before it; every row carries the
// entry's number and a keyed MAC of its content.
//
// The chain is keyed (HMAC-SHA256 with a key kept outside the database), so
// someone who can write to a stolen or seized database cannot recompute it
// after editing, inserting or deleting rows. A keyed "head" seal over the
// last entry catches deletions at the end of the chain. What a keyed chain
// cannot catch is the whole database rolled back to an older copy; off-site
// copies of the head (the web layer publishes it to staff) cover that.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"strconv"
	"sync"

	"peyvand"
)

// Chain computes the MACs of the audit chain with one key. It is safe for
// concurrent use.
type Chain struct {
	// macs holds keyed HMAC states for reuse: an import computes several
	// MACs per row, and a fresh HMAC each time was a tenth of its time.
	macs sync.Pool
}

// NewChain returns a Chain keyed with key.
func NewChain(key []byte) *Chain {
	k := append([]byte(nil), key...)
	c := &Chain{}
	c.macs.New = func() any { return &macState{h: hmac.New(sha256.New, k)} }
	return c
}

// Genesis is the Prev of the first entry.
const Genesis = "genesis"

// macState is an HMAC and a buffer, reused: an import computes a MAC per
// row, and allocating for each field was a fifth of the import's garbage.
type macState struct {
	h   hash.Hash
	buf []byte
}

// mac returns the MAC of length-prefixed fields, so that no two different
// field lists encode to the same bytes ("ab","c" versus "a","bc").
func (c *Chain) mac(kind string, fields ...string) string {
	st := c.macs.Get().(*macState)
	b := appendField(st.buf[:0], kind)
	for _, f := range fields {
		b = appendField(b, f)
	}
	return c.sum(st, b)
}

// sum returns the MAC of b and puts st back for reuse.
func (c *Chain) sum(st *macState, b []byte) string {
	st.h.Reset()
	st.h.Write(b)
	var sum [sha256.Size]byte
	out := base64.RawStdEncoding.EncodeToString(st.h.Sum(sum[:0]))
	st.buf = b
	c.macs.Put(st)
	return out
}

func appendField(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// Link returns the MAC of entry e, which covers every field but MAC itself,
// Prev (the MAC of the entry before) included. Stores need not keep Prev:
// the verifier knows it from the entry it checked before.
func (c *Chain) Link(e peyvand.AuditEntry) string {
	return c.mac("entry v1",
		strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMicro(), 10),
		e.Actor, e.Action, e.Entity, e.Detail, e.Prev)
}

// Content returns the keyed digest of a stored row (its row MAC): its kind
// and the canonical text of each column it covers, in a fixed order.
func (c *Chain) Content(kind string, columns []string) string {
	return c.mac("content v1 "+kind, columns...)
}

// Fields builds the canonical text of a row field by field without
// intermediate strings; Content of the same values as strings gives the
// same MAC.
type Fields struct {
	b   []byte
	num []byte
}

// Reset empties f for the next row.
func (f *Fields) Reset() { f.b = f.b[:0] }

// Str adds a text field.
func (f *Fields) Str(s string) { f.b = appendField(f.b, s) }

// Int adds a number field, as its decimal text.
func (f *Fields) Int(n int64) {
	f.num = strconv.AppendInt(f.num[:0], n, 10)
	f.b = binary.BigEndian.AppendUint64(f.b, uint64(len(f.num)))
	f.b = append(f.b, f.num...)
}

// ContentOf is Content of the fields in f.
func (c *Chain) ContentOf(kind string, f *Fields) string {
	st := c.macs.Get().(*macState)
	b := appendField(st.buf[:0], "content v1 "+kind)
	return c.sum(st, append(b, f.b...))
}

// Head returns the seal over the chain's last entry, stored apart from the
// entries so that cutting entries off the end is detected.
func (c *Chain) Head(seq int64, mac string) string {
	return c.mac("head v1", strconv.FormatInt(seq, 10), mac)
}

// Verifier checks a chain's entries, given in order of Seq, and then its
// head. It keeps only the last entry, so a chain of any length is checked
// in constant memory.
type Verifier struct {
	c       *Chain
	next    int64
	prev    string
	entries int64
	problem string
}

// NewVerifier starts checking a chain from its first entry.
func (c *Chain) NewVerifier() *Verifier {
	return &Verifier{c: c, next: 1, prev: Genesis}
}

// Entry checks the next entry. It stops at the first problem, which names
// the entry, because everything after a broken link is unproven.
func (v *Verifier) Entry(e peyvand.AuditEntry) {
	if v.problem != "" {
		return
	}
	e.Prev = v.prev
	switch {
	case e.Seq != v.next:
		if e.Seq > v.next {
			v.problem = fmt.Sprintf("entry %d: missing (the chain jumps from %d to %d): entries were deleted", v.next, v.next-1, e.Seq)
		} else {
			v.problem = fmt.Sprintf("entry %d: out of order after entry %d", e.Seq, v.next-1)
		}
	case !hmac.Equal([]byte(v.c.Link(e)), []byte(e.MAC)):
		v.problem = fmt.Sprintf("entry %d: its MAC does not match its content or its place after entry %d (edited, inserted or replaced)", e.Seq, e.Seq-1)
	}
	if v.problem != "" {
		return
	}
	v.entries++
	v.next++
	v.prev = e.MAC
}

// Head checks the stored head against the last entry seen.
func (v *Verifier) Head(seq int64, mac, seal string) {
	if v.problem != "" {
		return
	}
	last := v.next - 1
	switch {
	case !hmac.Equal([]byte(v.c.Head(seq, mac)), []byte(seal)):
		v.problem = fmt.Sprintf("chain head: its seal does not match (entry %d or the head was edited)", seq)
	case seq > last:
		v.problem = fmt.Sprintf("entry %d: missing (the head names entry %d, the chain ends at %d): entries were deleted", last+1, seq, last)
	case seq < last:
		v.problem = fmt.Sprintf("entry %d: not covered by the head (the head names entry %d): entries were inserted", seq+1, seq)
	case mac != v.prev:
		v.problem = fmt.Sprintf("entry %d: not the entry the head names (replaced)", seq)
	}
}

// Rekey checks the entries from the next one on with c: a chain's key
// changes at a key rotation, which the caller finds in the entries.
func (v *Verifier) Rekey(c *Chain) { v.c = c }

// Next is the sequence number the next entry must have.
func (v *Verifier) Next() int64 { return v.next }

// Fail stops the verification with a problem the caller found (an entry
// naming a key the caller does not have); the first problem stands.
func (v *Verifier) Fail(problem string) {
	if v.problem == "" {
		v.problem = problem
	}
}

// Entries is the number of entries found good.
func (v *Verifier) Entries() int64 { return v.entries }

// Problem is the first problem found, "" if none.
func (v *Verifier) Problem() string { return v.problem }
