package gateway

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the gateway needs from one transaction; lookups return nil
// (and no error) when the object does not exist.
type Tx interface {
	// System returns a system without its credentials.
	System(ctx context.Context, id string) (*System, error)
	// InsertSystem refuses a second system of one name in a department.
	InsertSystem(ctx context.Context, s System) error
	// UpdateSystem saves s if the stored version is still s.Version-1.
	UpdateSystem(ctx context.Context, s System) error
	ListSystems(ctx context.Context, f Filter) ([]System, error)
	// Credentials lists a system's credentials, oldest first.
	Credentials(ctx context.Context, systemID string) ([]Credential, error)
	// Credential returns one credential with its sealed secret.
	Credential(ctx context.Context, keyID string) (*Credential, *SealedSecret, error)
	InsertCredential(ctx context.Context, c Credential, secret SealedSecret) error
	UpdateCredential(ctx context.Context, c Credential) error
	// UseNonce records that keyID used nonce until expires; it reports false,
	// and changes nothing, when the nonce is already recorded and unexpired
	// at now. Concurrent uses of one nonce: exactly one gets true.
	UseNonce(ctx context.Context, keyID, nonce string, now, expires time.Time) (bool, error)
	// PurgeNonces deletes the nonces expired before t.
	PurgeNonces(ctx context.Context, before time.Time) (int64, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; Scope comes from the reader's rights.
type Filter struct {
	Limit int
	After string
	Scope Scope
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the application-system commands and verifies signed requests.
type Service struct {
	write, read InTx
	now         func() time.Time
	keys        atomic.Pointer[Keyring]
	recent      *recentNonces // recent.go
	// gen and keyCache keep verified keys (cache.go, verify.go); gen nil
	// caches nothing.
	gen      Generation
	keyCache *Cache[*keyState]
}

// NewService returns the gateway service; keys seals and opens the secrets.
// keys may be nil until UseKeyring is called: systems can then be
// registered, read, disabled and their credentials revoked, but issuing a
// credential and verifying a request fail with gateway.keyring_missing.
func NewService(write, read InTx, now func() time.Time, keys *Keyring) *Service {
	s := &Service{write: write, read: read, now: now, recent: newRecentNonces(), keyCache: NewCache[*keyState](maxCachedKeys)}
	s.keys.Store(keys)
	return s
}

// UseGeneration lets Check keep credentials and systems in memory while
// gen (the store's configuration generation) is unchanged, at most CacheTTL
// (cache.go). Call it once, before serving.
func (s *Service) UseGeneration(gen Generation) { s.gen = gen }

// UseKeyring sets the master key the secrets are sealed under; call it at
// start, before serving.
func (s *Service) UseKeyring(k *Keyring) { s.keys.Store(k) }

// errNoKeyring has no Kind: the API answers 500 with its code.
var errNoKeyring = &problem.Error{Code: "gateway.keyring_missing", Title: "平台未配置主密钥",
	Detail: "the platform has no master key (GOVSHARE_MASTER_KEY or the key file); credentials cannot be issued or checked"}

func (s *Service) keyring() (*Keyring, error) {
	if k := s.keys.Load(); k != nil {
		return k, nil
	}
	return nil, errNoKeyring
}

var errNotFound = problem.NotFoundf("system.not_found", "应用系统不存在", "no such application system")

// ObjectOf names a system for the record: it belongs to its department.
func ObjectOf(s System) ledger.Object {
	return ledger.Object{Type: "system", ID: s.ID, DepartmentID: s.DepartmentID}
}

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*System, error) {
	sys, err := tx.System(ctx, id)
	if err != nil {
		return nil, err
	}
	if sys == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, sys, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	if sys.Credentials, err = tx.Credentials(ctx, sys.ID); err != nil {
		return nil, err
	}
	return sys, nil
}

// Register records a new application system of the actor's department.
func (s *Service) Register(ctx context.Context, a access.Actor, in NewSystem) (System, error) {
	if !CanRegister(a) {
		return System{}, problem.ErrForbidden
	}
	in, err := in.clean()
	if err != nil {
		return System{}, err
	}
	now := s.now().UTC()
	sys := System{ID: newSystemID(), DepartmentID: a.DepartmentID, Name: in.Name, Description: in.Description,
		AllowedIPs: in.AllowedIPs, Grants: []string{}, State: Active, Credentials: []Credential{}, Version: 1, CreatedBy: a.PersonID,
		CreatedAt: now, UpdatedAt: now}
	err = s.write(ctx, func(tx Tx) error {
		d, err := tx.Department(ctx, a.DepartmentID)
		if err != nil {
			return err
		}
		if d == nil {
			return problem.ErrForbidden
		}
		sys.DivisionCode = d.DivisionCode
		if err := tx.InsertSystem(ctx, sys); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "system.register", ObjectOf(sys), sys)
	})
	if err != nil {
		return System{}, err
	}
	return sys, nil
}

// Get returns one system the actor may see, with its credentials.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (System, error) {
	var sys *System
	if err := s.read(ctx, func(tx Tx) (err error) { sys, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return System{}, err
	}
	return *sys, nil
}

// List returns the systems the actor may see (without their credentials).
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]System, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	f.Scope = scope
	var out []System
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListSystems(ctx, f); return err }); err != nil {
		return nil, err
	}
	return out, nil
}

