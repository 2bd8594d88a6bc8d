package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/govshare/govshare/internal/ledger"
)

// On SQLite every batch of the group committer holds the write lock from
// its BEGIN to its COMMIT, so the events its commands append can be
// numbered in process and written at the end of the batch in a few
// multi-row INSERTs and one update of the head, instead of two statements
// per event. A command that fails gives its numbers back before the next
// command runs, so the numbers stay gapless and in commit order, and the
// events are still committed or lost together with their acts.
type eventBuffer struct {
	conn   dbtx
	loaded bool  // head has been read (at the batch's first event)
	head   int64 // event_head.size when the batch began
	next   int64 // the last number given out
	events []ledger.Event
}

type eventMark struct {
	n      int
	next   int64
	loaded bool
}

func (b *eventBuffer) add(ctx context.Context, e ledger.Event) (int64, error) {
	if !b.loaded {
		if err := b.conn.QueryRowContext(ctx, "SELECT size FROM event_head WHERE id = 1").Scan(&b.head); err != nil {
			return 0, fmt.Errorf("store: event head: %w", err)
		}
		b.next, b.loaded = b.head, true
	}
	b.next++
	e.Seq = b.next
	b.events = append(b.events, e)
	return e.Seq, nil
}

func (b *eventBuffer) mark() eventMark { return eventMark{len(b.events), b.next, b.loaded} }

// reset forgets what a failed command appended. When that command was the
// batch's first to append, the head is forgotten with its numbers and read
// again by the next append: keeping it loaded while next went back to zero
// numbered the next command's events from 1.
func (b *eventBuffer) reset(m eventMark) {
	clear(b.events[m.n:])
	b.events, b.next, b.loaded = b.events[:m.n], m.next, m.loaded
}

// eventChunks are the row counts of the INSERTs a flush uses: a handful
// of statement shapes, each kept prepared on the writer's connection.
var eventChunks = []int{64, 16, 4, 1}

const eventColumns = 9

// flush writes the buffered events and moves the head.
func (b *eventBuffer) flush(ctx context.Context) error {
	conn := b.conn
	if len(b.events) == 0 {
		return nil
	}
	rest := b.events
	for _, n := range eventChunks {
		for len(rest) >= n {
			args := make([]any, 0, n*eventColumns)
			for _, e := range rest[:n] {
				args = append(args, e.Seq, e.At.UTC(), e.ActorID, nullable(e.DepartmentID), e.Action, e.ObjectType, e.ObjectID,
					nullable(e.ObjectDepartmentID), e.Digest)
			}
			if _, err := conn.ExecContext(ctx, insertEventsSQL(n), args...); err != nil {
				return fmt.Errorf("store: append %d events: %w", n, err)
			}
			rest = rest[n:]
		}
	}
	if _, err := conn.ExecContext(ctx, "UPDATE event_head SET size = ? WHERE id = 1 AND size = ?", b.next, b.head); err != nil {
		return fmt.Errorf("store: move event head: %w", err)
	}
	return nil
}

var insertEventsCache = map[int]string{}

func init() {
	for _, n := range eventChunks {
		var sb strings.Builder
		sb.WriteString("INSERT INTO events (seq, at, actor_id, department_id, action, object_type, object_id, object_department_id, digest) VALUES ")
		for i := range n {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?,?,?,?,?,?,?,?)")
		}
		insertEventsCache[n] = sb.String()
	}
}

func insertEventsSQL(n int) string { return insertEventsCache[n] }

// AppendEvents appends events that go with no other change (the record of
// reads, for one) and returns their numbers once they are durable. On
// SQLite they join the group committer's next batch without a savepoint of
// their own; on PostgreSQL they are one transaction.
func (s *Store) AppendEvents(ctx context.Context, evs []ledger.Event) ([]int64, error) {
	if len(evs) == 0 {
		return nil, nil
	}
	if s.group != nil {
		j := &writeJob{ctx: ctx, appendOnly: evs, done: make(chan struct{})}
		if err := s.group.submit(ctx, j); err != nil {
			return nil, err
		}
		return j.seqs, nil
	}
	seqs := make([]int64, len(evs))
	err := s.Write(ctx, func(tx *Tx) error {
		for i, e := range evs {
			seq, err := tx.AppendEvent(ctx, e)
			if err != nil {
				return err
			}
			seqs[i] = seq
		}
		return nil
	})
	return seqs, err
}
