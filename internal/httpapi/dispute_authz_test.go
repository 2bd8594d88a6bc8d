package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/dispute"
)

// disputeAt opens a dispute of scjg (浙江省市场监督管理局) against gat as
// consumer, coordinated by 浙江省数据局 (zj.reviewer), and moves it to
// state: negotiating (gat having answered), coordinating or referred.
func disputeAt(e *env, state dispute.State) dispute.Dispute {
	ctx := context.Background()
	scjg := e.actor(e.p.Account("scjg.staff").ID)
	gat := e.actor(e.p.Account("gat.staff").ID)
	zj := e.actor(e.p.Account("zj.reviewer").ID)
	d, err := e.app.Disputes.Open(ctx, scjg, dispute.OpenInput{RespondentID: e.p.Departments["浙江省公安厅"].ID, As: "consumer",
		Matter: "户籍数据接口调用上限", Claim: "每日上限不足以支撑窗口业务"})
	if err != nil {
		e.t.Fatal(err)
	}
	if d, err = e.app.Disputes.AddPosition(ctx, gat, d.ID, dispute.TextInput{Text: "上限由安全评估确定", Version: d.Version}); err != nil {
		e.t.Fatal(err)
	}
	if state == dispute.Negotiating {
		return d
	}
	if d, err = e.app.Disputes.RequestCoordination(ctx, scjg, d.ID, dispute.TextInput{Text: "协商不成", Version: d.Version}); err != nil {
		e.t.Fatal(err)
	}
	if state == dispute.Coordinating {
		return d
	}
	if d, err = e.app.Disputes.Coordinate(ctx, zj, d.ID, dispute.CoordinateInput{Outcome: "failed", Opinion: "分歧较大",
		Referral: "报浙江省人民政府决定", Version: d.Version}); err != nil {
		e.t.Fatal(err)
	}
	return d
}

// disputeWalkCases are the authorisation walk's cases for disputes (Art.
// 28). The target dispute is between scjg and gat, coordinated by
// 浙江省数据局: gat.* act as a party, zj.reviewer as the coordinator, audit
// reads (its region holds the authority); hz.reviewer (a city below the
// coordinator), hzga.* (a third department), admins and contractors do not
// find it (404).
func disputeWalkCases(e *env) map[string]walkCase {
	readers := only(200, "gat.head", "gat.staff", "zj.reviewer", "audit")
	party := map[string]int{"gat.head": 200, "gat.staff": 200, "zj.reviewer": 403, "audit": 403}
	act := func(state dispute.State, suffix string, body func(d dispute.Dispute) map[string]any) func(e *env, who string) request {
		return func(e *env, who string) request {
			d := disputeAt(e, state)
			return request{"POST", "/api/v1/disputes/" + d.ID + suffix, body(d)}
		}
	}
	// proposed is a negotiating dispute with scjg's proposal pending, for
	// gat to answer.
	proposed := func(suffix string, body func(d dispute.Dispute) map[string]any) func(e *env, who string) request {
		return func(e *env, who string) request {
			d := disputeAt(e, dispute.Negotiating)
			d, err := e.app.Disputes.ProposeAgreement(context.Background(), e.actor(e.p.Account("scjg.staff").ID), d.ID,
				dispute.TextInput{Text: "每日上限调至1万次", Version: d.Version})
			if err != nil {
				e.t.Fatal(err)
			}
			return request{"POST", "/api/v1/disputes/" + d.ID + suffix, body(d)}
		}
	}
	text := func(d dispute.Dispute) map[string]any {
		return map[string]any{"text": "本方意见", "version": d.Version}
	}
	return map[string]walkCase{
		"GET /api/v1/disputes": {build: fixed("GET", "/api/v1/disputes", nil), want: only(403, "admin", "ops"), dflt: 200,
			comment: "sharing offices list their own, authorities and auditors their region's; contents in TestListScoped (internal/dispute)"},
		"POST /api/v1/disputes": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/disputes", map[string]any{"respondent_id": e.p.Departments["浙江省市场监督管理局"].ID, "as": "consumer",
				"matter": "数据更新频率", "claim": "应按日更新"}}
		}, want: only(201, "gat.head", "gat.staff", "hzga.head", "hzga.staff"), dflt: 403,
			comment: "a sharing office opens a dispute of its own department; authorities, auditors, admins and contractors do not"},
		"GET /api/v1/disputes/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/disputes/" + disputeAt(e, dispute.Negotiating).ID, nil}
		}, want: readers, dflt: 404, comment: "the parties, the coordinating authority and those above it"},
		"GET /api/v1/disputes/{id}/events": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/disputes/" + disputeAt(e, dispute.Negotiating).ID + "/events", nil}
		}, want: readers, dflt: 404, comment: "as the dispute"},
		"POST /api/v1/disputes/{id}/positions": {build: act(dispute.Coordinating, "/positions", text),
			want: map[string]int{"gat.head": 200, "gat.staff": 200, "zj.reviewer": 200, "audit": 403}, dflt: 404,
			comment: "while coordinating the parties and the coordinator add to the record; the auditor reads only"},
		"POST /api/v1/disputes/{id}/agreement-proposal": {build: act(dispute.Negotiating, "/agreement-proposal", text), want: party, dflt: 404,
			comment: "only a party proposes an agreement in negotiation"},
		"POST /api/v1/disputes/{id}/agreement-confirmation": {build: proposed("/agreement-confirmation", func(d dispute.Dispute) map[string]any {
			return map[string]any{"version": d.Version}
		}), want: party, dflt: 404, comment: "only the other party (gat; scjg proposed) confirms the proposal; content in TestNegotiatedAgreement (internal/dispute)"},
		"POST /api/v1/disputes/{id}/agreement-rejection": {build: proposed("/agreement-rejection", text), want: party, dflt: 404,
			comment: "only the other party (gat; scjg proposed) rejects the proposal"},
		"POST /api/v1/disputes/{id}/coordination-request": {build: act(dispute.Negotiating, "/coordination-request", text), want: party, dflt: 404,
			comment: "only a party applies for coordination"},
		"POST /api/v1/disputes/{id}/coordination": {build: act(dispute.Coordinating, "/coordination", func(d dispute.Dispute) map[string]any {
			return map[string]any{"outcome": "agreed", "opinion": "协调意见", "agreement": "分批提高上限", "version": d.Version}
		}), want: map[string]int{"gat.head": 403, "gat.staff": 403, "zj.reviewer": 200, "audit": 403}, dflt: 404,
			comment: "only the coordinating authority's reviewer"},
		"POST /api/v1/disputes/{id}/decision": {build: act(dispute.Referred, "/decision", func(d dispute.Dispute) map[string]any {
			return map[string]any{"text": "按评估结论执行", "document_number": "浙政办函〔2026〕8号",
				"decided_on": calendar.DateOf(e.clock.Now()).String(), "version": d.Version}
		}), want: map[string]int{"gat.head": 403, "gat.staff": 403, "zj.reviewer": 200, "audit": 403}, dflt: 404,
			comment: "only the coordinating authority's reviewer records the government's decision"},
	}
}
