package application

import "github.com/govshare/govshare/internal/access"

// The rules below say who may see and do what to an application. They are
// pure: the service looks up the facts (regions, the provider's authority)
// and asks. docs/applications.md carries the same table for people.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

func inOffice(a access.Actor, deptID string) bool { return a.InOffice(deptID) }

func headOf(a access.Actor, deptID string) bool {
	return deptID != "" && a.DepartmentID == deptID && a.Has(access.OfficeHead)
}

// CanApply: a department's sharing office (staff or head) applies for its own
// department; the consumer is always the actor's department.
func CanApply(a access.Actor) bool {
	return a.DepartmentID != "" && a.HasAny(access.OfficeHead, access.OfficeStaff)
}

// CanRead: the consumer's office sees its applications, drafts included; the
// provider's office sees those sent to it; authority reviewers and auditors
// see sent applications where either party is in their region; admins all.
// A contractor sees none (Art. 36).
func CanRead(a access.Actor, app *Application, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), inOffice(a, app.ConsumerID):
		return true, nil
	case app.SentAt == nil:
		return false, nil // drafts stay inside the consumer's office
	case inOffice(a, app.ProviderID):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		for _, div := range []string{app.ConsumerDivision, app.ProviderDivision} {
			if ok, err := in(a.DivisionCode, div); ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}

// CanEdit: the consumer's office edits, submits and withdraws its own
// applications.
func CanEdit(a access.Actor, app *Application) bool { return inOffice(a, app.ConsumerID) }

// CanApprove: only the consumer's own office head sends an application, and
// signs a resubmission (Art. 20).
func CanApprove(a access.Actor, app *Application) bool { return headOf(a, app.ConsumerID) }

// CanHandle: the provider's office (staff or head) prepares the reply: it
// asks for supplements and for an extension.
func CanHandle(a access.Actor, app *Application) bool { return inOffice(a, app.ProviderID) }

// CanReply: the reply is given after the provider's office head agrees
// (Art. 20), so the head gives it.
func CanReply(a access.Actor, app *Application) bool { return headOf(a, app.ProviderID) }

// CanDecideExtension: the provider's same-level authority (Art. 21), through
// one of its reviewers.
func CanDecideExtension(a access.Actor, authorityID string) bool {
	return authorityID != "" && a.DepartmentID == authorityID && a.Has(access.AuthorityReviewer)
}

// Scope is which applications a listing may show an actor; the service sets
// it from the actor's rights, never from the request.
type Scope struct {
	All          bool
	DepartmentID string // consumer (drafts included) or provider (once sent)
	Region       string // sent applications with either party in this division's subtree
}

// ScopeFor returns the widest listing an actor may see; ok is false for an
// actor who may list none.
func ScopeFor(a access.Actor) (Scope, bool) {
	switch {
	case a.Has(access.PlatformAdmin):
		return Scope{All: true}, true
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		return Scope{Region: a.DivisionCode}, true
	case CanApply(a):
		return Scope{DepartmentID: a.DepartmentID}, true
	}
	return Scope{}, false
}
