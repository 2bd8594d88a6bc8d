package dispute

import "github.com/govshare/govshare/internal/access"

// The rules below say who may see and who may act on a dispute. They are
// pure: the service looks up regions.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

// CanOpen: a department's sharing office (staff or head) opens a dispute
// for its own department.
func CanOpen(a access.Actor) bool { return a.InOffice(a.DepartmentID) }

// PartyRole is "consumer" or "provider" when a acts for a party's sharing
// office, "" otherwise.
func PartyRole(a access.Actor, d *Dispute) string {
	switch {
	case a.InOffice(d.Consumer.DepartmentID):
		return roleConsumer
	case a.InOffice(d.Provider.DepartmentID):
		return roleProvider
	}
	return ""
}

// IsCoordinator: a reviewer of the coordinating authority itself acts for
// it; authorities above it read but do not act (Art. 28 names one).
func IsCoordinator(a access.Actor, d *Dispute) bool {
	return d.Authority.DepartmentID != "" && a.DepartmentID == d.Authority.DepartmentID && a.Has(access.AuthorityReviewer)
}

// CanRead: the parties' offices, and the authority reviewers and auditors
// whose region holds the coordinating authority (that authority and those
// above it). Platform admins and contractors are not readers: a dispute is
// the departments' business, not the platform's.
func CanRead(a access.Actor, d *Dispute, in Region) (bool, error) {
	switch {
	case PartyRole(a, d) != "":
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "" && d.Authority.DivisionCode != "":
		return in(a.DivisionCode, d.Authority.DivisionCode)
	}
	return false, nil
}

// Scope is what a listing may show: a party's disputes, or those whose
// coordinating authority lies in a region.
type Scope struct {
	DepartmentID string
	Region       string
}

// ScopeFor is the widest listing a may see; ok is false for those who read
// no disputes.
func ScopeFor(a access.Actor) (Scope, bool) {
	switch {
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		return Scope{Region: a.DivisionCode}, true
	case a.InOffice(a.DepartmentID):
		return Scope{DepartmentID: a.DepartmentID}, true
	}
	return Scope{}, false
}
