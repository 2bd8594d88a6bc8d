package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/storetest"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// The operational endpoints answer, the metrics count requests and warn about
// a missing next-year calendar, and the structured log carries no personal data.
func TestOperationalEndpointsAndLogs(t *testing.T) {
	s := storetest.SQLite(t)
	c := &clock{t: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)}
	a := app.New(s, c.Now, auth.DefaultPolicy)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	api := httpapi.New(a, httpapi.Options{Log: slog.New(slog.NewJSONHandler(logs, nil))})
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	e := &env{t: t, app: a, api: api, srv: srv, p: p, clock: c, tokens: map[string]string{}}

	if res := e.do("", "GET", "/healthz", nil); res.status != 200 {
		t.Fatalf("healthz: %d", res.status)
	}
	if res := e.do("", "GET", "/readyz", nil); res.status != 200 || !strings.Contains(string(res.body), `"ready":true`) {
		t.Fatalf("readyz: %d %s", res.status, res.body)
	}
	// Sign in with a password, read a person, fail a sign-in: none of the
	// names, usernames or passwords may reach the log.
	e.do("", "POST", "/api/v1/session", map[string]string{"username": "gat.head", "password": demo.Password})
	e.do("", "POST", "/api/v1/session", map[string]string{"username": "gat.staff", "password": "wrong-password-x"})
	e.do("gat.head", "GET", "/api/v1/people/"+p.Account("gat.staff").ID, nil)
	e.do("gat.head", "GET", "/api/v1/people?department_id="+p.Departments["浙江省公安厅"].ID, nil)
	out := logs.String()
	if !strings.Contains(out, `"route":"GET /api/v1/people/{id}"`) {
		t.Fatalf("the log lacks the request line: %s", out)
	}
	for _, secret := range []string{"gat.head", "gat.staff", "王处长", "李经办", demo.Password, "wrong-password-x", e.token("gat.head"), p.Departments["浙江省公安厅"].ID} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains %q: personal data, secrets and query strings must not be logged", secret)
		}
	}
	res := e.do("", "GET", "/metrics", nil)
	if res.status != 200 {
		t.Fatalf("metrics: %d", res.status)
	}
	for _, want := range []string{
		`govshare_http_requests_total{code="200",route="GET /api/v1/people/{id}"} 1`,
		`govshare_http_requests_total{code="401",route="POST /api/v1/session"} 1`,
		"govshare_calendar_next_year_missing 1",
	} {
		if !strings.Contains(string(res.body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Before 1 November nothing is missing yet.
	c.mu.Lock()
	c.t = time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC)
	c.mu.Unlock()
	if res := e.do("", "GET", "/metrics", nil); !strings.Contains(string(res.body), "govshare_calendar_next_year_missing 0") {
		t.Error("metrics warn about next year in October")
	}
	// In a year the calendar does not know, the node is not ready.
	c.mu.Lock()
	c.t = time.Date(2027, 1, 4, 2, 0, 0, 0, time.UTC)
	c.mu.Unlock()
	if res := e.do("", "GET", "/readyz", nil); res.status != 503 || !strings.Contains(string(res.body), "current year missing") {
		t.Errorf("readyz in an unknown year: %d %s", res.status, res.body)
	}
}
