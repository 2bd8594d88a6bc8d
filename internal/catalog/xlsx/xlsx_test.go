package catalogxlsx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/catalog"
	catalogxlsx "github.com/govshare/govshare/internal/catalog/xlsx"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

type fixture struct {
	t   *testing.T
	s   *store.Store
	app *app.App
	p   *demo.Province
	x   *catalogxlsx.Service
}

func newFixture(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	p, err := demo.Load(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	x := catalogxlsx.NewService(a.Catalog, store.Adapt[catalog.Tx](s.Write), store.Adapt[catalog.Tx](s.Read), a.Calendar, a.Now)
	return &fixture{t: t, s: s, app: a, p: p, x: x}
}

// bare is a platform with only 浙江省公安厅 and an office staff account of it.
func bare(t *testing.T, s *store.Store) (*fixture, access.Actor, string) {
	t.Helper()
	ctx := context.Background()
	a := app.New(s, demo.ReferenceClock, auth.DefaultPolicy)
	op := access.Operator("test")
	for _, d := range []org.Division{{Code: org.NationalCode, Name: "全国", Level: org.National},
		{Code: "330000", Name: "浙江省", Level: org.Provincial, ParentCode: org.NationalCode}} {
		if _, err := a.Org.CreateDivision(ctx, op, d); err != nil {
			t.Fatal(err)
		}
	}
	d, err := a.Org.CreateDepartment(ctx, op, org.Department{Name: "浙江省公安厅", DivisionCode: "330000", Kind: org.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Org.CreatePerson(ctx, op, org.NewPerson{Username: "staff", DisplayName: "经办", DepartmentID: d.ID,
		Roles: []access.Role{access.OfficeStaff}, Password: "a-fine-password"})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, s: s, app: a, x: catalogxlsx.NewService(a.Catalog, store.Adapt[catalog.Tx](s.Write), store.Adapt[catalog.Tx](s.Read), a.Calendar, a.Now)}
	var actor *access.Actor
	if err := s.Read(ctx, func(tx *store.Tx) (err error) { actor, err = tx.Actor(ctx, p.ID); return err }); err != nil || actor == nil {
		t.Fatal(err)
	}
	return f, *actor, d.ID
}

// another opens a second, fresh store of the same engine.
func another(t *testing.T, s *store.Store) *store.Store {
	if s.Engine() == store.Postgres {
		return storetest.Postgres(t)
	}
	return storetest.SQLite(t)
}

func (f *fixture) as(username string) access.Actor {
	f.t.Helper()
	var a *access.Actor
	err := f.s.Read(context.Background(), func(tx *store.Tx) (err error) {
		a, err = tx.Actor(context.Background(), f.p.Account(username).ID)
		return err
	})
	if err != nil || a == nil {
		f.t.Fatalf("actor %s: %v", username, err)
	}
	return *a
}

func (f *fixture) export(who string, scope catalogxlsx.Scope, q catalog.Query) []byte {
	f.t.Helper()
	x, err := f.x.PrepareExport(context.Background(), f.as(who), scope, q)
	if err != nil {
		f.t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(context.Background(), &b); err != nil {
		f.t.Fatal(err)
	}
	return b.Bytes()
}

// working returns the drafts of a department's entries, by resource code.
func (f *fixture) working(dept string) map[string]catalog.Draft {
	f.t.Helper()
	out := map[string]catalog.Draft{}
	err := f.s.Read(context.Background(), func(tx *store.Tx) error {
		ws, err := tx.WorkingEntries(context.Background(), catalog.WorkFilter{ProviderID: f.p.Departments[dept].ID, Limit: 500})
		if err != nil {
			return err
		}
		for _, w := range ws {
			v, err := tx.CatalogVersion(context.Background(), w.Head.ID, w.Head.WorkingVersion)
			if err != nil {
				return err
			}
			out[v.ResourceCode] = v.Draft
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func drafts(t *testing.T, file *catalogxlsx.File) map[string]catalog.Draft {
	out := map[string]catalog.Draft{}
	for _, g := range file.Groups {
		out[g.Key] = g.Draft
	}
	return out
}

func sameDrafts(t *testing.T, got, want map[string]catalog.Draft) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d entries, want %d", len(got), len(want))
	}
	for code, w := range want {
		if g, ok := got[code]; !ok {
			t.Errorf("%s missing", code)
		} else if jsonOf(g) != jsonOf(w) {
			t.Errorf("%s differs:\n got  %s\n want %s", code, jsonOf(g), jsonOf(w))
		}
	}
}

// TestRoundTrip: a department's export, imported into another platform,
// gives the same drafts; so does the published catalog's.
func TestRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		// A not-shareable entry and a conditional one with every optional field.
		cond := catalog.Draft{Name: "社会救助对象信息", Abstract: "最低生活保障、特困人员信息", ResourceCode: "203004123/000077",
			Classification: catalog.Classification{Class: "2", Item: "03", Category: "004", SubCategory: "123"},
			Items: []catalog.Item{{Name: "居民身份证号码", DataType: "C", Length: 18, IsKey: true, Required: true, Description: "18 位", Grade: catalog.GeneralL4},
				{Name: "救助金额", DataType: "Y", Length: 12, Grade: catalog.GeneralL3}, {Name: "认定日期", DataType: "D", Grade: catalog.GeneralL2}},
			DataFormat: catalog.DataFormat{Class: "spreadsheet", Type: "XLSX"}, UpdateFrequency: "monthly", SharingAttribute: catalog.Conditional,
			DeliveryMethods: []catalog.Method{catalog.BatchExchange, catalog.FileDownload}, UsageConditions: &catalog.UsageConditions{Scope: "民政、医保部门", PermittedUses: "救助资格复核"},
			OpenAttribute: "conditional_open", OpenCondition: "脱敏后按申请开放"}
		if _, err := f.app.Catalog.Create(ctx, f.as("gat.staff"), cond); err != nil {
			t.Fatal(err)
		}
		own := f.working("浙江省公安厅")
		if len(own) < 5 {
			t.Fatalf("only %d entries of gat", len(own))
		}
		data := f.export("gat.staff", catalogxlsx.Own, catalog.Query{})
		file, err := catalogxlsx.Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		file.Check()
		if len(file.Errors) > 0 {
			t.Fatalf("export does not read back: %v", file.Errors)
		}
		sameDrafts(t, drafts(t, file), own)

		// Into another platform, where only the department exists: the same
		// drafts, created for the importer.
		g, staff, dept := bare(t, another(t, s))
		rep, err := g.x.Import(ctx, staff, data)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != len(own) || len(rep.Entries) != len(own) {
			t.Fatalf("created %d, want %d", rep.Created, len(own))
		}
		imported := map[string]catalog.Draft{}
		for _, e := range rep.Entries {
			en, err := g.app.Catalog.Get(ctx, staff, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if en.State != catalog.Drafted || en.ProviderID != dept {
				t.Errorf("%s: state %s, provider %s", en.ResourceCode, en.State, en.ProviderID)
			}
			imported[en.ResourceCode] = en.Draft
		}
		sameDrafts(t, imported, own)

		// The published catalog, filtered, as another department reads it.
		gat := f.p.Departments["浙江省公安厅"].ID
		pub := f.export("hzga.staff", catalogxlsx.Published, catalog.Query{ProviderID: gat})
		file, err = catalogxlsx.Parse(pub)
		if err != nil {
			t.Fatal(err)
		}
		page, err := f.app.Catalog.Search(ctx, f.as("hzga.staff"), catalog.Query{ProviderID: gat, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]catalog.Draft{}
		for _, sm := range page.Items {
			v, err := f.app.Catalog.Version(ctx, f.as("hzga.staff"), sm.ID, sm.PublishedVersion)
			if err != nil {
				t.Fatal(err)
			}
			want[v.ResourceCode] = v.Draft
		}
		if len(want) == 0 || len(want) >= len(own) {
			t.Fatalf("%d published of %d: the demo should have both", len(want), len(own))
		}
		sameDrafts(t, drafts(t, file), want)
		for _, g := range file.Groups {
			if g.ProviderName != "浙江省公安厅" {
				t.Errorf("provider column %q", g.ProviderName)
			}
		}
	})
}

var header = func() []string {
	var h []string
	for _, c := range catalogxlsx.Columns {
		h = append(h, c.Header)
	}
	return h
}()

// row is a valid unconditional entry row with the given resource code and item.
func row(code, item string) map[string]string {
	return map[string]string{"资源代码": code, "信息资源名称": "测试目录" + code, "摘要": "测试", "资源分类代码": strings.Split(code, "/")[0],
		"数据格式分类": "数据库", "具体格式": "MySQL", "更新周期": "每日", "共享属性": "无条件共享", "共享方式": "服务接口、批量交换", "开放属性": "不予开放",
		"数据项名称": item, "数据类型": "C", "长度": "20", "是否主键": "否", "是否必填": "是", "分级": "一般数据L2"}
}

func with(r map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range r {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// workbook builds an xlsx with the layout's header and the given rows.
func workbook(t testing.TB, hdr []string, rows ...map[string]string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	sheet := "Sheet1"
	for i, h := range hdr {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		x.SetCellStr(sheet, cell, h)
	}
	for r, vals := range rows {
		for i, h := range hdr {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			x.SetCellStr(sheet, cell, vals[h])
		}
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (f *fixture) entryCount() int { return len(f.working("浙江省公安厅")) }

// TestImportReportsEveryError: a file with errors in several cells of
// several entries names each cell, and imports nothing.
func TestImportReportsEveryError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		before := f.entryCount()
		data := workbook(t, header,
			row("101001/900001", "姓名"),                                      // 2: fine
			with(row("101001/900001", "性别"), "数据类型", "X", "长度", "abc"),      // 3: T, U
			with(row("101001/900002", "地址"), "共享属性", "有条件共享", "分级", "L9"),   // 4: J (no scope), Y
			with(row("101001/900002", "电话"), "共享属性", "有条件共享", "是否主键", "也许"), // 5: V
			with(row("101001/900003", "邮编"), "信息资源名称", ""),                  // 6: B
			with(row("101001/900003", "邮编"), "信息资源名称", "", "更新周期", "每周"),    // 7: G differs, S duplicate item
			row("101001/900004", "单位"),                                      // 8: fine
		)
		_, err := f.x.Import(context.Background(), f.as("gat.staff"), data)
		bad, ok := err.(*catalogxlsx.InvalidFile)
		if !ok {
			t.Fatalf("got %v, want an invalid-file refusal", err)
		}
		var got []string
		for _, e := range bad.Errors {
			if e.Sheet != "Sheet1" || e.Title == "" || e.Code == "" {
				t.Errorf("incomplete error %+v", e)
			}
			got = append(got, fmt.Sprintf("%s%d %s", e.Column, e.Row, e.Code))
		}
		want := []string{
			"T3 catalog.data_type_invalid", "U3 catalog.import_not_a_number",
			"J4 catalog.scope_required", "Y4 catalog.grade_invalid",
			"V5 catalog.import_not_yes_no",
			"B6 catalog.name_required",
			"G7 catalog.import_entry_mismatch", "S7 catalog.item_duplicate",
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if after := f.entryCount(); after != before {
			t.Errorf("%d entries imported from a file with errors", after-before)
		}
		// The same file without the bad rows goes in, in one piece.
		rep, err := f.x.Import(context.Background(), f.as("gat.staff"), workbook(t, header, row("101001/900001", "姓名"), row("101001/900004", "单位")))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 2 || f.entryCount() != before+2 {
			t.Errorf("created %d, count %d → %d", rep.Created, before, f.entryCount())
		}
	})
}

// TestImportIsAllOrNothing: a refusal that only the database sees (a
// resource code already in use) also leaves nothing behind.
func TestImportIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		taken := ""
		for code := range f.working("浙江省公安厅") {
			taken = code
		}
		before := f.entryCount()
		events := f.events()
		_, err := f.x.Import(context.Background(), f.as("gat.staff"), workbook(t, header,
			row("101001/900001", "姓名"), row(taken, "姓名"), row("101001/900002", "姓名")))
		bad, ok := err.(*catalogxlsx.InvalidFile)
		if !ok {
			t.Fatalf("got %v", err)
		}
		if len(bad.Errors) != 1 || bad.Errors[0].Row != 3 || bad.Errors[0].Column != "A" || bad.Errors[0].Code != "catalog.resource_code_taken" {
			t.Errorf("errors %v", bad.Errors)
		}
		if f.entryCount() != before || f.events() != events {
			t.Error("a refused import left entries or events behind")
		}
	})
}

func (f *fixture) events() int64 {
	var n int64
	_ = f.s.Read(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.EventCount(context.Background()); return err })
	return n
}

// TestImportRights: only a sharing office imports, always for its own
// department; a file of another department's entries is refused per entry.
func TestImportRights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		data := workbook(t, header, row("101001/900001", "姓名"))
		for _, who := range []string{"admin", "ops", "zj.reviewer", "audit"} {
			if _, err := f.x.Import(context.Background(), f.as(who), data); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s: %v, want forbidden", who, err)
			}
		}
		rep, err := f.x.Import(context.Background(), f.as("hzga.staff"), data)
		if err != nil {
			t.Fatal(err)
		}
		en, err := f.app.Catalog.Get(context.Background(), f.as("hzga.staff"), rep.Entries[0].ID)
		if err != nil || en.ProviderID != f.p.Departments["杭州市公安局"].ID {
			t.Errorf("provider %s, %v", en.ProviderID, err)
		}
		// gat's own export, uploaded by hzga: every entry names its provider.
		own := f.export("gat.staff", catalogxlsx.Own, catalog.Query{})
		_, err = f.x.Import(context.Background(), f.as("hzga.staff"), own)
		bad, ok := err.(*catalogxlsx.InvalidFile)
		if !ok {
			t.Fatalf("got %v", err)
		}
		n := 0
		for _, e := range bad.Errors {
			if e.Code == "catalog.import_other_provider" && e.Header == "提供方" && e.Column == "Z" {
				n++
			}
		}
		if n != len(f.working("浙江省公安厅")) {
			t.Errorf("%d provider errors: %v", n, bad.Errors)
		}
	})
}

