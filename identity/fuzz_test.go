package identity

import (
	"strings"
	"testing"
)

// FuzzParsePeers reads arbitrary peers files and public lines (a public
// line arrives by messenger, from someone not yet trusted). Whatever is
// read back must print to the same line and parse again to the same keys.
func FuzzParsePeers(f *testing.F) {
	f.Add("# trusted\npeyvand-peer:v1:hrana:AAAA:age1xyz kinds=list,witness events=yes verification=verified\n")
	f.Add("peyvand-peer:v1:a:b:c\n\n")
	f.Add("kinds=list")
	if id, err := Generate(f.TempDir(), "seed-peer"); err == nil {
		f.Add(id.Public().String() + " kinds=list,news events=no\n# comment\n")
		f.Add(id.Public().String())
	}
	f.Fuzz(func(t *testing.T, text string) {
		if ps, err := ParsePeers("peers.txt", strings.NewReader(text)); err == nil {
			for _, p := range ps.All() {
				again, err := ParsePublic(p.Public.String())
				if err != nil || !again.SameKeys(p.Public) || again.Name != p.Public.Name {
					t.Fatalf("peer %q does not read back: %v", p.Public.String(), err)
				}
			}
		}
		for _, line := range strings.Split(text, "\n") {
			if p, err := ParsePublic(line); err == nil {
				if again, err := ParsePublic(p.String()); err != nil || !again.SameKeys(p) || p.Fingerprint() != again.Fingerprint() {
					t.Fatalf("public line %q does not read back: %v", line, err)
				}
			}
		}
	})
}
