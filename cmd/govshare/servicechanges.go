package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/govshare/govshare/internal/app"
)

// serviceChangeInterval is how often `serve` looks for acknowledged service
// changes whose effective date has come (Art. 27 ¶3): a change takes effect
// within this long after the start of its day, without anyone acting.
const serviceChangeInterval = 10 * time.Minute

// startServiceChanges puts due service changes into effect every interval
// (servicechange.Service.ApplyDue) until the returned stop is called.
func startServiceChanges(ctx context.Context, a *app.App, every time.Duration, log *slog.Logger) (stop func()) {
	return runEvery(ctx, every, func(ctx context.Context) {
		n, err := a.ServiceChanges.ApplyDue(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("putting due service changes into effect failed", "err", err.Error())
		}
		if n > 0 {
			log.Info("service changes took effect on their date", "count", n)
		}
	})
}
