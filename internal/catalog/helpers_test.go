package catalog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// shanghai returns 10:00 Beijing time on the given day.
func shanghai(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// env is the demo province on one engine, with a movable clock.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	clock *testClock
	p     *demo.Province
	cat   *catalog.Service
	seq   int
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: shanghai(2026, 9, 29)}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, s: s, app: a, clock: clock, p: p, cat: a.Catalog}
}

// as returns the actor of a demo account, built as a verified session builds it.
func (e *env) as(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) {
		a, err = tx.Actor(context.Background(), e.p.Account(username).ID)
		return err
	})
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

func (e *env) events() int64 {
	e.t.Helper()
	var n int64
	if err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.EventCount(context.Background()); return err }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// draft returns a valid unconditional draft with the given items; each call
// gets its own resource code.
func (e *env) draft(name string, items ...string) catalog.Draft {
	e.seq++
	d := validDraft()
	d.Name = name
	d.ResourceCode = fmt.Sprintf("%s/%06d", d.Classification.Code(), 900000+e.seq)
	if len(items) > 0 {
		d.Items = nil
		for _, n := range items {
			d.Items = append(d.Items, catalog.Item{Name: n, DataType: "C", Length: 50, Grade: catalog.GeneralL2})
		}
	}
	return d
}

func validDraft() catalog.Draft {
	return catalog.Draft{
		Name:           "人口基本信息",
		Abstract:       "本省户籍人口的基本信息",
		ResourceCode:   "101001/000001",
		Classification: catalog.Classification{Class: "1", Item: "01", Category: "001"},
		Items: []catalog.Item{
			{Name: "居民身份证号码", DataType: "C", Length: 18, IsKey: true, Required: true, Grade: catalog.GeneralL4},
			{Name: "姓名", DataType: "C", Length: 50, Required: true, Grade: catalog.GeneralL3},
			{Name: "出生日期", DataType: "D", Grade: catalog.GeneralL2},
		},
		DataFormat:       catalog.DataFormat{Class: "database", Type: "PostgreSQL"},
		UpdateFrequency:  "daily",
		SharingAttribute: catalog.Unconditional,
		DeliveryMethods:  []catalog.Method{catalog.ServiceInterface},
		OpenAttribute:    "not_open",
	}
}

func assessments(on time.Time) catalog.Assessments {
	a := catalog.Assessment{Conclusion: "passed", AssessedOn: calendarDate(on), Assessor: "省公安厅保密办", Summary: "不含国家秘密和工作秘密"}
	b := a
	b.Assessor, b.Summary = "省公安厅法规处", "已采取最小必要原则"
	return catalog.Assessments{Secrecy: &a, PersonalInformation: &b}
}

// must returns a function that fails the test on err and passes v on:
// ok := must[catalog.Entry](t); en := ok(svc.Create(...)).
func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// refused checks err is a refusal with code (and field, when given).
func refused(t *testing.T, err error, code, field string) {
	t.Helper()
	var p *problem.Error
	if err == nil {
		t.Fatalf("no error, want %s", code)
	}
	if !errorsAs(err, &p) || p.Code != code || (field != "" && p.Field != field) {
		t.Fatalf("error %v, want %s (%s)", err, code, field)
	}
}

// publish takes a draft of username's department through to publication.
func (e *env) publish(staff, head, reviewer string, d catalog.Draft) catalog.Entry {
	e.t.Helper()
	ctx := context.Background()
	ok := must[catalog.Entry](e.t)
	en := ok(e.cat.Create(ctx, e.as(staff), d))
	en = ok(e.cat.RecordAssessments(ctx, e.as(staff), en.ID, assessments(e.clock.Now()), en.Version))
	en = ok(e.cat.Submit(ctx, e.as(head), en.ID, en.Version))
	return ok(e.cat.Publish(ctx, e.as(reviewer), en.ID, en.Version, "同意发布"))
}
