// Package web serves Peyvand over HTTP: server-rendered pages in Persian and
// English, with no scripts, no third-party assets and nothing in the logs
// that could tell who asked for what.
//
// Every address is relative to the site's root and no page names its own
// host, so that the same server works behind a Tor onion service.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"peyvand"
)

//go:embed templates/*.html translations/*.json static/*
var files embed.FS

// Config configures a Server.
type Config struct {
	Store  peyvand.Store
	Logger *slog.Logger // nil discards logs
	Demo   bool         // show on every page that the data are fictitious
}

// Server is Peyvand's web application.
type Server struct {
	store   peyvand.Store
	log     *slog.Logger
	demo    bool
	pages   map[string]*template.Template
	css     []byte
	msgs    map[string]map[string]string // language → key → text
	handler http.Handler
}

// New returns a server ready to serve. The templates and translations are
// compiled into the binary, so a failure to read them is a programming
// error that the tests catch, and New panics on it.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, log: cfg.Logger, demo: cfg.Demo}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.msgs, err = loadTranslations(); err != nil {
		panic(err)
	}
	if s.pages, err = loadPages(); err != nil {
		panic(err)
	}
	if s.css, err = fs.ReadFile(files, "static/style.css"); err != nil {
		panic(err)
	}
	s.handler = s.logRequests(secureHeaders(s.recoverPanics(s.allowMethods(s.routes()))))
	return s
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// routes is the route table. Patterns with GET also answer HEAD; other
// methods never reach it (see allowMethods).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleHealth)
	mux.HandleFunc("GET /static/style.css", s.handleStyle)
	mux.HandleFunc("GET /", s.handleNotFound)
	return mux
}
