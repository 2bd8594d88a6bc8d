package correction_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/correction"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

// A request has one answer: a second is refused with
// correction.already_answered, and of concurrent answers at one version
// exactly one wins, the others get conflict.version. Either way one answer
// event is recorded.
func TestOneAnswerOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		r := e.file("hzscjg.head", e.request())
		seq := e.fix("沈二鸣")
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				who := "scjg.staff"
				in := corrected(r.Version, seq)
				if i%2 == 1 {
					who = "scjg.head"
					in = correction.AnswerInput{Outcome: correction.OutcomeNotCorrected, Reasons: []string{"登记档案与共享数据一致"}, Version: r.Version}
				}
				_, errs[i] = e.svc.Answer(e.ctx, e.actor(who), r.ID, in)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch code := problem.CodeOf(err); {
			case err == nil:
				won++
			case code == "conflict.version" || code == "correction.already_answered":
			default:
				t.Errorf("concurrent answer: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d answers won, want 1", won)
		}
		if evs := e.events("correction", r.ID, correction.ActionAnswer); len(evs) != 1 {
			t.Fatalf("%d answer events, want 1", len(evs))
		}
		got, err := e.svc.Get(e.ctx, e.actor("scjg.head"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Answer(e.ctx, e.actor("scjg.head"), r.ID, correction.AnswerInput{Outcome: correction.OutcomeNotCorrected,
			Reasons: []string{"再次反馈"}, Version: got.Version})
		problemtest.Want(t, err, "correction.already_answered")
		if again, _ := e.svc.Get(e.ctx, e.actor("scjg.head"), r.ID); again.Version != got.Version || again.State != got.State {
			t.Fatalf("a refused second answer changed the request: %+v", again)
		}
	})
}

// The answer is due on the 10th working day after the day of receipt, as
// the calendar counts it; the provider's to-do shows the working days left.
// Past the due day the request is overdue for both (the consumer's to-do
// says so), and a late answer is taken with on_time false.
func TestDeadlineOverdueAndLateAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		cal, err := e.app.Calendar.Current(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Filed on Wednesday 30 September 2026: the National Day holidays
		// (1–8 October) are not counted, the make-up Saturday 10 October is.
		e.clock.Set(time.Date(2026, 9, 30, 16, 0, 0, 0, calendar.Shanghai))
		r := e.file("hzscjg.head", e.request())
		want, err := cal.Due(calendar.Date{Year: 2026, Month: 9, Day: 30}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if r.Deadline == nil || r.Deadline.Due != want || r.Deadline.Days != 10 {
			t.Fatalf("deadline %+v, the calendar says due %s", r.Deadline, want)
		}
		if want == (calendar.Date{Year: 2026, Month: 10, Day: 14}) {
			t.Fatalf("the deadline ignored the holidays")
		}
		todo := func(who, kind string) (left int, overdue, found bool) {
			t.Helper()
			items, err := e.svc.Todos(e.ctx, e.actor(who))
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.ObjectID == r.ID {
					if it.Kind != kind || it.WorkingDaysLeft == nil || it.Due == nil || *it.Due != want {
						t.Fatalf("%s's item: %+v", who, it)
					}
					return *it.WorkingDaysLeft, it.Overdue, true
				}
			}
			return 0, false, false
		}
		if left, overdue, found := todo("scjg.staff", correction.TodoAnswer); !found || overdue || left != 10 {
			t.Fatalf("provider's to-do on the day of receipt: found %v, %d left, overdue %v", found, left, overdue)
		}
		if _, _, found := todo("hzscjg.head", correction.TodoOverdue); found {
			t.Fatal("the consumer's to-do shows a request that is not overdue")
		}

		// The day after the due day.
		e.clock.Set(want.AddDays(1).EndOfDay().Add(-time.Hour))
		if left, overdue, found := todo("scjg.staff", correction.TodoAnswer); !found || !overdue || left >= 0 {
			t.Fatalf("provider's to-do after the due day: found %v, %d left, overdue %v", found, left, overdue)
		}
		if _, overdue, found := todo("hzscjg.head", correction.TodoOverdue); !found || !overdue {
			t.Fatal("the consumer's to-do does not show its overdue request")
		}
		got, err := e.svc.Get(e.ctx, e.actor("zj.reviewer"), r.ID)
		if err != nil || !got.Overdue {
			t.Fatalf("the authority reads overdue %v: %v", got.Overdue, err)
		}
		a, err := e.svc.Answer(e.ctx, e.actor("scjg.head"), r.ID, correction.AnswerInput{Outcome: correction.OutcomeNotCorrected,
			Reasons: []string{"经核实，登记档案与共享数据一致"}, Version: r.Version})
		if err != nil {
			t.Fatal(err)
		}
		if a.Answer.OnTime || a.Overdue || a.State != correction.NotCorrected {
			t.Fatalf("late answer: %+v %+v", a, a.Answer)
		}
		if items, _ := e.svc.Todos(e.ctx, e.actor("scjg.staff")); len(items) != 0 {
			t.Fatalf("answered request still in the provider's to-do: %+v", items)
		}
	})
}

