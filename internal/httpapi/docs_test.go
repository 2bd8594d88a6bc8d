package httpapi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/storetest"
)

// docs/api.md lists every route the server has, and no other.
func TestAPIDocListsEveryRoute(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[2]), "`/api/") {
			continue
		}
		listed[strings.TrimSpace(cells[1])+" "+strings.Trim(strings.TrimSpace(cells[2]), "`")] = true
	}
	api := httpapi.New(app.New(storetest.SQLite(t), demo.ReferenceClock, auth.DefaultPolicy), httpapi.Options{})
	for _, r := range api.Routes() {
		key := r.Method + " " + r.Pattern
		if !listed[key] {
			t.Errorf("docs/api.md does not list %s", key)
		}
		delete(listed, key)
	}
	for key := range listed {
		t.Errorf("docs/api.md lists %s, which the server does not route", key)
	}
}

// docs/gateway.md lists every signed gateway route, and no other: the
// gateway is outside the OpenAPI document, so this table is its reference.
func TestGatewayDocListsEveryRoute(t *testing.T) {
	doc, err := os.ReadFile("../../docs/gateway.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[2]), "`/gateway/") {
			continue
		}
		listed[strings.TrimSpace(cells[1])+" "+strings.Trim(strings.TrimSpace(cells[2]), "`")] = true
	}
	api := httpapi.New(app.New(storetest.SQLite(t), demo.ReferenceClock, auth.DefaultPolicy), httpapi.Options{})
	for _, key := range api.GatewayRouteKeys() {
		if !listed[key] {
			t.Errorf("docs/gateway.md does not list %s", key)
		}
		delete(listed, key)
	}
	for key := range listed {
		t.Errorf("docs/gateway.md lists %s, which the gateway does not route", key)
	}
}
