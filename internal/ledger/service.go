package ledger

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// Filter narrows an event listing. Region and DepartmentID from the request
// are narrowed further by the reader's rights.
type Filter struct {
	Limit        int
	After        int64 // sequence number
	DepartmentID string
	ObjectType   string
	ObjectID     string
	Action       string
	// From and To bound the events' time, From included and To excluded;
	// zero means unbounded (an inspection's period).
	From, To time.Time
	Region   string // set by the service from the reader's rights
}

// Tx is what reading the record needs from a transaction.
type Tx interface {
	ListEvents(ctx context.Context, f Filter) ([]Event, error)
	EventCount(ctx context.Context) (int64, error)
}

// Reader answers who may read which part of the record: platform admins all
// of it; auditors and authority reviewers the events that concern departments
// in their region; an office head those that concern its own department. An
// event concerns a department when someone acted for it or the object belongs
// to it. Office staff and contractors read none of it.
type Reader struct {
	read func(ctx context.Context, fn func(Tx) error) error
}

// NewReader returns the record reader.
func NewReader(read func(ctx context.Context, fn func(Tx) error) error) *Reader {
	return &Reader{read: read}
}

// Scope narrows f to what the actor may see, or refuses.
func Scope(a access.Actor, f Filter) (Filter, error) {
	switch {
	case a.Has(access.PlatformAdmin):
	case a.HasAny(access.Auditor, access.AuthorityReviewer):
		f.Region = a.DivisionCode
	case a.Has(access.OfficeHead):
		if f.DepartmentID != "" && f.DepartmentID != a.DepartmentID {
			return f, problem.ErrForbidden
		}
		f.DepartmentID = a.DepartmentID
	default:
		return f, problem.ErrForbidden
	}
	return f, nil
}

// Events lists events the actor may read, in sequence order.
func (r *Reader) Events(ctx context.Context, a access.Actor, f Filter) ([]Event, error) {
	f, err := Scope(a, f)
	if err != nil {
		return nil, err
	}
	var out []Event
	err = r.read(ctx, func(tx Tx) (err error) { out, err = tx.ListEvents(ctx, f); return err })
	return out, err
}
