package sms

import (
	"fmt"

	"peyvand"
)

// The check code is a Reed–Solomon code over GF(2^10) with two check
// elements. Pairs of symbols (10 bits) are the code's elements, so a
// mistyped character changes one element, and so does a swap of the two
// characters of one pair; a swap across two pairs changes two elements,
// which a code of distance 3 still detects. The two syndromes locate a
// single wrong element, so a typo is found, not only detected. Random
// garbage passes with probability 2^-20; a forgery must also pass the
// signature.

// gfPoly is x^10 + x^3 + 1, a primitive polynomial: its root beta = x
// generates all 1023 non-zero elements (TestFieldIsPrimitive).
const gfPoly = 0x409

const gfOrder = 1023

// gfTables are the exponentials and logarithms of beta. exp is doubled so
// that a product needs no reduction modulo 1023.
type gfTables struct {
	exp [2 * gfOrder]uint16
	log [1024]uint16
}

// gf is built once and only read.
var gf = func() *gfTables {
	t := &gfTables{}
	x := uint16(1)
	for i := 0; i < gfOrder; i++ {
		t.exp[i], t.exp[i+gfOrder] = x, x
		t.log[x] = uint16(i)
		x <<= 1
		if x&0x400 != 0 {
			x ^= gfPoly
		}
	}
	return t
}()

func (t *gfTables) mul(a, b uint16) uint16 {
	if a == 0 || b == 0 {
		return 0
	}
	return t.exp[int(t.log[a])+int(t.log[b])]
}

func (t *gfTables) div(a, b uint16) uint16 {
	if a == 0 {
		return 0
	}
	return t.exp[int(t.log[a])+gfOrder-int(t.log[b])]
}

// checkSymbols is the length of the check code.
const checkSymbols = 4

// pair returns element j of syms, counted from the end: symbols n-2-2j
// (high five bits) and n-1-2j (low). A text of odd length has a virtual
// zero before its first symbol.
func pair(syms []byte, j int) uint16 {
	lo, hi := len(syms)-1-2*j, len(syms)-2-2*j
	v := uint16(syms[lo] & 31)
	if hi >= 0 {
		v |= uint16(syms[hi]&31) << 5
	}
	return v
}

func numPairs(n int) int { return (n + 1) / 2 }

// syndromes returns S0 = sum of v_j and S1 = sum of beta^j v_j over the
// elements v_j; both are zero for a valid text.
func syndromes(syms []byte) (s0, s1 uint16) {
	for j := 0; j < numPairs(len(syms)); j++ {
		v := pair(syms, j)
		s0 ^= v
		s1 ^= gf.mul(gf.exp[j%gfOrder], v)
	}
	return s0, s1
}

func checkOK(syms []byte) bool {
	s0, s1 := syndromes(syms)
	return s0 == 0 && s1 == 0
}

// appendCheck appends the check code to msg. With the check elements v0
// (last) and v1 zero the syndromes are A and B; v0 + v1 = A and
// v0 + beta v1 = B then give v1 = (A + B) / (1 + beta), v0 = A + v1.
func appendCheck(msg []byte) []byte {
	syms := append(msg, 0, 0, 0, 0)
	a, b := syndromes(syms)
	v1 := gf.div(a^b, 3) // 1 + beta = x + 1 = 3
	v0 := a ^ v1
	n := len(syms)
	syms[n-4], syms[n-3] = byte(v1>>5), byte(v1&31)
	syms[n-2], syms[n-1] = byte(v0>>5), byte(v0&31)
	return syms
}

// CheckError says that a text is not a well-formed report: a character
// outside the alphabet, or a check code that does not match, with where
// the mistake probably is.
type CheckError struct {
	// Pos is the position of the likely mistake in the text as given,
	// counting every character from 1, separators included; 0 when
	// there are too many mistakes to say.
	Pos int
	// Kind is "character" (not in the alphabet), "typo" (one wrong
	// character), "swap" (two neighbours swapped, at Pos and Pos+1),
	// "missing" (a character left out before Pos), "extra" (the one at
	// Pos is one too many) or "" (more than one mistake).
	Kind    string
	Context string // the text around Pos, the character at Pos in brackets
	msg     string
}

func (e *CheckError) Error() string { return e.msg }

// Unwrap makes a CheckError an EINVALID error for the CLI and web layers.
func (e *CheckError) Unwrap() error { return peyvand.Errorf(peyvand.EINVALID, "%s", e.msg) }

// checkError explains a text whose check code does not match. It tries
// the single mistakes people make when copying — a wrong character, two
// neighbours swapped, one left out, one too many — and reports the first
// that would make the check code match. The search is bounded by
// MaxSymbols: at most (n+1)*32 candidates of n symbols each.
func checkError(text string, syms []byte, cols []int) *CheckError {
	kind, i := locate(syms)
	e := &CheckError{Kind: kind}
	if kind == "" {
		e.msg = "the check code does not match: there is more than one mistake; compare the text with the original, character by character"
		return e
	}
	// i is a symbol index; i == len(syms) means after the last symbol.
	if i < len(cols) {
		e.Pos = cols[i]
	} else {
		e.Pos = len([]rune(text)) + 1
	}
	e.Context = around(text, e.Pos)
	switch kind {
	case "typo":
		e.msg = fmt.Sprintf("the check code does not match: probably a wrong character at position %d: %s", e.Pos, e.Context)
	case "swap":
		e.msg = fmt.Sprintf("the check code does not match: probably two characters swapped at position %d: %s", e.Pos, e.Context)
	case "missing":
		e.msg = fmt.Sprintf("the check code does not match: probably a character left out before position %d: %s", e.Pos, e.Context)
	case "extra":
		e.msg = fmt.Sprintf("the check code does not match: probably one character too many at position %d: %s", e.Pos, e.Context)
	}
	return e
}

// locate finds a single mistake that explains a failed check: the index
// of the symbol, and what kind of mistake.
func locate(syms []byte) (kind string, at int) {
	n := len(syms)
	s0, s1 := syndromes(syms)
	if s0 != 0 && s1 != 0 {
		// One wrong element v_j: S0 = e and S1 = beta^j e.
		j := (int(gf.log[s1]) - int(gf.log[s0]) + gfOrder) % gfOrder
		hi, lo := n-2-2*j, n-1-2*j
		switch eh, el := byte(s0>>5), byte(s0&31); {
		case j >= numPairs(n):
		case eh == 0:
			return "typo", lo
		case el == 0 && hi >= 0:
			return "typo", hi
		case hi >= 0 && eh == el && syms[hi]^syms[lo] == el:
			return "swap", hi
		}
	}
	buf := make([]byte, 0, n+1)
	for i := 0; i+1 < n; i++ {
		if syms[i] == syms[i+1] {
			continue
		}
		buf = append(buf[:0], syms...)
		buf[i], buf[i+1] = buf[i+1], buf[i]
		if checkOK(buf) {
			return "swap", i
		}
	}
	for i := 0; i < n; i++ {
		buf = append(append(buf[:0], syms[:i]...), syms[i+1:]...)
		if checkOK(buf) {
			return "extra", i
		}
	}
	for i := 0; i <= n; i++ {
		for c := byte(0); c < 32; c++ {
			buf = append(append(append(buf[:0], syms[:i]...), c), syms[i:]...)
			if checkOK(buf) {
				return "missing", i
			}
		}
	}
	return "", 0
}
