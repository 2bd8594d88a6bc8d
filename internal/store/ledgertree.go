package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/transparency-dev/merkle/compact"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/ledger/tlog"
)

// The Merkle tree over the events (internal/ledger/tree.go); these
// implement ledger.TreeTx and ledger.VerifyTx.

const eventCols = `seq, at, actor_id, COALESCE(department_id, ''), action, object_type, object_id, COALESCE(object_department_id, ''), digest`

func scanEvent(rows *sql.Rows) (ledger.Event, error) {
	var e ledger.Event
	err := rows.Scan(&e.Seq, timeValue{&e.At}, &e.ActorID, &e.DepartmentID, &e.Action, &e.ObjectType, &e.ObjectID, &e.ObjectDepartmentID, &e.Digest)
	return e, err
}

// LedgerState implements ledger.TreeTx.
func (t *Tx) LedgerState(ctx context.Context) (*ledger.State, error) {
	var (
		s   ledger.State
		alg string
		cp  string
	)
	err := t.tx.QueryRowContext(ctx, "SELECT hash_algorithm, size, root, checkpoint, purged FROM ledger_state WHERE id = 1").
		Scan(&alg, &s.Size, &s.Root, &cp, &s.Purged)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: ledger state: %w", err)
	}
	s.Algorithm, s.Checkpoint = tlog.Algorithm(alg), []byte(cp)
	return &s, nil
}

// SaveLedgerState implements ledger.TreeTx.
func (t *Tx) SaveLedgerState(ctx context.Context, s ledger.State, prev *ledger.State) error {
	if prev == nil {
		res, err := t.exec(ctx, `INSERT INTO ledger_state (id, hash_algorithm, size, root, checkpoint, purged) VALUES (1, $1, $2, $3, $4, $5)
ON CONFLICT (id) DO NOTHING`, string(s.Algorithm), s.Size, s.Root, string(s.Checkpoint), s.Purged)
		return movedUnlessOne(res, err)
	}
	res, err := t.exec(ctx, `UPDATE ledger_state SET size = $1, root = $2, checkpoint = $3, purged = $4 WHERE id = 1 AND size = $5 AND purged = $6`,
		s.Size, s.Root, string(s.Checkpoint), s.Purged, prev.Size, prev.Purged)
	return movedUnlessOne(res, err)
}

func movedUnlessOne(res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("store: save ledger state: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ledger.ErrTreeMoved
	}
	return nil
}

// EventsAfter implements ledger.TreeTx.
func (t *Tx) EventsAfter(ctx context.Context, after int64, limit int) ([]ledger.Event, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+eventCols+" FROM events WHERE seq > $1 ORDER BY seq LIMIT $2", after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: events after %d: %w", after, err)
	}
	defer rows.Close()
	var out []ledger.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ScanEvents implements ledger.VerifyTx.
