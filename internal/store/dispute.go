package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/dispute"
)

const disputeCols = "state, version, body"

func scanDispute(row interface{ Scan(...any) error }) (dispute.Dispute, error) {
	var d dispute.Dispute
	var state, body string
	var version int64
	if err := row.Scan(&state, &version, &body); err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return d, fmt.Errorf("store: dispute body: %w", err)
	}
	d.State, d.Version = dispute.State(state), version
	return d, nil
}

func disputeBody(d dispute.Dispute) (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("store: encode dispute: %w", err)
	}
	return string(b), nil
}

// InsertDispute implements dispute.Tx.
func (t *Tx) InsertDispute(ctx context.Context, d dispute.Dispute) error {
	body, err := disputeBody(d)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO disputes (id, consumer_id, provider_id, authority_id, authority_division, state, version,
created_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		d.ID, d.Consumer.DepartmentID, d.Provider.DepartmentID, d.Authority.DepartmentID, d.Authority.DivisionCode,
		string(d.State), d.Version, d.CreatedAt.UTC(), d.UpdatedAt.UTC(), body)
	if err != nil {
		return fmt.Errorf("store: insert dispute: %w", err)
	}
	return nil
}

// UpdateDispute implements dispute.Tx under the optimistic version check.
func (t *Tx) UpdateDispute(ctx context.Context, d dispute.Dispute) error {
	body, err := disputeBody(d)
	if err != nil {
		return err
	}
	return t.updateBody(ctx, "disputes", "dispute", d.ID, string(d.State), d.Version, d.UpdatedAt, body)
}

// Dispute implements dispute.Tx.
func (t *Tx) Dispute(ctx context.Context, id string) (*dispute.Dispute, error) {
	d, err := scanDispute(t.tx.QueryRowContext(ctx, "SELECT "+disputeCols+" FROM disputes WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: dispute %s: %w", id, err)
	}
	return &d, nil
}

// ListDisputes implements dispute.Tx: a party's disputes, or those whose
// coordinating authority lies in a region.
func (t *Tx) ListDisputes(ctx context.Context, f dispute.Filter) ([]dispute.Dispute, error) {
	q, ok := scoped(disputeCols, "disputes", access.Scope{DepartmentID: f.Scope.DepartmentID, Region: f.Scope.Region},
		[]string{"authority_division"}, []string{"consumer_id", "provider_id"})
	if !ok {
		return []dispute.Dispute{}, nil
	}
	if f.State != "" {
		q.where("state = ?", string(f.State))
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	return t.disputes(ctx, q.String(), q.args...)
}

// DisputesWaitingOn implements dispute.Tx.
func (t *Tx) DisputesWaitingOn(ctx context.Context, deptID string, limit int) ([]dispute.Dispute, error) {
	return t.disputes(ctx, "SELECT "+disputeCols+` FROM disputes
WHERE ((consumer_id = $1 OR provider_id = $1) AND state = 'negotiating')
   OR (authority_id = $1 AND state IN ('coordinating', 'referred'))
ORDER BY id LIMIT $2`, deptID, limitOf(limit))
}

func (t *Tx) disputes(ctx context.Context, q string, args ...any) ([]dispute.Dispute, error) {
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list disputes: %w", err)
	}
	defer rows.Close()
	out := []dispute.Dispute{}
	for rows.Next() {
		d, err := scanDispute(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
