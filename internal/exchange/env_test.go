package exchange_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// clock is a clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is the demo province on one engine, on a clock the test moves.
type env struct {
	t     *testing.T
	ctx   context.Context
	s     *store.Store
	app   *app.App
	p     *demo.Province
	clock *clock
}

func newEnv(t *testing.T, s *store.Store) *env {
	t.Helper()
	c := &clock{t: demo.ReferenceTime}
	a := app.New(s, c.Now, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, ctx: context.Background(), s: s, app: a, p: p, clock: c}
}

func (e *env) as(username string) access.Actor {
	e.t.Helper()
	var a *access.Actor
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { a, err = tx.Actor(e.ctx, e.p.Account(username).ID); return err })
	if err != nil || a == nil {
		e.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

func (e *env) dept(name string) org.Department { return e.p.Departments[name] }

// caller is an application system of the named department, as the
// gateway's signature check would hand it over.
func (e *env) caller(dept string) gateway.Caller {
	d := e.dept(dept)
	return gateway.Caller{SystemID: "sys-" + d.ID[:8], DepartmentID: d.ID, DivisionCode: d.DivisionCode}
}

// companies is 企业登记基本信息 of 浙江省市场监督管理局: batch exchange,
// unconditional, keyed by 统一社会信用代码 and 企业名称.
const companies = "企业登记基本信息"

// granted are the items of the batch-exchange grants in these tests: not
// 注册资本, 住所 or 登记状态.
var granted = []string{"统一社会信用代码", "企业名称", "法定代表人", "成立日期"}

const scenario = "企业信用联合监管"

// grantFor runs an application of consumer's office (its staff and head,
// by username prefix) to the provider's head through to approval.
func (e *env) grantFor(prefix, entry string, items []string, method string) grant.Grant {
	e.t.Helper()
	ctx := e.ctx
	ap, err := e.app.Applications.Create(ctx, e.as(prefix+".staff"), application.NewApplication{EntryID: e.p.Entries[entry], Items: items,
		LegalBasis: "《优化营商环境条例》第五十五条", Scenario: scenario, Scope: "全省市场主体", DeliveryMethod: method,
		TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		e.t.Fatal(err)
	}
	if ap, err = e.app.Applications.Approve(ctx, e.as(prefix+".head"), ap.ID, application.Command{Version: ap.Version}); err != nil {
		e.t.Fatal(err)
	}
	if ap, err = e.app.Applications.Reply(ctx, e.as("scjg.head"), ap.ID, application.ReplyRequest{Decision: application.Approve, Version: ap.Version}); err != nil {
		e.t.Fatal(err)
	}
	g, err := e.app.Grants.Get(ctx, e.as("scjg.head"), ap.Reply.Grant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

func raw(v any) json.RawMessage { b, _ := json.Marshal(v); return b }

// company is row n of the companies' dataset, at revision rev.
func company(n, rev int) dataset.Row {
	return dataset.Row{
		"统一社会信用代码": raw(fmt.Sprintf("91330000MA%08d", n)),
		"企业名称":     raw(fmt.Sprintf("浙江测试%d号有限公司", n)),
		"法定代表人":    raw(fmt.Sprintf("法人%d-%d", n, rev)),
		"注册资本":     raw(json.Number(fmt.Sprint(100 + n))),
		"成立日期":     raw(fmt.Sprintf("20%02d-01-%02d", 10+n%10, 1+n%28)),
		"住所":       raw("杭州市西湖区文三路" + fmt.Sprint(n) + "号"),
		"登记状态":     raw("存续"),
	}
}

func companyKey(n int) dataset.Row {
	r := company(n, 0)
	return dataset.Row{"统一社会信用代码": r["统一社会信用代码"], "企业名称": r["企业名称"]}
}

// load loads rows as the provider's staff, in loads of at most 5000.
func (e *env) load(user, entry string, rows []dataset.Row) {
	e.loadAs(user, entry, rows, dataset.Upsert)
}

// replace makes rows the whole dataset (the demo hosts a few rows of some
// entries), in loads of at most 5000.
func (e *env) replace(user, entry string, rows []dataset.Row) {
	e.loadAs(user, entry, rows, dataset.Replace)
}

func (e *env) loadAs(user, entry string, rows []dataset.Row, mode dataset.Mode) {
	e.t.Helper()
	for len(rows) > 0 {
		n := min(len(rows), dataset.MaxRows)
		if _, err := e.app.Datasets.Load(e.ctx, e.as(user), e.p.Entries[entry], dataset.Load{Mode: mode, Rows: rows[:n]}); err != nil {
			e.t.Fatal(err)
		}
		rows, mode = rows[n:], dataset.Upsert
	}
}

func (e *env) remove(user, entry string, keys []dataset.Row) {
	e.t.Helper()
	if _, err := e.app.Datasets.Delete(e.ctx, e.as(user), e.p.Entries[entry], dataset.Deletion{Keys: keys}); err != nil {
		e.t.Fatal(err)
	}
}

// record is one record of a page as a consumer reads it.
type record struct {
	Op  string                     `json:"op"`
	Seq int64                      `json:"seq"`
	Row map[string]json.RawMessage `json:"row"`
	Key map[string]json.RawMessage `json:"key"`
}

// body is a page's body as a consumer reads it.
type body struct {
	Phase      string            `json:"phase"`
	Items      []string          `json:"items"`
	Count      int               `json:"count"`
	Rows       []json.RawMessage `json:"rows"`
	Checksum   string            `json:"checksum"`
	NextCursor string            `json:"next_cursor"`
	More       bool              `json:"more"`
}

// decode reads a page as a consumer would, checking its checksum.
func decode(t *testing.T, p *exchange.Page) body {
	t.Helper()
	b, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return decodeBody(t, b)
}

func decodeBody(t *testing.T, b []byte) body {
	t.Helper()
	var out body
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("page is not JSON: %v\n%s", err, b)
	}
	if !exchange.Verify(out.Rows, out.Checksum) {
		t.Fatalf("checksum %s does not match the rows", out.Checksum)
	}
	if out.Count != len(out.Rows) {
		t.Fatalf("count %d, %d rows", out.Count, len(out.Rows))
	}
	return out
}

// replica is a consumer's copy, by key items.
type replica struct {
	keys []string
	rows map[string]map[string]json.RawMessage
	seq  map[string]int64
}

func newReplica(keys ...string) *replica {
	return &replica{keys: keys, rows: map[string]map[string]json.RawMessage{}, seq: map[string]int64{}}
}

func (r *replica) keyOf(m map[string]json.RawMessage) string {
	s := ""
	for _, k := range r.keys {
		s += string(m[k]) + "|"
	}
	return s
}

// apply applies a page's records in order.
func (r *replica) apply(t *testing.T, b body) []record {
	t.Helper()
	var recs []record
	for _, x := range b.Rows {
		var rec record
		if err := json.Unmarshal(x, &rec); err != nil {
			t.Fatal(err)
		}
		switch rec.Op {
		case "upsert":
			k := r.keyOf(rec.Row)
			r.rows[k], r.seq[k] = rec.Row, rec.Seq
		case "delete":
			delete(r.rows, r.keyOf(rec.Key))
		default:
			t.Fatalf("record op %q", rec.Op)
		}
		recs = append(recs, rec)
	}
	return recs
}

// provider returns the provider's live rows of an entry, narrowed to items
// and to rows keep accepts, by key.
func (e *env) provider(entry string, items []string, keys []string, keep func(map[string]json.RawMessage) bool) map[string]map[string]json.RawMessage {
	e.t.Helper()
	out := map[string]map[string]json.RawMessage{}
	r := newReplica(keys...)
	err := e.s.Read(e.ctx, func(tx *store.Tx) error {
		live, err := tx.LiveDatasetKeys(e.ctx, e.p.Entries[entry])
		if err != nil {
			return err
		}
		rows, err := tx.DatasetRows(e.ctx, e.p.Entries[entry], live)
		if err != nil {
			return err
		}
		for _, sr := range rows {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(sr.Data), &m); err != nil {
				return err
			}
			if keep != nil && !keep(m) {
				continue
			}
			p := map[string]json.RawMessage{}
			for _, it := range items {
				if v, ok := m[it]; ok {
					p[it] = v
				}
			}
			out[r.keyOf(p)] = p
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// same compares a replica with the provider's rows, value by value.
func same(t *testing.T, what string, got, want map[string]map[string]json.RawMessage) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, provider has %d", what, len(got), len(want))
	}
	keys := slices.Sorted(maps.Keys(want))
	bad := 0
	for _, k := range keys {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: row %s missing", what, k)
		} else if fmt.Sprint(canon(g)) != fmt.Sprint(canon(want[k])) {
			t.Errorf("%s: row %s is %v, provider has %v", what, k, canon(g), canon(want[k]))
		}
		if bad++; bad > 2000 {
			break
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: row %s is not the provider's", what, k)
		}
	}
}

// canon is a row's values decoded, for comparison independent of escaping.
func canon(m map[string]json.RawMessage) []string {
	var out []string
	for k, v := range m {
		var x any
		_ = json.Unmarshal(v, &x)
		out = append(out, fmt.Sprintf("%s=%v", k, x))
	}
	sort.Strings(out)
	return out
}

func code(err error) string { return problem.CodeOf(err) }

func field(err error) string {
	var p *problem.Error
	if e, ok := err.(*problem.Error); ok {
		p = e
	}
	if p == nil {
		return ""
	}
	return p.Field
}

// events lists the ledger events of an action on an object ("" for any).
func (e *env) events(action, objectID string) []ledger.Event {
	e.t.Helper()
	var out []ledger.Event
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) {
		out, err = tx.ListEvents(e.ctx, ledger.Filter{Action: action, ObjectID: objectID, Limit: 500})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) deliveries(grantID string) []exchange.Delivery {
	e.t.Helper()
	var out []exchange.Delivery
	err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { out, err = tx.GrantDeliveries(e.ctx, grantID); return err })
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// publish publishes an entry of the provider's office through the catalog
// service, as the demo does, and returns its ID.
func (e *env) publish(head, reviewer, name, items string) string {
	e.t.Helper()
	its := splitItems(items)
	d := catalog.Draft{Name: name, Abstract: name, ResourceCode: "209999/000001", Classification: catalog.Classification{Class: "2", Item: "09", Category: "999"},
		Items: its, DataFormat: catalog.DataFormat{Class: "database", Type: "MySQL"}, UpdateFrequency: "daily", SharingAttribute: catalog.Unconditional,
		OpenAttribute: "not_open", DeliveryMethods: []catalog.Method{catalog.BatchExchange}}
	ent, err := e.app.Catalog.Create(e.ctx, e.as(head), d)
	if err != nil {
		e.t.Fatal(err)
	}
	ok := catalog.Assessment{Conclusion: "passed", AssessedOn: calendarToday(e), Assessor: "信息中心", Summary: "不涉及国家秘密；个人信息按最小必要原则共享"}
	if ent, err = e.app.Catalog.RecordAssessments(e.ctx, e.as(head), ent.ID, catalog.Assessments{Secrecy: &ok, PersonalInformation: &ok}, ent.Version); err != nil {
		e.t.Fatal(err)
	}
	if ent, err = e.app.Catalog.Submit(e.ctx, e.as(head), ent.ID, ent.Version); err != nil {
		e.t.Fatal(err)
	}
	if ent, err = e.app.Catalog.Publish(e.ctx, e.as(reviewer), ent.ID, ent.Version, "同意发布"); err != nil {
		e.t.Fatal(err)
	}
	e.p.Entries[name] = ent.ID
	return ent.ID
}

// splitItems reads "name/C18/4*; …" as the demo catalog writes data items:
// type and length, general grade 1 to 4, * for a key item.
func splitItems(spec string) []catalog.Item {
	grades := map[byte]catalog.Grade{'4': catalog.GeneralL4, '3': catalog.GeneralL3, '2': catalog.GeneralL2, '1': catalog.GeneralL1}
	var out []catalog.Item
	for _, s := range strings.Split(spec, "; ") {
		p := strings.Split(s, "/")
		n, _ := strconv.Atoi(p[1][1:])
		key := strings.HasSuffix(p[2], "*")
		out = append(out, catalog.Item{Name: p[0], DataType: catalog.DataType(p[1][:1]), Length: n, IsKey: key, Required: key,
			Grade: grades[p[2][0]], Description: p[0]})
	}
	return out
}

func calendarToday(e *env) calendar.Date { return calendar.DateOf(e.clock.Now()) }
