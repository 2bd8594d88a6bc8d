package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
)

// gatewayBench is the service-interface section of `govshare bench` (issue
// #4): proxied calls against calling the upstream directly, and hosted
// lookups against a bare server over the same store.
type gatewayBench struct {
	upstreamRows, hostedRows int
	upstreamDB               string // generated once per run, shared by the engines
	load                     bench.Loader
	loadWhere                string // said in the report: "own process" or "this process"
}

// run measures on a fresh store of the engine; 0 upstream rows skips it.
func (gb *gatewayBench) run(ctx context.Context, name string, open func() (*store.Store, func(), error), d time.Duration, workers int,
	stdout io.Writer) error {
	if gb.upstreamRows <= 0 {
		return nil
	}
	s, cleanup, err := open()
	if err != nil {
		return fmt.Errorf("bench gateway %s: %w", name, err)
	}
	defer cleanup()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	if gb.upstreamDB == "" {
		start := time.Now()
		path, err := bench.UpstreamDB(ctx, gb.upstreamRows)
		if err != nil {
			return fmt.Errorf("bench upstream table: %w", err)
		}
		gb.upstreamDB = path
		fmt.Fprintf(stdout, "\nupstream table: %d people of 20 items in %s (ready in %s)\n", gb.upstreamRows, path, time.Since(start).Round(time.Millisecond))
	}
	g, err := bench.NewGateway(ctx, s, gb.upstreamDB, gb.upstreamRows, gb.hostedRows)
	if err != nil {
		return fmt.Errorf("bench gateway %s: %w", name, err)
	}
	defer g.Close()
	fmt.Fprintf(stdout, "service interface (%s): %d hosted people, %d items asked of 20, %d clients, load generator in %s\n", name, gb.hostedRows, len(bench.BenchAskedItems), workers, gb.loadWhere)
	r, err := g.Run(ctx, name, d, workers, gb.load)
	if err != nil {
		return err
	}
	r.Print(stdout)
	return nil
}

// cmdBenchLoad is the load generator of `govshare bench --load-process`: it
// reads one bench.LoadSpec from stdin (the signing secret with it, never in
// the arguments), generates its load, and writes the bench.LoadResult to
// stdout.
func cmdBenchLoad(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	var spec bench.LoadSpec
	if err := json.NewDecoder(stdin).Decode(&spec); err != nil {
		return fmt.Errorf("bench-load: spec on stdin: %w", err)
	}
	r, err := bench.RunLoad(ctx, spec)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(r)
}
