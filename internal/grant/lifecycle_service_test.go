package grant_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// grantUntil is a grant of gat's entry to consumer (a demo department's
// account prefix, e.g. "scjg"), valid until the given day.
func (e *env) grantUntil(consumer, until string) grant.Grant {
	e.t.Helper()
	svc := e.app.Applications
	a, err := svc.Create(e.ctx, e.actor(consumer+".staff"), application.NewApplication{EntryID: e.entry, Items: []string{"姓名"},
		LegalBasis: "《政务数据共享条例》第二十条", Scenario: "企业登记核验", Scope: "登记窗口", DeliveryMethod: application.ServiceInterface,
		TimeLimit: application.TimeLimit{Until: until}})
	if err != nil {
		e.t.Fatal(err)
	}
	if a, err = svc.Approve(e.ctx, e.actor(consumer+".head"), a.ID, application.Command{Version: a.Version}); err != nil {
		e.t.Fatal(err)
	}
	if a, err = svc.Reply(e.ctx, e.actor("gat.head"), a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version}); err != nil {
		e.t.Fatal(err)
	}
	g, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), a.Reply.Grant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// eventsOf lists a grant's events of one action.
func (e *env) eventsOf(id, action string) []ledger.Event {
	e.t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}},
		ledger.Filter{ObjectType: "grant", ObjectID: id, Action: action, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

// itemsOn keeps the to-do items on the given grants: the demo province has
// grants of its own in every state (internal/demo/grant_lifecycle.go).
func itemsOn(items []todo.Item, ids ...string) []todo.Item {
	out := []todo.Item{}
	for _, it := range items {
		if slices.Contains(ids, it.ObjectID) {
			out = append(out, it)
		}
	}
	return out
}

// grantsOf keeps the grants with the given IDs, in order.
func grantsOf(gs []grant.Grant, ids ...string) []grant.Grant {
	out := []grant.Grant{}
	for _, g := range gs {
		if slices.Contains(ids, g.ID) {
			out = append(out, g)
		}
	}
	return out
}

// TestSuspendRectifyRestore: the provider suspends with a deadline in
// working days, the consumer reports its rectification, and the suspender
// restores the grant; each act is in the ledger, concerning both parties.
func TestSuspendRectifyRestore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantUntil("scjg", "2026-12-31")
		in := suspension(g)
		in.RectifyDays, in.RectifyBy = 0, ""
		_, err := e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, in)
		wantKind(t, "no deadline", err, problem.Invalid, "grant.rectify_deadline_required")
		in.Evidence = ""
		in.RectifyDays = 5
		_, err = e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, in)
		wantKind(t, "no evidence", err, problem.Invalid, "grant.required")
		_, err = e.app.Grants.ReportRectification(e.ctx, e.actor("scjg.staff"), g.ID, grant.RectificationInput{Actions: "已整改", Evidence: "报告", Version: g.Version})
		wantKind(t, "rectification on an active grant", err, problem.Conflict, "grant.wrong_state")

		g, err = e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, suspension(g))
		if err != nil {
			t.Fatal(err)
		}
		want, err := calendar.Builtin().Due(calendar.DateOf(e.clock.Now()), 10)
		if err != nil {
			t.Fatal(err)
		}
		if g.State != grant.Suspended || g.Suspension == nil || g.Suspension.RectifyBy.Due != want.String() || g.Suspension.Evidence != "调用日志摘录" {
			t.Fatalf("suspended: %s %+v", g.State, g.Suspension)
		}
		problemtest.Want(t, grant.Check(g, e.clock.Now(), []string{"姓名"}, "企业登记核验"), "grant.suspended")
		_, err = e.app.Grants.ReportRectification(e.ctx, e.actor("gat.head"), g.ID, grant.RectificationInput{Actions: "已整改", Evidence: "报告", Version: g.Version})
		wantKind(t, "the provider reports", err, problem.Forbidden, "")
		g, err = e.app.Grants.ReportRectification(e.ctx, e.actor("scjg.staff"), g.ID, grant.RectificationInput{Actions: "停止超范围调用", Evidence: "整改报告", Version: g.Version})
		if err != nil || len(g.Suspension.Reports) != 1 {
			t.Fatalf("report: %v %+v", err, g.Suspension)
		}
		_, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, grant.ChangeInput{Reasons: []string{"整改到位"}, Version: g.Version})
		wantKind(t, "an authority resumes the provider's suspension", err, problem.Forbidden, "")
		g, err = e.app.Grants.Resume(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"整改到位"}, Version: g.Version})
		if err != nil || g.State != grant.Active || g.Suspension.Outcome != "resumed" {
			t.Fatalf("resume: %v %s %+v", err, g.State, g.Suspension)
		}
		if err := grant.Check(g, e.clock.Now(), []string{"姓名"}, "企业登记核验"); err != nil {
			t.Errorf("restored grant refused: %v", err)
		}
		gat, scjg := e.p.Departments["浙江省公安厅"].ID, e.p.Departments["浙江省市场监督管理局"].ID
		for action, depts := range map[string][2]string{"grant.suspend": {gat, scjg}, "grant.rectification": {scjg, gat}, "grant.resume": {gat, scjg}} {
			evs := e.eventsOf(g.ID, action)
			if len(evs) != 1 || evs[0].DepartmentID != depts[0] || evs[0].ObjectDepartmentID != depts[1] {
				t.Errorf("%s events %+v, want actor %s, object %s", action, evs, depts[0], depts[1])
			}
		}
		// Both parties' office heads read every act in their own record.
		for _, head := range []string{"gat.head", "scjg.head"} {
			evs, err := e.app.Ledger.Events(e.ctx, e.actor(head), ledger.Filter{ObjectType: "grant", ObjectID: g.ID, Action: "grant.rectification"})
			if err != nil || len(evs) != 1 {
				t.Errorf("%s reads %d rectification events (%v)", head, len(evs), err)
			}
		}
	})
}

