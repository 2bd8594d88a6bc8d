package files

import "github.com/govshare/govshare/internal/access"

// The rules below say who may manage and read an entry's files through the
// API. They are pure. Consumers never read files here: they download
// through the gateway under a grant.

// CanManage: the provider department's sharing office (office staff or
// head) uploads and deletes files of its own entries; nobody else.
func CanManage(a access.Actor, providerID string) bool {
	return providerID != "" && a.DepartmentID == providerID && a.HasAny(access.OfficeHead, access.OfficeStaff)
}

// CanRead: the provider's sharing office and platform admins list and read
// the files' metadata (never their bytes).
func CanRead(a access.Actor, providerID string) bool {
	return CanManage(a, providerID) || a.Has(access.PlatformAdmin)
}
