package application

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/todo"
)

// Kinds of to-do item.
const (
	TodoDraft       = "application.draft"             // consumer: finish the draft
	TodoApprove     = "application.approve"           // consumer: awaiting the office head's approval
	TodoSupplement  = "application.supplement"        // consumer: answer the supplement request
	TodoReply       = "application.reply"             // provider: reply due (Art. 21)
	TodoReplyAgain  = "application.reply_resubmitted" // provider: supplement answered, reply due anew
	TodoExtension   = "application.extension"         // authority: decide the extension request
	TodoDelivery    = "application.delivery"          // provider: deliver within 20 WD (Art. 22)
	maxTodoPerActor = 500
)

// TodoItems lists what waits for the actor among apps, as of today on cal.
// It is pure so that tests can move today freely.
func TodoItems(a access.Actor, apps []Application, cal *calendar.Calendar, today calendar.Date) []todo.Item {
	items := []todo.Item{}
	add := func(app *Application, kind, title string, due *Deadline) {
		it := todo.Item{Kind: kind, ObjectType: "application", ObjectID: app.ID, Title: title}
		if due != nil {
			todo.Left(cal, &it, due.Due, due.Rule, today)
		}
		items = append(items, it)
	}
	for i := range apps {
		app := &apps[i]
		if inOffice(a, app.ConsumerID) {
			switch app.State {
			case Draft:
				add(app, TodoDraft, "待完善的共享申请："+app.EntryName, nil)
			case AwaitingApproval:
				add(app, TodoApprove, "待本部门负责人审批的共享申请："+app.EntryName, nil)
			case SupplementRequested:
				add(app, TodoSupplement, "提供部门要求补充材料："+app.EntryName, nil)
			}
		}
		if inOffice(a, app.ProviderID) {
			switch app.State {
			case Sent:
				add(app, TodoReply, "待答复的共享申请："+app.EntryName, app.ReplyDeadline)
			case Resubmitted:
				add(app, TodoReplyAgain, "已补充材料、待答复的共享申请："+app.EntryName, app.ReplyDeadline)
			case Approved:
				if app.Reply != nil && app.Delivered == nil {
					add(app, TodoDelivery, "待共享数据（同意后20个工作日内）："+app.EntryName, app.Reply.DeliveryDeadline)
				}
			}
		}
		if x := app.Extension; x != nil && x.Status == ExtensionRequested && app.State.awaitingReply() && CanDecideExtension(a, x.AuthorityID) {
			add(app, TodoExtension, "待审批的延长答复期限申请："+app.EntryName, app.ReplyDeadline)
		}
	}
	todo.Sort(items)
	return items
}

// Todos lists what waits for the actor's department in the applications
// workflow, with working days left and the rule of each deadline; the API
// merges it with the catalog's.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	if a.DepartmentID == "" {
		return []todo.Item{}, nil
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	var apps []Application
	if err := s.read(ctx, func(tx Tx) (err error) { apps, err = tx.WaitingOn(ctx, a.DepartmentID, maxTodoPerActor); return err }); err != nil {
		return nil, err
	}
	return TodoItems(a, apps, cal, calendar.DateOf(s.now())), nil
}
