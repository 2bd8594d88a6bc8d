package httpapi_test

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// The correction routes end to end (Art. 26): a request filed by the
// consumer, refused with the bad field named, on the provider's to-do list,
// answered once (an entry not hosted on the platform: corrected with a
// note), a second answer refused; the usage status and the rules written
// and read. Every answer matches its OpenAPI schema.
func TestCorrectionsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := newAppFixture(e)
		schema := oaSchemas(t)
		valid := func(name string, res response, status int) {
			t.Helper()
			if res.status != status {
				t.Fatalf("status %d, want %d: %s", res.status, status, res.body)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.body))
			if err != nil {
				t.Fatalf("not JSON: %s", res.body)
			}
			if err := schema(name).Validate(v); err != nil {
				t.Errorf("answer does not match %s: %v\n%s", name, err, res.body)
			}
		}
		g := f.approvedGrant() // scjg consumes gat's data
		in := correctionInput(g)
		in["items"] = []string{"户籍地址"} // an item of the entry, not granted
		res := e.do("scjg.staff", "POST", "/api/v1/corrections", in)
		valid("Problem", res, 422)
		if p := res.problem(t); p.Code != "correction.item_not_granted" || p.Field != "items[0]" {
			t.Fatalf("not granted item: %+v", p)
		}
		res = e.do("scjg.staff", "POST", "/api/v1/corrections", correctionInput(g))
		valid("Correction", res, 201)
		var r correction.Request
		res.json(t, &r)
		if r.State != correction.Open || r.Deadline == nil || r.Deadline.Days != correction.AnswerDays || r.Deadline.Rule == "" {
			t.Fatalf("filed: %+v", r)
		}
		valid("Correction", e.do("gat.staff", "GET", "/api/v1/corrections/"+r.ID, nil), 200)
		res = e.do("gat.staff", "GET", "/api/v1/corrections?role=provider&state=open", nil)
		valid("CorrectionPage", res, 200)
		if !bytes.Contains(res.body, []byte(r.ID)) {
			t.Fatal("the provider's open requests do not list the request")
		}
		res = e.do("gat.staff", "GET", "/api/v1/todo", nil)
		var page struct{ Items []todo.Item }
		res.json(t, &page)
		found := false
		for _, it := range page.Items {
			found = found || (it.Kind == correction.TodoAnswer && it.ObjectID == r.ID && it.WorkingDaysLeft != nil && *it.WorkingDaysLeft == correction.AnswerDays)
		}
		if !found {
			t.Fatalf("the provider's to-do lacks the request: %s", res.body)
		}
		res = e.do("gat.staff", "POST", "/api/v1/corrections/"+r.ID+"/answer", map[string]any{"outcome": "corrected",
			"rows": []string{"公民身份号码 330106199001011234"}, "items": []string{"姓名"}, "version": r.Version})
		valid("Problem", res, 422)
		if p := res.problem(t); p.Field != "note" {
			t.Fatalf("an answer on an entry not hosted without a note: %+v", p)
		}
		res = e.do("gat.staff", "POST", "/api/v1/corrections/"+r.ID+"/answer", map[string]any{"outcome": "corrected",
			"rows": []string{"公民身份号码 330106199001011234"}, "items": []string{"姓名"}, "note": "已在人口信息系统中更正，次日同步", "version": r.Version})
		valid("Correction", res, 200)
		res = e.do("gat.head", "POST", "/api/v1/corrections/"+r.ID+"/answer", map[string]any{"outcome": "not_corrected",
			"reasons": []string{"重复"}, "version": r.Version + 1})
		valid("Problem", res, 409)
		if p := res.problem(t); p.Code != "correction.already_answered" {
			t.Fatalf("second answer: %+v", p)
		}

		res = e.do("scjg.staff", "POST", "/api/v1/grants/"+g.ID+"/usage-status", map[string]any{"status": "doubtful", "note": "姓名存疑", "version": 0})
		valid("UsageStatus", res, 201)
		valid("UsageStatusHistory", e.do("gat.head", "GET", "/api/v1/grants/"+g.ID+"/usage-status", nil), 200)
		res = e.do("scjg.staff", "POST", "/api/v1/grants/"+g.ID+"/usage-status", map[string]any{"status": "in_use", "version": 0})
		valid("Problem", res, 409)

		gat := e.p.Departments["浙江省公安厅"].ID
		res = e.do("gat.head", "POST", "/api/v1/departments/"+gat+"/correction-rules", map[string]any{"rules": "十个工作日内核实反馈",
			"contact": "科技信息化处", "phone": "0571-87280000", "url": "ftp://x", "version": 0})
		valid("Problem", res, 422)
		if p := res.problem(t); p.Field != "url" {
			t.Fatalf("bad url: %+v", p)
		}
		res = e.do("gat.head", "POST", "/api/v1/departments/"+gat+"/correction-rules", map[string]any{"rules": "十个工作日内核实反馈",
			"contact": "科技信息化处", "phone": "0571-87280000", "version": 0})
		valid("CorrectionRules", res, 201)
		valid("CorrectionRulesPage", e.do("hzga.staff", "GET", "/api/v1/departments/"+gat+"/correction-rules", nil), 200)
		valid("CorrectionRulesPage", e.do("hzga.staff", "GET", "/api/v1/correction-rules", nil), 200)
	})
}
