package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
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
	reasons := func() map[string]any {
		return map[string]any{"reasons": []string{"发现超范围使用"}, "evidence": "调用日志摘录"}
	}
	suspension := func() map[string]any {
		return map[string]any{"grounds": "beyond_scope", "reasons": []string{"发现超范围使用"}, "evidence": "调用日志摘录", "rectify_days": 10}
	}
	controllers := map[string]int{"gat.head": 200, "zj.reviewer": 200, "admin": 403, "audit": 403, "gat.staff": 403}
	suspended := func(g grant.Grant, by string) grant.Grant {
		g, err := e.app.Grants.Suspend(ctx, e.actor(e.p.Account(by).ID), g.ID, grant.SuspendInput{Grounds: grant.BeyondScope,
			Reasons: []string{"核查"}, Evidence: "调用日志", RectifyDays: 10, Version: g.Version})
		if err != nil {
			e.t.Fatal(err)
		}
		return g
	}
	// consumerGrant: gat (浙江省公安厅) applies for scjg's entry and
	// scjg.head approves it: gat is the consumer.
	consumerGrant := func() grant.Grant {
		a := f.sent("gat", f.scjgEntry)
		a = f.ok(e.app.Applications.Reply(ctx, e.actor(e.p.Account("scjg.head").ID), a.ID,
			application.ReplyRequest{Decision: application.Approve, Version: a.Version}))
		g, err := e.app.Grants.Get(ctx, e.actor(e.p.Account("scjg.head").ID), a.Reply.Grant.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		return g
	}
	consumerOffice := map[string]int{"gat.head": 200, "gat.staff": 200, "zj.reviewer": 403, "admin": 403, "audit": 403}
	return map[string]walkCase{
		"GET /api/v1/grants": {build: fixed("GET", "/api/v1/grants", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestGrantVisibility (internal/grant)"},
		"GET /api/v1/grants/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/grants/" + f.approvedGrant().ID, nil}
		}, want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "the parties' offices, the region's authority and auditor, admins"},
		"POST /api/v1/grants/{id}/suspend": {build: func(e *env, who string) request {
			return post("/suspend", suspension(), f.approvedGrant())
		}, want: controllers, dflt: 404, comment: "the provider's office head or a competent authority (Art. 27 ¶2)"},
		"POST /api/v1/grants/{id}/resume": {build: func(e *env, who string) request {
			by := "gat.head"
			if who == "zj.reviewer" {
				by = "zj.reviewer" // each controller resumes its own suspension
			}
			return post("/resume", reasons(), suspended(f.approvedGrant(), by))
		}, want: controllers, dflt: 404, comment: "only the suspender: the provider's office head, or the suspending authority"},
		"POST /api/v1/grants/{id}/terminate": {build: func(e *env, who string) request {
			return post("/terminate", reasons(), f.approvedGrant())
		}, want: controllers, dflt: 404, comment: "the provider's office head or a competent authority"},
		"POST /api/v1/grants/{id}/rectifications": {build: func(e *env, who string) request {
			return post("/rectifications", map[string]any{"actions": "停止超范围调用并清理缓存", "evidence": "整改报告"}, suspended(consumerGrant(), "scjg.head"))
		}, want: consumerOffice, dflt: 404, comment: "the consumer's sharing office (gat consumes here)"},
		"PUT /api/v1/grants/{id}/disposal-requirement": {build: func(e *env, who string) request {
			r := post("/disposal-requirement", map[string]any{"method": "return", "text": "退回原始介质"}, f.approvedGrant())
			r.method = "PUT"
			return r
		}, want: map[string]int{"gat.head": 200, "gat.staff": 200, "zj.reviewer": 403, "admin": 403, "audit": 403}, dflt: 404,
			comment: "the provider's sharing office"},
		"POST /api/v1/grants/{id}/disposal": {build: func(e *env, who string) request {
			return post("/disposal", map[string]any{"method": "delete", "actions": "删除本地副本", "done_on": calendar.DateOf(e.clock.Now()).String(),
				"evidence": "销毁记录", "reason": "purpose_met", "reason_text": "核验工作已完成"}, consumerGrant())
		}, want: map[string]int{"gat.head": 200, "gat.staff": 403, "zj.reviewer": 403, "admin": 403, "audit": 403}, dflt: 404,
			comment: "an active grant: only the consumer's office head ends it by disposal (gat consumes here); staff record an ended grant's (TestDisposalByRoleAndDate)"},
		"POST /api/v1/grants/{id}/consents": {build: func(e *env, who string) request {
			return post("/consents", map[string]any{"third_department_id": e.p.Departments["杭州市公安局"].ID, "purpose": "协查"}, f.approvedGrant())
		}, want: map[string]int{"gat.head": 200, "zj.reviewer": 403, "admin": 403, "audit": 403, "gat.staff": 403}, dflt: 404,
			comment: "only the provider's office head consents (Art. 25)"},
	}
}
