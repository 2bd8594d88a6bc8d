package exchange_test

import (
	"testing"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The provider's office schedules a consumer's push: after a turn that sent
// everything, the next waits the interval; new rows then go out at the
// scheduled time, not before. Only the provider's office schedules, within
// the bounds.
func TestScheduledPush(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		e.replace("scjg.staff", companies, []dataset.Row{company(1, 0), company(2, 0)})
		ep := newEndpoint(t, 0)
		created, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		ep.secret = created.Secret
		sub := created.Subscription
		if _, err := e.app.Exchange.Schedule(e.ctx, e.as("gat.staff"), sub.ID, exchange.ScheduleInput{IntervalSeconds: 3600, Version: sub.Version}); code(err) != "auth.forbidden" {
			t.Fatalf("the consumer scheduled: %v", err)
		}
		if _, err := e.app.Exchange.Schedule(e.ctx, e.as("scjg.staff"), sub.ID, exchange.ScheduleInput{IntervalSeconds: 5, Version: sub.Version}); field(err) != "interval_seconds" {
			t.Fatalf("a 5-second schedule: %v", err)
		}
		sub, err = e.app.Exchange.Schedule(e.ctx, e.as("scjg.staff"), sub.ID, exchange.ScheduleInput{IntervalSeconds: 3600, Version: sub.Version})
		if err != nil || sub.IntervalSeconds != 3600 {
			t.Fatalf("schedule: %+v %v", sub, err)
		}
		if rep, err := e.app.Exchange.PushDue(e.ctx); err != nil || rep.Rows != 2 {
			t.Fatalf("first turn: %+v %v", rep, err)
		}
		e.load("scjg.staff", companies, []dataset.Row{company(3, 0)})
		e.clock.Advance(30 * time.Minute)
		if rep, err := e.app.Exchange.PushDue(e.ctx); err != nil || rep.Subscriptions != 0 {
			t.Fatalf("pushed before the scheduled time: %+v %v", rep, err)
		}
		e.clock.Advance(30 * time.Minute)
		if rep, err := e.app.Exchange.PushDue(e.ctx); err != nil || rep.Rows != 1 {
			t.Fatalf("at the scheduled time: %+v %v", rep, err)
		}
	})
}
