package grant_test

import (
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem/problemtest"
)

var consumerHead = access.Actor{PersonID: "c-head", DepartmentID: "consumer", Roles: []access.Role{access.OfficeHead}}

// legacySuspended is a grant suspended before the platform recorded
// suspensions: its state and history say suspended, its Suspension is nil.
func legacySuspended(t *testing.T, now time.Time) grant.Grant {
	t.Helper()
	g := sample(t, now, grant.TimeLimit{Months: 12})
	g.History = append(g.History, grant.Change{At: now.UTC(), Action: "grant.suspend", From: grant.Active, To: grant.Suspended,
		ActorID: "p-head", Reasons: []string{"超范围调用"}})
	g.State = grant.Suspended
	return g
}

// TestLegacySuspensionFallsBackToControl: a grant suspended without a
// recorded suspension is resumed by whoever controls it, takes the
// consumer's rectification reports (a suspension without a deadline), and
// appears, undated, on both sides' to-do lists.
func TestLegacySuspensionFallsBackToControl(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := legacySuspended(t, now)
	if g.SuspenderKnown() {
		t.Fatal("a grant without a suspension has a known suspender")
	}
	if !grant.CanResume(head, &g, true) || grant.CanResume(head, &g, false) {
		t.Error("without a known suspender, the control rule decides")
	}
	cal := calendar.Builtin()
	controls := func(g *grant.Grant) bool { return g.ID == "g1" }
	if r, ok := kinds(grant.TodoItems(consumerStaff, []grant.Grant{g}, cal, now, nil))[grant.TodoRectify]; !ok || r.Due != nil {
		t.Errorf("consumer's rectify item: %v %+v", ok, r)
	}
	if r, ok := kinds(grant.TodoItems(reviewer, []grant.Grant{g}, cal, now, controls))[grant.TodoReview]; !ok || r.Due != nil {
		t.Errorf("controller's review item: %v %+v", ok, r)
	}
	if _, ok := kinds(grant.TodoItems(reviewer, []grant.Grant{g}, cal, now, nil))[grant.TodoReview]; ok {
		t.Error("a review item for one who does not control the grant")
	}

	if err := g.ReportRectification(consumerStaff, "停止超范围调用", "整改报告", now); err != nil {
		t.Fatalf("report on a legacy suspension: %v", err)
	}
	s := g.Suspension
	if s == nil || len(s.Reports) != 1 || s.RectifyBy.Due != "" || len(s.Reasons) != 1 || s.Reasons[0] != "超范围调用" || g.SuspenderKnown() {
		t.Fatalf("after the report: %+v", s)
	}
	if !grant.CanResume(head, &g, true) || grant.CanResume(head, &g, false) {
		t.Error("a report does not make the suspender known")
	}
	if err := g.Resume(head, []string{"整改到位"}, now); err != nil || g.State != grant.Active || g.Suspension.Outcome != "resumed" {
		t.Errorf("resume: %v %s %+v", err, g.State, g.Suspension)
	}

	// A recorded suspension keeps the suspender's rule, whatever controls says.
	r := sample(t, now, grant.TimeLimit{Months: 12})
	if err := r.Suspend(reviewer, terms, now); err != nil {
		t.Fatal(err)
	}
	if grant.CanResume(head, &r, true) || !grant.CanResume(reviewer, &r, false) {
		t.Error("a recorded suspension is resumed by its suspender alone")
	}
}

// TestDisposalNotBeforeTheEnd: the disposal of a terminated grant's data is
// on or after the day of termination, of an expired one after its last day
// of use.
func TestDisposalNotBeforeTheEnd(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	later := time.Date(2026, 10, 20, 10, 0, 0, 0, calendar.Shanghai)

	x := sample(t, now, grant.TimeLimit{Months: 12})
	if err := x.Terminate(head, []string{"终止"}, "记录", time.Date(2026, 10, 12, 9, 0, 0, 0, calendar.Shanghai)); err != nil {
		t.Fatal(err)
	}
	y := x
	problemtest.Want(t, y.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-10-11", ""), later), "grant.done_on_before_end", "done_on")
	if y.State != grant.Terminated || y.Disposal != nil {
		t.Fatalf("a refused disposal changed the grant: %s", y.State)
	}
	if err := x.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-10-12", ""), later); err != nil {
		t.Errorf("disposal on the day of termination: %v", err)
	}

	e := sample(t, now, grant.TimeLimit{Until: "2026-10-15"})
	problemtest.Want(t, e.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-10-15", ""), later), "grant.done_on_before_end", "done_on")
	if err := e.Dispose(consumerStaff, disposal(grant.DisposeDelete, "2026-10-16", ""), later); err != nil {
		t.Errorf("disposal the day after the last day of use: %v", err)
	}
}

// TestActiveDisposalTakesTheHead: disposing of an active grant ends its
// delivery for good, so it takes the consumer's office head; staff record
// the disposal of an ended grant.
func TestActiveDisposalTakesTheHead(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	later := time.Date(2026, 10, 20, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Until: "2026-10-15"})
	if grant.CanDispose(consumerStaff, &g, now) || !grant.CanDispose(consumerHead, &g, now) || grant.CanDispose(head, &g, now) {
		t.Error("active: only the consumer's head disposes")
	}
	if !grant.CanDispose(consumerStaff, &g, later) || !grant.CanDispose(consumerHead, &g, later) || grant.CanDispose(providerStaff, &g, later) {
		t.Error("expired: the consumer's office disposes")
	}
	x := sample(t, now, grant.TimeLimit{Months: 12})
	if err := x.Terminate(head, []string{"终止"}, "记录", now); err != nil {
		t.Fatal(err)
	}
	if !grant.CanDispose(consumerStaff, &x, now) {
		t.Error("terminated: the consumer's staff may record the disposal")
	}
}
