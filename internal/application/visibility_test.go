package application_test

import (
	"slices"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// Who sees what: the consumer's office its drafts and sent applications; the
// provider's office only those sent to it; authority reviewers and auditors
// sent ones in their region; admins all; contractors and foreign
// departments none.
func TestVisibilityPerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		draft := e.draft(t, condEntry)
		sent := e.sent(t, condEntry)
		// Between Zhejiang provincial departments; hz.reviewer's city holds neither.
		cases := []struct {
			who         string
			draft, sent bool
		}{
			{"scjg.staff", true, true}, {"scjg.head", true, true},
			{"gat.staff", false, true}, {"gat.head", false, true},
			{"zj.reviewer", false, true}, {"audit", false, true}, {"admin", true, true},
			{"hz.reviewer", false, false}, {"hzga.head", false, false}, {"hzga.staff", false, false},
			{"ops", false, false}, {"nbwj.head", false, false},
		}
		for _, c := range cases {
			a := e.actor(t, c.who)
			for _, x := range []struct {
				app  application.Application
				want bool
			}{{draft, c.draft}, {sent, c.sent}} {
				_, err := e.svc.Get(e.ctx, a, x.app.ID)
				if x.want && err != nil {
					t.Errorf("%s cannot read a %s application: %v", c.who, x.app.State, err)
				}
				if !x.want {
					problemtest.Want(t, err, "application.not_found")
				}
			}
			list, err := e.svc.List(e.ctx, a, application.Filter{Limit: 500})
			if c.who == "ops" {
				problemtest.Want(t, err, "auth.forbidden")
				continue
			}
			if err != nil {
				t.Fatalf("%s list: %v", c.who, err)
			}
			ids := []string{}
			for _, x := range list {
				ids = append(ids, x.ID)
			}
			if slices.Contains(ids, draft.ID) != c.draft || slices.Contains(ids, sent.ID) != c.sent {
				t.Errorf("%s lists draft=%v sent=%v, want %v %v", c.who, slices.Contains(ids, draft.ID), slices.Contains(ids, sent.ID), c.draft, c.sent)
			}
		}
		// Filters: role, state, entry; and paging by cursor.
		scjg := e.actor(t, "scjg.staff")
		byRole := func(role string, f application.Filter) int {
			f.Role, f.Limit = role, 500
			l, err := e.svc.List(e.ctx, scjg, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(l)
		}
		if byRole("provider", application.Filter{EntryID: condEntry}) != 0 || byRole("consumer", application.Filter{EntryID: condEntry}) != 2 ||
			byRole("consumer", application.Filter{EntryID: condEntry, State: application.Sent}) != 1 {
			t.Error("role, entry or state filter")
		}
		_, err := e.svc.List(e.ctx, scjg, application.Filter{Role: "owner"})
		problemtest.Want(t, err, "application.role_invalid", "role")
		_, err = e.svc.List(e.ctx, scjg, application.Filter{State: "lost"})
		problemtest.Want(t, err, "application.state_invalid", "state")
		first, _ := e.svc.List(e.ctx, scjg, application.Filter{EntryID: condEntry, Limit: 1})
		rest, _ := e.svc.List(e.ctx, scjg, application.Filter{EntryID: condEntry, Limit: 1, After: first[0].ID})
		if len(first) != 1 || len(rest) != 1 || first[0].ID == rest[0].ID {
			t.Error("paging by cursor")
		}
	})
}

