package dispute_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/dispute"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	svc   *dispute.Service
	p     *demo.Province
	clock *testClock
	ctx   context.Context
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: demo.ReferenceTime}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, s: s, app: a, svc: a.Disputes, p: p, clock: clock, ctx: ctx}
}

func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	id := e.p.Account(username).ID
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, id); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

func (e *env) dept(name string) string { return e.p.Departments[name].ID }

func (e *env) open(who, against, as string) dispute.Dispute {
	e.t.Helper()
	d, err := e.svc.Open(e.ctx, e.actor(who), dispute.OpenInput{RespondentID: e.dept(against), As: as,
		Matter: "共享数据更新频率争议", Claim: "应按日更新"})
	if err != nil {
		e.t.Fatalf("%s opens against %s: %v", who, against, err)
	}
	return d
}

func (e *env) events(id string) []ledger.Event {
	e.t.Helper()
	var out []ledger.Event
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) {
		out, err = tx.ListEvents(e.ctx, ledger.Filter{ObjectType: "dispute", ObjectID: id, Limit: 500})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// The coordinating authority follows the parties' places in the tree
// (Art. 28), as stored in the demo province.
func TestOpenFindsCoordinatingAuthority(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		for _, c := range []struct {
			who, against, as string
			authority        string
			tier             dispute.Tier
			government       string
		}{
			{"gat.staff", "浙江省市场监督管理局", "consumer", "浙江省数据局", dispute.SameLevel, "浙江省人民政府"},
			{"xhmz.staff", "杭州市公安局", "consumer", "杭州市数据资源管理局", dispute.CommonSuperior, "杭州市人民政府"},
			{"hsmz.head", "西湖区民政局", "provider", "浙江省数据局", dispute.CommonSuperior, "浙江省人民政府"},
			{"xhmz.head", "浙江省公安厅", "consumer", "浙江省数据局", dispute.CommonSuperior, "浙江省人民政府"},
			// The province's authority is itself the other party: the national one coordinates.
			{"gat.staff", "浙江省数据局", "consumer", "国家数据局", dispute.CommonSuperior, "国务院"},
		} {
			d := e.open(c.who, c.against, c.as)
			if d.Authority.DepartmentID != e.dept(c.authority) || d.Authority.Tier != c.tier || d.Authority.Government != c.government {
				t.Errorf("%s vs %s: authority %+v, want %s %s", c.who, c.against, d.Authority, c.authority, c.tier)
			}
			if d.State != dispute.Negotiating || len(d.Stages) != 1 || d.Stages[0].Days != dispute.NegotiationDays || d.Stages[0].Deadline == nil {
				t.Errorf("%s: opened %s %+v", c.who, d.State, d.Stages)
			}
			mine := d.Consumer
			if c.as == "provider" {
				mine = d.Provider
			}
			if mine.DepartmentID != e.actor(c.who).DepartmentID || d.OpenedBy != c.as {
				t.Errorf("%s: parties %+v / %+v", c.who, d.Consumer, d.Provider)
			}
		}
	})
}

