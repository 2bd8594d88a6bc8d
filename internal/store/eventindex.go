package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The departments each event concerns are indexed after the commit, in
// bulk (migration 00017): a commit writes only the events themselves.
// Listings read event_departments up to event_index_head.size and scan
// the events after it, so they are right whether the indexer is behind or
// not; it only keeps that tail short.

// indexBatch bounds the events one indexing transaction takes.
const indexBatch = 4096

// eventsIndexed is the SQL of the index head, for listings.
const eventsIndexed = "(SELECT size FROM event_index_head WHERE id = 1)"

// concerns is the condition that an event e concerns a department of set
// (an SQL set: "(?)" or a subquery); n is how many arguments set takes.
func concerns(set string) string {
	return "(e.seq IN (SELECT seq FROM event_departments WHERE department_id IN " + set + ")" +
		" OR (e.seq > " + eventsIndexed + " AND (e.department_id IN " + set + " OR e.object_department_id IN " + set + ")))"
}

// IndexEvents indexes the departments of the events committed since the
// last call, a batch at a time, and returns how many it indexed.
func (s *Store) IndexEvents(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.Write(ctx, func(tx *Tx) (err error) { n, err = tx.indexEvents(ctx); return err })
		total += n
		if err != nil || n < indexBatch {
			return total, err
		}
	}
}

func (t *Tx) indexEvents(ctx context.Context) (int, error) {
	var head int64
	if err := t.tx.QueryRowContext(ctx, "SELECT size FROM event_index_head WHERE id = 1").Scan(&head); err != nil {
		return 0, fmt.Errorf("store: event index head: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT seq, COALESCE(department_id, ''), COALESCE(object_department_id, '') FROM events
WHERE seq > $1 ORDER BY seq LIMIT $2`, head, indexBatch)
	if err != nil {
		return 0, fmt.Errorf("store: events to index: %w", err)
	}
	type pair struct {
		dept string
		seq  int64
	}
	var (
		pairs []pair
		last  = head
		n     int
	)
	for rows.Next() {
		var (
			seq       int64
			dept, obj string
		)
		if err := rows.Scan(&seq, &dept, &obj); err != nil {
			rows.Close()
			return 0, err
		}
		if dept != "" {
			pairs = append(pairs, pair{dept, seq})
		}
		if obj != "" && obj != dept {
			pairs = append(pairs, pair{obj, seq})
		}
		last, n = seq, n+1
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	const chunk = 300
	for len(pairs) > 0 {
		k := min(chunk, len(pairs))
		var sb strings.Builder
		sb.WriteString("INSERT INTO event_departments (department_id, seq) VALUES ")
		args := make([]any, 0, 2*k)
		for i, p := range pairs[:k] {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(" + t.placeholder(2*i+1) + "," + t.placeholder(2*i+2) + ")")
			args = append(args, p.dept, p.seq)
		}
		sb.WriteString(" ON CONFLICT DO NOTHING")
		if _, err := t.exec(ctx, sb.String(), args...); err != nil {
			return 0, fmt.Errorf("store: index events: %w", err)
		}
		pairs = pairs[k:]
	}
	// Another node may have indexed the same events meanwhile: the rows
	// are the same, and only one of us moves the head.
	if _, err := t.exec(ctx, "UPDATE event_index_head SET size = $1 WHERE id = 1 AND size = $2", last, head); err != nil {
		return 0, fmt.Errorf("store: move event index head: %w", err)
	}
	return n, nil
}

// placeholder is the i-th (from 1) bind parameter: plain "?" on SQLite,
// whose numbered parameters are looked up in a list (quadratic in a long
// multi-row INSERT), "$i" on PostgreSQL.
func (t *Tx) placeholder(i int) string {
	if t.engine == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(i)
}
