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
	"time"

	"peyvand/demo"
	"peyvand/relink"
	"peyvand/seal"
	"peyvand/web"
)

const serveUsage = `Usage: peyvand serve [flags]

Runs the web server. With --demo and no --db it runs on a temporary
database filled with a generated, fictitious data set, removed on exit.

Example:
  peyvand serve --demo
  peyvand serve --addr 127.0.0.1:8080 --db /var/lib/peyvand/peyvand.db --key /etc/peyvand/peyvand.key
`

func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.flags("serve", serveUsage)
	sf := m.addStoreFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	insecure := fs.Bool("insecure-cookies", false, "drop the Secure flag from cookies, for plain HTTP on a name other than localhost (not for production)")
	perClient := fs.Int("limit-per-client", 0, "public form submissions per client per minute (default 30; raise it behind an onion service, where all visitors share one address)")
	demoMode := fs.Bool("demo", false, "load a fictitious demo data set (on a temporary database unless --db is given)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
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
	if *demoMode {
		sum, err := demo.Load(ctx, s, demo.Generate(demo.Options{Seed: 1}))
		if err != nil {
			return fmt.Errorf("load demo data: %w", err)
		}
		logger.Info("demo data loaded", "summary", fmt.Sprintf("%+v", sum))
		res, err := linker.Run(ctx)
		if err != nil {
			return fmt.Errorf("link demo data: %w", err)
		}
		logger.Info("demo data linked", "persons", res.PersonsAfter, "review_pairs", res.ReviewPairs)
		if err := m.demoAccounts(ctx, s); err != nil {
			return err
		}
	} else {
		// Link in the background: the site serves meanwhile, and a new
		// inquiry waits for the index rather than the other way round.
		go func() {
			res, err := linker.Run(ctx)
			if err != nil {
				logger.Error("link registry", "err", err)
				return
			}
			logger.Info("registry linked", "persons", res.PersonsAfter, "review_pairs", res.ReviewPairs)
		}()
	}
	srv := &http.Server{
		Handler: web.New(web.Config{Store: s, Linker: linker, Logger: logger, Demo: *demoMode,
			Secret: []byte(keys.Lookup("web server secret v1")), InsecureCookies: *insecure,
			Limits: web.Limits{PerClient: *perClient}}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
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
