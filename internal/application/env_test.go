package application_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// shanghai returns an instant in Beijing time.
func shanghai(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, calendar.Shanghai)
}

// Fixture entries, published by 浙江省公安厅 (gat). The service tests do not
// depend on the catalog's loader: fixtureTx serves these as the store would
// serve published entries, on the real store of each engine.
const (
	condEntry   = "fixture-conditional"
	uncondEntry = "fixture-unconditional"
	secretEntry = "fixture-not-shareable"
	ownEntry    = "fixture-scjg-own"
)

func fixtures(p *demo.Province) map[string]application.EntryRef {
	gat, scjg := p.Departments["浙江省公安厅"], p.Departments["浙江省市场监督管理局"]
	items := []string{"姓名", "公民身份号码", "户籍地址", "出生日期"}
	methods := []string{application.ServiceInterface, application.BatchExchange}
	return map[string]application.EntryRef{
		condEntry:   {ID: condEntry, Version: 1, Name: "居民户籍信息", ProviderID: gat.ID, ProviderDivision: gat.DivisionCode, Attribute: application.Conditional, DeliveryMethods: methods, Items: items},
		uncondEntry: {ID: uncondEntry, Version: 2, Name: "居民身份证核验", ProviderID: gat.ID, ProviderDivision: gat.DivisionCode, Attribute: application.Unconditional, DeliveryMethods: []string{application.ServiceInterface}, Items: items[:2]},
		secretEntry: {ID: secretEntry, Version: 1, Name: "侦查信息", ProviderID: gat.ID, ProviderDivision: gat.DivisionCode, Attribute: application.NotShareable, DeliveryMethods: methods, Items: items},
		ownEntry:    {ID: ownEntry, Version: 1, Name: "企业登记信息", ProviderID: scjg.ID, ProviderDivision: scjg.DivisionCode, Attribute: application.Unconditional, DeliveryMethods: methods, Items: []string{"统一社会信用代码"}},
	}
}

// fixtureTx is the real store transaction, with the fixture entries published.
type fixtureTx struct {
	*store.Tx
	entries map[string]application.EntryRef
}

func (f fixtureTx) PublishedEntry(ctx context.Context, id string) (*application.EntryRef, error) {
	if e, ok := f.entries[id]; ok {
		return &e, nil
	}
	if strings.HasPrefix(id, "fixture-") {
		return nil, nil // an unpublished fixture
	}
	return f.Tx.PublishedEntry(ctx, id)
}

// env is the demo province on one engine, with an application service over
// the fixture entries.
type env struct {
	s     *store.Store
	app   *app.App
	svc   *application.Service
	clock *testClock
	p     *demo.Province
	ctx   context.Context
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: shanghai(2026, 9, 28, 10)} // a Monday before National Day
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	entries := fixtures(p)
	adapt := func(run func(context.Context, func(*store.Tx) error) error) application.InTx {
		return func(ctx context.Context, fn func(application.Tx) error) error {
			return run(ctx, func(tx *store.Tx) error { return fn(fixtureTx{Tx: tx, entries: entries}) })
		}
	}
	svc := application.NewService(adapt(s.Write), adapt(s.Read), clock.Now, a.Calendar)
	return &env{s: s, app: a, svc: svc, clock: clock, p: p, ctx: context.Background()}
}

// actor loads the actor of a demo account the way a verified session does.
func (e *env) actor(t *testing.T, username string) access.Actor {
	t.Helper()
	var a *access.Actor
	id := e.p.Account(username).ID
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, id); return err })
	if err != nil || a == nil {
		t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

// form is a complete, valid form for the conditional fixture.
func form() application.Form {
	return application.Form{
		Items:          []string{"姓名", "公民身份号码"},
		LegalBasis:     "《中华人民共和国市场主体登记管理条例》第十二条",
		Scenario:       "企业登记时核验法定代表人身份",
		Scope:          "本局登记窗口经办人员",
		DeliveryMethod: application.ServiceInterface,
		TimeLimit:      application.TimeLimit{Until: "2027-12-31"},
	}
}

// draft creates a draft by scjg.staff (浙江省市场监督管理局) for entry.
func (e *env) draft(t *testing.T, entry string) application.Application {
	t.Helper()
	f := form()
	if entry == uncondEntry {
		f.DeliveryMethod = application.ServiceInterface
	}
	a, err := e.svc.Create(e.ctx, e.actor(t, "scjg.staff"), application.Apply(entry, f))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return a
}

// sent creates an application and has scjg.head send it.
func (e *env) sent(t *testing.T, entry string) application.Application {
	t.Helper()
	a := e.draft(t, entry)
	a, err := e.svc.Approve(e.ctx, e.actor(t, "scjg.head"), a.ID, application.Command{Version: a.Version})
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	return a
}

// must fails the test when a command fails: a = must(t)(e.svc.Approve(…)).
func must(t *testing.T) func(application.Application, error) application.Application {
	return func(a application.Application, err error) application.Application {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
}

// wantCode checks that err is a refusal with the code (and field, if given).

// events counts recorded acts on an application, by action ("" for all).
func (e *env) events(t *testing.T, id, action string) int {
	t.Helper()
	evs, err := e.app.Ledger.Events(e.ctx, access.Actor{Roles: []access.Role{access.PlatformAdmin}},
		ledger.Filter{ObjectType: "application", ObjectID: id, Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// totalEvents is the size of the record.
func (e *env) totalEvents(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(e.ctx); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

// due is the nth working day after receipt on the platform calendar.
func (e *env) due(t *testing.T, receipt calendar.Date, n int) calendar.Date {
	t.Helper()
	cal, err := e.app.Calendar.Current(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	d, err := cal.Due(receipt, n)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func date(y int, m time.Month, d int) calendar.Date { return calendar.Date{Year: y, Month: m, Day: d} }
