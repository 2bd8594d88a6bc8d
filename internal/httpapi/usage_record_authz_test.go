package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/usagerecord"
)

// consumerGrant has gat (浙江省公安厅) apply for scjg's entry and scjg.head
// approve it: gat is the consumer of the grant.
func (f *appFixture) consumerGrant() grant.Grant {
	ctx := context.Background()
	a := f.sent("gat", f.scjgEntry)
	a = f.ok(f.e.app.Applications.Reply(ctx, f.e.actor(f.e.p.Account("scjg.head").ID), a.ID,
		application.ReplyRequest{Decision: application.Approve, Version: a.Version}))
	g, err := f.e.app.Grants.Get(ctx, f.e.actor(f.e.p.Account("gat.head").ID), a.Reply.Grant.ID)
	if err != nil {
		f.e.t.Fatal(err)
	}
	return g
}

// usageInput is a complete usage record of today's use, as JSON.
func usageInput(e *env) map[string]any {
	today := calendar.DateOf(e.clock.Now()).String()
	return map[string]any{"scenario": "窗口核验", "process": "逐条查询", "effect": "免交证明", "storage": "不落盘",
		"period_from": today, "period_to": today}
}

// usageRecordWalkCases are the authorisation walk's cases for the usage
// records (Art. 29). In approvedGrant gat is the provider and scjg the
// consumer; in consumerGrant gat is the consumer. Readers of a grant's
// records: the consumer's office, the provider's office, the authorities
// and auditors whose region holds the consumer (zj.reviewer and audit, not
// the city's hz.reviewer); nobody else finds the grant (404).
func usageRecordWalkCases(e *env) map[string]walkCase {
	f := newAppFixture(e)
	ctx := context.Background()
	readers := only(200, "gat.head", "gat.staff", "zj.reviewer", "audit")
	gat := e.p.Departments["浙江省公安厅"].ID
	return map[string]walkCase{
		"GET /api/v1/grants/{id}/usage-records": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/grants/" + f.approvedGrant().ID + "/usage-records", nil}
		}, want: readers, dflt: 404, comment: "the provider's office and the authorities above the consumer read; admins do not"},
		"POST /api/v1/grants/{id}/usage-records": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/grants/" + f.consumerGrant().ID + "/usage-records", usageInput(e)}
		}, want: map[string]int{"gat.head": 201, "gat.staff": 201, "zj.reviewer": 403, "audit": 403}, dflt: 404,
			comment: "only the consumer's office writes; its supervisors read but may not write"},
		"GET /api/v1/grants/{id}/events": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/grants/" + f.approvedGrant().ID + "/events", nil}
		}, want: readers, dflt: 404, comment: "as the grant's usage records"},
		"GET /api/v1/usage-records/missing": {build: fixed("GET", "/api/v1/usage-records/missing", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped like the grants listing; contents checked in TestMissingRecordsAndTodo (internal/usagerecord)"},
		"DELETE /api/v1/usage-records/{id}": {build: func(e *env, who string) request {
			g := f.approvedGrant()
			in := usagerecord.Input{Scenario: "窗口核验", Process: "逐条查询", Effect: "免交证明", Storage: "不落盘",
				PeriodFrom: calendar.DateOf(e.clock.Now()).String(), PeriodTo: calendar.DateOf(e.clock.Now()).String()}
			r, err := e.app.UsageRecords.Add(ctx, e.actor(e.p.Account("scjg.staff").ID), g.ID, in)
			if err != nil {
				e.t.Fatal(err)
			}
			return request{"DELETE", "/api/v1/usage-records/" + r.ID, nil}
		}, want: only(409, "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 404,
			comment: "never deleted: the record's readers learn it is retention-locked, others do not find it"},
		"GET /api/v1/inspections/export": {build: fixed("GET", "/api/v1/inspections/export?what=records&department_id="+gat+"&from=2026-11-01&to=2026-12-01", nil),
			want: only(200, "gat.head", "zj.reviewer", "audit"), dflt: 403,
			comment: "the department's own office head, and the authorities and auditors whose region holds it"},
	}
}
