package httpapi_test

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
)

// catalogFixture makes catalog entries of 浙江省公安厅 (gat) in the states a
// walk case needs, through the service, as the demo's people.
type catalogFixture struct {
	e   *env
	seq int
}

func (f *catalogFixture) as(username string) access.Actor {
	return f.e.actor(f.e.p.Account(username).ID)
}

// draftBody is a valid unconditional draft with its own resource code.
func (f *catalogFixture) draftBody(name string) catalog.Draft {
	f.seq++
	return catalog.Draft{
		Name: name, Abstract: "测试用目录",
		ResourceCode:   fmt.Sprintf("101001/%06d", 800000+f.seq),
		Classification: catalog.Classification{Class: "1", Item: "01", Category: "001"},
		Items: []catalog.Item{{Name: "居民身份证号码", DataType: "C", Length: 18, IsKey: true, Required: true, Grade: catalog.GeneralL4},
			{Name: "姓名", DataType: "C", Length: 50, Grade: catalog.GeneralL3}},
		DataFormat:      catalog.DataFormat{Class: "database", Type: "PostgreSQL"},
		UpdateFrequency: "daily", SharingAttribute: catalog.Unconditional,
		DeliveryMethods: []catalog.Method{catalog.ServiceInterface}, OpenAttribute: "not_open",
	}
}

func (f *catalogFixture) must(en catalog.Entry, err error) catalog.Entry {
	f.e.t.Helper()
	if err != nil {
		f.e.t.Fatal(err)
	}
	return en
}

func (f *catalogFixture) assessments() catalog.Assessments {
	a := catalog.Assessment{Conclusion: "passed", AssessedOn: calendar.DateOf(f.e.clock.Now()), Assessor: "保密办", Summary: "不涉密"}
	return catalog.Assessments{Secrecy: &a, PersonalInformation: &a}
}

func (f *catalogFixture) draft() catalog.Entry {
	return f.must(f.e.app.Catalog.Create(context.Background(), f.as("gat.staff"), f.draftBody("走查草稿")))
}

func (f *catalogFixture) assessed() catalog.Entry {
	en := f.draft()
	return f.must(f.e.app.Catalog.RecordAssessments(context.Background(), f.as("gat.staff"), en.ID, f.assessments(), en.Version))
}

func (f *catalogFixture) submitted() catalog.Entry {
	en := f.assessed()
	return f.must(f.e.app.Catalog.Submit(context.Background(), f.as("gat.head"), en.ID, en.Version))
}

func (f *catalogFixture) published() catalog.Entry {
	en := f.submitted()
	return f.must(f.e.app.Catalog.Publish(context.Background(), f.as("zj.reviewer"), en.ID, en.Version, ""))
}

func (f *catalogFixture) obligation(entryID string) catalog.Obligation {
	o, err := f.e.app.Catalog.RecordChange(context.Background(), f.as("gat.staff"), entryID,
		catalog.Change{ChangedOn: calendar.DateOf(f.e.clock.Now()), Kind: "law", Description: "法律修改"})
	if err != nil {
		f.e.t.Fatal(err)
	}
	return o
}

