package store

import (
	"context"
	"time"
)

// ExecForTest runs q in the transaction, so that a test can store rows as an
// older version of the platform left them.
func (t *Tx) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := t.exec(ctx, q, args...)
	return err
}

// GrantEndsAtForTest reads a grant's ends_at column.
func (t *Tx) GrantEndsAtForTest(ctx context.Context, id string) (time.Time, error) {
	var at time.Time
	err := t.tx.QueryRowContext(ctx, "SELECT ends_at FROM grants WHERE id = $1", id).Scan(timeValue{&at})
	return at, err
}
