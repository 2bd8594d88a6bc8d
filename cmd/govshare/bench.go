package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
)

// cmdBench measures deadline computation, sign-ins, authorised reads and
// complete application workflows (apply, head approval, reply) per second
// through the real API, and catalog search latency over --search-entries
// generated entries on SQLite. It loads the demo
// province into a scratch database: a new SQLite file, or, with
// --postgres DSN, a fresh schema that is dropped afterwards.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	pg := fs.String("postgres", os.Getenv("GOVSHARE_BENCH_POSTGRES"), "also measure on this PostgreSQL server (a scratch schema is created and dropped)")
	d := fs.Duration("duration", 5*time.Second, "how long to run each throughput measurement")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0)*2, "concurrent clients")
	searchN := fs.Int("search-entries", 100000, "measure catalog search latency over this many generated entries on SQLite (0 skips it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "govshare bench — %s/%s, %d CPU, GOMAXPROCS %d, %d clients, %s per measurement\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), *workers, *d)
	fmt.Fprintln(stdout, bench.Deadline())

	engines := []struct {
		name string
		open func() (*store.Store, func(), error)
	}{{"sqlite", func() (*store.Store, func(), error) {
		dir, err := os.MkdirTemp("", "govshare-bench-")
		if err != nil {
			return nil, nil, err
		}
		s, err := store.Open(ctx, filepath.Join(dir, "bench.db"))
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close(); os.RemoveAll(dir) }, nil
	}}}
	if *pg != "" {
		engines = append(engines, struct {
			name string
			open func() (*store.Store, func(), error)
		}{"postgres", func() (*store.Store, func(), error) { return store.OpenScratch(ctx, *pg, "govshare_bench") }})
	}
	for _, e := range engines {
		s, cleanup, err := e.open()
		if err != nil {
			return fmt.Errorf("bench %s: %w", e.name, err)
		}
		err = benchEngine(ctx, e.name, s, *d, *workers, stdout)
		cleanup()
		if err != nil {
			return err
		}
	}
	if *searchN > 0 {
		s, cleanup, err := engines[0].open()
		if err != nil {
			return fmt.Errorf("bench search: %w", err)
		}
		err = benchSearch(ctx, s, *searchN, stdout)
		cleanup()
		if err != nil {
			return err
		}
	}
	return nil
}

// benchSearch measures catalog search latency (issue #3: p95 under 50 ms
// for 100,000 entries on SQLite) on a fresh store: the demo province and n
// generated published entries, the query mix run 20 times.
func benchSearch(ctx context.Context, s *store.Store, n int, stdout io.Writer) error {
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	r, err := bench.SearchLatency(ctx, s, n, 20)
	if err != nil {
		return fmt.Errorf("bench search: %w", err)
	}
	fmt.Fprintln(stdout, r)
	return nil
}

func benchEngine(ctx context.Context, name string, s *store.Store, d time.Duration, workers int, stdout io.Writer) error {
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	env, err := bench.Setup(ctx, s)
	if err != nil {
		return fmt.Errorf("bench %s: %w", name, err)
	}
	defer env.Close()
	r, err := bench.Throughput(ctx, "sign-in via API ("+name+")", d, workers, env.SignIn)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	r, err = bench.Throughput(ctx, "authorised read via API ("+name+")", d, workers, env.Read)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	wf, err := bench.NewWorkflow(ctx, env, s)
	if err != nil {
		return fmt.Errorf("bench %s: %w", name, err)
	}
	r, err = bench.Throughput(ctx, "application workflow via API ("+name+")", d, workers, wf.Run)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	return nil
}
