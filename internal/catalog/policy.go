package catalog

import "github.com/govshare/govshare/internal/access"

// The rules below say who may do what to which entry. They are pure: the
// service looks up the facts (the provider, the same-level authority, the
// region) and asks. docs/catalog.md carries the same table for people.

// Region answers whether one division lies within another.
type Region func(outer, inner string) (bool, error)

// CanReadCatalog: the published catalog is open to everyone who takes part in
// sharing; a contractor, who runs the platform, never reads it (Art. 36).
func CanReadCatalog(a access.Actor) bool {
	return a.HasAny(access.PlatformAdmin, access.AuthorityReviewer, access.OfficeHead, access.OfficeStaff, access.Auditor)
}

// CanDraft: the provider's sharing office — its staff and its head — writes
// the department's entries. The provider is always the actor's own department.
func CanDraft(a access.Actor, providerID string) bool {
	return a.DepartmentID != "" && a.DepartmentID == providerID && a.HasAny(access.OfficeStaff, access.OfficeHead)
}

// CanApprove: submission is the office head's approval (Art. 13).
func CanApprove(a access.Actor, providerID string) bool {
	return a.DepartmentID != "" && a.DepartmentID == providerID && a.Has(access.OfficeHead)
}

// CanReview: only a reviewer of the provider's same-level authority reviews
// and publishes its catalog (Art. 16), and decides on its extensions (Art. 17).
func CanReview(a access.Actor, authorityID string) bool {
	return authorityID != "" && a.DepartmentID == authorityID && a.Has(access.AuthorityReviewer)
}

// CanSeeWorking says who sees versions that are not published: the provider's
// office; its same-level authority's reviewers while a version is before them
// or was sent back by them; auditors of the region; admins.
func CanSeeWorking(a access.Actor, h Head, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), CanDraft(a, h.ProviderID):
		return true, nil
	case (h.State == Submitted || h.State == Returned) && CanReview(a, h.AuthorityID):
		return true, nil
	case a.Has(access.Auditor) && a.DivisionCode != "":
		return in(a.DivisionCode, h.DivisionCode)
	}
	return false, nil
}

// CanRecordChange: a legal or duty change that affects an entry is recorded
// by the provider's office or by its same-level authority (Art. 17).
func CanRecordChange(a access.Actor, providerID, authorityID string) bool {
	return CanDraft(a, providerID) || CanReview(a, authorityID)
}

// CanDesignate: an authority's reviewer designates source departments within
// its own region (Art. 19).
func CanDesignate(a access.Actor) bool {
	return a.Has(access.AuthorityReviewer) && a.DepartmentID != "" && a.DivisionCode != ""
}
