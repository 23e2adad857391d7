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
	"sync"
	"sync/atomic"
	"time"

	"peyvand"
	"peyvand/identity"
	"peyvand/metrics"
	"peyvand/relink"
)

//go:embed templates/*.html translations/*.json static
var files embed.FS

// Config configures a Server.
type Config struct {
	Store peyvand.Store
	// Linker links new inquiries and reports at once and keeps the review
	// queue; nil leaves linking to "peyvand relink".
	Linker *relink.Linker
	// Secret keys the server's own MACs (form tokens, session and client
	// hashes). Every instance sharing a database must have the same one.
	Secret []byte
	Logger *slog.Logger // nil discards logs
	Demo   bool         // show on every page that the data are fictitious
	// InsecureCookies drops the Secure flag, for a browser reaching the
	// server over plain HTTP on a name other than localhost. Onion
	// services and localhost count as secure to browsers.
	InsecureCookies bool
	// Limits on public requests; zero values take the defaults.
	Limits Limits
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// Metrics receives the server's counters; nil counts into a registry
	// nobody reads. Serve it on a separate, non-public listener.
	Metrics *metrics.Registry
	// Identity is this instance's identity for bundles, shown (public
	// part only) at /identity as a line and a QR code; nil hides the page.
	Identity *identity.Identity
	// Peers are the instances bundles may go to (field mode).
	Peers *identity.Peers
	// Field runs the site in field mode (see field.go): reports only,
	// leaving as bundles to a peer. It needs Identity and Peers.
	Field bool
	// Ready reports whether the server should take traffic (e.g. whether
	// the linkage index is built), for /readyz; nil means ready whenever
	// the store answers.
	Ready func() error
}

// Limits bound what one client can ask of the public side.
type Limits struct {
	// PerClient is the number of public form submissions (inquiries,
	// lookups, reports) a client may make per minute. Behind an onion
	// service every visitor arrives from the Tor daemon's address, so
	// raise it there.
	PerClient int
	// PerCode is the number of lookups of one code per hour.
	PerCode int
	// Global bounds all public submissions per minute together.
	Global int
}

func (l Limits) withDefaults() Limits {
	if l.PerClient == 0 {
		l.PerClient = 30
	}
	if l.PerCode == 0 {
		l.PerCode = 20
	}
	if l.Global == 0 {
		l.Global = 20000
	}
	return l
}

// Server is Peyvand's web application.
type Server struct {
	store   peyvand.Store
	linker  *relink.Linker
	secret  []byte
	log     *slog.Logger
	demo    bool
	secure  bool
	now     func() time.Time
	pages   map[string]*template.Template
	static  fs.FS
	msgs    map[string]map[string]string // language → key → text
	handler http.Handler

	perClient, perCode, global *limiter
	logins                     *limiter
	metrics                    *serverMetrics
	ready                      func() error
	identity                   *identity.Identity
	peers                      *identity.Peers
	field                      bool
	listCache                  cached[[]published]
	statsCache                 cached[peyvand.Stats]
	estimates                  sync.Map // capture table → *estimateView
	estimateCount              atomic.Int64
}

// New returns a server ready to serve. The templates and translations are
// compiled into the binary, so a failure to read them is a programming
// error that the tests catch, and New panics on it.
func New(cfg Config) *Server {
	s := &Server{store: cfg.Store, linker: cfg.Linker, secret: cfg.Secret, log: cfg.Logger, demo: cfg.Demo,
		secure: !cfg.InsecureCookies, now: cfg.Now, metrics: newServerMetrics(cfg.Metrics), ready: cfg.Ready,
		identity: cfg.Identity, peers: cfg.Peers, field: cfg.Field}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if len(s.secret) < 32 {
		panic("web: Config.Secret must have at least 32 bytes")
	}
	lim := cfg.Limits.withDefaults()
	s.perClient = newLimiter(lim.PerClient, time.Minute, s.now)
	s.perCode = newLimiter(lim.PerCode, time.Hour, s.now)
	s.global = newLimiter(lim.Global, time.Minute, s.now)
	s.logins = newLimiter(10, 15*time.Minute, s.now)
	var err error
	if s.msgs, err = loadTranslations(); err != nil {
		panic(err)
	}
	if s.pages, err = loadPages(); err != nil {
		panic(err)
	}
	if s.static, err = fs.Sub(files, "static"); err != nil {
		panic(err)
	}
	if s.field && (s.identity == nil || s.peers == nil) {
		panic("web: field mode needs Config.Identity and Config.Peers")
	}
	routes := s.routes
	if s.field {
		routes = s.fieldRoutes
	}
	s.handler = s.logRequests(secureHeaders(s.recoverPanics(s.allowMethods(s.language(s.methodNotAllowed(routes()))))))
	return s
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// sharedRoutes are the routes of both the registry's site and field mode:
// probes, static files, the witness's report form, the public identity,
// and the not-found page for everything else.
func (s *Server) sharedRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticFiles()))
	mux.HandleFunc("GET /report", s.handleReportForm)
	mux.Handle("POST /report", s.public(s.form(uploadLimit, s.handleReport)))
	mux.HandleFunc("GET /identity", s.handleIdentity)
	mux.HandleFunc("GET /identity.svg", s.handleIdentitySVG)
	mux.HandleFunc("GET /", s.handleNotFound)
	return mux
}

