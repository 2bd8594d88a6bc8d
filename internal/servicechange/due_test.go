package servicechange_test

import (
	"testing"
	"time"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// A change acknowledged before its effective date takes effect on that day
// without anyone pressing 实施变更: ApplyDue (run by `govshare serve`) puts
// it into effect, and leaves it alone before the day.
func TestApplyDueOnTheEffectiveDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg")
		effective := calendar.DateOf(e.clock.Now()).AddDays(30)
		c := e.propose(e.terminate(effective.String()))
		c = e.answer("scjg.head", c, servicechange.Agree)
		c, err := e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if c, err = e.svc.Acknowledge(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.NoteInput{Version: c.Version}); err != nil {
			t.Fatal(err)
		}

		n, err := e.svc.ApplyDue(e.ctx)
		if err != nil || n != 0 {
			t.Fatalf("before the effective date: %d applied, %v", n, err)
		}
		if err := e.delivers(g.ID); err != nil {
			t.Fatalf("before the effective date the grant must still deliver: %v", err)
		}

		e.clock.Set(effective.EndOfDay().Add(-12 * time.Hour))
		if n, err = e.svc.ApplyDue(e.ctx); err != nil || n != 1 {
			t.Fatalf("on the effective date: %d applied, %v", n, err)
		}
		got, err := e.svc.Get(e.ctx, e.actor("gat.head"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != servicechange.Effective {
			t.Fatalf("state %s, want effective", got.State)
		}
		problemtest.Want(t, e.delivers(g.ID), "grant.terminated")
		if h := e.grantNow(g.ID).History; h[len(h)-1].Action != "grant.terminate" {
			t.Fatalf("grant history ends with %+v", h[len(h)-1])
		}
		// Once effective there is nothing left to apply.
		if n, err = e.svc.ApplyDue(e.ctx); err != nil || n != 0 {
			t.Fatalf("second run: %d applied, %v", n, err)
		}
	})
}