// Bad input names the field and changes nothing.
func TestOpenRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		gat := e.actor("gat.staff")
		scjg := e.dept("浙江省市场监督管理局")
		before := len(e.list("gat.staff"))
		for _, c := range []struct {
			in          dispute.OpenInput
			code, field string
		}{
			{dispute.OpenInput{RespondentID: scjg, As: "consumer", Claim: "x"}, "dispute.required", "matter"},
			{dispute.OpenInput{RespondentID: scjg, As: "consumer", Matter: "x"}, "dispute.required", "claim"},
			{dispute.OpenInput{As: "consumer", Matter: "x", Claim: "y"}, "dispute.required", "respondent_id"},
			{dispute.OpenInput{RespondentID: gat.DepartmentID, As: "consumer", Matter: "x", Claim: "y"}, "dispute.self", "respondent_id"},
			{dispute.OpenInput{RespondentID: "nope", As: "consumer", Matter: "x", Claim: "y"}, "dispute.respondent_unknown", "respondent_id"},
			{dispute.OpenInput{RespondentID: scjg, Matter: "x", Claim: "y"}, "dispute.required", "as"},
			{dispute.OpenInput{RespondentID: scjg, As: "judge", Matter: "x", Claim: "y"}, "dispute.as_invalid", "as"},
			{dispute.OpenInput{RespondentID: scjg, Matter: "x", Claim: "y", Subject: &dispute.SubjectRef{Type: "grant", ID: "nope"}}, "dispute.subject_not_between", "subject.id"},
			{dispute.OpenInput{RespondentID: scjg, Matter: "x", Claim: "y", Subject: &dispute.SubjectRef{Type: "planet", ID: "x"}}, "dispute.subject_type_invalid", "subject.type"},
		} {
			_, err := e.svc.Open(e.ctx, gat, c.in)
			var p *problem.Error
			if !asProblem(err, &p) || p.Code != c.code || p.Field != c.field {
				t.Errorf("%+v: error %v, want %s on %s", c.in, err, c.code, c.field)
			}
		}
		if after := len(e.list("gat.staff")); after != before {
			t.Errorf("refused opens stored %d disputes", after-before)
		}
		// Only a sharing office opens a dispute.
		_, err := e.svc.Open(e.ctx, e.actor("zj.reviewer"), dispute.OpenInput{RespondentID: scjg, As: "consumer", Matter: "x", Claim: "y"})
		problemtest.Want(t, err, "auth.forbidden")
	})
}

// A subject between the parties fixes their sides; one that is not
// between them is refused.
func TestOpenAboutApplication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		var appID string
		for _, id := range e.p.Applications {
			a, err := e.app.Applications.Get(e.ctx, e.actor("admin"), id)
			if err == nil && a.ConsumerID != "" {
				appID = id
				d, err := e.svc.Open(e.ctx, e.actorOfDept(a.ProviderID), dispute.OpenInput{RespondentID: a.ConsumerID,
					Subject: &dispute.SubjectRef{Type: "application", ID: id}, Matter: "申请用途", Claim: "用途超出职责"})
				if err != nil {
					t.Fatal(err)
				}
				if d.Provider.DepartmentID != a.ProviderID || d.Consumer.DepartmentID != a.ConsumerID || d.OpenedBy != "provider" || d.Subject.Name != a.EntryName {
					t.Errorf("sides %+v %+v opened by %s subject %+v", d.Provider, d.Consumer, d.OpenedBy, d.Subject)
				}
				_, err = e.svc.Open(e.ctx, e.actorOfDept(a.ProviderID), dispute.OpenInput{RespondentID: a.ConsumerID, As: "consumer",
					Subject: &dispute.SubjectRef{Type: "application", ID: id}, Matter: "x", Claim: "y"})
				problemtest.Want(t, err, "dispute.as_mismatch")
				break
			}
		}
		if appID == "" {
			t.Fatal("the demo has no application")
		}
	})
}

