package usagerecord

import (
	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/grant"
)

// The rules below say who may write and who may read a grant's usage
// records. They are pure: the service looks up regions.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

// Reader says in what capacity an actor reads a grant's records.
type Reader int

const (
	// NoReader may not read the records: the grant is not found for them.
	NoReader Reader = iota
	// Consumer is the consumer's own sharing office: its reads are not
	// recorded, as they are the department reading its own records.
	Consumer
	// Provider is the provider's sharing office (Art. 29: 提供部门可以查阅).
	Provider
	// Supervisor is an authority reviewer or auditor whose region holds the
	// consumer (Art. 29: 主管部门可以查阅).
	Supervisor
)

// Recorded reports whether a read in this capacity is itself recorded in
// the ledger: the provider's and the authorities' reads are, so that the
// consumer can see who read its records.
func (r Reader) Recorded() bool { return r == Provider || r == Supervisor }

// CanWrite: only the consumer department's sharing office, staff or head,
// records the use of the data it received (Art. 29: 需求部门应当…进行记录).
func CanWrite(a access.Actor, g *grant.Grant) bool { return a.InOffice(g.ConsumerID) }

// ReaderOf is the capacity in which a may read g's records and access
// events. Platform admins and contractors are not readers: the records tell
// how a department uses data, which is for the parties and the supervisors.
func ReaderOf(a access.Actor, g *grant.Grant, in Region) (Reader, error) {
	switch {
	case a.InOffice(g.ConsumerID):
		return Consumer, nil
	case a.InOffice(g.ProviderID):
		return Provider, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "" && g.ConsumerDivision != "":
		ok, err := in(a.DivisionCode, g.ConsumerDivision)
		if err != nil || !ok {
			return NoReader, err
		}
		return Supervisor, nil
	}
	return NoReader, nil
}

// CanExport says whether a may export the records or events of a
// department in division deptDivision for an inspection: the authority
// reviewers and auditors whose region holds it, and the department's own
// office head.
func CanExport(a access.Actor, deptID, deptDivision string, in Region) (bool, error) {
	switch {
	case a.DepartmentID == deptID && a.Has(access.OfficeHead):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		return in(a.DivisionCode, deptDivision)
	}
	return false, nil
}

// mayExportAny reports whether a could export anything at all, so that
// everyone else is refused before their parameters are looked at.
func mayExportAny(a access.Actor) bool {
	return (a.DepartmentID != "" && a.Has(access.OfficeHead)) || (a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "")
}

// CanPurge: the operator at the server's command line, or a platform admin,
// runs the retention purge; it reads nothing.
func CanPurge(a access.Actor) bool { return a.Local || a.Has(access.PlatformAdmin) }
