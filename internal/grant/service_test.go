package grant_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/grant"
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

// env is the demo province on one engine with one published entry of
// 浙江省公安厅 (gat), for which 浙江省市场监督管理局 (scjg) applies.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	p     *demo.Province
	clock *testClock
	entry string
	ctx   context.Context
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := bench.SeedEntry(ctx, s, p.Departments["浙江省公安厅"], "居民户籍信息", catalog.Conditional, []string{"姓名", "公民身份号码", "户籍地址"})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, s: s, app: a, p: p, clock: clock, entry: entry, ctx: ctx}
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

// sent is scjg's application for the entry, sent to gat for a reply.
func (e *env) sent(svc *application.Service) application.Application {
	e.t.Helper()
	a, err := svc.Create(e.ctx, e.actor("scjg.staff"), application.NewApplication{EntryID: e.entry, Items: []string{"姓名", "公民身份号码"},
		LegalBasis: "《市场主体登记管理条例》第十二条", Scenario: "企业登记核验", Scope: "登记窗口", DeliveryMethod: application.ServiceInterface,
		TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		e.t.Fatal(err)
	}
	a, err = svc.Approve(e.ctx, e.actor("scjg.head"), a.ID, application.Command{Version: a.Version})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// approved is a grant of an application gat.head approved just now.
func (e *env) approved() grant.Grant {
	e.t.Helper()
	a := e.sent(e.app.Applications)
	a, err := e.app.Applications.Reply(e.ctx, e.actor("gat.head"), a.ID, application.ReplyRequest{Decision: application.Approve,
		Conditions: "仅限登记窗口核验使用", Version: a.Version})
	if err != nil {
		e.t.Fatal(err)
	}
	g, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), a.Reply.Grant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

func (e *env) grantsOf(appID string) []grant.Grant {
	e.t.Helper()
	gs, err := e.app.Grants.List(e.ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}}, grant.Filter{ApplicationID: appID})
	if err != nil {
		e.t.Fatal(err)
	}
	return gs
}

func (e *env) events(objectType, id, action string) int {
	e.t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}},
		ledger.Filter{ObjectType: objectType, ObjectID: id, Action: action, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(evs)
}

// failingTx fails the application's reply event, after the grant is stored.
type failingTx struct{ *store.Tx }

var errInjected = errors.New("injected failure")

func (f failingTx) AppendEvent(ctx context.Context, ev ledger.Event) (int64, error) {
	if ev.Action == "application.reply" {
		return 0, errInjected
	}
	return f.Tx.AppendEvent(ctx, ev)
}

