package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Cookie-authenticated commands must repeat the session's CSRF token in
// X-CSRF-Token; reads, bearer tokens and sign-in itself do not need it.
func TestCSRFProtectsCookieCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		signIn := func(user string) (session, csrf *http.Cookie) {
			t.Helper()
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/session", strings.NewReader(`{"username":"`+user+`","password":"govshare-demo"}`))
			req.Header.Set("Content-Type", "application/json")
			res := e.send(req)
			if res.status != 200 {
				t.Fatalf("sign in: %d %s", res.status, res.body)
			}
			for _, c := range (&http.Response{Header: res.header}).Cookies() {
				switch c.Name {
				case httpapi.SessionCookie:
					session = c
				case httpapi.CSRFCookie:
					csrf = c
				}
			}
			if session == nil || csrf == nil {
				t.Fatalf("sign-in set session %v and CSRF %v cookies", session, csrf)
			}
			return session, csrf
		}
		session, csrf := signIn("gat.staff")
		// Scripts of this site read it; no other site's page can.
		if csrf.HttpOnly || csrf.SameSite != http.SameSiteStrictMode || csrf.Path != "/" || csrf.Value == "" || csrf.MaxAge <= 0 {
			t.Fatalf("CSRF cookie must be readable by scripts, SameSite=Strict, Path=/, living with the session: %+v", csrf)
		}
		if csrf.Value == session.Value || strings.Contains(session.Value, csrf.Value) {
			t.Fatal("the CSRF token must not reveal the session secret")
		}
		_, otherCSRF := signIn("gat.staff")
		if otherCSRF.Value == csrf.Value {
			t.Fatal("two sessions got the same CSRF token")
		}

		send := func(method, path, body string, session *http.Cookie, hdr map[string]string) response {
			t.Helper()
			req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.AddCookie(session)
			req.AddCookie(csrf) // the browser sends it along; the header is what counts
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			return e.send(req)
		}
		events := e.eventCount()
		for name, hdr := range map[string]map[string]string{
			"no header":                 nil,
			"empty header":              {httpapi.CSRFHeader: ""},
			"another session's token":   {httpapi.CSRFHeader: otherCSRF.Value},
			"the session secret itself": {httpapi.CSRFHeader: session.Value},
		} {
			res := send("POST", "/api/v1/me/tokens", `{"name":"x"}`, session, hdr)
			if res.status != 403 || res.problem(t).Code != "auth.csrf_invalid" {
				t.Errorf("%s: %d %s, want 403 auth.csrf_invalid", name, res.status, res.body)
			}
		}
		if n := e.eventCount(); n != events {
			t.Fatalf("refused commands recorded %d events", n-events)
		}
		// The cross-site check still answers first.
		res := send("POST", "/api/v1/me/tokens", `{"name":"x"}`, session, map[string]string{httpapi.CSRFHeader: csrf.Value, "Origin": "https://evil.example"})
		if res.status != 403 || res.problem(t).Code != "auth.cross_site" {
			t.Fatalf("cross-site with the token: %d %s", res.status, res.body)
		}
		if res := send("GET", "/api/v1/me", "", session, nil); res.status != 200 {
			t.Fatalf("a read needs no token: %d %s", res.status, res.body)
		}
		if res := send("POST", "/api/v1/me/tokens", `{"name":"x"}`, session, map[string]string{httpapi.CSRFHeader: csrf.Value}); res.status != 201 {
			t.Fatalf("with the token: %d %s", res.status, res.body)
		}
		// Bearer tokens are not sent by browsers on their own: no CSRF token.
		if res := e.do("gat.staff", "POST", "/api/v1/me/tokens", `{"name":"y"}`); res.status != 201 {
			t.Fatalf("bearer command: %d %s", res.status, res.body)
		}

		// Sign-out is a command too, and clears both cookies.
		if res := send("DELETE", "/api/v1/session", "", session, nil); res.status != 403 || res.problem(t).Code != "auth.csrf_invalid" {
			t.Fatalf("sign-out without the token: %d %s", res.status, res.body)
		}
		res = send("DELETE", "/api/v1/session", "", session, map[string]string{httpapi.CSRFHeader: csrf.Value})
		if res.status != 204 {
			t.Fatalf("sign-out: %d %s", res.status, res.body)
		}
		cleared := map[string]bool{}
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			cleared[c.Name] = c.MaxAge < 0
		}
		if !cleared[httpapi.SessionCookie] || !cleared[httpapi.CSRFCookie] {
			t.Fatalf("sign-out must clear both cookies: %v", res.header["Set-Cookie"])
		}
	})
}
