package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleInChromium runs shard 0 of the browser tests (run.go); shard1,
// shard2 and shard3 run the others.
func TestConsoleInChromium(t *testing.T) { Run(t, 0) }

// TestEveryShardHasAPackage: each shard but 0 is run by the package
// shard<N> (e2e.Run(t, N)), and there is no package for a shard that does
// not exist; otherwise a change of Shards would leave files unrun.
func TestEveryShardHasAPackage(t *testing.T) {
	for n := 1; n < Shards; n++ {
		src, err := os.ReadFile(filepath.Join(Dir(), fmt.Sprintf("shard%d", n), fmt.Sprintf("shard%d_test.go", n)))
		if err != nil {
			t.Errorf("shard %d has no package: %v", n, err)
			continue
		}
		if !strings.Contains(string(src), fmt.Sprintf("e2e.Run(t, %d)", n)) {
			t.Errorf("package shard%d does not run shard %d", n, n)
		}
	}
	extra, _ := filepath.Glob(filepath.Join(Dir(), "shard*"))
	if len(extra) != Shards-1 {
		t.Errorf("%d shard packages for %d shards: %v", len(extra), Shards, extra)
	}
}
