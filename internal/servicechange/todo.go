package servicechange

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/todo"
)

// Kinds of to-do item.
const (
	TodoAnswer      = "service_change.answer"      // consumer: answer the consultation
	TodoFile        = "service_change.file"        // provider: file with the authority
	TodoAcknowledge = "service_change.acknowledge" // authority: acknowledge or return the filing
	TodoApply       = "service_change.apply"       // provider: the effective date has come
	// TodoNotCovered: provider: grants approved after the proposal still
	// run, never consulted on; propose again to end or change them.
	TodoNotCovered = "service_change.not_covered"
	// maxEffective bounds the effective changes read for TodoNotCovered.
	maxEffective = 100
	maxTodo      = 500
)

var kindName = map[Kind]string{Terminate: "终止", Modify: "变更"}

// TodoItems lists what waits for the actor among changes, as of now on cal.
// It is pure so that tests can move the clock freely.
func TodoItems(a access.Actor, cs []ServiceChange, cal *calendar.Calendar, now time.Time) []todo.Item {
	items := []todo.Item{}
	today := calendar.DateOf(now)
	add := func(c *ServiceChange, kind, title string, due calendar.Date, rule string) {
		it := todo.Item{Kind: kind, ObjectType: "service_change", ObjectID: c.ID, Title: title + "：" + c.EntryName}
		if due.IsValid() {
			todo.Left(cal, &it, due, rule, today)
		}
		items = append(items, it)
	}
	for i := range cs {
		c := &cs[i]
		effective, _ := calendar.ParseDate(c.EffectiveDate) // stored clean
		switch c.State {
		case Consulting:
			if k := c.Consumer(a.DepartmentID); k != nil && k.Answer == nil && a.InOffice(k.DepartmentID) {
				add(c, TodoAnswer, "待答复的共享服务"+kindName[c.Kind]+"协商", c.Consultation.Due, c.Consultation.Rule)
			}
			if a.InOffice(c.ProviderID) && c.ConsultationClosed(now) {
				add(c, TodoFile, "协商已结束，待报同级主管部门备案的服务"+kindName[c.Kind], effective,
					"拟生效日期"+c.EffectiveDate+"；备案后方可生效")
			}
		case Filed:
			if CanDecide(a, c) && c.Filing != nil {
				add(c, TodoAcknowledge, "待备案的共享服务"+kindName[c.Kind], c.Filing.Deadline.Due, c.Filing.Deadline.Rule)
			}
		case Acknowledged:
			if a.InOffice(c.ProviderID) && c.Due(now) {
				add(c, TodoApply, "已备案、已到拟生效日期的服务"+kindName[c.Kind]+"，待实施", effective, "拟生效日期"+c.EffectiveDate)
			}
		case Effective:
			if a.InOffice(c.ProviderID) && c.NotCoveredNote() != "" && !proposedAgain(c, cs) {
				add(c, TodoNotCovered, fmt.Sprintf("服务%s已生效，但提出后批准的 %d 项共享授权未经协商、仍在提供，请决定是否重新提出",
					kindName[c.Kind], len(c.Effect.NotCovered)), calendar.Date{}, "")
			}
		}
	}
	todo.Sort(items)
	return items
}

// proposedAgain reports whether cs holds a change of c's entry proposed
// after c that is under way or effective: the provider took up the grants
// c did not cover.
func proposedAgain(c *ServiceChange, cs []ServiceChange) bool {
	for _, o := range cs {
		if o.EntryID == c.EntryID && o.ID > c.ID && (slices.Contains(Open, o.State) || o.State == Effective) {
			return true
		}
	}
	return false
}

// stillRunning keeps in each effective change's NotCovered only the grants
// still active or suspended at now, so that the to-do ends with them.
func stillRunning(ctx context.Context, tx Tx, cs []ServiceChange, now time.Time) error {
	for i := range cs {
		c := &cs[i]
		if c.State != Effective || c.Effect == nil || len(c.Effect.NotCovered) == 0 {
			continue
		}
		gs, err := tx.GrantsOnEntry(ctx, c.EntryID)
		if err != nil {
			return err
		}
		eff := *c.Effect
		eff.NotCovered = nil
		for _, g := range gs {
			if st := g.StateAt(now); (st == grant.Active || st == grant.Suspended) && slices.Contains(c.Effect.NotCovered, g.ID) {
				eff.NotCovered = append(eff.NotCovered, g.ID)
			}
		}
		c.Effect = &eff
	}
	return nil
}

// Todos lists what waits for the actor's department in service changes.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	if a.DepartmentID == "" {
		return []todo.Item{}, nil
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	var cs []ServiceChange
	err = s.read(ctx, func(tx Tx) (err error) {
		scope := access.Scope{DepartmentID: a.DepartmentID}
		if cs, err = tx.ListServiceChanges(ctx, Filter{Scope: scope, States: Open, Limit: maxTodo}); err != nil {
			return err
		}
		if !a.InOffice(a.DepartmentID) {
			return nil
		}
		done, err := tx.ListServiceChanges(ctx, Filter{Scope: scope, States: []State{Effective}, Limit: maxEffective})
		if err != nil {
			return err
		}
		if err := stillRunning(ctx, tx, done, s.now()); err != nil {
			return err
		}
		cs = append(cs, done...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return TodoItems(a, cs, cal, s.now()), nil
}
