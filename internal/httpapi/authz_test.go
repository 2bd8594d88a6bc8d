package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"testing"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The actors of the walk: one per role, plus a second department's office
// (hzga.*, 杭州市公安局) as the foreign organisation, and a city-level
// authority (hz.reviewer) whose region does not hold the provincial target.
var walkers = []string{"admin", "ops", "zj.reviewer", "hz.reviewer", "gat.head", "gat.staff", "audit", "hzga.head", "hzga.staff"}

// request is one call of a walk case.
type request struct {
	method, path string
	body         any
}

// walkCase says how to call one route as a given actor, and what each actor
// must get. Targets are in 浙江省公安厅 (gat), so gat.* act on their own
// department and hzga.* on a foreign one.
type walkCase struct {
	build   func(e *env, who string) request
	want    map[string]int // by actor; others get dflt
	dflt    int
	comment string
}

func fixed(method, path string, body any) func(*env, string) request {
	return func(*env, string) request { return request{method, path, body} }
}

func only(status int, who ...string) map[string]int {
	m := map[string]int{}
	for _, w := range who {
		m[w] = status
	}
	return m
}

func walkCases(e *env) map[string]walkCase {
	gat := e.p.Departments["浙江省公安厅"]
	hzga := e.p.Departments["杭州市公安局"]
	staff := e.p.Account("gat.staff")
	fixture, err := os.ReadFile("../calendar/testdata/2027-fixture.json")
	if err != nil {
		e.t.Fatal(err)
	}
	seq := 0
	next := func() int { seq++; return seq }
	// A fresh office staff account of gat, so each PATCH has its own target.
	freshStaff := func(e *env) org.Person {
		p, err := e.app.Org.CreatePerson(context.Background(), access.Operator("test"), org.NewPerson{
			Username: fmt.Sprintf("walk.staff%d", next()), DisplayName: "测试", DepartmentID: gat.ID,
			Roles: []access.Role{access.OfficeStaff}, Password: "walk-password-1"})
		if err != nil {
			e.t.Fatal(err)
		}
		return p
	}
	return map[string]walkCase{
		"DELETE /api/v1/session":   {build: fixed("DELETE", "/api/v1/session", nil), dflt: 204},
		"GET /api/v1/me":           {build: fixed("GET", "/api/v1/me", nil), dflt: 200},
		"POST /api/v1/me/password": {build: fixed("POST", "/api/v1/me/password", map[string]string{"current_password": "wrong-wrong-wrong", "new_password": "a-new-password"}), dflt: 422, comment: "everyone may change their own password; the wrong current one is refused"},
		"GET /api/v1/me/tokens":    {build: fixed("GET", "/api/v1/me/tokens", nil), dflt: 200},
		"POST /api/v1/me/tokens":   {build: fixed("POST", "/api/v1/me/tokens", map[string]string{"name": "script"}), dflt: 201},
		"DELETE /api/v1/me/tokens/{id}": {build: func(e *env, who string) request {
			tok, err := e.app.Auth.CreateToken(context.Background(), e.actor(staff.ID), auth.NewToken{Name: "victim"})
			if err != nil {
				e.t.Fatal(err)
			}
			return request{"DELETE", "/api/v1/me/tokens/" + tok.ID, nil}
		}, want: only(200, "admin", "gat.staff"), dflt: 404, comment: "a token of gat.staff: only its owner or an admin can revoke it"},

		"GET /api/v1/divisions": {build: fixed("GET", "/api/v1/divisions", nil), dflt: 200},
		"POST /api/v1/divisions": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/divisions", map[string]string{"code": fmt.Sprintf("33%02d00", 10+next()), "name": "测试市", "level": "municipal", "parent_code": "330000"}}
		}, want: only(201, "admin"), dflt: 403},
		"GET /api/v1/divisions/{code}": {build: fixed("GET", "/api/v1/divisions/330100", nil), dflt: 200},

		"GET /api/v1/departments": {build: fixed("GET", "/api/v1/departments", nil), dflt: 200},
		"POST /api/v1/departments": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/departments", map[string]string{"name": fmt.Sprintf("测试局%d", next()), "division_code": "330000", "kind": "department"}}
		}, want: only(201, "admin"), dflt: 403},
		"GET /api/v1/departments/{id}": {build: fixed("GET", "/api/v1/departments/"+gat.ID, nil), dflt: 200},
		"PUT /api/v1/departments/{id}/sharing-office": {build: func(e *env, who string) request {
			d, err := e.app.Org.Department(context.Background(), e.actor(e.p.Account("admin").ID), gat.ID)
			if err != nil {
				e.t.Fatal(err)
			}
			return request{"PUT", "/api/v1/departments/" + gat.ID + "/sharing-office", map[string]any{"office_name": "科技信息化处", "office_head_id": d.OfficeHeadID, "version": d.Version}}
		}, want: only(200, "admin", "gat.head"), dflt: 403, comment: "only the department's own office head, or an admin"},
		"GET /api/v1/departments/{id}/authority": {build: fixed("GET", "/api/v1/departments/"+gat.ID+"/authority", nil), want: only(403, "ops"), dflt: 200},
		"GET /api/v1/authorities/common":         {build: fixed("GET", "/api/v1/authorities/common?a="+gat.ID+"&b="+hzga.ID, nil), want: only(403, "ops"), dflt: 200},

		"GET /api/v1/people": {build: fixed("GET", "/api/v1/people", nil), dflt: 200, comment: "scoped; contents checked in TestPeopleListingIsScoped"},
		"POST /api/v1/people": {build: func(e *env, who string) request {
			return request{"POST", "/api/v1/people", map[string]any{"username": fmt.Sprintf("new.staff%d", next()), "display_name": "新经办",
				"department_id": gat.ID, "roles": []string{"office_staff"}, "password": "a-fine-password"}}
		}, want: only(201, "admin", "gat.head"), dflt: 403},
		"GET /api/v1/people/{id}": {build: fixed("GET", "/api/v1/people/"+staff.ID, nil),
			want: only(200, "admin", "gat.head", "gat.staff", "zj.reviewer", "audit"), dflt: 403,
			comment: "personal data: own department, own region's authority and auditor, admins"},
		"PATCH /api/v1/people/{id}": {build: func(e *env, who string) request {
			p := freshStaff(e)
			return request{"PATCH", "/api/v1/people/" + p.ID, map[string]any{"display_name": "改名", "version": p.Version}}
		}, want: only(200, "admin", "gat.head"), dflt: 403},
		"POST /api/v1/people/{id}/unlock": {build: fixed("POST", "/api/v1/people/"+staff.ID+"/unlock", nil), want: only(204, "admin"), dflt: 403},

		"GET /api/v1/calendar":              {build: fixed("GET", "/api/v1/calendar", nil), dflt: 200},
		"POST /api/v1/calendar/years":       {build: fixed("POST", "/api/v1/calendar/years?replace=true", fixture), want: only(201, "admin", "ops"), dflt: 403},
		"GET /api/v1/calendar/years/{year}": {build: fixed("GET", "/api/v1/calendar/years/2026", nil), dflt: 200},
		"GET /api/v1/calendar/due":          {build: fixed("GET", "/api/v1/calendar/due?from=2026-09-30&days=10", nil), dflt: 200},
		"GET /api/v1/calendar/explain":      {build: fixed("GET", "/api/v1/calendar/explain?from=2026-09-30&days=10", nil), dflt: 200},
		"GET /api/v1/todo":                  {build: fixed("GET", "/api/v1/todo", nil), dflt: 200, comment: "everyone has a to-do list, possibly empty"},
		"GET /api/v1/events":                {build: fixed("GET", "/api/v1/events?department_id="+gat.ID, nil), want: only(200, "admin", "zj.reviewer", "hz.reviewer", "gat.head", "audit"), dflt: 403, comment: "a foreign office head (hzga.head) may not read gat's record"},
		"POST /api/v1/session":              {build: fixed("POST", "/api/v1/session", map[string]string{"username": "gat.staff", "password": "govshare-demo"}), dflt: 200},
		"GET /api/v1/openapi.json":          {build: fixed("GET", "/api/v1/openapi.json", nil), dflt: 200},
	}
}

