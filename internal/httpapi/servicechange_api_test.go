package httpapi_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// The service-change routes over HTTP: answers match the OpenAPI schemas,
// bad input names its field and changes nothing, and the to-do list carries
// each party's step.
func TestServiceChangeAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := scFixture{e: e}
		schema := oaSchemas(t)
		valid := func(r response, name string) {
			t.Helper()
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.body))
			if err != nil {
				t.Fatalf("not JSON: %s", r.body)
			}
			if err := schema(name).Validate(v); err != nil {
				t.Errorf("answer does not match %s: %v\n%s", name, err, r.body)
			}
		}
		entry := f.entryWithGrant()

		e.token("gat.head") // issuing the token is itself recorded
		before := e.eventCount()
		bad := f.proposal(entry, f.today())
		bad["reason"] = ""
		res := e.do("gat.head", "POST", "/api/v1/service-changes", bad)
		if p := res.problem(t); res.status != http.StatusUnprocessableEntity || p.Code != "service_change.reason_required" || p.Field != "reason" {
			t.Fatalf("no reason: %d %s", res.status, res.body)
		}
		if e.eventCount() != before {
			t.Fatal("a refused proposal wrote events")
		}

		res = e.do("gat.head", "POST", "/api/v1/service-changes", f.proposal(entry, f.today()))
		if res.status != http.StatusCreated {
			t.Fatalf("propose: %d %s", res.status, res.body)
		}
		valid(res, "ServiceChange")
		var c struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		res.json(t, &c)

		res = e.do("hzga.head", "GET", "/api/v1/todo", nil)
		valid(res, "TodoPage")
		var todo struct {
			Items []struct {
				Kind     string `json:"kind"`
				ObjectID string `json:"object_id"`
				Left     *int   `json:"working_days_left"`
			} `json:"items"`
		}
		res.json(t, &todo)
		found := false
		for _, it := range todo.Items {
			found = found || (it.Kind == "service_change.answer" && it.ObjectID == c.ID && it.Left != nil)
		}
		if !found {
			t.Fatalf("the consumer's to-do has no answer item: %s", res.body)
		}

		res = e.do("gat.head", "POST", "/api/v1/service-changes/"+c.ID+"/filing", map[string]any{"version": c.Version})
		if p := res.problem(t); res.status != http.StatusConflict || p.Code != "service_change.consultation_open" {
			t.Fatalf("filing during the consultation: %d %s", res.status, res.body)
		}
		res = e.do("hzga.head", "POST", "/api/v1/service-changes/"+c.ID+"/answers", map[string]any{"position": "agree", "version": c.Version})
		if res.status != http.StatusOK {
			t.Fatalf("answer: %d %s", res.status, res.body)
		}
		valid(res, "ServiceChange")
		res = e.do("hzga.head", "POST", "/api/v1/service-changes/"+c.ID+"/answers", map[string]any{"position": "object", "opinion": "再议", "version": c.Version + 1})
		if p := res.problem(t); res.status != http.StatusConflict || p.Code != "service_change.already_answered" {
			t.Fatalf("a second answer: %d %s", res.status, res.body)
		}
		res = e.do("admin", "GET", "/api/v1/service-changes?state=consulting", nil)
		valid(res, "ServiceChangePage")
		res = e.do("admin", "GET", "/api/v1/service-changes?state=nonsense", nil)
		if res.status != http.StatusBadRequest {
			t.Fatalf("a bad state filter: %d %s", res.status, res.body)
		}
	})
}

// TestServiceChangeListingIsScoped: each role lists exactly the changes it
// may see.
func TestServiceChangeListingIsScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		f := scFixture{e: e}
		c := f.consulting(f.today())
		ids := func(who string) []string {
			res := e.do(who, "GET", "/api/v1/service-changes", nil)
			if res.status != http.StatusOK {
				t.Fatalf("%s lists: %d %s", who, res.status, res.body)
			}
			var page struct {
				Items []struct {
					ID string `json:"id"`
				} `json:"items"`
			}
			res.json(t, &page)
			var out []string
			for _, it := range page.Items {
				if it.ID == c.ID {
					out = append(out, it.ID)
				}
			}
			return out
		}
		for who, sees := range map[string]bool{"admin": true, "gat.head": true, "gat.staff": true, "hzga.head": true, "zj.reviewer": true,
			"hz.reviewer": true, "audit": true, "nb.reviewer": false, "rst.head": false, "nbwj.head": false} {
			if got := len(ids(who)) == 1; got != sees {
				t.Errorf("%s lists the change: %v, want %v", who, got, sees)
			}
		}
	})
}
