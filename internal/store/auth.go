package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/auth"
)

func (t *Tx) credentials(ctx context.Context, where string, arg any) (*auth.Credentials, error) {
	var c auth.Credentials
	err := t.tx.QueryRowContext(ctx, `SELECT id, COALESCE(department_id, ''), password_hash, disabled, locked_until, version
FROM people WHERE `+where, arg).Scan(&c.PersonID, &c.DepartmentID, &c.PasswordHash, &c.Disabled, nullTime{&c.LockedUntil}, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: credentials: %w", err)
	}
	return &c, nil
}

// CredentialsByUsername implements auth.Tx.
func (t *Tx) CredentialsByUsername(ctx context.Context, username string) (*auth.Credentials, error) {
	return t.credentials(ctx, "username = $1", username)
}

// CredentialsByID implements auth.Tx.
func (t *Tx) CredentialsByID(ctx context.Context, id string) (*auth.Credentials, error) {
	return t.credentials(ctx, "id = $1", id)
}

// AddSignInFailure implements auth.Tx. The increment happens in the database,
// so concurrent wrong guesses are all counted.
func (t *Tx) AddSignInFailure(ctx context.Context, personID string) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, "UPDATE people SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $1 RETURNING failed_sign_ins", personID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count failed sign-in: %w", err)
	}
	return n, nil
}

// LockAccount implements auth.Tx.
func (t *Tx) LockAccount(ctx context.Context, personID string, until time.Time) error {
	_, err := t.exec(ctx, "UPDATE people SET failed_sign_ins = 0, locked_until = $1 WHERE id = $2", until.UTC(), personID)
	if err != nil {
		return fmt.Errorf("store: lock account: %w", err)
	}
	return nil
}

// ClearSignInFailures implements auth.Tx.
func (t *Tx) ClearSignInFailures(ctx context.Context, personID string) error {
	_, err := t.exec(ctx, "UPDATE people SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1", personID)
	if err != nil {
		return fmt.Errorf("store: clear failures: %w", err)
	}
	return nil
}

// SetPasswordHash implements auth.Tx.
func (t *Tx) SetPasswordHash(ctx context.Context, personID, hash string) error {
	_, err := t.exec(ctx, "UPDATE people SET password_hash = $1, failed_sign_ins = 0, locked_until = NULL WHERE id = $2", hash, personID)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return nil
}

// InsertSession implements auth.Tx.
func (t *Tx) InsertSession(ctx context.Context, s auth.Session) error {
	_, err := t.exec(ctx, "INSERT INTO sessions (token_digest, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
		s.Digest, s.PersonID, s.CreatedAt.UTC(), s.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("store: insert session: %w", err)
	}
	// Expired sessions of this person are swept as new ones open.
	if _, err := t.exec(ctx, "DELETE FROM sessions WHERE person_id = $1 AND expires_at < $2", s.PersonID, s.CreatedAt.UTC()); err != nil {
		return fmt.Errorf("store: sweep sessions: %w", err)
	}
	return nil
}

// SessionByDigest implements auth.Tx.
func (t *Tx) SessionByDigest(ctx context.Context, digest string) (*auth.Session, error) {
	var s auth.Session
	err := t.tx.QueryRowContext(ctx, "SELECT token_digest, person_id, created_at, expires_at FROM sessions WHERE token_digest = $1", digest).
		Scan(&s.Digest, &s.PersonID, timeValue{&s.CreatedAt}, timeValue{&s.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: session: %w", err)
	}
	return &s, nil
}

// DeleteSession implements auth.Tx.
func (t *Tx) DeleteSession(ctx context.Context, digest string) error {
	_, err := t.exec(ctx, "DELETE FROM sessions WHERE token_digest = $1", digest)
	return err
}

// DeleteSessionsOf implements auth.Tx.
func (t *Tx) DeleteSessionsOf(ctx context.Context, personID string) error {
	_, err := t.exec(ctx, "DELETE FROM sessions WHERE person_id = $1", personID)
	return err
}

const tokenCols = "id, person_id, name, created_at, expires_at, revoked_at, last_used_at"

func scanToken(row interface{ Scan(...any) error }) (auth.Token, error) {
	var tk auth.Token
	err := row.Scan(&tk.ID, &tk.PersonID, &tk.Name, timeValue{&tk.CreatedAt}, nullTime{&tk.ExpiresAt}, nullTime{&tk.RevokedAt}, nullTime{&tk.LastUsedAt})
	return tk, err
}

func (t *Tx) oneToken(ctx context.Context, where string, arg any) (*auth.Token, error) {
	tk, err := scanToken(t.tx.QueryRowContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: token: %w", err)
	}
	return &tk, nil
}

// InsertToken implements auth.Tx.
func (t *Tx) InsertToken(ctx context.Context, tk auth.Token, digest string) error {
	_, err := t.exec(ctx, "INSERT INTO api_tokens (id, person_id, name, token_digest, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
		tk.ID, tk.PersonID, tk.Name, digest, tk.CreatedAt.UTC(), timeOrNil(tk.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: insert token: %w", err)
	}
	return nil
}

// TokenByDigest implements auth.Tx.
func (t *Tx) TokenByDigest(ctx context.Context, digest string) (*auth.Token, error) {
	return t.oneToken(ctx, "token_digest = $1", digest)
}

// Token implements auth.Tx.
func (t *Tx) Token(ctx context.Context, id string) (*auth.Token, error) {
	return t.oneToken(ctx, "id = $1", id)
}

// ListTokens implements auth.Tx.
func (t *Tx) ListTokens(ctx context.Context, personID string) ([]auth.Token, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE person_id = $1 ORDER BY id", personID)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		tk, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, tk)
	}
	return out, rows.Err()
}

// RevokeToken implements auth.Tx.
func (t *Tx) RevokeToken(ctx context.Context, id string, at time.Time) error {
	_, err := t.exec(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", at.UTC(), id)
	return err
}

// TouchToken implements auth.Tx.
func (t *Tx) TouchToken(ctx context.Context, id string, at time.Time) error {
	_, err := t.exec(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", at.UTC(), id)
	return err
}

// Actor implements auth.Tx.
func (t *Tx) Actor(ctx context.Context, personID string) (*access.Actor, error) {
	var a access.Actor
	var disabled bool
	err := t.tx.QueryRowContext(ctx, `SELECT p.id, COALESCE(p.department_id, ''), COALESCE(d.division_code, ''), p.disabled
FROM people p LEFT JOIN departments d ON d.id = p.department_id WHERE p.id = $1`, personID).
		Scan(&a.PersonID, &a.DepartmentID, &a.DivisionCode, &disabled)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: actor: %w", err)
	}
	if a.Roles, err = t.rolesOf(ctx, personID); err != nil {
		return nil, err
	}
	return &a, nil
}
