package correction

import (
	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/grant"
)

// The rules below say who may do what. They are pure: the service looks up
// regions.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

// CanFile: the consumer department's sharing office (staff or head) files a
// correction request and records the usage status of the data it received
// (Art. 26: 需求部门应当记录…提出政务数据校核申请).
func CanFile(a access.Actor, g *grant.Grant) bool { return a.InOffice(g.ConsumerID) }

// CanAnswer: the provider department's sharing office (staff or head)
// verifies, corrects and answers (提供部门…予以核实、更正并反馈).
func CanAnswer(a access.Actor, r *Request) bool { return a.InOffice(r.ProviderID) }

// CanRead: the two parties' sharing offices, and the authority reviewers and
// auditors whose region holds either party, who supervise the deadline.
// Platform admins and contractors are not readers: a request names rows of
// data, which are for the parties and their supervisors (Art. 36).
func CanRead(a access.Actor, consumerID, consumerDivision, providerID, providerDivision string, in Region) (bool, error) {
	switch {
	case a.InOffice(consumerID), a.InOffice(providerID):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		for _, div := range []string{consumerDivision, providerDivision} {
			if div == "" {
				continue
			}
			if ok, err := in(a.DivisionCode, div); ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}

// ListScope is the widest listing of requests a may see: its own
// department's as consumer or provider, or its region's for an authority or
// auditor; ok is false for anyone else (admins, contractors).
func ListScope(a access.Actor) (access.Scope, bool) {
	switch {
	case a.InOffice(a.DepartmentID):
		return access.Scope{DepartmentID: a.DepartmentID}, true
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		return access.Scope{Region: a.DivisionCode}, true
	}
	return access.Scope{}, false
}

// CanWriteRules: a department's office head states its correction rules and
// channel; they are the department's commitment, so its staff do not.
func CanWriteRules(a access.Actor, deptID string) bool {
	return deptID != "" && a.DepartmentID == deptID && a.Has(access.OfficeHead)
}

// CanReadRules: every sharing office, authority and auditor reads every
// department's rules, to know where and how to ask for a correction;
// admins too. Contractors run the platform and read none.
func CanReadRules(a access.Actor) bool {
	return a.InOffice(a.DepartmentID) || a.HasAny(access.AuthorityReviewer, access.Auditor, access.PlatformAdmin)
}
