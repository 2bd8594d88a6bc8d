package upstream

import (
	"context"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the registrations need from one transaction; lookups return
// nil (and no error) when the object does not exist.
type Tx interface {
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)
	Upstream(ctx context.Context, id string) (*Endpoint, error)
	// InsertUpstream refuses a second active endpoint of one entry with the
	// conflict upstream.exists.
	InsertUpstream(ctx context.Context, e Endpoint, secret gateway.SealedSecret) error
	// UpdateUpstream saves e if the stored version is still e.Version-1.
	UpdateUpstream(ctx context.Context, e Endpoint) error
	ListUpstreams(ctx context.Context, f Filter) ([]Endpoint, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; Scope comes from the reader's rights.
type Filter struct {
	Limit   int
	After   string
	EntryID string
	Scope   Scope
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the registrations of upstream endpoints.
type Service struct {
	write, read InTx
	now         func() time.Time
	keys        func() (*gateway.Keyring, error)
}

// NewService returns the registrations' service; keys returns the platform
// keyring the secrets are sealed under (gateway.Service.Keys), read at each
// registration so that a keyring set after start is used.
func NewService(write, read InTx, now func() time.Time, keys func() (*gateway.Keyring, error)) *Service {
	return &Service{write: write, read: read, now: now, keys: keys}
}

var errNotFound = problem.NotFoundf("upstream.not_found", "上游服务不存在", "no such upstream endpoint")

var errNoEntry = &problem.Error{Kind: problem.NotFound, Code: "upstream.entry_not_found", Title: "目录不存在",
	Field: "entry_id", Detail: "no catalog entry has this id"}

var errUnpublished = &problem.Error{Kind: problem.Conflict, Code: "upstream.entry_not_published", Title: "目录尚未发布，不能登记上游服务",
	Detail: "only a published catalog entry can be served (Art. 16)"}

// Register records an upstream endpoint for one of the actor's department's
// published entries and returns it with its secret, the only time the secret
// is shown. Rights come first: on a published entry an actor who may not
// register gets 403, on a draft it cannot know of 404.
func (s *Service) Register(ctx context.Context, a access.Actor, in NewEndpoint) (Registered, error) {
	in.EntryID = strings.TrimSpace(in.EntryID)
	if in.EntryID == "" {
		return Registered{}, problem.Field("entry_id", "upstream.entry_required", "必须指明目录", "entry_id is required")
	}
	var out Registered
	err := s.write(ctx, func(tx Tx) error {
		h, err := tx.CatalogHead(ctx, in.EntryID)
		if err != nil {
			return err
		}
		if h == nil {
			return errNoEntry
		}
		if !CanRegister(a, h.ProviderID) {
			if h.PublishedVersion > 0 {
				return problem.ErrForbidden
			}
			return errNoEntry
		}
		if h.PublishedVersion == 0 {
			return errUnpublished
		}
		in, err := in.clean()
		if err != nil {
			return err
		}
		keys, err := s.keys()
		if err != nil {
			return err
		}
		now := s.now().UTC()
		e := Endpoint{ID: newID(), EntryID: h.ID, ProviderID: h.ProviderID, DivisionCode: h.DivisionCode, URL: in.URL,
			TimeoutMS: in.TimeoutMS, MaxResponseBytes: in.MaxResponseBytes, Description: in.Description, State: Active,
			Version: 1, CreatedBy: a.PersonID, CreatedAt: now, UpdatedAt: now}
		secret := newSecret()
		sealed := gateway.SealedSecret{MasterKeyID: keys.ID(), Ciphertext: keys.Seal([]byte(secret), sealAAD(e.ID))}
		if err := tx.InsertUpstream(ctx, e, sealed); err != nil {
			return err
		}
		out = Registered{Endpoint: e, Secret: secret}
		return ledger.Record(ctx, tx, now, a, "upstream.register", ObjectOf(e), e)
	})
	if err != nil {
		return Registered{}, err
	}
	return out, nil
}

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*Endpoint, error) {
	e, err := tx.Upstream(ctx, id)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, e, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return e, nil
}

// Get returns one endpoint the actor may see.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Endpoint, error) {
	var e *Endpoint
	if err := s.read(ctx, func(tx Tx) (err error) { e, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return Endpoint{}, err
	}
	return *e, nil
}

// List returns the endpoints the actor may see, oldest ID first.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Endpoint, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	f.Scope = scope
	var out []Endpoint
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListUpstreams(ctx, f); return err }); err != nil {
		return nil, err
	}
	return out, nil
}

// Version carries the version last read.
type Version struct {
	Version int64 `json:"version"`
}

// Disable stops an endpoint for good: queries of its entry are no longer
// forwarded from this moment. The version last read is required.
func (s *Service) Disable(ctx context.Context, a access.Actor, id string, in Version) (Endpoint, error) {
	if in.Version <= 0 {
		return Endpoint{}, problem.Field("version", "upstream.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	now := s.now().UTC()
	var out Endpoint
	err := s.write(ctx, func(tx Tx) error {
		e, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !CanStop(a, e) {
			return problem.ErrForbidden
		}
		if e.Version != in.Version {
			return problem.ErrVersionConflict
		}
		if e.State != Active {
			return &problem.Error{Kind: problem.Conflict, Code: "upstream.wrong_state", Title: "上游服务已停用", Detail: "the endpoint is already disabled"}
		}
		e.State, e.Version, e.UpdatedAt = Disabled, e.Version+1, now
		if err := tx.UpdateUpstream(ctx, *e); err != nil {
			return err
		}
		out = *e
		return ledger.Record(ctx, tx, now, a, "upstream.disable", ObjectOf(*e), *e)
	})
	if err != nil {
		return Endpoint{}, err
	}
	return out, nil
}
