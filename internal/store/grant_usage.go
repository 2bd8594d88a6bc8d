package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/grant"
)

// CountCall implements delivery.Tx with one upsert. A served call takes one
// of the day's perDay calls: the conditional update leaves a spent day
// untouched and returns no row, and the call is then counted as refused.
// Concurrent calls on one grant and day serialise on the row, so the quota
// holds across nodes sharing PostgreSQL.
func (t *Tx) CountCall(ctx context.Context, grantID, day string, served bool, rows, perDay int) (int64, bool, error) {
	var calls int64
	if served {
		err := t.tx.QueryRowContext(ctx, `INSERT INTO grant_usage (grant_id, day, calls, refused, rows) VALUES ($1, $2, 1, 0, $3)
ON CONFLICT (grant_id, day) DO UPDATE SET calls = grant_usage.calls + 1, rows = grant_usage.rows + excluded.rows
WHERE grant_usage.calls < $4 RETURNING calls`, grantID, day, rows, perDay).Scan(&calls)
		if err == nil {
			return calls, true, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, false, fmt.Errorf("store: count call: %w", err)
		}
	}
	err := t.tx.QueryRowContext(ctx, `INSERT INTO grant_usage (grant_id, day, calls, refused, rows) VALUES ($1, $2, 0, 1, 0)
ON CONFLICT (grant_id, day) DO UPDATE SET refused = grant_usage.refused + 1 RETURNING calls`, grantID, day).Scan(&calls)
	if err != nil {
		return 0, false, fmt.Errorf("store: count refused call: %w", err)
	}
	return calls, !served, nil
}

// GrantUsage implements grant.UsageTx.
func (t *Tx) GrantUsage(ctx context.Context, grantID, from, to string) ([]grant.Usage, error) {
	rs, err := t.tx.QueryContext(ctx, `SELECT day, calls, refused, rows FROM grant_usage
WHERE grant_id = $1 AND day >= $2 AND day <= $3 ORDER BY day`, grantID, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: grant usage: %w", err)
	}
	defer rs.Close()
	out := []grant.Usage{}
	for rs.Next() {
		var u grant.Usage
		if err := rs.Scan(&u.Day, &u.Calls, &u.Refused, &u.Rows); err != nil {
			return nil, fmt.Errorf("store: grant usage: %w", err)
		}
		out = append(out, u)
	}
	return out, rs.Err()
}