// In late December, before the next year's holiday notice is imported, a
// consumer still files: the request is taken with no deadline (none is
// guessed), the provider's to-do carries it undated, and it is never
// overdue meanwhile. Once the notice is imported the deadline is counted
// when read, an answer given meanwhile is judged against it, and the next
// write stores it.
func TestDeadlineIntoUnknownYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		cal, err := e.app.Calendar.Current(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		fixture, err := os.ReadFile("../calendar/testdata/2027-fixture.json")
		if err != nil {
			t.Fatal(err)
		}
		next, err := calendar.ParseYear(fixture)
		if err != nil {
			t.Fatal(err)
		}
		last := cal.Years()[len(cal.Years())-1]
		if next.Year != last+1 {
			t.Fatalf("the test imports %d, but the calendar's last year is %d", next.Year, last)
		}
		e.clock.Set(time.Date(last, 12, 28, 10, 0, 0, 0, calendar.Shanghai))
		before := e.requests()
		late := e.file("hzscjg.head", e.request()) // answered while its due day is unknown, after it
		open := e.file("hzscjg.head", e.request()) // answered once the year is known
		if late.Deadline != nil || open.Deadline != nil || late.State != correction.Open || late.Overdue {
			t.Fatalf("deadline guessed: %+v", late.Deadline)
		}
		if e.requests() != before+2 || len(e.events("correction", late.ID, correction.ActionFile)) != 1 {
			t.Fatal("the request was not stored with its event")
		}
		item := func(who, id string) *todo.Item {
			t.Helper()
			items, err := e.svc.Todos(e.ctx, e.actor(who))
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.ObjectID == id {
					return &it
				}
			}
			return nil
		}
		if it := item("scjg.staff", open.ID); it == nil || it.Kind != correction.TodoAnswer || it.Due != nil || it.Overdue {
			t.Fatalf("provider's to-do without a countable deadline: %+v", it)
		}

		// Weeks later, the notice still not imported: nothing is overdue,
		// for the reader, the listing or the consumer's to-do.
		e.clock.Set(time.Date(last+1, 2, 1, 10, 0, 0, 0, calendar.Shanghai))
		got, err := e.svc.Get(e.ctx, e.actor("zj.reviewer"), open.ID)
		if err != nil || got.Deadline != nil || got.Overdue {
			t.Fatalf("read without a countable deadline: %+v %v", got, err)
		}
		rs, err := e.svc.List(e.ctx, e.actor("hzscjg.head"), correction.Filter{Role: "consumer", State: correction.Open, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Deadline == nil && r.Overdue {
				t.Fatalf("listed overdue without a deadline: %s", r.ID)
			}
		}
		if it := item("hzscjg.head", open.ID); it != nil {
			t.Fatalf("consumer's to-do shows an overdue request with no deadline: %+v", it)
		}
		notCorrected := func(r correction.Request) correction.AnswerInput {
			return correction.AnswerInput{Outcome: correction.OutcomeNotCorrected, Reasons: []string{"经核实，登记档案与共享数据一致"}, Version: r.Version}
		}
		a, err := e.svc.Answer(e.ctx, e.actor("scjg.staff"), late.ID, notCorrected(late))
		if err != nil || a.Deadline != nil || !a.Answer.OnTime {
			t.Fatalf("answer without a countable deadline: %+v %v", a, err)
		}

		if _, err := e.app.Calendar.Import(e.ctx, access.Operator("test"), fixture, false); err != nil {
			t.Fatal(err)
		}
		cal, err = e.app.Calendar.Current(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := correction.Deadline(cal, calendar.DateOf(open.ReceivedAt))
		if err != nil || want == nil || want.Days != correction.AnswerDays {
			t.Fatalf("counted after the import: %+v %v", want, err)
		}
		if !want.Due.Before(calendar.Date{Year: last + 1, Month: 2, Day: 1}) {
			t.Fatalf("the test wants 1 February past the due day %s", want.Due)
		}
		got, err = e.svc.Get(e.ctx, e.actor("scjg.staff"), open.ID)
		if err != nil || !same(got.Deadline, want) || !got.Overdue {
			t.Fatalf("read after the import: %+v %v, want %+v overdue", got.Deadline, err, want)
		}
		if it := item("scjg.staff", open.ID); it == nil || it.Due == nil || *it.Due != want.Due || !it.Overdue {
			t.Fatalf("provider's to-do after the import: %+v", it)
		}
		if it := item("hzscjg.head", open.ID); it == nil || it.Kind != correction.TodoOverdue {
			t.Fatalf("consumer's to-do after the import: %+v", it)
		}
		// The answer given on 1 February, after the due day now known, is late.
		got, err = e.svc.Get(e.ctx, e.actor("hzscjg.head"), late.ID)
		if err != nil || got.Deadline == nil || got.Answer == nil || got.Answer.OnTime || got.Overdue {
			t.Fatalf("earlier answer after the import: %+v %v", got, err)
		}

		// The store holds no deadline until the next write stores it.
		stored := func(id string) *correction.Request {
			t.Helper()
			var r *correction.Request
			if err := e.s.Read(e.ctx, func(tx *store.Tx) (err error) { r, err = tx.Correction(e.ctx, id); return err }); err != nil || r == nil {
				t.Fatalf("stored %s: %v", id, err)
			}
			return r
		}
		if stored(open.ID).Deadline != nil {
			t.Fatal("a read wrote the deadline")
		}
		a, err = e.svc.Answer(e.ctx, e.actor("scjg.staff"), open.ID, notCorrected(open))
		if err != nil || a.Answer.OnTime || !same(a.Deadline, want) {
			t.Fatalf("late answer after the import: %+v %v", a, err)
		}
		if r := stored(open.ID); !same(r.Deadline, want) || r.Answer == nil || r.Answer.OnTime {
			t.Fatalf("stored after the answer: %+v", r)
		}
	})
}

