package web

import "net/http"

// handleNotFound answers every address the route table does not know.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderStatus(w, r, http.StatusNotFound, s.text(r, "error_not_found"))
}
