package store

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"time"
)

// In WAL mode SQLite appends commits to the -wal file and copies them back
// into the database file at a checkpoint. By default the connection that
// commits runs that checkpoint itself, inside its commit, whenever the WAL
// passes 1000 pages: copying the pages and fsyncing the database file then
// delays every command of the group committer's batch, and everything queued
// behind it (under the gateway benchmark, one commit in several hundred
// took 20 to 50 ms instead of its usual half a millisecond).
//
// So the write connections never checkpoint (wal_autocheckpoint=0) and a
// checkpointer does it beside them on a connection of its own. A PASSIVE
// checkpoint takes no lock that a writer or a reader waits on: it copies
// what no reader still needs and leaves the rest for the next round. The
// writer starts the WAL afresh once everything is copied. Under writes that
// never pause that moment may not come, and the file would grow without end:
// past maxWAL bytes the checkpointer runs a TRUNCATE checkpoint, which holds
// the writer for as long as the few pages not yet copied and the readers
// still on the WAL take (at most its 200 ms busy timeout), and empties the
// file. Durability does not change: a commit is acknowledged once it is
// in the WAL and the WAL is fsynced (synchronous=FULL), with or without a
// checkpoint after it.

// checkpointConfig says how often the checkpointer runs and how large the
// WAL may grow before it is emptied.
type checkpointConfig struct {
	every  time.Duration
	maxWAL int64
}

var defaultCheckpoint = checkpointConfig{every: time.Second, maxWAL: 64 << 20}

type checkpointer struct {
	db   *sql.DB
	wal  string // path of the -wal file
	cfg  checkpointConfig
	stop chan struct{}
	done chan struct{} // closed when the loop has ended

	mu       sync.Mutex
	rounds   int   // checkpoints run, for tests
	lastErr  error // of the last round, for tests
	truncate int   // TRUNCATE checkpoints finished, for tests
}

func newCheckpointer(db *sql.DB, dbPath string, cfg checkpointConfig) *checkpointer {
	c := &checkpointer{db: db, wal: dbPath + "-wal", cfg: cfg, stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

func (c *checkpointer) loop() {
	defer close(c.done)
	t := time.NewTicker(c.cfg.every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.round()
		}
	}
}

// round runs one PASSIVE checkpoint, and a TRUNCATE one if the WAL has
// grown past its bound.
func (c *checkpointer) round() {
	busy, err := c.checkpoint("PASSIVE")
	truncated := false
	if err == nil {
		// A TRUNCATE checkpoint holds the writer while it waits for the
		// readers still on the WAL: it is tried when the PASSIVE one found
		// none in its way, or, past four times the bound, regardless.
		if fi, statErr := os.Stat(c.wal); statErr == nil &&
			(fi.Size() > c.cfg.maxWAL && !busy || fi.Size() > 4*c.cfg.maxWAL) {
			busy, err = c.checkpoint("TRUNCATE")
			truncated = err == nil && !busy
		}
	}
	c.mu.Lock()
	c.rounds++
	c.lastErr = err
	if truncated {
		c.truncate++
	}
	c.mu.Unlock()
}

// checkpoint runs one checkpoint and reports whether it was kept from
// copying all of the WAL (by a reader or the writer); a round that could
// not is followed by another.
func (c *checkpointer) checkpoint(mode string) (busy bool, err error) {
	var b, log, copied int
	err = c.db.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint("+mode+")").Scan(&b, &log, &copied)
	return b != 0 || copied < log, err
}

// close stops the checkpointer and waits for a round under way to end.
func (c *checkpointer) close() {
	close(c.stop)
	<-c.done
}
