package access

// InOffice reports whether a works in the sharing office (office staff or
// office head) of department deptID (Art. 11): the office acts for its
// department in every domain.
func (a Actor) InOffice(deptID string) bool {
	return deptID != "" && a.DepartmentID == deptID && a.HasAny(OfficeHead, OfficeStaff)
}

// Scope is what a listing of a department-owned object may show: every
// object, those with a party in a region (a division and those below it), or
// those with a department as a party. Each domain says which of its
// departments count as parties.
type Scope struct {
	All          bool
	DepartmentID string
	Region       string
}

// ListScope is the widest listing an actor may see of the objects grants,
// application systems, proxied services and subscriptions share one rule
// for: admins all, authority reviewers and auditors their region, a sharing
// office its own department's; ok is false for anyone else.
func ListScope(a Actor) (Scope, bool) {
	switch {
	case a.Has(PlatformAdmin):
		return Scope{All: true}, true
	case a.HasAny(AuthorityReviewer, Auditor) && a.DivisionCode != "":
		return Scope{Region: a.DivisionCode}, true
	case a.InOffice(a.DepartmentID):
		return Scope{DepartmentID: a.DepartmentID}, true
	}
	return Scope{}, false
}