// Version carries the version last read.
type Version struct {
	Version int64 `json:"version"`
}

// command loads the system, checks the right, runs apply and saves the
// system under its optimistic version with the event, in one transaction.
func (s *Service) command(ctx context.Context, a access.Actor, id string, version int64, action *string,
	may func(*System) bool, apply func(tx Tx, sys *System, now time.Time) error) (System, error) {
	now := s.now().UTC()
	var out *System
	err := s.write(ctx, func(tx Tx) error {
		sys, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !may(sys) {
			return problem.ErrForbidden
		}
		if version != 0 && sys.Version != version {
			return problem.ErrVersionConflict
		}
		if err := apply(tx, sys, now); err != nil {
			return err
		}
		sys.Version++
		sys.UpdatedAt = now
		if err := tx.UpdateSystem(ctx, *sys); err != nil {
			return err
		}
		if sys.Credentials, err = tx.Credentials(ctx, sys.ID); err != nil {
			return err
		}
		out = sys
		return ledger.Record(ctx, tx, now, a, *action, ObjectOf(*sys), sys)
	})
	if err != nil {
		return System{}, err
	}
	return *out, nil
}

// Disable stops a system for good: every credential is refused from now on
// (gateway.system_disabled). The version last read is required.
func (s *Service) Disable(ctx context.Context, a access.Actor, id string, in Version) (System, error) {
	if in.Version <= 0 {
		return System{}, problem.Field("version", "system.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	action := "system.disable"
	return s.command(ctx, a, id, in.Version, &action, func(sys *System) bool { return CanStop(a, sys) },
		func(_ Tx, sys *System, _ time.Time) error {
			if sys.State != Active {
				return wrongState("the system is already disabled")
			}
			sys.State = Disabled
			return nil
		})
}

// IssueCredential gives a system a new credential and returns its secret,
// the only time it is shown. When the system already has a current
// credential this is a rotation: the old one stays valid for RotationGrace,
// and any credential still in an earlier grace period ends now, so at most
// two credentials are ever valid.
func (s *Service) IssueCredential(ctx context.Context, a access.Actor, systemID string) (Issued, error) {
	keys, err := s.keyring()
	if err != nil {
		return Issued{}, err
	}
	var issued Issued
	action := "system.credential_issue"
	_, err = s.command(ctx, a, systemID, 0, &action, func(sys *System) bool { return CanManage(a, sys) },
		func(tx Tx, sys *System, now time.Time) error {
			if sys.State != Active {
				return wrongState("a disabled system gets no credentials")
			}
			for _, c := range sys.Credentials {
				switch {
				case c.State == Current:
					action = "system.credential_rotate"
					until := now.Add(RotationGrace)
					c.State, c.GraceUntil = Rotated, &until
				case c.State == Rotated && c.ValidAt(now):
					c.GraceUntil = &now
				default:
					continue
				}
				if err := tx.UpdateCredential(ctx, c); err != nil {
					return err
				}
			}
			c := Credential{KeyID: newKeyID(), SystemID: sys.ID, State: Current, CreatedAt: now, CreatedBy: a.PersonID}
			secret := newSecret()
			sealed := SealedSecret{MasterKeyID: keys.ID(), Ciphertext: keys.Seal([]byte(secret), []byte(c.KeyID))}
			if err := tx.InsertCredential(ctx, c, sealed); err != nil {
				return err
			}
			issued = Issued{Credential: c, Secret: secret}
			return nil
		})
	if err != nil {
		return Issued{}, err
	}
	return issued, nil
}

// RevokeCredential ends a credential at once (gateway.key_revoked).
func (s *Service) RevokeCredential(ctx context.Context, a access.Actor, systemID, keyID string) (System, error) {
	action := "system.credential_revoke"
	return s.command(ctx, a, systemID, 0, &action, func(sys *System) bool { return CanStop(a, sys) },
		func(tx Tx, sys *System, now time.Time) error {
			for _, c := range sys.Credentials {
				if c.KeyID != keyID {
					continue
				}
				if c.State == Revoked {
					return &problem.Error{Kind: problem.Conflict, Code: "system.credential_revoked", Title: "访问密钥已吊销",
						Detail: "the credential is already revoked"}
				}
				c.State, c.RevokedAt = Revoked, &now
				return tx.UpdateCredential(ctx, c)
			}
			return problem.NotFoundf("system.credential_not_found", "访问密钥不存在", "the system has no credential %s", keyID)
		})
}
