package auth

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
)

// Credentials is what sign-in needs to know of an account.
type Credentials struct {
	PersonID     string
	DepartmentID string
	PasswordHash string
	Disabled     bool
	LockedUntil  *time.Time
	Version      int64
}

// Session is a signed-in browser.
type Session struct {
	Digest    string
	PersonID  string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token is a personal API token; the secret itself is shown once and never stored.
type Token struct {
	ID         string     `json:"id"`
	PersonID   string     `json:"person_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Tx is what the auth service needs from one transaction; lookups return
// (nil, nil) when nothing matches.
type Tx interface {
	CredentialsByUsername(ctx context.Context, username string) (*Credentials, error)
	CredentialsByID(ctx context.Context, personID string) (*Credentials, error)
	// AddSignInFailure increments the failure count atomically and returns the new count.
	AddSignInFailure(ctx context.Context, personID string) (int, error)
	// LockAccount sets locked_until and resets the failure count.
	LockAccount(ctx context.Context, personID string, until time.Time) error
	// ClearSignInFailures resets the count and any lock.
	ClearSignInFailures(ctx context.Context, personID string) error
	SetPasswordHash(ctx context.Context, personID, hash string) error

	InsertSession(ctx context.Context, s Session) error
	SessionByDigest(ctx context.Context, digest string) (*Session, error)
	DeleteSession(ctx context.Context, digest string) error
	DeleteSessionsOf(ctx context.Context, personID string) error

	InsertToken(ctx context.Context, t Token, digest string) error
	TokenByDigest(ctx context.Context, digest string) (*Token, error)
	Token(ctx context.Context, id string) (*Token, error)
	ListTokens(ctx context.Context, personID string) ([]Token, error)
	RevokeToken(ctx context.Context, id string, at time.Time) error
	TouchToken(ctx context.Context, id string, at time.Time) error

	// Actor loads the roles and organisation of an enabled person; nil if the
	// person is unknown or disabled.
	Actor(ctx context.Context, personID string) (*access.Actor, error)

	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}
