package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/upstream"
)

// freshUpstream disables every active endpoint of gat's 常住人口基本信息 and
// registers a new one as gat.staff (an entry has one active endpoint at
// most), returning it.
func freshUpstream(e *env) upstream.Endpoint {
	e.t.Helper()
	clearUpstreams(e)
	r, err := e.app.Upstreams.Register(context.Background(), e.as("gat.staff"),
		upstream.NewEndpoint{EntryID: e.p.Entries["常住人口基本信息"], URL: "http://10.1.2.3:8080/population/query"})
	if err != nil {
		e.t.Fatal(err)
	}
	return r.Endpoint
}

// clearUpstreams disables the active endpoints of gat's 常住人口基本信息.
func clearUpstreams(e *env) {
	e.t.Helper()
	ctx := context.Background()
	es, err := e.app.Upstreams.List(ctx, e.as("gat.staff"), upstream.Filter{EntryID: e.p.Entries["常住人口基本信息"], Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, x := range es {
		if x.State == upstream.Active {
			if _, err := e.app.Upstreams.Disable(ctx, e.as("gat.staff"), x.ID, upstream.Version{Version: x.Version}); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

// upstreamWalkCases are the authorisation walk's cases for the proxied
// service routes, on gat's published entry 常住人口基本信息: only gat's
// sharing office registers; it and admins disable (an admin for an
// incident); the province's reviewer and auditor also read. Who cannot see
// an endpoint gets 404; who sees it but may not act, 403.
func upstreamWalkCases(e *env) map[string]walkCase {
	var shared string
	target := func(e *env) string {
		if shared == "" {
			shared = freshUpstream(e).ID
		}
		return shared
	}
	return map[string]walkCase{
		"GET /api/v1/upstreams": {build: fixed("GET", "/api/v1/upstreams", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestUpstreamRegistration (internal/upstream)"},
		"POST /api/v1/upstreams": {build: func(e *env, who string) request {
			clearUpstreams(e)
			return request{"POST", "/api/v1/upstreams", map[string]any{"entry_id": e.p.Entries["常住人口基本信息"],
				"url": "https://gat.example.gov.cn/api/population", "timeout_ms": 2000}}
		}, want: only(201, "gat.head", "gat.staff"), dflt: 403,
			comment: "only the provider's sharing office registers; others get 403 on a published entry"},
		"GET /api/v1/upstreams/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/upstreams/" + target(e), nil}
		}, want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "own office, admins, the province's reviewer and auditor; hz.reviewer's region does not hold gat"},
		"POST /api/v1/upstreams/{id}/disable": {build: func(e *env, who string) request {
			x := freshUpstream(e)
			return request{"POST", "/api/v1/upstreams/" + x.ID + "/disable", map[string]any{"version": x.Version}}
		}, want: map[string]int{"admin": 200, "gat.head": 200, "gat.staff": 200, "zj.reviewer": 403, "audit": 403}, dflt: 404},
	}
}
