package sms

import "errors"

// errShort is returned by bitReader when the bits run out: the text ends
// inside a field.
var errShort = errors.New("the text ends in the middle of a field")

// bitWriter packs values, most significant bit first, into 5-bit symbols.
type bitWriter struct {
	syms []byte
	acc  byte
	n    uint // bits in acc
}

// write appends the low n bits of v.
func (w *bitWriter) write(v uint32, n uint) {
	for i := n; i > 0; i-- {
		w.acc = w.acc<<1 | byte(v>>(i-1)&1)
		w.n++
		if w.n == 5 {
			w.syms = append(w.syms, w.acc)
			w.acc, w.n = 0, 0
		}
	}
}

// symbols pads the last symbol with zero bits and returns all symbols.
func (w *bitWriter) symbols() []byte {
	if w.n > 0 {
		w.write(0, 5-w.n)
	}
	return w.syms
}

// writeUvar writes v as 5-bit units of one continuation bit and four value
// bits, most significant nibble first, with no leading zero nibble: small
// numbers (a sender's report count) take one or two symbols.
func (w *bitWriter) writeUvar(v uint32) {
	n := 1
	for v>>(4*n) != 0 && n < 8 {
		n++
	}
	for i := n - 1; i >= 0; i-- {
		more := uint32(0)
		if i > 0 {
			more = 1
		}
		w.write(more<<4|v>>(4*i)&15, 5)
	}
}

// bitReader reads what bitWriter wrote.
type bitReader struct {
	syms []byte
	pos  int // in bits
}

func (r *bitReader) read(n uint) (uint32, error) {
	if r.pos+int(n) > 5*len(r.syms) {
		return 0, errShort
	}
	var v uint32
	for i := uint(0); i < n; i++ {
		s := r.syms[r.pos/5]
		bit := s >> (4 - r.pos%5) & 1
		v = v<<1 | uint32(bit)
		r.pos++
	}
	return v, nil
}

// readUvar reads at most eight units, so a hostile text cannot make it
// loop or overflow.
func (r *bitReader) readUvar() (uint32, error) {
	var v uint32
	for i := 0; i < 8; i++ {
		u, err := r.read(5)
		if err != nil {
			return 0, err
		}
		v = v<<4 | u&15
		if u&16 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("a number is longer than 32 bits")
}

// rest returns the number of bits not yet read.
func (r *bitReader) rest() int { return 5*len(r.syms) - r.pos }
