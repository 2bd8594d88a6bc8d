package grant_test

import (
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/todo"
)

var (
	consumerStaff = access.Actor{PersonID: "c-staff", DepartmentID: "consumer", Roles: []access.Role{access.OfficeStaff}}
	providerStaff = access.Actor{PersonID: "p-staff", DepartmentID: "provider", Roles: []access.Role{access.OfficeStaff}}
	reviewer      = access.Actor{PersonID: "r", DepartmentID: "authority", DivisionCode: "330000", Roles: []access.Role{access.AuthorityReviewer}}
)

func disposal(method grant.DisposalMethod, done string, reason grant.DisposalReason) grant.DisposeTerms {
	t := grant.DisposeTerms{Method: method, Actions: "删除本地数据库中的副本及备份", DoneOn: done, Evidence: "销毁记录第12号"}
	if reason != "" {
		t.Reason, t.ReasonText = reason, "核验工作已完成"
	}
	return t
}

// TestSuspensionNeedsGroundsEvidenceAndDeadline: a suspension states its
// grounds, reasons, evidence, and exactly one kind of deadline, counted on
// the calendar when given in working days.
func TestSuspensionNeedsGroundsEvidenceAndDeadline(t *testing.T) {
	_, err := grant.CleanSuspend("misuse", []string{"x"}, "日志")
	problemtest.Want(t, err, "grant.grounds_invalid", "grounds")
	_, err = grant.CleanSuspend(grant.ThirdParty, nil, "日志")
	problemtest.Want(t, err, "grant.reasons_required", "reasons")
	_, err = grant.CleanSuspend(grant.ThirdParty, []string{"擅自提供给第三方"}, " ")
	problemtest.Want(t, err, "grant.required", "evidence")

	cal := calendar.Builtin()
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai) // a Monday before the National Day holiday
	_, err = grant.RectifyDeadline(cal, "", 0, now)
	problemtest.Want(t, err, "grant.rectify_deadline_required", "rectify_by")
	_, err = grant.RectifyDeadline(cal, "2026-10-30", 5, now)
	problemtest.Want(t, err, "grant.rectify_deadline_required", "rectify_by")
	_, err = grant.RectifyDeadline(cal, "2026-09-28", 0, now)
	problemtest.Want(t, err, "grant.rectify_by_invalid", "rectify_by")
	_, err = grant.RectifyDeadline(cal, "", grant.MaxRectifyDays+1, now)
	problemtest.Want(t, err, "grant.rectify_days_invalid", "rectify_days")
	d, err := grant.RectifyDeadline(cal, "", 5, now)
	if err != nil {
		t.Fatal(err)
	}
	want, err := cal.Due(calendar.DateOf(now), 5)
	if err != nil {
		t.Fatal(err)
	}
	if d.Due != want.String() || d.Due == "2026-10-03" {
		t.Errorf("5 WD from 28 September: %+v, want %s", d, want)
	}
	if d, err = grant.RectifyDeadline(cal, "2026-10-30", 0, now); err != nil || d.Due != "2026-10-30" || d.Rule == "" {
		t.Errorf("by a date: %+v %v", d, err)
	}
}

// TestRectificationAndRestore: the consumer reports only on a suspended
// grant; a terminated grant cannot be restored.
func TestRectificationAndRestore(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Months: 12})
	problemtest.Want(t, g.ReportRectification(consumerStaff, "已整改", "整改报告", now), "grant.wrong_state")
	if err := g.Suspend(head, terms, now); err != nil {
		t.Fatal(err)
	}
	if g.Suspension == nil || g.Suspension.DepartmentID != "provider" || g.Suspension.Grounds != grant.BeyondScope || g.Suspension.RectifyBy.Due != "2026-10-30" {
		t.Fatalf("suspension %+v", g.Suspension)
	}
	problemtest.Want(t, g.ReportRectification(consumerStaff, " ", "整改报告", now), "grant.required", "actions")
	problemtest.Want(t, g.ReportRectification(consumerStaff, "已整改", "", now), "grant.required", "evidence")
	if err := g.ReportRectification(consumerStaff, "停止超范围调用", "整改报告", now); err != nil {
		t.Fatal(err)
	}
	if len(g.Suspension.Reports) != 1 || g.State != grant.Suspended {
		t.Fatalf("after the report: %s %+v", g.State, g.Suspension.Reports)
	}
	if err := g.Terminate(head, []string{"整改不到位"}, "复查记录", now); err != nil {
		t.Fatal(err)
	}
	if g.Suspension.Outcome != "terminated" || g.EndedAt == nil {
		t.Errorf("suspension after termination %+v, ended %v", g.Suspension, g.EndedAt)
	}
	problemtest.Want(t, g.Resume(head, []string{"恢复"}, now), "grant.wrong_state")
	problemtest.Want(t, g.ReportRectification(consumerStaff, "已整改", "整改报告", now), "grant.wrong_state")
}

