package servicechange_test

import (
	"github.com/google/uuid"
	"github.com/govshare/govshare/internal/access"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// through takes a proposed change through the consultation (every consumer
// agrees), the filing and the acknowledgment; proposed for today, it is
// then effective.
func (e *env) through(c servicechange.ServiceChange) servicechange.ServiceChange {
	e.t.Helper()
	for _, k := range c.Consumers {
		c = e.answer(e.headOf(k.DepartmentID), c, servicechange.Agree)
	}
	c, err := e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
	if err != nil {
		e.t.Fatalf("file: %v", err)
	}
	if c, err = e.svc.Acknowledge(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.NoteInput{Version: c.Version}); err != nil {
		e.t.Fatalf("acknowledge: %v", err)
	}
	if c.State != servicechange.Effective {
		e.t.Fatalf("state %s, want effective", c.State)
	}
	return c
}

func (e *env) headOf(dept string) string {
	for _, who := range []string{"scjg", "hzga", "rst"} {
		if e.actor(who+".head").DepartmentID == dept {
			return who + ".head"
		}
	}
	e.t.Fatalf("no head known for %s", dept)
	return ""
}

// Fix: a change reaches only the grants recorded at its proposal. Grants
// approved while it was under way, even to a consumer that was consulted on
// another grant, were never consulted on: they go on delivering and are
// reported on the change so that the provider proposes again.
func TestGrantsApprovedAfterProposalNotCovered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		before := e.grant("scjg")
		c := e.propose(e.terminate(e.today()))
		later, sameConsumer := e.grant("hzga"), e.grant("scjg")
		if c.NotCoveredNote() != "" {
			t.Fatalf("note before the change took effect: %q", c.NotCoveredNote())
		}
		c = e.through(c)
		problemtest.Want(t, e.delivers(before.ID), "grant.terminated")
		for _, g := range []grant.Grant{later, sameConsumer} {
			if err := e.delivers(g.ID); err != nil {
				t.Errorf("grant %s approved after the proposal must still deliver: %v", g.ID, err)
			}
			if h := e.grantNow(g.ID).History; h[len(h)-1].Action == "grant.terminate" {
				t.Errorf("grant %s history ends with a termination", g.ID)
			}
		}
		if !slices.Equal(c.Effect.Grants, []string{before.ID}) {
			t.Errorf("effect on %v, want only %s", c.Effect.Grants, before.ID)
		}
		want := []string{later.ID, sameConsumer.ID}
		got := slices.Clone(c.Effect.NotCovered)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("not covered %v, want %v", got, want)
		}
		if c.NotCoveredNote() == "" {
			t.Error("no note on the grants not covered")
		}
		read, err := e.svc.Get(e.ctx, e.actor("gat.head"), c.ID)
		if err != nil || len(read.Effect.NotCovered) != 2 {
			t.Fatalf("stored effect: %v %+v", err, read.Effect)
		}
		// The provider's to-do shows the grants left running until it
		// proposes again.
		if !e.hasTodo("gat.head", c.ID, servicechange.TodoNotCovered) {
			t.Error("provider has no to-do for the grants not covered")
		}
		again := e.propose(e.terminate(e.today()))
		if e.hasTodo("gat.head", c.ID, servicechange.TodoNotCovered) {
			t.Error("the to-do stays once the provider proposed again")
		}
		if len(again.Consumers) != 2 {
			t.Errorf("the new proposal consults %d consumers, want 2", len(again.Consumers))
		}
	})
}

func (e *env) hasTodo(who, id, kind string) bool {
	e.t.Helper()
	items, err := e.svc.Todos(e.ctx, e.actor(who))
	if err != nil {
		e.t.Fatal(err)
	}
	return slices.ContainsFunc(items, func(it todo.Item) bool { return it.ObjectID == id && it.Kind == kind })
}

// subscribe stores an active push subscription of g as the exchange
// service would (the test entry has no key item, so the service itself
// would not host it), with a sealed secret so that the pusher can run.
func (e *env) subscribe(g grant.Grant) exchange.Subscription {
	e.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	e.t.Cleanup(srv.Close)
	now := e.clock.Now().UTC()
	sub := exchange.Subscription{ID: uuid.Must(uuid.NewV7()).String(), Kind: exchange.Push, GrantID: g.ID, EntryID: g.EntryID,
		ProviderID: g.ProviderID, ProviderDivision: g.ProviderDivision, SubscriberID: g.ConsumerID, SubscriberDivision: g.ConsumerDivision,
		Items: slices.Clone(g.Items), EndpointURL: srv.URL, State: exchange.Active, CreatedBy: "test", CreatedAt: now, UpdatedAt: now, Version: 1}
	sealed := &exchange.Sealed{KeyID: e.keys.ID(), Ciphertext: e.keys.Seal([]byte("gss_test"), []byte(sub.ID))}
	if err := e.s.Write(e.ctx, func(tx *store.Tx) error { return tx.InsertSubscription(e.ctx, sub, sealed) }); err != nil {
		e.t.Fatalf("subscribe: %v", err)
	}
	return sub
}

func (e *env) subscription(id string) exchange.Subscription {
	e.t.Helper()
	sub, err := e.app.Exchange.Get(e.ctx, e.actor("gat.head"), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return sub
}

// Fix: removing an item a push subscription pushes ends the subscription
// with the change, in the same transaction, with its event; otherwise every
// push would be refused (grant.item_not_granted) while the grant stays
// active, and the pusher would retry forever.
func TestChangeRemovingItemsEndsPushSubscriptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantVia("scjg", application.BatchExchange)
		sub := e.subscribe(g)
		c := e.through(e.propose(servicechange.Proposal{EntryID: e.entry, Kind: servicechange.Modify, Reason: "依法不再共享身份证号",
			Changes: servicechange.Changes{ItemsRemoved: []string{"公民身份号码"}, Description: "不再提供公民身份号码"}, EffectiveDate: e.today()}))
		got := e.subscription(sub.ID)
		if got.State != exchange.Ended || got.CancelReason == "" {
			t.Fatalf("subscription after the change: %s (%q)", got.State, got.CancelReason)
		}
		if !slices.Equal(c.Effect.SubscriptionsEnded, []string{sub.ID}) {
			t.Errorf("effect names ended subscriptions %v", c.Effect.SubscriptionsEnded)
		}
		if n := e.subscriptionEvents(sub.ID, exchange.ActionEnd); n != 1 {
			t.Errorf("%d %s events on the subscription, want 1", n, exchange.ActionEnd)
		}
		rep, err := e.app.Exchange.PushDue(e.ctx)
		if err != nil || rep.Subscriptions != 0 {
			t.Errorf("push round after the change: %+v %v", rep, err)
		}
	})
}

// Fix: a change away from batch exchange ends the push subscriptions; a
// change that leaves the items and the method alone does not.
func TestChangeOfMethodEndsPushSubscriptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantVia("scjg", application.BatchExchange)
		sub := e.subscribe(g)
		e.through(e.propose(servicechange.Proposal{EntryID: e.entry, Kind: servicechange.Modify, Reason: "交换前置机迁移",
			Changes: servicechange.Changes{Description: "交换文件改由新前置机生成"}, EffectiveDate: e.today()}))
		if got := e.subscription(sub.ID); got.State != exchange.Active {
			t.Fatalf("a change of description only ended the subscription: %s", got.State)
		}
		c := e.through(e.propose(servicechange.Proposal{EntryID: e.entry, Kind: servicechange.Modify, Reason: "改为接口方式提供",
			Changes: servicechange.Changes{DeliveryMethod: application.ServiceInterface, Description: "停止批量交换，改为服务接口"}, EffectiveDate: e.today()}))
		if got := e.grantNow(g.ID); got.DeliveryMethod != application.ServiceInterface {
			t.Fatalf("grant method %s", got.DeliveryMethod)
		}
		if got := e.subscription(sub.ID); got.State != exchange.Ended {
			t.Fatalf("subscription after the change of method: %s", got.State)
		}
		if !slices.Equal(c.Effect.SubscriptionsEnded, []string{sub.ID}) {
			t.Errorf("effect names ended subscriptions %v", c.Effect.SubscriptionsEnded)
		}
	})
}

func (e *env) subscriptionEvents(id, action string) int {
	e.t.Helper()
	n := 0
	for _, ev := range e.eventsOn(e.actor("scjg.head"), "exchange_subscription", id) {
		if ev.Action == action {
			n++
		}
	}
	return n
}

// eventsOn lists the events on an object that reader may read.
func (e *env) eventsOn(reader access.Actor, objectType, id string) []ledger.Event {
	e.t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, reader, ledger.Filter{ObjectType: objectType, ObjectID: id, DepartmentID: reader.DepartmentID, Limit: 500})
	if err != nil {
		e.t.Fatalf("events as %s: %v", reader.PersonID, err)
	}
	return evs
}
