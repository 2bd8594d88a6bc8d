package correction_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is the demo province on one engine, on a clock the test moves. Its
// grant is the demo's batch-exchange grant of 企业登记基本信息: 杭州市市场监督管理局
// (hzscjg) is the consumer, 浙江省市场监督管理局 (scjg) the provider, and the
// entry's data is hosted on the platform.
type env struct {
	t     *testing.T
	ctx   context.Context
	s     *store.Store
	app   *app.App
	svc   *correction.Service
	p     *demo.Province
	clock *testClock
	grant grant.Grant
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	clock := &testClock{t: demo.ReferenceTime}
	a := app.New(s, clock.Now, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	ctx := context.Background()
	p, err := demo.Load(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, s: s, app: a, svc: a.Corrections, p: p, clock: clock}
	g, err := a.Grants.Get(ctx, e.actor("scjg.head"), p.Deliveries.Grants["approved_unconditional"])
	if err != nil {
		t.Fatal(err)
	}
	e.grant = g
	return e
}

func (e *env) actor(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, e.p.Account(username).ID); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

// companyKey is the row of the demo's 杭州西湖数智科技有限公司.
const companyKey = "统一社会信用代码 91330106MA2A000011"

// request is a complete request on the env's grant.
func (e *env) request() correction.NewRequest {
	return correction.NewRequest{GrantID: e.grant.ID, Kind: correction.Inaccurate, Rows: []string{companyKey},
		Items: []string{"法定代表人"}, Description: "该企业已于2026年5月变更法定代表人，共享数据仍为变更前的姓名",
		Evidence: "企业提交的变更登记通知书（杭市监登字〔2026〕第123号）"}
}

func (e *env) file(who string, in correction.NewRequest) correction.Request {
	e.t.Helper()
	r, err := e.svc.File(e.ctx, e.actor(who), in)
	if err != nil {
		e.t.Fatalf("%s files: %v", who, err)
	}
	return r
}

// fix loads the corrected row into the hosted dataset as the provider's
// staff and returns the change number it got.
func (e *env) fix(legalRep string) int64 {
	e.t.Helper()
	row := dataset.Row{}
	if err := json.Unmarshal([]byte(`{"统一社会信用代码":"91330106MA2A000011","企业名称":"杭州西湖数智科技有限公司","注册资本":500,"成立日期":"2019-03-12","住所":"杭州市西湖区文三路1号","登记状态":"存续"}`), &row); err != nil {
		e.t.Fatal(err)
	}
	row["法定代表人"], _ = json.Marshal(legalRep)
	res, err := e.app.Datasets.Load(e.ctx, e.actor("scjg.staff"), e.grant.EntryID, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{row}})
	if err != nil {
		e.t.Fatal(err)
	}
	if res.Updated != 1 || res.FirstChange != res.LastChange {
		e.t.Fatalf("fix: %+v", res)
	}
	return res.LastChange
}

// corrected is the provider's answer that names change seq.
func corrected(version int64, seq ...int64) correction.AnswerInput {
	return correction.AnswerInput{Outcome: correction.OutcomeCorrected, Rows: []string{companyKey}, Items: []string{"法定代表人"},
		Changes: seq, Note: "经核实登记档案，已更正法定代表人", Version: version}
}

func (e *env) eventCount() int64 {
	e.t.Helper()
	var n int64
	if err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { n, err = tx.EventCount(e.ctx); return err }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// events lists the events on an object, as an admin reads the record.
func (e *env) events(objectType, id, action string) []ledger.Event {
	e.t.Helper()
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	evs, err := e.app.Ledger.Events(e.ctx, admin, ledger.Filter{ObjectType: objectType, ObjectID: id, Action: action, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

// requests counts the stored requests.
func (e *env) requests() int {
	e.t.Helper()
	n := 0
	err := e.s.Read(e.ctx, func(tx *store.Tx) error {
		rs, err := tx.ListCorrections(e.ctx, correction.Filter{Scope: access.Scope{All: true}, Limit: 500})
		n = len(rs)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}
