package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/govshare/govshare/internal/ledger"
)

// SQLite has one writer, and with synchronous=FULL every commit waits for
// the disk. Committing each command on its own would cap the platform at the
// disk's fsync rate. The group committer runs the commands that arrive
// together in ONE transaction, each inside its own savepoint, and commits
// once: a command that fails is rolled back to its savepoint alone, and no
// command is acknowledged before the commit that makes it durable. This is
// the group commit that PostgreSQL does internally.

// dbtx is what a Tx runs statements on: a *sql.Tx, or the group committer's
// connection inside a savepoint.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type writeJob struct {
	ctx context.Context
	fn  func(*Tx) error
	// appendOnly, when fn is nil, are events to append and nothing else
	// (Store.AppendEvents): they need no savepoint, and seqs receives
	// their numbers.
	appendOnly []ledger.Event
	seqs       []int64
	err        error
	panicV     any
	done       chan struct{}
}

// maxBatch bounds how many commands share one commit, so that one slow batch
// does not hold many requests.
const maxBatch = 64

// batchGather is how many yields that bring nothing new close a batch.
const batchGather = 3

type groupCommitter struct {
	db     *sql.DB
	jobs   chan *writeJob
	engine Engine
	wg     sync.WaitGroup
	// gen, when set, is bumped after a batch that touched configuration
	// commits (generation.go).
	gen *atomic.Uint64
}

func newGroupCommitter(db *sql.DB, engine Engine) *groupCommitter {
	g := &groupCommitter{db: db, jobs: make(chan *writeJob), engine: engine}
	g.wg.Add(1)
	go g.loop()
	return g
}

// do runs fn in the next batch and waits until that batch has committed or
// failed. It waits even if ctx ends meanwhile: the caller must learn whether
// its command was made durable.
func (g *groupCommitter) do(ctx context.Context, fn func(*Tx) error) error {
	return g.submit(ctx, &writeJob{ctx: ctx, fn: fn, done: make(chan struct{})})
}

func (g *groupCommitter) submit(ctx context.Context, j *writeJob) error {
	select {
	case g.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	<-j.done
	if j.panicV != nil {
		panic(j.panicV)
	}
	return j.err
}

func (g *groupCommitter) close() {
	close(g.jobs)
	g.wg.Wait()
}

func (g *groupCommitter) loop() {
	defer g.wg.Done()
	for first := range g.jobs {
		batch, open := g.gather(first)
		g.commit(batch)
		for _, j := range batch {
			close(j.done)
		}
		if !open {
			return
		}
	}
}

// gather takes what is queued after first into one batch. The callers the
// last commit released are still on their way back with their next
// command: the committer yields and takes more for as long as yielding
// brings new commands (at most batchGather idle rounds), so they join this
// batch instead of waiting a whole commit for the next one. A yield costs
// microseconds; a commit, an fsync.
func (g *groupCommitter) gather(first *writeJob) (batch []*writeJob, open bool) {
	batch = []*writeJob{first}
	for idle := 0; idle < batchGather && len(batch) < maxBatch; {
		n := len(batch)
	drain:
		for len(batch) < maxBatch {
			select {
			case j, ok := <-g.jobs:
				if !ok {
					return batch, false
				}
				batch = append(batch, j)
			default:
				break drain
			}
		}
		if len(batch) == n {
			idle++
		} else {
			idle = 0
		}
		runtime.Gosched()
	}
	return batch, true
}

// commit runs a batch in one transaction on one connection.
func (g *groupCommitter) commit(batch []*writeJob) {
	ctx := context.Background()
	fail := func(err error) {
		for _, j := range batch {
			if j.err == nil && j.panicV == nil {
				j.err = err
			}
		}
	}
	conn, err := g.db.Conn(ctx)
	if err != nil {
		fail(fmt.Errorf("store: writer connection: %w", err))
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		fail(fmt.Errorf("store: begin: %w", err))
		return
	}
	events := &eventBuffer{conn: conn}
	ok, touched := 0, false
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.err = err
			continue
		}
		if j.fn == nil {
			mark := events.mark()
			j.seqs = make([]int64, len(j.appendOnly))
			for k, e := range j.appendOnly {
				if j.seqs[k], j.err = events.add(ctx, e); j.err != nil {
					events.reset(mark)
					break
				}
			}
			if j.err == nil {
				ok++
			}
			continue
		}
		sp := "cmd" + strconv.Itoa(i)
		if _, err := conn.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
			j.err = fmt.Errorf("store: savepoint: %w", err)
			continue
		}
		mark := events.mark()
		tx := &Tx{tx: conn, engine: g.engine, events: events}
		j.err, j.panicV = runJob(j, tx)
		touched = touched || tx.touched
		if j.err != nil || j.panicV != nil {
			events.reset(mark)
			if _, err := conn.ExecContext(ctx, "ROLLBACK TO "+sp); err != nil {
				// The transaction is in an unknown state: give it all up.
				_, _ = conn.ExecContext(ctx, "ROLLBACK")
				fail(fmt.Errorf("store: rollback to savepoint: %w", err))
				return
			}
		}
		if _, err := conn.ExecContext(ctx, "RELEASE "+sp); err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			fail(fmt.Errorf("store: release savepoint: %w", err))
			return
		}
		if j.err == nil && j.panicV == nil {
			ok++
		}
	}
	if ok == 0 {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		return
	}
	if err := events.flush(ctx); err != nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		fail(err)
		return
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		fail(fmt.Errorf("store: commit: %w", err))
		return
	}
	if touched && g.gen != nil {
		g.gen.Add(1) // after the COMMIT, before any job is acknowledged
	}
}

func runJob(j *writeJob, tx *Tx) (err error, panicV any) {
	defer func() {
		if p := recover(); p != nil {
			panicV = p
		}
	}()
	return j.fn(tx), nil
}
