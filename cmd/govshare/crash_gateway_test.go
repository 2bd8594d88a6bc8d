package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
)

// A service-interface call is answered only once its record (nonce, event,
// the day's count) is durable: it is written by the group committer
// (store/groupcommit.go), batched with other commands. Killed with SIGKILL
// under a load of signed queries, the node must keep, after its restart, an
// event and a count for every call it answered, and refuse a replay of an
// answered call's nonce.
func TestCrashKeepsAnsweredCalls(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it under load")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "govshare")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "data", "govshare.db")

	// The demo province, with its systems' keys sealed under the master
	// key file that serve finds beside the database.
	s, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	keys, err := gateway.LoadKeyring(filepath.Dir(db))
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	grantID := p.Deliveries.Grants["approved"]
	var key demo.SystemCredential
	for _, sc := range p.Deliveries.Systems {
		if sc.Grants["approved"] == grantID && sc.Secret != "" {
			key = sc
		}
	}
	var g *grant.Grant
	if err := s.Read(ctx, func(tx *store.Tx) (err error) { g, err = tx.Grant(ctx, grantID); return err }); err != nil || g == nil || key.KeyID == "" {
		t.Fatalf("demo grant %q, key %q: %v", grantID, key.KeyID, err)
	}
	before := callsOf(t, s, grantID)
	s.Close()

	body, err := json.Marshal(delivery.QueryRequest{GrantID: grantID, Purpose: g.Purpose.Scenario, Items: []string{"姓名", "学历层次"},
		Where: map[string]json.RawMessage{"证书编号": json.RawMessage(`"103351202605001234"`)}})
	if err != nil {
		t.Fatal(err)
	}
	var lastNonce atomic.Value
	call := func(client *http.Client, base, nonce string) (int, error) {
		req, err := http.NewRequest(http.MethodPost, base+"/gateway/v1/query", bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", "application/json")
		gateway.Sign(req, key.KeyID, key.Secret, body, time.Now(), nonce)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	srv := startNode(t, bin, db, "calls-first")
	const clients = 16
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var (
		acked, cut atomic.Int64 // answered (served or refused by the grant's limits), cut off
		served     atomic.Int64
		killed     atomic.Bool
		mu         sync.Mutex
		failure    error
		wg         sync.WaitGroup
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				nonce := gateway.NewNonce()
				status, err := call(client, srv.base, nonce)
				switch {
				case err != nil && killed.Load():
					cut.Add(1) // not answered: owed nothing
					return
				case err != nil || status != http.StatusOK && status != http.StatusTooManyRequests:
					mu.Lock()
					failure = fmt.Errorf("call before the kill: %d %v", status, err)
					mu.Unlock()
					return
				}
				if status == http.StatusOK {
					served.Add(1)
				}
				acked.Add(1) // a refusal is recorded like a success
				lastNonce.Store(nonce)
			}
		}()
	}
	for deadline := time.Now().Add(20 * time.Second); acked.Load() < 1500 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		f := failure
		mu.Unlock()
		if f != nil {
			break
		}
	}
	killed.Store(true)
	srv.kill(t)
	wg.Wait()
	client.CloseIdleConnections()
	if failure != nil {
		t.Fatal(failure)
	}
	if acked.Load() < 1500 {
		t.Fatalf("the load did not get under way: %d calls answered\n%s", acked.Load(), srv.log())
	}
	t.Logf("killed with %d calls answered (%d served) and %d cut off", acked.Load(), served.Load(), cut.Load())
	if served.Load() == 0 {
		t.Fatal("no call was served")
	}

	// Second life: a replay of an answered call is refused, then the node
	// stops cleanly.
	srv = startNode(t, bin, db, "calls-second")
	if status, err := call(http.DefaultClient, srv.base, lastNonce.Load().(string)); err != nil || status != http.StatusConflict && status != http.StatusUnauthorized {
		t.Fatalf("replay of an answered call after the restart: %d %v, want refused", status, err)
	}
	srv.stop(t)

	s, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after := callsOf(t, s, grantID)
	if got := after.events - before.events; got < acked.Load() || got > acked.Load()+cut.Load() {
		t.Fatalf("%d query events after the crash for %d calls answered (%d cut off)", got, acked.Load(), cut.Load())
	}
	if got := after.served + after.refused - before.served - before.refused; got != after.events-before.events {
		t.Fatalf("%d calls counted, %d recorded", got, after.events-before.events)
	}
	if got := after.served - before.served; got < served.Load() || got > served.Load()+cut.Load() {
		t.Fatalf("%d calls counted after the crash for %d served (%d cut off)", got, served.Load(), cut.Load())
	}
}

type grantCalls struct{ events, served, refused int64 }

// callsOf counts the query events of a grant and its served calls of every
// day.
func callsOf(t *testing.T, s *store.Store, grantID string) grantCalls {
	t.Helper()
	ctx := context.Background()
	var c grantCalls
	err := s.Read(ctx, func(tx *store.Tx) error {
		for after := int64(0); ; {
			evs, err := tx.ListEvents(ctx, ledger.Filter{Action: delivery.ActionQuery, After: after, Limit: 1000})
			if err != nil {
				return err
			}
			for _, e := range evs {
				if e.ObjectID == grantID {
					c.events++
				}
			}
			if len(evs) == 0 {
				break
			}
			after = evs[len(evs)-1].Seq
		}
		u, err := tx.GrantUsage(ctx, grantID, "2000-01-01", "2999-12-31")
		for _, d := range u {
			c.served += d.Calls
			c.refused += d.Refused
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
