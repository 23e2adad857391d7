package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"peyvand/demo"
	"peyvand/identity"
	"peyvand/metrics"
	"peyvand/relink"
	"peyvand/seal"
	"peyvand/web"
)

const serveUsage = `Usage: peyvand serve [flags]

Runs the web server. With --demo and no --db it runs on a temporary
database filled with a generated, fictitious data set, removed on exit.

With --field it runs as a field laptop: reports only, kept sealed, leaving
as bundles to a peer (see docs/BUNDLE.md).

Example:
  peyvand serve --demo
  peyvand serve --field --identity ~/.peyvand/id --peers ~/.peyvand/peers.txt
  peyvand serve --addr 127.0.0.1:8080 --db /var/lib/peyvand/peyvand.db --key /etc/peyvand/peyvand.key
`

func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.flags("serve", serveUsage)
	sf := m.addStoreFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	insecure := fs.Bool("insecure-cookies", false, "drop the Secure flag from cookies, for plain HTTP on a name other than localhost (not for production)")
	perClient := fs.Int("limit-per-client", 0, "public form submissions per client per minute (default 30; raise it behind an onion service, where all visitors share one address)")
	metricsAddr := fs.String("metrics-addr", "", "address for the operator's listener with /metrics (Prometheus), /healthz and /readyz; keep it off the public network (e.g. 127.0.0.1:9464); empty: none")
	idDir := fs.String("identity", m.Getenv("PEYVAND_IDENTITY"), "this instance's identity directory (peyvand keys generate), shown at /identity as a line and a QR code (env PEYVAND_IDENTITY)")
	peersFile := fs.String("peers", m.Getenv("PEYVAND_PEERS"), "trusted peers file, for --field (env PEYVAND_PEERS)")
	field := fs.Bool("field", false, "field mode, for a laptop with no network: only the report form, and reports leave as bundles to a peer (needs --identity and --peers; listens on loopback only)")
	demoMode := fs.Bool("demo", false, "load a fictitious demo data set (on a temporary database unless --db is given)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	var id *identity.Identity
	var peers *identity.Peers
	if *idDir != "" {
		var err error
		if id, err = m.loadIdentity(*idDir); err != nil {
			return err
		}
	}
	if *field {
		if id == nil || *peersFile == "" {
			return usageErrorf("serve --field: give --identity and --peers (the organisations reports may go to)")
		}
		var err error
		if peers, err = identity.LoadPeers(*peersFile); err != nil {
			return err
		}
		// The laptop's own browser is the only client: a field laptop
		// must not offer its reports to the network it sits on.
		if host, _, err := net.SplitHostPort(*addr); err != nil || !net.ParseIP(host).IsLoopback() {
			return usageErrorf("serve --field: --addr must be a loopback address (127.0.0.1:PORT), not %q", *addr)
		}
		// A field laptop may be seized: switched off, it must give up
		// nothing sealed, so its key file must be protected.
		resolved := *sf
		resolved.resolve()
		if on, _ := seal.IsProtected(resolved.key); !on || !identity.IsProtected(*idDir) {
			return usageErrorf("serve --field: protect the key file and the identity first (peyvand keys protect --key %s --dir %s): a seized laptop must give up nothing sealed", resolved.key, *idDir)
		}
	}
	if *demoMode && sf.db == "" {
		dir, err := os.MkdirTemp("", "peyvand-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		sf.db, sf.key = filepath.Join(dir, "demo.db"), filepath.Join(dir, "demo.key")
		// A throwaway key for a throwaway database: made here, so that the
		// advice to back up a new key is not printed for it.
		if _, _, err := seal.LoadOrCreate(sf.key); err != nil {
			return err
		}
		logger.Info("demo mode: temporary database, removed on exit", "dir", dir)
	}
	s, keys, err := m.openKeys(ctx, sf, true)
	if err != nil {
		return err
	}
	defer s.Close()
	linker := relink.New(s, "system:linkage")
	reg := metrics.New()
	registerRuntimeMetrics(reg)
	var linked atomic.Bool
	app := web.New(web.Config{Store: s, Linker: linker, Logger: logger, Demo: *demoMode,
		Secret: []byte(keys.Lookup("web server secret v1")), InsecureCookies: *insecure,
		Limits: web.Limits{PerClient: *perClient}, Metrics: reg, Identity: id, Peers: peers, Field: *field,
		Ready: func() error {
			if !linked.Load() {
				return errors.New("linkage index not built yet")
			}
			return nil
		}})
	if *demoMode {
		sum, err := demo.Load(ctx, s, demo.Generate(demo.Options{Seed: 1}))
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		logger.Info("demo data loaded", "summary", fmt.Sprintf("%+v", sum))
		if err := app.LinkAll(ctx); err != nil {
			return fmt.Errorf("link demo data: %w", err)
		}
		linked.Store(true)
		if err := m.demoAccounts(ctx, s); err != nil {
			return err
		}
	} else {
		// Link in the background: the site serves meanwhile (a new
		// inquiry waits for the index), and /readyz says "starting".
		go func() {
			if err := app.LinkAll(ctx); err != nil {
				logger.Error("link registry", "err", err)
				return
			}
			linked.Store(true)
		}()
	}
	srv := newHTTPServer(app.Handler(), logger)
	if *metricsAddr != "" {
		ops := http.NewServeMux()
		ops.Handle("GET /metrics", reg.Handler())
		ops.Handle("GET /healthz", app.HealthHandler())
		ops.Handle("GET /readyz", app.HealthHandler())
		opsLn, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("metrics listener: %w", err)
		}
		opsSrv := newHTTPServer(ops, logger)
		logger.Info("operator listener", "url", "http://"+opsLn.Addr().String()+"/metrics")
		go opsSrv.Serve(opsLn)
		defer opsSrv.Close()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "url", "http://"+ln.Addr().String()+"/")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHTTPServer bounds every connection in time and size, so slow or
// oversized clients cannot hold the server.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// registerRuntimeMetrics adds the process's own gauges.
func registerRuntimeMetrics(reg *metrics.Registry) {
	start := time.Now()
	reg.Gauge("peyvand_uptime_seconds", "Seconds since the server started.", func() float64 { return time.Since(start).Seconds() })
	reg.Gauge("peyvand_goroutines", "Goroutines running.", func() float64 { return float64(runtime.NumGoroutine()) })
	reg.Gauge("peyvand_heap_bytes", "Bytes of allocated heap objects.", func() float64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc)
	})
}
