package catalog_test

import (
	"context"
	"slices"
	"testing"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

func ids(p catalog.Page) []string {
	var out []string
	for _, s := range p.Items {
		out = append(out, s.ID)
	}
	return out
}

// Search finds published entries by any substring of name, abstract or item
// names, on both engines, with the filters; drafts are never found.
func TestSearchPublishedCatalog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		id := e.publish("gat.staff", "gat.head", "zj.reviewer", e.draft("常住人口信息", "居民身份证号码", "姓名", "户籍地址"))
		d := e.draft("企业登记信息", "统一社会信用代码", "企业名称", "法定代表人")
		d.SharingAttribute, d.UsageConditions = catalog.Conditional, &catalog.UsageConditions{Scope: "全省", PermittedUses: "监管"}
		d.DeliveryMethods = []catalog.Method{catalog.BatchExchange, catalog.FileDownload}
		d.Items[0].Grade = catalog.Important
		ent := e.publish("hzga.staff", "hzga.head", "hz.reviewer", d)
		draft := must[catalog.Entry](t)(e.cat.Create(ctx, e.as("gat.staff"), e.draft("身份证草稿", "居民身份证号码")))

		// The demo catalog is there too; the cases look at this test's entries.
		mine := map[string]bool{id.ID: true, ent.ID: true, draft.ID: true}
		q := func(who string, q catalog.Query) []string {
			t.Helper()
			var out []string
			for _, x := range ids(must[catalog.Page](t)(e.cat.Search(ctx, e.as(who), q))) {
				if mine[x] {
					out = append(out, x)
				}
			}
			return out
		}
		for _, c := range []struct {
			name string
			q    catalog.Query
			want []string
		}{
			{"trigram in an item name", catalog.Query{Text: "身份证"}, []string{id.ID}},
			{"two characters", catalog.Query{Text: "地址"}, []string{id.ID}},
			{"abstract", catalog.Query{Text: "户籍人口的基本"}, []string{id.ID, ent.ID}},
			{"several words", catalog.Query{Text: "信用代码 企业"}, []string{ent.ID}},
			{"case-insensitive latin", catalog.Query{Text: "POSTGRESQL"}, nil},
			{"nothing", catalog.Query{Text: "不存在的数据"}, nil},
			{"attribute", catalog.Query{Attribute: catalog.Conditional}, []string{ent.ID}},
			{"method", catalog.Query{Method: catalog.FileDownload}, []string{ent.ID}},
			{"method other", catalog.Query{Method: catalog.ServiceInterface}, []string{id.ID}},
			{"grade", catalog.Query{Grade: "important"}, []string{ent.ID}},
			{"any general grade", catalog.Query{Grade: "general"}, []string{id.ID}},
			{"provider", catalog.Query{ProviderID: e.p.Departments["浙江省公安厅"].ID}, []string{id.ID}},
			{"region Hangzhou", catalog.Query{Region: "330100"}, []string{ent.ID}},
			{"region province", catalog.Query{Region: "330000", Text: "信息"}, []string{ent.ID, id.ID}},
			{"region Ningbo", catalog.Query{Region: "330200"}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				got := q("hzga.staff", c.q)
				if c.name == "abstract" {
					// Both share the test abstract, newest first.
					c.want = []string{ent.ID, id.ID}
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("got %v, want %v", got, c.want)
				}
			})
		}
		for _, who := range []string{"gat.staff", "admin", "audit", "zj.reviewer"} {
			if slices.Contains(q(who, catalog.Query{Text: "身份证"}), draft.ID) {
				t.Errorf("%s found a draft in search", who)
			}
		}
		_, err := e.cat.Search(ctx, e.as("ops"), catalog.Query{})
		refused(t, err, "auth.forbidden", "")
		_, err = e.cat.Search(ctx, e.as("gat.staff"), catalog.Query{Grade: "secret"})
		refused(t, err, "catalog.grade_invalid", "grade")
		_, err = e.cat.Search(ctx, e.as("gat.staff"), catalog.Query{Cursor: "abc"})
		refused(t, err, "catalog.cursor_invalid", "cursor")

		// Pagination walks every result once.
		for i := 0; i < 5; i++ {
			_ = e.publish("gat.staff", "gat.head", "zj.reviewer", e.draft("分页测试", "居民身份证号码"))
		}
		var seen []string
		cursor := ""
		for pages := 0; pages < 200; pages++ {
			p := must[catalog.Page](t)(e.cat.Search(ctx, e.as("gat.staff"), catalog.Query{Text: "身份证", Limit: 2, Cursor: cursor}))
			seen = append(seen, ids(p)...)
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		all := ids(must[catalog.Page](t)(e.cat.Search(ctx, e.as("gat.staff"), catalog.Query{Text: "身份证", Limit: 500})))
		if len(all) < 6 || !slices.Equal(seen, all) || !slices.Contains(all, id.ID) {
			t.Fatalf("paged %v, all %v", seen, all)
		}
	})
}

