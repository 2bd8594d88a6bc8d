package servicechange_test

import (
	"context"
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
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// start is the tests' first day: Monday 9 November 2026, Beijing.
var start = time.Date(2026, 11, 9, 10, 0, 0, 0, calendar.Shanghai)

var items = []string{"姓名", "公民身份号码", "户籍地址"}

// env is the demo province on one engine with one published entry of
// 浙江省公安厅 (gat), which other departments hold grants on.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	svc   *servicechange.Service
	p     *demo.Province
	clock *testClock
	entry string
	ctx   context.Context
	keys  *gateway.Keyring
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: start}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(make([]byte, 32)) // push secrets are sealed under it
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := bench.SeedEntry(ctx, s, p.Departments["浙江省公安厅"], "居民户籍信息（服务变更测试）", catalog.Conditional, items)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, s: s, app: a, svc: a.ServiceChanges, p: p, clock: clock, entry: entry, ctx: ctx, keys: keys}
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

// grant is an approved grant of gat's entry to consumer ("scjg", "hzga",
// "rst") for two items, applied for by its office and approved by gat.head.
func (e *env) grant(consumer string) grant.Grant {
	e.t.Helper()
	return e.grantVia(consumer, application.ServiceInterface)
}

// grantVia is grant with the given delivery method.
func (e *env) grantVia(consumer, method string) grant.Grant {
	e.t.Helper()
	svc := e.app.Applications
	staff := consumer + ".staff"
	if consumer == "rst" {
		staff = "rst.head" // the demo gives rst no staff account
	}
	a, err := svc.Create(e.ctx, e.actor(staff), application.NewApplication{EntryID: e.entry, Items: []string{"姓名", "公民身份号码"},
		LegalBasis: "《政务数据共享条例》第二十条", Scenario: "窗口业务办理核验", Scope: "本部门窗口", DeliveryMethod: method,
		TimeLimit: application.TimeLimit{Months: 24}})
	if err != nil {
		e.t.Fatal(err)
	}
	if a, err = svc.Approve(e.ctx, e.actor(consumer+".head"), a.ID, application.Command{Version: a.Version}); err != nil {
		e.t.Fatal(err)
	}
	if a, err = svc.Reply(e.ctx, e.actor("gat.head"), a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version}); err != nil {
		e.t.Fatal(err)
	}
	return e.grantNow(a.Reply.Grant.ID)
}

func (e *env) grantNow(id string) grant.Grant {
	e.t.Helper()
	g, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// setState stores a grant's state directly, as another domain's act
// would have left it.
func (e *env) setState(id string, st grant.State) {
	e.t.Helper()
	err := e.s.Write(e.ctx, func(tx *store.Tx) error {
		g, err := tx.Grant(e.ctx, id)
		if err != nil {
			return err
		}
		g.State, g.Version, g.UpdatedAt = st, g.Version+1, e.clock.Now()
		return tx.UpdateGrant(e.ctx, *g)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// delivers reports whether the gateway's rule would deliver g's first item now.
func (e *env) delivers(id string) error {
	g := e.grantNow(id)
	return grant.Check(g, e.clock.Now(), g.Items[:1], g.Purpose.Scenario)
}

func (e *env) today() string { return calendar.DateOf(e.clock.Now()).String() }

func (e *env) terminate(effective string) servicechange.Proposal {
	return servicechange.Proposal{EntryID: e.entry, Kind: servicechange.Terminate, Reason: "户籍系统整合至省一体化平台，原接口停止服务", EffectiveDate: effective}
}

func (e *env) propose(in servicechange.Proposal) servicechange.ServiceChange {
	e.t.Helper()
	c, err := e.svc.Propose(e.ctx, e.actor("gat.head"), in)
	if err != nil {
		e.t.Fatalf("propose: %v", err)
	}
	return c
}

func (e *env) answer(who string, c servicechange.ServiceChange, pos servicechange.Position) servicechange.ServiceChange {
	e.t.Helper()
	c, err := e.svc.Answer(e.ctx, e.actor(who), c.ID, servicechange.AnswerInput{Position: pos, Opinion: "已知悉", Version: c.Version})
	if err != nil {
		e.t.Fatalf("%s answers: %v", who, err)
	}
	return c
}

func (e *env) eventCount() int64 {
	e.t.Helper()
	var n int64
	if err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(e.ctx); return err }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// events lists the events on object id that reader may read.
func (e *env) events(reader access.Actor, id string) []ledger.Event {
	e.t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, reader, ledger.Filter{ObjectType: "service_change", ObjectID: id, DepartmentID: reader.DepartmentID, Limit: 500})
	if err != nil {
		e.t.Fatalf("events as %s: %v", reader.PersonID, err)
	}
	return evs
}
