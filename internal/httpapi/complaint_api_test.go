package httpapi_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

func complaintBody(e *env) map[string]any {
	in := complaintInput(e)
	return map[string]any{"complainant_kind": in.ComplainantKind, "name": in.Name, "contact": in.Contact,
		"department_id": in.DepartmentID, "facts": in.Facts, "rights": in.Rights, "reference": "APP-0001"}
}

// TestComplaintPublicFlow: without an account the public lists the
// departments, files a complaint and gets a receipt code once; the
// department answers; the code then shows the answer and nothing else.
func TestComplaintPublicFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		res := e.do("", "GET", "/api/v1/public/departments", nil)
		if res.status != 200 {
			t.Fatalf("departments: %d %s", res.status, res.body)
		}
		var deps struct{ Items []map[string]any }
		res.json(t, &deps)
		if len(deps.Items) != len(e.p.Departments) {
			t.Errorf("%d departments listed, want %d", len(deps.Items), len(e.p.Departments))
		}
		for _, d := range deps.Items {
			if len(d) != 3 || d["id"] == nil || d["name"] == nil || d["division_code"] == nil {
				t.Fatalf("public department shows more than id, name, division: %v", d)
			}
		}

		res = e.do("", "POST", "/api/v1/public/complaints", complaintBody(e))
		if res.status != 201 {
			t.Fatalf("file: %d %s", res.status, res.body)
		}
		var rec complaint.Receipt
		res.json(t, &rec)
		if rec.Code == "" || rec.DepartmentName != "浙江省公安厅" || rec.Due == nil {
			t.Fatalf("receipt %+v", rec)
		}
		lookup := func() complaint.Public {
			t.Helper()
			res := e.do("", "POST", "/api/v1/public/complaints/lookup", map[string]string{"code": rec.Code})
			if res.status != 200 {
				t.Fatalf("lookup: %d %s", res.status, res.body)
			}
			for _, secret := range []string{"测试投诉人乙", "test@example.org", "超出了办事需要", "APP-0001"} {
				if bytes.Contains(res.body, []byte(secret)) {
					t.Errorf("lookup shows %q: %s", secret, res.body)
				}
			}
			var p complaint.Public
			res.json(t, &p)
			return p
		}
		if p := lookup(); p.State != complaint.Received || p.Due == nil || *p.Due != *rec.Due {
			t.Errorf("lookup %+v", p)
		}

		res = e.do("gat.staff", "GET", "/api/v1/complaints", nil)
		var page struct{ Items []complaint.Complaint }
		res.json(t, &page)
		if len(page.Items) != 2 || bytes.Contains(res.body, []byte("test@example.org")) {
			t.Fatalf("office listing (the demo's complaint and this one): %s", res.body)
		}
		// A listing shows ids, states, dates, handler and deadline: not what
		// the complainant is or wrote.
		var raw struct{ Items []map[string]any }
		res.json(t, &raw)
		for _, item := range raw.Items {
			for _, k := range []string{"complainant", "facts", "rights", "reference", "transfers", "answer", "department_id"} {
				if _, ok := item[k]; ok {
					t.Errorf("listing shows %q: %v", k, item)
				}
			}
			if item["id"] == nil || item["state"] == nil || item["handler_id"] == nil || item["filed_at"] == nil {
				t.Errorf("listing lacks the summary fields: %v", item)
			}
		}
		for _, secret := range []string{"超出了办事需要", "APP-0001", "个人信息权益"} {
			if bytes.Contains(res.body, []byte(secret)) {
				t.Errorf("listing shows %q", secret)
			}
		}
		c := page.Items[1] // in order of filing
		res = e.do("gat.staff", "GET", "/api/v1/complaints/"+c.ID, nil)
		if res.status != 200 || !bytes.Contains(res.body, []byte("test@example.org")) {
			t.Fatalf("office reads the complaint: %d %s", res.status, res.body)
		}
		res = e.do("gat.staff", "POST", "/api/v1/complaints/"+c.ID+"/answer", map[string]any{"version": c.Version, "findings": "经核实，共享范围超出申请。", "measures": "已收回超范围授权。"})
		if res.status != 200 {
			t.Fatalf("answer: %d %s", res.status, res.body)
		}
		res = e.do("gat.head", "POST", "/api/v1/complaints/"+c.ID+"/answer", map[string]any{"version": c.Version + 1, "findings": "再答", "measures": "再答"})
		if res.status != 409 || res.problem(t).Code != "complaint.wrong_state" {
			t.Errorf("second answer: %d %s", res.status, res.body)
		}
		if p := lookup(); p.State != complaint.Answered || p.Answer == nil || p.Answer.Measures != "已收回超范围授权。" {
			t.Errorf("lookup after the answer: %+v", p)
		}

		res = e.do("", "POST", "/api/v1/public/complaints/lookup", map[string]string{"code": complaint.NewCode()})
		if res.status != 404 || res.problem(t).Code != "complaint.code_unknown" {
			t.Errorf("wrong code: %d %s", res.status, res.body)
		}
	})
}

