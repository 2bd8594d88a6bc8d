package gateway_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestCacheRules: a value is used only under the generation it was read
// at and for less than CacheTTL; a newer generation drops the older
// values, an older one is not kept; the size stays bounded.
func TestCacheRules(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c := gateway.NewCache[string](3)
	c.Put("a", "A", 5, t0)
	if v, ok := c.Get("a", 5, t0.Add(gateway.CacheTTL-time.Nanosecond)); !ok || v != "A" {
		t.Fatalf("fresh value: %q %v", v, ok)
	}
	for name, miss := range map[string]struct {
		gen uint64
		at  time.Time
	}{
		"another generation": {6, t0},
		"TTL passed":         {5, t0.Add(gateway.CacheTTL)},
		"clock gone back":    {5, t0.Add(-time.Second)},
	} {
		if _, ok := c.Get("a", miss.gen, miss.at); ok {
			t.Errorf("%s: value used", name)
		}
	}
	c.Put("b", "B", 4, t0) // read before generation 5: not kept
	if _, ok := c.Get("b", 4, t0); ok || c.Len() != 1 {
		t.Fatalf("a value of an older generation was kept (%d values)", c.Len())
	}
	c.Put("c", "C", 6, t0)
	if _, ok := c.Get("a", 5, t0); ok || c.Len() != 1 {
		t.Fatalf("generation 6 kept generation 5's values (%d values)", c.Len())
	}
	for i := range 10 {
		c.Put(strconv.Itoa(i), "x", 6, t0)
	}
	if c.Len() != 3 {
		t.Fatalf("%d values, want the bound 3", c.Len())
	}
}

// check verifies a fresh request of iss through gw at the env's clock.
func (e *env) check(gw *gateway.Service, iss gateway.Issued) (gateway.Caller, error) {
	r := e.signed(iss.KeyID, iss.Secret, `{}`)
	return gw.Check(r, []byte(`{}`), e.clock.Now())
}

func (e *env) mustCheck(gw *gateway.Service, iss gateway.Issued) gateway.Caller {
	e.t.Helper()
	c, err := e.check(gw, iss)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// TestChangesSeenAtOnce: a credential revoked, a system disabled, a system
// bound to fewer grants: each is refused by the very next check on this
// node, at the same instant, though the change was made through another
// service over the store (the app's, as the API does).
func TestChangesSeenAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.app.Gateway.UseKeyring(e.keys)
		other := e.app.Gateway

		sys, iss := e.system()
		e.mustCheck(e.gw, iss)
		if _, err := other.RevokeCredential(e.ctx, e.actor("hzga.staff"), sys.ID, iss.KeyID); err != nil {
			t.Fatal(err)
		}
		_, err := e.check(e.gw, iss)
		wantCode(t, err, "gateway.key_revoked")

		iss, err = other.IssueCredential(e.ctx, e.actor("hzga.staff"), sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.mustCheck(e.gw, iss)
		sys, err = e.gw.Get(e.ctx, e.actor("hzga.staff"), sys.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Disable(e.ctx, e.actor("hzga.staff"), sys.ID, gateway.Version{Version: sys.Version}); err != nil {
			t.Fatal(err)
		}
		_, err = e.check(e.gw, iss)
		wantCode(t, err, "gateway.system_disabled")

		// 杭州市市场监管局 holds two grants; its system is bound to both,
		// then to one.
		var grants []string
		for _, label := range []string{"approved_unconditional", "approved_file_download"} {
			var g *grant.Grant
			if err := s.Read(e.ctx, func(tx *store.Tx) (err error) { g, err = tx.GrantOf(e.ctx, e.p.Applications[label]); return err }); err != nil || g == nil {
				t.Fatalf("grant of %s: %v", label, err)
			}
			grants = append(grants, g.ID)
		}
		slices.Sort(grants)
		head := e.actor("hzscjg.head")
		sys, err = other.Register(e.ctx, head, gateway.NewSystem{Name: "信用监管核验"})
		if err != nil {
			t.Fatal(err)
		}
		if sys, err = other.BindGrants(e.ctx, head, sys.ID, gateway.Binding{Grants: grants, Version: sys.Version}); err != nil {
			t.Fatal(err)
		}
		if iss, err = other.IssueCredential(e.ctx, head, sys.ID); err != nil {
			t.Fatal(err)
		}
		if c := e.mustCheck(e.gw, iss); !c.MayUse(grants[0]) || !c.MayUse(grants[1]) {
			t.Fatalf("bound to %v, may not use both", c.Grants)
		}
		if sys, err = e.gw.Get(e.ctx, head, sys.ID); err != nil {
			t.Fatal(err)
		}
		if _, err = other.BindGrants(e.ctx, head, sys.ID, gateway.Binding{Grants: grants[:1], Version: sys.Version}); err != nil {
			t.Fatal(err)
		}
		if c := e.mustCheck(e.gw, iss); !c.MayUse(grants[0]) || c.MayUse(grants[1]) {
			t.Fatalf("bound to %v after the binding of %s was removed", c.Grants, grants[1])
		}
	})
}

// TestOtherNodeChangeSeenWithinTTL: a credential revoked and a system
// disabled through another node are refused here once CacheTTL has passed
// (and not before, at the same instant: the check is served from memory).
func TestOtherNodeChangeSeenWithinTTL(t *testing.T) {
	storetest.EachTwoNodes(t, func(t *testing.T, s, node2 *store.Store) {
		e := newEnv(t, s)
		b := app.New(node2, e.clock.Now, auth.DefaultPolicy)
		sys, iss := e.system()
		_, iss2 := e.system2()
		e.mustCheck(e.gw, iss)
		e.mustCheck(e.gw, iss2)
		if _, err := b.Gateway.RevokeCredential(e.ctx, e.actor("hzga.staff"), sys.ID, iss.KeyID); err != nil {
			t.Fatal(err)
		}
		sys2, err := b.Gateway.Get(e.ctx, e.actor("hzga.staff"), iss2.SystemID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Gateway.Disable(e.ctx, e.actor("hzga.staff"), sys2.ID, gateway.Version{Version: sys2.Version}); err != nil {
			t.Fatal(err)
		}
		e.mustCheck(e.gw, iss)
		e.mustCheck(e.gw, iss2)
		e.clock.Add(gateway.CacheTTL)
		_, err = e.check(e.gw, iss)
		wantCode(t, err, "gateway.key_revoked")
		_, err = e.check(e.gw, iss2)
		wantCode(t, err, "gateway.system_disabled")
	})
}

// system2 is a second system of 杭州市公安局, with a credential.
func (e *env) system2() (gateway.System, gateway.Issued) {
	e.t.Helper()
	sys, err := e.gw.Register(e.ctx, e.actor("hzga.staff"), gateway.NewSystem{Name: "户籍窗口系统"})
	if err != nil {
		e.t.Fatal(err)
	}
	iss, err := e.gw.IssueCredential(e.ctx, e.actor("hzga.staff"), sys.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return sys, iss
}
