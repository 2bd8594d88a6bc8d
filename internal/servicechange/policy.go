package servicechange

import "github.com/govshare/govshare/internal/access"

// The rules below say who may see and act on a service change. They are
// pure: the service looks up regions.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

func headOf(a access.Actor, deptID string) bool {
	return deptID != "" && a.DepartmentID == deptID && a.Has(access.OfficeHead)
}

// CanPropose: the provider's office head signs the proposal, file, withdrawal
// and putting into effect; staff prepare but do not sign.
func CanPropose(a access.Actor, providerID string) bool { return headOf(a, providerID) }

// CanAnswer: the office head of a consumer concerned answers for it.
func CanAnswer(a access.Actor, c *ServiceChange) bool {
	return a.Has(access.OfficeHead) && c.Consumer(a.DepartmentID) != nil
}

// CanDecide: a reviewer of the provider's same-level authority acknowledges
// or returns the filing.
func CanDecide(a access.Actor, c *ServiceChange) bool {
	return c.AuthorityID != "" && a.DepartmentID == c.AuthorityID && a.Has(access.AuthorityReviewer)
}

// CanRead: the parties' offices, the authority's reviewers, the reviewers
// and auditors whose region holds a party, admins. A contractor sees none.
func CanRead(a access.Actor, c *ServiceChange, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), a.InOffice(c.ProviderID), CanDecide(a, c):
		return true, nil
	case a.InOffice(a.DepartmentID) && c.Consumer(a.DepartmentID) != nil:
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		divs := []string{c.ProviderDivision}
		for _, k := range c.Consumers {
			divs = append(divs, k.DivisionCode)
		}
		for _, d := range divs {
			if ok, err := in(a.DivisionCode, d); ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}
