package exchange_test

import (
	"slices"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestPushEndsWhenGrantNoLongerCoversIt: a grant that still runs but no
// longer covers an item the subscription pushes, or whose delivery method
// is no longer batch exchange (as a service change leaves it, Art. 27 ¶3),
// ends the subscription at the first refused push instead of retrying it
// forever or going on pushing.
func TestPushEndsWhenGrantNoLongerCoversIt(t *testing.T) {
	for _, c := range []struct {
		name, outcome string
		change        func(g *grant.Grant)
	}{
		{"item removed", "grant.item_not_granted", func(g *grant.Grant) {
			g.Items = slices.DeleteFunc(slices.Clone(g.Items), func(it string) bool { return it == "法定代表人" })
		}},
		{"method changed", "exchange.method_not_granted", func(g *grant.Grant) { g.DeliveryMethod = application.ServiceInterface }},
	} {
		t.Run(c.name, func(t *testing.T) {
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
				err = s.Write(e.ctx, func(tx *store.Tx) error {
					cur, err := tx.Grant(e.ctx, g.ID)
					if err != nil {
						return err
					}
					c.change(cur)
					cur.Version++
					cur.UpdatedAt = e.clock.Now()
					return tx.UpdateGrant(e.ctx, *cur)
				})
				if err != nil {
					t.Fatal(err)
				}
				rep, err := e.app.Exchange.PushDue(e.ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(ep.got) != 0 || rep.Failures != 1 {
					t.Errorf("%d pages pushed, %d failures; want none pushed and one refusal", len(ep.got), rep.Failures)
				}
				sub, err := e.app.Exchange.Get(e.ctx, e.as("gat.staff"), created.Subscription.ID)
				if err != nil {
					t.Fatal(err)
				}
				if sub.State != exchange.Ended || sub.CancelReason == "" {
					t.Fatalf("subscription %s (%q), want ended", sub.State, sub.CancelReason)
				}
				if ds := e.deliveries(g.ID); len(ds) != 1 || ds[0].Outcome != c.outcome {
					t.Errorf("deliveries %+v, want one refused with %s", ds, c.outcome)
				}
				if rep, err := e.app.Exchange.PushDue(e.ctx); err != nil || rep.Subscriptions != 0 {
					t.Errorf("a later round still works on the subscription: %+v %v", rep, err)
				}
			})
		})
	}
}
