// Package bench measures the platform where speed matters for issue #2:
// statutory deadline computation, sign-in and an authorised read through the
// real HTTP API on a real database. `govshare bench` and `go test -bench`
// both use it, so the README's figures come from one place.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/store"
)

// Result is one measurement.
type Result struct {
	Name    string
	Ops     int64
	Elapsed time.Duration
}

// PerSecond is the throughput.
func (r Result) PerSecond() float64 { return float64(r.Ops) / r.Elapsed.Seconds() }

// PerOp is the mean time per operation.
func (r Result) PerOp() time.Duration { return r.Elapsed / time.Duration(max(r.Ops, 1)) }

func (r Result) String() string {
	return fmt.Sprintf("%-34s %10d ops  %12.1f ops/s  %12s/op", r.Name, r.Ops, r.PerSecond(), r.PerOp())
}

// Deadline measures calendar.Due for a 10-working-day count across the 2026
// National Day holiday.
func Deadline() Result {
	cal := calendar.Builtin()
	from := calendar.Date{Year: 2026, Month: 9, Day: 28}
	r := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			if _, err := cal.Due(from, 10); err != nil {
				b.Fatal(err)
			}
		}
	})
	return Result{Name: "deadline (calendar.Due, 10 WD)", Ops: int64(r.N), Elapsed: r.T}
}

// Env is a running API over a store with the demo province loaded.
type Env struct {
	App    *app.App
	Server *httptest.Server
	Token  string // a personal API token of an office head
	Target string // a person that office head may read
}

// Setup loads the demo province into s and starts the API on a loopback port.
func Setup(ctx context.Context, s *store.Store) (*Env, error) {
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	p, err := demo.Load(ctx, a)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(httpapi.New(a, httpapi.Options{}).Handler())
	head := p.Account("gat.head")
	_, actor, err := a.Auth.SignIn(ctx, head.Username, demo.Password)
	if err != nil {
		srv.Close()
		return nil, err
	}
	tok, err := a.Auth.CreateToken(ctx, actor, auth.NewToken{Name: "bench"})
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Env{App: a, Server: srv, Token: tok.Secret, Target: p.Account("gat.staff").ID}, nil
}

// Close stops the server.
func (e *Env) Close() { e.Server.Close() }

// SignIn performs one sign-in through the API.
func (e *Env) SignIn(client *http.Client) error {
	body, _ := json.Marshal(map[string]string{"username": "gat.staff", "password": demo.Password})
	resp, err := client.Post(e.Server.URL+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sign-in: status %d", resp.StatusCode)
	}
	return nil
}

// Read performs one authorised read of a person through the API with a token.
func (e *Env) Read(client *http.Client) error {
	req, _ := http.NewRequest(http.MethodGet, e.Server.URL+"/api/v1/people/"+e.Target, nil)
	req.Header.Set("Authorization", "Bearer "+e.Token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("read: status %d", resp.StatusCode)
	}
	return nil
}

// Throughput runs op from workers goroutines for d and counts completions.
func Throughput(ctx context.Context, name string, d time.Duration, workers int, op func(*http.Client) error) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var ops atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			for ctx.Err() == nil {
				if err := op(client); err != nil {
					once.Do(func() { firstErr = err; cancel() })
					return
				}
				ops.Add(1)
			}
		}()
	}
	wg.Wait()
	return Result{Name: name, Ops: ops.Load(), Elapsed: time.Since(start)}, firstErr
}
