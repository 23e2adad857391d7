package sms

import (
	"errors"
	"testing"
)

func TestFieldIsPrimitive(t *testing.T) {
	seen := map[uint16]bool{}
	for i := 0; i < gfOrder; i++ {
		x := gf.exp[i]
		if x == 0 || seen[x] {
			t.Fatalf("beta^%d = %d repeats: x^10+x^3+1 is not primitive", i, x)
		}
		seen[x] = true
		if gf.mul(x, gf.div(1, x)) != 1 {
			t.Fatalf("%d has no inverse", x)
		}
	}
}

// TestCheckCatchesEverySingleMistake changes sample texts of even and odd
// length in every way one mistyped character and one swap of neighbours
// can, and expects each to be caught by the check code, named as what it
// is, at the right place.
func TestCheckCatchesEverySingleMistake(t *testing.T) {
	long := latinReport()
	long.Age, long.BirthYear = 31, 1994
	samples := []string{mustEncode(t, latinReport(), testKey()), mustEncode(t, persianReport(), testKey()), mustEncode(t, long, testKey())}
	lens := map[int]bool{}
	for _, s := range samples {
		lens[len(s)%2] = true
	}
	if len(lens) != 2 {
		t.Fatalf("the samples should have both odd and even lengths: %d %d %d", len(samples[0]), len(samples[1]), len(samples[2]))
	}
	for _, text := range samples {
		typos, swaps := 0, 0
		for i := 0; i < len(text); i++ {
			for _, c := range alphabet {
				if byte(c) == text[i] {
					continue
				}
				bad := text[:i] + string(c) + text[i+1:]
				expectCheckError(t, bad, "typo", i+1)
				typos++
			}
			if i+1 < len(text) && text[i] != text[i+1] {
				bad := text[:i] + text[i+1:i+2] + text[i:i+1] + text[i+2:]
				expectCheckError(t, bad, "swap", i+1)
				swaps++
			}
		}
		t.Logf("%d characters: %d typos and %d swaps caught and located", len(text), typos, swaps)
	}
}

func expectCheckError(t *testing.T, text, kind string, pos int) {
	t.Helper()
	_, err := Decode(text, testKeys().Lookup)
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("%s at %d: %v, want a check error", kind, pos, err)
	}
	if ce.Kind != kind || ce.Pos != pos {
		t.Fatalf("%s at %d: got %s at %d (%v)", kind, pos, ce.Kind, ce.Pos, err)
	}
}

// TestCheckLeftOutAndExtra: a character left out or typed twice is
// caught, and usually located; a missing character can be any of several
// places when its neighbours are equal, so only detection is required.
func TestCheckLeftOutAndExtra(t *testing.T) {
	text := mustEncode(t, persianReport(), testKey())
	located := 0
	for i := 0; i < len(text); i++ {
		for _, bad := range []string{text[:i] + text[i+1:], text[:i] + text[i:i+1] + text[i:]} {
			_, err := DecodeUnverified(bad)
			var ce *CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("edit at %d: %v, want a check error", i+1, err)
			}
			if ce.Pos >= i && ce.Pos <= i+2 {
				located++
			}
		}
	}
	t.Logf("%d of %d deletions and duplications located within one character", located, 2*len(text))
	if located < len(text) {
		t.Errorf("only %d of %d located", located, 2*len(text))
	}
}

func TestCheckErrorPositionInTextAsGiven(t *testing.T) {
	text := Group(mustEncode(t, latinReport(), testKey()), 5)
	// The 12th code character is in the third group, after two dashes.
	i := 11 + 2
	c := byte('0')
	if text[i] == '0' {
		c = '1'
	}
	_, err := DecodeUnverified(text[:i] + string(c) + text[i+1:])
	var ce *CheckError
	if !errors.As(err, &ce) || ce.Pos != i+1 || ce.Kind != "typo" {
		t.Fatalf("got %v, want a typo at %d", err, i+1)
	}
	_, err = DecodeUnverified(text[:i] + "!" + text[i+1:])
	if !errors.As(err, &ce) || ce.Pos != i+1 || ce.Kind != "character" {
		t.Fatalf("got %v, want a bad character at %d", err, i+1)
	}
}
