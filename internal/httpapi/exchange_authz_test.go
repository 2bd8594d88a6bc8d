package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
)

// batchGrant is a grant of 企业登记基本信息 (scjg's entry, batch exchange)
// to gat (浙江省公安厅): gat.staff applies, gat.head approves, scjg.head
// replies.
func (e *env) batchGrant() grant.Grant {
	e.t.Helper()
	ctx := context.Background()
	a, err := e.app.Applications.Create(ctx, e.as("gat.staff"), application.NewApplication{EntryID: e.p.Entries["企业登记基本信息"],
		Items: []string{"统一社会信用代码", "企业名称", "法定代表人"}, LegalBasis: "《优化营商环境条例》第五十五条", Scenario: "企业信用联合监管",
		Scope: "全省市场主体", DeliveryMethod: application.BatchExchange, TimeLimit: application.TimeLimit{Months: 12}})
	if err != nil {
		e.t.Fatal(err)
	}
	if a, err = e.app.Applications.Approve(ctx, e.as("gat.head"), a.ID, application.Command{Version: a.Version}); err != nil {
		e.t.Fatal(err)
	}
	if a, err = e.app.Applications.Reply(ctx, e.as("scjg.head"), a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version}); err != nil {
		e.t.Fatal(err)
	}
	g, err := e.app.Grants.Get(ctx, e.as("gat.head"), a.Reply.Grant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// pushSubscription is gat's push subscription of a fresh batch grant.
func (e *env) pushSubscription() exchange.Created {
	e.t.Helper()
	c, err := e.app.Exchange.Subscribe(context.Background(), e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push,
		GrantID: e.batchGrant().ID, EndpointURL: "https://gat.example.gov.cn/exchange/hook"})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// exchangeWalkCases are the authorisation walk's cases for the subscription
// routes, on push subscriptions of gat (the consumer) to scjg's entry: both
// parties are provincial, so 浙江省数据局 (zj.reviewer) and the provincial
// auditor see them and 杭州's reviewer does not. Only the consumer's office
// registers and cancels a push subscription.
func exchangeWalkCases(e *env) map[string]walkCase {
	const base = "/api/v1/exchange/subscriptions"
	readers := only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit")
	return map[string]walkCase{
		"GET " + base: {build: fixed("GET", base, nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestExchangeSubscriptionsAPI"},
		"POST " + base: {build: func(e *env, who string) request {
			return request{"POST", base, map[string]any{"kind": "push", "grant_id": e.batchGrant().ID, "endpoint_url": "https://gat.example.gov.cn/hook"}}
		}, want: map[string]int{"gat.head": 201, "gat.staff": 201, "hzga.head": 422, "hzga.staff": 422}, dflt: 403,
			comment: "the consumer's office registers; another office cannot see the grant (422 exchange.grant_unknown)"},
		"GET " + base + "/{id}": {build: func(e *env, who string) request {
			return request{"GET", base + "/" + e.pushSubscription().ID, nil}
		}, want: readers, dflt: 404, comment: "both parties' offices, the region's authority and auditor, admins"},
		"POST " + base + "/{id}/cancel": {build: func(e *env, who string) request {
			s := e.pushSubscription()
			return request{"POST", base + "/" + s.ID + "/cancel", map[string]any{"version": s.Version, "reason": "系统迁移"}}
		}, want: map[string]int{"gat.head": 200, "gat.staff": 200, "admin": 403, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "only the consumer's office cancels a push subscription"},
		"PUT " + base + "/{id}/schedule": {build: func(e *env, who string) request {
			s := e.pushSubscription()
			return request{"PUT", base + "/" + s.ID + "/schedule", map[string]any{"version": s.Version, "interval_seconds": 86400}}
		}, want: map[string]int{"scjg.head": 200, "scjg.staff": 200, "gat.head": 403, "gat.staff": 403, "admin": 403, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "the provider's office schedules the pushes of its data"},
		"GET " + base + "/{id}/deliveries": {build: func(e *env, who string) request {
			return request{"GET", base + "/" + e.pushSubscription().ID + "/deliveries", nil}
		}, want: readers, dflt: 404, comment: "whoever may see the subscription"},
	}
}