// Art. 19: the authority designates a source department; entries show it;
// a department cataloguing items that another department already shares is told.
func TestSourceDepartmentsAndDuplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		gat := e.p.Departments["浙江省公安厅"]
		// The demo designates 居民身份证号码 already; this test uses 护照号码.
		shared := e.publish("gat.staff", "gat.head", "zj.reviewer", e.draft("人口信息", "护照号码", "姓名"))
		notShared := e.draft("敏感人口信息", "婚姻状况")
		notShared.SharingAttribute, notShared.DeliveryMethods = catalog.NotShareable, nil
		notShared.NotShareable = &catalog.NotShareableBasis{Reason: "依法不予共享", LegalBasis: catalog.LegalBasis{Kind: "law", Name: "某法", Article: "第一条"}}
		e.publish("gat.staff", "gat.head", "zj.reviewer", notShared)

		_, err := e.cat.Designate(ctx, e.as("gat.head"), catalog.NewDesignation{DataName: "护照号码", SourceDepartmentID: gat.ID})
		refused(t, err, "auth.forbidden", "")
		_, err = e.cat.Designate(ctx, e.as("hz.reviewer"), catalog.NewDesignation{DataName: "护照号码", SourceDepartmentID: gat.ID})
		refused(t, err, "catalog.department_outside_region", "source_department_id")
		des := must[catalog.SourceDesignation](t)(e.cat.Designate(ctx, e.as("zj.reviewer"), catalog.NewDesignation{DataName: "护照号码", SourceDepartmentID: gat.ID, Note: "公安机关为身份信息数源部门"}))
		_, err = e.cat.Designate(ctx, e.as("zj.reviewer"), catalog.NewDesignation{DataName: "护照号码", SourceDepartmentID: gat.ID})
		refused(t, err, "catalog.designation_exists", "data_name")
		list := must[[]catalog.SourceDesignation](t)(e.cat.SourceDesignations(ctx, e.as("hzga.staff"), catalog.DesignationFilter{DataNames: []string{"护照号码"}}))
		if len(list) != 1 || list[0].ID != des.ID || list[0].SourceDepartmentName != "浙江省公安厅" {
			t.Fatalf("designations %+v", list)
		}

		// Hangzhou's police catalogs the same items: told, with the source.
		en := must[catalog.Entry](t)(e.cat.Create(ctx, e.as("hzga.staff"), e.draft("杭州人口信息", "护照号码", "婚姻状况", "住址")))
		if len(en.Duplicates) != 1 {
			t.Fatalf("duplicates %+v, want only the shareable 护照号码", en.Duplicates)
		}
		dup := en.Duplicates[0]
		if dup.Item != "护照号码" || dup.EntryID != shared.ID || dup.DepartmentID != gat.ID || dup.SourceDepartmentID != gat.ID {
			t.Fatalf("duplicate %+v", dup)
		}
		if len(en.SourceDepartments) != 1 || en.SourceDepartments[0].Item != "护照号码" || en.SourceDepartments[0].SourceDepartmentID != gat.ID {
			t.Fatalf("source marks %+v", en.SourceDepartments)
		}
		// The provider itself is not warned about its own entries.
		own := must[catalog.Entry](t)(e.cat.Create(ctx, e.as("gat.staff"), e.draft("人口信息二", "护照号码")))
		if len(own.Duplicates) != 0 {
			t.Fatalf("own items reported as duplicates: %+v", own.Duplicates)
		}
		got := must[catalog.Entry](t)(e.cat.Get(ctx, e.as("nbga.head"), shared.ID))
		if len(got.SourceDepartments) != 1 {
			t.Fatalf("a reader sees no source department: %+v", got.SourceDepartments)
		}
	})
}

