package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCallOutputFile: `govshare call -o` saves a download owner-only (it
// holds granted data), and a refusal (an expired link, say) leaves the file
// downloaded before untouched and shows the problem on standard error.
func TestCallOutputFile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gateway/v1/downloads/expired" {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusGone)
			_, _ = w.Write([]byte(`{"code":"files.link_expired"}`))
			return
		}
		_, _ = w.Write([]byte("the copy"))
	}))
	defer srv.Close()
	secret := filepath.Join(t.TempDir(), "s.secret")
	if err := os.WriteFile(secret, []byte("gsc_x"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.xlsx")
	call := func(path string) (string, error) {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"call", "--url", srv.URL, "--key", "gsk_x", "--secret-file", secret, "-o", out,
			"GET", path}, strings.NewReader(""), &stdout, &stderr)
		return stderr.String(), err
	}
	if _, err := call("/gateway/v1/downloads/ok"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	st, serr := os.Stat(out)
	if err != nil || serr != nil || string(b) != "the copy" || st.Mode().Perm() != 0o600 {
		t.Fatalf("saved %q (%v), mode %v (%v)", b, err, st.Mode(), serr)
	}
	stderr, err := call("/gateway/v1/downloads/expired")
	if err == nil || !strings.Contains(stderr, "files.link_expired") {
		t.Fatalf("refusal: %v, stderr %q", err, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "the copy" {
		t.Errorf("a refusal replaced the downloaded file with %q", b)
	}
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Errorf("%d files beside the download, want it alone", len(ents))
	}
}
