// Package access says who is acting: the roles a person can hold and the actor
// that every command is authorised against, by role and by organisation.
package access

import "slices"

// Role is what a person may do on the platform.
type Role string

const (
	PlatformAdmin     Role = "platform_admin"     // 平台管理员: organisations and accounts
	AuthorityReviewer Role = "authority_reviewer" // 主管部门审核人: acts for an authority within its region
	OfficeHead        Role = "office_head"        // 共享工作机构负责人 (Art. 11, 20)
	OfficeStaff       Role = "office_staff"       // 共享工作机构经办人
	Auditor           Role = "auditor"            // 审计人员: reads the record of acts in its region
	Contractor        Role = "contractor"         // 受托方运维: runs the platform, never reads shared data (Art. 36)
)

// Roles lists every role.
var Roles = []Role{PlatformAdmin, AuthorityReviewer, OfficeHead, OfficeStaff, Auditor, Contractor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Actor is the person on whose behalf a command runs, with the organisation
// they act for. It is built from a verified session or token, never from
// request fields.
type Actor struct {
	PersonID     string
	DepartmentID string // "" for platform staff who belong to no department
	DivisionCode string // the division of DepartmentID
	Roles        []Role
	// Local marks the operator at the server's own command line (govshare
	// user add, calendar import): whoever holds the database credentials.
	// Only operator tasks accept it; it reads no business data.
	Local bool
}

// Operator returns the actor for a command-line operator task; name says who
// ran it (the OS user) and is recorded in the events.
func Operator(name string) Actor { return Actor{PersonID: "cli:" + name, Local: true} }

// Has reports whether the actor holds role r.
func (a Actor) Has(r Role) bool { return slices.Contains(a.Roles, r) }

// HasAny reports whether the actor holds any of roles.
func (a Actor) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if a.Has(r) {
			return true
		}
	}
	return false
}

// System is the actor for acts the platform performs itself (migrations of
// data, the demo loader). It holds no role, so no policy lets it read anything.
var System = Actor{PersonID: "system"}
