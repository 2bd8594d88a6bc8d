package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

const (
	gwID   = "330102199001011234"
	gwName = "张三"
	gwAddr = "杭州市西湖区文三路1号"
)

// gwRecord mirrors the record the gateway digests for each call.
type gwRecord struct {
	SystemID string   `json:"system_id"`
	GrantID  string   `json:"grant_id"`
	Purpose  string   `json:"purpose"`
	Items    []string `json:"items"`
	Rows     int      `json:"rows"`
	Outcome  string   `json:"outcome"`
	Masked   []string `json:"masked,omitempty"`
}

type gwFixture struct {
	e      *env
	grant  grant.Grant
	caller gateway.System
	key    gateway.Issued
}

func (e *env) as(username string) access.Actor { return e.actor(e.p.Account(username).ID) }

// gatewaySetup: gat hosts rows of 常住人口基本信息; scjg holds a grant of
// 居民身份证号码, 姓名 and 性别 for 企业登记核验 and has a system with a key.
func gatewaySetup(t *testing.T, s *store.Store) *gwFixture {
	t.Helper()
	return gatewaySetupReply(t, s, application.ReplyRequest{})
}

// gatewaySetupReply is gatewaySetup with gat's approving reply carrying the
// terms of reply (clear items, limits).
func gatewaySetupReply(t *testing.T, s *store.Store, reply application.ReplyRequest) *gwFixture {
	t.Helper()
	e := newEnv(t, s)
	ctx := context.Background()
	entry := e.p.Entries["常住人口基本信息"]
	raw := func(v string) json.RawMessage { b, _ := json.Marshal(v); return b }
	_, err := e.app.Datasets.Load(ctx, e.as("gat.staff"), entry, dataset.Load{Mode: dataset.Upsert, Rows: []dataset.Row{
		{"居民身份证号码": raw(gwID), "姓名": raw(gwName), "性别": raw("男"), "户籍地址": raw(gwAddr)},
		{"居民身份证号码": raw("330102199202022345"), "姓名": raw("李四"), "性别": raw("女")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.app.Applications.Create(ctx, e.as("scjg.staff"), application.NewApplication{EntryID: entry,
		Items: []string{"居民身份证号码", "姓名", "性别"}, LegalBasis: "《市场主体登记管理条例》第十二条", Scenario: "企业登记核验",
		Scope: "登记窗口", DeliveryMethod: application.ServiceInterface, TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		t.Fatal(err)
	}
	if a, err = e.app.Applications.Approve(ctx, e.as("scjg.head"), a.ID, application.Command{Version: a.Version}); err != nil {
		t.Fatal(err)
	}
	reply.Decision, reply.Version = application.Approve, a.Version
	if a, err = e.app.Applications.Reply(ctx, e.as("gat.head"), a.ID, reply); err != nil {
		t.Fatal(err)
	}
	g, err := e.app.Grants.Get(ctx, e.as("gat.head"), a.Reply.Grant.ID)
	if err != nil {
		t.Fatal(err)
	}
	sys, key := e.gwSystem("scjg.staff")
	return &gwFixture{e: e, grant: g, caller: sys, key: key}
}

func (e *env) gwSystem(username string) (gateway.System, gateway.Issued) {
	e.t.Helper()
	ctx := context.Background()
	sys, err := e.app.Gateway.Register(ctx, e.as(username), gateway.NewSystem{Name: "登记系统 " + username})
	if err != nil {
		e.t.Fatal(err)
	}
	key, err := e.app.Gateway.IssueCredential(ctx, e.as(username), sys.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return sys, key
}

// call sends a signed request with key (nil: unsigned).
func (f *gwFixture) call(key *gateway.Issued, path string, body any) response {
	f.e.t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", f.e.srv.URL+path, bytes.NewReader(b))
	if err != nil {
		f.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != nil {
		gateway.Sign(req, key.KeyID, key.Secret, b, f.e.clock.Now(), gateway.NewNonce())
	}
	return f.e.send(req)
}

func (f *gwFixture) events(action string) []ledger.Event {
	f.e.t.Helper()
	var out []ledger.Event
	err := f.e.app.Store.Read(context.Background(), func(tx *store.Tx) (err error) {
		out, err = tx.ListEvents(context.Background(), ledger.Filter{Action: action, Limit: 1000})
		return err
	})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return out
}

func (f *gwFixture) wantLast(action string, rec gwRecord) {
	f.e.t.Helper()
	evs := f.events(action)
	if len(evs) == 0 {
		f.e.t.Fatalf("no %s event", action)
	}
	ev := evs[len(evs)-1]
	rec.SystemID, rec.GrantID = f.caller.ID, f.grant.ID
	if rec.Purpose == "" {
		rec.Purpose = "企业登记核验"
	}
	d, _ := ledger.Digest(rec)
	if ev.ObjectType != "grant" || ev.ObjectID != f.grant.ID || ev.ObjectDepartmentID != f.grant.ConsumerID || ev.Digest != d {
		f.e.t.Fatalf("event %+v, want grant %s of %s digesting %+v", ev, f.grant.ID, f.grant.ConsumerID, rec)
	}
}

func where(id, name string) map[string]string {
	return map[string]string{"居民身份证号码": id, "姓名": name}
}

func TestGatewayQuery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetup(t, s)
		q := func(items []string, purpose string, w map[string]string) map[string]any {
			return map[string]any{"grant_id": f.grant.ID, "purpose": purpose, "items": items, "where": w}
		}

		r := f.call(&f.key, "/gateway/v1/query", q([]string{"姓名", "性别"}, "企业登记核验", where(gwID, gwName)))
		if r.status != http.StatusOK {
			t.Fatalf("query: %d %s", r.status, r.body)
		}
		var got struct {
			Rows []map[string]string `json:"rows"`
		}
		r.json(t, &got)
		if len(got.Rows) != 1 || len(got.Rows[0]) != 2 || got.Rows[0]["姓名"] != gwName || got.Rows[0]["性别"] != "男" {
			t.Fatalf("rows %v, want only 姓名 and 性别", got.Rows)
		}
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名", "性别"}, Rows: 1, Outcome: "ok"})

		r = f.call(&f.key, "/gateway/v1/query", q([]string{"姓名"}, "企业登记核验", where(gwID, "王五")))
		r.json(t, &got)
		if r.status != http.StatusOK || len(got.Rows) != 0 {
			t.Fatalf("no row: %d %s", r.status, r.body)
		}
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名"}, Rows: 0, Outcome: "ok"})

		r = f.call(&f.key, "/gateway/v1/query", q([]string{"姓名", "户籍地址"}, "企业登记核验", where(gwID, gwName)))
		if p := r.problem(t); r.status != http.StatusForbidden || p.Code != "grant.item_not_granted" || !strings.Contains(p.Title, "户籍地址") {
			t.Fatalf("item outside the grant: %d %s", r.status, r.body)
		}
		if strings.Contains(string(r.body), gwAddr) {
			t.Fatal("refusal leaks the value")
		}
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名", "户籍地址"}, Outcome: "grant.item_not_granted"})

		r = f.call(&f.key, "/gateway/v1/query", q([]string{"姓名"}, "招投标", where(gwID, gwName)))
		if p := r.problem(t); r.status != http.StatusForbidden || p.Code != "grant.purpose_mismatch" {
			t.Fatalf("wrong purpose: %d %s", r.status, r.body)
		}
		f.wantLast("gateway.query", gwRecord{Purpose: "招投标", Items: []string{"姓名"}, Outcome: "grant.purpose_mismatch"})

		r = f.call(&f.key, "/gateway/v1/query", q([]string{"姓名"}, "企业登记核验", map[string]string{"居民身份证号码": gwID}))
		if p := r.problem(t); r.status != http.StatusUnprocessableEntity || p.Code != "dataset.item_required" {
			t.Fatalf("partial key: %d %s", r.status, r.body)
		}

		// Unsigned, tampered and session-authenticated calls are recorded as
		// refusals (gateway_refusal_test.go), never as calls of the grant.
		f.e.token("scjg.staff") // issuing the token is itself recorded
		before, refusals := len(f.events("gateway.query")), len(f.events("gateway.refuse"))
		if r = f.call(nil, "/gateway/v1/query", q([]string{"姓名"}, "企业登记核验", where(gwID, gwName))); r.status != http.StatusUnauthorized {
			t.Fatalf("unsigned: %d %s", r.status, r.body)
		}
		b, _ := json.Marshal(q([]string{"姓名"}, "企业登记核验", where(gwID, gwName)))
		req, _ := http.NewRequest("POST", f.e.srv.URL+"/gateway/v1/query", bytes.NewReader(bytes.Replace(b, []byte("姓名"), []byte("性别"), 1)))
		req.Header.Set("Content-Type", "application/json")
		gateway.Sign(req, f.key.KeyID, f.key.Secret, b, f.e.clock.Now(), gateway.NewNonce())
		if r = f.e.send(req); r.status != http.StatusUnauthorized || r.problem(t).Code != "gateway.signature_invalid" {
			t.Fatalf("tampered: %d %s", r.status, r.body)
		}
		if r = f.e.do("scjg.staff", "POST", "/gateway/v1/query", q([]string{"姓名"}, "企业登记核验", where(gwID, gwName))); r.status != http.StatusUnauthorized {
			t.Fatalf("bearer token: %d %s", r.status, r.body)
		}
		if n := len(f.events("gateway.query")); n != before {
			t.Fatalf("refused signatures recorded %d calls of the grant", n-before)
		}
		if n := len(f.events("gateway.refuse")); n != refusals+3 {
			t.Fatalf("%d refusals recorded, want 3", n-refusals)
		}
		if r = f.e.do("", "GET", "/gateway/v1/query", nil); r.status != http.StatusMethodNotAllowed {
			t.Fatalf("GET: %d %s", r.status, r.body)
		}

		// Another department's system may not use scjg's grant.
		other, otherKey := f.e.gwSystem("gat.staff")
		r = f.call(&otherKey, "/gateway/v1/query", q([]string{"姓名"}, "企业登记核验", where(gwID, gwName)))
		if p := r.problem(t); r.status != http.StatusForbidden || p.Code != "gateway.not_consumer" {
			t.Fatalf("other department: %d %s", r.status, r.body)
		}
		if evs := f.events("gateway.query"); evs[len(evs)-1].ActorID != other.ID {
			t.Fatalf("refusal of %s not recorded: %+v", other.ID, evs[len(evs)-1])
		}

		// A suspended grant delivers nothing.
		if _, err := f.e.app.Grants.Suspend(context.Background(), f.e.as("gat.head"), f.grant.ID,
			grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查使用情况"}, Evidence: "核查记录", RectifyDays: 10, Version: f.grant.Version}); err != nil {
			t.Fatal(err)
		}
		r = f.call(&f.key, "/gateway/v1/query", q([]string{"姓名"}, "企业登记核验", where(gwID, gwName)))
		if p := r.problem(t); r.status != http.StatusForbidden || p.Code != "grant.suspended" {
			t.Fatalf("suspended: %d %s", r.status, r.body)
		}
		f.wantLast("gateway.query", gwRecord{Items: []string{"姓名"}, Outcome: "grant.suspended"})
		f.noValuesRecorded()
	})
}

func TestGatewayVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := gatewaySetup(t, s)
		v := func(w, values map[string]string) map[string]any {
			return map[string]any{"grant_id": f.grant.ID, "purpose": "企业登记核验", "where": w, "values": values}
		}
		r := f.call(&f.key, "/gateway/v1/verify", v(where(gwID, gwName), map[string]string{"性别": "男", "姓名": "张叁"}))
		if r.status != http.StatusOK {
			t.Fatalf("verify: %d %s", r.status, r.body)
		}
		var got struct {
			Result map[string]string `json:"result"`
			Found  bool              `json:"found"`
		}
		r.json(t, &got)
		if !got.Found || got.Result["性别"] != "match" || got.Result["姓名"] != "mismatch" || len(got.Result) != 2 {
			t.Fatalf("verify %s", r.body)
		}
		if strings.Contains(string(r.body), gwName) || strings.Contains(string(r.body), gwID) {
			t.Fatalf("verify returned data: %s", r.body)
		}
		f.wantLast("gateway.verify", gwRecord{Items: []string{"姓名", "性别"}, Rows: 1, Outcome: "ok"})

		r = f.call(&f.key, "/gateway/v1/verify", v(where(gwID, "王五"), map[string]string{"性别": "男"}))
		r.json(t, &got)
		if r.status != http.StatusOK || got.Found || got.Result["性别"] != "mismatch" {
			t.Fatalf("verify absent row: %d %s", r.status, r.body)
		}

		r = f.call(&f.key, "/gateway/v1/verify", v(where(gwID, gwName), map[string]string{"户籍地址": gwAddr}))
		if p := r.problem(t); r.status != http.StatusForbidden || p.Code != "grant.item_not_granted" {
			t.Fatalf("verify ungranted item: %d %s", r.status, r.body)
		}
		f.wantLast("gateway.verify", gwRecord{Items: []string{"户籍地址"}, Outcome: "grant.item_not_granted"})
		f.noValuesRecorded()
	})
}

// noValuesRecorded: nothing readable in the record holds a key or a value.
func (f *gwFixture) noValuesRecorded() {
	f.e.t.Helper()
	for _, action := range []string{"gateway.query", "gateway.verify"} {
		b, _ := json.Marshal(f.events(action))
		for _, s := range []string{gwID, gwName, gwAddr, "男"} {
			if strings.Contains(string(b), s) {
				f.e.t.Fatalf("%s events hold %q", action, s)
			}
		}
	}
}
