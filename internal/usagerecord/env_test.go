package usagerecord_test

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
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/usagerecord"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// start is the tests' first day: Monday 28 September 2026, Beijing.
var start = time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)

// env is the demo province on one engine with one published entry of
// 浙江省公安厅 (gat), which other departments apply for.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	svc   *usagerecord.Service
	p     *demo.Province
	clock *testClock
	entry string
	ctx   context.Context
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: start}
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
	return &env{t: t, s: s, app: a, svc: a.UsageRecords, p: p, clock: clock, entry: entry, ctx: ctx}
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

// grant is a grant of gat's entry to consumer ("scjg", "hzga"): applied
// for by its office staff, approved by its head and by gat.head; delivered
// once at the current time when deliver is set.
func (e *env) grant(consumer string, deliver bool) grant.Grant {
	e.t.Helper()
	svc := e.app.Applications
	a, err := svc.Create(e.ctx, e.actor(consumer+".staff"), application.NewApplication{EntryID: e.entry, Items: []string{"姓名", "公民身份号码"},
		LegalBasis: "《政务数据共享条例》第二十条", Scenario: "窗口业务办理核验", Scope: "本部门窗口", DeliveryMethod: application.ServiceInterface,
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
	if deliver {
		err := e.s.Write(e.ctx, func(tx *store.Tx) error {
			return application.MarkDelivered(e.ctx, tx, a.ID, application.ServiceInterface, e.clock.Now())
		})
		if err != nil {
			e.t.Fatal(err)
		}
	}
	g, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), a.Reply.Grant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// input is a complete record of today's use.
func (e *env) input() usagerecord.Input {
	today := calendar.DateOf(e.clock.Now()).String()
	return usagerecord.Input{Scenario: "企业登记窗口核验申请人身份", Process: "经办人在登记系统中逐条查询，核验后不留存",
		Effect: "减少群众提交纸质证明", Storage: "仅存于登记系统内存，不落盘", PeriodFrom: today, PeriodTo: today}
}

func (e *env) add(who string, g grant.Grant, in usagerecord.Input) usagerecord.Record {
	e.t.Helper()
	r, err := e.svc.Add(e.ctx, e.actor(who), g.ID, in)
	if err != nil {
		e.t.Fatalf("%s adds a record: %v", who, err)
	}
	return r
}

// events lists every event, as an admin reads the record.
func (e *env) events(f ledger.Filter) []ledger.Event {
	e.t.Helper()
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	var out []ledger.Event
	for {
		f.Limit = 500
		page, err := e.app.Ledger.Events(e.ctx, admin, f)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < 500 {
			return out
		}
		f.After = page[len(page)-1].Seq
	}
}

func (e *env) eventCount() int64 {
	e.t.Helper()
	var n int64
	if err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(e.ctx); return err }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// rows counts every stored revision.
func (e *env) rows() int {
	e.t.Helper()
	n := 0
	err := e.s.Read(e.ctx, func(tx *store.Tx) error {
		f := usagerecord.Filter{Limit: 500}
		for {
			rs, err := tx.ListUsageRecords(e.ctx, f)
			if err != nil {
				return err
			}
			n += len(rs)
			if len(rs) < 500 {
				return nil
			}
			f.After = usagerecord.CursorOf(rs[len(rs)-1])
		}
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
