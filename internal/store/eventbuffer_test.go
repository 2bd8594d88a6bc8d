package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/ledger"
)

// TestEventBufferFirstCommandFails: when the first command of a batch to
// append an event fails, the next command's events are numbered after the
// record's head, not from 1 (a flaky UNIQUE failure of events.seq in
// TestConcurrentCommandsFailAlone came from this).
func TestEventBufferFirstCommandFails(t *testing.T) {
	ctx := context.Background()
	s, _ := openCheckpointed(t, defaultCheckpoint)
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := ledger.Event{At: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), ActorID: "a", Action: "test.act", ObjectType: "x", ObjectID: "1", Digest: "sm3:00"}
	// Two events on record first.
	if _, err := s.AppendEvents(ctx, []ledger.Event{e, e}); err != nil {
		t.Fatal(err)
	}
	// No t.Fatal inside: the function runs on the group committer's goroutine.
	var first, second int64
	err := s.Write(ctx, func(tx *Tx) error {
		b := &eventBuffer{conn: tx.tx}
		m := b.mark()
		var err error
		if first, err = b.add(ctx, e); err != nil {
			return err
		}
		b.reset(m) // the command failed
		if second, err = b.add(ctx, e); err != nil {
			return err
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		return errors.New("roll back the test's batch")
	})
	if err == nil || err.Error() != "roll back the test's batch" {
		t.Fatalf("flush: %v", err)
	}
	if first != 3 || second != 3 {
		t.Fatalf("numbers %d then, after the first command failed, %d; want 3 both times", first, second)
	}
}
