package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/storetest"
)

// The OpenAPI document is written by hand; these tests hold it to the server.

func oaNewAPI(t *testing.T) (*app.App, *httpapi.API) {
	t.Helper()
	a := app.New(storetest.SQLite(t), demo.ReferenceClock, auth.DefaultPolicy)
	return a, httpapi.New(a, httpapi.Options{})
}

// oaDoc is the part of the document the tests look at.
type oaDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Info       map[string]any                        `json:"info"`
	Security   []map[string][]string                 `json:"security"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		Schemas         map[string]any            `json:"schemas"`
	} `json:"components"`
}

type oaOperation struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary"`
	Tags        []string               `json:"tags"`
	Parameters  []json.RawMessage      `json:"parameters"`
	RequestBody json.RawMessage        `json:"requestBody"`
	Responses   map[string]any         `json:"responses"`
	Security    *[]map[string][]string `json:"security"`
}

type oaParameter struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
}

var oaMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func oaParseDoc(t *testing.T) (oaDoc, any) {
	t.Helper()
	var doc oaDoc
	if err := json.Unmarshal(httpapi.OpenAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	var raw any
	if err := json.Unmarshal(httpapi.OpenAPIDocument, &raw); err != nil {
		t.Fatal(err)
	}
	return doc, raw
}

// oaOperations returns the document's operations keyed "METHOD /path".
func oaOperations(t *testing.T, doc oaDoc) map[string]oaOperation {
	t.Helper()
	out := map[string]oaOperation{}
	for p, item := range doc.Paths {
		for m, rawOp := range item {
			if !slices.Contains(oaMethods, m) {
				if m != "parameters" && m != "summary" && m != "description" && m != "servers" {
					t.Errorf("path %s: unexpected key %q", p, m)
				}
				continue
			}
			var op oaOperation
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatalf("%s %s: %v", m, p, err)
			}
			out[strings.ToUpper(m)+" "+p] = op
		}
	}
	return out
}

