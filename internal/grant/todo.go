package grant

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/todo"
)

// Kinds of to-do item of the grant's life after delivery (Art. 27).
const (
	TodoRectify       = "grant.rectify"        // consumer: report rectification by the deadline
	TodoReview        = "grant.rectify_review" // suspender: restore or terminate; overdue once the deadline passes
	TodoDisposalDue   = "grant.disposal_due"   // consumer: dispose of the data of an ended grant
	TodoDisposalWatch = "grant.disposal_watch" // provider and authority: an ended grant not yet disposed of
	maxTodoGrants     = 500
)

// TodoItems lists what waits for the actor among gs (grants as stored), as
// of now on cal. It is pure so that tests can move the clock freely:
// controls says whether a may control a grant (Service.control), asked only
// of grants suspended before suspensions were recorded, which whoever may
// control them judges (CanResume); nil means nobody may.
func TodoItems(a access.Actor, gs []Grant, cal *calendar.Calendar, now time.Time, controls func(*Grant) bool) []todo.Item {
	items := []todo.Item{}
	today := calendar.DateOf(now)
	add := func(g *Grant, kind, title string, due Deadline) {
		it := todo.Item{Kind: kind, ObjectType: "grant", ObjectID: g.ID, Title: title + g.EntryName}
		if d, err := calendar.ParseDate(due.Due); err == nil {
			todo.Left(cal, &it, d, due.Rule, today)
		}
		items = append(items, it)
	}
	seen := map[string]bool{}
	for i := range gs {
		g := &gs[i]
		if seen[g.ID] {
			continue
		}
		seen[g.ID] = true
		switch g.StateAt(now) {
		case Suspended:
			var by Deadline // none for a suspension from before deadlines were recorded
			if g.Suspension != nil {
				by = g.Suspension.RectifyBy
			}
			if inOffice(a, g.ConsumerID) {
				add(g, TodoRectify, "共享授权已暂停，待限期整改并报告：", by)
			}
			if CanResume(a, g, !g.SuspenderKnown() && controls != nil && controls(g)) {
				add(g, TodoReview, "已暂停的共享授权，待核查整改后恢复或终止：", by)
			}
		case Expired, Terminated:
			due, _, _ := DisposalDeadline(cal, *g, now) // undated if the calendar lacks the year
			switch {
			case inOffice(a, g.ConsumerID):
				add(g, TodoDisposalDue, "待按提供部门要求妥善处置的共享数据：", due)
			case inOffice(a, g.ProviderID), a.Has(access.AuthorityReviewer):
				add(g, TodoDisposalWatch, "需求部门尚未处置的共享数据：", due)
			}
		}
	}
	todo.Sort(items)
	return items
}

// Todos lists what waits for the actor in the grants' life after delivery:
// rectifications to report and to judge, and disposals due.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	scope, ok := ScopeFor(a)
	if !ok || scope.All || (a.DepartmentID == "" && scope.Region == "") {
		return []todo.Item{}, nil
	}
	if !a.HasAny(access.OfficeHead, access.OfficeStaff, access.AuthorityReviewer) {
		return []todo.Item{}, nil
	}
	now := s.now()
	var gs []Grant
	legacy := map[string]bool{} // grants suspended without a known suspender that a controls
	err := s.read(ctx, func(tx Tx) error {
		base := Filter{Scope: scope, Department: a.DepartmentID, Now: now, Limit: maxTodoGrants}
		sus := base
		sus.States = []State{Suspended}
		list, err := tx.ListGrants(ctx, sus)
		if err != nil {
			return err
		}
		due := base
		due.Disposal = "due"
		more, err := tx.ListGrants(ctx, due)
		if err != nil {
			return err
		}
		gs = append(list, more...)
		may := s.control(ctx, a)
		for i := range list {
			if g := &list[i]; !g.SuspenderKnown() && g.StateAt(now) == Suspended {
				if legacy[g.ID], err = may(tx, g); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	return TodoItems(a, gs, cal, now, func(g *Grant) bool { return legacy[g.ID] }), nil
}
