package httpapi_test

import (
	"encoding/json"
	"testing"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Bad catalog input gets a 400 or 422 naming the field, and writes nothing.
func TestCatalogBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := &catalogFixture{e: e}
		draft := f.draft()
		sub := f.submitted()
		valid := func(edit func(m map[string]any)) map[string]any {
			b, _ := json.Marshal(f.draftBody("坏输入"))
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			edit(m)
			return m
		}
		item := func(m map[string]any, i int) map[string]any { return m["items"].([]any)[i].(map[string]any) }
		entries := "/api/v1/catalog/entries"
		cases := []struct {
			name, who, method, path string
			body                    any
			status                  int
			code, field             string
		}{
			{"malformed JSON", "gat.staff", "POST", entries, `{"name": "x",`, 400, "request.malformed_json", ""},
			{"unknown field", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["grade"] = "core" }), 400, "request.unknown_field", "grade"},
			{"provider from the request", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["provider_id"] = "x" }), 400, "request.unknown_field", "provider_id"},
			{"wrong type", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["name"] = 7 }), 400, "request.wrong_type", "name"},
			{"missing name", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["name"] = "" }), 422, "catalog.name_required", "name"},
			{"bad data type", "gat.staff", "POST", entries, valid(func(m map[string]any) { item(m, 1)["data_type"] = "Z" }), 422, "catalog.data_type_invalid", "items[1].data_type"},
			{"secret data", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["secrecy"] = "work_secret" }), 422, "catalog.secret_data", "secrecy"},
			{"conditional without scope", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["sharing_attribute"] = "conditional" }), 422, "catalog.scope_required", "usage_conditions.scope"},
			{"not shareable without basis", "gat.staff", "POST", entries, valid(func(m map[string]any) {
				m["sharing_attribute"], m["delivery_methods"] = "not_shareable", []string{}
			}), 422, "catalog.reason_required", "not_shareable.reason"},
			{"resource code taken", "gat.staff", "POST", entries, valid(func(m map[string]any) { m["resource_code"] = draft.ResourceCode }), 409, "catalog.resource_code_taken", "resource_code"},
			{"update without version", "gat.staff", "PUT", entries + "/" + draft.ID, valid(func(m map[string]any) {}), 422, "catalog.version_required", "version"},
			{"future assessment", "gat.staff", "PUT", entries + "/" + draft.ID + "/assessments", map[string]any{"version": draft.Version,
				"secrecy": map[string]any{"conclusion": "passed", "assessed_on": "2030-01-01", "assessor": "x", "summary": "y"}}, 422, "catalog.assessed_on_future", "secrecy.assessed_on"},
			{"bad assessment date", "gat.staff", "PUT", entries + "/" + draft.ID + "/assessments", `{"version":1,"secrecy":{"conclusion":"passed","assessed_on":"2026-02-30","assessor":"x","summary":"y"}}`, 400, "request.malformed_json", ""},
			{"submit without assessments", "gat.head", "POST", entries + "/" + draft.ID + "/submit", map[string]any{"version": draft.Version}, 422, "catalog.assessment_missing", "assessments.secrecy"},
			{"return without reasons", "zj.reviewer", "POST", entries + "/" + sub.ID + "/return", map[string]any{"version": sub.Version}, 422, "catalog.reasons_required", "reasons"},
			{"publish a stale version", "zj.reviewer", "POST", entries + "/" + sub.ID + "/publish", map[string]any{"version": sub.Version - 1}, 409, "conflict.version", ""},
			{"publish a draft", "zj.reviewer", "POST", entries + "/" + draft.ID + "/publish", map[string]any{"version": draft.Version}, 404, "catalog.entry_not_found", ""},
			{"bad version number", "gat.staff", "GET", entries + "/" + draft.ID + "/versions/x", nil, 400, "request.bad_parameter", "n"},
			{"bad search grade", "gat.staff", "GET", entries + "?grade=secret", nil, 422, "catalog.grade_invalid", "grade"},
			{"bad search limit", "gat.staff", "GET", entries + "?limit=0", nil, 400, "request.bad_parameter", "limit"},
			{"change in the future", "gat.staff", "POST", entries + "/" + draft.ID + "/changes", map[string]any{"changed_on": "2030-01-01", "kind": "law", "description": "x"}, 422, "catalog.changed_on_future", "changed_on"},
			{"decision without grant", "zj.reviewer", "POST", "/api/v1/catalog/obligations/x/extension/decision", map[string]any{"version": 1}, 400, "request.field_required", "grant"},
			{"designation of nobody", "zj.reviewer", "POST", "/api/v1/catalog/source-designations", map[string]any{"data_name": "姓名", "source_department_id": "nope"}, 422, "catalog.department_unknown", "source_department_id"},
		}
		for _, c := range cases {
			e.token(c.who) // issuing the token is an act of its own
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := e.eventCount()
				res := e.do(c.who, c.method, c.path, c.body)
				if res.status != c.status {
					t.Fatalf("status %d, want %d: %s", res.status, c.status, res.body)
				}
				if p := res.problem(t); p.Code != c.code || p.Field != c.field || p.Title == "" {
					t.Errorf("code %q field %q, want %q %q (%s)", p.Code, p.Field, c.code, c.field, p.Detail)
				}
				if after := e.eventCount(); after != before {
					t.Errorf("a refused request wrote %d event(s)", after-before)
				}
			})
		}
	})
}
