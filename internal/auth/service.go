package auth

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// Policy sets how long sessions last and when accounts lock.
type Policy struct {
	SessionTTL    time.Duration // absolute lifetime of a sign-in
	MaxFailures   int           // consecutive wrong passwords before a lock
	LockDuration  time.Duration
	TokenTouchGap time.Duration // last_used_at is written at most this often
}

// DefaultPolicy: a working day's session, five tries, a quarter-hour lock.
var DefaultPolicy = Policy{SessionTTL: 12 * time.Hour, MaxFailures: 5, LockDuration: 15 * time.Minute, TokenTouchGap: time.Minute}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service signs people in and out and manages their tokens.
type Service struct {
	inTx   InTx // read-write
	read   InTx // read-only
	now    func() time.Time
	policy Policy
}

// NewService returns the auth service.
func NewService(write, read InTx, now func() time.Time, p Policy) *Service {
	return &Service{inTx: write, read: read, now: now, policy: p}
}

// Refusals of sign-in. A wrong username and a wrong password give the same
// answer, so accounts cannot be discovered by trying names.
var (
	ErrBadCredentials = problem.New(problem.Unauthorized, "auth.bad_credentials", "用户名或密码错误", "wrong username or password")
	ErrLocked         = problem.New(problem.Locked, "auth.locked", "账号因多次登录失败已被临时锁定，请稍后再试", "too many failed sign-ins; the account is locked for a while")
	ErrSessionExpired = problem.New(problem.Unauthorized, "auth.session_expired", "登录已过期，请重新登录", "the session has expired; sign in again")
	ErrTokenInvalid   = problem.New(problem.Unauthorized, "auth.token_invalid", "访问令牌无效、已过期或已撤销", "the API token is unknown, expired or revoked")
)

// signInRecord is what the event of a sign-in digests: no secret, no name.
type signInRecord struct {
	PersonID  string    `json:"person_id"`
	Outcome   string    `json:"outcome"`
	ExpiresAt time.Time `json:"expires_at,omitzero"`
}

// SignIn checks a password and opens a session. It returns the session secret
// for the cookie and the actor. The slow hash is verified outside any
// transaction so that sign-ins do not hold database locks.
func (s *Service) SignIn(ctx context.Context, username, password string) (string, access.Actor, error) {
	if strings.TrimSpace(username) == "" {
		return "", access.Actor{}, problem.Field("username", "auth.username_required", "请输入用户名", "username is required")
	}
	if password == "" {
		return "", access.Actor{}, problem.Field("password", "auth.password_required", "请输入密码", "password is required")
	}
	if len(username) > 64 || len(password) > 256 {
		_, _ = VerifyPassword(dummyHash, password)
		return "", access.Actor{}, ErrBadCredentials
	}
	var cred *Credentials
	if err := s.read(ctx, func(tx Tx) (err error) { cred, err = tx.CredentialsByUsername(ctx, username); return err }); err != nil {
		return "", access.Actor{}, err
	}
	if cred == nil {
		_, _ = VerifyPassword(dummyHash, password)
		return "", access.Actor{}, ErrBadCredentials
	}
	now := s.now().UTC()
	if cred.LockedUntil != nil && now.Before(*cred.LockedUntil) {
		return "", access.Actor{}, ErrLocked
	}
	ok, err := VerifyPassword(cred.PasswordHash, password)
	if err != nil {
		return "", access.Actor{}, err
	}
	self := access.Actor{PersonID: cred.PersonID, DepartmentID: cred.DepartmentID}
	if !ok || cred.Disabled {
		var locked bool
		err := s.inTx(ctx, func(tx Tx) error {
			n, err := tx.AddSignInFailure(ctx, cred.PersonID)
			if err != nil {
				return err
			}
			outcome := "failed"
			if n >= s.policy.MaxFailures {
				locked = true
				outcome = "locked"
				if err := tx.LockAccount(ctx, cred.PersonID, now.Add(s.policy.LockDuration)); err != nil {
					return err
				}
			}
			return ledger.Record(ctx, tx, now, self, "auth.sign_in_"+outcome, ledger.Object{Type: "person", ID: cred.PersonID, DepartmentID: cred.DepartmentID},
				signInRecord{PersonID: cred.PersonID, Outcome: outcome})
		})
		if err != nil {
			return "", access.Actor{}, err
		}
		if locked {
			return "", access.Actor{}, ErrLocked
		}
		return "", access.Actor{}, ErrBadCredentials
	}
	secret := newSecret(sessionPrefix)
	sess := Session{Digest: secretDigest(secret), PersonID: cred.PersonID, CreatedAt: now, ExpiresAt: now.Add(s.policy.SessionTTL)}
	var actor *access.Actor
	err = s.inTx(ctx, func(tx Tx) error {
		// Re-read under the write: a lock or disable that landed while the
		// hash was checked still wins.
		cur, err := tx.CredentialsByID(ctx, cred.PersonID)
		if err != nil {
			return err
		}
		if cur == nil || cur.Disabled || cur.PasswordHash != cred.PasswordHash {
			return ErrBadCredentials
		}
		if cur.LockedUntil != nil && now.Before(*cur.LockedUntil) {
			return ErrLocked
		}
		if actor, err = tx.Actor(ctx, cred.PersonID); err != nil {
			return err
		}
		if actor == nil {
			return ErrBadCredentials
		}
		if err := tx.ClearSignInFailures(ctx, cred.PersonID); err != nil {
			return err
		}
		if err := tx.InsertSession(ctx, sess); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, *actor, "auth.sign_in", ledger.Object{Type: "person", ID: cred.PersonID, DepartmentID: cred.DepartmentID},
			signInRecord{PersonID: cred.PersonID, Outcome: "ok", ExpiresAt: sess.ExpiresAt})
	})
	if err != nil {
		return "", access.Actor{}, err
	}
	return secret, *actor, nil
}

