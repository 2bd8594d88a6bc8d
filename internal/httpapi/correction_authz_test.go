package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/grant"
)

// correctionInput is a complete correction request on g (an entry seeded
// by newAppFixture, whose grants give 姓名), as JSON.
func correctionInput(g grant.Grant) map[string]any {
	return map[string]any{"grant_id": g.ID, "kind": "inaccurate", "rows": []string{"公民身份号码 330106199001011234"},
		"items": []string{"姓名"}, "description": "姓名与户籍登记不一致"}
}

// correctionWalkCases are the authorisation walk's cases for the
// corrections of Art. 26. In consumerGrant gat is the consumer; in
// approvedGrant gat is the provider and scjg the consumer. Both parties are
// provincial, so the city's hz.reviewer supervises neither. Readers of a
// request or a usage status: the parties' offices, and the authorities and
// auditors whose region holds either (zj.reviewer, audit); nobody else
// finds it (404). Admins and contractors are not readers.
func correctionWalkCases(e *env) map[string]walkCase {
	f := newAppFixture(e)
	ctx := context.Background()
	gat := e.p.Departments["浙江省公安厅"].ID
	readers := only(200, "gat.head", "gat.staff", "zj.reviewer", "audit")
	// filed is a request of scjg (consumer) to gat (provider).
	filed := func(e *env) correction.Request {
		g := f.approvedGrant()
		r, err := e.app.Corrections.File(ctx, e.actor(e.p.Account("scjg.staff").ID), correction.NewRequest{GrantID: g.ID, Kind: correction.Incomplete,
			Rows: []string{"公民身份号码 330106199001011234"}, Items: []string{"姓名"}, Description: "缺少曾用名"})
		if err != nil {
			e.t.Fatal(err)
		}
		return r
	}
	admin := access.Actor{Roles: []access.Role{access.PlatformAdmin}}
	return map[string]walkCase{
		"GET /api/v1/corrections": {build: fixed("GET", "/api/v1/corrections", nil), want: only(403, "admin", "ops"), dflt: 200,
			comment: "scoped like the grants listing, without admins; contents checked in TestWhoMayFileAnswerAndRead (internal/correction)"},
		"POST /api/v1/corrections": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/corrections", correctionInput(f.consumerGrant())}
		}, want: map[string]int{"gat.head": 201, "gat.staff": 201, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "only the consumer's office files; its supervisors read but may not file"},
		"GET /api/v1/corrections/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/corrections/" + filed(e).ID, nil}
		}, want: readers, dflt: 404, comment: "the parties and the authorities above either read"},
		"POST /api/v1/corrections/{id}/answer": {build: func(e *env, who string) request {
			r := filed(e)
			return request{"POST", "/api/v1/corrections/" + r.ID + "/answer", map[string]any{"outcome": "not_corrected",
				"reasons": []string{"经核实，与户籍登记一致"}, "version": r.Version}}
		}, want: map[string]int{"gat.head": 200, "gat.staff": 200, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "only the provider's office answers"},
		"GET /api/v1/grants/{id}/usage-status": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/grants/" + f.approvedGrant().ID + "/usage-status", nil}
		}, want: readers, dflt: 404, comment: "the grant's parties and the authorities above either"},
		"POST /api/v1/grants/{id}/usage-status": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/grants/" + f.consumerGrant().ID + "/usage-status", map[string]any{"status": "doubtful", "note": "姓名存疑", "version": 0}}
		}, want: map[string]int{"gat.head": 201, "gat.staff": 201, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "only the consumer's office records the usage status"},
		"GET /api/v1/correction-rules": {build: fixed("GET", "/api/v1/correction-rules", nil), want: only(403, "ops"), dflt: 200,
			comment: "every office, authority and auditor reads every department's rules"},
		"GET /api/v1/departments/{id}/correction-rules": {build: fixed("GET", "/api/v1/departments/"+gat+"/correction-rules", nil), want: only(403, "ops"), dflt: 200},
		"POST /api/v1/departments/{id}/correction-rules": {build: func(e *env, who string) request {
			rs, err := e.app.Corrections.RulesOf(ctx, admin, gat)
			if err != nil {
				e.t.Fatal(err)
			}
			var v int64
			if len(rs) > 0 {
				v = rs[0].Version
			}
			return request{"POST", "/api/v1/departments/" + gat + "/correction-rules", map[string]any{"rules": "十个工作日内核实反馈",
				"contact": "科技信息化处", "phone": "0571-87280000", "version": v}}
		}, want: only(201, "gat.head"), dflt: 403, comment: "only the department's own office head"},
	}
}