// same says deadlines a and b are one count (a stored one's At comes back
// in another location).
func same(a, b *calendar.Deadline) bool {
	return a != nil && b != nil && a.Receipt == b.Receipt && a.Days == b.Days && a.Due == b.Due && a.At.Equal(b.At) && a.Rule == b.Rule
}

// The answer's change numbers are checked in the entry's change feed: a
// correction of hosted data names at least one, each must exist, and none
// may predate the request. Refusals change nothing.
func TestAnswerChangesChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		old := e.fix("旧值")
		e.clock.Advance(time.Minute)
		r := e.file("hzscjg.head", e.request())
		e.clock.Advance(time.Minute)
		seq := e.fix("沈二鸣")
		events := e.eventCount()
		for _, c := range []struct {
			in          correction.AnswerInput
			code, field string
		}{
			{corrected(r.Version), "correction.changes_required", "changes"},
			{corrected(r.Version, seq+100), "correction.change_unknown", "changes[0]"},
			{corrected(r.Version, seq, old), "correction.change_before_request", "changes[1]"},
			{corrected(r.Version, seq, seq), "correction.change_invalid", "changes[1]"},
			{correction.AnswerInput{Outcome: "maybe", Version: r.Version}, "correction.outcome_invalid", "outcome"},
			{correction.AnswerInput{Outcome: correction.OutcomeNotCorrected, Version: r.Version}, "correction.required", "reasons"},
			{correction.AnswerInput{Outcome: correction.OutcomeNotCorrected, Reasons: []string{"一致"}, Changes: []int64{seq}, Version: r.Version}, "correction.changes_unexpected", "changes"},
			{correction.AnswerInput{Outcome: correction.OutcomeCorrected, Rows: []string{companyKey}, Items: []string{"身高"}, Changes: []int64{seq}, Version: r.Version}, "correction.item_unknown", "items[0]"},
			{correction.AnswerInput{Outcome: correction.OutcomeCorrected, Items: []string{"法定代表人"}, Changes: []int64{seq}, Version: r.Version}, "correction.required", "rows"},
		} {
			_, err := e.svc.Answer(e.ctx, e.actor("scjg.staff"), r.ID, c.in)
			problemtest.Want(t, err, c.code, c.field)
		}
		_, err := e.svc.Answer(e.ctx, e.actor("scjg.staff"), r.ID, corrected(0, seq))
		problemtest.Want(t, err, "correction.version_required", "version")
		_, err = e.svc.Answer(e.ctx, e.actor("scjg.staff"), r.ID, corrected(r.Version+1, seq))
		problemtest.Want(t, err, "conflict.version")
		if e.eventCount() != events {
			t.Fatal("refused answers wrote events")
		}
		got, _ := e.svc.Get(e.ctx, e.actor("scjg.staff"), r.ID)
		if got.State != correction.Open || got.Answer != nil {
			t.Fatalf("refused answers changed the request: %+v", got)
		}
		if _, err := e.svc.Answer(e.ctx, e.actor("scjg.staff"), r.ID, corrected(r.Version, seq)); err != nil {
			t.Fatal(err)
		}
	})
}