// TestConsumerAuthoritySuspends: the consumer's same-level authority (杭州市
// 数据资源管理局 for 杭州市公安局), though not the provider's, suspends and
// terminates; an authority that does not see the grant cannot.
func TestConsumerAuthoritySuspends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		hz := e.grantUntil("hzga", "2026-12-31")
		g, err := e.app.Grants.Suspend(e.ctx, e.actor("hz.reviewer"), hz.ID, grant.SuspendInput{Grounds: grant.ThirdParty,
			Reasons: []string{"擅自提供给第三方"}, Evidence: "举报材料", RectifyBy: "2026-10-30", Version: hz.Version})
		if err != nil || g.Suspension.DepartmentID != e.p.Departments["杭州市数据资源管理局"].ID || g.Suspension.RectifyBy.Due != "2026-10-30" {
			t.Fatalf("consumer's authority suspends: %v %+v", err, g.Suspension)
		}
		_, err = e.app.Grants.Resume(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"x"}, Version: g.Version})
		wantKind(t, "the provider resumes the authority's suspension", err, problem.Forbidden, "")
		g, err = e.app.Grants.Terminate(e.ctx, e.actor("hz.reviewer"), g.ID, grant.ChangeInput{Reasons: []string{"拒不整改"}, Evidence: "复查记录", Version: g.Version})
		if err != nil || g.State != grant.Terminated || g.DisposalDue == nil {
			t.Fatalf("terminate: %v %s %+v", err, g.State, g.DisposalDue)
		}
		_, err = e.app.Grants.Resume(e.ctx, e.actor("hz.reviewer"), g.ID, grant.ChangeInput{Reasons: []string{"恢复"}, Version: g.Version})
		wantKind(t, "restore a terminated grant", err, problem.Conflict, "grant.wrong_state")

		sc := e.grantUntil("scjg", "2026-12-31")
		_, err = e.app.Grants.Suspend(e.ctx, e.actor("hz.reviewer"), sc.ID, suspension(sc))
		wantKind(t, "an authority outside both parties' regions", err, problem.NotFound, "")
	})
}

