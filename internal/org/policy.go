package org

import "github.com/govshare/govshare/internal/access"

// The rules below say who may do what to which organisation. They are pure:
// the service looks up the facts (which department, which region) and asks.
// docs/access.md carries the same table for people.

// Region answers whether one division lies within another.
type Region func(outer, inner string) (bool, error)

// CanCreateOrganisations: divisions and departments are set up by platform
// admins (or the operator at the command line, e.g. the demo loader).
func CanCreateOrganisations(a access.Actor) bool { return a.Local || a.Has(access.PlatformAdmin) }

// CanUpdateOffice: a department's sharing office and head are named by the
// department itself, through its office head, or by a platform admin.
func CanUpdateOffice(a access.Actor, dept Department) bool {
	return a.Local || a.Has(access.PlatformAdmin) || (a.Has(access.OfficeHead) && a.DepartmentID == dept.ID)
}

// CanReadPerson: people's names are personal data, so each role sees only the
// people it must: admins all; an authority or auditor those of its region; a
// sharing office its own department; anyone themselves.
func CanReadPerson(a access.Actor, p Person, personDivision string, in Region) (bool, error) {
	switch {
	case a.PersonID == p.ID, a.Has(access.PlatformAdmin):
		return true, nil
	case a.HasAny(access.OfficeHead, access.OfficeStaff) && p.DepartmentID != "" && p.DepartmentID == a.DepartmentID:
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && personDivision != "":
		return in(a.DivisionCode, personDivision)
	}
	return false, nil
}

// PeopleScope is which people a listing may show an actor.
type PeopleScope struct {
	All          bool
	DepartmentID string // only this department
	Region       string // only departments in this division's subtree
	Self         string // only this person
}

// ScopeForPeople returns the widest listing an actor may see.
func ScopeForPeople(a access.Actor) PeopleScope {
	switch {
	case a.Has(access.PlatformAdmin):
		return PeopleScope{All: true}
	case a.HasAny(access.AuthorityReviewer, access.Auditor):
		return PeopleScope{Region: a.DivisionCode}
	case a.HasAny(access.OfficeHead, access.OfficeStaff):
		return PeopleScope{DepartmentID: a.DepartmentID}
	}
	return PeopleScope{Self: a.PersonID}
}

// CanManagePerson: admins manage every account; an office head manages the
// office staff of its own department, and may give them no other role.
func CanManagePerson(a access.Actor, deptID string, roles []access.Role) bool {
	if a.Local || a.Has(access.PlatformAdmin) {
		return true
	}
	if !a.Has(access.OfficeHead) || a.DepartmentID == "" || deptID != a.DepartmentID {
		return false
	}
	for _, r := range roles {
		if r != access.OfficeStaff {
			return false
		}
	}
	return true
}

// CanLookUpAuthorities: the authority structure is needed by everyone who
// takes part in sharing; a contractor, who takes no part, does not need it.
func CanLookUpAuthorities(a access.Actor) bool {
	return len(a.Roles) > 0 && !(len(a.Roles) == 1 && a.Has(access.Contractor))
}
