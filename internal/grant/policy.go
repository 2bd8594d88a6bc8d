package grant

import "github.com/govshare/govshare/internal/access"

// The rules below say who may see and act on a grant. They are pure: the
// service looks up regions and the provider's authority.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

func inOffice(a access.Actor, deptID string) bool { return a.InOffice(deptID) }

func headOf(a access.Actor, deptID string) bool {
	return deptID != "" && a.DepartmentID == deptID && a.Has(access.OfficeHead)
}

// CanRead: the consumer's and the provider's offices, authority reviewers and
// auditors with either party in their region, admins. A contractor sees none
// (Art. 36).
func CanRead(a access.Actor, g *Grant, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), inOffice(a, g.ConsumerID), inOffice(a, g.ProviderID):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		for _, div := range []string{g.ConsumerDivision, g.ProviderDivision} {
			if ok, err := in(a.DivisionCode, div); ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}

// CanControl: the provider's office head, or a reviewer of the provider's
// same-level authority (authorityID), suspends, resumes and terminates.
func CanControl(a access.Actor, g *Grant, authorityID string) bool {
	return headOf(a, g.ProviderID) || (authorityID != "" && a.DepartmentID == authorityID && a.Has(access.AuthorityReviewer))
}

// CanConsent: the provider's office head consents to re-sharing (Art. 25).
func CanConsent(a access.Actor, g *Grant) bool { return headOf(a, g.ProviderID) }

// Scope is which grants a listing may show, set from the actor's rights:
// a department as consumer or provider, a region holding either party.
type Scope = access.Scope

// ScopeFor returns the widest listing an actor may see; ok is false for an
// actor who may list none (a contractor).
func ScopeFor(a access.Actor) (Scope, bool) {
	return access.ListScope(a)
}
