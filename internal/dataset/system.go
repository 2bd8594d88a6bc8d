package dataset

import (
	"context"

	"github.com/govshare/govshare/internal/access"
)

// System is an application system of a provider department that loads its
// hosted datasets itself, over the signed gateway (the issue's "rows API
// for systems"), instead of a person of its sharing office doing it.
type System struct {
	ID           string
	DepartmentID string
}

// CanSystemLoad: a system loads and deletes rows of its own department's
// entries only. The system was registered and given its credential by that
// department's sharing office, which answers for it.
func CanSystemLoad(s System, providerID string) bool {
	return providerID != "" && s.DepartmentID == providerID
}

type systemKey struct{}

// mayLoad is the right a load or deletion is checked against: the sharing
// office's (CanLoad), or, for a call of LoadBySystem or DeleteBySystem, the
// system's own department.
func mayLoad(ctx context.Context) func(access.Actor, string) bool {
	if s, ok := ctx.Value(systemKey{}).(System); ok {
		return func(_ access.Actor, providerID string) bool { return CanSystemLoad(s, providerID) }
	}
	return CanLoad
}

// actor is the actor a system's act is recorded under.
func (s System) actor() access.Actor {
	return access.Actor{PersonID: s.ID, DepartmentID: s.DepartmentID}
}

// LoadBySystem is Load by an application system of the provider department.
func (s *Service) LoadBySystem(ctx context.Context, sys System, entryID string, in Load) (Result, error) {
	return s.Load(context.WithValue(ctx, systemKey{}, sys), sys.actor(), entryID, in)
}

// DeleteBySystem is Delete by an application system of the provider
// department.
func (s *Service) DeleteBySystem(ctx context.Context, sys System, entryID string, in Deletion) (Result, error) {
	return s.Delete(context.WithValue(ctx, systemKey{}, sys), sys.actor(), entryID, in)
}
