package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestNoncePurgeOnTimer runs serve's purge loop against a real store: while
// a nonce is inside its window the purge keeps it and a replay is refused;
// once it can no longer be replayed the next purge deletes it; stop ends
// the loop.
func TestNoncePurgeOnTimer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var mu sync.Mutex
		now := demo.ReferenceClock()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
		a := app.New(s, clock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		keys, err := gateway.NewKeyring(make([]byte, 32))
		if err != nil {
			t.Fatal(err)
		}
		a.Gateway.UseKeyring(keys)
		var staff *access.Actor
		if err := s.Read(ctx, func(tx *store.Tx) (err error) { staff, err = tx.Actor(ctx, p.Account("scjg.staff").ID); return err }); err != nil {
			t.Fatal(err)
		}
		sys, err := a.Gateway.Register(ctx, *staff, gateway.NewSystem{Name: "登记系统"})
		if err != nil {
			t.Fatal(err)
		}
		key, err := a.Gateway.IssueCredential(ctx, *staff, sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(`{}`)
		nonce, signedAt := gateway.NewNonce(), clock()
		verify := func() error {
			r := httptest.NewRequest("POST", "/gateway/v1/query", bytes.NewReader(body))
			gateway.Sign(r, key.KeyID, key.Secret, body, signedAt, nonce)
			_, err := a.Gateway.Verify(r, body, clock())
			return err
		}
		if err := verify(); err != nil {
			t.Fatal(err)
		}

		purged := make(chan int64, 100)
		purge := func(ctx context.Context) (int64, error) {
			n, err := a.Gateway.PurgeNonces(ctx)
			if err == nil {
				purged <- n
			}
			return n, err
		}
		advance(time.Minute)
		stop := startNoncePurge(ctx, purge, 5*time.Millisecond, slog.New(slog.DiscardHandler))
		defer stop()
		if n := <-purged; n != 0 {
			t.Fatalf("a purge inside the window deleted %d nonces", n)
		}
		if err := verify(); problem.CodeOf(err) != "gateway.nonce_replayed" {
			t.Fatalf("replay after a purge inside the window: %v, want gateway.nonce_replayed", err)
		}

		advance(2 * gateway.Window)
		deadline := time.After(10 * time.Second)
		for total := int64(0); total != 1; {
			select {
			case n := <-purged:
				total += n
			case <-deadline:
				t.Fatal("the purge loop did not delete the expired nonce")
			}
		}
		stop()
		select {
		case <-purged: // a purge that finished before stop
		default:
		}
		time.Sleep(20 * time.Millisecond)
		select {
		case <-purged:
			t.Fatal("the purge loop runs after stop")
		default:
		}
	})
}