// routes is the route table. Patterns with GET also answer HEAD. Every
// POST goes through s.form, which checks its size, origin and token.
func (s *Server) routes() *http.ServeMux {
	mux := s.sharedRoutes()
	mux.HandleFunc("GET /{$}", s.handleHome)

	// The public side: no account.
	mux.HandleFunc("GET /inquiry", s.handleInquiryForm)
	mux.Handle("POST /inquiry", s.public(s.form(formLimit, s.handleInquiry)))
	mux.HandleFunc("GET /lookup", s.handleLookupForm)
	mux.Handle("POST /lookup", s.public(s.form(formLimit, s.handleLookup)))
	mux.HandleFunc("GET /list", s.handleList)
	mux.HandleFunc("GET /list.atom", s.handleListAtom)
	mux.HandleFunc("GET /list.csv", s.handleListCSV)
	mux.HandleFunc("GET /list.json", s.handleListJSON)

	// The staff side: accounts with roles.
	mux.HandleFunc("GET /staff/login", s.handleLoginForm)
	mux.Handle("POST /staff/login", s.form(formLimit, s.handleLogin))
	mux.Handle("POST /staff/logout", s.form(formLimit, s.handleLogout))
	mux.Handle("GET /staff", s.staff("", s.handleStaffHome))
	mux.Handle("GET /staff/review", s.staff(peyvand.RoleVerifier, s.handleReview))
	mux.Handle("GET /staff/search", s.staff(peyvand.RoleVerifier, s.handleSearch))
	mux.Handle("POST /staff/review", s.staff(peyvand.RoleVerifier, s.form(formLimit, s.handleDecide)))
	mux.Handle("GET /staff/person/{id}", s.staff(peyvand.RoleVerifier, s.handlePerson))
	mux.Handle("POST /staff/person/{id}/verify", s.staff(peyvand.RoleVerifier, s.form(formLimit, s.handleVerify)))
	mux.Handle("POST /staff/person/{id}/publish", s.staff(peyvand.RoleVerifier, s.form(formLimit, s.handlePublish)))
	mux.Handle("POST /staff/person/{id}/split", s.staff(peyvand.RoleVerifier, s.form(formLimit, s.handleSplit)))
	mux.Handle("GET /staff/cases", s.staff(peyvand.RoleCaseworker, s.handleCases))
	mux.Handle("GET /staff/cases/{id}", s.staff(peyvand.RoleCaseworker, s.handleCase))
	mux.Handle("POST /staff/cases/{id}", s.staff(peyvand.RoleCaseworker, s.form(formLimit, s.handleCaseUpdate)))
	mux.Handle("GET /staff/dashboard", s.staff(peyvand.RoleAnalyst, s.handleDashboard))
	mux.Handle("GET /staff/import", s.staff(peyvand.RoleAdmin, s.handleImportForm))
	mux.Handle("POST /staff/import", s.staff(peyvand.RoleAdmin, s.form(importLimit, s.handleImport)))
	mux.Handle("GET /staff/export.csv", s.staff(peyvand.RoleAnalyst, s.handleExport))

	return mux
}

// methodNotAllowed answers our own 405 page when no route takes the
// request's method (every GET has a route: "GET /" catches the rest).
func (s *Server) methodNotAllowed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			w.Header().Set("Allow", "GET, HEAD, POST")
			s.renderStatus(w, r, http.StatusMethodNotAllowed, s.text(r, "error_method"))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// staticFiles serves the embedded stylesheets and fonts. They never
// change within a version, so browsers may keep them a day.
func (s *Server) staticFiles() http.Handler {
	fsrv := http.FileServerFS(s.static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' { // no directory listings
			s.handleNotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fsrv.ServeHTTP(w, r)
	})
}