// Each party's to-do list, with working days left and the rule; overdue
// items are marked once the clock passes the due date.
func TestTodosPerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		draft := e.draft(t, condEntry)
		waiting := e.draft(t, condEntry)
		waiting = must(t)(e.svc.Submit(e.ctx, e.actor(t, "scjg.staff"), waiting.ID, application.Command{Version: waiting.Version}))
		reply := e.sent(t, condEntry) // due 16 Oct
		supp := e.sent(t, uncondEntry)
		supp = must(t)(e.svc.RequestSupplement(e.ctx, e.actor(t, "gat.staff"), supp.ID, application.SupplementInput{
			Missing: []application.Missing{{Item: "使用依据", What: "文号"}}, Version: supp.Version}))
		ext := e.sent(t, condEntry)
		ext = must(t)(e.svc.RequestExtension(e.ctx, e.actor(t, "gat.staff"), ext.ID, application.ExtensionInput{Days: 5, Reason: "会商", Version: ext.Version}))
		appr := e.sent(t, uncondEntry)
		appr = must(t)(e.svc.Reply(e.ctx, e.actor(t, "gat.head"), appr.ID, application.ReplyRequest{Decision: "approve", Version: appr.Version}))

		find := func(who string) map[string]todo.Item {
			items, err := e.svc.Todos(e.ctx, e.actor(t, who))
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]todo.Item{}
			for _, it := range items {
				out[it.ObjectID+" "+it.Kind] = it
			}
			return out
		}
		want := func(who string, m map[string]todo.Item, id, kind string) todo.Item {
			t.Helper()
			it, ok := m[id+" "+kind]
			if !ok {
				t.Fatalf("%s lacks %s for %s; has %v", who, kind, id, m)
			}
			return it
		}
		consumer := find("scjg.staff")
		want("scjg.staff", consumer, draft.ID, application.TodoDraft)
		want("scjg.staff", consumer, waiting.ID, application.TodoApprove)
		want("scjg.staff", consumer, supp.ID, application.TodoSupplement)
		if _, ok := consumer[reply.ID+" "+application.TodoReply]; ok {
			t.Error("the consumer has the provider's reply to do")
		}
		provider := find("gat.head")
		it := want("gat.head", provider, reply.ID, application.TodoReply)
		// Mon 28 Sep: 10 WD left, due 16 Oct, with the rule.
		if it.Due == nil || *it.Due != date(2026, 10, 16) || it.WorkingDaysLeft == nil || *it.WorkingDaysLeft != 10 || it.Overdue || it.Rule != reply.ReplyDeadline.Rule {
			t.Fatalf("reply to-do: %+v", it)
		}
		d := want("gat.head", provider, appr.ID, application.TodoDelivery)
		if *d.Due != appr.Reply.DeliveryDeadline.Due {
			t.Errorf("delivery to-do due %s", d.Due)
		}
		if _, ok := provider[draft.ID+" "+application.TodoDraft]; ok {
			t.Error("the provider sees the consumer's draft")
		}
		want("zj.reviewer", find("zj.reviewer"), ext.ID, application.TodoExtension)
		if len(find("hz.reviewer")) != 0 || len(find("admin")) != 0 || len(find("hzga.head")) != 0 {
			t.Error("someone uninvolved has application to-dos")
		}

		// The clock moves past the due date: the reply is overdue by the
		// working days since, and sorts first.
		e.clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC)) // Tue 20 Oct: 16 Oct + 2 WD
		items, err := e.svc.Todos(e.ctx, e.actor(t, "gat.head"))
		if err != nil {
			t.Fatal(err)
		}
		if !items[0].Overdue {
			t.Fatalf("the first item is not overdue: %+v", items[0])
		}
		for _, it := range items {
			if it.ObjectID == reply.ID && (!it.Overdue || *it.WorkingDaysLeft != -2) {
				t.Fatalf("overdue reply: %+v", it)
			}
		}
		// Once resubmitted, the supplement is the provider's again.
		supp = must(t)(e.svc.Resubmit(e.ctx, e.actor(t, "scjg.head"), supp.ID, application.ResubmitInput{Answers: []string{"浙政办发〔2026〕1号"}, Version: supp.Version}))
		want("gat.staff", find("gat.staff"), supp.ID, application.TodoReplyAgain)
	})
}

// The application view shows how long each step took (Art. 23).
func TestDurations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.draft(t, condEntry) // Mon 28 Sep 10:00
		e.clock.Set(shanghai(2026, 9, 29, 12))
		a = must(t)(e.svc.Approve(e.ctx, e.actor(t, "scjg.head"), a.ID, application.Command{Version: a.Version}))
		e.clock.Set(shanghai(2026, 10, 8, 12)) // over the holiday: 1 WD later
		a = must(t)(e.svc.Reply(e.ctx, e.actor(t, "gat.head"), a.ID, application.ReplyRequest{Decision: "approve", Version: a.Version}))
		got := map[string]application.Duration{}
		for _, d := range a.Durations {
			got[d.Step] = d
		}
		if d := got["drafted→sent"]; d.WorkingDays != 1 || d.Hours != 26 {
			t.Errorf("drafted→sent: %+v", d)
		}
		if d := got["sent→replied"]; d.WorkingDays != 2 || d.Hours != 9*24 {
			t.Errorf("sent→replied: %+v", d)
		}
	})
}
