package grant_test

import (
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
)

var head = access.Actor{PersonID: "p-head", DepartmentID: "provider", Roles: []access.Role{access.OfficeHead}}

// terms is a suspension for use beyond the granted scope.
var terms = grant.SuspendTerms{Grounds: grant.BeyondScope, Reasons: []string{"核查"}, Evidence: "调用日志",
	RectifyBy: grant.Deadline{Due: "2026-10-30", Rule: "限期整改"}}

func sample(t *testing.T, now time.Time, tl grant.TimeLimit) grant.Grant {
	t.Helper()
	g, err := grant.New(grant.NewGrant{ID: "g1", ApplicationID: "a1", ConsumerID: "consumer", ProviderID: "provider",
		EntryID: "e1", EntryVersion: 1, Items: []string{"姓名", "公民身份号码"}, Scenario: "企业登记核验", Scope: "登记窗口",
		DeliveryMethod: "service_interface", TimeLimit: tl}, head, now)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLastDayFromTimeLimit(t *testing.T) {
	d := func(y int, m time.Month, day int) calendar.Date { return calendar.Date{Year: y, Month: m, Day: day} }
	for _, c := range []struct {
		tl       grant.TimeLimit
		approved calendar.Date
		want     calendar.Date
	}{
		{grant.TimeLimit{Until: "2027-12-31"}, d(2026, 9, 28), d(2027, 12, 31)},
		{grant.TimeLimit{Months: 12}, d(2026, 9, 28), d(2027, 9, 27)},
		{grant.TimeLimit{Months: 1}, d(2027, 1, 31), d(2027, 2, 27)},
		{grant.TimeLimit{Months: 3}, d(2026, 11, 30), d(2027, 2, 27)},
		{grant.TimeLimit{Months: 60}, d(2026, 2, 1), d(2031, 1, 31)},
	} {
		got, err := grant.LastDay(c.tl, c.approved)
		if err != nil || got != c.want {
			t.Errorf("LastDay(%+v, %s) = %s, %v; want %s", c.tl, c.approved, got, err, c.want)
		}
	}
	if _, err := grant.LastDay(grant.TimeLimit{}, d(2026, 1, 1)); err == nil {
		t.Error("an empty time limit gave a last day")
	}
}

// TestCheckRefusesEachCase is the gateway's rule: only an active, unexpired
// grant delivers, only the granted items, only for the granted purpose.
func TestCheckRefusesEachCase(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Until: "2027-12-31"})
	if err := grant.Check(g, now, []string{"姓名"}, "企业登记核验"); err != nil {
		t.Fatalf("the granted use was refused: %v", err)
	}
	p := problemtest.Want(t, grant.Check(g, now, []string{"姓名", "户籍地址"}, "企业登记核验"), "grant.item_not_granted", "items[1]")
	if p.Kind != problem.Forbidden || !strings.Contains(p.Title, "户籍地址") || !strings.Contains(p.Detail, "户籍地址") {
		t.Errorf("item refusal does not name the item: %+v", p)
	}
	problemtest.Want(t, grant.Check(g, now, nil, "企业登记核验"), "grant.items_required", "items")
	problemtest.Want(t, grant.Check(g, now, []string{"姓名"}, "商业营销"), "grant.purpose_mismatch", "purpose")

	// Expired by moving the clock: the last day still delivers, the next does not.
	last := time.Date(2027, 12, 31, 23, 59, 0, 0, calendar.Shanghai)
	if err := grant.Check(g, last, []string{"姓名"}, "企业登记核验"); err != nil {
		t.Fatalf("the last day was refused: %v", err)
	}
	after := time.Date(2028, 1, 1, 0, 0, 0, 0, calendar.Shanghai)
	problemtest.Want(t, grant.Check(g, after, []string{"姓名"}, "企业登记核验"), "grant.expired")
	if s := g.StateAt(after); s != grant.Expired {
		t.Errorf("state after expiry %s", s)
	}

	s := g
	if err := s.Suspend(head, terms, now); err != nil {
		t.Fatal(err)
	}
	problemtest.Want(t, grant.Check(s, now, []string{"姓名"}, "企业登记核验"), "grant.suspended")
	x := g
	if err := x.Terminate(head, []string{"目的已实现"}, "核查记录", now); err != nil {
		t.Fatal(err)
	}
	problemtest.Want(t, grant.Check(x, now, []string{"姓名"}, "企业登记核验"), "grant.terminated")
	problemtest.Want(t, grant.Check(x, after, []string{"姓名"}, "企业登记核验"), "grant.terminated")
	d := g
	d.State = grant.Disposed
	problemtest.Want(t, grant.Check(d, now, []string{"姓名"}, "企业登记核验"), "grant.disposed")
	odd := g
	odd.State = "revoked"
	problemtest.Want(t, grant.Check(odd, now, []string{"姓名"}, "企业登记核验"), "grant.not_active")
}

func TestStateMachine(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Months: 12})
	problemtest.Want(t, g.Resume(head, nil, now), "grant.wrong_state")
	if err := g.Suspend(head, terms, now); err != nil {
		t.Fatal(err)
	}
	problemtest.Want(t, g.Suspend(head, terms, now), "grant.wrong_state")
	if err := g.Resume(head, []string{"核查完毕"}, now); err != nil {
		t.Fatal(err)
	}
	if err := g.Terminate(head, []string{"目的已实现"}, "核查记录", now); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{g.Suspend(head, terms, now), g.Resume(head, nil, now), g.Terminate(head, nil, "", now), g.RecordConsent(head, "third", "x", now)} {
		if p := problemtest.Want(t, err, "grant.wrong_state"); p.Kind != problem.Conflict {
			t.Errorf("wrong state is not a conflict: %+v", p)
		}
	}
	if len(g.History) != 4 || g.History[3].From != grant.Suspended && g.History[3].From != grant.Active {
		t.Errorf("history %+v", g.History)
	}
	// An expired grant can no longer be controlled.
	e := sample(t, now, grant.TimeLimit{Months: 1})
	problemtest.Want(t, e.Suspend(head, terms, now.AddDate(0, 2, 0)), "grant.wrong_state")
}

func TestMayReshareNeedsConsent(t *testing.T) {
	now := time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)
	g := sample(t, now, grant.TimeLimit{Months: 12})
	if grant.MayReshare(g, "third") {
		t.Fatal("re-sharing allowed without consent")
	}
	problemtest.Want(t, g.RecordConsent(head, "consumer", "协查", now), "grant.third_is_party", "third_department_id")
	problemtest.Want(t, g.RecordConsent(head, "third", " ", now), "grant.required", "purpose")
	if err := g.RecordConsent(head, "third", "协查", now); err != nil {
		t.Fatal(err)
	}
	if !grant.MayReshare(g, "third") || grant.MayReshare(g, "other") {
		t.Errorf("consent for third: third %v, other %v", grant.MayReshare(g, "third"), grant.MayReshare(g, "other"))
	}
	if err := g.Terminate(head, []string{"终止"}, "核查记录", now); err != nil {
		t.Fatal(err)
	}
	if grant.MayReshare(g, "third") {
		t.Error("a terminated grant may still be re-shared")
	}
}
