package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/store"
)

// benchEngineOpen names an engine and opens a fresh store on it.
type benchEngineOpen = struct {
	name string
	open func() (*store.Store, func(), error)
}

// benchLedger measures the tamper-evident ledger (issue #5: appends of at
// least 20,000 entries a second on SQLite from concurrent writers, each
// acknowledged only once durable; 1,000,000 entries verified in under 10
// s; an inclusion proof in under a millisecond). Appends run on every
// engine, from writers goroutines for d, with one and with eight events a
// call; the ledger of entries entries is generated, integrated, verified
// and proved on SQLite.
func benchLedger(ctx context.Context, engines []benchEngineOpen, entries, writers int, d time.Duration, stdout io.Writer) error {
	fmt.Fprintf(stdout, "\n--- tamper-evident ledger: durable appends from %d writers for %s each; %d entries verified ---\n", writers, d, entries)
	for _, e := range engines {
		for _, perCall := range []int{1, 8} {
			s, cleanup, err := e.open()
			if err != nil {
				return fmt.Errorf("bench ledger %s: %w", e.name, err)
			}
			r, err := func() (bench.LedgerAppendResult, error) {
				defer cleanup()
				if _, err := s.Migrate(ctx); err != nil {
					return bench.LedgerAppendResult{}, err
				}
				return bench.LedgerAppend(ctx, s, fmt.Sprintf("ledger append %d/call (%s)", perCall, e.name), d, writers, perCall)
			}()
			if err != nil {
				return fmt.Errorf("bench ledger %s: %w", e.name, err)
			}
			fmt.Fprintln(stdout, r)
		}
	}
	s, cleanup, err := engines[0].open()
	if err != nil {
		return fmt.Errorf("bench ledger: %w", err)
	}
	defer cleanup()
	if _, err := s.Migrate(ctx); err != nil {
		return err
	}
	r, err := bench.LedgerVerify(ctx, s, engines[0].name, entries, 5000, 2000)
	if err != nil {
		return fmt.Errorf("bench ledger: %w", err)
	}
	fmt.Fprintln(stdout, r)
	return nil
}
