package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/problem"
)

// The correction requests, usage statuses and correction rules of Art. 26
// (internal/correction).

const correctionCols = "state, version, body"

func scanCorrection(row interface{ Scan(...any) error }) (correction.Request, error) {
	var r correction.Request
	var state, body string
	var version int64
	if err := row.Scan(&state, &version, &body); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return r, fmt.Errorf("store: correction body: %w", err)
	}
	r.State, r.Version, r.Overdue = correction.State(state), version, false
	return r, nil
}

func correctionBody(r correction.Request) (string, error) {
	r.Overdue = false // derived when read, never stored
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("store: encode correction: %w", err)
	}
	return string(b), nil
}

// correctionDue is the due column: the last day to answer, or "" while the
// count runs into a year the calendar does not know yet.
func correctionDue(r correction.Request) string {
	if r.Deadline == nil {
		return ""
	}
	return r.Deadline.Due.String()
}

// InsertCorrection implements correction.Tx.
func (t *Tx) InsertCorrection(ctx context.Context, r correction.Request) error {
	body, err := correctionBody(r)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO corrections (id, grant_id, entry_id, consumer_id, consumer_division, provider_id, provider_division,
state, due, version, created_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		r.ID, r.GrantID, r.EntryID, r.ConsumerID, r.ConsumerDivision, r.ProviderID, r.ProviderDivision,
		string(r.State), correctionDue(r), r.Version, r.CreatedAt.UTC(), r.UpdatedAt.UTC(), body)
	if err != nil {
		return fmt.Errorf("store: insert correction: %w", err)
	}
	return nil
}

// Correction implements correction.Tx.
func (t *Tx) Correction(ctx context.Context, id string) (*correction.Request, error) {
	r, err := scanCorrection(t.tx.QueryRowContext(ctx, "SELECT "+correctionCols+" FROM corrections WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: correction %s: %w", id, err)
	}
	return &r, nil
}

// UpdateCorrection implements correction.Tx under the optimistic version
// check: of two answers read at one version, the second finds no row. The
// due column follows the body: a deadline counted since the request was
// filed is stored with the write.
func (t *Tx) UpdateCorrection(ctx context.Context, r correction.Request) error {
	body, err := correctionBody(r)
	if err != nil {
		return err
	}
	ok, err := t.execOne(ctx, "UPDATE corrections SET state = $1, version = $2, updated_at = $3, body = $4, due = $5 WHERE id = $6 AND version = $7",
		string(r.State), r.Version, r.UpdatedAt.UTC(), body, correctionDue(r), r.ID, r.Version-1)
	if err != nil {
		return fmt.Errorf("store: update correction: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

// ListCorrections implements correction.Tx.
func (t *Tx) ListCorrections(ctx context.Context, f correction.Filter) ([]correction.Request, error) {
	q, ok := scoped(correctionCols, "corrections", f.Scope, []string{"consumer_division", "provider_division"}, []string{"consumer_id", "provider_id"})
	if !ok {
		return []correction.Request{}, nil
	}
	switch f.Role {
	case "consumer":
		q.where("consumer_id = ?", f.Department)
	case "provider":
		q.where("provider_id = ?", f.Department)
	}
	if f.State != "" {
		q.where("state = ?", string(f.State))
	}
	if f.GrantID != "" {
		q.where("grant_id = ?", f.GrantID)
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list corrections: %w", err)
	}
	defer rows.Close()
	out := []correction.Request{}
	for rows.Next() {
		r, err := scanCorrection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertUsageStatus implements correction.Tx; the primary key (grant_id,
// version) refuses a second status of one version.
func (t *Tx) InsertUsageStatus(ctx context.Context, s correction.Status) error {
	_, err := t.exec(ctx, `INSERT INTO usage_statuses (grant_id, version, consumer_id, provider_id, status, note, set_by, set_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.GrantID, s.Version, s.ConsumerID, s.ProviderID, string(s.Status), s.Note, s.SetBy, s.SetAt.UTC())
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return problem.ErrVersionConflict
		}
		return fmt.Errorf("store: insert usage status: %w", err)
	}
	return nil
}

// UsageStatuses implements correction.Tx.
func (t *Tx) UsageStatuses(ctx context.Context, grantID string, limit int) ([]correction.Status, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT grant_id, version, consumer_id, provider_id, status, note, set_by, set_at
FROM usage_statuses WHERE grant_id = $1 ORDER BY version DESC LIMIT $2`, grantID, limitOf(limit))
	if err != nil {
		return nil, fmt.Errorf("store: usage statuses: %w", err)
	}
	defer rows.Close()
	out := []correction.Status{}
	for rows.Next() {
		var s correction.Status
		var st string
		if err := rows.Scan(&s.GrantID, &s.Version, &s.ConsumerID, &s.ProviderID, &st, &s.Note, &s.SetBy, timeValue{&s.SetAt}); err != nil {
			return nil, fmt.Errorf("store: usage statuses: %w", err)
		}
		s.Status = correction.UsageStatus(st)
		out = append(out, s)
	}
	return out, rows.Err()
}

const correctionRulesCols = "department_id, version, rules, contact, phone, url, note, created_by, created_at"

func scanCorrectionRules(rows *sql.Rows) ([]correction.Rules, error) {
	defer rows.Close()
	out := []correction.Rules{}
	for rows.Next() {
		var r correction.Rules
		if err := rows.Scan(&r.DepartmentID, &r.Version, &r.Rules, &r.Contact, &r.Phone, &r.URL, &r.Note, &r.CreatedBy, timeValue{&r.CreatedAt}); err != nil {
			return nil, fmt.Errorf("store: correction rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertCorrectionRules implements correction.Tx; the primary key
// (department_id, version) refuses a second rules version of one version.
func (t *Tx) InsertCorrectionRules(ctx context.Context, r correction.Rules) error {
	_, err := t.exec(ctx, `INSERT INTO correction_rules (`+correctionRulesCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.DepartmentID, r.Version, r.Rules, r.Contact, r.Phone, r.URL, r.Note, r.CreatedBy, r.CreatedAt.UTC())
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return problem.ErrVersionConflict
		}
		return fmt.Errorf("store: insert correction rules: %w", err)
	}
	return nil
}

// CorrectionRules implements correction.Tx.
func (t *Tx) CorrectionRules(ctx context.Context, deptID string, limit int) ([]correction.Rules, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+correctionRulesCols+" FROM correction_rules WHERE department_id = $1 ORDER BY version DESC LIMIT $2",
		deptID, limitOf(limit))
	if err != nil {
		return nil, fmt.Errorf("store: correction rules: %w", err)
	}
	return scanCorrectionRules(rows)
}

// CurrentCorrectionRules implements correction.Tx.
func (t *Tx) CurrentCorrectionRules(ctx context.Context, after string, limit int) ([]correction.Rules, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+correctionRulesCols+` FROM correction_rules r
WHERE department_id > $1 AND version = (SELECT MAX(version) FROM correction_rules x WHERE x.department_id = r.department_id)
ORDER BY department_id LIMIT $2`, after, limitOf(limit))
	if err != nil {
		return nil, fmt.Errorf("store: current correction rules: %w", err)
	}
	return scanCorrectionRules(rows)
}

var _ correction.Tx = (*Tx)(nil)
