package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
)

// sealLedger gives the platform a checkpoint key and seals new events as
// `govshare serve` does (cmd/govshare: useLedger, startIntegrator), so
// that the console's ledger pages have a signed checkpoint to show and a
// tree that grows while a test acts. The key is a fresh SM2 key per
// platform; nothing is written outside the test's database.
func sealLedger(t *testing.T, a *app.App) {
	t.Helper()
	key, err := tlog.GenerateKey(tlog.KeyAlgorithmSM2)
	if err != nil {
		t.Fatal(err)
	}
	const origin = "govshare/e2e"
	signer, err := tlog.NewSigner(origin, key)
	if err != nil {
		t.Fatal(err)
	}
	a.Tree.Configure(ledger.TreeConfig{Origin: origin, Signer: signer, PublicKey: key.Public()})
	if _, err := a.Tree.Integrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, err := a.Tree.Integrate(ctx); err != nil && ctx.Err() == nil {
					t.Errorf("sealing the ledger: %v", err)
					return
				}
			}
		}
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
}
