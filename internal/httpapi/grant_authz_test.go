package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/grant"
)

// approvedGrant has scjg (浙江省市场监督管理局) apply for gat's entry and
// gat.head approve it: gat (浙江省公安厅) is the provider of the grant.
func (f *appFixture) approvedGrant() grant.Grant {
	ctx := context.Background()
	a := f.sent("scjg", f.gatEntry)
	a = f.ok(f.e.app.Applications.Reply(ctx, f.e.actor(f.e.p.Account("gat.head").ID), a.ID,
		application.ReplyRequest{Decision: application.Approve, Version: a.Version}))
	g, err := f.e.app.Grants.Get(ctx, f.e.actor(f.e.p.Account("gat.head").ID), a.Reply.Grant.ID)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return g
}

// grantWalkCases are the authorisation walk's cases for the grant routes. gat
// is the provider, scjg the consumer; 浙江省数据局 (zj.reviewer) is gat's
// same-level authority. A grant an actor may not see answers 404; one it
// sees but may not act on, 403.
func grantWalkCases(e *env) map[string]walkCase {
	f := newAppFixture(e)
	ctx := context.Background()
	post := func(path string, body map[string]any, g grant.Grant) request {
		body["version"] = g.Version
		return request{"POST", "/api/v1/grants/" + g.ID + path, body}
	}
	reasons := func() map[string]any { return map[string]any{"reasons": []string{"发现超范围使用"}} }
	controllers := map[string]int{"gat.head": 200, "zj.reviewer": 200, "admin": 403, "audit": 403, "gat.staff": 403}
	return map[string]walkCase{
		"GET /api/v1/grants": {build: fixed("GET", "/api/v1/grants", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestGrantVisibility (internal/grant)"},
		"GET /api/v1/grants/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/grants/" + f.approvedGrant().ID, nil}
		}, want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "the parties' offices, the region's authority and auditor, admins"},
		"POST /api/v1/grants/{id}/suspend": {build: func(e *env, who string) request {
			return post("/suspend", reasons(), f.approvedGrant())
		}, want: controllers, dflt: 404, comment: "the provider's office head or its same-level authority"},
		"POST /api/v1/grants/{id}/resume": {build: func(e *env, who string) request {
			g := f.approvedGrant()
			g, err := e.app.Grants.Suspend(ctx, e.actor(e.p.Account("gat.head").ID), g.ID, grant.ChangeInput{Reasons: []string{"核查"}, Version: g.Version})
			if err != nil {
				e.t.Fatal(err)
			}
			return post("/resume", reasons(), g)
		}, want: controllers, dflt: 404, comment: "the provider's office head or its same-level authority"},
		"POST /api/v1/grants/{id}/terminate": {build: func(e *env, who string) request {
			return post("/terminate", reasons(), f.approvedGrant())
		}, want: controllers, dflt: 404, comment: "the provider's office head or its same-level authority"},
		"POST /api/v1/grants/{id}/consents": {build: func(e *env, who string) request {
			return post("/consents", map[string]any{"third_department_id": e.p.Departments["杭州市公安局"].ID, "purpose": "协查"}, f.approvedGrant())
		}, want: map[string]int{"gat.head": 200, "zj.reviewer": 403, "admin": 403, "audit": 403, "gat.staff": 403}, dflt: 404,
			comment: "only the provider's office head consents (Art. 25)"},
	}
}
