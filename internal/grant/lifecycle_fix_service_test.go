package grant_test

import (
	"slices"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// storeLegacySuspended writes g back as suspended without a suspension, as
// the platform stored suspensions before it recorded them.
func (e *env) storeLegacySuspended(g grant.Grant) grant.Grant {
	e.t.Helper()
	now := e.clock.Now().UTC()
	g.History = append(g.History, grant.Change{At: now, Action: "grant.suspend", From: grant.Active, To: grant.Suspended,
		ActorID: e.actor("gat.head").PersonID, Reasons: []string{"超范围调用"}})
	g.State, g.Suspension, g.DisposalDue = grant.Suspended, nil, nil
	g.Version++
	g.UpdatedAt = now
	if err := e.s.Write(e.ctx, func(tx *store.Tx) error { return tx.UpdateGrant(e.ctx, g) }); err != nil {
		e.t.Fatal(err)
	}
	got, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), g.ID)
	if err != nil || got.State != grant.Suspended || got.Suspension != nil {
		e.t.Fatalf("legacy suspended grant: %v %s %+v", err, got.State, got.Suspension)
	}
	return got
}

// TestLegacySuspendedGrant: a grant suspended before suspensions were
// recorded appears on the consumer's and the controllers' to-do lists, takes
// the consumer's report, and is resumed by whoever controls it (the
// provider's head or the provider's authority), never by the consumer.
func TestLegacySuspendedGrant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.storeLegacySuspended(e.grantUntil("scjg", "2026-12-31"))
		kindsOf := func(who string) []string {
			t.Helper()
			items, err := e.app.Grants.Todos(e.ctx, e.actor(who))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range itemsOn(items, g.ID) {
				if it.Due != nil {
					t.Errorf("%s: a legacy suspension's item has a due date: %+v", who, it)
				}
				out = append(out, it.Kind)
			}
			return out
		}
		for who, want := range map[string][]string{"scjg.staff": {grant.TodoRectify}, "gat.head": {grant.TodoReview},
			"zj.reviewer": {grant.TodoReview}, "gat.staff": nil, "hz.reviewer": nil} {
			if got := kindsOf(who); !slices.Equal(got, want) {
				t.Errorf("%s's to-do on the legacy suspension: %v, want %v", who, got, want)
			}
		}

		_, err := e.app.Grants.Resume(e.ctx, e.actor("scjg.head"), g.ID, grant.ChangeInput{Reasons: []string{"已整改"}, Version: g.Version})
		wantKind(t, "the consumer resumes", err, problem.Forbidden, "")
		_, err = e.app.Grants.Resume(e.ctx, e.actor("gat.staff"), g.ID, grant.ChangeInput{Reasons: []string{"已整改"}, Version: g.Version})
		wantKind(t, "the provider's staff resumes", err, problem.Forbidden, "")
		g, err = e.app.Grants.ReportRectification(e.ctx, e.actor("scjg.staff"), g.ID, grant.RectificationInput{Actions: "停止超范围调用", Evidence: "整改报告", Version: g.Version})
		if err != nil || g.Suspension == nil || len(g.Suspension.Reports) != 1 || g.SuspenderKnown() {
			t.Fatalf("report on a legacy suspension: %v %+v", err, g.Suspension)
		}
		if n := len(e.eventsOf(g.ID, "grant.rectification")); n != 1 {
			t.Errorf("%d rectification events", n)
		}
		g, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, grant.ChangeInput{Reasons: []string{"整改到位"}, Version: g.Version})
		if err != nil || g.State != grant.Active || g.Suspension.Outcome != "resumed" {
			t.Fatalf("the provider's authority resumes: %v %s", err, g.State)
		}

		// The provider's head resumes another.
		h := e.storeLegacySuspended(e.grantUntil("scjg", "2026-12-31"))
		if h, err = e.app.Grants.Resume(e.ctx, e.actor("gat.head"), h.ID, grant.ChangeInput{Reasons: []string{"核查无误"}, Version: h.Version}); err != nil || h.State != grant.Active {
			t.Fatalf("the provider's head resumes: %v %s", err, h.State)
		}
	})
}

// TestDisposalByRoleAndDate: the consumer's staff records the disposal of a
// terminated grant, not before the day of termination, but may not end an
// active one.
func TestDisposalByRoleAndDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantUntil("scjg", "2026-12-31")
		today := calendar.DateOf(e.clock.Now())
		in := grant.DisposeInput{Method: grant.DisposeDelete, Actions: "删除", DoneOn: today.String(), Evidence: "记录",
			Reason: grant.PurposeMet, ReasonText: "已完成", Version: g.Version}
		_, err := e.app.Grants.Dispose(e.ctx, e.actor("scjg.staff"), g.ID, in)
		wantKind(t, "staff disposes of an active grant", err, problem.Forbidden, "")
		e.clock.Set(e.clock.Now().Add(72 * time.Hour)) // terminated three days after its creation
		g, err = e.app.Grants.Terminate(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"终止"}, Evidence: "记录", Version: g.Version})
		if err != nil {
			t.Fatal(err)
		}
		in = grant.DisposeInput{Method: grant.DisposeDelete, Actions: "删除", DoneOn: today.AddDays(1).String(), Evidence: "记录", Version: g.Version}
		_, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.staff"), g.ID, in)
		problemtest.Want(t, err, "grant.done_on_before_end", "done_on")
		if n := len(e.eventsOf(g.ID, "grant.dispose")); n != 0 {
			t.Fatalf("a refused disposal wrote %d events", n)
		}
		in.DoneOn = calendar.DateOf(e.clock.Now()).String()
		if g, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.staff"), g.ID, in); err != nil || g.State != grant.Disposed || g.Disposal.From != grant.Terminated {
			t.Fatalf("staff disposes of a terminated grant: %v %s", err, g.State)
		}
	})
}
