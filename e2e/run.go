// Package e2e runs the console's end-to-end tests in a real browser: the
// whole platform in this process on a temporary SQLite file with the demo
// province, served over real HTTP, and `node --test` driving Debian's
// headless Chromium through playwright-core (tests/*.test.mjs). See
// docs/console.md.
//
// The test files are shared among Shards Go packages (this one, shard1,
// shard2 and shard3), each running its part in TestConsoleInChromium:
// `go test` gives every package its own time budget (10 minutes by
// default), which the whole browser suite on a two-core machine would not
// keep to, and runs the packages side by side. Run them all with
// `go test ./e2e/...`.
package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/demo"
	"github.com/govshare/govshare/internal/files"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/httpapi"
	"github.com/govshare/govshare/internal/storetest"
)

// Chromium is Debian's browser, the one the tests drive.
const Chromium = "/usr/bin/chromium"

// Shards is how many Go packages share the test files: file i (in name
// order) runs in shard i % Shards. A new file needs no list kept.
const Shards = 4

// Dir is the e2e directory (tests/, lib/, node_modules/), wherever the
// calling package's test runs from.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// Run runs shard's part of tests/ in Chromium: each file against a platform
// of its own (a fresh database with the demo province), so that a flow that
// moves an application or a grant on cannot change what another file
// expects. The tests of one file run one after another, on that file's
// platform; files run in parallel.
func Run(t *testing.T, shard int) {
	dir := Dir()
	node := RequireTools(t)
	tests, err := filepath.Glob(filepath.Join(dir, "tests", "*.test.mjs"))
	if err != nil || len(tests) == 0 {
		t.Fatalf("no browser tests found in e2e/tests: %v", err)
	}
	// Each shard keeps the screenshots of its failures in a folder of its
	// own, so that shards running side by side do not clear each other's.
	artifacts := filepath.Join(dir, "artifacts", "shard"+strconv.Itoa(shard))
	if err := os.RemoveAll(artifacts); err != nil {
		t.Fatal(err)
	}
	for i, file := range tests {
		if i%Shards != shard {
			continue
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".test.mjs"), func(t *testing.T) {
			// Files run side by side, as many as -parallel allows (GOMAXPROCS
			// by default): each has its own platform, and a browser spends most
			// of its time waiting for the server.
			t.Parallel()
			srv := Platform(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, node, "--test", "--test-concurrency=1", file)
			cmd.Env = append(os.Environ(),
				"GOVSHARE_E2E_BASE_URL="+srv.URL,
				"GOVSHARE_E2E_CHROMIUM="+Chromium,
				"GOVSHARE_E2E_ARTIFACTS="+artifacts,
				"GOVSHARE_E2E_PASSWORD="+demo.Password,
			)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("browser tests of %s failed (%v); screenshots in %s\n%s", file, err, artifacts, out)
			}
			t.Logf("%s", out)
		})
	}
}

// Platform serves a new platform with the demo province.
//
// The demo province's history is dated from demo.ReferenceTime, and the
// clock runs on from there: the to-do list then holds an item due the next
// working day (amber) and one overdue (red), as the demo leaves them,
// without writing anything into the past.
func Platform(t *testing.T) *httptest.Server {
	t.Helper()
	start := time.Now()
	a := app.New(storetest.SQLite(t), func() time.Time { return demo.ReferenceTime.Add(time.Since(start)) }, auth.DefaultPolicy)
	keys, err := gateway.NewKeyring(make([]byte, 32)) // a test master key
	if err != nil {
		t.Fatal(err)
	}
	a.Gateway.UseKeyring(keys)
	// Files are stored, as `govshare demo` and `serve` store them: the demo
	// then uploads its workbook for the file-download grant.
	if err := a.Files.Configure(files.Config{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	sealLedger(t, a) // ledger.go: signed checkpoints, as `govshare serve` has
	runPusher(t, a)  // push.go: batch-exchange pushes, as `govshare serve` runs them
	srv := httptest.NewServer(httpapi.New(a, httpapi.Options{}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// RequireTools returns node's path, or skips the test when node, Chromium
// or e2e/node_modules is missing — except under CI, where .ci/run installs
// them and their absence is a failure.
func RequireTools(t *testing.T) string {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing under CI: .ci/run must install it", what)
		}
		t.Skipf("%s is missing; browser tests skipped (see docs/console.md)", what)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node")
	}
	if _, err := os.Stat(Chromium); err != nil {
		missing(Chromium)
	}
	if _, err := os.Stat(filepath.Join(Dir(), "node_modules", "playwright-core", "package.json")); err != nil {
		missing("e2e/node_modules (npm ci --prefix e2e)")
	}
	return node
}
