package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/bench"
)

// TestBenchLoadCommand: `govshare bench-load` reads a spec on stdin, calls
// the server and writes what it measured on stdout.
func TestBenchLoadCommand(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"rows":[{"x":1}]}`))
	}))
	defer srv.Close()
	spec, _ := json.Marshal(bench.LoadSpec{Name: "plain", Workers: 2, Duration: 100 * time.Millisecond, URL: srv.URL, N: 5})
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"bench-load"}, bytes.NewReader(spec), &out, &errOut); err != nil {
		t.Fatalf("bench-load: %v %s", err, errOut.String())
	}
	var r bench.LoadResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.Result.Ops == 0 {
		t.Fatalf("result %q: %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"bench-load"}, strings.NewReader("{"), &out, &errOut); err == nil || !strings.Contains(err.Error(), "spec on stdin") {
		t.Fatalf("bad spec: %v", err)
	}
}
