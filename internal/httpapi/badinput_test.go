package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Bad input gets a clear 4xx naming the problem, never a 500, and changes nothing.
func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.token("admin")
		cases := []struct {
			name         string
			method, path string
			body         any
			contentType  string
			status       int
			code, field  string
		}{
			{"malformed JSON", "POST", "/api/v1/divisions", `{"code": "330300",`, "", 400, "request.malformed_json", ""},
			{"not JSON at all", "POST", "/api/v1/divisions", `code=330300`, "", 400, "request.malformed_json", ""},
			{"trailing data", "POST", "/api/v1/divisions", `{"code":"330300","name":"x","level":"municipal","parent_code":"330000"} {}`, "", 400, "request.malformed_json", ""},
			{"unknown field", "POST", "/api/v1/divisions", `{"code":"330300","name":"温州市","level":"municipal","parent_code":"330000","mayor":"x"}`, "", 400, "request.unknown_field", "mayor"},
			{"wrong type", "POST", "/api/v1/divisions", `{"code":330300,"name":"温州市","level":"municipal","parent_code":"330000"}`, "", 400, "request.wrong_type", "code"},
			{"empty body", "POST", "/api/v1/divisions", ``, "", 400, "request.body_required", ""},
			{"wrong media type", "POST", "/api/v1/divisions", `{"code":"330300"}`, "text/plain", 415, "request.media_type", ""},
			{"oversized body", "POST", "/api/v1/divisions", `{"name":"` + strings.Repeat("长", 400_000) + `"}`, "", 413, "request.too_large", ""},
			{"invalid division code", "POST", "/api/v1/divisions", map[string]string{"code": "33030", "name": "温州市", "level": "municipal", "parent_code": "330000"}, "", 422, "org.division_code_invalid", "code"},
			{"level does not match code", "POST", "/api/v1/divisions", map[string]string{"code": "330300", "name": "温州市", "level": "county", "parent_code": "330000"}, "", 422, "org.level_mismatch", "level"},
			{"parent does not enclose", "POST", "/api/v1/divisions", map[string]string{"code": "330300", "name": "温州市", "level": "municipal", "parent_code": "110000"}, "", 422, "org.parent_invalid", "parent_code"},
			{"unknown parent", "POST", "/api/v1/divisions", map[string]string{"code": "340100", "name": "合肥市", "level": "municipal", "parent_code": "340000"}, "", 422, "org.parent_unknown", "parent_code"},
			{"duplicate division", "POST", "/api/v1/divisions", map[string]string{"code": "330100", "name": "杭州市", "level": "municipal", "parent_code": "330000"}, "", 409, "org.division_exists", "code"},
			{"authority in a township", "POST", "/api/v1/departments", map[string]string{"name": "街道数据办", "division_code": "330106001", "kind": "authority"}, "", 422, "org.authority_level", "kind"},
			{"second authority", "POST", "/api/v1/departments", map[string]string{"name": "另一个数据局", "division_code": "330100", "kind": "authority"}, "", 409, "org.authority_exists", "kind"},
			{"bad credit code", "POST", "/api/v1/departments", map[string]string{"name": "测试局", "division_code": "330100", "kind": "department", "credit_code": "11330000000000000X"}, "", 422, "org.credit_code_invalid", "credit_code"},
			{"unknown role", "POST", "/api/v1/people", map[string]any{"username": "x.y", "display_name": "某", "roles": []string{"superuser"}, "password": "long-enough-pw"}, "", 422, "org.role_invalid", "roles[0]"},
			{"short password", "POST", "/api/v1/people", map[string]any{"username": "x.y", "display_name": "某", "roles": []string{"platform_admin"}, "password": "short"}, "", 422, "auth.password_too_short", "password"},
			{"date before the calendar", "GET", "/api/v1/calendar/due?from=2024-05-06&days=3", nil, "", 422, "calendar.year_unknown", ""},
			{"count runs past the calendar", "GET", "/api/v1/calendar/due?from=2026-12-28&days=10", nil, "", 422, "calendar.year_unknown", ""},
			{"malformed date", "GET", "/api/v1/calendar/due?from=2026-02-30&days=3", nil, "", 400, "request.bad_date", "from"},
			{"zero days", "GET", "/api/v1/calendar/due?from=2026-09-30&days=0", nil, "", 400, "request.bad_parameter", "days"},
			{"missing days", "GET", "/api/v1/calendar/explain?from=2026-09-30", nil, "", 400, "request.parameter_required", "days"},
			{"bad limit", "GET", "/api/v1/departments?limit=abc", nil, "", 400, "request.bad_parameter", "limit"},
			{"invalid calendar file", "POST", "/api/v1/calendar/years", `{"year":2027,"notice":"x","holidays":[{"name":"元旦","from":"2027-01-03","to":"2027-01-01"}],"make_up_working_days":[]}`, "", 422, "calendar.invalid", "holidays[0].to"},
			{"malformed calendar file", "POST", "/api/v1/calendar/years", `{"year":2027,"notice":"x","holidays":[],"bogus":1}`, "", 400, "calendar.malformed", ""},
			{"unknown object", "GET", "/api/v1/departments/no-such-id", nil, "", 404, "org.department_not_found", ""},
			{"unknown endpoint", "GET", "/api/v1/nothing-here", nil, "", 404, "request.no_route", ""},
			{"wrong method", "PUT", "/api/v1/me/tokens", map[string]string{"name": "x"}, "", 405, "request.method_not_allowed", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := e.eventCount()
				var res response
				if c.contentType != "" {
					req, _ := http.NewRequest(c.method, e.srv.URL+c.path, strings.NewReader(c.body.(string)))
					req.Header.Set("Content-Type", c.contentType)
					req.Header.Set("Authorization", "Bearer "+e.token("admin"))
					res = e.send(req)
				} else {
					res = e.do("admin", c.method, c.path, c.body)
				}
				if res.status != c.status {
					t.Fatalf("status %d, want %d; body %.300s", res.status, c.status, res.body)
				}
				p := res.problem(t)
				if p.Code != c.code || p.Field != c.field {
					t.Errorf("code %q field %q, want %q %q (detail %q)", p.Code, p.Field, c.code, c.field, p.Detail)
				}
				if p.Title == "" || p.Status != c.status {
					t.Errorf("problem lacks a title or status: %+v", p)
				}
				if after := e.eventCount(); after != before {
					t.Errorf("a refused request wrote %d event(s)", after-before)
				}
			})
		}
		if res := e.do("admin", "PUT", "/api/v1/me/tokens", map[string]string{"name": "x"}); res.header.Get("Allow") != "GET, POST" {
			t.Errorf("405 Allow = %q, want \"GET, POST\"", res.header.Get("Allow"))
		}
		// Nothing half-written: the refused divisions do not exist.
		for _, code := range []string{"330300", "340100"} {
			if res := e.do("admin", "GET", "/api/v1/divisions/"+code, nil); res.status != 404 {
				t.Errorf("division %s exists after refused creates: %d", code, res.status)
			}
		}
	})
}

