package exchange_test

import (
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestDisposedGrantEndsPushAndPull: once the consumer has disposed of the
// data (Art. 27 ¶1), a push delivers nothing and ends the subscription, as
// a termination does, and a pull is refused with grant.disposed.
func TestDisposedGrantEndsPushAndPull(t *testing.T) {
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
		cur, err := e.app.Grants.Get(e.ctx, e.as("gat.staff"), g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err = e.app.Grants.Dispose(e.ctx, e.as("gat.head"), g.ID, grant.DisposeInput{Method: grant.DisposeDelete,
			Actions: "删除本地副本", DoneOn: calendar.DateOf(e.clock.Now()).String(), Evidence: "销毁记录",
			Reason: grant.PurposeUnnecessary, ReasonText: "业务调整", Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err = e.app.Exchange.PushDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		if len(ep.got) != 0 {
			t.Errorf("%d pages pushed from a disposed grant", len(ep.got))
		}
		if got, _ := e.app.Exchange.Get(e.ctx, e.as("gat.staff"), created.Subscription.ID); got.State != exchange.Ended {
			t.Errorf("after the disposal the subscription is %s", got.State)
		}
		if _, err := e.app.Exchange.Pull(e.ctx, e.caller("浙江省公安厅"), exchange.PullRequest{GrantID: g.ID, Purpose: scenario}); code(err) != "grant.disposed" {
			t.Errorf("pull from a disposed grant: %v", err)
		}
	})
}
