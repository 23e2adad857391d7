package names

import "unicode/utf8"

// Winkler's constants: the prefix bonus counts at most prefixLimit
// leading characters, each worth prefixScale of the remaining distance.
const (
	prefixScale = 0.1
	prefixLimit = 4
)

// JaroWinkler returns the Jaro–Winkler similarity of a and b, from 0
// (nothing in common) to 1 (equal), as defined by Winkler (1990), "String
// Comparator Metrics and Enhanced Decision Rules in the Fellegi-Sunter
// Model of Record Linkage": the Jaro similarity
//
//	jaro = (m/|a| + m/|b| + (m-t)/m) / 3
//
// where m counts the characters that match within a window of
// max(|a|,|b|)/2 - 1 positions and t is half the number of matched
// characters out of order, raised for a common prefix of ℓ ≤ 4 characters
// to jaro + ℓ·0.1·(1-jaro). It compares bytes when both strings are ASCII,
// without allocating for strings up to 64 bytes, and runes otherwise. It
// is meant for keys and folded names: case and accents count.
func JaroWinkler(a, b string) float64 {
	if isASCII(a) && isASCII(b) {
		return jaroWinkler([]byte(a), []byte(b))
	}
	return jaroWinkler([]rune(a), []rune(b))
}

// JaroWinklerRunes is JaroWinkler on strings already converted to runes;
// it does not allocate for strings up to 64 runes.
func JaroWinklerRunes(a, b []rune) float64 { return jaroWinkler(a, b) }

// IsASCII reports whether s has only ASCII bytes.
func IsASCII(s string) bool { return isASCII(s) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func jaroWinkler[T byte | rune](a, b []T) float64 {
	j := jaro(a, b)
	l := 0
	for l < prefixLimit && l < len(a) && l < len(b) && a[l] == b[l] {
		l++
	}
	return j + float64(l)*prefixScale*(1-j)
}

func jaro[T byte | rune](a, b []T) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	window := max(len(a), len(b))/2 - 1
	if window < 0 {
		window = 0
	}
	// The flags live on the stack for the short strings names are.
	var bufA, bufB [64]bool
	matchedA, matchedB := bufA[:0], bufB[:0]
	if len(a) <= len(bufA) && len(b) <= len(bufB) {
		matchedA, matchedB = bufA[:len(a)], bufB[:len(b)]
	} else {
		matchedA, matchedB = make([]bool, len(a)), make([]bool, len(b))
	}
	m := 0
	for i := range a {
		lo, hi := max(0, i-window), min(len(b), i+window+1)
		for k := lo; k < hi; k++ {
			if !matchedB[k] && a[i] == b[k] {
				matchedA[i], matchedB[k] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	// Count matched characters of a that are out of order with b.
	half, k := 0, 0
	for i := range a {
		if !matchedA[i] {
			continue
		}
		for !matchedB[k] {
			k++
		}
		if a[i] != b[k] {
			half++
		}
		k++
	}
	fm := float64(m)
	return (fm/float64(len(a)) + fm/float64(len(b)) + (fm-float64(half)/2)/fm) / 3
}
