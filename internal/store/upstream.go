package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/upstream"
)

const upstreamCols = "state, version, body"

func scanUpstream(row interface{ Scan(...any) error }, extra ...any) (upstream.Endpoint, error) {
	var e upstream.Endpoint
	var state, body string
	var version int64
	if err := row.Scan(append([]any{&state, &version, &body}, extra...)...); err != nil {
		return e, err
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		return e, fmt.Errorf("store: upstream body: %w", err)
	}
	e.State, e.Version = upstream.State(state), version
	return e, nil
}

func upstreamBody(e upstream.Endpoint) (string, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("store: encode upstream: %w", err)
	}
	return string(b), nil
}

// InsertUpstream implements upstream.Tx.
func (t *Tx) InsertUpstream(ctx context.Context, e upstream.Endpoint, s gateway.SealedSecret) error {
	t.touch() // the gateway path caches it (generation.go)
	body, err := upstreamBody(e)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO upstream_endpoints (id, entry_id, provider_id, division_code, state, version, master_key_id, secret_sealed,
created_at, updated_at, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.EntryID, e.ProviderID, e.DivisionCode, string(e.State), e.Version, s.MasterKeyID, base64.StdEncoding.EncodeToString(s.Ciphertext),
		e.CreatedAt.UTC(), e.UpdatedAt.UTC(), body)
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return &problem.Error{Kind: problem.Conflict, Code: "upstream.exists", Field: "entry_id", Title: "该目录已登记上游服务",
				Detail: "the entry already has an active upstream endpoint; disable it first"}
		}
		return fmt.Errorf("store: insert upstream: %w", err)
	}
	return nil
}

// Upstream implements upstream.Tx.
func (t *Tx) Upstream(ctx context.Context, id string) (*upstream.Endpoint, error) {
	e, err := scanUpstream(t.tx.QueryRowContext(ctx, "SELECT "+upstreamCols+" FROM upstream_endpoints WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: upstream %s: %w", id, err)
	}
	return &e, nil
}

// ActiveUpstream implements delivery.Tx: the entry's active endpoint with
// its sealed secret, by the partial unique index on entry_id.
func (t *Tx) ActiveUpstream(ctx context.Context, entryID string) (*upstream.Endpoint, *gateway.SealedSecret, error) {
	var s gateway.SealedSecret
	var ct string
	e, err := scanUpstream(t.tx.QueryRowContext(ctx, "SELECT "+upstreamCols+", master_key_id, secret_sealed FROM upstream_endpoints WHERE entry_id = $1 AND state = 'active'",
		entryID), &s.MasterKeyID, &ct)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: active upstream of %s: %w", entryID, err)
	}
	if s.Ciphertext, err = base64.StdEncoding.DecodeString(ct); err != nil {
		return nil, nil, fmt.Errorf("store: upstream %s: sealed secret: %w", e.ID, err)
	}
	return &e, &s, nil
}

// UpdateUpstream implements upstream.Tx: state and body; the sealed secret
// never changes.
func (t *Tx) UpdateUpstream(ctx context.Context, e upstream.Endpoint) error {
	t.touch() // the gateway path caches it (generation.go)
	body, err := upstreamBody(e)
	if err != nil {
		return err
	}
	return t.updateBody(ctx, "upstream_endpoints", "upstream", e.ID, string(e.State), e.Version, e.UpdatedAt, body)
}

// ListUpstreams implements upstream.Tx.
func (t *Tx) ListUpstreams(ctx context.Context, f upstream.Filter) ([]upstream.Endpoint, error) {
	q, ok := scoped(upstreamCols, "upstream_endpoints", f.Scope, []string{"division_code"}, []string{"provider_id"})
	if !ok {
		return []upstream.Endpoint{}, nil
	}
	if f.EntryID != "" {
		q.where("entry_id = ?", f.EntryID)
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list upstreams: %w", err)
	}
	defer rows.Close()
	out := []upstream.Endpoint{}
	for rows.Next() {
		e, err := scanUpstream(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

var _ upstream.Tx = (*Tx)(nil)
