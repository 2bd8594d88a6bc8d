package store

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/ledger"
)

// AppendEvent implements the domain Tx interfaces: it takes the next sequence
// number by incrementing the single head row — which holds a row lock until
// commit, so numbers follow commit order without gaps — and inserts the event
// in the caller's transaction. On PostgreSQL both are one statement (one
// round trip less for every recorded act); SQLite has no UPDATE in a WITH
// clause, and runs them in process anyway.
func (t *Tx) AppendEvent(ctx context.Context, e ledger.Event) (int64, error) {
	if t.events != nil {
		return t.events.add(ctx, e)
	}
	args := []any{e.At.UTC(), e.ActorID, nullable(e.DepartmentID), e.Action, e.ObjectType, e.ObjectID, nullable(e.ObjectDepartmentID), e.Digest}
	var seq int64
	if t.engine == Postgres {
		err := t.tx.QueryRowContext(ctx, `WITH head AS (UPDATE event_head SET size = size + 1 WHERE id = 1 RETURNING size)
INSERT INTO events (seq, at, actor_id, department_id, action, object_type, object_id, object_department_id, digest)
SELECT size, $1, $2, $3, $4, $5, $6, $7, $8 FROM head RETURNING seq`, args...).Scan(&seq)
		if err != nil {
			return 0, fmt.Errorf("store: append event: %w", err)
		}
		return seq, nil
	}
	if err := t.tx.QueryRowContext(ctx, "UPDATE event_head SET size = size + 1 WHERE id = 1 RETURNING size").Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: next event number: %w", err)
	}
	_, err := t.exec(ctx, `INSERT INTO events (seq, at, actor_id, department_id, action, object_type, object_id, object_department_id, digest)
VALUES ($9, $1, $2, $3, $4, $5, $6, $7, $8)`, append(args, seq)...)
	if err != nil {
		return 0, fmt.Errorf("store: append event: %w", err)
	}
	return seq, nil
}

// ListEvents implements ledger.Tx.
func (t *Tx) ListEvents(ctx context.Context, f ledger.Filter) ([]ledger.Event, error) {
	// An event concerns a department when the actor acted for it or the
	// object belongs to it; region and department filters match either.
	const cols = `SELECT e.seq, e.at, e.actor_id, COALESCE(e.department_id, ''), e.action, e.object_type, e.object_id,
COALESCE(e.object_department_id, ''), e.digest FROM events e`
	var q *query
	if f.Region != "" {
		q = newQuery(regionCTE)
		q.args = append(q.args, f.Region)
		q.tail(cols + " WHERE " + concerns("(SELECT id FROM departments WHERE division_code IN (SELECT code FROM region))"))
	} else {
		q = newQuery(cols + " WHERE 1=1")
	}
	if f.DepartmentID != "" {
		q.where(concerns("(?)"), f.DepartmentID, f.DepartmentID, f.DepartmentID)
	}
	if f.ObjectType != "" {
		q.where("e.object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q.where("e.object_id = ?", f.ObjectID)
	}
	if f.Action != "" {
		q.where("e.action = ?", f.Action)
	}
	if f.After > 0 {
		q.where("e.seq > ?", f.After)
	}
	if !f.From.IsZero() {
		q.where("e.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q.where("e.at < ?", f.To.UTC())
	}
	q.tail(" ORDER BY e.seq LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list events: %w", err)
	}
	defer rows.Close()
	out := []ledger.Event{}
	for rows.Next() {
		var e ledger.Event
		if err := rows.Scan(&e.Seq, timeValue{&e.At}, &e.ActorID, &e.DepartmentID, &e.Action, &e.ObjectType, &e.ObjectID, &e.ObjectDepartmentID, &e.Digest); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EventCount implements ledger.Tx.
func (t *Tx) EventCount(ctx context.Context) (int64, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, "SELECT size FROM event_head WHERE id = 1").Scan(&n)
	return n, err
}
