package httpapi_test

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/storetest"
)

// TestCatalogResponsesMatchSchemas validates live answers of the catalog
// routes against the schemas openapi/catalog.json gives for them.
func TestCatalogResponsesMatchSchemas(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	schema := oaSchemas(t)
	f := &catalogFixture{e: e}
	pub := f.published()
	o := f.obligation(pub.ID)
	entries := "/api/v1/catalog/entries"
	cases := []struct {
		name, who, method, path string
		body                    any
		status                  int
		schema                  string
	}{
		{"search", "hzga.staff", "GET", entries + "?q=身份证&limit=5", nil, 200, "CatalogSearchPage"},
		{"create", "gat.staff", "POST", entries, f.draftBody("模式校验"), 201, "CatalogEntry"},
		{"get published", "hzga.staff", "GET", entries + "/" + pub.ID, nil, 200, "CatalogEntry"},
		{"get with review", "gat.head", "GET", entries + "/" + f.submitted().ID, nil, 200, "CatalogEntry"},
		{"versions", "audit", "GET", entries + "/" + pub.ID + "/versions", nil, 200, "CatalogVersionList"},
		{"version", "audit", "GET", entries + "/" + pub.ID + "/versions/1", nil, 200, "CatalogVersion"},
		{"obligations", "gat.head", "GET", entries + "/" + pub.ID + "/changes", nil, 200, "UpdateObligationList"},
		{"extension", "gat.head", "POST", "/api/v1/catalog/obligations/" + o.ID + "/extension", map[string]any{"reason": "系统改造", "version": o.Version}, 200, "UpdateObligation"},
		{"obligation", "zj.reviewer", "GET", "/api/v1/catalog/obligations/" + o.ID, nil, 200, "UpdateObligation"},
		{"obligation hidden", "hzga.staff", "GET", "/api/v1/catalog/obligations/" + o.ID, nil, 404, "Problem"},
		{"designations", "gat.staff", "GET", "/api/v1/catalog/source-designations", nil, 200, "SourceDesignationPage"},
		{"designate", "zj.reviewer", "POST", "/api/v1/catalog/source-designations", map[string]any{"data_name": "姓名", "source_department_id": e.p.Departments["浙江省公安厅"].ID}, 201, "SourceDesignation"},
		{"refused", "gat.staff", "POST", entries + "/" + pub.ID + "/publish", map[string]any{"version": pub.Version}, 403, "Problem"},
		{"invalid", "gat.staff", "POST", entries, map[string]any{"name": ""}, 422, "Problem"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := e.do(c.who, c.method, c.path, c.body)
			if res.status != c.status {
				t.Fatalf("status %d, want %d: %s", res.status, c.status, res.body)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema(c.schema).Validate(v); err != nil {
				t.Errorf("answer does not match %s: %v\n%s", c.schema, err, res.body)
			}
		})
	}
}
