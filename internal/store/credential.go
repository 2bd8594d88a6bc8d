package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/problem"
)

const systemCols = "state, version, body"

func scanSystem(row interface{ Scan(...any) error }) (gateway.System, error) {
	var s gateway.System
	var state, body string
	var version int64
	if err := row.Scan(&state, &version, &body); err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		return s, fmt.Errorf("store: system body: %w", err)
	}
	s.State, s.Version = gateway.SystemState(state), version
	return s, nil
}

func systemBody(s gateway.System) (string, error) {
	s.Credentials = nil // kept in system_credentials
	b, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("store: encode system: %w", err)
	}
	return string(b), nil
}

// InsertSystem implements gateway.Tx.
func (t *Tx) InsertSystem(ctx context.Context, s gateway.System) error {
	t.touch() // the gateway path caches it (generation.go)
	body, err := systemBody(s)
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO app_systems (id, department_id, division_code, name, state, version, created_at, updated_at, body)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		s.ID, s.DepartmentID, s.DivisionCode, s.Name, string(s.State), s.Version, s.CreatedAt.UTC(), s.UpdatedAt.UTC(), body)
	if err != nil {
		if _, dup := uniqueViolation(err); dup {
			return &problem.Error{Kind: problem.Conflict, Code: "system.exists", Field: "name", Title: "本部门已有同名应用系统",
				Detail: "the department already has an application system of this name"}
		}
		return fmt.Errorf("store: insert system: %w", err)
	}
	return nil
}

// System implements gateway.Tx.
func (t *Tx) System(ctx context.Context, id string) (*gateway.System, error) {
	s, err := scanSystem(t.tx.QueryRowContext(ctx, "SELECT "+systemCols+" FROM app_systems WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: system %s: %w", id, err)
	}
	return &s, nil
}

// UpdateSystem implements gateway.Tx.
func (t *Tx) UpdateSystem(ctx context.Context, s gateway.System) error {
	t.touch() // the gateway path caches it (generation.go)
	body, err := systemBody(s)
	if err != nil {
		return err
	}
	return t.updateBody(ctx, "app_systems", "system", s.ID, string(s.State), s.Version, s.UpdatedAt, body)
}

// ListSystems implements gateway.Tx.
func (t *Tx) ListSystems(ctx context.Context, f gateway.Filter) ([]gateway.System, error) {
	q, ok := scoped(systemCols, "app_systems", f.Scope, []string{"division_code"}, []string{"department_id"})
	if !ok {
		return []gateway.System{}, nil
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list systems: %w", err)
	}
	defer rows.Close()
	out := []gateway.System{}
	for rows.Next() {
		s, err := scanSystem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

const credentialCols = "key_id, system_id, state, created_by, created_at, grace_until, revoked_at, master_key_id, secret_sealed"

func scanCredential(row interface{ Scan(...any) error }) (gateway.Credential, gateway.SealedSecret, error) {
	var c gateway.Credential
	var sealed gateway.SealedSecret
	var state, ct string
	err := row.Scan(&c.KeyID, &c.SystemID, &state, &c.CreatedBy, timeValue{&c.CreatedAt}, nullTime{&c.GraceUntil}, nullTime{&c.RevokedAt},
		&sealed.MasterKeyID, &ct)
	if err != nil {
		return c, sealed, err
	}
	c.State = gateway.CredentialState(state)
	if sealed.Ciphertext, err = base64.StdEncoding.DecodeString(ct); err != nil {
		return c, sealed, fmt.Errorf("store: credential %s: sealed secret: %w", c.KeyID, err)
	}
	return c, sealed, nil
}

// Credentials implements gateway.Tx.
func (t *Tx) Credentials(ctx context.Context, systemID string) ([]gateway.Credential, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+credentialCols+" FROM system_credentials WHERE system_id = $1 ORDER BY created_at, key_id", systemID)
	if err != nil {
		return nil, fmt.Errorf("store: credentials: %w", err)
	}
	defer rows.Close()
	out := []gateway.Credential{}
	for rows.Next() {
		c, _, err := scanCredential(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Credential implements gateway.Tx.
func (t *Tx) Credential(ctx context.Context, keyID string) (*gateway.Credential, *gateway.SealedSecret, error) {
	c, s, err := scanCredential(t.tx.QueryRowContext(ctx, "SELECT "+credentialCols+" FROM system_credentials WHERE key_id = $1", keyID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: credential: %w", err)
	}
	return &c, &s, nil
}

// InsertCredential implements gateway.Tx.
func (t *Tx) InsertCredential(ctx context.Context, c gateway.Credential, s gateway.SealedSecret) error {
	t.touch() // the gateway path caches it (generation.go)
	_, err := t.exec(ctx, `INSERT INTO system_credentials (key_id, system_id, state, created_by, created_at, grace_until, revoked_at, master_key_id, secret_sealed)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.KeyID, c.SystemID, string(c.State), c.CreatedBy, c.CreatedAt.UTC(), timeOrNil(c.GraceUntil), timeOrNil(c.RevokedAt),
		s.MasterKeyID, base64.StdEncoding.EncodeToString(s.Ciphertext))
	if err != nil {
		return fmt.Errorf("store: insert credential: %w", err)
	}
	return nil
}

// UpdateCredential implements gateway.Tx: state, grace and revocation; the
// sealed secret never changes.
func (t *Tx) UpdateCredential(ctx context.Context, c gateway.Credential) error {
	t.touch() // the gateway path caches it (generation.go)
	ok, err := t.execOne(ctx, `UPDATE system_credentials SET state = $1, grace_until = $2, revoked_at = $3 WHERE key_id = $4`,
		string(c.State), timeOrNil(c.GraceUntil), timeOrNil(c.RevokedAt), c.KeyID)
	if err != nil {
		return fmt.Errorf("store: update credential: %w", err)
	}
	if !ok {
		return fmt.Errorf("store: update credential %s: no such credential", c.KeyID)
	}
	return nil
}

// UseNonce implements gateway.Tx with one statement: the insert succeeds, or
// replaces an expired row, or touches nothing (a replay). On PostgreSQL a
// concurrent insert of the same nonce waits for the first and then sees it.
func (t *Tx) UseNonce(ctx context.Context, keyID, nonce string, now, expires time.Time) (bool, error) {
	ok, err := t.execOne(ctx, `INSERT INTO gateway_nonces (key_id, nonce, expires_at) VALUES ($1, $2, $3)
ON CONFLICT (key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE gateway_nonces.expires_at <= $4`,
		keyID, nonce, expires.UTC(), now.UTC())
	if err != nil {
		return false, fmt.Errorf("store: use nonce: %w", err)
	}
	return ok, nil
}

// PurgeNonces implements gateway.Tx.
func (t *Tx) PurgeNonces(ctx context.Context, before time.Time) (int64, error) {
	res, err := t.exec(ctx, "DELETE FROM gateway_nonces WHERE expires_at <= $1", before.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: purge nonces: %w", err)
	}
	return res.RowsAffected()
}

var _ gateway.Tx = (*Tx)(nil)
