package catalog_test

import (
	"context"
	"testing"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// Art. 17: a change opens an obligation due 10 WD after it; the authority
// may grant 5 more; the obligation is overdue once past due and fulfilled
// when a new version is submitted.
func TestUpdateObligationDeadlines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		okO := must[catalog.Obligation](t)
		en := e.publish("gat.staff", "gat.head", "zj.reviewer", e.draft("户籍人口信息"))
		cal := must[*calendar.Calendar](t)(e.app.Calendar.Current(ctx))

		// 2026-09-25 is the Mid-Autumn holiday (09-25..09-27); the count
		// crosses National Day and the make-up working Saturday 10-10.
		changed := calendar.Date{Year: 2026, Month: 9, Day: 25}
		want := must[calendar.Date](t)(cal.Due(changed, catalog.UpdateDays))
		if want != (calendar.Date{Year: 2026, Month: 10, Day: 15}) {
			t.Fatalf("calendar gives %s; the test expects 2026-10-15", want)
		}
		_, err := e.cat.RecordChange(ctx, e.as("gat.staff"), en.ID, catalog.Change{ChangedOn: calendar.Date{Year: 2026, Month: 9, Day: 30}, Kind: "law", Description: "x"})
		refused(t, err, "catalog.changed_on_future", "changed_on")
		_, err = e.cat.RecordChange(ctx, e.as("gat.staff"), en.ID, catalog.Change{ChangedOn: changed, Kind: "rumour", Description: "x"})
		refused(t, err, "catalog.change_kind_invalid", "kind")
		_, err = e.cat.RecordChange(ctx, e.as("hzga.head"), en.ID, catalog.Change{ChangedOn: changed, Kind: "law", Description: "x"})
		if !problem.Is(err, problem.Forbidden) {
			t.Fatalf("another department recorded a change: %v", err)
		}
		o := okO(e.cat.RecordChange(ctx, e.as("zj.reviewer"), en.ID, catalog.Change{ChangedOn: changed, Kind: "duty", Description: "职责调整：新增出入境管理职责"}))
		if o.Due != want || o.Overdue || !o.Open() || o.Rule == "" || o.ProviderID != en.ProviderID {
			t.Fatalf("obligation %+v, want due %s", o, want)
		}

		// Only the provider asks, only the same-level authority decides.
		_, err = e.cat.RequestExtension(ctx, e.as("zj.reviewer"), o.ID, "需要协调", o.Version)
		if !problem.Is(err, problem.Forbidden) {
			t.Fatalf("the authority asked for an extension: %v", err)
		}
		_, err = e.cat.DecideExtension(ctx, e.as("zj.reviewer"), o.ID, true, "", o.Version)
		refused(t, err, "catalog.wrong_state", "")
		o = okO(e.cat.RequestExtension(ctx, e.as("gat.staff"), o.ID, "涉及系统改造，需协调技术单位", o.Version))
		_, err = e.cat.RequestExtension(ctx, e.as("gat.staff"), o.ID, "再延长", o.Version)
		refused(t, err, "catalog.wrong_state", "")
		_, err = e.cat.DecideExtension(ctx, e.as("hz.reviewer"), o.ID, true, "", o.Version)
		if err == nil {
			t.Fatal("another authority decided the extension")
		}
		_, err = e.cat.DecideExtension(ctx, e.as("zj.reviewer"), o.ID, false, "", o.Version)
		refused(t, err, "catalog.note_required", "note")
		o = okO(e.cat.DecideExtension(ctx, e.as("zj.reviewer"), o.ID, true, "同意", o.Version))
		extended := must[calendar.Date](t)(cal.Due(want, catalog.ExtensionDays))
		if o.Due != extended || o.Extension.State != catalog.ExtensionGranted || o.Extension.OriginalDue != want || extended != (calendar.Date{Year: 2026, Month: 10, Day: 22}) {
			t.Fatalf("extended obligation due %s (%+v), want %s", o.Due, o.Extension, extended)
		}

		// Past the extended due date the obligation is overdue, for the
		// provider's to-do list too.
		e.clock.Set(shanghai(2026, 10, 23))
		os := must[[]catalog.Obligation](t)(e.cat.Obligations(ctx, e.as("gat.staff"), en.ID))
		if len(os) != 1 || !os[0].Overdue {
			t.Fatalf("obligations %+v, want one overdue", os)
		}
		items := must[[]todo.Item](t)(e.cat.Todos(ctx, e.as("gat.staff")))
		found := false
		for _, it := range items {
			if it.Kind == "catalog.update" && it.ObjectID == o.ID {
				found = it.Overdue && *it.WorkingDaysLeft == -1 && it.Due.String() == "2026-10-22"
			}
		}
		if !found {
			t.Fatalf("to-do list lacks the overdue update: %+v", items)
		}

		// Submitting a new version fulfils it, late.
		ok := must[catalog.Entry](t)
		d := e.draft("户籍人口信息")
		d.ResourceCode = en.ResourceCode
		en = ok(e.cat.Update(ctx, e.as("gat.staff"), en.ID, d, en.Version))
		en = ok(e.cat.RecordAssessments(ctx, e.as("gat.staff"), en.ID, assessments(e.clock.Now()), en.Version))
		en = ok(e.cat.Submit(ctx, e.as("gat.head"), en.ID, en.Version))
		os = must[[]catalog.Obligation](t)(e.cat.Obligations(ctx, e.as("gat.head"), en.ID))
		if os[0].Open() || os[0].FulfilledVersion != 2 || !os[0].Late || os[0].Overdue {
			t.Fatalf("after submission: %+v", os[0])
		}
	})
}

