package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
)

const grantCols = "state, version, body"

func scanGrant(row interface{ Scan(...any) error }) (grant.Grant, error) {
	var g grant.Grant
	var state, body string
	var version int64
	if err := row.Scan(&state, &version, &body); err != nil {
		return g, err
	}
	if err := json.Unmarshal([]byte(body), &g); err != nil {
		return g, fmt.Errorf("store: grant body: %w", err)
	}
	g.State, g.Version = grant.State(state), version
	if g.ClearItems == nil { // a grant stored before clear items existed
		g.ClearItems = []string{}
	}
	return g, nil
}

func grantBody(g grant.Grant) (string, error) {
	if g.State == grant.Expired {
		return "", fmt.Errorf("store: grant %s: expired is derived, never stored", g.ID)
	}
	g.DisposalDue = nil // derived when read
	b, err := json.Marshal(g)
	if err != nil {
		return "", fmt.Errorf("store: encode grant: %w", err)
	}
	return string(b), nil
}

// InsertGrant implements application.Tx: the grant of an approval, in the
// reply's transaction. A second grant for one application is refused.
func (t *Tx) InsertGrant(ctx context.Context, g grant.Grant) error {
	t.touch() // the gateway path caches it (generation.go)
	body, err := grantBody(g)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO grants (id, application_id, entry_id, consumer_id, consumer_division, provider_id, provider_division,
state, expires_at, version, created_at, updated_at, body, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		g.ID, g.ApplicationID, g.EntryID, g.ConsumerID, g.ConsumerDivision, g.ProviderID, g.ProviderDivision,
		string(g.State), g.ExpiresAt.UTC(), g.Version, g.CreatedAt.UTC(), g.UpdatedAt.UTC(), body, g.EndsAt())
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return problem.New(problem.Conflict, "grant.exists", "该申请已有共享授权", "the application already has a grant")
		}
		return fmt.Errorf("store: insert grant: %w", err)
	}
	return nil
}

// Grant implements grant.Tx.
func (t *Tx) Grant(ctx context.Context, id string) (*grant.Grant, error) {
	g, err := scanGrant(t.tx.QueryRowContext(ctx, "SELECT "+grantCols+" FROM grants WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: grant %s: %w", id, err)
	}
	return &g, nil
}

// GrantOf returns the grant of an application, nil if it has none.
func (t *Tx) GrantOf(ctx context.Context, applicationID string) (*grant.Grant, error) {
	g, err := scanGrant(t.tx.QueryRowContext(ctx, "SELECT "+grantCols+" FROM grants WHERE application_id = $1", applicationID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: grant of application %s: %w", applicationID, err)
	}
	return &g, nil
}

// UpdateGrant implements grant.Tx.
func (t *Tx) UpdateGrant(ctx context.Context, g grant.Grant) error {
	t.touch() // the gateway path caches it (generation.go)
	body, err := grantBody(g)
	if err != nil {
		return err
	}
	// As updateBody, with ends_at: when delivery ends or ended (MissingUsageRecords).
	ok, err := t.execOne(ctx, "UPDATE grants SET state = $1, version = $2, updated_at = $3, body = $4, ends_at = $5 WHERE id = $6 AND version = $7",
		string(g.State), g.Version, g.UpdatedAt.UTC(), body, g.EndsAt(), g.ID, g.Version-1)
	if err != nil {
		return fmt.Errorf("store: update grant: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

// ListGrants implements grant.Tx.
func (t *Tx) ListGrants(ctx context.Context, f grant.Filter) ([]grant.Grant, error) {
	q, ok := scoped(grantCols, "grants", f.Scope, []string{"consumer_division", "provider_division"}, []string{"consumer_id", "provider_id"})
	if !ok {
		return []grant.Grant{}, nil
	}
	switch f.Role {
	case "consumer":
		q.where("consumer_id = ?", f.Department)
	case "provider":
		q.where("provider_id = ?", f.Department)
	}
	if f.ApplicationID != "" {
		q.where("application_id = ?", f.ApplicationID)
	}
	if f.EntryID != "" {
		q.where("entry_id = ?", f.EntryID)
	}
	if f.Disposal == "due" {
		// Ended and not disposed of: terminated, or expired by the clock.
		q.where("(state = 'terminated' OR (state IN ('active', 'suspended') AND expires_at <= ?))", f.Now.UTC())
	}
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, s := range f.States {
			ph[i] = q.arg(string(s))
		}
		q.where("state IN (" + strings.Join(ph, ", ") + ")")
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list grants: %w", err)
	}
	defer rows.Close()
	out := []grant.Grant{}
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}