// TestDisposalFlow: the provider states its requirement; the consumer
// disposes of an active grant with a reason, which stops delivery; an
// expired one stays due, listed and on the to-do, until disposed of.
func TestDisposalFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		act := e.grantUntil("scjg", "2026-12-31")
		exp := e.grantUntil("scjg", "2026-10-15")
		_, err := e.app.Grants.SetDisposalRequirement(e.ctx, e.actor("scjg.staff"), act.ID, grant.DisposalRequirementInput{Method: grant.DisposeReturn, Version: act.Version})
		wantKind(t, "the consumer sets the requirement", err, problem.Forbidden, "")
		act, err = e.app.Grants.SetDisposalRequirement(e.ctx, e.actor("gat.staff"), act.ID, grant.DisposalRequirementInput{Method: grant.DisposeReturn, Text: "退回介质", Version: act.Version})
		if err != nil || act.RequiredDisposal() != grant.DisposeReturn {
			t.Fatalf("requirement: %v %+v", err, act.DisposalRequirement)
		}
		today := calendar.DateOf(e.clock.Now()).String()
		in := grant.DisposeInput{Method: grant.DisposeReturn, Actions: "退回全部数据", DoneOn: today, Evidence: "回执", Version: act.Version}
		_, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.head"), act.ID, in)
		wantKind(t, "active without a reason", err, problem.Invalid, "grant.disposal_reason_required")
		in.Reason, in.ReasonText = grant.PurposeImpossible, "项目取消"
		_, err = e.app.Grants.Dispose(e.ctx, e.actor("gat.head"), act.ID, in)
		wantKind(t, "the provider disposes", err, problem.Forbidden, "")
		_, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.staff"), act.ID, in)
		wantKind(t, "the consumer's staff ends an active grant", err, problem.Forbidden, "")
		act, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.head"), act.ID, in)
		if err != nil || act.State != grant.Disposed || act.Disposal.Reason != grant.PurposeImpossible {
			t.Fatalf("dispose: %v %s", err, act.State)
		}
		problemtest.Want(t, grant.Check(act, e.clock.Now(), []string{"姓名"}, "企业登记核验"), "grant.disposed")
		in.Version = act.Version
		_, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.staff"), act.ID, in)
		wantKind(t, "second disposal", err, problem.Conflict, "grant.wrong_state")
		if n := len(e.eventsOf(act.ID, "grant.dispose")); n != 1 {
			t.Errorf("%d dispose events", n)
		}

		// After 15 October the other grant has expired and is due.
		e.clock.Set(time.Date(2026, 10, 20, 10, 0, 0, 0, calendar.Shanghai))
		for _, who := range []string{"scjg.staff", "gat.head", "zj.reviewer"} {
			due, err := e.app.Grants.List(e.ctx, e.actor(who), grant.Filter{Disposal: "due"})
			due = grantsOf(due, act.ID, exp.ID)
			if err != nil || len(due) != 1 || due[0].ID != exp.ID || due[0].State != grant.Expired || due[0].DisposalDue == nil {
				t.Errorf("%s: due list %+v (%v)", who, due, err)
			}
		}
		_, err = e.app.Grants.List(e.ctx, e.actor("scjg.staff"), grant.Filter{Disposal: "soon"})
		wantKind(t, "bad filter", err, problem.Invalid, "grant.disposal_filter_invalid")
		items, err := e.app.Grants.Todos(e.ctx, e.actor("scjg.staff"))
		items = itemsOn(items, act.ID, exp.ID)
		if err != nil || len(items) != 1 || items[0].Kind != grant.TodoDisposalDue || items[0].ObjectID != exp.ID || items[0].Due == nil {
			t.Fatalf("consumer to-do %+v (%v)", items, err)
		}
		items, err = e.app.Grants.Todos(e.ctx, e.actor("gat.head"))
		items = itemsOn(items, act.ID, exp.ID)
		if err != nil || len(items) != 1 || items[0].Kind != grant.TodoDisposalWatch {
			t.Errorf("provider to-do %+v (%v)", items, err)
		}
		exp, err = e.app.Grants.Get(e.ctx, e.actor("scjg.staff"), exp.ID)
		if err != nil {
			t.Fatal(err)
		}
		exp, err = e.app.Grants.Dispose(e.ctx, e.actor("scjg.head"), exp.ID, grant.DisposeInput{Method: grant.DisposeDelete, Actions: "删除副本",
			DoneOn: "2026-10-19", Evidence: "销毁记录", Version: exp.Version})
		if err != nil || exp.State != grant.Disposed || exp.Disposal.From != grant.Expired || exp.DisposalDue != nil {
			t.Fatalf("dispose expired: %v %s %+v", err, exp.State, exp.Disposal)
		}
		if due, _ := e.app.Grants.List(e.ctx, e.actor("scjg.staff"), grant.Filter{Disposal: "due"}); len(grantsOf(due, act.ID, exp.ID)) != 0 {
			t.Errorf("still due after disposal: %+v", due)
		}
		if items, _ := e.app.Grants.Todos(e.ctx, e.actor("scjg.staff")); len(itemsOn(items, act.ID, exp.ID)) != 0 {
			t.Errorf("to-do after disposal: %+v", items)
		}
	})
}

