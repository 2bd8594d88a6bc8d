package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/catalog"
)

// appFixture publishes one entry of 浙江省公安厅 (gat) and one of
// 浙江省市场监督管理局 (scjg), so that gat can be either party.
type appFixture struct {
	e                   *env
	gatEntry, scjgEntry string
}

func newAppFixture(e *env) *appFixture {
	ctx := context.Background()
	items := []string{"姓名", "公民身份号码", "户籍地址"}
	gat, err := bench.SeedEntry(ctx, e.app.Store, e.p.Departments["浙江省公安厅"], "居民户籍信息", catalog.Conditional, items)
	if err != nil {
		e.t.Fatal(err)
	}
	scjg, err := bench.SeedEntry(ctx, e.app.Store, e.p.Departments["浙江省市场监督管理局"], "企业登记信息", catalog.Unconditional, items)
	if err != nil {
		e.t.Fatal(err)
	}
	return &appFixture{e: e, gatEntry: gat, scjgEntry: scjg}
}

func appForm(entry string) map[string]any {
	return map[string]any{"entry_id": entry, "items": []string{"姓名"}, "legal_basis": "《政务数据共享条例》第二十条",
		"scenario": "业务办理核验", "scope": "本部门窗口", "delivery_method": "service_interface", "time_limit": map[string]any{"months": 12}}
}

// draft: consumer's staff drafts; sent: its head approves too.
func (f *appFixture) draft(consumer, entry string) application.Application {
	in := application.NewApplication{EntryID: entry, Items: []string{"姓名"}, LegalBasis: "《政务数据共享条例》第二十条",
		Scenario: "业务办理核验", Scope: "本部门窗口", DeliveryMethod: "service_interface", TimeLimit: application.TimeLimit{Months: 12}}
	a, err := f.e.app.Applications.Create(context.Background(), f.e.actor(f.e.p.Account(consumer+".staff").ID), in)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return a
}

func (f *appFixture) sent(consumer, entry string) application.Application {
	a := f.draft(consumer, entry)
	a, err := f.e.app.Applications.Approve(context.Background(), f.e.actor(f.e.p.Account(consumer+".head").ID), a.ID, application.Command{Version: a.Version})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return a
}

func (f *appFixture) ok(a application.Application, err error) application.Application {
	if err != nil {
		f.e.t.Fatal(err)
	}
	return a
}

