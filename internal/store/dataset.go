package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/dataset"
)

// Dataset implements dataset.Tx.
func (t *Tx) Dataset(ctx context.Context, entryID string) (*dataset.Head, error) {
	var h dataset.Head
	err := t.tx.QueryRowContext(ctx, `SELECT entry_id, provider_id, version, last_seq, row_count, updated_at FROM datasets WHERE entry_id = $1`, entryID).
		Scan(&h.EntryID, &h.ProviderID, &h.Version, &h.LastSeq, &h.RowCount, timeValue{&h.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: dataset %s: %w", entryID, err)
	}
	return &h, nil
}

// LockDataset implements dataset.Tx: the head is created if missing, then
// updated in place, which takes its row lock on PostgreSQL (SQLite has one
// writer) until the transaction ends.
func (t *Tx) LockDataset(ctx context.Context, entryID, providerID string, now time.Time) (dataset.Head, error) {
	if _, err := t.exec(ctx, `INSERT INTO datasets (entry_id, provider_id, version, last_seq, row_count, updated_at)
VALUES ($1, $2, 0, 0, 0, $3) ON CONFLICT (entry_id) DO NOTHING`, entryID, providerID, now.UTC()); err != nil {
		return dataset.Head{}, fmt.Errorf("store: create dataset: %w", err)
	}
	h := dataset.Head{EntryID: entryID}
	err := t.tx.QueryRowContext(ctx, `UPDATE datasets SET version = version WHERE entry_id = $1
RETURNING provider_id, version, last_seq, row_count, updated_at`, entryID).
		Scan(&h.ProviderID, &h.Version, &h.LastSeq, &h.RowCount, timeValue{&h.UpdatedAt})
	if err != nil {
		return dataset.Head{}, fmt.Errorf("store: lock dataset: %w", err)
	}
	return h, nil
}

// SaveDataset implements dataset.Tx.
func (t *Tx) SaveDataset(ctx context.Context, h dataset.Head) error {
	ok, err := t.execOne(ctx, `UPDATE datasets SET version = $1, last_seq = $2, row_count = $3, updated_at = $4 WHERE entry_id = $5 AND version = $6`,
		h.Version, h.LastSeq, h.RowCount, h.UpdatedAt.UTC(), h.EntryID, h.Version-1)
	if err != nil {
		return fmt.Errorf("store: save dataset: %w", err)
	}
	if !ok {
		return fmt.Errorf("store: save dataset %s: version moved under the lock", h.EntryID)
	}
	return nil
}

// DatasetRows implements dataset.Tx.
func (t *Tx) DatasetRows(ctx context.Context, entryID string, keys []string) (map[string]dataset.StoredRow, error) {
	out := map[string]dataset.StoredRow{}
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		args := []any{entryID}
		marks := make([]string, len(part))
		for i, k := range part {
			args = append(args, k)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		rows, err := t.tx.QueryContext(ctx, `SELECT row_key, data, deleted, seq FROM dataset_rows WHERE entry_id = $1 AND row_key IN (`+
			strings.Join(marks, ", ")+")", args...)
		if err != nil {
			return nil, fmt.Errorf("store: dataset rows: %w", err)
		}
		for rows.Next() {
			var r dataset.StoredRow
			if err := rows.Scan(&r.Key, &r.Data, &r.Deleted, &r.Seq); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: dataset rows: %w", err)
			}
			out[r.Key] = r
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LiveDatasetKeys implements dataset.Tx.
func (t *Tx) LiveDatasetKeys(ctx context.Context, entryID string) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT row_key FROM dataset_rows WHERE entry_id = $1 AND deleted = FALSE ORDER BY row_key`, entryID)
	if err != nil {
		return nil, fmt.Errorf("store: live dataset keys: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// PutDatasetRow implements dataset.Tx.
func (t *Tx) PutDatasetRow(ctx context.Context, entryID string, r dataset.StoredRow, c dataset.Change) error {
	_, err := t.exec(ctx, `INSERT INTO dataset_rows (entry_id, row_key, data, deleted, seq, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (entry_id, row_key) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, seq = excluded.seq, updated_at = excluded.updated_at`,
		entryID, r.Key, r.Data, r.Deleted, r.Seq, c.At.UTC())
	if err != nil {
		return fmt.Errorf("store: put dataset row: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO dataset_changes (entry_id, seq, op, row_key, data, version, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		entryID, c.Seq, string(c.Op), r.Key, nullable(string(c.Data)), c.Version, c.At.UTC())
	if err != nil {
		return fmt.Errorf("store: append dataset change: %w", err)
	}
	return nil
}

// DatasetChanges implements dataset.Tx.
func (t *Tx) DatasetChanges(ctx context.Context, entryID string, after int64, limit int) ([]dataset.Change, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT seq, op, row_key, COALESCE(data, ''), version, at FROM dataset_changes
WHERE entry_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, entryID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: dataset changes: %w", err)
	}
	defer rows.Close()
	out := []dataset.Change{}
	for rows.Next() {
		var c dataset.Change
		var op, key, data string
		if err := rows.Scan(&c.Seq, &op, &key, &data, &c.Version, timeValue{&c.At}); err != nil {
			return nil, fmt.Errorf("store: dataset changes: %w", err)
		}
		c.Op, c.Key = dataset.Op(op), []byte(key)
		if data != "" {
			c.Data = []byte(data)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
