package bench_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/bench"
)

// rowServer answers every query with one row, as the upstream and the bare
// server do.
func rowServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"rows":[{"x":1}]}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRunLoad(t *testing.T) {
	srv := rowServer(t)
	ctx := context.Background()
	r, err := bench.RunLoad(ctx, bench.LoadSpec{Name: "plain", Workers: 2, Duration: 100 * time.Millisecond, URL: srv.URL, N: 10})
	if err != nil || r.Result.Ops == 0 || r.Result.Name != "plain" {
		t.Fatalf("throughput: %+v %v", r, err)
	}
	l, err := bench.RunLoad(ctx, bench.LoadSpec{Name: "fixed", Workers: 4, Duration: 200 * time.Millisecond, Rate: 50, URL: srv.URL, N: 10})
	if err != nil || l.Latency.Calls != 10 || l.Latency.P99 < l.Latency.P50 {
		t.Fatalf("fixed rate: %+v %v", l, err)
	}
	if _, err := bench.RunLoad(ctx, bench.LoadSpec{Name: "empty"}); err == nil || !strings.Contains(err.Error(), "required") {
		t.Fatalf("empty spec: %v", err)
	}
}

// TestChildProcessLoader: the spec goes to the child's stdin, its stdout is
// the result, and a child that fails is an error naming the measurement.
func TestChildProcessLoader(t *testing.T) {
	ctx := context.Background()
	want := bench.LoadResult{Result: bench.Result{Name: "x", Ops: 7, Elapsed: time.Second}}
	out, _ := json.Marshal(want)
	// The child checks that the spec, secret included, came on stdin.
	script := `grep -q '"secret":"s3cret"' && echo '` + string(out) + `'`
	got, err := bench.ChildProcess("sh", "-c", script)(ctx, bench.LoadSpec{Name: "x", Secret: "s3cret"})
	if err != nil || got.Result != want.Result {
		t.Fatalf("child: %+v %v", got, err)
	}
	if _, err := bench.ChildProcess("sh", "-c", "exit 3")(ctx, bench.LoadSpec{Name: "broken"}); err == nil || !strings.Contains(err.Error(), `"broken"`) {
		t.Fatalf("failing child: %v", err)
	}
}
