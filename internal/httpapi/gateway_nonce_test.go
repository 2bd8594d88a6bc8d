package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The query and verify routes record the request's nonce with the call's
// event (one commit per call). A replay is still refused and never answered:
// on the node that accepted the nonce before anything is read, and, for a
// nonce recorded elsewhere (another node, before a restart), by the write
// that would record the call, which then counts and records nothing of it
// and withholds the row it read.
func TestGatewayReplayWithEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetup(t, s)
		ctx := context.Background()
		body, _ := json.Marshal(map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验", "items": []string{"姓名"}, "where": where(gwID, gwName)})
		send := func(path, nonce string) response {
			t.Helper()
			req, _ := http.NewRequest("POST", f.e.srv.URL+path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			gateway.Sign(req, f.key.KeyID, f.key.Secret, body, f.e.clock.Now(), nonce)
			return f.e.send(req)
		}
		counted := func() int64 {
			t.Helper()
			var n int64
			err := s.Read(ctx, func(tx *store.Tx) error {
				days, err := tx.GrantUsage(ctx, f.grant.ID, "2000-01-01", "2999-12-31")
				for _, d := range days {
					n += d.Calls + d.Refused
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		refused := func(r response, what string) {
			t.Helper()
			if p := r.problem(t); r.status != http.StatusUnauthorized || p.Code != "gateway.nonce_replayed" {
				t.Fatalf("%s: %d %s, want 401 gateway.nonce_replayed", what, r.status, r.body)
			}
			if strings.Contains(string(r.body), gwName) {
				t.Fatalf("%s: the refusal carries the row: %s", what, r.body)
			}
		}

		// Same node: the second use is refused before any read.
		nonce := gateway.NewNonce()
		if r := send("/gateway/v1/query", nonce); r.status != http.StatusOK {
			t.Fatalf("first use: %d %s", r.status, r.body)
		}
		queries, calls, refusals := len(f.events("gateway.query")), counted(), len(f.events("gateway.refuse"))
		refused(send("/gateway/v1/query", nonce), "replay to the same node")
		if n := len(f.events("gateway.query")); n != queries {
			t.Fatalf("replay recorded as a query: %d events, want %d", n, queries)
		}
		if n := counted(); n != calls {
			t.Fatalf("replay counted: %d calls, want %d", n, calls)
		}
		if n := len(f.events("gateway.refuse")); n != refusals+1 {
			t.Fatalf("%d refusals recorded, want %d", n, refusals+1)
		}
		// The nonce reached the database with the call's event.
		var fresh bool
		if err := s.Write(ctx, func(tx *store.Tx) (err error) {
			fresh, err = tx.UseNonce(ctx, f.key.KeyID, nonce, f.e.clock.Now(), f.e.clock.Now().Add(2*gateway.Window))
			return err
		}); err != nil || fresh {
			t.Fatalf("nonce of an answered call not recorded (fresh %v, %v)", fresh, err)
		}

		// A nonce another node accepted: this node has not seen it, reads
		// the row, and the write refuses the call.
		for _, path := range []string{"/gateway/v1/query", "/gateway/v1/verify"} {
			nonce := gateway.NewNonce()
			if err := s.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.UseNonce(ctx, f.key.KeyID, nonce, f.e.clock.Now(), f.e.clock.Now().Add(2*gateway.Window))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			queries, verifies, calls := len(f.events("gateway.query")), len(f.events("gateway.verify")), counted()
			refused(send(path, nonce), "replay of a nonce recorded elsewhere on "+path)
			if len(f.events("gateway.query")) != queries || len(f.events("gateway.verify")) != verifies || counted() != calls {
				t.Fatalf("%s: a replay refused at the write left a trace of the call", path)
			}
		}
	})
}
