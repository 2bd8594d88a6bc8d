package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// openCheckpointed opens an SQLite store whose checkpointer runs with cfg.
func openCheckpointed(t *testing.T, cfg checkpointConfig) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wal.db")
	s, err := openSQLite(context.Background(), path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// fill commits n rows of 4 KiB, one command each, so each is its own commit
// unless the group committer batches them.
func fill(t *testing.T, s *Store, n int) {
	t.Helper()
	ctx := context.Background()
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS fill (b BLOB)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if err := s.Write(ctx, func(tx *Tx) error {
			_, err := tx.tx.ExecContext(ctx, "INSERT INTO fill VALUES (randomblob(4096))")
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A commit does not checkpoint: 1,500 pages committed (past SQLite's default
// auto-checkpoint of 1,000) leave the database file as it was, all of them
// still in the WAL; and they are all there to read.
func TestCommitsDoNotCheckpoint(t *testing.T) {
	s, path := openCheckpointed(t, checkpointConfig{every: time.Hour, maxWAL: 1 << 40})
	fill(t, s, 1)
	before := size(t, path)
	fill(t, s, 1500)
	if got := size(t, path); got != before {
		t.Fatalf("database file grew from %d to %d bytes during commits: a commit checkpointed", before, got)
	}
	if wal := size(t, path+"-wal"); wal < 1500*4096 {
		t.Fatalf("WAL is %d bytes, want the 1,500 pages committed", wal)
	}
	var n int
	if err := s.Read(context.Background(), func(tx *Tx) error {
		return tx.tx.QueryRowContext(context.Background(), "SELECT count(*) FROM fill").Scan(&n)
	}); err != nil || n != 1501 {
		t.Fatalf("rows = %d, %v; want 1501", n, err)
	}
}

// The checkpointer copies the WAL into the database file on its own, and
// empties the WAL once it has grown past its bound.
func TestCheckpointerCopiesAndBoundsWAL(t *testing.T) {
	s, path := openCheckpointed(t, checkpointConfig{every: 20 * time.Millisecond, maxWAL: 1 << 20})
	fill(t, s, 1)
	before := size(t, path)
	fill(t, s, 1000)
	waitFor(t, "the database file holds the committed pages", func() bool { return size(t, path) >= before+1000*4096 })
	// One commit of 2 MiB, which no restart of the WAL can keep under the
	// bound of 1 MiB.
	s.ckpt.mu.Lock()
	truncatedBefore := s.ckpt.truncate
	s.ckpt.mu.Unlock()
	if err := s.Write(context.Background(), func(tx *Tx) error {
		_, err := tx.tx.ExecContext(context.Background(), "INSERT INTO fill SELECT randomblob(4096) FROM fill LIMIT 500")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The counter is updated just after the file is emptied.
	waitFor(t, "the WAL is emptied", func() bool {
		s.ckpt.mu.Lock()
		truncated := s.ckpt.truncate
		s.ckpt.mu.Unlock()
		return truncated > truncatedBefore && size(t, path+"-wal") == 0
	})
	s.ckpt.mu.Lock()
	err := s.ckpt.lastErr
	s.ckpt.mu.Unlock()
	if err != nil {
		t.Fatalf("last checkpoint: %v", err)
	}
}

// Close stops the checkpointer before the connections it uses are closed.
func TestCloseStopsCheckpointer(t *testing.T) {
	s, err := openSQLite(context.Background(), filepath.Join(t.TempDir(), "wal.db"), checkpointConfig{every: time.Millisecond, maxWAL: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s, 10)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.ckpt.done:
	default:
		t.Fatal("the checkpointer still runs after Close")
	}
}
