package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/bench"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
)

// scFixture makes service changes for the walk: each on a fresh entry of
// gat (浙江省公安厅), on which hzga (杭州市公安局) holds a grant, so that
// gat.head is the provider's head, hzga.head the consumer's and zj.reviewer
// (浙江省数据局) the same-level authority.
type scFixture struct{ e *env }

func (f scFixture) entryWithGrant() string {
	e := f.e
	ctx := context.Background()
	entry, err := bench.SeedEntry(ctx, e.app.Store, e.p.Departments["浙江省公安厅"], "户籍信息（服务变更）", catalog.Conditional, []string{"姓名", "公民身份号码"})
	if err != nil {
		e.t.Fatal(err)
	}
	af := &appFixture{e: e}
	a := af.sent("hzga", entry)
	af.ok(e.app.Applications.Reply(ctx, e.actor(e.p.Account("gat.head").ID), a.ID, application.ReplyRequest{Decision: application.Approve, Version: a.Version}))
	return entry
}

func (f scFixture) proposal(entry string, effective string) map[string]any {
	return map[string]any{"entry_id": entry, "kind": "terminate", "reason": "系统整合，原接口停止服务", "effective_date": effective}
}

func (f scFixture) today() string { return calendar.DateOf(f.e.clock.Now()).String() }

func (f scFixture) ok(c servicechange.ServiceChange, err error) servicechange.ServiceChange {
	if err != nil {
		f.e.t.Fatal(err)
	}
	return c
}

// consulting is a fresh change in consultation; answered, one whose only
// consumer answered; filed and acknowledged go further.
func (f scFixture) consulting(effective string) servicechange.ServiceChange {
	e := f.e
	var in servicechange.Proposal
	in.EntryID, in.Kind, in.Reason, in.EffectiveDate = f.entryWithGrant(), servicechange.Terminate, "系统整合，原接口停止服务", effective
	return f.ok(e.app.ServiceChanges.Propose(context.Background(), e.actor(e.p.Account("gat.head").ID), in))
}

func (f scFixture) answered(effective string) servicechange.ServiceChange {
	c := f.consulting(effective)
	return f.ok(f.e.app.ServiceChanges.Answer(context.Background(), f.e.actor(f.e.p.Account("hzga.head").ID), c.ID,
		servicechange.AnswerInput{Position: servicechange.Agree, Version: c.Version}))
}

func (f scFixture) filed(effective string) servicechange.ServiceChange {
	c := f.answered(effective)
	return f.ok(f.e.app.ServiceChanges.File(context.Background(), f.e.actor(f.e.p.Account("gat.head").ID), c.ID,
		servicechange.NoteInput{Version: c.Version}))
}

// due is an acknowledged change whose effective date has come: acknowledged
// a week ahead of its date, then the stored date moved to today, as if the
// week had passed.
func (f scFixture) due() servicechange.ServiceChange {
	e := f.e
	ctx := context.Background()
	c := f.filed(calendar.DateOf(e.clock.Now()).AddDays(7).String())
	c = f.ok(e.app.ServiceChanges.Acknowledge(ctx, e.actor(e.p.Account("zj.reviewer").ID), c.ID, servicechange.NoteInput{Version: c.Version}))
	c.EffectiveDate, c.Version = f.today(), c.Version+1
	if err := e.app.Store.Write(ctx, func(tx *store.Tx) error { return tx.UpdateServiceChange(ctx, c) }); err != nil {
		e.t.Fatal(err)
	}
	return c
}

// serviceChangeWalkCases are the authorisation walk's cases for the service
// change routes. A change an actor may not see answers 404 (ops sees none);
// one it sees but may not act on, 403. hz.reviewer and audit see these
// changes because the consumer (Hangzhou) or the provider (the province) is
// in their region.
func serviceChangeWalkCases(e *env) map[string]walkCase {
	f := scFixture{e: e}
	cmd := func(path string, body map[string]any, c servicechange.ServiceChange) request {
		body["version"] = c.Version
		return request{"POST", "/api/v1/service-changes/" + c.ID + path, body}
	}
	return map[string]walkCase{
		"GET /api/v1/service-changes": {build: fixed("GET", "/api/v1/service-changes", nil), want: only(403, "ops"), dflt: 200,
			comment: "scoped listing; contents checked in TestServiceChangeListingIsScoped"},
		"POST /api/v1/service-changes": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/service-changes", f.proposal(f.entryWithGrant(), f.today())}
		}, want: only(201, "gat.head"), dflt: 403, comment: "only the office head of the entry's provider proposes"},
		"GET /api/v1/service-changes/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/service-changes/" + f.consulting(f.today()).ID, nil}
		}, want: only(404, "ops"), dflt: 200, comment: "the parties' offices, the authorities and auditors whose region holds a party, admins"},
		"POST /api/v1/service-changes/{id}/answers": {build: func(e *env, who string) request {
			return cmd("/answers", map[string]any{"position": "agree"}, f.consulting(f.today()))
		}, want: map[string]int{"hzga.head": 200, "ops": 404}, dflt: 403, comment: "only the consumer's office head answers"},
		"POST /api/v1/service-changes/{id}/filing": {build: func(e *env, who string) request {
			return cmd("/filing", map[string]any{"note": "附协商记录"}, f.answered(f.today()))
		}, want: map[string]int{"gat.head": 200, "ops": 404}, dflt: 403, comment: "only the provider's office head files"},
		"POST /api/v1/service-changes/{id}/acknowledge": {build: func(e *env, who string) request {
			return cmd("/acknowledge", map[string]any{}, f.filed(f.today()))
		}, want: map[string]int{"zj.reviewer": 200, "ops": 404}, dflt: 403, comment: "only the provider's same-level authority"},
		"POST /api/v1/service-changes/{id}/return": {build: func(e *env, who string) request {
			return cmd("/return", map[string]any{"reasons": []string{"未说明正当理由"}}, f.filed(f.today()))
		}, want: map[string]int{"zj.reviewer": 200, "ops": 404}, dflt: 403, comment: "only the provider's same-level authority"},
		"POST /api/v1/service-changes/{id}/withdraw": {build: func(e *env, who string) request {
			return cmd("/withdraw", map[string]any{"reason": "推迟整合"}, f.consulting(f.today()))
		}, want: map[string]int{"gat.head": 200, "ops": 404}, dflt: 403, comment: "only the provider's office head withdraws"},
		"POST /api/v1/service-changes/{id}/effect": {build: func(e *env, who string) request {
			return cmd("/effect", map[string]any{}, f.due())
		}, want: map[string]int{"gat.head": 200, "zj.reviewer": 200, "ops": 404}, dflt: 403,
			comment: "the provider's office head or the same-level authority"},
	}
}