// Every party's to-do list holds what waits for it.
func TestCatalogTodos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		ok := must[catalog.Entry](t)
		draft := ok(e.cat.Create(ctx, e.as("gat.staff"), e.draft("待完善")))
		ready := ok(e.cat.Create(ctx, e.as("gat.staff"), e.draft("待审批")))
		ready = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), ready.ID, assessments(e.clock.Now()), ready.Version))
		review := ok(e.cat.Create(ctx, e.as("gat.staff"), e.draft("待审核")))
		review = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), review.ID, assessments(e.clock.Now()), review.Version))
		review = ok(e.cat.Submit(ctx, e.as("gat.head"), review.ID, review.Version))
		returned := ok(e.cat.Create(ctx, e.as("gat.staff"), e.draft("被退回")))
		returned = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), returned.ID, assessments(e.clock.Now()), returned.Version))
		returned = ok(e.cat.Submit(ctx, e.as("gat.head"), returned.ID, returned.Version))
		ok(e.cat.Return(ctx, e.as("zj.reviewer"), returned.ID, returned.Version, "补充数据项说明"))

		// The demo's own to-dos are there too; look at this test's entries.
		mine := map[string]bool{draft.ID: true, ready.ID: true, review.ID: true, returned.ID: true}
		kinds := func(who string) map[string]todo.Item {
			out := map[string]todo.Item{}
			for _, it := range must[[]todo.Item](t)(e.cat.Todos(ctx, e.as(who))) {
				if mine[it.ObjectID] {
					out[it.Kind+" "+it.ObjectID] = it
				}
			}
			return out
		}
		staff := kinds("gat.staff")
		for _, k := range []string{"catalog.draft " + draft.ID, "catalog.draft " + ready.ID, "catalog.returned " + returned.ID} {
			if _, ok := staff[k]; !ok {
				t.Errorf("staff lacks %s: %v", k, staff)
			}
		}
		if len(staff) != 3 {
			t.Errorf("staff has %d items: %v", len(staff), staff)
		}
		head := kinds("gat.head")
		if _, ok := head["catalog.approve "+ready.ID]; !ok {
			t.Errorf("head lacks the approval: %v", head)
		}
		rev := kinds("zj.reviewer")
		it, found := rev["catalog.review "+review.ID]
		if !found || it.Due == nil || it.Due.String() != "2026-10-08" || it.Overdue || *it.WorkingDaysLeft != 2 || it.Rule == "" {
			t.Fatalf("reviewer's item %+v in %v", it, rev)
		}
		if len(kinds("hz.reviewer")) != 0 || len(kinds("hzga.head")) != 0 || len(kinds("audit")) != 0 {
			t.Error("someone else has the gat's items")
		}
		// The review becomes overdue when the clock passes the due date.
		e.clock.Set(shanghai(2026, 10, 9))
		it = kinds("zj.reviewer")["catalog.review "+review.ID]
		if !it.Overdue || *it.WorkingDaysLeft != -1 {
			t.Fatalf("review not overdue on 10-09: %+v", it)
		}
	})
}
