package files_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fileEntry is scjg's published entry offering file download.
const fileEntry = "市场监管行政处罚信息"

// env is the demo province on one engine with the files directory in a
// temporary directory: scjg (浙江省市场监督管理局) provides 市场监管行政处罚信息
// by file download, gat (浙江省公安厅) holds a grant of it and has a system.
type env struct {
	t     *testing.T
	s     *store.Store
	app   *app.App
	p     *demo.Province
	clock *clock
	dir   string
	entry string
	grant grant.Grant
	sys   gateway.Caller
	// base is the record's size after the demo loaded: the test's own
	// events come after it (the demo delivers too).
	base int64
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	a := app.New(s, c.Now, auth.DefaultPolicy)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := a.Files.Configure(files.Config{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, s: s, app: a, p: p, clock: c, dir: dir, entry: p.Entries[fileEntry]}
	if err := s.Read(context.Background(), func(tx *store.Tx) (err error) { e.base, err = tx.EventCount(context.Background()); return err }); err != nil {
		t.Fatal(err)
	}
	e.grant = e.newGrant("gat", fileEntry, []string{"处罚决定书文号", "当事人名称", "处罚日期"}, application.FileDownload, "scjg.head")
	e.sys = e.system("gat.staff", "执法协同系统")
	return e
}

func (e *env) as(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	id := e.p.Account(username).ID
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) { a, err = tx.Actor(context.Background(), id); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

// newGrant has consumer apply for the items of entry by method and the
// provider's head approve.
func (e *env) newGrant(consumer, entry string, items []string, method, providerHead string) grant.Grant {
	e.t.Helper()
	ctx := context.Background()
	ap, err := e.app.Applications.Create(ctx, e.as(consumer+".staff"), application.NewApplication{EntryID: e.p.Entries[entry],
		Items: items, LegalBasis: "《行政处罚法》第四十八条", Scenario: "信用联合惩戒",
		Scope: "执法办案", DeliveryMethod: method, TimeLimit: application.TimeLimit{Months: 6}})
	if err != nil {
		e.t.Fatal(err)
	}
	if ap, err = e.app.Applications.Approve(ctx, e.as(consumer+".head"), ap.ID, application.Command{Version: ap.Version}); err != nil {
		e.t.Fatal(err)
	}
	if ap, err = e.app.Applications.Reply(ctx, e.as(providerHead), ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version}); err != nil {
		e.t.Fatal(err)
	}
	g, err := e.app.Grants.Get(ctx, e.as(providerHead), ap.Reply.Grant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// system registers an application system of username's department.
func (e *env) system(username, name string) gateway.Caller {
	e.t.Helper()
	a := e.as(username)
	sys, err := e.app.Gateway.Register(context.Background(), a, gateway.NewSystem{Name: name})
	if err != nil {
		e.t.Fatal(err)
	}
	return gateway.Caller{SystemID: sys.ID, DepartmentID: sys.DepartmentID, DivisionCode: sys.DivisionCode}
}

// dirNames lists the files directory.
func (e *env) dirNames() []string {
	e.t.Helper()
	ents, err := os.ReadDir(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, x := range ents {
		out = append(out, x.Name())
	}
	return out
}

func (e *env) events(action string) []ledger.Event {
	e.t.Helper()
	var out []ledger.Event
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) {
		out, err = tx.ListEvents(context.Background(), ledger.Filter{Action: action, After: e.base, Limit: 1000})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) eventCount() int64 {
	e.t.Helper()
	var n int64
	err := e.s.Read(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.EventCount(context.Background()); return err })
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// rec mirrors the record the files service digests for each gateway call.
type rec struct {
	SystemID     string `json:"system_id"`
	DepartmentID string `json:"department_id"`
	GrantID      string `json:"grant_id"`
	Purpose      string `json:"purpose"`
	FileID       string `json:"file_id"`
	LinkID       string `json:"link_id"`
	Bytes        int64  `json:"bytes"`
	Outcome      string `json:"outcome"`
}

// wantLast checks that the last event of action digests r.
func (e *env) wantLast(action string, r rec) {
	e.t.Helper()
	evs := e.events(action)
	if len(evs) == 0 {
		e.t.Fatalf("no %s event", action)
	}
	d, _ := ledger.Digest(r)
	if ev := evs[len(evs)-1]; ev.Digest != d || ev.ActorID != r.SystemID {
		e.t.Fatalf("last %s event %+v does not digest %+v", action, ev, r)
	}
}
