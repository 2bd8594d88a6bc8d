package auth

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// NewToken asks for a personal API token.
type NewToken struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// IssuedToken is a new token with its secret, shown this once.
type IssuedToken struct {
	Token
	Secret string `json:"secret"`
}

// MaxTokenLifetime bounds how long a token may live: scripts must renew yearly.
const MaxTokenLifetime = 366 * 24 * time.Hour

// CreateToken issues a personal API token that acts as the actor.
func (s *Service) CreateToken(ctx context.Context, a access.Actor, n NewToken) (IssuedToken, error) {
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" || utf8.RuneCountInString(n.Name) > 100 {
		return IssuedToken{}, problem.Field("name", "auth.token_name_invalid", "令牌名称不能为空且不超过100字", "name is required, at most 100 characters")
	}
	now := s.now().UTC()
	if n.ExpiresAt == nil {
		exp := now.Add(90 * 24 * time.Hour)
		n.ExpiresAt = &exp
	}
	if !n.ExpiresAt.After(now) || n.ExpiresAt.Sub(now) > MaxTokenLifetime {
		return IssuedToken{}, problem.Field("expires_at", "auth.token_expiry_invalid", "有效期须在未来一年之内", "expires_at must be in the future and at most a year away")
	}
	exp := n.ExpiresAt.UTC()
	secret := newSecret(tokenPrefix)
	t := Token{ID: newID(), PersonID: a.PersonID, Name: n.Name, CreatedAt: now, ExpiresAt: &exp}
	err := s.inTx(ctx, func(tx Tx) error {
		if err := tx.InsertToken(ctx, t, secretDigest(secret)); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "auth.token_create", ledger.Object{Type: "api_token", ID: t.ID, DepartmentID: a.DepartmentID}, t)
	})
	if err != nil {
		return IssuedToken{}, err
	}
	return IssuedToken{Token: t, Secret: secret}, nil
}

// Tokens lists the actor's own tokens (never their secrets).
func (s *Service) Tokens(ctx context.Context, a access.Actor) ([]Token, error) {
	var out []Token
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListTokens(ctx, a.PersonID); return err })
	return out, err
}

// RevokeToken revokes a token: one's own, or anyone's for a platform admin
// responding to a leak.
func (s *Service) RevokeToken(ctx context.Context, a access.Actor, id string) (Token, error) {
	now := s.now().UTC()
	var t *Token
	err := s.inTx(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.Token(ctx, id); err != nil {
			return err
		}
		if t == nil || (t.PersonID != a.PersonID && !a.Has(access.PlatformAdmin)) {
			return problem.NotFoundf("auth.token_not_found", "令牌不存在", "no such token")
		}
		if t.RevokedAt != nil {
			return nil // revoking twice is harmless
		}
		t.RevokedAt = &now
		if err := tx.RevokeToken(ctx, id, now); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "auth.token_revoke", ledger.Object{Type: "api_token", ID: t.ID}, *t)
	})
	if err != nil {
		return Token{}, err
	}
	return *t, nil
}

// TokenActor returns the actor behind a token secret. Use is recorded on the
// token at most once a TokenTouchGap, so reads stay reads.
func (s *Service) TokenActor(ctx context.Context, secret string) (access.Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return access.Actor{}, ErrTokenInvalid
	}
	now := s.now().UTC()
	var actor *access.Actor
	var touch string
	err := s.read(ctx, func(tx Tx) error {
		t, err := tx.TokenByDigest(ctx, secretDigest(secret))
		if err != nil {
			return err
		}
		if t == nil || t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) {
			return ErrTokenInvalid
		}
		if actor, err = tx.Actor(ctx, t.PersonID); err != nil {
			return err
		}
		if actor == nil {
			return ErrTokenInvalid
		}
		if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= s.policy.TokenTouchGap {
			touch = t.ID
		}
		return nil
	})
	if err != nil {
		return access.Actor{}, err
	}
	if touch != "" {
		if err := s.inTx(ctx, func(tx Tx) error { return tx.TouchToken(ctx, touch, now) }); err != nil {
			return access.Actor{}, err
		}
	}
	return *actor, nil
}
