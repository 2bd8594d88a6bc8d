package usagerecord_test

import (
	"testing"
	"time"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/usagerecord"
)

// TestMissingRecordsFollowTheEnd: a grant counts until MissingInterval has
// passed since its delivery ended (termination, disposal while active,
// expiry), whatever happens to it afterwards: a disposed grant is still
// prompted for within the interval, and a disposal requirement set long
// after a termination does not bring the grant back.
func TestMissingRecordsFollowTheEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		terminated := e.grant("scjg", true)
		disposed := e.grant("scjg", true)
		endedThenDisposed := e.grant("scjg", true)
		missing := func() map[string]usagerecord.Missing {
			t.Helper()
			ms, err := e.svc.MissingRecords(e.ctx, e.actor("scjg.staff"), "", 500)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]usagerecord.Missing{}
			for _, m := range ms {
				out[m.GrantID] = m
			}
			return out
		}
		current := func(g grant.Grant) grant.Grant {
			t.Helper()
			g, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), g.ID)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}
		terminate := func(g grant.Grant) {
			t.Helper()
			if _, err := e.app.Grants.Terminate(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"终止"}, Evidence: "核查记录", Version: current(g).Version}); err != nil {
				t.Fatal(err)
			}
		}
		dispose := func(g grant.Grant, reason grant.DisposalReason) grant.Grant {
			t.Helper()
			in := grant.DisposeInput{Method: grant.DisposeDelete, Actions: "删除副本", DoneOn: calendar.DateOf(e.clock.Now()).String(), Evidence: "销毁记录", Version: current(g).Version}
			if reason != "" {
				in.Reason, in.ReasonText = reason, "用途已完成"
			}
			g, err := e.app.Grants.Dispose(e.ctx, e.actor("scjg.head"), g.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			return g
		}

		terminate(terminated)
		terminate(endedThenDisposed)
		e.clock.Advance(30 * 24 * time.Hour)
		if g := dispose(disposed, grant.PurposeMet); g.State != grant.Disposed {
			t.Fatalf("disposed: %s", g.State)
		}
		dispose(endedThenDisposed, "")
		m := missing()
		for name, g := range map[string]grant.Grant{"terminated": terminated, "disposed mid-period": disposed, "terminated then disposed": endedThenDisposed} {
			if _, ok := m[g.ID]; !ok {
				t.Errorf("%s: not missing records within the interval after its end", name)
			}
		}
		if got := m[disposed.ID].State; got != grant.Disposed {
			t.Errorf("the disposed grant is listed as %s", got)
		}

		// The interval has passed since the terminations, not since the
		// active disposal: a later act on the terminated grant changes
		// nothing.
		e.clock.Advance(usagerecord.MissingInterval - 30*24*time.Hour + time.Hour)
		g := current(terminated)
		if _, err := e.app.Grants.SetDisposalRequirement(e.ctx, e.actor("gat.staff"), g.ID, grant.DisposalRequirementInput{Method: grant.DisposeReturn, Version: g.Version}); err != nil {
			t.Fatal(err)
		}
		m = missing()
		if _, ok := m[terminated.ID]; ok {
			t.Error("a grant terminated long ago came back after a disposal requirement")
		}
		if _, ok := m[endedThenDisposed.ID]; ok {
			t.Error("a grant terminated long ago, then disposed of, is still missing records")
		}
		if _, ok := m[disposed.ID]; !ok {
			t.Error("a grant disposed of within the interval dropped out")
		}
		e.clock.Advance(30 * 24 * time.Hour)
		if _, ok := missing()[disposed.ID]; ok {
			t.Error("a grant disposed of long ago is still missing records")
		}
	})
}
