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
	"github.com/govshare/govshare/internal/servicechange"
)

// The SQL of service changes (Art. 27 ¶3, migration 00019): one row per
// change with its JSON body, and one row per party for the listings.

func scanServiceChange(row interface{ Scan(...any) error }) (servicechange.ServiceChange, error) {
	var c servicechange.ServiceChange
	var state, body string
	var version int64
	if err := row.Scan(&state, &version, &body); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return c, fmt.Errorf("store: service change body: %w", err)
	}
	c.State, c.Version = servicechange.State(state), version
	return c, nil
}

// InsertServiceChange implements servicechange.Tx: the change and its
// parties. A second open change of one entry is refused by the partial
// unique index service_changes_one_open, so concurrent proposals cannot
// both be stored.
func (t *Tx) InsertServiceChange(ctx context.Context, c servicechange.ServiceChange) error {
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: encode service change: %w", err)
	}
	_, err = t.exec(ctx, `INSERT INTO service_changes (id, entry_id, provider_id, provider_division, authority_id, state, version,
created_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		c.ID, c.EntryID, c.ProviderID, c.ProviderDivision, c.AuthorityID, string(c.State), c.Version, c.CreatedAt.UTC(), c.UpdatedAt.UTC(), string(body))
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return problem.New(problem.Conflict, "service_change.already_open", "该目录已有进行中的服务变更",
				"the entry already has a service change under way")
		}
		return fmt.Errorf("store: insert service change: %w", err)
	}
	parties := [][2]string{{c.ProviderID, c.ProviderDivision}, {c.AuthorityID, c.AuthorityDivision}}
	for _, k := range c.Consumers {
		parties = append(parties, [2]string{k.DepartmentID, k.DivisionCode})
	}
	seen := map[string]bool{}
	for _, p := range parties {
		if seen[p[0]] {
			continue
		}
		seen[p[0]] = true
		if _, err := t.exec(ctx, "INSERT INTO service_change_parties (change_id, department_id, division_code) VALUES ($1, $2, $3)",
			c.ID, p[0], p[1]); err != nil {
			return fmt.Errorf("store: insert service change party: %w", err)
		}
	}
	return nil
}

// ServiceChange implements servicechange.Tx.
func (t *Tx) ServiceChange(ctx context.Context, id string) (*servicechange.ServiceChange, error) {
	c, err := scanServiceChange(t.tx.QueryRowContext(ctx, "SELECT state, version, body FROM service_changes WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: service change %s: %w", id, err)
	}
	return &c, nil
}

// UpdateServiceChange implements servicechange.Tx.
func (t *Tx) UpdateServiceChange(ctx context.Context, c servicechange.ServiceChange) error {
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: encode service change: %w", err)
	}
	return t.updateBody(ctx, "service_changes", "service change", c.ID, string(c.State), c.Version, c.UpdatedAt, string(body))
}

// ListServiceChanges implements servicechange.Tx.
func (t *Tx) ListServiceChanges(ctx context.Context, f servicechange.Filter) ([]servicechange.ServiceChange, error) {
	var q *query
	switch s := f.Scope; {
	case s.All:
		q = newQuery("SELECT state, version, body FROM service_changes c WHERE 1=1")
	case s.Region != "":
		q = newQuery(regionCTE)
		q.args = append(q.args, s.Region)
		q.tail(`SELECT state, version, body FROM service_changes c WHERE c.id IN
(SELECT change_id FROM service_change_parties WHERE division_code IN (SELECT code FROM region))`)
	case s.DepartmentID != "":
		q = newQuery("SELECT state, version, body FROM service_changes c WHERE 1=1")
		q.where("c.id IN (SELECT change_id FROM service_change_parties WHERE department_id = ?)", s.DepartmentID)
	default:
		return []servicechange.ServiceChange{}, nil
	}
	if f.EntryID != "" {
		q.where("c.entry_id = ?", f.EntryID)
	}
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, st := range f.States {
			ph[i] = q.arg(string(st))
		}
		q.tail(" AND c.state IN (" + strings.Join(ph, ", ") + ")")
	}
	if f.After != "" {
		q.where("c.id < ?", f.After)
	}
	q.tail(" ORDER BY c.id DESC LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list service changes: %w", err)
	}
	defer rows.Close()
	out := []servicechange.ServiceChange{}
	for rows.Next() {
		c, err := scanServiceChange(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GrantsOnEntry implements servicechange.Tx: the grants on an entry still
// stored as active or suspended, by ID.
func (t *Tx) GrantsOnEntry(ctx context.Context, entryID string) ([]grant.Grant, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+grantCols+" FROM grants WHERE entry_id = $1 AND state IN ('active', 'suspended') ORDER BY id", entryID)
	if err != nil {
		return nil, fmt.Errorf("store: grants on entry %s: %w", entryID, err)
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
