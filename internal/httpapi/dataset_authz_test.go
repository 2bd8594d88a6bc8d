package httpapi_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// datasetRow is one valid row of 常住人口基本信息 (gat's published entry):
// its key items are 居民身份证号码 and 姓名.
func datasetRow(id string) map[string]any {
	return map[string]any{"居民身份证号码": id, "姓名": "测试人员", "性别": "男", "出生日期": "1990-01-01"}
}

// datasetWalkCases are the authorisation walk's cases for the hosted dataset
// routes, on gat's published entry 常住人口基本信息: only gat's sharing
// office loads and deletes; it and platform admins read. Everyone else gets
// 403 on a published entry.
func datasetWalkCases(e *env) map[string]walkCase {
	id := e.p.Entries["常住人口基本信息"]
	base := "/api/v1/datasets/" + id
	office := only(200, "gat.head", "gat.staff")
	readers := only(200, "gat.head", "gat.staff", "admin")
	return map[string]walkCase{
		"GET /api/v1/datasets/{entry_id}": {build: fixed("GET", base, nil), want: readers, dflt: 403,
			comment: "the provider's sharing office and admins; consumers read through grants later"},
		"PUT /api/v1/datasets/{entry_id}/rows": {build: fixed("PUT", base+"/rows",
			map[string]any{"mode": "upsert", "rows": []any{datasetRow("330102199001011234")}}), want: office, dflt: 403,
			comment: "only the provider's sharing office loads"},
		"POST /api/v1/datasets/{entry_id}/uploads": {build: fixed("POST", base+"/uploads", map[string]any{"rows": []any{}}),
			want: only(415, "gat.head", "gat.staff"), dflt: 403,
			comment: "rights before the file is read: the walk sends JSON, so the office passes and gets 415; uploads are tested in TestDatasetUploadAPI"},
		"POST /api/v1/datasets/{entry_id}/deletions": {build: fixed("POST", base+"/deletions",
			map[string]any{"keys": []any{map[string]any{"居民身份证号码": "330102199001011234", "姓名": "测试人员"}}}), want: office, dflt: 403,
			comment: "only the provider's sharing office deletes"},
		"GET /api/v1/datasets/{entry_id}/changes": {build: fixed("GET", base+"/changes?after=0&limit=10", nil), want: readers, dflt: 403,
			comment: "the provider's sharing office and admins; consumers read through grants later"},
	}
}

// TestDatasetUploadAPI: a CSV upload loads; a bad cell answers 422 with its
// file row number (matching DatasetRowsProblem); a bad version and an
// unknown media type are refused.
func TestDatasetUploadAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		schema := oaSchemas(t)
		url := e.srv.URL + "/api/v1/datasets/" + e.p.Entries["常住人口基本信息"] + "/uploads"
		post := func(query, ct, body string) response {
			req, err := http.NewRequest("POST", url+query, bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+e.token("gat.staff"))
			return e.send(req)
		}
		res := post("?mode=replace&version=0", "text/csv; charset=utf-8", "居民身份证号码,姓名,性别\n330102199001011234,张三,男\n")
		if res.status != http.StatusOK {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		validate(t, schema("DatasetLoadResult"), res.body)
		res = post("", "text/csv", "居民身份证号码,姓名,出生日期\n330102199001015678,李四,明天\n")
		if res.status != http.StatusUnprocessableEntity || !bytes.Contains(res.body, []byte(`"row":2`)) {
			t.Fatalf("bad cell: %d %s", res.status, res.body)
		}
		validate(t, schema("DatasetRowsProblem"), res.body)
		if res := post("?version=0", "text/csv", "居民身份证号码,姓名\n330102199001015678,李四\n"); res.status != http.StatusConflict {
			t.Fatalf("stale version: %d %s", res.status, res.body)
		}
		if res := post("", "application/pdf", "%PDF-1.7"); res.status != http.StatusUnsupportedMediaType {
			t.Fatalf("pdf: %d %s", res.status, res.body)
		}
	})
}

// TestDatasetAPI: a load, the 422 with every bad value (matching
// DatasetRowsProblem), the feed.
func TestDatasetAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		schema := oaSchemas(t)
		base := "/api/v1/datasets/" + e.p.Entries["常住人口基本信息"]
		res := e.do("gat.staff", "PUT", base+"/rows", map[string]any{"mode": "upsert", "rows": []any{datasetRow("330102199001011234"), datasetRow("330102199001015678")}})
		if res.status != http.StatusOK {
			t.Fatalf("load: %d %s", res.status, res.body)
		}
		validate(t, schema("DatasetLoadResult"), res.body)

		bad := e.do("gat.staff", "PUT", base+"/rows", map[string]any{"mode": "upsert", "rows": []any{
			datasetRow("330102199001019999"),
			map[string]any{"居民身份证号码": "330102199001019998", "姓名": "张三", "出生日期": "1990/01/01", "血型": "A"},
			map[string]any{"居民身份证号码": 330102, "姓名": "张三"},
		}})
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad load: %d %s", bad.status, bad.body)
		}
		validate(t, schema("DatasetRowsProblem"), bad.body)
		validate(t, schema("Problem"), bad.body)
		var p struct {
			Errors []struct {
				Index int
				Item  string
				Code  string
			}
		}
		bad.json(t, &p)
		if len(p.Errors) != 3 {
			t.Fatalf("errors %+v, want 3", p.Errors)
		}

		res = e.do("admin", "GET", base+"/changes?after=0&limit=10", nil)
		if res.status != http.StatusOK {
			t.Fatalf("changes: %d %s", res.status, res.body)
		}
		validate(t, schema("DatasetChangePage"), res.body)
		res = e.do("gat.head", "GET", base, nil)
		validate(t, schema("Dataset"), res.body)
		var d struct {
			Version    int64 `json:"version"`
			LastChange int64 `json:"last_change"`
		}
		res.json(t, &d)
		if d.Version != 1 || d.LastChange != 2 {
			t.Errorf("dataset %+v after one good load of 2 rows and one refused", d)
		}
	})
}

func validate(t *testing.T, s *jsonschema.Schema, body []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("does not match the schema: %v\n%s", err, body)
	}
}
