package files

import "github.com/govshare/govshare/internal/access"

// The rules below say who may manage and read an entry's files through the
// API. They are pure. Consumers download under a grant: their systems
// through the gateway, their sharing office in the console (CanTake).

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

// CanTake: the sharing office (office staff or head) of a grant's consumer
// department takes the grant's files in the console, each copy watermarked
// with the person's name; nobody else does, the provider included (it holds
// the original).
func CanTake(a access.Actor, consumerID string) bool { return a.InOffice(consumerID) }
