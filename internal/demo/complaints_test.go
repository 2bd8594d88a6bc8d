package demo_test

import (
	"context"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The demo has one complaint in each state, each read by the office that
// handles it; the transferred one is at its new department.
func TestDemoComplaints(t *testing.T) {
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
		want := map[string]struct {
			reader    string
			state     complaint.State
			transfers int
		}{
			"received":    {"gat.head", complaint.Received, 0},
			"handling":    {"hzmz.head", complaint.Handling, 0},
			"answered":    {"scjg.head", complaint.Answered, 0},
			"transferred": {"xhmz.staff", complaint.Received, 1},
			"overdue":     {"jyt.head", complaint.Received, 0},
		}
		if len(p.Complaints) != len(demo.ComplaintStates) {
			t.Fatalf("demo complaints %v", p.Complaints)
		}
		for _, label := range demo.ComplaintStates {
			w := want[label]
			c, err := a.Complaints.Get(ctx, as(w.reader), p.Complaints[label])
			if err != nil {
				t.Fatalf("%s: %v", label, err)
			}
			if c.State != w.state || len(c.Transfers) != w.transfers || c.Overdue != (label == "overdue") {
				t.Errorf("%s: state %s, %d transfers, overdue %v", label, c.State, len(c.Transfers), c.Overdue)
			}
		}
		// The provincial authority oversees them all, the overdue one on
		// its to-do list.
		cs, err := a.Complaints.List(ctx, as("zj.reviewer"), "", false, "", 500)
		if err != nil || len(cs) != len(demo.ComplaintStates) {
			t.Errorf("zj.reviewer lists %d complaints: %v", len(cs), err)
		}
		cs, err = a.Complaints.List(ctx, as("zj.reviewer"), "", true, "", 500)
		if err != nil || len(cs) != 1 || cs[0].ID != p.Complaints["overdue"] {
			t.Errorf("zj.reviewer's overdue listing: %d complaints, %v", len(cs), err)
		}
		items, err := a.Complaints.Todos(ctx, as("zj.reviewer"))
		if err != nil || len(items) != 1 || items[0].Kind != complaint.TodoOverdue || items[0].ObjectID != p.Complaints["overdue"] {
			t.Errorf("zj.reviewer's to-do: %+v, %v", items, err)
		}
	})
}