// TestApprovalCreatesOneGrantInTheReplyTransaction: an approval gives exactly
// one grant with the terms applied for; a reply that fails, even after the
// grant was written, leaves none; a refusal gives none.
func TestApprovalCreatesOneGrantInTheReplyTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		head := e.actor("gat.head")

		// A reply whose transaction fails after the grant is inserted.
		adapt := func(run func(context.Context, func(*store.Tx) error) error) application.InTx {
			return func(ctx context.Context, fn func(application.Tx) error) error {
				return run(ctx, func(tx *store.Tx) error { return fn(failingTx{tx}) })
			}
		}
		failing := application.NewService(adapt(s.Write), adapt(s.Read), e.clock.Now, e.app.Calendar)
		a := e.sent(e.app.Applications)
		if _, err := failing.Reply(e.ctx, head, a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version}); !errors.Is(err, errInjected) {
			t.Fatalf("failing reply: %v", err)
		}
		if gs := e.grantsOf(a.ID); len(gs) != 0 {
			t.Fatalf("a failed reply left %d grant(s)", len(gs))
		}
		// A stale version creates none either.
		if _, err := e.app.Applications.Reply(e.ctx, head, a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version + 1}); !problem.Is(err, problem.Conflict) {
			t.Fatalf("stale reply: %v", err)
		}
		if gs := e.grantsOf(a.ID); len(gs) != 0 {
			t.Fatalf("a refused reply left %d grant(s)", len(gs))
		}

		a, err := e.app.Applications.Reply(e.ctx, head, a.ID, application.ReplyRequest{Decision: application.Approve, Conditions: "不得留存", Version: a.Version})
		if err != nil {
			t.Fatal(err)
		}
		gs := e.grantsOf(a.ID)
		if len(gs) != 1 {
			t.Fatalf("%d grants after one approval", len(gs))
		}
		g := gs[0]
		if a.Reply.Grant.ID != g.ID || g.Conditions != "不得留存" || a.Reply.Grant.Conditions != "不得留存" {
			t.Errorf("reply grant %+v, stored %+v", a.Reply.Grant, g)
		}
		gat, scjg := e.p.Departments["浙江省公安厅"], e.p.Departments["浙江省市场监督管理局"]
		if g.ConsumerID != scjg.ID || g.ProviderID != gat.ID || g.EntryID != e.entry || g.EntryVersion != a.EntryVersion ||
			g.DeliveryMethod != application.ServiceInterface || g.Purpose.Scenario != "企业登记核验" || g.Purpose.Scope != "登记窗口" ||
			len(g.Items) != 2 || g.Items[1] != "公民身份号码" || g.State != grant.Active || g.Version != 1 {
			t.Errorf("grant %+v", g)
		}
		if g.ValidUntil != "2027-09-27" {
			t.Errorf("12 months from 2026-09-28: valid until %s", g.ValidUntil)
		}
		if n := e.events("grant", g.ID, "grant.create"); n != 1 {
			t.Errorf("%d grant.create events", n)
		}
		// The database refuses a second grant for the application.
		err = s.Write(e.ctx, func(tx *store.Tx) error { g2 := g; g2.ID = "another"; return tx.InsertGrant(e.ctx, g2) })
		if problem.CodeOf(err) != "grant.exists" {
			t.Errorf("second grant: %v", err)
		}

		// A refusal gives none.
		r := e.sent(e.app.Applications)
		if _, err := e.app.Applications.Reply(e.ctx, head, r.ID, application.ReplyRequest{Decision: application.Refuse,
			Reasons: []string{"超出职责"}, ReasonCategory: application.ReasonBeyondDuties, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		if gs := e.grantsOf(r.ID); len(gs) != 0 {
			t.Errorf("a refusal gave %d grant(s)", len(gs))
		}
	})
}

func wantKind(t *testing.T, who string, err error, kind problem.Kind, code string) {
	t.Helper()
	var p *problem.Error
	if !errors.As(err, &p) || p.Kind != kind || (code != "" && p.Code != code) {
		t.Errorf("%s: error %v, want kind %d %s", who, err, kind, code)
	}
}

// suspension is a valid suspension of g for use beyond the granted scope.
func suspension(g grant.Grant) grant.SuspendInput {
	return grant.SuspendInput{Grounds: grant.BeyondScope, Reasons: []string{"核查"}, Evidence: "调用日志摘录", RectifyDays: 10, Version: g.Version}
}

