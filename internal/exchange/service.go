package exchange

import (
	"context"
	"net/http"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/org"
)

// Tx is what the exchange service needs from one transaction; lookups
// return (nil, nil) when the object does not exist.
type Tx interface {
	Grant(ctx context.Context, id string) (*grant.Grant, error)
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)
	CatalogVersion(ctx context.Context, entryID string, n int) (*catalog.Version, error)
	Dataset(ctx context.Context, entryID string) (*dataset.Head, error)
	// SnapshotRows returns the live rows whose latest change number is in
	// (after, upto], by change number, at most limit.
	SnapshotRows(ctx context.Context, entryID string, after, upto int64, limit int) ([]dataset.StoredRow, error)
	// FeedChanges returns the changes numbered in (after, upto], in order
	// (Seq, Op, Key and Data only).
	FeedChanges(ctx context.Context, entryID string, after, upto int64) ([]dataset.Change, error)
	// PriorChange returns the latest change of the row key numbered below
	// before, or nil.
	PriorChange(ctx context.Context, entryID, key string, before int64) (*dataset.Change, error)
	// DivisionsWithin returns the codes of the division and of every
	// division below it in the tree.
	DivisionsWithin(ctx context.Context, code string) ([]string, error)
	Division(ctx context.Context, code string) (*org.Division, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)

	// InsertSubscription refuses (409) a second active push subscription
	// of a grant, or a second active return flow of an entry to a department.
	InsertSubscription(ctx context.Context, s Subscription, secret *Sealed) error
	Subscription(ctx context.Context, id string) (*Subscription, error)
	// UpdateSubscription saves the state and cancellation of s if the
	// stored version is still s.Version-1.
	UpdateSubscription(ctx context.Context, s Subscription) error
	ListSubscriptions(ctx context.Context, f Filter) ([]Subscription, error)
	// DuePushes lists the active push subscriptions whose next attempt is
	// due at now and that no pusher holds.
	DuePushes(ctx context.Context, now time.Time, limit int) ([]string, error)
	// ClaimPush leases a push subscription to one pusher until until; false
	// when another holds it or it is no longer active.
	ClaimPush(ctx context.Context, id string, now, until time.Time) (bool, error)
	// ReleasePush ends the lease that lasts until until; a lease another
	// pusher took since (after this one ran out) is left alone.
	ReleasePush(ctx context.Context, id string, until time.Time) error
	PushSecret(ctx context.Context, id string) (*Sealed, error)
	// RestPush sets when a scheduled push subscription is next due.
	RestPush(ctx context.Context, id string, next time.Time) error
	// AdvancePush moves the cursor from from to to after an acknowledged
	// page of rows (rows may be 0 when only the phase moved); false when
	// the cursor is no longer from.
	AdvancePush(ctx context.Context, id, from, to string, rows int, now time.Time) (bool, error)
	// FailPush records a failed attempt and when to try again.
	FailPush(ctx context.Context, id string, attempts int, next time.Time, status int, reason string, now time.Time) error
	// NotePull counts rows delivered by a pull of a return flow.
	NotePull(ctx context.Context, id string, rows int, now time.Time) error
	InsertDelivery(ctx context.Context, d Delivery) error
	ListDeliveries(ctx context.Context, subscriptionID, after string, limit int) ([]Delivery, error)

	application.DeliveredTx
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs pulls, subscriptions and pushes.
type Service struct {
	write, read InTx
	now         func() time.Time
	keys        func() (*gateway.Keyring, error)
	// Client sends the pushes; it must not follow redirects (a redirect is
	// not an acknowledgement). Tests may replace it.
	Client *http.Client
}

// NewService returns the exchange service; keys returns the master keyring
// the push secrets are sealed under (gateway.Service.Keys).
func NewService(write, read InTx, now func() time.Time, keys func() (*gateway.Keyring, error)) *Service {
	return &Service{write: write, read: read, now: now, keys: keys, Client: &http.Client{
		Timeout:       PushTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}
