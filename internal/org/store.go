package org

import (
	"context"

	"github.com/govshare/govshare/internal/ledger"
)

// Tx is what the org service needs from one database transaction. The store
// implements it for SQLite and PostgreSQL; lookups return (nil, nil) when the
// object does not exist.
type Tx interface {
	Division(ctx context.Context, code string) (*Division, error)
	InsertDivision(ctx context.Context, d Division) error
	ListDivisions(ctx context.Context, f DivisionFilter) ([]Division, error)
	// InRegion reports whether division inner lies within (or is) outer.
	InRegion(ctx context.Context, outer, inner string) (bool, error)

	Department(ctx context.Context, id string) (*Department, error)
	AuthorityIn(ctx context.Context, divisionCode string) (*Department, error)
	InsertDepartment(ctx context.Context, d Department) error
	// UpdateDepartment saves d if the stored version is still d.Version-1,
	// and reports a version conflict otherwise.
	UpdateDepartment(ctx context.Context, d Department) error
	ListDepartments(ctx context.Context, f DepartmentFilter) ([]Department, error)

	Person(ctx context.Context, id string) (*Person, error)
	InsertPerson(ctx context.Context, p Person, passwordHash string) error
	// UpdatePerson saves display name, roles and disabled if the stored
	// version is still p.Version-1.
	UpdatePerson(ctx context.Context, p Person) error
	ListPeople(ctx context.Context, f PersonFilter) ([]Person, error)

	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Page asks for at most Limit rows after the cursor After (an ID, or a code).
type Page struct {
	Limit int
	After string
}

// DivisionFilter narrows a division listing.
type DivisionFilter struct {
	Page
	ParentCode string
	Level      Level
}

// DepartmentFilter narrows a department listing.
type DepartmentFilter struct {
	Page
	DivisionCode string // exactly this division
	Region       string // this division and everything below it
	Kind         Kind
}

// PersonFilter narrows a people listing; the service fills the scope fields
// from the actor's rights, never from the request.
type PersonFilter struct {
	Page
	DepartmentID string
	Scope        PeopleScope
}
