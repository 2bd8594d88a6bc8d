package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func TestLoadDemoProvince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, time.Now, auth.DefaultPolicy)
		if loaded, err := demo.Loaded(ctx, a); err != nil || loaded {
			t.Fatalf("fresh database: loaded=%v err=%v", loaded, err)
		}
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if loaded, err := demo.Loaded(ctx, a); err != nil || !loaded {
			t.Fatalf("after load: loaded=%v err=%v", loaded, err)
		}
		// Every role has an account that can sign in with the demo password.
		roles := map[access.Role]bool{}
		for _, acc := range p.Accounts {
			roles[acc.Role] = true
		}
		for _, r := range access.Roles {
			if !roles[r] {
				t.Errorf("no demo account with role %s", r)
			}
		}
		if _, actor, err := a.Auth.SignIn(ctx, "gat.head", demo.Password); err != nil || actor.DepartmentID != p.Departments["浙江省公安厅"].ID {
			t.Fatalf("sign in gat.head: %v %+v", err, actor)
		}
		// Every department has its sharing office (Art. 11).
		for name, d := range p.Departments {
			if d.OfficeName == "" {
				t.Errorf("%s has no sharing office", name)
			}
		}
		// Loading went through the services, so it is in the record.
		evs, err := a.Ledger.Events(ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}}, ledger.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		want := len(p.Divisions) + 2*len(p.Departments) + len(p.Accounts) + 1 // +1: the sign-in
		if len(evs) != want {
			t.Fatalf("events = %d, want %d", len(evs), want)
		}
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d: the sequence must have no gaps", i, e.Seq)
			}
		}
	})
}