// TestExportRights: every catalog reader exports the published catalog; the
// contractor nothing; only the sharing office its own drafts.
func TestExportRights(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newFixture(t, s)
		ctx := context.Background()
		for _, who := range []string{"admin", "zj.reviewer", "audit", "gat.staff", "hzga.head"} {
			if _, err := f.x.PrepareExport(ctx, f.as(who), catalogxlsx.Published, catalog.Query{}); err != nil {
				t.Errorf("%s: %v", who, err)
			}
		}
		if _, err := f.x.PrepareExport(ctx, f.as("ops"), catalogxlsx.Published, catalog.Query{}); !problem.Is(err, problem.Forbidden) {
			t.Errorf("ops: %v", err)
		}
		for _, who := range []string{"ops", "admin", "zj.reviewer", "audit"} {
			if _, err := f.x.PrepareExport(ctx, f.as(who), catalogxlsx.Own, catalog.Query{}); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s own: %v", who, err)
			}
		}
		// Published only: gat's drafts are not in anyone's published export.
		file, err := catalogxlsx.Parse(f.export("gat.staff", catalogxlsx.Published, catalog.Query{}))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range file.Groups {
			if g.Draft.Name == "暂住人口登记信息" {
				t.Error("an unpublished entry was exported as published")
			}
		}
		if _, err := f.x.PrepareExport(ctx, f.as("gat.staff"), catalogxlsx.Published, catalog.Query{Attribute: "maybe"}); !problem.Is(err, problem.Invalid) {
			t.Errorf("bad filter: %v", err)
		}
	})
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range files {
		w, _ := z.Create(name)
		w.Write([]byte(body))
	}
	z.Close()
	return b.Bytes()
}

