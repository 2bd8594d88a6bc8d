package demo_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The demo has a correction request in each state (Art. 26): open with
// days left on its provider's to-do, answered corrected with the hosted
// dataset's change that fixed the row, answered not corrected, and open
// past its deadline on both parties' to-do lists; the providers state
// their correction rules.
func TestDemoCorrections(t *testing.T) {
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
		get := func(label, who string) correction.Request {
			t.Helper()
			id, ok := p.Corrections[label]
			if !ok {
				t.Fatalf("the demo has no %s correction request", label)
			}
			r, err := a.Corrections.Get(ctx, as(who), id)
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			return r
		}
		if r := get("open", "jyt.head"); r.State != correction.Open || r.Overdue {
			t.Errorf("open: %+v", r)
		}
		if r := get("not_corrected", "rst.head"); r.State != correction.NotCorrected || r.Answer == nil || len(r.Answer.Reasons) == 0 {
			t.Errorf("not_corrected: %+v", r)
		}
		r := get("corrected", "hzscjg.head")
		if r.State != correction.Corrected || r.Answer == nil || len(r.Answer.Changes) != 1 {
			t.Fatalf("corrected: %+v", r)
		}
		cs, err := a.Datasets.Changes(ctx, as("scjg.head"), r.EntryID, r.Answer.Changes[0]-1, 1)
		var row map[string]any
		if err != nil || len(cs) != 1 || json.Unmarshal(cs[0].Data, &row) != nil || row["登记状态"] != "注销" {
			t.Fatalf("the corrected request's change: %+v %v", cs, err)
		}
		if r := get("overdue", "mzt.head"); r.State != correction.Open || !r.Overdue {
			t.Errorf("overdue: %+v", r)
		}
		for who, kind := range map[string]string{"mzt.head": correction.TodoAnswer, "hsmz.head": correction.TodoOverdue, "jyt.head": correction.TodoAnswer} {
			items, err := a.Corrections.Todos(ctx, as(who))
			if err != nil || len(items) != 1 || items[0].Kind != kind {
				t.Errorf("%s's correction to-do: %+v %v", who, items, err)
			}
		}
		all, err := a.Corrections.AllRules(ctx, as("hsmz.head"), "", 50)
		if err != nil || len(all) != 3 {
			t.Errorf("the demo's rules: %d %v", len(all), err)
		}
	})
}
