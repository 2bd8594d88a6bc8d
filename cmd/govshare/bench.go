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
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/store"
)

// cmdBench measures deadline computation, sign-ins, authorised reads and
// complete application workflows (apply, head approval, reply) per second
// through the real API, and catalog search latency over --search-entries
// generated entries on SQLite, and the service interface (gateway versus a
// direct upstream call and a bare lookup server; bench_gateway.go), and the
// tamper-evident ledger over --ledger-entries entries (bench_ledger.go). It loads the demo
// province into a scratch database: a new SQLite file, or, with
// --postgres DSN, a fresh schema that is dropped afterwards.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	pg := fs.String("postgres", os.Getenv("GOVSHARE_BENCH_POSTGRES"), "also measure on this PostgreSQL server (a scratch schema is created and dropped)")
	d := fs.Duration("duration", 5*time.Second, "how long to run each throughput measurement")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0)*2, "concurrent clients")
	searchN := fs.Int("search-entries", 100000, "measure catalog search latency over this many generated entries on SQLite (0 skips it)")
	gb := &gatewayBench{load: bench.InProcess, loadWhere: "this process"}
	loadProcess := fs.Bool("load-process", false, "run the service-interface load generator in a process of its own (this binary's bench-load), as wrk or hey would, instead of in the measuring process")
	fs.IntVar(&gb.upstreamRows, "upstream-rows", 1000000, "people in the service-interface benchmark's upstream table, generated once into the temporary directory (0 skips the service-interface benchmarks)")
	fs.IntVar(&gb.hostedRows, "hosted-rows", 100000, "people loaded into the hosted dataset the gateway's lookups read")
	fileMiB := fs.Int("file-mib", 256, "measure file download with a generated file of this many MiB (0 skips it)")
	pullRows := fs.Int("pull-rows", 100000, "measure batch pull rows/s over a hosted dataset of this many rows on SQLite (0 skips it)")
	ledgerN := fs.Int("ledger-entries", 1000000, "measure ledger appends, and verification and inclusion proofs over a ledger of this many entries on SQLite (0 skips it)")
	ledgerWriters := fs.Int("ledger-writers", 16, "concurrent writers in the ledger append measurement")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *loadProcess {
		self, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench: the load generator is this binary: %w", err)
		}
		gb.load, gb.loadWhere = bench.ChildProcess(self, "bench-load"), "its own process"
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
		if err := gb.run(ctx, e.name, e.open, *d, *workers, stdout); err != nil {
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
	if *fileMiB > 0 {
		if err := benchFiles(ctx, engines[0].open, *fileMiB, *d, *workers, stdout); err != nil {
			return err
		}
	}
	if *pullRows > 0 {
		if err := benchBatchPull(ctx, engines[0].open, *pullRows, *d, stdout); err != nil {
			return err
		}
	}
	if *ledgerN > 0 {
		if err := benchLedger(ctx, engines, *ledgerN, *ledgerWriters, *d, stdout); err != nil {
			return err
		}
	}
	return nil
}

// ---- batch exchange (issue #4: batch pull at least 100,000 rows a second)

// benchBatchPull loads rows generated rows into a hosted dataset on a fresh
// SQLite store and pulls it in full through the signed gateway, again and
// again for d, printing "batch pull rows/s (sqlite)".
func benchBatchPull(ctx context.Context, open func() (*store.Store, func(), error), rows int, d time.Duration, stdout io.Writer) error {
	s, cleanup, err := open()
	if err != nil {
		return fmt.Errorf("bench batch pull: %w", err)
	}
	defer cleanup()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	r, err := bench.BatchPullRate(ctx, s, "sqlite", rows, d)
	if err != nil {
		return fmt.Errorf("bench batch pull: %w", err)
	}
	fmt.Fprintf(stdout, "\nbatch exchange: %d hosted rows of 7 items, pages of %d, full pulls through the signed gateway (set up and measured in %s)\n",
		rows, exchange.MaxLimit, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%-34s %10d rows %12.1f rows/s\n", r.Name, r.Ops, r.PerSecond())
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