// TestFileRefusals: what is not a plain xlsx is refused as a whole.
func TestFileRefusals(t *testing.T) {
	good := workbook(t, header, row("101001/900001", "姓名"))
	for name, c := range map[string]struct {
		data []byte
		code string
	}{
		"csv":       {[]byte("资源代码,信息资源名称\n101001/1,x\n"), "catalog.import_not_xlsx"},
		"xls":       {append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "catalog.import_legacy_format"},
		"zip":       {zipOf(t, map[string]string{"a.txt": "hello"}), "catalog.import_not_xlsx"},
		"xlsm":      {zipOf(t, map[string]string{"[Content_Types].xml": `<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>`, "xl/workbook.xml": "<workbook/>"}), "catalog.import_macro"},
		"vba":       {zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/vbaProject.bin": "x"}), "catalog.import_macro"},
		"too large": {append(good, make([]byte, catalogxlsx.MaxFileBytes)...), "catalog.import_too_large"},
		"empty":     {workbook(t, header), "catalog.import_empty"},
	} {
		_, err := catalogxlsx.Parse(c.data)
		if problem.CodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", name, err, c.code)
		}
	}
	if _, err := catalogxlsx.Parse(good); err != nil {
		t.Errorf("good file: %v", err)
	}
}

// TestTooManyRows: the row limit is counted on data rows.
func TestTooManyRows(t *testing.T) {
	x := excelize.NewFile()
	defer x.Close()
	sw, _ := x.NewStreamWriter("Sheet1")
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	sw.SetRow("A1", hdr)
	for r := 2; r <= catalogxlsx.MaxRows+2; r++ {
		sw.SetRow(fmt.Sprintf("A%d", r), []any{fmt.Sprintf("101001/%d", r), "名称"})
	}
	sw.Flush()
	var b bytes.Buffer
	x.WriteTo(&b)
	if _, err := catalogxlsx.Parse(b.Bytes()); problem.CodeOf(err) != "catalog.import_too_many_rows" {
		t.Errorf("got %v", err)
	}
}

// TestHeaderErrors: unknown, duplicate and missing columns are named.
func TestHeaderErrors(t *testing.T) {
	h := append([]string{}, header...)
	h[1] = "名称"            // unknown, and 信息资源名称 is then missing
	h[2] = "resource_code" // the English field is accepted as a header… but A already is it
	file, err := catalogxlsx.Parse(workbook(t, h, row("101001/900001", "姓名")))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range file.Errors {
		got = append(got, fmt.Sprintf("%s%d %s %s", e.Column, e.Row, e.Code, e.Header))
	}
	sort.Strings(got)
	want := []string{"1 catalog.import_header_missing 信息资源名称", "1 catalog.import_header_missing 摘要",
		"B1 catalog.import_header_unknown 名称", "C1 catalog.import_header_duplicate resource_code"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestLetter(t *testing.T) {
	for n, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA"} {
		if got := catalogxlsx.Letter(n); got != want {
			t.Errorf("Letter(%d) = %s, want %s", n, got, want)
		}
	}
}
