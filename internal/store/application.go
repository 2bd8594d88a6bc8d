package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/problem"
)

// PublishedEntry implements application.Tx: the published version of a
// catalog entry, read from the catalog's tables, with its provider's division.
func (t *Tx) PublishedEntry(ctx context.Context, id string) (*application.EntryRef, error) {
	var e application.EntryRef
	var attr, methods string
	err := t.tx.QueryRowContext(ctx, `SELECT e.id, e.published_version, v.name, e.provider_id, d.division_code, v.sharing_attribute, v.delivery_methods
FROM catalog_entries e
JOIN catalog_versions v ON v.entry_id = e.id AND v.number = e.published_version
JOIN departments d ON d.id = e.provider_id
WHERE e.id = $1 AND e.published_version IS NOT NULL`, id).Scan(&e.ID, &e.Version, &e.Name, &e.ProviderID, &e.ProviderDivision, &attr, &methods)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: published entry %s: %w", id, err)
	}
	e.Attribute = application.Attribute(attr)
	for _, m := range strings.Split(methods, ",") {
		if m = strings.TrimSpace(m); m != "" {
			e.DeliveryMethods = append(e.DeliveryMethods, m)
		}
	}
	rows, err := t.tx.QueryContext(ctx, "SELECT name FROM catalog_items WHERE entry_id = $1 AND version_number = $2 ORDER BY item_no", e.ID, e.Version)
	if err != nil {
		return nil, fmt.Errorf("store: items of entry %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: items of entry %s: %w", id, err)
		}
		e.Items = append(e.Items, n)
	}
	return &e, rows.Err()
}

const applicationCols = "state, version, body"

func scanApplication(row interface{ Scan(...any) error }) (application.Application, error) {
	var a application.Application
	var state, body string
	var version int64
	if err := row.Scan(&state, &version, &body); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		return a, fmt.Errorf("store: application body: %w", err)
	}
	// The columns are what the version check and the listings use; they win.
	a.State, a.Version = application.State(state), version
	return a, nil
}

// applicationRow is an application's columns, in the order of the INSERT.
func applicationRow(a application.Application) ([]any, error) {
	a.Durations = nil // computed when read
	body, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("store: encode application: %w", err)
	}
	var pendingAuthority any
	if a.Extension != nil && a.Extension.Status == application.ExtensionRequested {
		pendingAuthority = a.Extension.AuthorityID
	}
	return []any{a.ID, a.EntryID, a.ConsumerID, a.ConsumerDivision, a.ProviderID, a.ProviderDivision, string(a.State),
		timeOrNil(a.SentAt), pendingAuthority, a.Version, a.CreatedAt.UTC(), a.UpdatedAt.UTC(), string(body)}, nil
}

// Application implements application.Tx.
func (t *Tx) Application(ctx context.Context, id string) (*application.Application, error) {
	a, err := scanApplication(t.tx.QueryRowContext(ctx, "SELECT "+applicationCols+" FROM applications WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: application %s: %w", id, err)
	}
	return &a, nil
}

// InsertApplication implements application.Tx.
func (t *Tx) InsertApplication(ctx context.Context, a application.Application) error {
	row, err := applicationRow(a)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO applications (id, entry_id, consumer_id, consumer_division, provider_id, provider_division, state,
sent_at, extension_authority_id, version, created_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, row...)
	if err != nil {
		return fmt.Errorf("store: insert application: %w", err)
	}
	return nil
}

// ClaimDelivery implements application.DeliveredTx: one conditional UPDATE,
// so that of concurrent first deliveries exactly one claims the closing.
func (t *Tx) ClaimDelivery(ctx context.Context, applicationID string, at time.Time) (bool, error) {
	ok, err := t.execOne(ctx, "UPDATE applications SET delivered_at = $1 WHERE id = $2 AND delivered_at IS NULL", at.UTC(), applicationID)
	if err != nil {
		return false, fmt.Errorf("store: claim delivery of application %s: %w", applicationID, err)
	}
	return ok, nil
}

// UpdateApplication implements application.Tx.
func (t *Tx) UpdateApplication(ctx context.Context, a application.Application) error {
	row, err := applicationRow(a)
	if err != nil {
		return err
	}
	// row[6:] is state, sent_at, extension_authority_id, version, created_at, updated_at, body.
	ok, err := t.execOne(ctx, `UPDATE applications SET state = $1, sent_at = $2, extension_authority_id = $3, version = $4, updated_at = $5, body = $6
WHERE id = $7 AND version = $8`, row[6], row[7], row[8], row[9], row[11], row[12], a.ID, a.Version-1)
	if err != nil {
		return fmt.Errorf("store: update application: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

func (t *Tx) queryApplications(ctx context.Context, q *query) ([]application.Application, error) {
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list applications: %w", err)
	}
	defer rows.Close()
	out := []application.Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ListApplications implements application.Tx.
func (t *Tx) ListApplications(ctx context.Context, f application.Filter) ([]application.Application, error) {
	var q *query
	switch {
	case f.Scope.All:
		q = newQuery("SELECT " + applicationCols + " FROM applications WHERE 1=1")
	case f.Scope.Region != "":
		// Drafts stay inside the consumer's office: only sent applications.
		q = newQuery(regionCTE)
		q.args = append(q.args, f.Scope.Region)
		q.tail("SELECT " + applicationCols + ` FROM applications WHERE sent_at IS NOT NULL
AND (consumer_division IN (SELECT code FROM region) OR provider_division IN (SELECT code FROM region))`)
	case f.Scope.DepartmentID != "":
		q = newQuery("SELECT " + applicationCols + " FROM applications WHERE 1=1")
		q.where("(consumer_id = ? OR (provider_id = ? AND sent_at IS NOT NULL))", f.Scope.DepartmentID, f.Scope.DepartmentID)
	default:
		return []application.Application{}, nil
	}
	switch f.Role {
	case "consumer":
		q.where("consumer_id = ?", f.Department)
	case "provider":
		q.where("provider_id = ? AND sent_at IS NOT NULL", f.Department)
	}
	if f.State != "" {
		q.where("state = ?", string(f.State))
	}
	if f.EntryID != "" {
		q.where("entry_id = ?", f.EntryID)
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	return t.queryApplications(ctx, q)
}

// WaitingOn implements application.Tx.
func (t *Tx) WaitingOn(ctx context.Context, deptID string, limit int) ([]application.Application, error) {
	q := newQuery("SELECT " + applicationCols + " FROM applications WHERE 1=1")
	q.where(`((consumer_id = ? AND state IN ('draft', 'awaiting_approval', 'supplement_requested'))
OR (provider_id = ? AND (state IN ('sent', 'resubmitted') OR (state = 'approved' AND delivered_at IS NULL)))
OR extension_authority_id = ?)`, deptID, deptID, deptID)
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(limit)))
	return t.queryApplications(ctx, q)
}