// TestSuspenderTodoOverdue: once the deadline passes without restoration,
// the suspender's to-do shows the item overdue.
func TestSuspenderTodoOverdue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantUntil("scjg", "2026-12-31")
		in := suspension(g)
		in.RectifyDays, in.RectifyBy = 0, "2026-10-09"
		if _, err := e.app.Grants.Suspend(e.ctx, e.actor("zj.reviewer"), g.ID, in); err != nil {
			t.Fatal(err)
		}
		items, err := e.app.Grants.Todos(e.ctx, e.actor("zj.reviewer"))
		items = itemsOn(items, g.ID)
		if err != nil || len(items) != 1 || items[0].Kind != grant.TodoReview || items[0].Overdue {
			t.Fatalf("before the deadline %+v (%v)", items, err)
		}
		if items, _ := e.app.Grants.Todos(e.ctx, e.actor("gat.head")); len(itemsOn(items, g.ID)) != 0 {
			t.Errorf("the provider judges the authority's suspension: %+v", items)
		}
		if items, _ := e.app.Grants.Todos(e.ctx, e.actor("scjg.staff")); len(itemsOn(items, g.ID)) != 1 || itemsOn(items, g.ID)[0].Kind != grant.TodoRectify {
			t.Errorf("consumer to-do %+v", items)
		}
		e.clock.Set(time.Date(2026, 10, 12, 10, 0, 0, 0, calendar.Shanghai))
		items, err = e.app.Grants.Todos(e.ctx, e.actor("zj.reviewer"))
		items = itemsOn(items, g.ID)
		if err != nil || len(items) != 1 || !items[0].Overdue {
			t.Errorf("after the deadline %+v (%v)", items, err)
		}
	})
}

// TestConcurrentDisposalsOneWins: of simultaneous disposals on one version,
// exactly one succeeds.
func TestConcurrentDisposalsOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantUntil("scjg", "2026-12-31")
		head := e.actor("scjg.head") // an active grant: the head disposes (CanDispose)
		in := grant.DisposeInput{Method: grant.DisposeDelete, Actions: "删除", DoneOn: calendar.DateOf(e.clock.Now()).String(), Evidence: "记录",
			Reason: grant.PurposeMet, ReasonText: "已完成", Version: g.Version}
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.app.Grants.Dispose(e.ctx, head, g.ID, in)
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case problem.Is(err, problem.Conflict):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if wins != 1 || len(e.eventsOf(g.ID, "grant.dispose")) != 1 {
			t.Errorf("%d disposals won", wins)
		}
	})
}

// TestReplyStatesDisposalRequirement: the approving reply may state the
// disposal requirement, which the grant then carries; a bad method refuses
// the whole reply and leaves no grant.
func TestReplyStatesDisposalRequirement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(e.app.Applications)
		_, err := e.app.Applications.Reply(e.ctx, e.actor("gat.head"), a.ID, application.ReplyRequest{Decision: application.Approve,
			DisposalRequirement: &grant.Requirement{Method: "shred"}, Version: a.Version})
		problemtest.Want(t, err, "grant.disposal_method_invalid", "disposal_requirement.method")
		if gs := e.grantsOf(a.ID); len(gs) != 0 {
			t.Fatalf("a refused reply left a grant: %+v", gs)
		}
		a, err = e.app.Applications.Reply(e.ctx, e.actor("gat.head"), a.ID, application.ReplyRequest{Decision: application.Approve,
			DisposalRequirement: &grant.Requirement{Method: grant.DisposeReturn, Text: "退回原始数据介质"}, Version: a.Version})
		if err != nil {
			t.Fatal(err)
		}
		g, err := e.app.Grants.Get(e.ctx, e.actor("scjg.staff"), a.Reply.Grant.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r := g.DisposalRequirement; r == nil || r.Method != grant.DisposeReturn || r.Text != "退回原始数据介质" || r.DepartmentID != g.ProviderID {
			t.Errorf("requirement %+v", r)
		}
	})
}