// TestEveryEndpointEveryRole walks every route of the API with every role and
// a foreign organisation, and anonymously. A route added without a case here
// fails the test.
func TestEveryEndpointEveryRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		cases := walkCases(e)
		for _, more := range []map[string]walkCase{catalogWalkCases(e), catalogXLSXWalkCases(e), applicationWalkCases(e), grantWalkCases(e), datasetWalkCases(e), credentialWalkCases(e), upstreamWalkCases(e), grantUsageWalkCases(e), fileWalkCases(e), exchangeWalkCases(e), usageRecordWalkCases(e), correctionWalkCases(e), complaintWalkCases(e), disputeWalkCases(e), ledgerWalkCases(e), serviceChangeWalkCases(e)} {
			for k, c := range more {
				if _, dup := cases[k]; dup {
					t.Fatalf("walk case %s defined twice", k)
				}
				cases[k] = c
			}
		}
		for _, rt := range e.api.Routes() {
			key := rt.Method + " " + rt.Pattern
			c, ok := cases[key]
			if !ok {
				t.Errorf("route %s has no authorisation case", key)
				continue
			}
			t.Run(key, func(t *testing.T) {
				// Anonymous: 401 on every non-public route.
				req := c.build(e, "")
				res := e.do("", req.method, req.path, req.body)
				if rt.Public {
					if res.status >= 400 {
						t.Errorf("anonymous on public route: %d %s", res.status, res.body)
					}
				} else if res.status != http.StatusUnauthorized {
					t.Errorf("anonymous: got %d, want 401; body %s", res.status, res.body)
				} else if p := res.problem(t); p.Code != "auth.unauthenticated" {
					t.Errorf("anonymous: code %q", p.Code)
				}
				if rt.Public {
					return
				}
				for _, who := range walkers {
					want, ok := c.want[who]
					if !ok {
						want = c.dflt
					}
					req := c.build(e, who)
					before := e.eventCount()
					res := e.do(who, req.method, req.path, req.body)
					if res.status != want {
						t.Errorf("%s: got %d, want %d (%s); body %s", who, res.status, want, c.comment, res.body)
						continue
					}
					if res.status == http.StatusForbidden {
						if p := res.problem(t); p.Code != "auth.forbidden" {
							t.Errorf("%s: refused with code %q, want auth.forbidden", who, p.Code)
						}
						if after := e.eventCount(); after != before {
							t.Errorf("%s: a refused command wrote %d event(s)", who, after-before)
						}
					}
				}
			})
		}
		for key := range cases {
			if key[0] == '_' {
				continue
			}
			found := false
			for _, rt := range e.api.Routes() {
				found = found || rt.Method+" "+rt.Pattern == key
			}
			if !found {
				t.Errorf("case %s matches no route", key)
			}
		}
	})
}

