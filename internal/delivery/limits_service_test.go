package delivery_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

const (
	idNumber = "330102199001011234"
	purpose  = "企业登记核验"
)

// fixture: gat hosts a row of 常住人口基本信息, whose 居民身份证号码 is graded
// general L4 (sensitive) and 姓名 general L3; scjg's application for three
// of its items is approved with the reply the test gives.
type fixture struct {
	t      *testing.T
	s      *store.Store
	ctx    context.Context
	app    *app.App
	p      *demo.Province
	mu     sync.Mutex
	now    time.Time
	grant  grant.Grant
	caller gateway.Caller
	// base is the record's size after the demo loaded: the test's own
	// events come after it (the demo delivers too).
	base int64
}

func (f *fixture) clock() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *fixture) as(username string) access.Actor {
	f.t.Helper()
	var ac *access.Actor
	err := f.s.Read(f.ctx, func(tx *store.Tx) (err error) { ac, err = tx.Actor(f.ctx, f.p.Account(username).ID); return err })
	if err != nil || ac == nil {
		f.t.Fatalf("actor %s: %v", username, err)
	}
	return *ac
}

func raw(v string) json.RawMessage { b, _ := json.Marshal(v); return b }

func newFixture(t *testing.T, s *store.Store, reply application.ReplyRequest) *fixture {
	t.Helper()
	f := &fixture{t: t, s: s, ctx: context.Background(), now: demo.ReferenceTime}
	f.app = app.New(s, f.clock, auth.DefaultPolicy)
	p, err := demo.Load(f.ctx, f.app)
	if err != nil {
		t.Fatal(err)
	}
	f.p = p
	if err := s.Read(f.ctx, func(tx *store.Tx) (err error) { f.base, err = tx.EventCount(f.ctx); return err }); err != nil {
		t.Fatal(err)
	}
	entry := p.Entries["常住人口基本信息"]
	if _, err := f.app.Datasets.Load(f.ctx, f.as("gat.staff"), entry, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{
		{"居民身份证号码": raw(idNumber), "姓名": raw("张三"), "性别": raw("男")},
	}}); err != nil {
		t.Fatal(err)
	}
	ap, err := f.app.Applications.Create(f.ctx, f.as("scjg.staff"), application.NewApplication{EntryID: entry,
		Items: []string{"居民身份证号码", "姓名", "性别"}, LegalBasis: "《市场主体登记管理条例》第十二条", Scenario: purpose,
		Scope: "登记窗口", DeliveryMethod: application.ServiceInterface, TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		t.Fatal(err)
	}
	if ap, err = f.app.Applications.Approve(f.ctx, f.as("scjg.head"), ap.ID, application.Command{Version: ap.Version}); err != nil {
		t.Fatal(err)
	}
	reply.Decision, reply.Version = application.Approve, ap.Version
	if ap, err = f.app.Applications.Reply(f.ctx, f.as("gat.head"), ap.ID, reply); err != nil {
		t.Fatal(err)
	}
	if f.grant, err = f.app.Grants.Get(f.ctx, f.as("gat.head"), ap.Reply.Grant.ID); err != nil {
		t.Fatal(err)
	}
	f.caller = gateway.Caller{SystemID: "sys-test", DepartmentID: f.grant.ConsumerID}
	return f
}

func (f *fixture) query(a *app.App, items ...string) (delivery.QueryResult, error) {
	return a.Delivery.Query(f.ctx, f.caller, delivery.QueryRequest{GrantID: f.grant.ID, Purpose: purpose, Items: items,
		Where: dataset.Row{"居民身份证号码": raw(idNumber), "姓名": raw("张三")}})
}

