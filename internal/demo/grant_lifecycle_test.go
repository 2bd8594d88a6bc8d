package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/storetest"
)

// The demo has a grant in each state of its life after delivery: active,
// suspended with a deadline, terminated and expired awaiting disposal, and
// disposed; the expired one is still active on the history's first day and
// expired from the day after next.
func TestDemoGrantLifecycle(t *testing.T) {
	ctx := context.Background()
	now := demo.ReferenceTime
	a := app.New(storetest.SQLite(t), func() time.Time { return now }, auth.DefaultPolicy)
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	get := func(st string) grant.Grant {
		t.Helper()
		id, ok := p.GrantLifecycle[st]
		if !ok {
			t.Fatalf("no demo grant %s", st)
		}
		g, err := a.Grants.Get(ctx, admin, id)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	want := map[string]grant.State{"active": grant.Active, "suspended": grant.Suspended, "terminated": grant.Terminated,
		"expired": grant.Active, "disposed": grant.Disposed}
	for _, st := range demo.GrantLifecycleStates {
		if g := get(st); g.State != want[st] {
			t.Errorf("demo grant %s is %s", st, g.State)
		}
	}
	if s := get("suspended").Suspension; s == nil || s.RectifyBy.Due == "" || s.Grounds != grant.ThirdParty {
		t.Errorf("suspension %+v", s)
	}
	if x := get("terminated"); x.DisposalDue == nil || x.Suspension == nil || len(x.Suspension.Reports) != 1 || x.Suspension.Outcome != "terminated" {
		t.Errorf("terminated: %+v %+v", x.DisposalDue, x.Suspension)
	}
	if d := get("disposed"); d.Disposal == nil || d.Disposal.Reason != grant.PurposeMet {
		t.Errorf("disposal %+v", d.Disposal)
	}
	// Two days on, the expired one is expired and due, with the terminated one.
	now = now.AddDate(0, 0, 2)
	if g := get("expired"); g.State != grant.Expired || g.DisposalDue == nil || g.RequiredDisposal() != grant.DisposeArchive {
		t.Errorf("expired: %s %+v", g.State, g.DisposalDue)
	}
	due, err := a.Grants.List(ctx, admin, grant.Filter{Disposal: "due"})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, g := range due {
		ids[g.ID] = true
	}
	if !ids[p.GrantLifecycle["terminated"]] || !ids[p.GrantLifecycle["expired"]] || ids[p.GrantLifecycle["disposed"]] {
		t.Errorf("disposal due: %v", ids)
	}
}
