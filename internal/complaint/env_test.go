package complaint_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// start is the tests' first day: Monday 28 September 2026, Beijing, three
// days before the National Day holidays.
var start = time.Date(2026, 9, 28, 10, 0, 0, 0, calendar.Shanghai)

// env is the demo province on one engine, on a clock the test moves.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	svc   *complaint.Service
	p     *demo.Province
	clock *testClock
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
	return &env{t: t, s: s, app: a, svc: a.Complaints, p: p, clock: clock, ctx: ctx}
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

func (e *env) dept(name string) string {
	d, ok := e.p.Departments[name]
	if !ok {
		e.t.Fatalf("no department %s", name)
	}
	return d.ID
}

// input is a complete complaint about 浙江省公安厅 (gat), by an obviously
// fictitious person.
func (e *env) input() complaint.Input {
	return complaint.Input{ComplainantKind: complaint.Citizen, Name: "测试投诉人甲", Contact: "13800000000",
		DepartmentID: e.dept("浙江省公安厅"), Facts: "我的户籍信息被共享给了与办事无关的部门。", Rights: "个人信息权益"}
}

// file files a complaint and returns its receipt and its ID (found as its
// handler's office lists it).
func (e *env) file(in complaint.Input) (complaint.Receipt, complaint.Complaint) {
	e.t.Helper()
	r, err := e.svc.File(e.ctx, in)
	if err != nil {
		e.t.Fatalf("file: %v", err)
	}
	var found *complaint.Complaint
	digest, _ := complaint.CodeDigest(r.Code)
	err = e.s.Read(e.ctx, func(tx *store.Tx) (err error) { found, err = tx.ComplaintByCode(e.ctx, digest); return err })
	if err != nil || found == nil {
		e.t.Fatalf("filed complaint not found by its code: %v", err)
	}
	return r, *found
}

func (e *env) eventCount() int64 {
	e.t.Helper()
	var n int64
	if err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(e.ctx); return err }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// events lists the events on complaint id, as an admin reads the record.
func (e *env) events(id string) []ledger.Event {
	e.t.Helper()
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	evs, err := e.app.Ledger.Events(e.ctx, admin, ledger.Filter{ObjectType: "complaint", ObjectID: id, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}