// An extension is asked before the period ends; a change to a never
// published entry is refused (edit the draft instead).
func TestObligationOutOfOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		draft := must[catalog.Entry](t)(e.cat.Create(ctx, e.as("gat.staff"), e.draft("草稿")))
		_, err := e.cat.RecordChange(ctx, e.as("gat.staff"), draft.ID, catalog.Change{ChangedOn: calendar.Date{Year: 2026, Month: 9, Day: 1}, Kind: "law", Description: "修法"})
		refused(t, err, "catalog.wrong_state", "")
		en := e.publish("gat.staff", "gat.head", "zj.reviewer", e.draft("已发布"))
		o := must[catalog.Obligation](t)(e.cat.RecordChange(ctx, e.as("gat.head"), en.ID, catalog.Change{ChangedOn: calendar.Date{Year: 2026, Month: 9, Day: 1}, Kind: "regulation", Description: "修订条例"}))
		if !o.Overdue {
			t.Fatalf("a change of 09-01 is overdue on 09-29: %+v", o)
		}
		_, err = e.cat.RequestExtension(ctx, e.as("gat.staff"), o.ID, "来不及", o.Version)
		refused(t, err, "catalog.extension_too_late", "")
	})
}

// One obligation is read by those who may list its entry's obligations — the
// provider's office, its same-level authority, auditors, admins — overdue or
// not as of the reading; to other readers of the catalog it does not exist.
func TestReadOneObligation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		en := e.publish("gat.staff", "gat.head", "zj.reviewer", e.draft("出入境证件信息"))
		changed := calendar.Date{Year: 2026, Month: 9, Day: 28}
		rec := must[catalog.Obligation](t)(e.cat.RecordChange(ctx, e.as("gat.head"), en.ID, catalog.Change{ChangedOn: changed, Kind: "law", Description: "出境入境管理法修改"}))
		for _, who := range []string{"gat.staff", "gat.head", "zj.reviewer", "audit", "admin"} {
			o, err := e.cat.Obligation(ctx, e.as(who), rec.ID)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			if o.ID != rec.ID || o.EntryID != en.ID || o.EntryName != "出入境证件信息" || o.Due != rec.Due || o.ChangedOn != changed ||
				o.Description != rec.Description || o.Version != rec.Version || o.Overdue {
				t.Fatalf("%s read %+v, want %+v", who, o, rec)
			}
		}
		for _, who := range []string{"hz.reviewer", "hzga.head", "rst.staff"} {
			_, err := e.cat.Obligation(ctx, e.as(who), rec.ID)
			refused(t, err, "catalog.obligation_not_found", "")
		}
		if _, err := e.cat.Obligation(ctx, e.as("ops"), rec.ID); !problem.Is(err, problem.Forbidden) {
			t.Fatalf("the contractor read an obligation: %v", err)
		}
		_, err := e.cat.Obligation(ctx, e.as("gat.staff"), "no-such-obligation")
		refused(t, err, "catalog.obligation_not_found", "")

		// The extension asked shows on the next read; past the due date the
		// obligation reads as overdue.
		x := must[catalog.Obligation](t)(e.cat.RequestExtension(ctx, e.as("gat.staff"), rec.ID, "需协调技术单位", rec.Version))
		e.clock.Set(shanghai(2026, 10, 30))
		o := must[catalog.Obligation](t)(e.cat.Obligation(ctx, e.as("zj.reviewer"), rec.ID))
		if o.Version != x.Version || o.Extension == nil || o.Extension.State != catalog.ExtensionRequested || !o.Overdue {
			t.Fatalf("after the request, past %s: %+v", o.Due, o)
		}
	})
}