// oaPointer resolves a local JSON pointer such as "#/components/schemas/Person".
func oaPointer(root any, ref string) (any, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	cur := root
	if frag == "" {
		return cur, true
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func TestOpenAPIDocumentMatchesRoutes(t *testing.T) {
	_, api := oaNewAPI(t)
	doc, raw := oaParseDoc(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf(`"openapi" = %q, want "3.1.0"`, doc.OpenAPI)
	}
	if doc.Info["title"] != "govshare API" || doc.Info["version"] != "1.0.0" {
		t.Errorf("info: title %v, version %v", doc.Info["title"], doc.Info["version"])
	}
	ops := oaOperations(t, doc)

	routes := map[string]httpapi.Route{}
	for _, rt := range api.Routes() {
		key := rt.Method + " " + rt.Pattern
		if _, dup := routes[key]; dup {
			t.Errorf("route %s listed twice", key)
		}
		routes[key] = rt
		if _, ok := ops[key]; !ok {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	var keys []string
	for k := range ops {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// Operations may only use the tags the document declares.
	var allowedTags []string
	for _, tag := range raw.(map[string]any)["tags"].([]any) {
		allowedTags = append(allowedTags, tag.(map[string]any)["name"].(string))
	}
	ids := map[string]string{}
	placeholder := regexp.MustCompile(`\{([^}]+)\}`)
	for _, key := range keys {
		op := ops[key]
		rt, ok := routes[key]
		if !ok {
			t.Errorf("openapi.json has %s, which the server does not route", key)
			continue
		}
		if op.OperationID == "" {
			t.Errorf("%s: no operationId", key)
		} else if other, dup := ids[op.OperationID]; dup {
			t.Errorf("%s: operationId %q is also used by %s", key, op.OperationID, other)
		}
		ids[op.OperationID] = key
		if op.Summary != rt.Summary {
			t.Errorf("%s: summary %q, route table says %q", key, op.Summary, rt.Summary)
		}
		if len(op.Tags) == 0 {
			t.Errorf("%s: no tags", key)
		}
		for _, tag := range op.Tags {
			if !slices.Contains(allowedTags, tag) {
				t.Errorf("%s: unknown tag %q", key, tag)
			}
		}

		// Path parameters are exactly the template's placeholders.
		var want []string
		for _, m := range placeholder.FindAllStringSubmatch(rt.Pattern, -1) {
			want = append(want, strings.TrimSuffix(m[1], "..."))
		}
		var got []string
		for _, raw := range op.Parameters {
			p := oaResolveParam(t, raw)
			if p.In == "path" {
				if !p.Required {
					t.Errorf("%s: path parameter %s must be required", key, p.Name)
				}
				got = append(got, p.Name)
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: path parameters %v, template has %v", key, got, want)
		}

		// Public routes are exactly those with an empty security list.
		public := op.Security != nil && len(*op.Security) == 0
		if public != rt.Public {
			t.Errorf("%s: public in the document = %v, in the route table = %v", key, public, rt.Public)
		}
	}
}

func oaResolveParam(t *testing.T, raw json.RawMessage) oaParameter {
	t.Helper()
	var p oaParameter
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if p.Ref == "" {
		return p
	}
	_, root := oaParseDoc(t)
	v, ok := oaPointer(root, p.Ref)
	if !ok {
		t.Fatalf("parameter $ref %s does not resolve", p.Ref)
	}
	b, _ := json.Marshal(v)
	var q oaParameter
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestOpenAPIRefsResolve(t *testing.T) {
	_, root := oaParseDoc(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				n++
				if _, ok := oaPointer(root, ref); !ok {
					t.Errorf("%s: $ref %q does not resolve within the document", at, ref)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(root, "#")
	if n == 0 {
		t.Error("no $ref found; the document is suspiciously flat")
	}
}

func TestOpenAPIErrorResponses(t *testing.T) {
	_, api := oaNewAPI(t)
	doc, root := oaParseDoc(t)
	ops := oaOperations(t, doc)

	if _, ok := doc.Components.Schemas["Problem"]; !ok {
		t.Fatal("components/schemas has no Problem")
	}
	for _, name := range []string{"cookieAuth", "bearerAuth"} {
		if _, ok := doc.Components.SecuritySchemes[name]; !ok {
			t.Errorf("no security scheme %s", name)
		}
	}
	if c := doc.Components.SecuritySchemes["cookieAuth"]; c["in"] != "cookie" || c["name"] != httpapi.SessionCookie {
		t.Errorf("cookieAuth = %v, want the %s cookie", c, httpapi.SessionCookie)
	}
	if b := doc.Components.SecuritySchemes["bearerAuth"]; b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("bearerAuth = %v", b)
	}
	if len(doc.Security) == 0 {
		t.Error("no top-level security requirement")
	}

	for _, rt := range api.Routes() {
		key := rt.Method + " " + rt.Pattern
		op, ok := ops[key]
		if !ok {
			continue // reported by TestOpenAPIDocumentMatchesRoutes
		}
		has := func(code string) bool { _, ok := op.Responses[code]; return ok }
		if !rt.Public && !has("401") {
			t.Errorf("%s: needs sign-in but lists no 401", key)
		}
		if len(op.RequestBody) > 0 {
			for _, code := range []string{"400", "413", "415", "422"} {
				if !has(code) {
					t.Errorf("%s: takes a body but lists no %s", key, code)
				}
			}
		}
		// Cookie-authenticated commands may be refused as cross-site.
		if !rt.Public && rt.Method != http.MethodGet && !has("403") {
			t.Errorf("%s: a command signed in by cookie can get 403 auth.cross_site, but no 403 is listed", key)
		}
		if strings.Contains(rt.Pattern, "{") && !has("404") && !has("400") {
			t.Errorf("%s: looks an object up by path but lists no 404", key)
		}
		success := false
		for code, resp := range op.Responses {
			if strings.HasPrefix(code, "2") {
				success = true
				continue
			}
			// Every error response is a Problem document.
			r := resp
			if m, ok := resp.(map[string]any); ok {
				if ref, ok := m["$ref"].(string); ok {
					r, _ = oaPointer(root, ref)
				}
			}
			rm, _ := r.(map[string]any)
			content, _ := rm["content"].(map[string]any)
			pj, ok := content["application/problem+json"].(map[string]any)
			if !ok {
				t.Errorf("%s: response %s is not application/problem+json", key, code)
				continue
			}
			if s, _ := pj["schema"].(map[string]any); s["$ref"] != "#/components/schemas/Problem" {
				t.Errorf("%s: response %s does not use the Problem schema", key, code)
			}
		}
		if !success {
			t.Errorf("%s: no 2xx response", key)
		}
	}
}

func TestOpenAPIServedAsEmbedded(t *testing.T) {
	_, api := oaNewAPI(t)
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	if !bytes.Equal(body, httpapi.OpenAPIDocument) {
		t.Errorf("served document (%d bytes) differs from the embedded one (%d bytes)", len(body), len(httpapi.OpenAPIDocument))
	}
}

// oaSchemas compiles the document's component schemas (JSON Schema 2020-12,
// OpenAPI 3.1's dialect) with formats asserted.
func oaSchemas(t *testing.T) func(name string) *jsonschema.Schema {
	t.Helper()
	const url = "https://govshare.invalid/openapi.json"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(httpapi.OpenAPIDocument))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	return func(name string) *jsonschema.Schema {
		t.Helper()
		s, err := c.Compile(url + "#/components/schemas/" + name)
		if err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		return s
	}
}

func TestOpenAPISchemasCompile(t *testing.T) {
	doc, _ := oaParseDoc(t)
	schema := oaSchemas(t)
	for name := range doc.Components.Schemas {
		schema(name)
	}
}

// TestOpenAPIResponsesMatchSchemas validates the answers of real calls
// against the schemas the document gives for them.
func TestOpenAPIResponsesMatchSchemas(t *testing.T) {
	ctx := context.Background()
	a, api := oaNewAPI(t)
	if _, err := demo.Load(ctx, a); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	schema := oaSchemas(t)

	call := func(t *testing.T, c *http.Client, method, path string, body any) (*http.Response, []byte) {
		t.Helper()
		var r io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			r = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, r)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		// A signed-in client repeats its CSRF token, as the console does.
		if c.Jar != nil {
			for _, ck := range c.Jar.Cookies(req.URL) {
				if ck.Name == httpapi.CSRFCookie {
					req.Header.Set(httpapi.CSRFHeader, ck.Value)
				}
			}
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	check := func(t *testing.T, res *http.Response, body []byte, status int, mediaType, schemaName string) {
		t.Helper()
		if res.StatusCode != status {
			t.Fatalf("status %d, want %d: %s", res.StatusCode, status, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != mediaType {
			t.Errorf("Content-Type %q, want %q", ct, mediaType)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("response is not JSON: %v: %s", err, body)
		}
		if err := schema(schemaName).Validate(v); err != nil {
			t.Errorf("response does not match %s: %v\n%s", schemaName, err, body)
		}
	}
	signIn := func(t *testing.T, username string) *http.Client {
		t.Helper()
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c := &http.Client{Jar: jar}
		res, body := call(t, c, "POST", "/api/v1/session", map[string]string{"username": username, "password": demo.Password})
		check(t, res, body, http.StatusOK, "application/json", "Me")
		return c
	}

	admin := signIn(t, "admin")
	head := signIn(t, "gat.head")
	anon := &http.Client{}

	cases := []struct {
		name         string
		client       *http.Client
		method, path string
		body         any
		status       int
		schema       string
	}{
		{"me", head, "GET", "/api/v1/me", nil, 200, "Me"},
		{"departments", head, "GET", "/api/v1/departments", nil, 200, "DepartmentPage"},
		{"departments page", admin, "GET", "/api/v1/departments?limit=2", nil, 200, "DepartmentPage"},
		{"divisions", head, "GET", "/api/v1/divisions?level=provincial", nil, 200, "DivisionPage"},
		{"division", head, "GET", "/api/v1/divisions/330000", nil, 200, "Division"},
		{"people", admin, "GET", "/api/v1/people", nil, 200, "PersonPage"},
		{"tokens", head, "GET", "/api/v1/me/tokens", nil, 200, "TokenPage"},
		{"new token", head, "POST", "/api/v1/me/tokens", map[string]any{"name": "script"}, 201, "IssuedToken"},
		{"events", admin, "GET", "/api/v1/events?limit=5", nil, 200, "EventPage"},
		{"events on a department", admin, "GET", "/api/v1/events?action=department.office_update&limit=5", nil, 200, "EventPage"},
		{"calendar", head, "GET", "/api/v1/calendar", nil, 200, "CalendarStatus"},
		{"calendar year", head, "GET", "/api/v1/calendar/years/2026", nil, 200, "CalendarYear"},
		{"due", head, "GET", "/api/v1/calendar/due?from=2026-09-30&days=10", nil, 200, "Deadline"},
		{"explain", head, "GET", "/api/v1/calendar/explain?from=2026-09-30&days=10", nil, 200, "DeadlineExplanation"},
		{"new division", admin, "POST", "/api/v1/divisions",
			map[string]any{"code": "330108", "name": "滨江区", "level": "county", "parent_code": "330100"}, 201, "Division"},
		{"bad division code", admin, "POST", "/api/v1/divisions",
			map[string]any{"code": "33X", "name": "错误", "level": "county", "parent_code": "330100"}, 422, "Problem"},
		{"unknown field", admin, "POST", "/api/v1/divisions", map[string]any{"code": "330109", "colour": "red"}, 400, "Problem"},
		{"forbidden", head, "POST", "/api/v1/divisions",
			map[string]any{"code": "330110", "name": "某区", "level": "county", "parent_code": "330100"}, 403, "Problem"},
		{"not found", head, "GET", "/api/v1/departments/nope", nil, 404, "Problem"},
		{"signed out", anon, "GET", "/api/v1/me", nil, 401, "Problem"},
		{"bad query", head, "GET", "/api/v1/calendar/due?from=2026-9-30&days=10", nil, 400, "Problem"},
		{"todo", head, "GET", "/api/v1/todo", nil, 200, "TodoPage"},
		{"grants", admin, "GET", "/api/v1/grants", nil, 200, "SharingGrantPage"},
		{"grants of a provider", head, "GET", "/api/v1/grants?role=provider", nil, 200, "SharingGrantPage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, body := call(t, tc.client, tc.method, tc.path, tc.body)
			mt := "application/json"
			if tc.status >= 400 {
				mt = "application/problem+json"
			}
			check(t, res, body, tc.status, mt, tc.schema)
			if tc.status == http.StatusUnauthorized && res.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	// One grant of the demo, read and acted on out of date.
	t.Run("grant", func(t *testing.T) {
		res, body := call(t, admin, "GET", "/api/v1/grants", nil)
		var page struct {
			Items []struct {
				ID      string `json:"id"`
				Version int64  `json:"version"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &page); err != nil || res.StatusCode != 200 || len(page.Items) == 0 {
			t.Fatalf("grants: %d %s", res.StatusCode, body)
		}
		g := page.Items[0]
		res, body = call(t, admin, "GET", "/api/v1/grants/"+g.ID, nil)
		check(t, res, body, 200, "application/json", "SharingGrant")
		res, body = call(t, admin, "POST", "/api/v1/grants/"+g.ID+"/suspend", map[string]any{"grounds": "beyond_scope", "reasons": []string{"核查使用情况"}, "evidence": "调用日志", "rectify_days": 10, "version": g.Version + 7})
		if res.StatusCode != 403 && res.StatusCode != 409 {
			t.Fatalf("stale suspend by an admin: %d %s", res.StatusCode, body)
		}
		check(t, res, body, res.StatusCode, "application/problem+json", "Problem")
	})
}
