package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The console is served by the API's own handler, so `serve` and `demo`
// both have it; GET / leads there.
func TestConsoleIsMounted(t *testing.T) {
	_, api := oaNewAPI(t)
	ts := httptest.NewServer(api.Handler())
	t.Cleanup(ts.Close)
	srv := ts.URL
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(srv + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/console/" {
		t.Fatalf("GET /: %d to %q, want 302 to /console/", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = http.Get(srv + "/console/catalog/entries/some-id")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("a console page: %d %v", res.StatusCode, res.Header)
	}
	// The API's own 404s are unchanged.
	res, err = http.Get(srv + "/api/v1/nothing-here")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("unknown API path: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
