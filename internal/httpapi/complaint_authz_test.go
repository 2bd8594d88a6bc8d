package httpapi_test

import (
	"context"

	"github.com/govshare/govshare/internal/complaint"
)

// complaintOf files a complaint about 浙江省公安厅 (gat) through the
// service, as the public would.
func complaintOf(e *env) (complaint.Receipt, complaint.Complaint) {
	e.t.Helper()
	ctx := context.Background()
	r, err := e.app.Complaints.File(ctx, complaintInput(e))
	if err != nil {
		e.t.Fatal(err)
	}
	head := e.actor(e.p.Account("gat.head").ID)
	cs, err := e.app.Complaints.List(ctx, head, "", false, "", 500)
	if err != nil || len(cs) == 0 {
		e.t.Fatalf("filed complaint not listed: %v", err)
	}
	c, err := e.app.Complaints.Get(ctx, head, cs[len(cs)-1].ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return r, c
}

// complaintInput is a complete filing by an obviously fictitious person.
func complaintInput(e *env) complaint.Input {
	return complaint.Input{ComplainantKind: complaint.Citizen, Name: "测试投诉人乙", Contact: "test@example.org",
		DepartmentID: e.p.Departments["浙江省公安厅"].ID, Facts: "共享的数据超出了办事需要。", Rights: "个人信息权益"}
}

// complaintWalkCases are the walk's cases for complaints (Art. 37). The
// public routes answer anyone. A complaint about gat is read by gat's
// office and the provincial authority (zj.reviewer) — not the city's
// (hz.reviewer), whose region does not hold gat; only gat's office acts on
// it (the authority gets 403); everyone else finds nothing (404).
func complaintWalkCases(e *env) map[string]walkCase {
	handlers := map[string]int{"gat.head": 200, "gat.staff": 200, "zj.reviewer": 403}
	act := func(verb string, body func(c complaint.Complaint) map[string]any) func(e *env, who string) request {
		return func(e *env, who string) request {
			_, c := complaintOf(e)
			return request{"POST", "/api/v1/complaints/" + c.ID + "/" + verb, body(c)}
		}
	}
	return map[string]walkCase{
		"GET /api/v1/public/departments": {build: fixed("GET", "/api/v1/public/departments", nil), dflt: 200},
		"POST /api/v1/public/complaints": {build: func(e *env, who string) request {
			in := complaintInput(e)
			return request{"POST", "/api/v1/public/complaints", map[string]any{"complainant_kind": in.ComplainantKind, "name": in.Name,
				"contact": in.Contact, "department_id": in.DepartmentID, "facts": in.Facts, "rights": in.Rights}}
		}, dflt: 201, comment: "anyone files, without an account"},
		"POST /api/v1/public/complaints/lookup": {build: func(e *env, who string) request {
			r, _ := complaintOf(e)
			return request{"POST", "/api/v1/public/complaints/lookup", map[string]string{"code": r.Code}}
		}, dflt: 200, comment: "whoever holds the receipt code"},
		"GET /api/v1/complaints": {build: fixed("GET", "/api/v1/complaints", nil), want: only(403, "admin", "ops", "audit"), dflt: 200,
			comment: "sharing offices list their department's, authority reviewers their region's; contents checked in TestReaders (internal/complaint)"},
		"GET /api/v1/complaints/{id}": {build: func(e *env, who string) request {
			_, c := complaintOf(e)
			return request{"GET", "/api/v1/complaints/" + c.ID, nil}
		}, want: only(200, "gat.head", "gat.staff", "zj.reviewer"), dflt: 404, comment: "personal data: the handler's office and the authorities above it"},
		"POST /api/v1/complaints/{id}/accept": {build: act("accept", func(c complaint.Complaint) map[string]any {
			return map[string]any{"version": c.Version}
		}), want: handlers, dflt: 404, comment: "only the handler's sharing office acts"},
		"POST /api/v1/complaints/{id}/answer": {build: act("answer", func(c complaint.Complaint) map[string]any {
			return map[string]any{"version": c.Version, "findings": "已核实", "measures": "已整改"}
		}), want: handlers, dflt: 404, comment: "only the handler's sharing office acts"},
		"POST /api/v1/complaints/{id}/transfer": {build: act("transfer", func(c complaint.Complaint) map[string]any {
			return map[string]any{"version": c.Version, "to_id": e.p.Departments["杭州市公安局"].ID, "reason": "所涉数据由杭州市公安局共享"}
		}), want: handlers, dflt: 404, comment: "only the handler's sharing office acts"},
	}
}