func (f *fixture) events(action string) []ledger.Event {
	f.t.Helper()
	var evs []ledger.Event
	if err := f.s.Read(f.ctx, func(tx *store.Tx) (err error) {
		evs, err = tx.ListEvents(f.ctx, ledger.Filter{Action: action, After: f.base, Limit: 1000})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return evs
}

// callRecord mirrors the record the service digests for each call.
type callRecord struct {
	SystemID string   `json:"system_id"`
	GrantID  string   `json:"grant_id"`
	Purpose  string   `json:"purpose"`
	Items    []string `json:"items"`
	Rows     int      `json:"rows"`
	Outcome  string   `json:"outcome"`
	Masked   []string `json:"masked,omitempty"`
}

func (f *fixture) wantLast(action string, items []string, rows int, outcome string, masked ...string) {
	f.t.Helper()
	evs := f.events(action)
	if len(evs) == 0 {
		f.t.Fatalf("no %s event", action)
	}
	d, _ := ledger.Digest(callRecord{SystemID: f.caller.SystemID, GrantID: f.grant.ID, Purpose: purpose, Items: items, Rows: rows, Outcome: outcome, Masked: masked})
	if ev := evs[len(evs)-1]; ev.Digest != d {
		f.t.Fatalf("last %s event does not digest items %v, %d rows, %s, masked %v", action, items, rows, outcome, masked)
	}
}

func (f *fixture) usage(day string) grant.Usage {
	f.t.Helper()
	rep, err := f.app.Grants.Usage(f.ctx, f.as("gat.head"), f.grant.ID, grant.UsageFilter{From: day, To: day})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(rep.Days) == 0 {
		return grant.Usage{Day: day}
	}
	return rep.Days[0]
}

// TestSensitiveItemsMasked: a grant without clear items gets the general-L4
// 居民身份证号码 masked and the event names it; a grant that names it in
// clear gets it whole; verification compares the real value either way.
func TestSensitiveItemsMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{})
		if len(f.grant.ClearItems) != 0 {
			t.Fatalf("clear items %v without asking", f.grant.ClearItems)
		}
		res, err := f.query(f.app, "居民身份证号码", "姓名")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != 1 || string(res.Rows[0]["居民身份证号码"]) != `"330***********1234"` || string(res.Rows[0]["姓名"]) != `"张三"` {
			t.Fatalf("rows %v, want the ID masked and the L3 name in clear", res.Rows)
		}
		f.wantLast(delivery.ActionQuery, []string{"居民身份证号码", "姓名"}, 1, "ok", "居民身份证号码")

		v, err := f.app.Delivery.Verify(f.ctx, f.caller, delivery.VerifyRequest{GrantID: f.grant.ID, Purpose: purpose,
			Where: dataset.Row{"居民身份证号码": raw(idNumber), "姓名": raw("张三")}, Values: dataset.Row{"居民身份证号码": raw(idNumber)}})
		if err != nil || v.Result["居民身份证号码"] != delivery.Match {
			t.Fatalf("verifying a masked item: %+v %v, want match", v, err)
		}
	})
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{ClearItems: []string{"居民身份证号码"}})
		res, err := f.query(f.app, "居民身份证号码", "姓名")
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Rows[0]["居民身份证号码"]) != `"`+idNumber+`"` {
			t.Fatalf("rows %v, want the ID in clear", res.Rows)
		}
		f.wantLast(delivery.ActionQuery, []string{"居民身份证号码", "姓名"}, 1, "ok")
	})
}

// TestQuotaPersists: the daily quota is counted in the database with each
// call's event, so a new App over the same store (a restart) still refuses
// the spent day, and the next Beijing day starts afresh.
func TestQuotaPersists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{Limits: &grant.Limits{PerSecond: 100, PerDay: 2}})
		if f.grant.Limits != (grant.Limits{PerSecond: 100, PerDay: 2}) {
			t.Fatalf("limits %+v", f.grant.Limits)
		}
		for i := 0; i < 2; i++ {
			res, err := f.query(f.app, "姓名")
			if err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
			if al := res.Allowance; !al.Known || al.PerDay != 2 || al.DayRemaining != int64(1-i) || al.PerSecond != 100 || al.Remaining != 99-i {
				t.Fatalf("call %d: allowance %+v", i+1, al)
			}
		}
		res, err := f.query(f.app, "姓名")
		if problem.CodeOf(err) != "gateway.quota_exhausted" || !problem.Is(err, problem.TooManyRequests) || res.Rows != nil {
			t.Fatalf("third call: %v %v, want gateway.quota_exhausted", res.Rows, err)
		}
		// The reference time is 10:00 Beijing: the quota renews in 14 hours.
		if al := res.Allowance; al.DayRemaining != 0 || al.RetryAfter != int((14*time.Hour).Seconds()) {
			t.Fatalf("refusal's allowance %+v", al)
		}
		f.wantLast(delivery.ActionQuery, []string{"姓名"}, 0, "gateway.quota_exhausted")

		restarted := app.New(s, f.clock, auth.DefaultPolicy)
		if _, err := f.query(restarted, "姓名"); problem.CodeOf(err) != "gateway.quota_exhausted" {
			t.Fatalf("after a restart: %v, want gateway.quota_exhausted", err)
		}
		today := f.clock().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if u := f.usage(today); u.Calls != 2 || u.Refused != 2 || u.Rows != 2 {
			t.Fatalf("usage %+v, want 2 calls, 2 refused, 2 rows", u)
		}

		f.advance(14 * time.Hour)
		if res, err := f.query(restarted, "姓名"); err != nil || res.Allowance.DayRemaining != 1 {
			t.Fatalf("next day: %+v %v", res.Allowance, err)
		}
	})
}

