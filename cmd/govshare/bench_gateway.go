package main

import (
	"context"
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
	fmt.Fprintf(stdout, "service interface (%s): %d hosted people, %d items asked of 20, %d clients\n", name, gb.hostedRows, len(bench.BenchAskedItems), workers)
	r, err := g.Run(ctx, name, d, workers)
	if err != nil {
		return err
	}
	r.Print(stdout)
	return nil
}
