package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/catalog"
	catalogxlsx "github.com/govshare/govshare/internal/catalog/xlsx"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// xlsxOf writes drafts as a workbook in the import layout.
func xlsxOf(t *testing.T, drafts ...catalog.Draft) []byte {
	t.Helper()
	w, err := catalogxlsx.NewWriter()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range drafts {
		if err := w.Add(catalogxlsx.Row{Draft: d}); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := w.Finish(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a body to the import route with the given content type.
func (e *env) upload(who, contentType string, body []byte) response {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/catalog/import", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.token(who))
	}
	return e.send(req)
}

func (e *env) gatEntries() int {
	e.t.Helper()
	var n int
	err := e.app.Store.Read(context.Background(), func(tx *store.Tx) error {
		ws, err := tx.WorkingEntries(context.Background(), catalog.WorkFilter{ProviderID: e.p.Departments["浙江省公安厅"].ID, Limit: 500})
		n = len(ws)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestCatalogXLSXOverHTTP: export, a refused import listing every bad cell,
// the refusals of the file itself, and a clean import.
func TestCatalogXLSXOverHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := &catalogFixture{e: e}

		res := e.do("hzga.staff", "GET", "/api/v1/catalog/export.xlsx?attribute=conditional", nil)
		if res.status != 200 || res.header.Get("Content-Type") != catalogxlsx.ContentType ||
			!strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %v", res.status, res.header)
		}
		file, err := catalogxlsx.Parse(res.body)
		if err != nil || len(file.Groups) == 0 {
			t.Fatalf("export does not parse: %v", err)
		}
		for _, g := range file.Groups {
			if g.Draft.SharingAttribute != catalog.Conditional {
				t.Errorf("%s: %s in a conditional-only export", g.Key, g.Draft.SharingAttribute)
			}
		}
		if res := e.do("gat.staff", "GET", "/api/v1/catalog/export.xlsx?scope=own", nil); res.status != 200 {
			t.Errorf("own export: %d %s", res.status, res.body)
		}
		if res := e.do("gat.staff", "GET", "/api/v1/catalog/export.xlsx?grade=none", nil); res.status != 422 || res.problem(t).Field != "grade" {
			t.Errorf("bad filter: %d %s", res.status, res.body)
		}
		if res := e.do("zj.reviewer", "GET", "/api/v1/catalog/export.xlsx?scope=own", nil); res.status != 403 {
			t.Errorf("reviewer's own export: %d", res.status)
		}

		// Two entries, three bad cells: nothing imported, each cell named.
		before, events := e.gatEntries(), e.eventCount()
		ok := f.draftBody("导入一")
		bad := f.draftBody("导入二")
		bad.Items = append([]catalog.Item(nil), bad.Items...)
		bad.Items[1].DataType, bad.Items[1].Grade = "X", "L9"
		bad.UpdateFrequency = "hourly"
		res = e.upload("gat.staff", catalogxlsx.ContentType, xlsxOf(t, ok, bad))
		if res.status != 422 {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		schema := oaSchemas(t)
		matches := func(res response, name string) {
			t.Helper()
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema(name).Validate(v); err != nil {
				t.Errorf("answer does not match %s: %v\n%s", name, err, res.body)
			}
		}
		matches(res, "CatalogImportProblem")
		var p struct {
			Code   string
			Status int
			Errors []catalogxlsx.CellError
		}
		res.json(t, &p)
		if res.header.Get("Content-Type") != "application/problem+json" || p.Code != "catalog.import_invalid" || p.Status != 422 {
			t.Errorf("problem %s", res.body)
		}
		var got []string
		for _, c := range p.Errors {
			got = append(got, fmt.Sprintf("%s!%s%d %s", c.Sheet, c.Column, c.Row, c.Field))
		}
		want := "信息资源目录!G4 update_frequency|信息资源目录!T5 items[1].data_type|信息资源目录!Y5 items[1].grade"
		if strings.Join(got, "|") != want {
			t.Errorf("errors %v, want %s", got, want)
		}
		if e.gatEntries() != before || e.eventCount() != events {
			t.Error("a refused import changed something")
		}

		// The file itself refused.
		for name, c := range map[string]struct {
			ct     string
			body   []byte
			status int
			code   string
		}{
			"json":      {"application/json", []byte(`{}`), 415, "request.media_type"},
			"csv body":  {catalogxlsx.ContentType, []byte("资源代码,名称\n"), 415, "catalog.import_not_xlsx"},
			"too large": {catalogxlsx.ContentType, make([]byte, catalogxlsx.MaxFileBytes+1), 413, "catalog.import_too_large"},
			"empty":     {catalogxlsx.ContentType, nil, 400, "request.body_required"},
		} {
			res := e.upload("gat.staff", c.ct, c.body)
			if res.status != c.status || res.problem(t).Code != c.code {
				t.Errorf("%s: %d %s", name, res.status, res.body)
			}
		}
		if res := e.upload("ops", catalogxlsx.ContentType, xlsxOf(t, ok)); res.status != 403 {
			t.Errorf("contractor import: %d", res.status)
		}

		// Clean: created as drafts of the importer's department.
		res = e.upload("gat.staff", catalogxlsx.ContentType, xlsxOf(t, ok, f.draftBody("导入三")))
		if res.status != 201 {
			t.Fatalf("import: %d %s", res.status, res.body)
		}
		matches(res, "CatalogImportReport")
		var rep catalogxlsx.Report
		res.json(t, &rep)
		if rep.Created != 2 || e.gatEntries() != before+2 || rep.Entries[0].Row != 2 || rep.Entries[1].Row != 4 {
			t.Errorf("report %s", res.body)
		}
		en, err := e.app.Catalog.Get(context.Background(), f.as("gat.staff"), rep.Entries[0].ID)
		if err != nil || en.State != catalog.Drafted || en.Name != "导入一" {
			t.Errorf("imported %+v %v", en, err)
		}
		if b, _ := json.Marshal(en.Items); !strings.Contains(string(b), "居民身份证号码") {
			t.Errorf("items %s", b)
		}
	})
}

// catalogXLSXWalkCases are the authorisation walk's cases for the
// spreadsheet routes. The walk sends bodies as application/json, so the
// sharing offices, who pass the rights check, are refused the media type
// (415); everyone else is refused (403) before the body is read.
func catalogXLSXWalkCases(e *env) map[string]walkCase {
	f := &catalogFixture{e: e}
	file := xlsxOf(e.t, f.draftBody("走查导入"))
	return map[string]walkCase{
		"GET /api/v1/catalog/export.xlsx": {build: fixed("GET", "/api/v1/catalog/export.xlsx?q=身份证", nil), want: only(403, "ops"), dflt: 200,
			comment: "the published catalog: every reader; the contractor reads nothing (Art. 36)"},
		"POST /api/v1/catalog/import": {build: fixed("POST", "/api/v1/catalog/import", file),
			want: only(415, "gat.head", "gat.staff", "hzga.head", "hzga.staff"), dflt: 403,
			comment: "a sharing office imports for its own department only; the walk's JSON content type is refused after the rights check"},
	}
}
