package bench

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/upstream"
)

// Gateway measures the service interface of issue #4: a consumer system's
// signed lookups through the gateway — signature, grant check, item
// filtering, masking, limits and the recorded event — against the same
// lookups with none of that: a proxied entry against calling its upstream
// directly, and a hosted entry against a bare server reading the same
// store.
type Gateway struct {
	App *app.App
	// Platform serves the API and the gateway.
	Platform *httptest.Server
	// UpstreamServer is the provider's own system the proxied entry is
	// served by; Bare answers hosted lookups with no checks and no record.
	UpstreamServer, Bare *httptest.Server
	upstream             *Upstream
	key                  gateway.Issued
	proxied, hosted      string // grant IDs
	hostedEntry          string
	upstreamRows         int
	hostedRows           int
}

// NewGateway loads the demo province into s and sets up both entries of
// 浙江省公安厅, granted to 浙江省市场监督管理局, whose system holds a key:
// one served by an upstream over upstreamDB (upstreamRows people, see
// UpstreamDB), one hosted with hostedRows people.
//
// The platform's clock starts at the demo's reference time and runs: the
// grant's per-second bucket refills with it.
func NewGateway(ctx context.Context, s *store.Store, upstreamDB string, upstreamRows, hostedRows int) (*Gateway, error) {
	start := time.Now()
	a := app.New(s, func() time.Time { return demo.ReferenceTime.Add(time.Since(start)) }, auth.DefaultPolicy)
	master := make([]byte, 32)
	_, _ = crand.Read(master)
	keys, err := gateway.NewKeyring(master)
	if err != nil {
		return nil, err
	}
	a.Gateway.UseKeyring(keys)
	p, err := demo.Load(ctx, a)
	if err != nil {
		return nil, err
	}
	g := &Gateway{App: a, upstreamRows: upstreamRows, hostedRows: hostedRows}
	ok := false
	defer func() {
		if !ok {
			g.Close()
		}
	}()
	if g.upstream, err = OpenUpstream(ctx, upstreamDB, upstreamRows); err != nil {
		return nil, err
	}
	g.UpstreamServer = httptest.NewServer(g.upstream)
	g.Platform = httptest.NewServer(httpapi.New(a, httpapi.Options{}).Handler())

	var gat org.Department
	for _, d := range p.Departments {
		if d.Name == "浙江省公安厅" {
			gat = d
		}
	}
	office, err := actorOf(ctx, s, p, "gat.staff")
	if err != nil {
		return nil, err
	}
	proxiedEntry, err := seedPeopleEntry(ctx, s, gat, "常住人口信息（代理服务基准）")
	if err != nil {
		return nil, err
	}
	if _, err := a.Upstreams.Register(ctx, office, upstream.NewEndpoint{EntryID: proxiedEntry, URL: g.UpstreamServer.URL + "/people/query"}); err != nil {
		return nil, err
	}
	if g.proxied, err = grantPeople(ctx, a, s, p, proxiedEntry); err != nil {
		return nil, err
	}
	if g.hostedEntry, err = seedPeopleEntry(ctx, s, gat, "常住人口信息（托管数据基准）"); err != nil {
		return nil, err
	}
	if err := loadPeople(ctx, a, office, g.hostedEntry, hostedRows); err != nil {
		return nil, err
	}
	if g.hosted, err = grantPeople(ctx, a, s, p, g.hostedEntry); err != nil {
		return nil, err
	}
	consumer, err := actorOf(ctx, s, p, "scjg.staff")
	if err != nil {
		return nil, err
	}
	sys, err := a.Gateway.Register(ctx, consumer, gateway.NewSystem{Name: "企业登记系统（基准）"})
	if err != nil {
		return nil, err
	}
	if g.key, err = a.Gateway.IssueCredential(ctx, consumer, sys.ID); err != nil {
		return nil, err
	}
	g.Bare = httptest.NewServer(bareLookup(s, g.hostedEntry))
	ok = true
	return g, nil
}

