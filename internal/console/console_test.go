package console_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/govshare/govshare/internal/console"
)

func get(t *testing.T, srv *httptest.Server, p string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+p, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestServesPagesAndAssets(t *testing.T) {
	srv := httptest.NewServer(console.Handler())
	t.Cleanup(srv.Close)
	index, err := os.ReadFile("web/index.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/console/", "/console/signin", "/console/catalog/entries/abc?x=1"} {
		res, body := get(t, srv, p)
		if res.StatusCode != 200 || body != string(index) || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: %d %s, want index.html", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	res, body := get(t, srv, "/console/assets/app.js")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(body, "start()") {
		t.Errorf("app.js: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, _ := get(t, srv, "/console/assets/app.css"); !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("app.css: %s", res.Header.Get("Content-Type"))
	}
	// A missing file is a 404, never the page (which would hide a broken import).
	if res, _ := get(t, srv, "/console/assets/nope.js"); res.StatusCode != 404 {
		t.Errorf("missing asset: %d", res.StatusCode)
	}
	// Every answer carries the security headers; unchanged files revalidate cheaply.
	for _, p := range []string{"/console/", "/console/assets/app.js", "/console/assets/nope.js"} {
		res, _ := get(t, srv, p)
		for h, want := range map[string]string{
			"Content-Security-Policy": console.SecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
		} {
			if got := res.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", p, h, got, want)
			}
		}
	}
	res, _ = get(t, srv, "/console/assets/app.js")
	if again, _ := get(t, srv, "/console/assets/app.js", "If-None-Match", res.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", again.StatusCode)
	}
	for _, d := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(console.SecurityPolicy, d) {
			t.Errorf("the policy lacks %s", d)
		}
	}
	if strings.Contains(console.SecurityPolicy, "unsafe") {
		t.Error("the policy allows unsafe-inline or unsafe-eval")
	}
}

// The conventions of docs/console.md that a machine can check: no inline
// script or handler in the HTML, no HTML built from strings in the scripts,
// every relative import resolves to a file, and every page module exports
// title and render.
func TestConventions(t *testing.T) {
	web := os.DirFS("web")
	index, _ := fs.ReadFile(web, "index.html")
	if m := regexp.MustCompile(`<script(?:[^>]*)>`).FindAllString(string(index), -1); len(m) == 0 {
		t.Error("index.html loads no script")
	} else {
		for _, tag := range m {
			if !strings.Contains(tag, `src="`) {
				t.Errorf("inline script in index.html: %s", tag)
			}
		}
	}
	if regexp.MustCompile(`\son[a-z]+=`).Match(index) || strings.Contains(string(index), "style=") {
		t.Error("index.html has an inline handler or style")
	}
	forbidden := regexp.MustCompile(`\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(`)
	imports := regexp.MustCompile(`(?:from\s+|import\()\s*'(\.{1,2}/[^']+)'`)
	pages := 0
	err := fs.WalkDir(web, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".js" {
			return err
		}
		src, err := fs.ReadFile(web, p)
		if err != nil {
			return err
		}
		if loc := forbidden.FindIndex(src); loc != nil {
			t.Errorf("%s builds HTML from a string or evaluates code: %q", p, src[loc[0]:loc[1]])
		}
		for _, m := range imports.FindAllSubmatch(src, -1) {
			target := path.Join(path.Dir(p), string(m[1]))
			if _, err := fs.Stat(web, target); err != nil {
				t.Errorf("%s imports %s, which does not exist", p, m[1])
			}
		}
		if strings.HasPrefix(p, "assets/pages/") {
			pages++
			for _, export := range []string{"export const title", "export async function render("} {
				if !strings.Contains(string(src), export) {
					t.Errorf("page %s lacks %q", p, export)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages == 0 {
		t.Error("no page modules found")
	}
}
