package web

import (
	"net/http"
	"strconv"
)

// handleStyle serves the one stylesheet. It is a file rather than inline
// CSS so that the Content-Security-Policy can forbid inline styles.
func (s *Server) handleStyle(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("Content-Length", strconv.Itoa(len(s.css)))
	w.Write(s.css)
}
