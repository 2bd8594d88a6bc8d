package complaint_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestTransferLimit: departments cannot pass a complaint back and forth
// for ever, restarting the answer period each time: after MaxTransfers
// the department holding it must answer.
func TestTransferLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		_, c := e.file(e.input())
		gat, hzga := e.dept("浙江省公安厅"), e.dept("杭州市公安局")
		offices := map[string]string{gat: "gat.staff", hzga: "hzga.head"}
		for i := range complaint.MaxTransfers {
			to := hzga
			if c.HandlerID == hzga {
				to = gat
			}
			var err error
			c, err = e.svc.Transfer(e.ctx, e.actor(offices[c.HandlerID]), c.ID, complaint.TransferInput{Version: c.Version, ToID: to, Reason: "不属于本部门"})
			if err != nil {
				t.Fatalf("transfer %d: %v", i+1, err)
			}
		}
		before := e.eventCount()
		_, err := e.svc.Transfer(e.ctx, e.actor(offices[c.HandlerID]), c.ID, complaint.TransferInput{Version: c.Version, ToID: gat, Reason: "再次转交"})
		if c.HandlerID == gat {
			_, err = e.svc.Transfer(e.ctx, e.actor(offices[c.HandlerID]), c.ID, complaint.TransferInput{Version: c.Version, ToID: hzga, Reason: "再次转交"})
		}
		problemtest.Want(t, err, "complaint.transfer_limit")
		if e.eventCount() != before {
			t.Error("a refused transfer was recorded")
		}
		if _, err := e.svc.Answer(e.ctx, e.actor(offices[c.HandlerID]), c.ID, complaint.AnswerInput{Version: c.Version, Findings: "已核实", Measures: "已处理"}); err != nil {
			t.Errorf("the holder answers: %v", err)
		}
	})
}

// TestOverduePaging: rows the service drops from an overdue page (a
// deadline still not countable) do not end the paging: a complaint past
// them is still reached.
func TestOverduePaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.clock.Advance(time.Date(2026, 12, 21, 10, 0, 0, 0, calendar.Shanghai).Sub(start))
		_, x := e.file(e.input()) // due into 2027: not countable, never overdue here
		if x.Deadline != nil {
			t.Fatalf("deadline counted into an unknown year: %+v", x.Deadline)
		}
		e.clock.Advance(start.Sub(e.clock.Now())) // back to September
		_, y := e.file(e.input())                 // due in October
		e.clock.Advance(time.Date(2026, 12, 22, 10, 0, 0, 0, calendar.Shanghai).Sub(start))
		zj := e.actor("zj.reviewer")
		found, after, pages := false, "", 0
		for {
			items, next, err := e.svc.ListPage(e.ctx, zj, "", true, after, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				found = found || it.ID == y.ID
				if it.ID == x.ID {
					t.Errorf("a complaint without a countable deadline listed as overdue")
				}
			}
			if pages++; next == "" || pages > 50 {
				break
			}
			after = next
		}
		if !found {
			t.Errorf("paging the overdue listing stopped before the overdue complaint (%d pages)", pages)
		}
	})
}

// TestActSavesResolvedDeadline: a deadline not countable at receipt but
// countable by the time of an act is saved with it, not only shown.
func TestActSavesResolvedDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.clock.Advance(time.Date(2026, 12, 21, 10, 0, 0, 0, calendar.Shanghai).Sub(start))
		_, c := e.file(e.input())
		fixture, err := os.ReadFile("../calendar/testdata/2027-fixture.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Calendar.Import(e.ctx, access.Operator("test"), fixture, false); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Accept(e.ctx, e.actor("gat.staff"), c.ID, complaint.Command{Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		var stored *complaint.Complaint
		if err := s.Read(e.ctx, func(tx *store.Tx) (err error) { stored, err = tx.Complaint(e.ctx, c.ID); return err }); err != nil {
			t.Fatal(err)
		}
		cal, _ := e.app.Calendar.Current(e.ctx)
		due, _ := cal.Due(c.ReceivedOn, complaint.AnswerDays)
		if stored.Deadline == nil || stored.Deadline.Due != due {
			t.Errorf("stored deadline after the act: %+v, want due %s", stored.Deadline, due)
		}
	})
}

// TestTodosBothRoles: a person who is both an authority reviewer and in a
// sharing office gets both to-do lists: the office's complaints to handle
// and the region's overdue ones, each complaint once.
func TestTodosBothRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		_, c := e.file(e.input()) // about gat, due in October
		reviewer, staff := e.actor("zj.reviewer"), e.actor("gat.staff")
		both := staff
		both.Roles = append(append([]access.Role{}, staff.Roles...), access.AuthorityReviewer)
		both.DivisionCode = reviewer.DivisionCode
		items, err := e.svc.Todos(e.ctx, both)
		if got := only(items, c.ID); err != nil || len(got) != 1 || got[0].Kind != complaint.TodoHandle {
			t.Fatalf("own office's complaint: %+v %v", got, err)
		}
		overdue := 0
		ids := map[string]int{}
		for _, it := range items {
			ids[it.ObjectID]++
			if it.Kind == complaint.TodoOverdue {
				overdue++
			}
		}
		if overdue == 0 {
			t.Errorf("the region's overdue complaints (the demo's) are missing: %+v", items)
		}
		for id, n := range ids {
			if n > 1 {
				t.Errorf("complaint %s listed %d times", id, n)
			}
		}
	})
}

// TestDepartmentsCached: the public department list is read once per
// DepartmentsTTL, however often it is asked for.
func TestDepartmentsCached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		reads := 0
		read := store.Adapt[complaint.Tx](s.Read)
		svc := complaint.NewService(store.Adapt[complaint.Tx](s.Write), func(ctx context.Context, fn func(complaint.Tx) error) error {
			reads++
			return read(ctx, fn)
		}, e.clock.Now, e.app.Calendar)
		first, err := svc.Departments(e.ctx)
		if err != nil || len(first) != len(e.p.Departments) {
			t.Fatalf("departments: %d, %v", len(first), err)
		}
		for range 20 {
			if _, err := svc.Departments(e.ctx); err != nil {
				t.Fatal(err)
			}
		}
		if reads != 1 {
			t.Errorf("%d reads within the TTL, want 1", reads)
		}
		e.clock.Advance(complaint.DepartmentsTTL)
		if _, err := svc.Departments(e.ctx); err != nil || reads != 2 {
			t.Errorf("after the TTL: %d reads, %v", reads, err)
		}
	})
}