// Policy returns the session and lock-out policy in force.
func (s *Service) Policy() Policy { return s.policy }

// SessionActor returns the actor behind a session secret.
func (s *Service) SessionActor(ctx context.Context, secret string) (access.Actor, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return access.Actor{}, problem.ErrUnauthenticated
	}
	now := s.now()
	var actor *access.Actor
	err := s.read(ctx, func(tx Tx) error {
		sess, err := tx.SessionByDigest(ctx, secretDigest(secret))
		if err != nil {
			return err
		}
		if sess == nil {
			return problem.ErrUnauthenticated
		}
		if !now.Before(sess.ExpiresAt) {
			return ErrSessionExpired
		}
		if actor, err = tx.Actor(ctx, sess.PersonID); err != nil {
			return err
		}
		if actor == nil {
			return problem.ErrUnauthenticated
		}
		return nil
	})
	if err != nil {
		return access.Actor{}, err
	}
	return *actor, nil
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, a access.Actor, secret string) error {
	now := s.now().UTC()
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, secretDigest(secret)); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "auth.sign_out", ledger.Object{Type: "person", ID: a.PersonID, DepartmentID: a.DepartmentID}, signInRecord{PersonID: a.PersonID, Outcome: "signed_out"})
	})
}

// ChangePassword replaces the actor's own password after checking the
// current one, and ends all of their sessions.
func (s *Service) ChangePassword(ctx context.Context, a access.Actor, current, next string) error {
	if err := ValidatePassword("new_password", next); err != nil {
		return err
	}
	var cred *Credentials
	if err := s.read(ctx, func(tx Tx) (err error) { cred, err = tx.CredentialsByID(ctx, a.PersonID); return err }); err != nil {
		return err
	}
	if cred == nil {
		return problem.ErrUnauthenticated
	}
	ok, err := VerifyPassword(cred.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return &problem.Error{Kind: problem.Invalid, Code: "auth.current_password_wrong", Title: "当前密码错误", Field: "current_password", Detail: "the current password is wrong"}
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.SetPasswordHash(ctx, a.PersonID, hash); err != nil {
			return err
		}
		if err := tx.DeleteSessionsOf(ctx, a.PersonID); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "auth.password_change", ledger.Object{Type: "person", ID: a.PersonID, DepartmentID: a.DepartmentID}, signInRecord{PersonID: a.PersonID, Outcome: "password_changed"})
	})
}

// Unlock lifts a lock-out early; platform admins only.
func (s *Service) Unlock(ctx context.Context, a access.Actor, personID string) error {
	if !a.Has(access.PlatformAdmin) {
		return problem.ErrForbidden
	}
	now := s.now().UTC()
	return s.inTx(ctx, func(tx Tx) error {
		cred, err := tx.CredentialsByID(ctx, personID)
		if err != nil {
			return err
		}
		if cred == nil {
			return problem.NotFoundf("org.person_not_found", "人员不存在", "no such person")
		}
		if err := tx.ClearSignInFailures(ctx, personID); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "auth.unlock", ledger.Object{Type: "person", ID: personID, DepartmentID: cred.DepartmentID}, signInRecord{PersonID: personID, Outcome: "unlocked"})
	})
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// ValidatePassword checks a new password's length; field names it in the error.
func ValidatePassword(field, pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return problem.Fieldf(field, "auth.password_too_short", "密码过短", "the password needs at least %d characters", MinPasswordLength)
	}
	if len(pw) > 256 {
		return problem.Field(field, "auth.password_too_long", "密码过长", "the password may have at most 256 bytes")
	}
	return nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }
