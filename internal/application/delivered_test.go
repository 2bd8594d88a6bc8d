package application_test

import (
	"sync"
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The first delivery closes the Art. 22 obligation: the application says when
// and whether on time, the provider's to-do entry goes, one event is
// recorded; later and concurrent deliveries change nothing more.
func TestFirstDeliveryClosesTheObligation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry)
		e.clock.Set(shanghai(2026, 9, 30, 17))
		a = must(t)(e.svc.Reply(e.ctx, e.actor(t, "gat.head"), a.ID, application.ReplyRequest{Decision: "approve", Version: a.Version}))
		hasTodo := func() bool {
			items, err := e.svc.Todos(e.ctx, e.actor(t, "gat.staff"))
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.Kind == application.TodoDelivery && it.ObjectID == a.ID {
					return true
				}
			}
			return false
		}
		if !hasTodo() {
			t.Fatal("approved, undelivered: no delivery to-do for the provider")
		}

		e.clock.Set(shanghai(2026, 11, 3, 16)) // the deadline's last day
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Write(e.ctx, func(tx *store.Tx) error {
					return application.MarkDelivered(e.ctx, tx, a.ID, application.ServiceInterface, e.clock.Now())
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		got, err := e.svc.Get(e.ctx, e.actor(t, "gat.staff"), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := got.Delivered
		if d == nil || !d.OnTime || d.Method != application.ServiceInterface || d.GrantID == "" || d.GrantID != got.Reply.Grant.ID {
			t.Fatalf("delivered: %+v", d)
		}
		if got.Version != a.Version+1 {
			t.Fatalf("version %d after concurrent deliveries, want %d", got.Version, a.Version+1)
		}
		if n := e.events(t, a.ID, application.ActionDeliver); n != 1 {
			t.Fatalf("%d deliver events, want 1", n)
		}
		if hasTodo() {
			t.Fatal("delivered: the delivery to-do remains")
		}
	})
}

// A first delivery after the deadline's last day closes the obligation late.
func TestLateDeliveryIsMarkedLate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry)
		e.clock.Set(shanghai(2026, 9, 30, 17))
		a = must(t)(e.svc.Reply(e.ctx, e.actor(t, "gat.head"), a.ID, application.ReplyRequest{Decision: "approve", Version: a.Version}))
		e.clock.Set(shanghai(2026, 11, 4, 9)) // the day after the last day
		if err := s.Write(e.ctx, func(tx *store.Tx) error {
			return application.MarkDelivered(e.ctx, tx, a.ID, application.BatchExchange, e.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Get(e.ctx, e.actor(t, "scjg.staff"), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Delivered == nil || got.Delivered.OnTime || got.Delivered.Method != application.BatchExchange {
			t.Fatalf("delivered: %+v", got.Delivered)
		}
	})
}
