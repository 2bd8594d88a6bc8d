package httpapi_test

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/dispute"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// The dispute routes end to end (Art. 28): opened by a party, coordination
// refused before the respondent has negotiated, an agreement proposed (not
// closing the dispute, not confirmable by its proposer), negotiation
// failed, coordinated without agreement, referred, decided; each answer
// matches the OpenAPI schema, bad input names its field and changes
// nothing, acts out of order and past the top are refused with their codes,
// and the to-do list follows whoever must act.
func TestDisputesOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		schema := oaSchemas(t)
		valid := func(name string, body []byte) {
			t.Helper()
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if err := schema(name).Validate(v); err != nil {
				t.Errorf("answer does not match %s: %v\n%s", name, err, body)
			}
		}
		refused := func(res response, status int, code, field string) {
			t.Helper()
			if res.status != status {
				t.Fatalf("status %d, want %d: %s", res.status, status, res.body)
			}
			if p := res.problem(t); p.Code != code || p.Field != field {
				t.Errorf("problem %s on %q, want %s on %q", p.Code, p.Field, code, field)
			}
		}
		todoKind := func(who, id string) string {
			t.Helper()
			res := e.do(who, "GET", "/api/v1/todo", nil)
			var page struct{ Items []todo.Item }
			res.json(t, &page)
			for _, it := range page.Items {
				if it.ObjectID == id {
					return it.Kind
				}
			}
			return ""
		}
		scjg := e.p.Departments["浙江省市场监督管理局"].ID

		e.token("gat.staff") // issuing the token is an event of its own
		before := e.eventCount()
		refused(e.do("gat.staff", "POST", "/api/v1/disputes", map[string]any{"respondent_id": scjg, "as": "consumer", "claim": "x"}),
			422, "dispute.required", "matter")
		refused(e.do("gat.staff", "POST", "/api/v1/disputes", map[string]any{"respondent_id": scjg, "as": "consumer", "matter": "x", "claim": "y", "judge": "z"}),
			400, "request.unknown_field", "judge")
		if e.eventCount() != before {
			t.Error("refused opens wrote events")
		}

		res := e.do("gat.staff", "POST", "/api/v1/disputes", map[string]any{"respondent_id": scjg, "as": "consumer",
			"matter": "企业登记数据更新频率", "claim": "应按日更新，现为按月"})
		if res.status != 201 {
			t.Fatalf("open: %d %s", res.status, res.body)
		}
		valid("Dispute", res.body)
		var d dispute.Dispute
		res.json(t, &d)
		if d.Authority.DepartmentName != "浙江省数据局" || d.Authority.Tier != dispute.SameLevel {
			t.Errorf("authority %+v", d.Authority)
		}
		if todoKind("gat.staff", d.ID) != dispute.TodoNegotiate || todoKind("scjg.head", d.ID) != dispute.TodoNegotiate {
			t.Error("the parties have no negotiation to-do")
		}
		res = e.do("zj.reviewer", "GET", "/api/v1/disputes?state=negotiating", nil)
		valid("DisputePage", res.body)
		refused(e.do("hzga.head", "GET", "/api/v1/disputes/"+d.ID, nil), 404, "dispute.not_found", "")

		base := "/api/v1/disputes/" + d.ID
		refused(e.do("zj.reviewer", "POST", base+"/decision", map[string]any{"text": "x", "document_number": "y",
			"decided_on": "2026-11-27", "version": d.Version}), 409, "dispute.wrong_state", "")
		refused(e.do("scjg.head", "POST", base+"/coordination-request", map[string]any{"text": "", "version": d.Version}),
			422, "dispute.required", "text")
		refused(e.do("scjg.head", "POST", base+"/coordination-request", map[string]any{"text": "协商不成", "version": d.Version}),
			409, "dispute.not_negotiated", "")
		res = e.do("scjg.head", "POST", base+"/agreement-proposal", map[string]any{"text": "按周更新", "version": d.Version})
		if res.status != 200 {
			t.Fatalf("propose: %d %s", res.status, res.body)
		}
		valid("Dispute", res.body)
		res.json(t, &d)
		if d.State != dispute.Negotiating || d.Proposal == nil {
			t.Fatalf("a proposal closed the dispute: %s", d.State)
		}
		refused(e.do("scjg.head", "POST", base+"/agreement-confirmation", map[string]any{"version": d.Version}), 409, "dispute.own_proposal", "")
		refused(e.do("gat.staff", "POST", base+"/agreement-confirmation", map[string]any{"version": d.Version, "text": "x"}),
			400, "request.unknown_field", "text")
		res = e.do("scjg.head", "POST", base+"/coordination-request", map[string]any{"text": "按月更新由系统条件决定，协商不成", "version": d.Version})
		if res.status != 200 {
			t.Fatalf("request coordination: %d %s", res.status, res.body)
		}
		res.json(t, &d)
		refused(e.do("gat.staff", "POST", base+"/agreement-rejection", map[string]any{"text": "不同意", "version": d.Version - 1}), 409, "conflict.version", "")
		refused(e.do("gat.staff", "POST", base+"/agreement-confirmation", map[string]any{"version": d.Version}), 409, "dispute.wrong_state", "")
		if todoKind("zj.reviewer", d.ID) != dispute.TodoCoordinate || todoKind("gat.staff", d.ID) != "" {
			t.Error("coordination to-do not with the authority alone")
		}
		res = e.do("zj.reviewer", "POST", base+"/coordination", map[string]any{"outcome": "failed", "opinion": "双方分歧在系统改造成本",
			"referral": "报浙江省人民政府决定", "version": d.Version})
		if res.status != 200 {
			t.Fatalf("coordinate: %d %s", res.status, res.body)
		}
		res.json(t, &d)
		if d.State != dispute.Referred || todoKind("zj.reviewer", d.ID) != dispute.TodoDecision {
			t.Errorf("after coordination: %s", d.State)
		}
		today := calendar.DateOf(e.clock.Now()).String()
		refused(e.do("zj.reviewer", "POST", base+"/decision", map[string]any{"text": "按日更新", "document_number": "浙政办函〔2026〕9号",
			"decided_on": "27/11/2026", "version": d.Version}), 422, "dispute.date_invalid", "decided_on")
		res = e.do("zj.reviewer", "POST", base+"/decision", map[string]any{"text": "按日更新", "document_number": "浙政办函〔2026〕9号",
			"decided_on": today, "version": d.Version})
		if res.status != 200 {
			t.Fatalf("decide: %d %s", res.status, res.body)
		}
		valid("Dispute", res.body)
		res.json(t, &d)
		refused(e.do("gat.staff", "POST", base+"/coordination-request", map[string]any{"text": "不服", "version": d.Version}),
			409, "dispute.no_further_stage", "")
		if todoKind("zj.reviewer", d.ID) != "" {
			t.Error("a decided dispute is still on the to-do list")
		}
		res = e.do("scjg.head", "GET", base+"/events", nil)
		valid("EventPage", res.body)
		var evs struct{ Items []struct{ Action string } }
		res.json(t, &evs)
		if len(evs.Items) != 5 || evs.Items[1].Action != dispute.ActionPropose || evs.Items[4].Action != dispute.ActionDecide {
			t.Errorf("events %+v", evs.Items)
		}
	})
}
