package correction

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/todo"
)

// Kinds of to-do item.
const (
	TodoAnswer  = "correction.answer"  // provider: verify, correct and answer within 10 WD (Art. 26)
	TodoOverdue = "correction.overdue" // consumer: its request is past the provider's deadline
	maxTodo     = 500
)

// TodoItems lists what waits for a's department among the open requests rs,
// as of today on cal. It is pure so that tests can move today freely. A
// request with no countable due day is never overdue (OverdueOn).
func TodoItems(a access.Actor, rs []Request, cal *calendar.Calendar, today calendar.Date) []todo.Item {
	items := []todo.Item{}
	for _, r := range rs {
		if r.State != Open {
			continue
		}
		r.Resolve(cal)
		switch {
		case a.InOffice(r.ProviderID):
			// Without a countable due day yet the item is undated: the
			// provider still has the request to answer.
			it := todo.Item{Kind: TodoAnswer, ObjectType: "correction", ObjectID: r.ID, Title: "待核实反馈的校核申请：" + r.EntryName}
			if r.Deadline != nil {
				todo.Left(cal, &it, r.Deadline.Due, r.Deadline.Rule, today)
			}
			items = append(items, it)
		case a.InOffice(r.ConsumerID) && r.OverdueOn(today):
			// The consumer may raise an overdue answer with the provider or
			// its authority; the item says how late it is.
			it := todo.Item{Kind: TodoOverdue, ObjectType: "correction", ObjectID: r.ID, Title: "提供部门逾期未反馈的校核申请：" + r.EntryName}
			todo.Left(cal, &it, r.Deadline.Due, r.Deadline.Rule, today)
			items = append(items, it)
		}
	}
	todo.Sort(items)
	return items
}

// Todos lists the open requests waiting on the actor's department: to
// answer as provider, overdue as consumer.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	if !a.InOffice(a.DepartmentID) {
		return []todo.Item{}, nil
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	var rs []Request
	err = s.read(ctx, func(tx Tx) (err error) {
		rs, err = tx.ListCorrections(ctx, Filter{Scope: access.Scope{DepartmentID: a.DepartmentID}, Department: a.DepartmentID, State: Open, Limit: maxTodo})
		return err
	})
	if err != nil {
		return nil, err
	}
	return TodoItems(a, rs, cal, calendar.DateOf(s.now())), nil
}
