package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/problem"
)

// Complaints (Art. 37): columns for listings and the receipt-code lookup,
// the whole complaint as JSON in body (see 00021_complaint.sql).

const complaintCols = "state, version, body, code_digest"

func scanComplaint(row interface{ Scan(...any) error }) (complaint.Complaint, error) {
	var c complaint.Complaint
	var state, body, digest string
	var version int64
	if err := row.Scan(&state, &version, &body, &digest); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return c, fmt.Errorf("store: complaint body: %w", err)
	}
	c.State, c.Version, c.CodeDigest = complaint.State(state), version, digest
	if c.Transfers == nil {
		c.Transfers = []complaint.Transfer{}
	}
	return c, nil
}

func complaintBody(c complaint.Complaint) (string, error) {
	c.Overdue, c.WorkingDaysLeft = false, nil // derived when read
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("store: encode complaint: %w", err)
	}
	return string(b), nil
}

// dueOf is the due column: the last day to answer, or "" while the
// deadline is not countable yet.
func dueOf(c complaint.Complaint) string {
	if c.Deadline == nil {
		return ""
	}
	return c.Deadline.Due.String()
}

// InsertComplaint implements complaint.Tx.
func (t *Tx) InsertComplaint(ctx context.Context, c complaint.Complaint) error {
	body, err := complaintBody(c)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO complaints (id, code_digest, handler_id, handler_division, state, due, version, filed_at, updated_at, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.ID, c.CodeDigest, c.HandlerID, c.HandlerDivision, string(c.State), dueOf(c), c.Version,
		c.FiledAt.UTC(), c.UpdatedAt.UTC(), body)
	if err != nil {
		return fmt.Errorf("store: insert complaint: %w", err)
	}
	return nil
}

// UpdateComplaint implements complaint.Tx: one row update under the
// optimistic version check.
func (t *Tx) UpdateComplaint(ctx context.Context, c complaint.Complaint) error {
	body, err := complaintBody(c)
	if err != nil {
		return err
	}
	ok, err := t.execOne(ctx, `UPDATE complaints SET state = $1, version = $2, updated_at = $3, body = $4, handler_id = $5,
handler_division = $6, due = $7 WHERE id = $8 AND version = $9`,
		string(c.State), c.Version, c.UpdatedAt.UTC(), body, c.HandlerID, c.HandlerDivision, dueOf(c), c.ID, c.Version-1)
	if err != nil {
		return fmt.Errorf("store: update complaint: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

func (t *Tx) oneComplaint(ctx context.Context, where string, arg any) (*complaint.Complaint, error) {
	c, err := scanComplaint(t.tx.QueryRowContext(ctx, "SELECT "+complaintCols+" FROM complaints WHERE "+where+" = $1", arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: complaint: %w", err)
	}
	return &c, nil
}

// Complaint implements complaint.Tx.
func (t *Tx) Complaint(ctx context.Context, id string) (*complaint.Complaint, error) {
	return t.oneComplaint(ctx, "id", id)
}

// ComplaintByCode implements complaint.Tx: the complaint whose receipt
// code has this digest.
func (t *Tx) ComplaintByCode(ctx context.Context, digest string) (*complaint.Complaint, error) {
	return t.oneComplaint(ctx, "code_digest", digest)
}

// ListComplaints implements complaint.Tx, by ID (the order of filing).
func (t *Tx) ListComplaints(ctx context.Context, f complaint.Filter) ([]complaint.Complaint, error) {
	q, ok := scoped(complaintCols, "complaints", f.Scope, []string{"handler_division"}, []string{"handler_id"})
	if !ok {
		return []complaint.Complaint{}, nil
	}
	if f.State != "" {
		q.where("state = ?", string(f.State))
	}
	if f.DueBefore != "" {
		// A deadline not countable when received ("") is counted when read.
		q.where("state IN ('received', 'handling') AND (due = '' OR due < ?)", f.DueBefore)
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list complaints: %w", err)
	}
	defer rows.Close()
	out := []complaint.Complaint{}
	for rows.Next() {
		c, err := scanComplaint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// The store's transaction is what the complaint service runs on.
var _ complaint.Tx = (*Tx)(nil)
