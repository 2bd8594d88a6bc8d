package httpapi_test

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// A whole application through the API, every answer validated against the
// OpenAPI schema; bad input is refused with the field named and writes nothing.
func TestApplicationThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := newAppFixture(e)
		schema := oaSchemas(t)
		valid := func(res response, status int, name string) map[string]any {
			t.Helper()
			if res.status != status {
				t.Fatalf("status %d, want %d: %s", res.status, status, res.body)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema(name).Validate(v); err != nil {
				t.Fatalf("response does not match %s: %v\n%s", name, err, res.body)
			}
			m, _ := v.(map[string]any)
			return m
		}
		a := valid(e.do("scjg.staff", "POST", "/api/v1/applications", appForm(f.gatEntry)), 201, "Application")
		id := a["id"].(string)
		a = valid(e.do("scjg.head", "POST", "/api/v1/applications/"+id+"/approve", map[string]any{"version": a["version"]}), 200, "Application")
		a = valid(e.do("gat.staff", "POST", "/api/v1/applications/"+id+"/supplement-request",
			map[string]any{"missing": []map[string]string{{"item": "使用依据", "what": "批准文件文号"}}, "version": a["version"]}), 200, "Application")
		a = valid(e.do("scjg.head", "POST", "/api/v1/applications/"+id+"/resubmit", map[string]any{"answers": []string{"浙政办发〔2026〕1号"}, "version": a["version"]}), 200, "Application")
		a = valid(e.do("gat.staff", "POST", "/api/v1/applications/"+id+"/extension", map[string]any{"days": 10, "reason": "会商", "version": a["version"]}), 200, "Application")
		a = valid(e.do("zj.reviewer", "POST", "/api/v1/applications/"+id+"/extension/decision", map[string]any{"decision": "grant", "version": a["version"]}), 200, "Application")
		a = valid(e.do("gat.head", "POST", "/api/v1/applications/"+id+"/reply", map[string]any{"decision": "approve", "version": a["version"]}), 200, "Application")
		if a["state"] != "approved" {
			t.Fatalf("state %v", a["state"])
		}
		valid(e.do("scjg.staff", "GET", "/api/v1/applications/"+id, nil), 200, "Application")
		valid(e.do("gat.head", "GET", "/api/v1/applications?role=provider&state=approved&limit=5", nil), 200, "ApplicationPage")
		// Replying twice: 409 naming the state.
		res := e.do("gat.head", "POST", "/api/v1/applications/"+id+"/reply", map[string]any{"decision": "approve", "version": a["version"]})
		if p := res.problem(t); res.status != 409 || p.Code != "application.wrong_state" {
			t.Fatalf("second reply: %d %s", res.status, res.body)
		}

		sent := f.sent("scjg", f.gatEntry)
		cases := []struct {
			name, who, path string
			body            any
			status          int
			code, field     string
		}{
			{"unknown field", "scjg.staff", "/api/v1/applications", `{"entry_id":"x","consumer_id":"someone-else"}`, 400, "request.unknown_field", "consumer_id"},
			{"wrong type", "scjg.staff", "/api/v1/applications", `{"entry_id":"x","items":"姓名"}`, 400, "request.wrong_type", "items"},
			{"wrong nested type", "scjg.staff", "/api/v1/applications", `{"entry_id":"x","time_limit":{"months":"12"}}`, 400, "request.wrong_type", "time_limit.months"},
			{"malformed", "scjg.staff", "/api/v1/applications", `{"entry_id":`, 400, "request.malformed_json", ""},
			{"unknown item", "scjg.staff", "/api/v1/applications", func() any { m := appForm(f.gatEntry); m["items"] = []string{"姓名", "存款"}; return m }(), 422, "application.item_unknown", "items[1]"},
			{"missing scope", "scjg.staff", "/api/v1/applications", func() any { m := appForm(f.gatEntry); delete(m, "scope"); return m }(), 422, "application.required", "scope"},
			{"unpublished entry", "scjg.staff", "/api/v1/applications", appForm("no-such-entry"), 404, "application.entry_not_found", "entry_id"},
			{"refusal without reasons", "gat.head", "/api/v1/applications/" + sent.ID + "/reply", map[string]any{"decision": "refuse", "reason_category": "other", "version": sent.Version}, 422, "application.reasons_required", "reasons"},
			{"refusal for incompleteness", "gat.head", "/api/v1/applications/" + sent.ID + "/reply", map[string]any{"decision": "refuse", "reasons": []string{"材料不全"}, "reason_category": "materials_incomplete", "version": sent.Version}, 422, "application.use_supplement_request", "reason_category"},
			{"extension too long", "gat.staff", "/api/v1/applications/" + sent.ID + "/extension", map[string]any{"days": 11, "reason": "x", "version": sent.Version}, 422, "application.extension_days", "days"},
			{"stale version", "gat.head", "/api/v1/applications/" + sent.ID + "/reply", map[string]any{"decision": "approve", "version": sent.Version - 1}, 409, "conflict.version", ""},
			{"bad role filter", "gat.head", "/api/v1/applications?role=owner", nil, 422, "application.role_invalid", "role"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := e.eventCount()
				var res response
				if c.body == nil {
					res = e.do(c.who, "GET", c.path, nil)
				} else {
					res = e.do(c.who, "POST", c.path, c.body)
				}
				if res.status != c.status {
					t.Fatalf("status %d, want %d: %s", res.status, c.status, res.body)
				}
				if p := res.problem(t); p.Code != c.code || p.Field != c.field {
					t.Errorf("code %q field %q, want %q %q", p.Code, p.Field, c.code, c.field)
				}
				if after := e.eventCount(); after != before {
					t.Errorf("a refused request wrote %d event(s)", after-before)
				}
			})
		}
	})
}
