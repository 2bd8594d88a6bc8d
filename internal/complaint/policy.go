package complaint

import "github.com/govshare/govshare/internal/access"

// The rules below say who reads and who handles a complaint. They are
// pure: the service looks up regions.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

// CanHandle: the sharing office (staff or head) of the department that
// handles the complaint now accepts, answers or transfers it (Art. 37: 接到
// 投诉、举报的政府部门应当…处理). A department that transferred it away no
// longer reads it: the complainant's data goes only where it is needed.
func CanHandle(a access.Actor, c *Complaint) bool { return a.InOffice(c.HandlerID) }

// CanRead: the handler's sharing office, and the authority reviewers whose
// region holds the handler (the same-level authority and those above it),
// who supervise that complaints are handled in time. Nobody else — not
// platform admins, contractors or auditors — reads a complaint: it holds a
// person's name and contact.
func CanRead(a access.Actor, c *Complaint, in Region) (bool, error) {
	switch {
	case CanHandle(a, c):
		return true, nil
	case a.Has(access.AuthorityReviewer) && a.DivisionCode != "":
		return in(a.DivisionCode, c.HandlerDivision)
	}
	return false, nil
}

// ListScope is the widest listing a may see: an authority reviewer the
// complaints handled in its region, a sharing office its department's; ok
// is false for anyone else.
func ListScope(a access.Actor) (access.Scope, bool) {
	switch {
	case a.Has(access.AuthorityReviewer) && a.DivisionCode != "":
		return access.Scope{Region: a.DivisionCode}, true
	case a.InOffice(a.DepartmentID):
		return access.Scope{DepartmentID: a.DepartmentID}, true
	}
	return access.Scope{}, false
}
