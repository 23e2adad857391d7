package bundle

import (
	"errors"
	"io"
	"time"

	"filippo.io/age"

	"peyvand"
	"peyvand/identity"
)

// Reader reads a bundle sent to this instance by a trusted peer.
type Reader struct {
	d    *decoder
	peer identity.Peer
}

// NewReader decrypts r with me's age identity and reads the bundle's
// header. It refuses a bundle not encrypted to me, made for another
// recipient, expired at now, or signed by a key that is not among peers.
// Items come from Next; the bundle is verified only when Next returns
// io.EOF.
func NewReader(r io.Reader, me *identity.Identity, peers *identity.Peers, now time.Time) (*Reader, error) {
	plain, err := age.Decrypt(r, me.AgeIdentity())
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return nil, peyvand.Errorf(peyvand.EUNAUTHORIZED, "bundle is not encrypted to this instance (%s), or its header is damaged", me.Name())
		}
		return nil, peyvand.Errorf(peyvand.EINVALID, "not a bundle, or its header is damaged: %v", err)
	}
	rd := &Reader{}
	trust := func(p identity.Public) error {
		peer, ok := peers.BySigningKey(p.Signing)
		if !ok {
			return peyvand.Errorf(peyvand.EUNAUTHORIZED, "bundle comes from an instance that is not in the trusted peers file %s (it calls itself %q; fingerprint %s)",
				peers.File, p.Name, p.Fingerprint())
		}
		rd.peer = peer
		return nil
	}
	rd.d, err = newDecoder(plain, me.Public().Recipient, now, trust)
	if err != nil {
		return nil, err
	}
	return rd, nil
}

// Header returns the bundle's header.
func (r *Reader) Header() Header { return r.d.header }

// Peer returns the trusted peer that sent the bundle, as the peers file
// names it.
func (r *Reader) Peer() identity.Peer { return r.peer }

// Next returns the next item, or io.EOF once the whole bundle is read and
// verified. Act on nothing before io.EOF.
func (r *Reader) Next() (Item, error) { return r.d.Next() }
