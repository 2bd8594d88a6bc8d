package grant

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the grant service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	Grant(ctx context.Context, id string) (*Grant, error)
	// UpdateGrant saves g if the stored version is still g.Version-1, and
	// reports a version conflict otherwise.
	UpdateGrant(ctx context.Context, g Grant) error
	ListGrants(ctx context.Context, f Filter) ([]Grant, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	org.AuthorityLookup
	UsageTx
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; Scope and Department come from the reader's rights.
type Filter struct {
	Limit         int
	After         string
	Role          string // "consumer" or "provider"
	ApplicationID string
	EntryID       string
	Scope         Scope
	Department    string
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the grant commands: rights first, one transaction, the
// optimistic version, the event.
type Service struct {
	write, read InTx
	now         func() time.Time
}

// NewService returns the grant service.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{write: write, read: read, now: now}
}

var errNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")

// ObjectOf names a grant for the record: it belongs to the consumer.
func ObjectOf(g Grant) ledger.Object {
	return ledger.Object{Type: "grant", ID: g.ID, DepartmentID: g.ConsumerID}
}

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*Grant, error) {
	g, err := tx.Grant(ctx, id)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, g, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return g, nil
}

// Get returns one grant the actor may see, its state as of now.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Grant, error) {
	var g *Grant
	if err := s.read(ctx, func(tx Tx) (err error) { g, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return Grant{}, err
	}
	g.State = g.StateAt(s.now())
	return *g, nil
}

// List returns the grants the actor may see, narrowed by f.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Grant, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	switch f.Role {
	case "", "consumer", "provider":
	default:
		return nil, problem.Fieldf("role", "grant.role_invalid", "参数无效", "role must be consumer or provider; got %q", f.Role)
	}
	if f.Role != "" && a.DepartmentID == "" {
		return []Grant{}, nil
	}
	f.Scope, f.Department = scope, a.DepartmentID
	var out []Grant
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListGrants(ctx, f); return err }); err != nil {
		return nil, err
	}
	now := s.now()
	for i := range out {
		out[i].State = out[i].StateAt(now)
	}
	return out, nil
}

// ChangeInput carries the reasons and the version last read.
type ChangeInput struct {
	Reasons []string `json:"reasons"`
	Version int64    `json:"version"`
}

// ConsentInput is the provider's consent to re-share (Art. 25).
type ConsentInput struct {
	ThirdDepartmentID string `json:"third_department_id"`
	Purpose           string `json:"purpose"`
	Version           int64  `json:"version"`
}

func versionRequired() error {
	return problem.Field("version", "grant.version_required", "缺少版本号", "version (the version you last read) is required")
}

// run loads the grant, checks rights and version, applies the act and saves
// it with its event, in one transaction.
func (s *Service) run(ctx context.Context, a access.Actor, id string, version int64, action string,
	may func(tx Tx, g *Grant) (bool, error), apply func(tx Tx, g *Grant, now time.Time) error) (Grant, error) {
	if version <= 0 {
		return Grant{}, versionRequired()
	}
	now := s.now().UTC()
	var out *Grant
	err := s.write(ctx, func(tx Tx) error {
		g, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		ok, err := may(tx, g)
		if err != nil {
			return err
		}
		if !ok {
			return problem.ErrForbidden
		}
		if g.Version != version {
			return problem.ErrVersionConflict
		}
		if err := apply(tx, g, now); err != nil {
			return err
		}
		g.Version++
		g.UpdatedAt = now
		if err := tx.UpdateGrant(ctx, *g); err != nil {
			return err
		}
		out = g
		return ledger.Record(ctx, tx, now, a, action, ObjectOf(*g), g)
	})
	if err != nil {
		return Grant{}, err
	}
	out.State = out.StateAt(now)
	return *out, nil
}

func (s *Service) control(ctx context.Context, a access.Actor) func(tx Tx, g *Grant) (bool, error) {
	return func(tx Tx, g *Grant) (bool, error) {
		if headOf(a, g.ProviderID) {
			return true, nil
		}
		if !a.Has(access.AuthorityReviewer) {
			return false, nil
		}
		auth, err := org.AuthorityFor(ctx, tx, g.ProviderDivision)
		if err != nil {
			if problem.CodeOf(err) != "" {
				return false, nil // no authority: only the head acts
			}
			return false, err
		}
		return CanControl(a, g, auth.ID), nil
	}
}

// Suspend stops an active grant's delivery (暂停共享权限), with reasons.
func (s *Service) Suspend(ctx context.Context, a access.Actor, id string, in ChangeInput) (Grant, error) {
	reasons, err := cleanReasons(in.Reasons)
	if err != nil {
		return Grant{}, err
	}
	return s.run(ctx, a, id, in.Version, "grant.suspend", s.control(ctx, a), func(_ Tx, g *Grant, now time.Time) error {
		return g.Suspend(a, reasons, now)
	})
}

// Resume lets a suspended grant deliver again, with reasons.
func (s *Service) Resume(ctx context.Context, a access.Actor, id string, in ChangeInput) (Grant, error) {
	reasons, err := cleanReasons(in.Reasons)
	if err != nil {
		return Grant{}, err
	}
	return s.run(ctx, a, id, in.Version, "grant.resume", s.control(ctx, a), func(_ Tx, g *Grant, now time.Time) error {
		return g.Resume(a, reasons, now)
	})
}

// Terminate ends an active or suspended grant for good (终止共享权限).
func (s *Service) Terminate(ctx context.Context, a access.Actor, id string, in ChangeInput) (Grant, error) {
	reasons, err := cleanReasons(in.Reasons)
	if err != nil {
		return Grant{}, err
	}
	return s.run(ctx, a, id, in.Version, "grant.terminate", s.control(ctx, a), func(_ Tx, g *Grant, now time.Time) error {
		return g.Terminate(a, reasons, now)
	})
}

// RecordConsent records the provider office head's consent to re-share the
// granted data to a third department for a purpose (Art. 25).
func (s *Service) RecordConsent(ctx context.Context, a access.Actor, id string, in ConsentInput) (Grant, error) {
	return s.run(ctx, a, id, in.Version, "grant.consent",
		func(_ Tx, g *Grant) (bool, error) { return CanConsent(a, g), nil },
		func(tx Tx, g *Grant, now time.Time) error {
			if err := g.RecordConsent(a, in.ThirdDepartmentID, in.Purpose, now); err != nil {
				return err
			}
			d, err := tx.Department(ctx, g.Consents[len(g.Consents)-1].ThirdDepartmentID)
			if err != nil {
				return err
			}
			if d == nil {
				return problem.Field("third_department_id", "grant.third_unknown", "第三方部门不存在", "no department has this id")
			}
			return nil
		})
}
