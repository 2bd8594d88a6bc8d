package exchange

import "github.com/govshare/govshare/internal/access"

// The rules below say who may set up, see and cancel a subscription. They
// are pure: the service looks up regions.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

func inOffice(a access.Actor, deptID string) bool { return a.InOffice(deptID) }

// CanSubscribePush: the grant's consumer's sharing office registers where
// its pages are pushed.
func CanSubscribePush(a access.Actor, consumerID string) bool { return inOffice(a, consumerID) }

// CanSubscribeReturnFlow: the provider's sharing office orders the return
// flow of its own entry (Art. 24: the upper-level department returns).
func CanSubscribeReturnFlow(a access.Actor, providerID string) bool { return inOffice(a, providerID) }

// CanRead: both parties' sharing offices, authority reviewers and auditors
// with either party in their region, admins. A contractor sees none.
func CanRead(a access.Actor, s *Subscription, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), inOffice(a, s.SubscriberID), inOffice(a, s.ProviderID):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		for _, div := range []string{s.SubscriberDivision, s.ProviderDivision} {
			if ok, err := in(a.DivisionCode, div); ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}

// CanCancel: a push subscription is the consumer's, so its office cancels
// it (the provider stops delivery by suspending the grant); a return flow
// is cancelled by the provider's office that ordered it or by the
// subscriber's office that no longer needs it.
func CanCancel(a access.Actor, s *Subscription) bool {
	if s.Kind == Push {
		return inOffice(a, s.SubscriberID)
	}
	return inOffice(a, s.ProviderID) || inOffice(a, s.SubscriberID)
}

// Scope is which subscriptions a listing may show, set from the actor's
// rights: a department as subscriber or provider, a region holding either.
type Scope = access.Scope

// ScopeFor returns the widest listing an actor may see; ok is false for an
// actor who may list none.
func ScopeFor(a access.Actor) (Scope, bool) {
	return access.ListScope(a)
}
