// Package shard1 runs shard 1 of the console's browser tests
// (e2e.Run): a package of its own so that it has its own time budget.
package shard1

import (
	"testing"

	"github.com/govshare/govshare/e2e"
)

func TestConsoleInChromium(t *testing.T) { e2e.Run(t, 1) }
