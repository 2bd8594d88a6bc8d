package files

import (
	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/problem"
)

// taker is who takes a consumer's copy of a file: an application system of
// the consumer over the signed gateway, or a person of the consumer's
// sharing office through the console. Both are held to the same grant
// check; they differ in how the grant is theirs, in whose the link is, in
// what the watermark names and in the actions their records carry.
type taker struct {
	SystemID     string       // the system, or ""
	PersonID     string       // the person, or ""
	DepartmentID string       // the taker's department
	person       access.Actor // the person signed in, when PersonID is set
	// mayUse says whether the taker may use grant id beyond being its
	// consumer: a system must be bound to the grant (gateway.ErrNotBound); a
	// person must be in the consumer's sharing office.
	mayUse func(grantID, consumerID string) error
	// actions are the ledger actions of the taker's list, link, download
	// start and download.
	actions takerActions
}

type takerActions struct{ link, start, download string }

var (
	systemActions = takerActions{ActionLink, ActionDownloadStart, ActionDownload}
	personActions = takerActions{ActionPersonLink, ActionPersonDownloadStart, ActionPersonDownload}
)

// systemTaker is the calling application system.
func systemTaker(c gateway.Caller) taker {
	return taker{SystemID: c.SystemID, DepartmentID: c.DepartmentID, actions: systemActions,
		mayUse: func(grantID, _ string) error {
			if !c.MayUse(grantID) {
				return gateway.ErrNotBound
			}
			return nil
		}}
}

// personTaker is a person signed in to the console.
func personTaker(a access.Actor) taker {
	return taker{PersonID: a.PersonID, DepartmentID: a.DepartmentID, person: a, actions: personActions,
		mayUse: func(_, consumerID string) error {
			if !CanTake(a, consumerID) {
				return problem.ErrForbidden // left the office since the link was issued
			}
			return nil
		}}
}

// owns refuses link l unless it was issued to t.
func (t taker) owns(l Link) error {
	switch {
	case t.PersonID != "" && l.PersonID != t.PersonID:
		return problem.ErrForbidden
	case t.PersonID == "" && (l.SystemID == "" || l.SystemID != t.SystemID):
		return errLinkNotYours
	}
	return nil
}

// actor is who the ledger names as acting: the system's id stands as the
// actor of its calls, as on every gateway record.
func (t taker) actor() access.Actor {
	if t.PersonID != "" {
		return t.person
	}
	return access.Actor{PersonID: t.SystemID, DepartmentID: t.DepartmentID}
}

// record fills in who took: the record's taker fields.
func (t taker) record(r record) record {
	r.SystemID, r.PersonID, r.DepartmentID = t.SystemID, t.PersonID, t.DepartmentID
	return r
}
