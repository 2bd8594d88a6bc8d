package upstream_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/upstream"
)

type env struct {
	t   *testing.T
	s   *store.Store
	app *app.App
	p   *demo.Province
	ctx context.Context
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	a := app.New(s, func() time.Time { return testNow }, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, s: s, app: a, p: p, ctx: ctx}
}

func (e *env) as(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	id := e.p.Account(username).ID
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, id); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

func code(err error) string { return problem.CodeOf(err) }

// TestUpstreamRegistration: only the provider's sharing office registers an
// endpoint for its published entry, once while active; the secret is shown
// once, sealed at rest and never recorded; bad input changes nothing;
// reading, listing and disabling follow the rights.
func TestUpstreamRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		entry := e.p.Entries["常住人口基本信息"]
		in := upstream.NewEndpoint{EntryID: entry, URL: "https://gat.example.gov.cn/share/population"}
		events := func() int64 {
			var n int64
			if err := s.Read(e.ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(e.ctx); return err }); err != nil {
				t.Fatal(err)
			}
			return n
		}

		before := events()
		for _, who := range []string{"hzga.staff", "scjg.head", "admin", "zj.reviewer", "audit", "ops"} {
			if _, err := e.app.Upstreams.Register(e.ctx, e.as(who), in); !errors.Is(err, problem.ErrForbidden) {
				t.Errorf("%s registers for gat's entry: %v, want forbidden", who, err)
			}
		}
		draft := e.p.Entries["暂住人口登记信息"]
		if _, err := e.app.Upstreams.Register(e.ctx, e.as("hzga.staff"), upstream.NewEndpoint{EntryID: draft, URL: in.URL}); code(err) != "upstream.entry_not_found" {
			t.Errorf("a foreign office on gat's draft: %v, want upstream.entry_not_found", err)
		}
		if _, err := e.app.Upstreams.Register(e.ctx, e.as("gat.staff"), upstream.NewEndpoint{EntryID: draft, URL: in.URL}); code(err) != "upstream.entry_not_published" {
			t.Errorf("gat's draft: %v, want upstream.entry_not_published", err)
		}
		for url, want := range map[string]string{
			"":                               "upstream.url_required",
			"ftp://gat.example.gov.cn/x":     "upstream.url_invalid",
			"gat.example.gov.cn/x":           "upstream.url_invalid",
			"https://u:p@gat.example.gov.cn": "upstream.url_invalid",
			"https://gat.example.gov.cn/#x":  "upstream.url_invalid",
		} {
			_, err := e.app.Upstreams.Register(e.ctx, e.as("gat.staff"), upstream.NewEndpoint{EntryID: entry, URL: url})
			var p *problem.Error
			if !errors.As(err, &p) || p.Code != want || p.Field != "url" {
				t.Errorf("url %q: %v, want %s on url", url, err, want)
			}
		}
		for _, bad := range []upstream.NewEndpoint{{TimeoutMS: 50}, {TimeoutMS: 30001}, {MaxResponseBytes: 100}, {MaxResponseBytes: 17 << 20}} {
			bad.EntryID, bad.URL = entry, in.URL
			if _, err := e.app.Upstreams.Register(e.ctx, e.as("gat.staff"), bad); !problem.Is(err, problem.Invalid) {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}
		if n := events(); n != before {
			t.Fatalf("refused registrations wrote %d events", n-before)
		}

		r, err := e.app.Upstreams.Register(e.ctx, e.as("gat.staff"), in)
		if err != nil {
			t.Fatal(err)
		}
		if r.TimeoutMS != 5000 || r.MaxResponseBytes != 1<<20 || r.State != upstream.Active || !strings.HasPrefix(r.Secret, "gsu_") ||
			r.ProviderID != e.p.Departments["浙江省公安厅"].ID {
			t.Fatalf("registered %+v", r)
		}
		if _, err := e.app.Upstreams.Register(e.ctx, e.as("gat.head"), in); code(err) != "upstream.exists" {
			t.Fatalf("second active endpoint: %v, want upstream.exists", err)
		}

		// Sealed at rest: the stored secret opens to the shown one, and the
		// record has neither it nor its ciphertext.
		var sealed *gateway.SealedSecret
		if err := s.Read(e.ctx, func(tx *store.Tx) (err error) { _, sealed, err = tx.ActiveUpstream(e.ctx, entry); return err }); err != nil || sealed == nil {
			t.Fatalf("active upstream: %v", err)
		}
		if strings.Contains(string(sealed.Ciphertext), r.Secret) {
			t.Fatal("the secret is stored in clear")
		}
		keys, _ := e.app.Gateway.Keys()
		if got, err := upstream.OpenSecret(keys, r.Endpoint, *sealed); err != nil || got != r.Secret {
			t.Fatalf("open secret: %q %v", got, err)
		}
		var evs []ledger.Event
		if err := s.Read(e.ctx, func(tx *store.Tx) (err error) {
			evs, err = tx.ListEvents(e.ctx, ledger.Filter{ObjectType: "upstream", Limit: 100})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Action != "upstream.register" || evs[0].ObjectID != r.ID || evs[0].ObjectDepartmentID != r.ProviderID {
			t.Fatalf("events %+v", evs)
		}
		if d, _ := ledger.Digest(r.Endpoint); evs[0].Digest != d {
			t.Fatal("the record digests something other than the endpoint without its secret")
		}
		if b, _ := json.Marshal(r.Endpoint); strings.Contains(string(b), "gsu_") {
			t.Fatal("the endpoint carries its secret")
		}

		// Reading and listing.
		for who, want := range map[string]string{"gat.head": "", "admin": "", "zj.reviewer": "", "audit": "",
			"hz.reviewer": "upstream.not_found", "hzga.staff": "upstream.not_found", "scjg.staff": "upstream.not_found", "ops": "upstream.not_found"} {
			if _, err := e.app.Upstreams.Get(e.ctx, e.as(who), r.ID); code(err) != want {
				t.Errorf("%s reads: %v, want %q", who, err, want)
			}
		}
		for who, want := range map[string]int{"gat.staff": 1, "admin": 1, "zj.reviewer": 1, "hzga.staff": 0, "hz.reviewer": 0} {
			got, err := e.app.Upstreams.List(e.ctx, e.as(who), upstream.Filter{})
			if err != nil || len(got) != want {
				t.Errorf("%s lists %d (%v), want %d", who, len(got), err, want)
			}
		}
		if _, err := e.app.Upstreams.List(e.ctx, e.as("ops"), upstream.Filter{}); !errors.Is(err, problem.ErrForbidden) {
			t.Errorf("a contractor lists: %v", err)
		}

		// Disabling: not by a reader, not with a stale version, then once.
		if _, err := e.app.Upstreams.Disable(e.ctx, e.as("zj.reviewer"), r.ID, upstream.Version{Version: 1}); !errors.Is(err, problem.ErrForbidden) {
			t.Fatalf("reviewer disables: %v", err)
		}
		if _, err := e.app.Upstreams.Disable(e.ctx, e.as("gat.staff"), r.ID, upstream.Version{Version: 7}); !errors.Is(err, problem.ErrVersionConflict) {
			t.Fatalf("stale version: %v", err)
		}
		d, err := e.app.Upstreams.Disable(e.ctx, e.as("admin"), r.ID, upstream.Version{Version: 1})
		if err != nil || d.State != upstream.Disabled || d.Version != 2 {
			t.Fatalf("admin disables: %+v %v", d, err)
		}
		if _, err := e.app.Upstreams.Disable(e.ctx, e.as("gat.staff"), r.ID, upstream.Version{Version: 2}); code(err) != "upstream.wrong_state" {
			t.Fatalf("disable twice: %v", err)
		}
		var active *upstream.Endpoint
		if err := s.Read(e.ctx, func(tx *store.Tx) (err error) { active, _, err = tx.ActiveUpstream(e.ctx, entry); return err }); err != nil || active != nil {
			t.Fatalf("after disabling, active %+v %v", active, err)
		}
		if _, err := e.app.Upstreams.Register(e.ctx, e.as("gat.head"), in); err != nil {
			t.Fatalf("register again after disabling: %v", err)
		}
	})
}