// TestComplaintPublicInput: bad fields are refused naming them, bodies
// over the public bound get 413, unknown fields 400; nothing is filed.
func TestComplaintPublicInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.api.SetPublicLimits(httpapi.PublicLimits{FilePerClient: httpapi.Limit{Burst: 100, Every: time.Second},
			FileGlobal: httpapi.Limit{Burst: 100, Every: time.Second}, LookupPerClient: httpapi.Limit{Burst: 100, Every: time.Second},
			LookupGlobal: httpapi.Limit{Burst: 100, Every: time.Second}, MaxClients: 10})
		before := e.eventCount()
		for field, bad := range map[string]any{"name": "", "contact": "not-a-contact", "department_id": "nope",
			"facts": strings.Repeat("长", complaint.MaxTextRunes+1), "complainant_kind": "robot"} {
			b := complaintBody(e)
			b[field] = bad
			res := e.do("", "POST", "/api/v1/public/complaints", b)
			if p := res.problem(t); res.status != 422 || p.Field != field {
				t.Errorf("%s: %d %+v", field, res.status, p)
			}
		}
		b := complaintBody(e)
		b["extra"] = "x"
		if res := e.do("", "POST", "/api/v1/public/complaints", b); res.status != 400 {
			t.Errorf("unknown field: %d %s", res.status, res.body)
		}
		b = complaintBody(e)
		b["facts"] = strings.Repeat("x", 40<<10)
		if res := e.do("", "POST", "/api/v1/public/complaints", b); res.status != 413 {
			t.Errorf("large body: %d %s", res.status, res.body)
		}
		if res := e.do("", "POST", "/api/v1/public/complaints", "name=x"); res.status != 400 {
			t.Errorf("not JSON: %d", res.status)
		}
		if after := e.eventCount(); after != before {
			t.Errorf("refused filings wrote %d events", after-before)
		}
	})
}

// TestComplaintFlood: past the per-client burst the public endpoints answer
// 429 with Retry-After, for filings and lookups apart, and file nothing.
func TestComplaintFlood(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.api.SetPublicLimits(httpapi.PublicLimits{FilePerClient: httpapi.Limit{Burst: 3, Every: time.Hour},
			FileGlobal: httpapi.Limit{Burst: 100, Every: time.Second}, LookupPerClient: httpapi.Limit{Burst: 2, Every: time.Hour},
			LookupGlobal: httpapi.Limit{Burst: 100, Every: time.Second}, MaxClients: 100})
		codes := []string{}
		for range 3 {
			res := e.do("", "POST", "/api/v1/public/complaints", complaintBody(e))
			if res.status != 201 {
				t.Fatalf("within the burst: %d %s", res.status, res.body)
			}
			var r complaint.Receipt
			res.json(t, &r)
			codes = append(codes, r.Code)
		}
		before := e.eventCount()
		res := e.do("", "POST", "/api/v1/public/complaints", complaintBody(e))
		if res.status != 429 || res.problem(t).Code != "request.rate_limited" {
			t.Fatalf("flood: %d %s", res.status, res.body)
		}
		if s, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || s < 1 || s > 3600 {
			t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
		}
		if e.eventCount() != before {
			t.Error("a refused filing was recorded")
		}
		// Lookups have their own bucket.
		for i, want := range []int{200, 200, 429} {
			res := e.do("", "POST", "/api/v1/public/complaints/lookup", map[string]string{"code": codes[i]})
			if res.status != want {
				t.Errorf("lookup %d: %d, want %d", i, res.status, want)
			}
		}
	})
}

// TestComplaintCrossSite: a page of another site cannot file or look up
// through a visitor's browser, though the routes need no sign-in.
func TestComplaintCrossSite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		for _, h := range []map[string]string{{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site"}, {"Sec-Fetch-Site": "weird"}} {
			for _, path := range []string{"/api/v1/public/complaints", "/api/v1/public/complaints/lookup", "/api/v1/public/departments"} {
				method := "POST"
				if strings.HasSuffix(path, "departments") {
					method = "GET"
				}
				req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(`{"code":"x"}`))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range h {
					req.Header.Set(k, v)
				}
				res := e.send(req)
				if res.status != 403 || res.problem(t).Code != "auth.cross_site" {
					t.Errorf("%s with %v: %d %s", path, h, res.status, res.body)
				}
			}
		}
		// The same site is served.
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/public/complaints/lookup", strings.NewReader(`{"code":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", e.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if res := e.send(req); res.status != 404 {
			t.Errorf("same origin: %d %s", res.status, res.body)
		}
		// Typed into the address bar (none) or sent by a program (no header).
		for _, site := range []string{"none", ""} {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/public/departments", nil)
			if site != "" {
				req.Header.Set("Sec-Fetch-Site", site)
			}
			if res := e.send(req); res.status != 200 {
				t.Errorf("departments with Sec-Fetch-Site %q: %d %s", site, res.status, res.body)
			}
		}
	})
}

// TestComplaintDepartmentsThrottled: the public department list, read
// without an account, shares the lookup limits.
func TestComplaintDepartmentsThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.api.SetPublicLimits(httpapi.PublicLimits{FilePerClient: httpapi.Limit{Burst: 3, Every: time.Hour},
			FileGlobal: httpapi.Limit{Burst: 100, Every: time.Second}, LookupPerClient: httpapi.Limit{Burst: 2, Every: time.Hour},
			LookupGlobal: httpapi.Limit{Burst: 100, Every: time.Second}, MaxClients: 100})
		for i, want := range []int{200, 200, 429} {
			res := e.do("", "GET", "/api/v1/public/departments", nil)
			if res.status != want {
				t.Errorf("departments %d: %d, want %d", i, res.status, want)
			}
		}
		// and the lookups share that bucket
		if res := e.do("", "POST", "/api/v1/public/complaints/lookup", map[string]string{"code": complaint.NewCode()}); res.status != 429 {
			t.Errorf("lookup after the department reads: %d", res.status)
		}
	})
}
