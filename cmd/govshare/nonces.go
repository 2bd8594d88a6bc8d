package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// noncePurgeInterval is how often serve deletes the gateway nonces that can
// no longer be replayed. A nonce is kept for 2×gateway.Window (10 minutes)
// after its request, so purging every 5 minutes holds the table to about the
// last quarter hour of signed requests. Replay protection never depends on
// the purge: a nonce is refused while unexpired, purged or not.
const noncePurgeInterval = 5 * time.Minute

// startNoncePurge runs purge (gateway.Service.PurgeNonces) every interval until the returned stop is
// called; stop waits for a purge in progress, so the store can be closed
// after it.
func startNoncePurge(ctx context.Context, purge func(context.Context) (int64, error), every time.Duration, log *slog.Logger) (stop func()) {
	return runEvery(ctx, every, func(ctx context.Context) {
		n, err := purge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("purging gateway nonces failed", "err", err.Error())
		case n > 0:
			log.Debug("purged gateway nonces", "count", n)
		}
	})
}

// runEvery calls job every interval until the returned stop is called; stop
// cancels job's context and waits for a call in flight to return.
func runEvery(ctx context.Context, every time.Duration, job func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				job(ctx)
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
