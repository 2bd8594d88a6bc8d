package demo_test

import (
	"context"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/usagerecord"
)

// The demo has a grant with a usage record, and a delivered grant missing
// records, on its consumer's to-do list.
func TestDemoUsageRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
		p, err := demo.Load(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		as := func(username string) access.Actor {
			var ac *access.Actor
			if err := s.Read(ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(ctx, p.Account(username).ID); return err }); err != nil || ac == nil {
				t.Fatalf("actor %s: %v", username, err)
			}
			return *ac
		}
		d := p.Deliveries
		recorded, missing := d.Grants["approved"], d.Grants["approved_unconditional"]
		rs, err := a.UsageRecords.List(ctx, as("rst.head"), recorded, usagerecord.Cursor{}, 50)
		if err != nil || len(rs) != 1 || rs[0].ID != d.UsageRecords["approved"] || rs[0].Storage == "" {
			t.Fatalf("records of the approved grant: %+v, %v", rs, err)
		}
		ms, err := a.UsageRecords.MissingRecords(ctx, as("zj.reviewer"), "", 500)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, m := range ms {
			listed[m.GrantID] = true
		}
		if !listed[missing] || listed[recorded] {
			t.Errorf("missing records: %v; want %s and not %s", listed, missing, recorded)
		}
		items, err := a.UsageRecords.Todos(ctx, as("hzscjg.head"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items {
			found = found || (it.Kind == usagerecord.TodoMissing && it.ObjectID == missing)
		}
		if !found {
			t.Errorf("hzscjg.head's to-do lacks the missing records: %+v", items)
		}
	})
}
