package httpapi_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
	"github.com/govshare/govshare/internal/usagerecord"
)

// The usage-record routes end to end: a record written and revised, read by
// the provider, refused deletion, on and off the to-do list, and exported;
// the answers match the OpenAPI schemas.
func TestUsageRecordsOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := newAppFixture(e)
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
		g := f.consumerGrant() // gat consumes scjg's data
		if err := s.Write(context.Background(), func(tx *store.Tx) error {
			return application.MarkDelivered(context.Background(), tx, g.ApplicationID, application.ServiceInterface, e.clock.Now())
		}); err != nil {
			t.Fatal(err)
		}
		todoHas := func(who string) bool {
			res := e.do(who, "GET", "/api/v1/todo", nil)
			var page struct{ Items []todo.Item }
			res.json(t, &page)
			for _, it := range page.Items {
				if it.Kind == usagerecord.TodoMissing && it.ObjectID == g.ID {
					return true
				}
			}
			return false
		}
		if !todoHas("gat.staff") {
			t.Error("the delivered grant is not on the consumer's to-do list")
		}
		res := e.do("gat.head", "GET", "/api/v1/usage-records/missing", nil)
		if res.status != 200 || !strings.Contains(string(res.body), g.ID) {
			t.Fatalf("missing: %d %s", res.status, res.body)
		}
		valid("MissingUsageRecordPage", res.body)

		// Bad input names the field.
		bad := usageInput(e)
		delete(bad, "storage")
		res = e.do("gat.staff", "POST", "/api/v1/grants/"+g.ID+"/usage-records", bad)
		if p := res.problem(t); res.status != 422 || p.Code != "usage_record.required" || p.Field != "storage" {
			t.Fatalf("bad input: %d %+v", res.status, p)
		}
		res = e.do("gat.staff", "POST", "/api/v1/grants/"+g.ID+"/usage-records", usageInput(e))
		if res.status != 201 {
			t.Fatalf("add: %d %s", res.status, res.body)
		}
		valid("UsageRecord", res.body)
		var rec usagerecord.Record
		res.json(t, &rec)
		rev := usageInput(e)
		rev["record_id"], rev["version"], rev["destruction"] = rec.ID, 1, "已删除"
		res = e.do("gat.head", "POST", "/api/v1/grants/"+g.ID+"/usage-records", rev)
		if res.status != 201 {
			t.Fatalf("revise: %d %s", res.status, res.body)
		}
		res = e.do("gat.head", "POST", "/api/v1/grants/"+g.ID+"/usage-records", rev)
		if p := res.problem(t); res.status != 409 || p.Code != "conflict.version" {
			t.Fatalf("stale revision: %d %+v", res.status, p)
		}
		if todoHas("gat.staff") {
			t.Error("a recorded grant is still on the to-do list")
		}

		// The provider reads, and the read is in the grant's events.
		res = e.do("scjg.head", "GET", "/api/v1/grants/"+g.ID+"/usage-records?limit=1", nil)
		if res.status != 200 {
			t.Fatalf("provider reads: %d %s", res.status, res.body)
		}
		valid("UsageRecordPage", res.body)
		var page struct {
			Items      []usagerecord.Record `json:"items"`
			NextCursor string               `json:"next_cursor"`
		}
		res.json(t, &page)
		if len(page.Items) != 1 || page.NextCursor == "" {
			t.Fatalf("first page %+v", page)
		}
		res = e.do("scjg.head", "GET", "/api/v1/grants/"+g.ID+"/usage-records?cursor="+page.NextCursor, nil)
		res.json(t, &page)
		if len(page.Items) != 1 || page.Items[0].Version != 2 || page.Items[0].Destruction != "已删除" {
			t.Fatalf("second page %+v", page)
		}
		if res := e.do("scjg.head", "GET", "/api/v1/grants/"+g.ID+"/usage-records?cursor=nonsense", nil); res.status != 400 || res.problem(t).Field != "cursor" {
			t.Errorf("bad cursor: %d %s", res.status, res.body)
		}
		res = e.do("gat.staff", "GET", "/api/v1/grants/"+g.ID+"/events", nil)
		if res.status != 200 {
			t.Fatalf("events: %d %s", res.status, res.body)
		}
		valid("EventPage", res.body)
		if n := strings.Count(string(res.body), `"action":"usage_record.read"`); n != 2 {
			t.Errorf("the consumer sees %d recorded reads, want 2: %s", n, res.body)
		}

		// Never deleted.
		res = e.do("gat.head", "DELETE", "/api/v1/usage-records/"+rec.ID, nil)
		if p := res.problem(t); res.status != 409 || p.Code != "retention.locked" || !strings.Contains(p.Detail, rec.RetainedUntil) {
			t.Fatalf("delete: %d %+v", res.status, p)
		}

		// Exported for an inspection, as CSV and as XLSX.
		gat := e.p.Departments["浙江省公安厅"].ID
		path := "/api/v1/inspections/export?what=records&department_id=" + gat + "&from=2026-11-01&to=2026-12-01"
		res = e.do("zj.reviewer", "GET", path, nil)
		if res.status != 200 || res.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(res.header.Get("Content-Disposition"), "govshare-usage-records-2026-11-01-2026-12-01.csv") {
			t.Fatalf("csv: %d %v %s", res.status, res.header, res.body)
		}
		body, ok := bytes.CutPrefix(res.body, []byte("\xEF\xBB\xBF"))
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if !ok || err != nil || len(rows) != 3 || rows[0][0] != "记录编号" || rows[2][8] != "已删除" {
			t.Fatalf("csv rows %q (%v)", rows, err)
		}
		res = e.do("audit", "GET", path+"&format=xlsx", nil)
		if res.status != 200 || res.header.Get("Content-Type") != usagerecord.ContentTypeXLSX {
			t.Fatalf("xlsx: %d %v", res.status, res.header)
		}
		x, err := excelize.OpenReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		xrows, err := x.GetRows(usagerecord.SheetRecords)
		if err != nil || len(xrows) != 3 || xrows[1][0] != rec.ID {
			t.Fatalf("xlsx rows %q (%v)", xrows, err)
		}
		res = e.do("audit", "GET", "/api/v1/inspections/export?what=records&department_id="+gat+"&from=2026-11-01&to=2026-11-31", nil)
		if p := res.problem(t); res.status != 422 || p.Field != "to" {
			t.Errorf("bad to: %d %+v", res.status, p)
		}
		var evs struct{ Items []json.RawMessage }
		e.do("admin", "GET", "/api/v1/events?action="+usagerecord.ActionExport, nil).json(t, &evs)
		if len(evs.Items) != 2 {
			t.Errorf("%d exports recorded, want 2", len(evs.Items))
		}
	})
}