// catalogWalkCases are the authorisation walk's cases for the catalog routes.
// Drafts of gat are not found by departments and authorities that may not
// see them; those who see them but may not act get 403; the contractor reads
// nothing (Art. 36).
func catalogWalkCases(e *env) map[string]walkCase {
	f := &catalogFixture{e: e}
	pub := f.published()
	id := pub.ID
	entry := "/api/v1/catalog/entries/"
	seeDraft := map[string]int{"admin": 403, "ops": 403, "audit": 403}
	with := func(base map[string]int, more map[string]int) map[string]int {
		out := map[string]int{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	return map[string]walkCase{
		"GET /api/v1/catalog/entries": {build: fixed("GET", "/api/v1/catalog/entries?q=身份证", nil), want: only(403, "ops"), dflt: 200},
		"POST /api/v1/catalog/entries": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/catalog/entries", f.draftBody("新目录")}
		}, want: only(201, "gat.head", "gat.staff", "hzga.head", "hzga.staff"), dflt: 403, comment: "a sharing office catalogs for its own department only"},
		"GET /api/v1/catalog/entries/{id}": {build: fixed("GET", entry+id, nil), want: only(403, "ops"), dflt: 200, comment: "published: every reader"},
		"PUT /api/v1/catalog/entries/{id}": {build: func(e *env, who string) request {
			en := f.draft()
			return request{"PUT", entry + en.ID, map[string]any{"name": "改名", "abstract": "测试", "resource_code": en.ResourceCode,
				"classification": en.Classification, "items": en.Items, "data_format": en.DataFormat, "update_frequency": "daily",
				"sharing_attribute": "unconditional", "delivery_methods": []string{"service_interface"}, "open_attribute": "not_open", "version": en.Version}}
		}, want: with(seeDraft, only(200, "gat.head", "gat.staff")), dflt: 404, comment: "a draft: others do not learn it exists"},
		"PUT /api/v1/catalog/entries/{id}/assessments": {build: func(e *env, who string) request {
			en := f.draft()
			as := f.assessments()
			return request{"PUT", entry + en.ID + "/assessments", map[string]any{"secrecy": as.Secrecy, "personal_information": as.PersonalInformation, "version": en.Version}}
		}, want: with(seeDraft, only(200, "gat.head", "gat.staff")), dflt: 404},
		"POST /api/v1/catalog/entries/{id}/submit": {build: func(e *env, who string) request {
			en := f.assessed()
			return request{"POST", entry + en.ID + "/submit", map[string]any{"version": en.Version}}
		}, want: with(seeDraft, map[string]int{"gat.head": 200, "gat.staff": 403}), dflt: 404, comment: "the office head's approval (Art. 13)"},
		"POST /api/v1/catalog/entries/{id}/publish": {build: func(e *env, who string) request {
			en := f.submitted()
			return request{"POST", entry + en.ID + "/publish", map[string]any{"version": en.Version, "opinion": "同意"}}
		}, want: with(seeDraft, map[string]int{"zj.reviewer": 200, "gat.head": 403, "gat.staff": 403}), dflt: 404, comment: "only the same-level authority (Art. 16)"},
		"POST /api/v1/catalog/entries/{id}/return": {build: func(e *env, who string) request {
			en := f.submitted()
			return request{"POST", entry + en.ID + "/return", map[string]any{"version": en.Version, "reasons": "请补充"}}
		}, want: with(seeDraft, map[string]int{"zj.reviewer": 200, "gat.head": 403, "gat.staff": 403}), dflt: 404},
		"GET /api/v1/catalog/entries/{id}/versions":     {build: fixed("GET", entry+id+"/versions", nil), want: only(403, "ops"), dflt: 200},
		"GET /api/v1/catalog/entries/{id}/versions/{n}": {build: fixed("GET", entry+id+"/versions/1", nil), want: only(403, "ops"), dflt: 200},
		"GET /api/v1/catalog/entries/{id}/changes": {build: fixed("GET", entry+id+"/changes", nil),
			want: only(200, "admin", "audit", "zj.reviewer", "gat.head", "gat.staff"), dflt: 403, comment: "the provider, its authority, auditors, admins"},
		"POST /api/v1/catalog/entries/{id}/changes": {build: fixed("POST", entry+id+"/changes",
			map[string]any{"changed_on": calendar.DateOf(e.clock.Now()).String(), "kind": "duty", "description": "职责调整"}),
			want: only(201, "zj.reviewer", "gat.head", "gat.staff"), dflt: 403, comment: "the provider or its same-level authority (Art. 17)"},
		"GET /api/v1/catalog/obligations/{id}": {build: func(e *env, who string) request {
			return request{"GET", "/api/v1/catalog/obligations/" + f.obligation(id).ID, nil}
		}, want: map[string]int{"admin": 200, "audit": 200, "zj.reviewer": 200, "gat.head": 200, "gat.staff": 200, "ops": 403}, dflt: 404,
			comment: "those who list the entry's obligations; other readers do not learn it exists"},
		"POST /api/v1/catalog/obligations/{id}/extension": {build: func(e *env, who string) request {
			o := f.obligation(id)
			return request{"POST", "/api/v1/catalog/obligations/" + o.ID + "/extension", map[string]any{"reason": "系统改造", "version": o.Version}}
		}, want: map[string]int{"gat.head": 200, "gat.staff": 200, "admin": 403, "audit": 403, "zj.reviewer": 403, "ops": 403}, dflt: 404},
		"POST /api/v1/catalog/obligations/{id}/extension/decision": {build: func(e *env, who string) request {
			o := f.obligation(id)
			o, err := e.app.Catalog.RequestExtension(context.Background(), f.as("gat.staff"), o.ID, "系统改造", o.Version)
			if err != nil {
				e.t.Fatal(err)
			}
			return request{"POST", "/api/v1/catalog/obligations/" + o.ID + "/extension/decision", map[string]any{"grant": true, "version": o.Version}}
		}, want: map[string]int{"zj.reviewer": 200, "gat.head": 403, "gat.staff": 403, "admin": 403, "audit": 403, "ops": 403}, dflt: 404},
		"GET /api/v1/catalog/source-designations": {build: fixed("GET", "/api/v1/catalog/source-designations", nil), want: only(403, "ops"), dflt: 200},
		"POST /api/v1/catalog/source-designations": {build: func(e *env, who string) request {
			f.seq++
			return request{"POST", "/api/v1/catalog/source-designations", map[string]any{"data_name": fmt.Sprintf("数据%d", f.seq),
				"source_department_id": e.p.Departments["浙江省公安厅"].ID}}
		}, want: map[string]int{"zj.reviewer": 201, "hz.reviewer": 422}, dflt: 403, comment: "an authority designates within its own region (Art. 19)"},
	}
}
