package application

import (
	"context"

	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
)

// Tx is what the application service needs from one database transaction.
// The store implements it for SQLite and PostgreSQL; lookups return (nil,
// nil) when the object does not exist.
type Tx interface {
	// PublishedEntry reads the published version of a catalog entry; nil
	// when the entry does not exist or has never been published.
	PublishedEntry(ctx context.Context, id string) (*EntryRef, error)

	Application(ctx context.Context, id string) (*Application, error)
	InsertApplication(ctx context.Context, a Application) error
	// UpdateApplication saves a if the stored version is still a.Version-1,
	// and reports a version conflict otherwise.
	UpdateApplication(ctx context.Context, a Application) error
	ListApplications(ctx context.Context, f Filter) ([]Application, error)
	// WaitingOn lists the applications on which department deptID has
	// something to do: its drafts and supplements as consumer, its replies
	// and deliveries as provider, extension decisions as authority.
	WaitingOn(ctx context.Context, deptID string, limit int) ([]Application, error)

	// InsertGrant stores the grant an approval gives, in the reply's
	// transaction; a second grant for one application is refused.
	InsertGrant(ctx context.Context, g grant.Grant) error

	// InRegion reports whether division inner lies within (or is) outer.
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	org.AuthorityLookup
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing. Scope is set by the service from the reader's
// rights; the other fields come from the request.
type Filter struct {
	Limit   int
	After   string // the ID of the last application of the previous page
	Role    string // "consumer" or "provider": only those where the reader's department is that party
	State   State
	EntryID string
	Scope   Scope
	// Department is the reader's department, for Role.
	Department string
}
