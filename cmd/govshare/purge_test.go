package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/demo"
)

// govshare purge removes the demo's usage record once its three years have
// run out, not a day before, and says what it removed.
func TestPurgeRemovesExpiredUsageRecords(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "g.db")
	a, err := openAppAt(ctx, db, newLogger(io.Discard), demo.ReferenceClock)
	if err != nil {
		t.Fatal(err)
	}
	p, err := demo.Load(ctx, a)
	a.Store.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Deliveries.UsageRecords) != 1 {
		t.Fatalf("demo usage records %v", p.Deliveries.UsageRecords)
	}
	purge := func(day int) string {
		t.Helper()
		var out bytes.Buffer
		at := func() time.Time { return time.Date(2029, 6, day, 9, 0, 0, 0, calendar.Shanghai) }
		if err := purgeAt(ctx, []string{"--db", db}, &out, io.Discard, at); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	// Written on 2026-06-15: kept through 2029-06-15.
	if out := purge(15); !strings.Contains(out, "removed 0 whose retention ended before 2029-06-15") {
		t.Errorf("on the last day: %q", out)
	}
	if out := purge(16); !strings.Contains(out, "removed 1 ") {
		t.Errorf("the day after: %q", out)
	}
	if out := purge(16); !strings.Contains(out, "removed 0 ") {
		t.Errorf("again: %q", out)
	}
	if err := purgeAt(ctx, []string{"--db", db, "extra"}, io.Discard, io.Discard, time.Now); err == nil {
		t.Error("an unexpected argument was accepted")
	}
}