// TestRateLimited: a grant of 2 calls a second refuses the third call in the
// same second, records the refusal and counts it; a second later it serves
// again. Another department's system draws nothing from the bucket.
func TestRateLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{Limits: &grant.Limits{PerSecond: 2}})
		if f.grant.Limits.PerDay != grant.DefaultPerDay {
			t.Fatalf("per_day %d, want the default", f.grant.Limits.PerDay)
		}
		other := gateway.Caller{SystemID: "sys-other", DepartmentID: f.grant.ProviderID}
		for i := 0; i < 5; i++ {
			res, err := f.app.Delivery.Query(f.ctx, other, delivery.QueryRequest{GrantID: f.grant.ID, Purpose: purpose, Items: []string{"姓名"}})
			if problem.CodeOf(err) != "gateway.not_consumer" || res.Allowance.Known {
				t.Fatalf("other department: %+v %v", res.Allowance, err)
			}
		}
		for i := 0; i < 2; i++ {
			if _, err := f.query(f.app, "姓名"); err != nil {
				t.Fatalf("call %d: %v", i+1, err)
			}
		}
		res, err := f.query(f.app, "姓名")
		if problem.CodeOf(err) != "gateway.rate_limited" || res.Allowance.RetryAfter != 1 || res.Allowance.Remaining != 0 || res.Allowance.Reset != 1 {
			t.Fatalf("third call: %+v %v, want gateway.rate_limited", res.Allowance, err)
		}
		f.wantLast(delivery.ActionQuery, []string{"姓名"}, 0, "gateway.rate_limited")
		f.advance(time.Second)
		if _, err := f.query(f.app, "姓名"); err != nil {
			t.Fatalf("a second later: %v", err)
		}
		today := f.clock().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if u := f.usage(today); u.Calls != 3 || u.Refused != 1 {
			t.Fatalf("usage %+v, want 3 calls and 1 refused (the other department's calls are not the grant's use)", u)
		}
	})
}

// TestFirstDeliveryClosesObligation: the first successful call closes the
// provider's delivery obligation (Art. 22) once; refusals do not, and later
// calls, even after a restart, add nothing.
func TestFirstDeliveryClosesObligation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s, application.ReplyRequest{})
		if _, err := f.app.Delivery.Query(f.ctx, f.caller, delivery.QueryRequest{GrantID: f.grant.ID, Purpose: "别的用途", Items: []string{"姓名"}}); err == nil {
			t.Fatal("wrong purpose served")
		}
		ap, err := f.app.Applications.Get(f.ctx, f.as("gat.head"), f.grant.ApplicationID)
		if err != nil || ap.Delivered != nil {
			t.Fatalf("a refused call closed the obligation: %+v %v", ap.Delivered, err)
		}
		for i := 0; i < 3; i++ {
			if _, err := f.query(f.app, "姓名"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.query(app.New(s, f.clock, auth.DefaultPolicy), "姓名"); err != nil {
			t.Fatal(err)
		}
		ap, err = f.app.Applications.Get(f.ctx, f.as("gat.head"), f.grant.ApplicationID)
		if err != nil || ap.Delivered == nil || ap.Delivered.Method != application.ServiceInterface || !ap.Delivered.OnTime {
			t.Fatalf("delivered %+v %v, want a service-interface delivery on time", ap.Delivered, err)
		}
		if n := len(f.events(application.ActionDeliver)); n != 1 {
			t.Fatalf("%d %s events, want 1", n, application.ActionDeliver)
		}
	})
}
