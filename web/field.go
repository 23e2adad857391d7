package web

import (
	"fmt"
	"net/http"

	"peyvand"
	"peyvand/bundle"
	"peyvand/identity"
)

// Field mode is the same binary on a laptop inside the country, with no
// network: a witness or documenter enters reports (sealed at rest, like
// every report), and they leave only as a bundle, encrypted to a peer the
// laptop trusts, carried on a USB stick or sent in a short window. The
// site then has no inquiries, lookups, published list or staff side: a
// seized laptop shows nothing but a report form.

// fieldRoutes is the route table of field mode.
func (s *Server) fieldRoutes() *http.ServeMux {
	mux := s.sharedRoutes()
	mux.HandleFunc("GET /{$}", s.handleFieldHome)
	mux.HandleFunc("GET /field/send", s.handleFieldHome)
	mux.Handle("POST /field/send", s.form(formLimit, s.handleFieldSend))
	return mux
}

// fieldView is what the field pages show.
type fieldView struct {
	Reports int // reports stored on this laptop
	Peers   []fieldPeer
}

type fieldPeer struct{ Name, Fingerprint string }

func (s *Server) fieldView(r *http.Request) (fieldView, error) {
	var v fieldView
	src, err := s.store.SourceByName(r.Context(), WitnessSource)
	switch {
	case err == nil:
		err = s.store.WalkRecords(r.Context(), peyvand.RecordFilter{SourceID: src.ID}, func(peyvand.Record) error {
			v.Reports++
			return nil
		})
	case peyvand.ErrorCode(err) == peyvand.ENOTFOUND:
		err = nil
	}
	if s.peers != nil {
		for _, p := range s.peers.All() {
			if p.Public.Recipient != "" {
				v.Peers = append(v.Peers, fieldPeer{Name: p.Public.Name, Fingerprint: p.Public.Fingerprint()})
			}
		}
	}
	return v, err
}

func (s *Server) handleFieldHome(w http.ResponseWriter, r *http.Request) {
	v, err := s.fieldView(r)
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	p := s.newPage(w, r)
	p.Data = v
	s.render(w, http.StatusOK, "field", p)
}

// handleFieldSend writes a bundle of the laptop's reports, testimony and
// witnesses' identities included (they are sealed to the recipient, who
// needs them to verify), and hands it to the browser as a download. The
// bundle is padded, so its size says little about how many reports it
// holds.
func (s *Server) handleFieldSend(w http.ResponseWriter, r *http.Request) {
	var peer identity.Peer
	ok := false
	if s.peers != nil && s.identity != nil {
		peer, ok = s.peers.ByName(r.PostFormValue("to"))
	}
	if !ok || peer.Public.Recipient == "" {
		s.renderStatus(w, r, http.StatusBadRequest, s.text(r, "field_no_peer"))
		return
	}
	if v, err := s.fieldView(r); err != nil || v.Reports == 0 {
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		s.renderStatus(w, r, http.StatusNotFound, s.text(r, "field_nothing"))
		return
	}
	name := fmt.Sprintf("peyvand-%s-%s.bundle", peer.Public.Name, s.now().UTC().Format("20060102-1504"))
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	// A bundle is written as it streams: an error after the first byte
	// can only cut the download short, and a cut bundle is refused by
	// the recipient (its signature covers the end), never half applied.
	opt := bundle.Options{From: s.identity, To: peer.Public, Sources: []string{WitnessSource}, Now: s.now,
		Rules: bundle.Rules{Kinds: []peyvand.SourceKind{peyvand.SourceWitness}, Contacts: true, Reporters: true, Texts: true}}
	wr, err := bundle.Write(r.Context(), s.store, w, opt)
	if err != nil {
		s.log.Error("field bundle", "err", err)
		return
	}
	if err := s.store.Disclose(r.Context(), "field:web", peyvand.Disclosure{What: "bundle",
		To: peer.Public.Name + " " + peer.Public.Fingerprint(),
		Detail: map[string]any{"bundle": wr.ID, "records": wr.Records, "events": wr.Events,
			"contacts": true, "reporters": true, "texts": true}}); err != nil {
		s.log.Error("record field bundle in the audit chain", "err", err)
	}
}

// handleIdentity shows this instance's public identity, as a line to copy
// and a QR code to scan, with the fingerprint to compare over another
// channel. It is public by design: peers need it to encrypt to us.
func (s *Server) handleIdentity(w http.ResponseWriter, r *http.Request) {
	if s.identity == nil {
		s.handleNotFound(w, r)
		return
	}
	pub := s.identity.Public()
	p := s.newPage(w, r)
	p.Data = struct{ Name, Line, Fingerprint string }{pub.Name, pub.String(), pub.Fingerprint()}
	s.render(w, http.StatusOK, "identity", p)
}

func (s *Server) handleIdentitySVG(w http.ResponseWriter, r *http.Request) {
	if s.identity == nil {
		s.handleNotFound(w, r)
		return
	}
	svg, err := s.identity.Public().QRSVG()
	if err != nil {
		s.renderError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(svg)
}
