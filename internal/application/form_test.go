package application_test

import (
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Every mandatory field of Art. 20, the item subset, the delivery method and
// the time limit: each refusal names its field and writes nothing.
func TestCreateValidatesEveryField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		staff := e.actor(t, "scjg.staff")
		cases := []struct {
			name        string
			entry       string
			edit        func(f *application.Form)
			code, field string
		}{
			{"no entry", "", nil, "application.required", "entry_id"},
			{"unpublished entry", "fixture-never-published", nil, "application.entry_not_found", "entry_id"},
			{"not shareable", secretEntry, nil, "application.not_shareable", "entry_id"},
			{"own department's entry", ownEntry, func(f *application.Form) { f.Items = []string{"统一社会信用代码"} }, "application.own_entry", "entry_id"},
			{"no items", condEntry, func(f *application.Form) { f.Items = nil }, "application.items_required", "items"},
			{"unknown item", condEntry, func(f *application.Form) { f.Items = []string{"姓名", "银行账号"} }, "application.item_unknown", "items[1]"},
			{"blank item", condEntry, func(f *application.Form) { f.Items = []string{" "} }, "application.required", "items[0]"},
			{"duplicate item", condEntry, func(f *application.Form) { f.Items = []string{"姓名", "姓名"} }, "application.item_duplicate", "items[1]"},
			{"no legal basis", condEntry, func(f *application.Form) { f.LegalBasis = "  " }, "application.required", "legal_basis"},
			{"no scenario", condEntry, func(f *application.Form) { f.Scenario = "" }, "application.required", "scenario"},
			{"no scope", condEntry, func(f *application.Form) { f.Scope = "" }, "application.required", "scope"},
			{"no delivery method", condEntry, func(f *application.Form) { f.DeliveryMethod = "" }, "application.required", "delivery_method"},
			{"unknown delivery method", condEntry, func(f *application.Form) { f.DeliveryMethod = "email" }, "application.delivery_method_invalid", "delivery_method"},
			{"method the entry lacks", condEntry, func(f *application.Form) { f.DeliveryMethod = application.FileDownload }, "application.delivery_method_unavailable", "delivery_method"},
			{"no time limit", condEntry, func(f *application.Form) { f.TimeLimit = application.TimeLimit{} }, "application.required", "time_limit"},
			{"both date and period", condEntry, func(f *application.Form) { f.TimeLimit.Months = 6 }, "application.time_limit_ambiguous", "time_limit"},
			{"past date", condEntry, func(f *application.Form) { f.TimeLimit.Until = "2026-09-28" }, "application.time_limit_past", "time_limit.until"},
			{"unbounded date", condEntry, func(f *application.Form) { f.TimeLimit.Until = "2031-09-29" }, "application.time_limit_invalid", "time_limit.until"},
			{"bad date", condEntry, func(f *application.Form) { f.TimeLimit.Until = "2027-02-30" }, "application.time_limit_invalid", "time_limit.until"},
			{"period too long", condEntry, func(f *application.Form) { f.TimeLimit = application.TimeLimit{Months: 61} }, "application.time_limit_invalid", "time_limit.months"},
			{"negative period", condEntry, func(f *application.Form) { f.TimeLimit = application.TimeLimit{Months: -1} }, "application.time_limit_invalid", "time_limit.months"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				f := form()
				if c.edit != nil {
					c.edit(&f)
				}
				before := e.totalEvents(t)
				_, err := e.svc.Create(e.ctx, staff, application.Apply(c.entry, f))
				problemtest.Want(t, err, c.code, c.field)
				if after := e.totalEvents(t); after != before {
					t.Errorf("a refused create wrote %d event(s)", after-before)
				}
			})
		}
		// The bounds themselves are accepted: five years ahead, 60 months.
		for _, tl := range []application.TimeLimit{{Until: "2031-09-28"}, {Months: 60}, {Until: "2026-09-29"}} {
			f := form()
			f.TimeLimit = tl
			if _, err := e.svc.Create(e.ctx, staff, application.Apply(condEntry, f)); err != nil {
				t.Errorf("time limit %+v refused: %v", tl, err)
			}
		}
		// The consumer is the actor's department, whatever else is sent.
		a := e.draft(t, condEntry)
		if a.ConsumerID != e.p.Departments["浙江省市场监督管理局"].ID || a.State != application.Draft || a.EntryVersion != 1 {
			t.Errorf("draft: consumer %s state %s version %d", a.ConsumerID, a.State, a.EntryVersion)
		}
		// People outside a sharing office cannot apply.
		for _, who := range []string{"admin", "ops", "zj.reviewer", "audit"} {
			_, err := e.svc.Create(e.ctx, e.actor(t, who), application.Apply(condEntry, form()))
			problemtest.Want(t, err, "auth.forbidden")
		}
	})
}

// Editing a draft validates like creating, and returns an application
// awaiting approval to draft.
func TestEditDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		staff := e.actor(t, "scjg.staff")
		a := e.draft(t, condEntry)
		a = must(t)(e.svc.Submit(e.ctx, staff, a.ID, application.Command{Version: a.Version}))
		if a.State != application.AwaitingApproval {
			t.Fatalf("after submit: %s", a.State)
		}
		f := form()
		f.Items = []string{"户籍地址"}
		_, err := e.svc.Update(e.ctx, staff, a.ID, application.EditOf(application.Form{}, a.Version))
		problemtest.Want(t, err, "application.items_required", "items")
		a = must(t)(e.svc.Update(e.ctx, staff, a.ID, application.EditOf(f, a.Version)))
		if a.State != application.Draft || len(a.Items) != 1 || a.Items[0] != "户籍地址" {
			t.Fatalf("after edit: %s %v", a.State, a.Items)
		}
		_, err = e.svc.Update(e.ctx, staff, a.ID, application.EditOf(f, a.Version-1))
		problemtest.Want(t, err, "conflict.version")
		_, err = e.svc.Update(e.ctx, staff, a.ID, application.EditOf(f, 0))
		problemtest.Want(t, err, "application.version_required", "version")
		// The provider may not edit the consumer's draft, nor even see it.
		_, err = e.svc.Update(e.ctx, e.actor(t, "gat.head"), a.ID, application.EditOf(f, a.Version))
		problemtest.Want(t, err, "application.not_found")
		a = e.sent(t, condEntry)
		_, err = e.svc.Update(e.ctx, staff, a.ID, application.EditOf(f, a.Version))
		problemtest.Want(t, err, "application.wrong_state")
	})
}
