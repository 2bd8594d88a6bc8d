package dispute

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/todo"
)

// Kinds of to-do item.
const (
	TodoNegotiate  = "dispute.negotiate"  // a party: negotiate, propose, answer a proposal or apply for coordination
	TodoCoordinate = "dispute.coordinate" // the coordinating authority: coordinate
	TodoDecision   = "dispute.decision"   // the coordinating authority: record the government's decision
)

// TodoItems lists what waits for the actor among ds, as of today on cal:
// each party's office while negotiating, the coordinating authority's
// reviewers while coordinating and referred. It is pure so that tests can
// move today freely.
func TodoItems(a access.Actor, ds []Dispute, cal *calendar.Calendar, today calendar.Date) []todo.Item {
	items := []todo.Item{}
	for i := range ds {
		d := &ds[i]
		c := d.Current()
		if c == nil {
			continue
		}
		var kind, title string
		switch {
		case d.State == Negotiating && PartyRole(a, d) != "":
			kind, title = TodoNegotiate, "待协商的共享争议："+d.Matter
			if d.Proposal != nil && d.Proposal.As != PartyRole(a, d) {
				title = "待确认对方拟议协议的共享争议：" + d.Matter
			}
		case d.State == Coordinating && IsCoordinator(a, d):
			kind, title = TodoCoordinate, "待协调处理的共享争议："+d.Matter
		case d.State == Referred && IsCoordinator(a, d):
			kind, title = TodoDecision, "待登记人民政府决定的共享争议："+d.Matter
		default:
			continue
		}
		it := todo.Item{Kind: kind, ObjectType: objectType, ObjectID: d.ID, Title: title}
		if c.Deadline != nil {
			todo.Left(cal, &it, c.Deadline.Due, c.Deadline.Rule, today)
		}
		items = append(items, it)
	}
	todo.Sort(items)
	return items
}

// Todos lists what waits for the actor's department in disputes.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	if a.DepartmentID == "" {
		return []todo.Item{}, nil
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	var ds []Dispute
	if err := s.read(ctx, func(tx Tx) (err error) {
		ds, err = tx.DisputesWaitingOn(ctx, a.DepartmentID, maxTodoPerActor)
		return err
	}); err != nil {
		return nil, err
	}
	for i := range ds {
		if err := ds[i].Fill(cal); err != nil {
			return nil, err
		}
	}
	return TodoItems(a, ds, cal, calendar.DateOf(s.now())), nil
}