// TestDisposalRules: an active grant needs a reason and stops delivering at
// once; the method is the provider's; a grant is disposed of once; a
// suspended grant waits for the suspender; ended grants need no reason.
func TestDisposalRules(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Months: 12})
	if g.RequiredDisposal() != grant.DisposeDelete {
		t.Errorf("default method %s", g.RequiredDisposal())
	}
	problemtest.Want(t, g.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-09-28", ""), now), "grant.disposal_reason_required", "reason")
	problemtest.Want(t, g.SetDisposalRequirement(providerStaff, "burn", "", now), "grant.disposal_method_invalid", "method")
	if err := g.SetDisposalRequirement(providerStaff, grant.DisposeReturn, "退回原始介质并出具回执", now); err != nil {
		t.Fatal(err)
	}
	problemtest.Want(t, g.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-09-28", grant.PurposeMet), now), "grant.disposal_method_mismatch", "method")
	problemtest.Want(t, g.Dispose(consumerStaff, disposal(grant.DisposeReturn, "2026-09-29", grant.PurposeMet), now), "grant.done_on_invalid", "done_on")
	problemtest.Want(t, g.Dispose(consumerStaff, disposal(grant.DisposeReturn, "28/09/2026", grant.PurposeMet), now), "grant.date_invalid", "done_on")
	problemtest.Want(t, g.Dispose(consumerStaff, grant.DisposeTerms{Method: grant.DisposeReturn, Actions: "x", DoneOn: "2026-09-28", Evidence: "y", Reason: "bored", ReasonText: "z"}, now),
		"grant.disposal_reason_invalid", "reason")

	s := g
	s.History = append([]grant.Change(nil), g.History...)
	if err := s.Suspend(head, terms, now); err != nil {
		t.Fatal(err)
	}
	problemtest.Want(t, s.Dispose(consumerStaff, disposal(grant.DisposeReturn, "2026-09-28", grant.PurposeMet), now), "grant.wrong_state")

	if err := g.Dispose(consumerStaff, disposal(grant.DisposeReturn, "2026-09-28", grant.PurposeUnnecessary), now); err != nil {
		t.Fatal(err)
	}
	if g.State != grant.Disposed || g.Disposal == nil || g.Disposal.From != grant.Active || g.Disposal.By != "c-staff" || g.EndedAt == nil {
		t.Fatalf("disposed: %s %+v", g.State, g.Disposal)
	}
	problemtest.Want(t, grant.Check(g, now, []string{"姓名"}, "企业登记核验"), "grant.disposed")
	if p := problemtest.Want(t, g.Dispose(consumerStaff, disposal(grant.DisposeReturn, "2026-09-28", grant.PurposeMet), now), "grant.wrong_state"); p.Kind != problem.Conflict {
		t.Errorf("second disposal: %+v", p)
	}
	problemtest.Want(t, g.SetDisposalRequirement(providerStaff, grant.DisposeDelete, "", now), "grant.wrong_state")
	problemtest.Want(t, g.Suspend(head, terms, now), "grant.wrong_state")
	problemtest.Want(t, g.Terminate(head, []string{"x"}, "y", now), "grant.wrong_state")

	// Expired: disposed of without a reason, recorded as from expired.
	e := sample(t, now, grant.TimeLimit{Until: "2026-10-15"})
	later := time.Date(2026, 10, 20, 10, 0, 0, 0, calendar.Shanghai)
	if err := e.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-10-19", ""), later); err != nil {
		t.Fatal(err)
	}
	if e.State != grant.Disposed || e.Disposal.From != grant.Expired || e.History[len(e.History)-1].From != grant.Expired {
		t.Errorf("expired then disposed: %s %+v", e.State, e.Disposal)
	}
}

