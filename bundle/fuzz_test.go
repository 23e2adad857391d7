package bundle

import (
	"bytes"
	"os"
	"testing"
	"time"

	"peyvand/identity"
)

// FuzzRead feeds the plaintext reader arbitrary bytes, as a peer with a
// valid key, or anyone who knows the recipient's public key, could send
// them: it must return an error or io.EOF, never panic, hang or accept a
// bundle whose signature does not match.
func FuzzRead(f *testing.F) {
	plain, err := os.ReadFile(vectorPlain)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(plain)
	f.Add(plain[:300])
	f.Add([]byte(`{"type":"header"}` + "\n"))
	me, sender := bob(f), alice(f)
	now := vectorMade.Add(time.Hour)
	f.Fuzz(func(t *testing.T, data []byte) {
		trust := func(p identity.Public) error { return nil }
		d, err := newDecoder(bytes.NewReader(data), me.Public().Recipient, now, trust)
		if err != nil {
			return
		}
		for {
			_, err := d.Next()
			if err == nil {
				continue
			}
			if err.Error() == "EOF" && !bytes.Equal(data, plain) && d.sender.Signing.Equal(sender.Public().Signing) {
				t.Fatalf("a changed bundle was accepted")
			}
			return
		}
	})
}