// TestPeopleListingIsScoped: each role lists exactly the people it may see.
func TestPeopleListingIsScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		usernames := func(who string) []string {
			res := e.do(who, "GET", "/api/v1/people?limit=500", nil)
			if res.status != 200 {
				t.Fatalf("%s: %d %s", who, res.status, res.body)
			}
			var page struct{ Items []org.Person }
			res.json(t, &page)
			var out []string
			for _, p := range page.Items {
				out = append(out, p.Username)
			}
			sort.Strings(out)
			return out
		}
		for who, want := range map[string][]string{
			"gat.staff":   {"gat.head", "gat.staff"},
			"hzga.head":   {"hzga.head", "hzga.staff"},
			"ops":         {"ops"},
			"hz.reviewer": {"hz.reviewer", "hzga.head", "hzga.staff", "hzmz.head", "hzscjg.head", "xhmz.head", "xhmz.staff"},
			"nb.reviewer": {"hsmz.head", "nb.reviewer", "nbga.head", "nbwj.head"},
		} {
			if got := usernames(who); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s sees %v, want %v", who, got, want)
			}
		}
		if got := usernames("admin"); len(got) != len(e.p.Accounts) {
			t.Errorf("admin sees %d people, want all %d", len(got), len(e.p.Accounts))
		}
	})
}
