package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/server"
	"github.com/govshare/govshare/internal/store"
)

// openApp opens and migrates the database and builds the services.
func openApp(ctx context.Context, dsn string, log *slog.Logger) (*app.App, error) {
	return openAppAt(ctx, dsn, log, time.Now)
}

// openAppAt is openApp on the given clock (the demo's, which loads its
// history at a fixed past date).
func openAppAt(ctx context.Context, dsn string, log *slog.Logger, now func() time.Time) (*app.App, error) {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	n, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		return nil, err
	}
	log.Info("database ready", "engine", string(s.Engine()), "migrations_applied", n)
	a := app.New(s, now, auth.DefaultPolicy)
	// The master key seals application systems' secrets. Beside an SQLite
	// file it lives in the data directory (created on first use); nodes
	// sharing PostgreSQL must share it through GOVSHARE_MASTER_KEY, and
	// without it they refuse to issue credentials (gateway.keyring_missing).
	if s.Engine() == store.SQLite || os.Getenv(gateway.EnvMasterKey) != "" {
		keys, err := gateway.LoadKeyring(filepath.Dir(strings.TrimPrefix(dsn, "sqlite:")))
		if err != nil {
			s.Close()
			return nil, err
		}
		a.Gateway.UseKeyring(keys)
	} else {
		log.Warn("no master key: application system credentials cannot be issued", "set", gateway.EnvMasterKey)
	}
	return a, nil
}

// warnCalendar logs, at start and then daily, when next year's notice is missing.
func warnCalendar(ctx context.Context, a *app.App, log *slog.Logger) {
	check := func() {
		st, err := a.Calendar.Status(ctx)
		if err != nil {
			log.Error("calendar check failed", "err", err.Error())
			return
		}
		for _, w := range st.Warnings {
			log.Warn("calendar", "warning", w)
		}
	}
	check()
	go func() {
		t := time.NewTicker(24 * time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				check()
			}
		}
	}()
}

func serveApp(ctx context.Context, a *app.App, addr string, secure bool, trusted []netip.Prefix, log *slog.Logger, banner func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	api := httpapi.New(a, httpapi.Options{Log: log, SecureCookies: secure})
	api.SetTrustedProxies(trusted)
	warnCalendar(ctx, a, log)
	stop := startNoncePurge(ctx, a.Gateway.PurgeNonces, noncePurgeInterval, log)
	defer stop()
	stopChanges := startServiceChanges(ctx, a, serviceChangeInterval, log)
	defer stopChanges()
	// The pusher sends batch-exchange pages to the consumers' endpoints; it
	// stops, finishing the page in flight, when the server does.
	stopPush := a.Exchange.StartPusher(ctx, pushInterval, func(err error) { log.Error("exchange push", "err", err.Error()) })
	defer stopPush()
	// The integrator indexes new events and seals them under a signed
	// checkpoint every second; it stops before the store closes.
	stopSeal := startIntegrator(ctx, a, integrateInterval, log)
	defer stopSeal()
	if banner != nil {
		banner(ln.Addr().String())
	}
	return server.Run(ctx, ln, api.Handler(), log)
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := dbFlag(fs)
	insecure := fs.Bool("insecure-cookies", false, "send the session cookie over plain HTTP (only behind no TLS, e.g. a local test)")
	proxies := fs.String("trusted-proxies", os.Getenv("GOVSHARE_TRUSTED_PROXIES"),
		"reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For names the client for the public rate limits; default none (env GOVSHARE_TRUSTED_PROXIES)")
	fo := filesFlags(fs)
	lo := ledgerFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	trusted, err := httpapi.ParseTrustedProxies(*proxies)
	if err != nil {
		return err
	}
	log := newLogger(stderr)
	a, err := openApp(ctx, *db, log)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	if err := useFiles(ctx, a, *db, fo, log); err != nil {
		return err
	}
	if err := useLedger(ctx, a, *db, lo, log); err != nil {
		return err
	}
	return serveApp(ctx, a, *addr, !*insecure, trusted, log, nil)
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s) to %s database; schema is current\n", n, s.Engine())
	return nil
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	data := fs.String("data", "govshare-demo-data", "directory holding the demo's SQLite database")
	fo := filesFlags(fs)
	lo := ledgerFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := newLogger(stderr)
	clock := &demo.Clock{}
	a, err := openAppAt(ctx, filepath.Join(*data, "govshare.db"), log, clock.Now)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	if err := useFiles(ctx, a, filepath.Join(*data, "govshare.db"), fo, log); err != nil {
		return err
	}
	loaded, err := demo.Loaded(ctx, a)
	if err != nil {
		return err
	}
	var accounts []demo.Account
	if !loaded {
		fmt.Fprintf(stdout, "Loading the demo province (浙江省演示数据), its history dated from %s…\n", demo.HistoryStart.Format("2006-01-02"))
		done := clock.History()
		p, err := demo.Load(ctx, a)
		done()
		if err != nil {
			return err
		}
		accounts = p.Accounts
		if err := writeDemoCredentials(*data, p.Deliveries, stdout); err != nil {
			return err
		}
	} else {
		accounts = demo.Accounts()
	}
	// Seal the demo's history under the node's first checkpoints.
	if err := useLedger(ctx, a, filepath.Join(*data, "govshare.db"), lo, log); err != nil {
		return err
	}
	return serveApp(ctx, a, *addr, false, nil, log, func(addr string) {
		fmt.Fprintf(stdout, "\ngovshare demo is running at http://%s/\n", addr)
		fmt.Fprintf(stdout, "  API:      http://%s/api/v1/   (OpenAPI: /api/v1/openapi.json)\n", addr)
		fmt.Fprintf(stdout, "  health:   http://%s/healthz   ready: /readyz   metrics: /metrics\n", addr)
		fmt.Fprintf(stdout, "  database: %s (SQLite)\n\n", filepath.Join(*data, "govshare.db"))
		fmt.Fprintf(stdout, "Demo accounts — every password is %q (demo only):\n", demo.Password)
		for _, acc := range accounts {
			dept := acc.Department
			if dept == "" {
				dept = "—"
			}
			fmt.Fprintf(stdout, "  %-12s %-19s %s\n", acc.Username, acc.Role, dept)
		}
		fmt.Fprintf(stdout, "\nTry: curl -c jar -H 'Content-Type: application/json' -d '{\"username\":\"gat.head\",\"password\":\"%s\"}' http://%s/api/v1/session\n", demo.Password, addr)
		fmt.Fprintf(stdout, "     curl -b jar 'http://%s/api/v1/calendar/due?from=2026-09-30&days=10'\n", addr)
		fmt.Fprintln(stdout, "Press Ctrl+C to stop.")
	})
}
