package catalog

import (
	"context"

	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
)

// Tx is what the catalog service needs from one database transaction. The
// store implements it for SQLite and PostgreSQL; lookups return (nil, nil)
// when the object does not exist. Where the engines differ (full-text search)
// the difference stays behind these methods.
type Tx interface {
	org.AuthorityLookup
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)

	// NextCatalogSeq hands out the next entry sequence number.
	NextCatalogSeq(ctx context.Context) (int64, error)
	CatalogHead(ctx context.Context, id string) (*Head, error)
	InsertCatalogHead(ctx context.Context, h Head) error
	// UpdateCatalogHead saves h if the stored version is still h.Version-1,
	// and reports a version conflict otherwise.
	UpdateCatalogHead(ctx context.Context, h Head) error
	// CatalogVersion returns one version with its items.
	CatalogVersion(ctx context.Context, entryID string, n int) (*Version, error)
	// CatalogVersions returns every version of an entry, oldest first, with items.
	CatalogVersions(ctx context.Context, entryID string) ([]Version, error)
	// PutCatalogVersion inserts or replaces a version and its items.
	PutCatalogVersion(ctx context.Context, entryID string, v Version) error
	// IndexCatalogEntry makes v the searchable published version of h.
	IndexCatalogEntry(ctx context.Context, h Head, v Version) error
	SearchCatalog(ctx context.Context, q Query) ([]Summary, error)
	// WorkingEntries lists entries with their working versions (without items).
	WorkingEntries(ctx context.Context, f WorkFilter) ([]Working, error)
	// SharedItemsNamed finds published, shareable items of other providers
	// whose names are among names.
	SharedItemsNamed(ctx context.Context, names []string, exceptProvider string, limit int) ([]Duplicate, error)

	InsertSourceDesignation(ctx context.Context, d SourceDesignation) error
	SourceDesignations(ctx context.Context, f DesignationFilter) ([]SourceDesignation, error)

	InsertObligation(ctx context.Context, o Obligation) error
	Obligation(ctx context.Context, id string) (*Obligation, error)
	// UpdateObligation saves o if the stored version is still o.Version-1.
	UpdateObligation(ctx context.Context, o Obligation) error
	Obligations(ctx context.Context, f ObligationFilter) ([]Obligation, error)
}

// Working is an entry with its working version.
type Working struct {
	Head    Head
	Version Version
}

// WorkFilter selects entries by where their working version stands.
type WorkFilter struct {
	ProviderID  string
	AuthorityID string
	States      []State
	Limit       int
}

// ObligationFilter narrows a listing of update obligations.
type ObligationFilter struct {
	EntryID        string
	ProviderID     string
	AuthorityID    string
	OpenOnly       bool
	ExtensionState ExtensionState
	Limit          int
}

// DesignationFilter narrows a listing of source designations.
type DesignationFilter struct {
	DataNames     []string // any of these names
	DivisionCodes []string // designated in any of these divisions
	Region        string   // designated in this division or below
	After         string
	Limit         int
}