// Close stops the servers.
func (g *Gateway) Close() {
	for _, srv := range []*httptest.Server{g.Platform, g.UpstreamServer, g.Bare} {
		if srv != nil {
			srv.Close()
		}
	}
	if g.upstream != nil {
		g.upstream.Close()
	}
}

// bareLookup is a net/http server doing the gateway's hosted lookup on the
// same store — one read transaction, the row by its canonical key, the asked
// items — with no signature, no authorisation and no record.
func bareLookup(s *store.Store, entry string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var q upstreamQuery
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&q); err != nil {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		key, _ := json.Marshal(q.Where)
		var data string
		err := s.Read(r.Context(), func(tx *store.Tx) error {
			rows, err := tx.DatasetRows(r.Context(), entry, []string{string(key)})
			if row, ok := rows[string(key)]; ok && !row.Deleted {
				data = row.Data
			}
			return err
		})
		if err != nil {
			http.Error(w, "lookup failed", http.StatusInternalServerError)
			return
		}
		out := []map[string]json.RawMessage{}
		if data != "" {
			var all map[string]json.RawMessage
			if err := json.Unmarshal([]byte(data), &all); err != nil {
				http.Error(w, "bad row", http.StatusInternalServerError)
				return
			}
			row := map[string]json.RawMessage{}
			for _, it := range q.Items {
				if v, ok := all[it]; ok {
					row[it] = v
				}
			}
			out = append(out, row)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"rows": out})
	})
}

// post sends body and checks that the answer is 200 with one row.
func post(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d: %s", req.URL.Path, resp.StatusCode, b)
	}
	if !bytes.HasPrefix(b, []byte(`{"rows":[{`)) {
		return fmt.Errorf("%s: no row: %s", req.URL.Path, b)
	}
	return nil
}

func where(i int) map[string]string { return map[string]string{personItems[0].Name: personKey(i)} }

// plain calls url with the query of a random person of n, unsigned.
func plain(url string, n int) func(*http.Client) error {
	return func(c *http.Client) error {
		b, _ := json.Marshal(upstreamQuery{Where: where(rand.IntN(n)), Items: BenchAskedItems})
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		return post(c, req)
	}
}

// The four calls measured, as load specs (load.go) for workers clients
// during d.
const (
	CallDirect  = "upstream direct"
	CallProxied = "proxied via gateway"
	CallBare    = "hosted lookup, bare server"
	CallHosted  = "hosted lookup via gateway"
)

// Spec is the load of one of the four calls.
func (g *Gateway) Spec(call string, d time.Duration, workers int) LoadSpec {
	s := LoadSpec{Name: call, Workers: workers, Duration: d}
	signed := func(grantID string, n int) {
		s.URL, s.N, s.GrantID, s.KeyID, s.Secret = g.Platform.URL+"/gateway/v1/query", n, grantID, g.key.KeyID, g.key.Secret
		s.ClockOffset = g.App.Now().Sub(time.Now())
	}
	switch call {
	case CallDirect:
		s.URL, s.N = g.UpstreamServer.URL+"/people/query", g.upstreamRows
	case CallProxied:
		signed(g.proxied, g.upstreamRows)
	case CallBare:
		s.URL, s.N = g.Bare.URL, g.hostedRows
	case CallHosted:
		signed(g.hosted, g.hostedRows)
	}
	return s
}

// Direct calls the upstream directly with a random person's query.
func (g *Gateway) Direct() func(*http.Client) error { return g.Spec(CallDirect, 0, 0).Op() }

// Proxied calls the gateway for the same query of the proxied entry.
func (g *Gateway) Proxied() func(*http.Client) error { return g.Spec(CallProxied, 0, 0).Op() }

// BareHosted calls the bare server for a random hosted person.
func (g *Gateway) BareHosted() func(*http.Client) error { return g.Spec(CallBare, 0, 0).Op() }

// Hosted calls the gateway for a random person of the hosted entry.
func (g *Gateway) Hosted() func(*http.Client) error { return g.Spec(CallHosted, 0, 0).Op() }