// TestControlRightsByRole: the provider's office head and its same-level
// authority control a grant; the consumer, the provider's staff, auditors and
// admins may not; a foreign department does not see it. Only the suspender
// resumes.
func TestControlRightsByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		in := func(g grant.Grant) grant.ChangeInput {
			return grant.ChangeInput{Reasons: []string{"核查"}, Evidence: "核查记录", Version: g.Version}
		}
		g := e.approved()
		for who, kind := range map[string]problem.Kind{"scjg.head": problem.Forbidden, "scjg.staff": problem.Forbidden, "gat.staff": problem.Forbidden,
			"admin": problem.Forbidden, "audit": problem.Forbidden, "hzga.head": problem.NotFound, "hz.reviewer": problem.NotFound, "ops": problem.NotFound} {
			_, err := e.app.Grants.Suspend(e.ctx, e.actor(who), g.ID, suspension(g))
			wantKind(t, who+" suspend", err, kind, "")
			_, err = e.app.Grants.Terminate(e.ctx, e.actor(who), g.ID, in(g))
			wantKind(t, who+" terminate", err, kind, "")
			_, err = e.app.Grants.RecordConsent(e.ctx, e.actor(who), g.ID, grant.ConsentInput{ThirdDepartmentID: e.p.Departments["浙江省人力资源和社会保障厅"].ID, Purpose: "协查", Version: g.Version})
			wantKind(t, who+" consent", err, kind, "")
		}
		if n := e.events("grant", g.ID, ""); n != 1 {
			t.Errorf("refused commands wrote events: %d", n)
		}
		// The same-level authority (浙江省数据局) suspends; only it resumes.
		g, err := e.app.Grants.Suspend(e.ctx, e.actor("zj.reviewer"), g.ID, suspension(g))
		if err != nil || g.State != grant.Suspended {
			t.Fatalf("authority suspend: %v %s", err, g.State)
		}
		_, err = e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, suspension(g))
		wantKind(t, "suspend twice", err, problem.Conflict, "grant.wrong_state")
		_, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, grant.ChangeInput{Version: g.Version})
		wantKind(t, "no reasons", err, problem.Invalid, "grant.reasons_required")
		_, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, grant.ChangeInput{Reasons: []string{"x"}})
		wantKind(t, "no version", err, problem.Invalid, "grant.version_required")
		_, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, grant.ChangeInput{Reasons: []string{"x"}, Version: g.Version - 1})
		wantKind(t, "stale version", err, problem.Conflict, "conflict.version")
		_, err = e.app.Grants.Resume(e.ctx, e.actor("gat.head"), g.ID, in(g))
		wantKind(t, "resume by another than the suspender", err, problem.Forbidden, "")
		if g, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, in(g)); err != nil || g.State != grant.Active {
			t.Fatalf("resume: %v %s", err, g.State)
		}
		_, err = e.app.Grants.Resume(e.ctx, e.actor("zj.reviewer"), g.ID, in(g))
		wantKind(t, "resume active", err, problem.Conflict, "grant.wrong_state")
		_, err = e.app.Grants.Terminate(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"共享目的已实现"}, Version: g.Version})
		wantKind(t, "terminate without evidence", err, problem.Invalid, "grant.required")
		if g, err = e.app.Grants.Terminate(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"共享目的已实现"}, Evidence: "项目验收报告", Version: g.Version}); err != nil || g.State != grant.Terminated {
			t.Fatalf("terminate: %v %s", err, g.State)
		}
		_, err = e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, suspension(g))
		wantKind(t, "suspend terminated", err, problem.Conflict, "grant.wrong_state")
		_, err = e.app.Grants.Terminate(e.ctx, e.actor("gat.head"), g.ID, in(g))
		wantKind(t, "terminate terminated", err, problem.Conflict, "grant.wrong_state")
		if len(g.History) != 4 || g.History[3].Reasons[0] != "共享目的已实现" || g.History[3].Evidence != "项目验收报告" {
			t.Errorf("history %+v", g.History)
		}
		for _, action := range []string{"grant.suspend", "grant.resume", "grant.terminate"} {
			if n := e.events("grant", g.ID, action); n != 1 {
				t.Errorf("%s: %d events", action, n)
			}
		}
		problemtest.Want(t, grant.Check(g, e.clock.Now(), []string{"姓名"}, "企业登记核验"), "grant.terminated")
	})
}

// TestExpiryByTheClock: a grant expires when its time limit passes; it is
// shown expired, delivers nothing and can no longer be suspended.
func TestExpiryByTheClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.approved()
		if err := grant.Check(g, e.clock.Now(), []string{"姓名"}, "企业登记核验"); err != nil {
			t.Fatalf("fresh grant refused: %v", err)
		}
		e.clock.Set(time.Date(2027, 9, 28, 0, 0, 0, 0, calendar.Shanghai))
		got, err := e.app.Grants.Get(e.ctx, e.actor("scjg.staff"), g.ID)
		if err != nil || got.State != grant.Expired {
			t.Fatalf("after the limit: %v %s", err, got.State)
		}
		problemtest.Want(t, grant.Check(got, e.clock.Now(), []string{"姓名"}, "企业登记核验"), "grant.expired")
		_, err = e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, suspension(got))
		wantKind(t, "suspend expired", err, problem.Conflict, "grant.wrong_state")
	})
}

