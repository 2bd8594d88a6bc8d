package demo_test

import (
	"context"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/storetest"
)

// The demo has one service change in each state, each stored so, and the
// grants on the withdrawn, returned and consulting changes' entry still
// deliver; the acknowledged change waits for a future effective date, its
// grant still active.
func TestDemoServiceChanges(t *testing.T) {
	ctx := context.Background()
	a := app.New(storetest.SQLite(t), demo.ReferenceClock, auth.DefaultPolicy)
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	for _, st := range demo.ServiceChangeStates {
		id, ok := p.ServiceChanges[st]
		if !ok {
			t.Errorf("no demo service change %s", st)
			continue
		}
		c, err := a.ServiceChanges.Get(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		if string(c.State) != st {
			t.Errorf("demo change %s is %s", st, c.State)
		}
		if len(c.Consumers) == 0 {
			t.Errorf("demo change %s consulted nobody", st)
		}
		if st == "consulting" && c.AllAnswered() {
			t.Error("the consulting case should wait for one consumer's answer")
		}
		if st == "acknowledged" {
			today := calendar.DateOf(demo.ReferenceTime)
			if d, err := calendar.ParseDate(c.EffectiveDate); err != nil || !today.Before(d) {
				t.Errorf("acknowledged change takes effect on %s (%v), want after %s", c.EffectiveDate, err, today)
			}
			if c.Effect != nil {
				t.Error("the acknowledged change has an effect before its effective date")
			}
			for _, k := range c.Consumers {
				for _, gid := range k.GrantIDs {
					g, err := a.Grants.Get(ctx, admin, gid)
					if err != nil {
						t.Fatal(err)
					}
					if g.State != grant.Active {
						t.Errorf("grant %s under the acknowledged change is %s, want active", gid, g.State)
					}
				}
			}
		}
	}
	gs, err := a.Grants.List(ctx, admin, grant.Filter{EntryID: p.Entries["常住人口基本信息"]})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 2 {
		t.Fatalf("%d grants on 常住人口基本信息, want 2", len(gs))
	}
	for _, g := range gs {
		if g.State != grant.Active {
			t.Errorf("grant %s is %s: withdrawn and returned changes must not end it", g.ID, g.State)
		}
	}
	open, err := a.ServiceChanges.List(ctx, admin, servicechange.Filter{States: servicechange.Open})
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 3 {
		t.Errorf("%d open demo changes, want 3 (consulting, filed, acknowledged)", len(open))
	}
}
