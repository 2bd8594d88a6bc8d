package grant

import (
	"time"

	"github.com/govshare/govshare/internal/access"
)

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
// same-level authority (authorityID), suspends and terminates. The
// consumer's authorities may too (see Service.control, Art. 27 ¶2).
func CanControl(a access.Actor, g *Grant, authorityID string) bool {
	return headOf(a, g.ProviderID) || (authorityID != "" && a.DepartmentID == authorityID && a.Has(access.AuthorityReviewer))
}

// CanResume: only the suspender restores a suspended grant: the provider's
// office head when the provider suspended it, a reviewer of the suspending
// authority otherwise. Whoever found the misuse judges its rectification.
// A grant suspended before the platform recorded suspensions has no known
// suspender (SuspenderKnown): then the older rule applies, whoever may
// control the grant resumes it, and controls says whether a may (the
// control rule needs lookups: see Service.control).
func CanResume(a access.Actor, g *Grant, controls bool) bool {
	if !g.SuspenderKnown() {
		return controls
	}
	if a.DepartmentID == "" || a.DepartmentID != g.Suspension.DepartmentID {
		return false
	}
	if a.DepartmentID == g.ProviderID {
		return a.Has(access.OfficeHead)
	}
	return a.Has(access.AuthorityReviewer)
}

// CanRectify: the consumer's sharing office reports its rectification.
func CanRectify(a access.Actor, g *Grant) bool { return inOffice(a, g.ConsumerID) }

// CanDispose: the consumer's sharing office records the disposal of an
// ended (expired or terminated) grant's data. Disposing of an active grant
// ends its delivery for good, like a termination, so it takes the consumer's
// office head, as every other act with that effect takes a head.
func CanDispose(a access.Actor, g *Grant, now time.Time) bool {
	if g.StateAt(now) == Active {
		return headOf(a, g.ConsumerID)
	}
	return inOffice(a, g.ConsumerID)
}

// CanRequireDisposal: the provider's sharing office states how the data is
// to be disposed of.
func CanRequireDisposal(a access.Actor, g *Grant) bool { return inOffice(a, g.ProviderID) }

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
