package identity

import (
	"bufio"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"strings"

	"peyvand"
)

// Peer is another instance this one trusts, and what it may send.
type Peer struct {
	Public
	// Kinds are the kinds of source whose records the peer may send.
	Kinds []peyvand.SourceKind
	// Events says whether the peer may send status events.
	Events bool
	// Verification is the highest verification level the peer's status
	// events keep here; a higher one is lowered to it. The default,
	// reported, means the peer is not trusted to verify: what it says it
	// verified counts here as reported by one source.
	Verification peyvand.Verification
	Line         int // where the peer is in the peers file
}

// Cap lowers v to the highest verification level the peer is trusted
// with.
func (p Peer) Cap(v peyvand.Verification) peyvand.Verification {
	ceiling := p.Verification
	if !ceiling.Valid() {
		ceiling = peyvand.Reported
	}
	if v.Rank() > ceiling.Rank() {
		return ceiling
	}
	return v
}

// MayKind reports whether the peer may send records of sources of kind k.
func (p Peer) MayKind(k peyvand.SourceKind) bool {
	for _, v := range p.Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Peers is a trusted-peers file: one peer a line,
//
//	<public line> kinds=<kind>[,<kind>…] events=<yes|no> [verification=<level>]
//
// where the kinds are list, witness, news and inquiry, and the level is
// the highest verification level the peer's status events keep here:
// reported (the default: the peer is not trusted to verify), corroborated
// or verified. Blank lines and
// lines starting with # are ignored. The name in the public line is the
// name this instance knows the peer by (its records land in sources named
// "<name>/<source>"); it may be changed locally, the keys may not.
type Peers struct {
	File  string
	peers []Peer
}

// LoadPeers reads the trusted-peers file at path.
func LoadPeers(path string) (*Peers, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, peyvand.Errorf(peyvand.ENOTFOUND, "peers file: %v", err)
	}
	defer f.Close()
	return ParsePeers(path, f)
}

// ParsePeers reads a trusted-peers file; file names it in errors.
func ParsePeers(file string, r io.Reader) (*Peers, error) {
	ps := &Peers{File: file}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<16)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		p, err := parsePeer(text)
		if err != nil {
			return nil, peyvand.Errorf(peyvand.EINVALID, "%s line %d: %s", file, line, peyvand.ErrorMessage(err))
		}
		p.Line = line
		for _, q := range ps.peers {
			switch {
			case q.Name == p.Name:
				return nil, peyvand.Errorf(peyvand.EINVALID, "%s line %d: peer name %q is already on line %d", file, line, p.Name, q.Line)
			case q.Signing.Equal(p.Signing):
				return nil, peyvand.Errorf(peyvand.EINVALID, "%s line %d: these keys are already on line %d (as %q)", file, line, q.Line, q.Name)
			}
		}
		ps.peers = append(ps.peers, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s line %d: %w", file, line+1, err)
	}
	return ps, nil
}

func parsePeer(text string) (Peer, error) {
	fields := strings.Fields(text)
	pub, err := ParsePublic(fields[0])
	if err != nil {
		return Peer{}, err
	}
	p := Peer{Public: pub}
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || seen[k] {
			return Peer{}, peyvand.Errorf(peyvand.EINVALID, "%q: want kinds=… and events=… once each, and verification=… at most once", f)
		}
		seen[k] = true
		switch k {
		case "kinds":
			for _, kind := range strings.Split(v, ",") {
				if !peyvand.SourceKind(kind).Valid() {
					return Peer{}, peyvand.Errorf(peyvand.EINVALID, "kinds: %q is not list, witness, news or inquiry", kind)
				}
				p.Kinds = append(p.Kinds, peyvand.SourceKind(kind))
			}
		case "events":
			switch v {
			case "yes":
				p.Events = true
			case "no":
			default:
				return Peer{}, peyvand.Errorf(peyvand.EINVALID, "events: %q is not yes or no", v)
			}
		case "verification":
			p.Verification = peyvand.Verification(v)
			if !p.Verification.Valid() {
				return Peer{}, peyvand.Errorf(peyvand.EINVALID, "verification: %q is not reported, corroborated or verified", v)
			}
		default:
			return Peer{}, peyvand.Errorf(peyvand.EINVALID, "%q: unknown setting (want kinds=… events=… [verification=…])", k)
		}
	}
	// Both settings are required: what a peer may send is a decision
	// someone must write down, not a default. Trust in its verification
	// is not assumed: without a setting, none.
	for _, k := range []string{"kinds", "events"} {
		if !seen[k] {
			return Peer{}, peyvand.Errorf(peyvand.EINVALID, "no %s=… setting (say what the peer may send)", k)
		}
	}
	if p.Verification == "" {
		p.Verification = peyvand.Reported
	}
	return p, nil
}

// All returns the peers in file order.
func (ps *Peers) All() []Peer { return append([]Peer(nil), ps.peers...) }

// ByName finds a peer by its local name.
func (ps *Peers) ByName(name string) (Peer, bool) {
	for _, p := range ps.peers {
		if p.Name == name {
			return p, true
		}
	}
	return Peer{}, false
}

// BySigningKey finds the peer with the Ed25519 public key key.
func (ps *Peers) BySigningKey(key ed25519.PublicKey) (Peer, bool) {
	for _, p := range ps.peers {
		if p.Signing.Equal(key) {
			return p, true
		}
	}
	return Peer{}, false
}
