package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func TestLoadDemoProvince(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
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
		var evs []ledger.Event
		for {
			page, err := a.Ledger.Events(ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}}, ledger.Filter{Limit: 500, After: int64(len(evs))})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			evs = append(evs, page...)
		}
		// The organisations and accounts: one event per division, two per
		// department (created, office named), one per account, one sign-in.
		byAction := map[string]int{}
		for _, e := range evs {
			byAction[e.Action]++
		}
		org := byAction["division.create"] + byAction["department.create"] + byAction["department.office_update"] + byAction["person.create"] + byAction["auth.sign_in"]
		if want := len(p.Divisions) + 2*len(p.Departments) + len(p.Accounts) + 1; org != want {
			t.Fatalf("organisation events = %d, want %d (%v)", org, want, byAction)
		}
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d: the sequence must have no gaps", i, e.Seq)
			}
		}
	})
}

// In the last days of a year whose successor is not imported, deadlines
// cannot be counted: the demo still loads, leaving those steps undone, and
// never guesses a date.
func TestDemoLoadsAtYearEnd(t *testing.T) {
	for _, day := range []int{11, 18, 30} {
		late := time.Date(2026, 12, day, 10, 0, 0, 0, calendar.Shanghai)
		a := app.New(storetest.SQLite(t), func() time.Time { return late }, auth.DefaultPolicy)
		p, err := demo.Load(context.Background(), a)
		if err != nil {
			t.Fatalf("2026-12-%d: %v", day, err)
		}
		if len(p.Entries) < 40 {
			t.Errorf("2026-12-%d: %d entries", day, len(p.Entries))
		}
	}
}