// applicationWalkCases are the authorisation walk's cases for the application
// routes. gat (浙江省公安厅) is the consumer or the provider; its partner is
// scjg (浙江省市场监督管理局), in the same province. An application an actor
// may not see answers 404; one it sees but may not act on, 403.
func applicationWalkCases(e *env) map[string]walkCase {
	f := newAppFixture(e)
	ctx := context.Background()
	// Sent by gat to scjg: gat is the consumer.
	consumerSide := func(e *env, who string) application.Application { return f.sent("gat", f.scjgEntry) }
	// Sent by scjg to gat: gat is the provider.
	providerSide := func(e *env, who string) application.Application { return f.sent("scjg", f.gatEntry) }
	seen := map[string]int{"admin": 403, "zj.reviewer": 403, "audit": 403}
	with := func(m map[string]int, more map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range m {
			out[k] = v
		}
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	post := func(path string, body map[string]any, a application.Application) request {
		body["version"] = a.Version
		return request{"POST", "/api/v1/applications/" + a.ID + path, body}
	}
	return map[string]walkCase{
		"GET /api/v1/applications": {build: fixed("GET", "/api/v1/applications", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestVisibilityPerRole (internal/application)"},
		"POST /api/v1/applications": {build: func(e *env, who string) request { return request{"POST", "/api/v1/applications", appForm(f.scjgEntry)} },
			want: only(201, "gat.head", "gat.staff", "hzga.head", "hzga.staff"), dflt: 403, comment: "any sharing office applies, for its own department"},
		"GET /api/v1/applications/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/applications/" + consumerSide(e, who).ID, nil}
		}, want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "the parties' offices, the region's authority and auditor, admins"},
		"PUT /api/v1/applications/{id}": {build: func(e *env, who string) request {
			a := f.draft("gat", f.scjgEntry)
			body := appForm(f.scjgEntry)
			delete(body, "entry_id")
			body["version"] = a.Version
			return request{"PUT", "/api/v1/applications/" + a.ID, body}
		}, want: with(only(200, "gat.head", "gat.staff"), only(403, "admin")), dflt: 404, comment: "a draft is seen by its department (and admins) only"},
		"POST /api/v1/applications/{id}/submit": {build: func(e *env, who string) request {
			return post("/submit", map[string]any{}, f.draft("gat", f.scjgEntry))
		}, want: with(only(200, "gat.head", "gat.staff"), only(403, "admin")), dflt: 404},
		"POST /api/v1/applications/{id}/approve": {build: func(e *env, who string) request {
			return post("/approve", map[string]any{}, f.draft("gat", f.scjgEntry))
		}, want: with(only(200, "gat.head"), only(403, "admin", "gat.staff")), dflt: 404, comment: "only the consumer's office head sends (Art. 20)"},
		"POST /api/v1/applications/{id}/supplement-request": {build: func(e *env, who string) request {
			return post("/supplement-request", map[string]any{"missing": []map[string]string{{"item": "使用依据", "what": "批准文件"}}}, providerSide(e, who))
		}, want: with(seen, only(200, "gat.head", "gat.staff")), dflt: 404},
		"POST /api/v1/applications/{id}/resubmit": {build: func(e *env, who string) request {
			a := consumerSide(e, who)
			a = f.ok(e.app.Applications.RequestSupplement(ctx, e.actor(e.p.Account("scjg.head").ID), a.ID, application.SupplementInput{
				Missing: []application.Missing{{Item: "使用依据", What: "批准文件"}}, Version: a.Version}))
			return post("/resubmit", map[string]any{"answers": []string{"浙政办发〔2026〕1号"}}, a)
		}, want: with(seen, map[string]int{"gat.head": 200, "gat.staff": 403}), dflt: 404, comment: "the consumer's head signs the resubmission"},
		"POST /api/v1/applications/{id}/extension": {build: func(e *env, who string) request {
			return post("/extension", map[string]any{"days": 5, "reason": "需会商"}, providerSide(e, who))
		}, want: with(seen, only(200, "gat.head", "gat.staff")), dflt: 404},
		"POST /api/v1/applications/{id}/extension/decision": {build: func(e *env, who string) request {
			a := f.sent("hzga", f.gatEntry) // a consumer outside gat: gat is the provider
			a = f.ok(e.app.Applications.RequestExtension(ctx, e.actor(e.p.Account("gat.staff").ID), a.ID, application.ExtensionInput{Days: 3, Reason: "会商", Version: a.Version}))
			return post("/extension/decision", map[string]any{"decision": "grant"}, a)
		}, want: map[string]int{"zj.reviewer": 200, "admin": 403, "audit": 403, "gat.head": 403, "gat.staff": 403, "hzga.head": 403, "hzga.staff": 403, "hz.reviewer": 403},
			dflt: 404, comment: "only the provider's same-level authority (浙江省数据局) decides; hz.reviewer sees it (the consumer is in its city) but is not that authority"},
		"POST /api/v1/applications/{id}/reply": {build: func(e *env, who string) request {
			return post("/reply", map[string]any{"decision": "approve"}, providerSide(e, who))
		}, want: with(seen, map[string]int{"gat.head": 200, "gat.staff": 403}), dflt: 404, comment: "the provider's office head replies (Art. 20)"},
		"POST /api/v1/applications/{id}/withdraw": {build: func(e *env, who string) request {
			return post("/withdraw", map[string]any{"reason": "需求取消"}, consumerSide(e, who))
		}, want: with(seen, only(200, "gat.head", "gat.staff")), dflt: 404},
	}
}
