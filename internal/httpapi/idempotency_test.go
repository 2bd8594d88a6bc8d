package httpapi_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// A POST retried with the same Idempotency-Key acts once and answers the
// same; the key cannot be reused for another request.
func TestIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		post := func(key, body string) response {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/me/tokens", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.token("gat.staff"))
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			return e.send(req)
		}
		tokens := func() int {
			res := e.do("gat.staff", "GET", "/api/v1/me/tokens", nil)
			var page struct{ Items []map[string]any }
			res.json(t, &page)
			return len(page.Items)
		}
		before := tokens()
		first := post("retry-1", `{"name":"nightly export"}`)
		if first.status != 201 {
			t.Fatalf("first: %d %s", first.status, first.body)
		}
		again := post("retry-1", `{"name":"nightly export"}`)
		if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s (replayed=%q)", again.status, again.body, again.header.Get("Idempotent-Replayed"))
		}
		if got := tokens(); got != before+1 {
			t.Fatalf("tokens after a retried POST: %d, want %d", got, before+1)
		}
		if res := post("retry-1", `{"name":"another"}`); res.status != 422 || res.problem(t).Code != "request.idempotency_key_reused" {
			t.Fatalf("reused key: %d %s", res.status, res.body)
		}
		if res := post("bad key with spaces", `{"name":"x"}`); res.status != 400 || res.problem(t).Field != "Idempotency-Key" {
			t.Fatalf("invalid key: %d %s", res.status, res.body)
		}
		// A refused request is stored too: the retry gets the same refusal.
		if res := post("retry-2", `{"name":""}`); res.status != 422 {
			t.Fatalf("refused: %d %s", res.status, res.body)
		}
		if res := post("retry-2", `{"name":""}`); res.status != 422 || res.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("refused replay: %d %s", res.status, res.body)
		}
		// Concurrent retries with one key: exactly one token is made.
		before = tokens()
		var wg sync.WaitGroup
		statuses := make([]int, 6)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = post("burst", `{"name":"burst"}`).status
			}()
		}
		wg.Wait()
		if got := tokens(); got != before+1 {
			t.Fatalf("concurrent retries made %d tokens, want 1 (statuses %v)", got-before, statuses)
		}
		for _, st := range statuses {
			if st != 201 && st != 409 {
				t.Errorf("concurrent retry answered %d, want 201 or 409", st)
			}
		}
	})
}
