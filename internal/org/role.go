package org

import (
	"slices"
	"strconv"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// Person is someone who signs in and acts for a department.
type Person struct {
	ID           string        `json:"id"`
	Username     string        `json:"username"`
	DisplayName  string        `json:"display_name"`
	DepartmentID string        `json:"department_id,omitempty"`
	Roles        []access.Role `json:"roles"`
	Disabled     bool          `json:"disabled"`
	LockedUntil  *time.Time    `json:"locked_until,omitempty"`
	Version      int64         `json:"version"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Has reports whether the person holds role r.
func (p Person) Has(r access.Role) bool { return slices.Contains(p.Roles, r) }

// ValidateRoles checks a set of roles against the department the person belongs
// to (nil for none).
func ValidateRoles(roles []access.Role, dept *Department) error {
	if len(roles) == 0 {
		return problem.Field("roles", "org.roles_required", "至少指定一个角色", "at least one role is required")
	}
	seen := map[access.Role]bool{}
	for i, r := range roles {
		field := "roles[" + strconv.Itoa(i) + "]"
		if !r.Valid() {
			return problem.Fieldf(field, "org.role_invalid", "角色无效", "unknown role %q", r)
		}
		if seen[r] {
			return problem.Fieldf(field, "org.role_duplicate", "角色重复", "role %s given twice", r)
		}
		seen[r] = true
		switch r {
		case access.OfficeHead, access.OfficeStaff, access.Auditor:
			if dept == nil {
				return problem.Fieldf(field, "org.role_needs_department", "该角色必须属于某个部门", "role %s needs a department_id", r)
			}
		case access.AuthorityReviewer:
			if dept == nil || dept.Kind != KindAuthority {
				return problem.Fieldf(field, "org.role_needs_authority", "主管部门审核人必须属于主管部门",
					"role %s needs a department of kind authority", r)
			}
		}
	}
	// A contractor runs the platform and may never read shared data (Art. 36):
	// holding it together with a role that reads data would defeat that.
	if seen[access.Contractor] && len(roles) > 1 {
		return problem.Field("roles", "org.contractor_exclusive", "受托方角色不能兼任其他角色",
			"the contractor role cannot be combined with another role (Art. 36)")
	}
	return nil
}
