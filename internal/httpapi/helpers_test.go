package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/store"
)

// clock is a movable clock for the services.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a real API server over a real store with the demo province.
type env struct {
	t      *testing.T
	app    *app.App
	api    *httpapi.API
	srv    *httptest.Server
	p      *demo.Province
	clock  *clock
	tokens map[string]string // username -> bearer secret
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	a := app.New(s, c.Now, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(make([]byte, 32)) // a test master key
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(a, httpapi.Options{})
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, app: a, api: api, srv: srv, p: p, clock: c, tokens: map[string]string{}}
}

// token returns a personal API token for a demo account.
func (e *env) token(username string) string {
	e.t.Helper()
	if tok, ok := e.tokens[username]; ok {
		return tok
	}
	acc := e.p.Account(username)
	actor := e.actor(acc.ID)
	tok, err := e.app.Auth.CreateToken(context.Background(), actor, auth.NewToken{Name: "test"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.tokens[username] = tok.Secret
	return tok.Secret
}

func (e *env) actor(personID string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	err := e.app.Store.Read(context.Background(), func(tx *store.Tx) (err error) { a, err = tx.Actor(context.Background(), personID); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", personID, err)
	}
	return *a
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r response) problem(t *testing.T) httpapi.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, r.body)
	}
	var p httpapi.Problem
	r.json(t, &p)
	return p
}

// do sends a request as username ("" for anonymous) with a JSON body (string or value).
func (e *env) do(username, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if username != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(username))
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) response {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// eventCount is the number of recorded acts.
func (e *env) eventCount() int64 {
	e.t.Helper()
	var n int64
	err := e.app.Store.Read(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.EventCount(context.Background()); return err })
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