func (t *Tx) ScanEvents(ctx context.Context, fn func(ledger.Event) error) error {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+eventCols+" FROM events ORDER BY seq")
	if err != nil {
		return fmt.Errorf("store: scan events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ScanLeafHashes implements ledger.VerifyTx.
func (t *Tx) ScanLeafHashes(ctx context.Context, fn func(uint64, []byte) error) error {
	rows, err := t.tx.QueryContext(ctx, "SELECT idx, hash FROM ledger_nodes WHERE level = 0 ORDER BY idx")
	if err != nil {
		return fmt.Errorf("store: scan leaf hashes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			i uint64
			h []byte
		)
		if err := rows.Scan(&i, &h); err != nil {
			return err
		}
		if err := fn(i, h); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LedgerNodes implements ledger.TreeTx.
func (t *Tx) LedgerNodes(ctx context.Context, ids []compact.NodeID) ([][]byte, error) {
	if len(ids) == 0 {
		return [][]byte{}, nil
	}
	q := newQuery("SELECT level, idx, hash FROM ledger_nodes WHERE ")
	for i, id := range ids {
		if i > 0 {
			q.tail(" OR ")
		}
		q.tail("(level = " + q.arg(int64(id.Level)) + " AND idx = " + q.arg(id.Index) + ")")
	}
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: ledger nodes: %w", err)
	}
	defer rows.Close()
	found := make(map[compact.NodeID][]byte, len(ids))
	for rows.Next() {
		var (
			level int64
			idx   uint64
			h     []byte
		)
		if err := rows.Scan(&level, &idx, &h); err != nil {
			return nil, err
		}
		found[compact.NewNodeID(uint(level), idx)] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]byte, len(ids))
	for i, id := range ids {
		h, ok := found[id]
		if !ok {
			return nil, fmt.Errorf("store: ledger node %d/%d is missing", id.Level, id.Index)
		}
		out[i] = h
	}
	return out, nil
}

// PutLedgerNodes implements ledger.TreeTx: multi-row INSERTs, so sealing
// a thousand events is a few statements (t.placeholder says why SQLite's
// are plain '?': numbered ones took half the time of integrating the tree).
func (t *Tx) PutLedgerNodes(ctx context.Context, nodes []ledger.Node) error {
	const chunk = 200
	for len(nodes) > 0 {
		n := min(chunk, len(nodes))
		var sb strings.Builder
		sb.WriteString("INSERT INTO ledger_nodes (level, idx, hash) VALUES ")
		args := make([]any, 0, 3*n)
		for i, nd := range nodes[:n] {
			if i > 0 {
				sb.WriteByte(',')
			}
			k := 3 * i
			sb.WriteString("(" + t.placeholder(k+1) + "," + t.placeholder(k+2) + "," + t.placeholder(k+3) + ")")
			args = append(args, int64(nd.Level), nd.Index, nd.Hash)
		}
		if _, err := t.exec(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("store: put ledger nodes: %w", err)
		}
		nodes = nodes[n:]
	}
	return nil
}

// LatestCheckpoint implements ledger.TreeTx.
func (t *Tx) LatestCheckpoint(ctx context.Context) (*ledger.StoredCheckpoint, error) {
	var (
		c    ledger.StoredCheckpoint
		note string
	)
	err := t.tx.QueryRowContext(ctx, "SELECT size, at, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1").Scan(&c.Size, timeValue{&c.At}, &note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest checkpoint: %w", err)
	}
	c.Note = []byte(note)
	return &c, nil
}

// SaveCheckpoint implements ledger.TreeTx.
func (t *Tx) SaveCheckpoint(ctx context.Context, c ledger.StoredCheckpoint) error {
	_, err := t.exec(ctx, "INSERT INTO ledger_checkpoints (size, at, note) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING", c.Size, c.At.UTC(), string(c.Note))
	if err != nil {
		return fmt.Errorf("store: save checkpoint: %w", err)
	}
	return nil
}

// LedgerCheckpoints implements ledger.VerifyTx.
func (t *Tx) LedgerCheckpoints(ctx context.Context) ([]ledger.StoredCheckpoint, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT size, at, note FROM ledger_checkpoints ORDER BY size")
	if err != nil {
		return nil, fmt.Errorf("store: checkpoints: %w", err)
	}
	defer rows.Close()
	var out []ledger.StoredCheckpoint
	for rows.Next() {
		var (
			c    ledger.StoredCheckpoint
			note string
		)
		if err := rows.Scan(&c.Size, timeValue{&c.At}, &note); err != nil {
			return nil, err
		}
		c.Note = []byte(note)
		out = append(out, c)
	}
	return out, rows.Err()
}

// LastEventBefore implements ledger.PurgeTx: the entry before the first
// one at or after cutoff.
func (t *Tx) LastEventBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT MIN(seq) FROM events WHERE at >= $1), (SELECT COALESCE(MAX(seq), 0) + 1 FROM events)) - 1`,
		cutoff.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: events before %s: %w", cutoff, err)
	}
	return n, nil
}

// DeleteEventsThrough implements ledger.PurgeTx.
func (t *Tx) DeleteEventsThrough(ctx context.Context, after, through int64) (int64, error) {
	if _, err := t.exec(ctx, "DELETE FROM event_departments WHERE seq > $1 AND seq <= $2", after, through); err != nil {
		return 0, fmt.Errorf("store: purge event index: %w", err)
	}
	res, err := t.exec(ctx, "DELETE FROM events WHERE seq > $1 AND seq <= $2", after, through)
	if err != nil {
		return 0, fmt.Errorf("store: purge events: %w", err)
	}
	return res.RowsAffected()
}
