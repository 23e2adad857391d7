package peyvand

import (
	"crypto/rand"
	"encoding/base32"
)

// idEncoding is base32hex in lower case: it keeps byte order in text order,
// so ids of one batch also sort in the order they were made.
var idEncoding = base32.NewEncoding("0123456789abcdefghijklmnopqrstuv").WithPadding(base32.NoPadding)

// NewID returns a random identifier with a prefix naming its kind
// ("rec_…"). IDs carry 128 random bits and no information: not the time,
// not the order of creation, nothing an adversary could enumerate.
func NewID(prefix string) string {
	var b [16]byte
	randomBytes(b[:])
	return format(prefix, b)
}

// IDBatch makes the ids of rows written together, in one import. They
// share a random 40-bit prefix and count up, so a database inserts them
// side by side instead of all over its indexes (a million-row import ran
// half again as fast); each also has 64 random bits, so none can be
// guessed from another. Across batches they are as unrelated as NewID's,
// and within one they say only which rows were written together, which
// the rows' timestamps say anyway. An IDBatch is not safe for concurrent
// use.
type IDBatch struct {
	prefix [5]byte
	n      uint32
}

// NewIDBatch starts a batch with a fresh random prefix.
func NewIDBatch() *IDBatch {
	b := &IDBatch{}
	randomBytes(b.prefix[:])
	return b
}

// Next returns the batch's next id, of the given kind.
func (b *IDBatch) Next(kind string) string {
	var id [16]byte
	copy(id[:5], b.prefix[:])
	b.n++
	id[5], id[6], id[7] = byte(b.n>>16), byte(b.n>>8), byte(b.n)
	randomBytes(id[8:])
	if b.n == 1<<24-1 { // the counter is spent: carry on from a new prefix
		*b = *NewIDBatch()
	}
	return format(kind, id)
}

func format(prefix string, b [16]byte) string {
	out := make([]byte, len(prefix)+1+idEncoding.EncodedLen(len(b)))
	copy(out, prefix)
	out[len(prefix)] = '_'
	idEncoding.Encode(out[len(prefix)+1:], b[:])
	return string(out)
}

func randomBytes(b []byte) {
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
}