// TestDisposalDeadline: 10 working days from the last day of use, or from
// the day of termination; none while active or once disposed of.
func TestDisposalDeadline(t *testing.T) {
	cal := calendar.Builtin()
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Until: "2026-10-15"})
	if _, ok, err := grant.DisposalDeadline(cal, g, now); ok || err != nil {
		t.Errorf("an active grant has a disposal deadline (%v)", err)
	}
	later := time.Date(2026, 10, 20, 10, 0, 0, 0, calendar.Shanghai)
	d, ok, err := grant.DisposalDeadline(cal, g, later)
	want, _ := cal.Due(calendar.Date{Year: 2026, Month: 10, Day: 15}, grant.DisposalDays)
	if err != nil || !ok || d.Due != want.String() {
		t.Errorf("expired: %+v %v %v, want %s", d, ok, err, want)
	}
	x := sample(t, now, grant.TimeLimit{Months: 12})
	if err := x.Terminate(head, []string{"终止"}, "记录", now); err != nil {
		t.Fatal(err)
	}
	d, ok, err = grant.DisposalDeadline(cal, x, now)
	want, _ = cal.Due(calendar.DateOf(now), grant.DisposalDays)
	if err != nil || !ok || d.Due != want.String() {
		t.Errorf("terminated: %+v %v %v, want %s", d, ok, err, want)
	}
}

func kinds(items []todo.Item) map[string]todo.Item {
	m := map[string]todo.Item{}
	for _, it := range items {
		m[it.Kind] = it
	}
	return m
}

// TestTodoItemsOfTheLifecycle: the consumer's office rectifies and disposes;
// the suspender judges, overdue once the deadline passes; the provider and
// the authority watch undisposed ended grants.
func TestTodoItemsOfTheLifecycle(t *testing.T) {
	cal := calendar.Builtin()
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	s := sample(t, now, grant.TimeLimit{Months: 12})
	s.ID = "suspended"
	if err := s.Suspend(head, terms, now); err != nil {
		t.Fatal(err)
	}
	x := sample(t, now, grant.TimeLimit{Until: "2026-10-15"})
	x.ID = "expired"
	gs := []grant.Grant{s, x}
	at := time.Date(2026, 10, 20, 10, 0, 0, 0, calendar.Shanghai)

	c := kinds(grant.TodoItems(consumerStaff, gs, cal, at, nil))
	if r, ok := c[grant.TodoRectify]; !ok || r.ObjectID != "suspended" || r.Due == nil || r.Due.String() != "2026-10-30" || r.Overdue {
		t.Errorf("consumer rectify: %+v", r)
	}
	if d, ok := c[grant.TodoDisposalDue]; !ok || d.ObjectID != "expired" || d.Due == nil || d.WorkingDaysLeft == nil {
		t.Errorf("consumer disposal due: %+v", d)
	}
	if _, ok := c[grant.TodoReview]; ok {
		t.Error("the consumer judges its own rectification")
	}
	p := kinds(grant.TodoItems(head, gs, cal, at, nil))
	if r, ok := p[grant.TodoReview]; !ok || r.Overdue {
		t.Errorf("suspender review before the deadline: %+v", r)
	}
	if _, ok := p[grant.TodoDisposalWatch]; !ok {
		t.Error("the provider does not watch the undisposed grant")
	}
	if _, ok := kinds(grant.TodoItems(providerStaff, gs, cal, at, nil))[grant.TodoReview]; ok {
		t.Error("provider staff may not resume, yet has the review item")
	}
	overdue := kinds(grant.TodoItems(head, gs, cal, time.Date(2026, 11, 2, 10, 0, 0, 0, calendar.Shanghai), nil))
	if r := overdue[grant.TodoReview]; !r.Overdue || r.WorkingDaysLeft == nil || *r.WorkingDaysLeft >= 0 {
		t.Errorf("suspender review after the deadline: %+v", r)
	}
	if _, ok := kinds(grant.TodoItems(reviewer, gs, cal, at, nil))[grant.TodoDisposalWatch]; !ok {
		t.Error("the authority does not watch the undisposed grant")
	}
	d := x
	if err := d.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-10-19", ""), at); err != nil {
		t.Fatal(err)
	}
	if _, ok := kinds(grant.TodoItems(consumerStaff, []grant.Grant{d}, cal, at, nil))[grant.TodoDisposalDue]; ok {
		t.Error("a disposed grant is still due")
	}
}
