package dataset

import "github.com/govshare/govshare/internal/access"

// The rules below say who may load and read a hosted dataset. They are pure.

// CanLoad: the provider department's sharing office (office staff or head)
// loads and deletes rows of its own entries; nobody else.
func CanLoad(a access.Actor, providerID string) bool {
	return providerID != "" && a.DepartmentID == providerID && a.HasAny(access.OfficeHead, access.OfficeStaff)
}

// CanRead: the provider's sharing office and platform admins. Consumers will
// read through their grants in a later step; auditors and contractors read
// no rows.
func CanRead(a access.Actor, providerID string) bool {
	return CanLoad(a, providerID) || a.Has(access.PlatformAdmin)
}