// The whole procedure through the service: each act by whoever must act,
// with its event, refusals out of order, the to-do lists with working days
// left, and visibility.
func TestProcedureThroughService(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		d := e.open("xhmz.staff", "杭州市公安局", "consumer") // coordinated by 杭州市数据资源管理局
		id := d.ID
		// Visibility: the parties, the coordinating authority and those above; nobody else.
		for who, sees := range map[string]bool{"xhmz.head": true, "hzga.staff": true, "hz.reviewer": true, "zj.reviewer": true,
			"audit": true, "nb.reviewer": false, "gat.head": false, "hzmz.head": false, "admin": false, "ops": false} {
			_, err := e.svc.Get(e.ctx, e.actor(who), id)
			if sees && err != nil || !sees && problem.CodeOf(err) != "dispute.not_found" {
				t.Errorf("%s reads: %v", who, err)
			}
			_, err = e.svc.Events(e.ctx, e.actor(who), id, 0, 50)
			if sees && err != nil || !sees && problem.CodeOf(err) != "dispute.not_found" {
				t.Errorf("%s reads the events: %v", who, err)
			}
		}
		// To-dos: both parties negotiate, with 10 WD left on the reference day.
		for _, who := range []string{"xhmz.staff", "hzga.head"} {
			it := e.todo(who, id)
			if it == nil || it.Kind != dispute.TodoNegotiate || it.WorkingDaysLeft == nil || *it.WorkingDaysLeft != 10 || it.Overdue {
				t.Errorf("%s: to-do %+v", who, it)
			}
		}
		if e.todo("hz.reviewer", id) != nil {
			t.Error("the authority has a to-do during negotiation")
		}
		// The authority cannot act yet; the parties can.
		_, err := e.svc.Coordinate(e.ctx, e.actor("hz.reviewer"), id, dispute.CoordinateInput{Outcome: "agreed", Opinion: "x", Agreement: "y", Version: d.Version})
		problemtest.Want(t, err, "dispute.wrong_state")
		_, err = e.svc.AddPosition(e.ctx, e.actor("zj.reviewer"), id, dispute.TextInput{Text: "x", Version: d.Version})
		problemtest.Want(t, err, "auth.forbidden") // reads, does not act
		d, err = e.svc.AddPosition(e.ctx, e.actor("hzga.staff"), id, dispute.TextInput{Text: "按周更新已满足需要", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		// Twelve working days later the negotiation is overdue.
		e.clock.Set(time.Date(2026, 7, 1, 10, 0, 0, 0, calendar.Shanghai))
		if it := e.todo("xhmz.staff", id); it == nil || !it.Overdue || *it.WorkingDaysLeft != -1 {
			t.Errorf("overdue to-do %+v", it)
		}
		// A stale version loses.
		_, err = e.svc.RequestCoordination(e.ctx, e.actor("xhmz.staff"), id, dispute.TextInput{Text: "协商不成", Version: d.Version - 1})
		problemtest.Want(t, err, "conflict.version")
		d, err = e.svc.RequestCoordination(e.ctx, e.actor("xhmz.staff"), id, dispute.TextInput{Text: "协商不成", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if it := e.todo("hz.reviewer", id); it == nil || it.Kind != dispute.TodoCoordinate || *it.WorkingDaysLeft != 20 {
			t.Errorf("coordination to-do %+v", it)
		}
		if e.todo("xhmz.staff", id) != nil {
			t.Error("the party still has a to-do")
		}
		_, err = e.svc.ProposeAgreement(e.ctx, e.actor("hzga.head"), id, dispute.TextInput{Text: "x", Version: d.Version})
		problemtest.Want(t, err, "dispute.wrong_state")
		_, err = e.svc.Coordinate(e.ctx, e.actor("zj.reviewer"), id, dispute.CoordinateInput{Outcome: "failed", Opinion: "x", Referral: "y", Version: d.Version})
		problemtest.Want(t, err, "auth.forbidden") // above the coordinator: reads, does not act
		_, err = e.svc.Coordinate(e.ctx, e.actor("hz.reviewer"), id, dispute.CoordinateInput{Outcome: "failed", Opinion: "x", Version: d.Version})
		if p := asField(err); p != "referral" {
			t.Errorf("failed without referral: %v", err)
		}
		d, err = e.svc.Coordinate(e.ctx, e.actor("hz.reviewer"), id, dispute.CoordinateInput{Outcome: "failed",
			Opinion: "双方对更新频率分歧较大", Referral: "报杭州市人民政府决定", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if d.State != dispute.Referred {
			t.Fatalf("state %s", d.State)
		}
		if it := e.todo("hz.reviewer", id); it == nil || it.Kind != dispute.TodoDecision {
			t.Errorf("decision to-do %+v", it)
		}
		in := dispute.DecisionInput{Text: "按日更新", DocumentNumber: "杭政办函〔2026〕12号", DecidedOn: "2026-07-02", Version: d.Version}
		_, err = e.svc.Decide(e.ctx, e.actor("hz.reviewer"), id, in)
		problemtest.Want(t, err, "dispute.date_future")
		in.DecidedOn = "2026-06-30"
		_, err = e.svc.Decide(e.ctx, e.actor("hz.reviewer"), id, in)
		problemtest.Want(t, err, "dispute.date_before_referral")
		in.DecidedOn = "2026-07-01"
		d, err = e.svc.Decide(e.ctx, e.actor("hz.reviewer"), id, in)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != dispute.Decided || d.Decision.DocumentNumber != "杭政办函〔2026〕12号" {
			t.Fatalf("decided %+v", d.Decision)
		}
		_, err = e.svc.RequestCoordination(e.ctx, e.actor("xhmz.staff"), id, dispute.TextInput{Text: "不服", Version: d.Version})
		problemtest.Want(t, err, "dispute.no_further_stage")
		// Every act is in the record, with both parties concerned.
		evs := e.events(id)
		acts := ""
		for _, ev := range evs {
			acts += ev.Action + " "
		}
		if acts != "dispute.open dispute.position dispute.request_coordination dispute.coordinate dispute.decide " {
			t.Errorf("events %q", acts)
		}
		xh, hz := e.dept("西湖区民政局"), e.dept("杭州市公安局")
		for _, ev := range evs {
			if !(ev.DepartmentID == xh || ev.ObjectDepartmentID == xh) || !(ev.DepartmentID == hz || ev.ObjectDepartmentID == hz) {
				if ev.DepartmentID != e.dept("杭州市数据资源管理局") {
					t.Errorf("event %s concerns %s/%s, not both parties", ev.Action, ev.DepartmentID, ev.ObjectDepartmentID)
				}
			}
		}
		got, err := e.svc.Events(e.ctx, e.actor("hzga.head"), id, 0, 50)
		if err != nil || len(got) != len(evs) {
			t.Errorf("the respondent reads %d events (%v), want %d", len(got), err, len(evs))
		}
	})
}

// A negotiated agreement through the service: a party cannot apply for
// coordination before the other has said anything; one party proposes, the
// other finds it on its to-do list and confirms it; every act is an event,
// and a refused act writes none.
func TestNegotiatedAgreement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		d := e.open("xhmz.staff", "杭州市公安局", "consumer")
		_, err := e.svc.RequestCoordination(e.ctx, e.actor("xhmz.head"), d.ID, dispute.TextInput{Text: "对方未答复", Version: d.Version})
		problemtest.Want(t, err, "dispute.not_negotiated")
		_, err = e.svc.ProposeAgreement(e.ctx, e.actor("hz.reviewer"), d.ID, dispute.TextInput{Text: "x", Version: d.Version})
		problemtest.Want(t, err, "auth.forbidden") // the authority has no say in negotiation
		_, err = e.svc.ProposeAgreement(e.ctx, e.actor("hzga.head"), d.ID, dispute.TextInput{Text: " ", Version: d.Version})
		if asField(err) != "text" {
			t.Errorf("blank proposal: %v", err)
		}
		_, err = e.svc.ConfirmAgreement(e.ctx, e.actor("xhmz.staff"), d.ID, dispute.VersionInput{Version: d.Version})
		problemtest.Want(t, err, "dispute.no_proposal")
		if n := len(e.events(d.ID)); n != 1 {
			t.Fatalf("refused acts wrote events: %d", n)
		}
		d, err = e.svc.ProposeAgreement(e.ctx, e.actor("hzga.head"), d.ID, dispute.TextInput{Text: "自下月起按周更新", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if d.State != dispute.Negotiating || d.Proposal == nil || d.Proposal.Text != "自下月起按周更新" {
			t.Fatalf("after proposing: %s %+v", d.State, d.Proposal)
		}
		if it := e.todo("xhmz.staff", d.ID); it == nil || !strings.HasPrefix(it.Title, "待确认对方拟议协议") {
			t.Errorf("the other party's to-do %+v", it)
		}
		if it := e.todo("hzga.staff", d.ID); it == nil || strings.HasPrefix(it.Title, "待确认") {
			t.Errorf("the proposer's to-do %+v", it)
		}
		_, err = e.svc.ConfirmAgreement(e.ctx, e.actor("hzga.staff"), d.ID, dispute.VersionInput{Version: d.Version})
		problemtest.Want(t, err, "dispute.own_proposal")
		_, err = e.svc.RejectAgreement(e.ctx, e.actor("xhmz.staff"), d.ID, dispute.TextInput{Version: d.Version})
		if asField(err) != "text" {
			t.Errorf("rejection without reason: %v", err)
		}
		d, err = e.svc.RejectAgreement(e.ctx, e.actor("xhmz.staff"), d.ID, dispute.TextInput{Text: "按周仍滞后", Version: d.Version})
		if err != nil || d.Proposal != nil || d.State != dispute.Negotiating {
			t.Fatalf("reject: %v %s", err, d.State)
		}
		d, err = e.svc.ProposeAgreement(e.ctx, e.actor("hzga.head"), d.ID, dispute.TextInput{Text: "自下月起按日更新", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		d, err = e.svc.ConfirmAgreement(e.ctx, e.actor("xhmz.head"), d.ID, dispute.VersionInput{Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		if d.State != dispute.Resolved || d.Agreement == nil || d.Agreement.Text != "自下月起按日更新" || d.Proposal != nil {
			t.Fatalf("after confirming: %s %+v", d.State, d.Agreement)
		}
		if e.todo("xhmz.staff", d.ID) != nil || e.todo("hzga.head", d.ID) != nil {
			t.Error("a resolved dispute is still on a to-do list")
		}
		acts := ""
		for _, ev := range e.events(d.ID) {
			acts += ev.Action + " "
		}
		if acts != "dispute.open dispute.propose_agreement dispute.reject_agreement dispute.propose_agreement dispute.confirm_agreement " {
			t.Errorf("events %q", acts)
		}
	})
}

// Two parties acting on one version: one wins, the other gets a version conflict.
func TestConcurrentActsOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		d := e.open("gat.staff", "浙江省市场监督管理局", "consumer")
		gat, scjg := e.actor("gat.head"), e.actor("scjg.staff")
		d, err := e.svc.AddPosition(e.ctx, scjg, d.ID, dispute.TextInput{Text: "按月更新已满足需要", Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, errs[0] = e.svc.ProposeAgreement(e.ctx, gat, d.ID, dispute.TextInput{Text: "改为按周更新", Version: d.Version})
		}()
		go func() {
			defer wg.Done()
			_, errs[1] = e.svc.RequestCoordination(e.ctx, scjg, d.ID, dispute.TextInput{Text: "不成", Version: d.Version})
		}()
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case problem.CodeOf(err) != "conflict.version":
				t.Errorf("loser: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d winners: %v", ok, errs)
		}
		if n := len(e.events(d.ID)); n != 3 {
			t.Errorf("%d events, want open, position and the winner's act", n)
		}
	})
}

// Listings are scoped: a party its own, an authority its region's.
func TestListScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		base := map[string]int{}
		for _, who := range []string{"gat.staff", "scjg.head", "zj.reviewer", "hz.reviewer", "nb.reviewer", "hzga.head"} {
			base[who] = len(e.list(who))
		}
		e.open("gat.staff", "浙江省市场监督管理局", "consumer") // province level
		e.open("xhmz.staff", "杭州市公安局", "consumer")    // Hangzhou
		want := map[string]int{"gat.staff": 1, "scjg.head": 1, "zj.reviewer": 2, "hz.reviewer": 1, "nb.reviewer": 0, "hzga.head": 1}
		for who, n := range want {
			if got := len(e.list(who)) - base[who]; got != n {
				t.Errorf("%s lists %d new disputes, want %d", who, got, n)
			}
		}
		_, err := e.svc.List(e.ctx, e.actor("admin"), dispute.Filter{})
		problemtest.Want(t, err, "auth.forbidden")
		_, err = e.svc.List(e.ctx, e.actor("gat.staff"), dispute.Filter{State: "asleep"})
		problemtest.Want(t, err, "dispute.state_invalid")
	})
}