// TestConcurrentSuspendsOneWins: of simultaneous suspends on one version,
// exactly one succeeds and one event is recorded.
func TestConcurrentSuspendsOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.approved()
		actors := []access.Actor{e.actor("gat.head"), e.actor("zj.reviewer")}
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.app.Grants.Suspend(e.ctx, actors[i%2], g.ID, suspension(g))
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
		if wins != 1 {
			t.Errorf("%d suspends won", wins)
		}
		if c := e.events("grant", g.ID, "grant.suspend"); c != 1 {
			t.Errorf("%d suspend events", c)
		}
	})
}

// TestConsentAndMayReshare: the provider's head records consent naming a
// third department (Art. 25); only that department may receive the data.
func TestConsentAndMayReshare(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.approved()
		third := e.p.Departments["浙江省人力资源和社会保障厅"].ID
		if grant.MayReshare(g, third) {
			t.Fatal("re-sharing allowed before consent")
		}
		_, err := e.app.Grants.RecordConsent(e.ctx, e.actor("gat.head"), g.ID, grant.ConsentInput{ThirdDepartmentID: "no-such", Purpose: "协查", Version: g.Version})
		problemtest.Want(t, err, "grant.third_unknown", "third_department_id")
		_, err = e.app.Grants.RecordConsent(e.ctx, e.actor("gat.head"), g.ID, grant.ConsentInput{ThirdDepartmentID: g.ConsumerID, Purpose: "协查", Version: g.Version})
		problemtest.Want(t, err, "grant.third_is_party", "third_department_id")
		g, err = e.app.Grants.RecordConsent(e.ctx, e.actor("gat.head"), g.ID, grant.ConsentInput{ThirdDepartmentID: third, Purpose: "社保待遇资格核验", Version: g.Version})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.app.Grants.Get(e.ctx, e.actor("scjg.staff"), g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !grant.MayReshare(got, third) || grant.MayReshare(got, e.p.Departments["杭州市公安局"].ID) {
			t.Errorf("consents %+v", got.Consents)
		}
		if len(got.Consents) != 1 || got.Consents[0].By != e.p.Account("gat.head").ID || got.Consents[0].Purpose != "社保待遇资格核验" {
			t.Errorf("consent %+v", got.Consents)
		}
		if n := e.events("grant", g.ID, "grant.consent"); n != 1 {
			t.Errorf("%d consent events", n)
		}
	})
}

// TestGrantVisibility: who sees a grant in the listing and by id.
func TestGrantVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.approved()
		for who, want := range map[string]bool{"admin": true, "gat.head": true, "gat.staff": true, "scjg.head": true, "scjg.staff": true,
			"zj.reviewer": true, "audit": true, "hz.reviewer": false, "hzga.head": false, "rst.head": false} {
			gs, err := e.app.Grants.List(e.ctx, e.actor(who), grant.Filter{EntryID: e.entry})
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			if seen := len(gs) == 1 && gs[0].ID == g.ID; seen != want || (!want && len(gs) != 0) {
				t.Errorf("%s lists %d grant(s), want seen=%v", who, len(gs), want)
			}
			_, err = e.app.Grants.Get(e.ctx, e.actor(who), g.ID)
			if (err == nil) != want || (err != nil && !problem.Is(err, problem.NotFound)) {
				t.Errorf("%s get: %v, want seen=%v", who, err, want)
			}
		}
		_, err := e.app.Grants.List(e.ctx, e.actor("ops"), grant.Filter{})
		wantKind(t, "ops list", err, problem.Forbidden, "auth.forbidden")
		for role, want := range map[string]int{"consumer": 0, "provider": 1} {
			gs, err := e.app.Grants.List(e.ctx, e.actor("gat.head"), grant.Filter{Role: role, EntryID: e.entry})
			if err != nil || len(gs) != want {
				t.Errorf("gat as %s: %d, %v", role, len(gs), err)
			}
		}
		// The demo's approved applications have their grants.
		for _, label := range []string{"approved", "approved_unconditional", "approved_after_supplement"} {
			id, ok := e.p.Applications[label]
			if !ok {
				t.Fatalf("demo has no application %q", label)
			}
			if gs := e.grantsOf(id); len(gs) != 1 {
				t.Errorf("demo %s: %d grants", label, len(gs))
			}
		}
	})
}
