package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/demo"
)

// TestConsoleScreenshots writes the screenshots of the user guides
// (docs/console-guide/) from the real console on a fresh demo platform:
//
//	GOVSHARE_SCREENSHOTS=$PWD/docs/images go test ./e2e -run TestConsoleScreenshots -v
//
// It runs only when GOVSHARE_SCREENSHOTS names the output directory: the
// pictures are documentation, not a check, so neither `go test ./...` nor
// CI rewrites them.
func TestConsoleScreenshots(t *testing.T) {
	out := os.Getenv("GOVSHARE_SCREENSHOTS")
	if out == "" {
		t.Skip("GOVSHARE_SCREENSHOTS is not set; set it to the output directory (docs/images) to write the guides' screenshots")
	}
	out, err := filepath.Abs(out)
	if err != nil {
		t.Fatal(err)
	}
	node := RequireTools(t)
	srv := Platform(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("screenshots", "shoot.mjs"))
	cmd.Env = append(os.Environ(),
		"GOVSHARE_E2E_BASE_URL="+srv.URL,
		"GOVSHARE_E2E_CHROMIUM="+Chromium,
		"GOVSHARE_E2E_PASSWORD="+demo.Password,
		"GOVSHARE_SCREENSHOTS="+out,
	)
	output, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("taking screenshots failed (%v):\n%s", err, output)
	}
	t.Logf("screenshots in %s:\n%s", out, output)
}