// Sign-in: wrong password, lock-out, session cookie, expiry, cross-site refusal.
func TestSignInThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		signIn := func(user, pw string, headers ...string) response {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/session", strings.NewReader(`{"username":"`+user+`","password":"`+pw+`"}`))
			req.Header.Set("Content-Type", "application/json")
			return e.send(req)
		}
		if res := signIn("gat.staff", "wrong-password"); res.status != 401 || res.problem(t).Code != "auth.bad_credentials" {
			t.Fatalf("wrong password: %d %s", res.status, res.body)
		}
		if res := signIn("nobody.here", "wrong-password"); res.status != 401 || res.problem(t).Code != "auth.bad_credentials" {
			t.Fatalf("unknown user must look like a wrong password: %d %s", res.status, res.body)
		}
		res := signIn("gat.staff", "govshare-demo")
		if res.status != 200 {
			t.Fatalf("sign in: %d %s", res.status, res.body)
		}
		var cookie *http.Cookie
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			if c.Name == "govshare_session" {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
			t.Fatalf("session cookie missing or not HttpOnly+SameSite=Strict: %+v", cookie)
		}
		withCookie := func(method, path, body string, hdr map[string]string) response {
			req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.AddCookie(cookie)
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			return e.send(req)
		}
		if res := withCookie("GET", "/api/v1/me", "", nil); res.status != 200 {
			t.Fatalf("me with cookie: %d %s", res.status, res.body)
		}
		if res := withCookie("POST", "/api/v1/me/tokens", `{"name":"x"}`, map[string]string{"Origin": "https://evil.example"}); res.status != 403 || res.problem(t).Code != "auth.cross_site" {
			t.Fatalf("cross-site command with the cookie: %d %s", res.status, res.body)
		}
		e.clock.Add(13 * time.Hour)
		if res := withCookie("GET", "/api/v1/me", "", nil); res.status != 401 || res.problem(t).Code != "auth.session_expired" {
			t.Fatalf("expired session: %d %s", res.status, res.body)
		}
		// Five wrong passwords lock the account; the right one is then refused too.
		for i := 0; i < 5; i++ {
			signIn("gat.head", "not-the-password")
		}
		if res := signIn("gat.head", "govshare-demo"); res.status != 423 || res.problem(t).Code != "auth.locked" {
			t.Fatalf("locked account: %d %s", res.status, res.body)
		}
		// An admin lifts the lock.
		if res := e.do("admin", "POST", "/api/v1/people/"+e.p.Account("gat.head").ID+"/unlock", nil); res.status != 204 {
			t.Fatalf("unlock: %d %s", res.status, res.body)
		}
		if res := signIn("gat.head", "govshare-demo"); res.status != 200 {
			t.Fatalf("after unlock: %d %s", res.status, res.body)
		}
	})
}
