package servicechange_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/servicechange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Point 1: the consumers concerned are exactly the departments with an
// active or suspended grant on the entry, stored on the proposal with the
// provider's same-level authority.
func TestProposeComputesConsumersConcerned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		active, suspended, ended := e.grant("scjg"), e.grant("hzga"), e.grant("rst")
		e.setState(suspended.ID, grant.Suspended)
		e.setState(ended.ID, grant.Terminated)
		c := e.propose(e.terminate(e.today()))
		var got []string
		for _, k := range c.Consumers {
			got = append(got, k.DepartmentID)
			if k.Answer != nil {
				t.Errorf("%s starts with an answer", k.Name)
			}
		}
		want := []string{e.dept("浙江省市场监督管理局"), e.dept("杭州市公安局")}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("consumers concerned %v, want %v (active %s, suspended %s; not the terminated %s)", got, want, active.ID, suspended.ID, ended.ID)
		}
		if c.AuthorityID != e.dept("浙江省数据局") || c.State != servicechange.Consulting {
			t.Errorf("authority %s state %s", c.AuthorityID, c.State)
		}
		read, err := e.svc.Get(e.ctx, e.actor("hzga.head"), c.ID)
		if err != nil || len(read.Consumers) != 2 {
			t.Fatalf("the stored proposal as a consumer reads it: %v %+v", err, read.Consumers)
		}
	})
}

// Points 2 and 3: the whole path of a termination. Delivery continues
// through the consultation, the filing and the acknowledgment until the
// effective date; then the grants on the entry are terminated.
func TestTerminationTakesEffectOnlyAfterFilingAndDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g1, g2 := e.grant("scjg"), e.grant("hzga")
		effective := calendar.DateOf(e.clock.Now()).AddDays(30)
		c := e.propose(e.terminate(effective.String()))
		c = e.answer("scjg.head", c, servicechange.Agree)
		c, err := e.svc.Answer(e.ctx, e.actor("hzga.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Object, Opinion: "请延后至年底", Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []grant.Grant{g1, g2} {
			if err := e.delivers(g.ID); err != nil {
				t.Fatalf("after the consultation the grant must still deliver: %v", err)
			}
		}
		c, err = e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Note: "附协商记录", Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != servicechange.Filed || c.Filing == nil || c.Filing.Deadline.Days != servicechange.FilingReviewDays {
			t.Fatalf("filed: %+v", c)
		}
		c, err = e.svc.Acknowledge(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.NoteInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != servicechange.Acknowledged {
			t.Fatalf("acknowledged before the effective date: state %s", c.State)
		}
		if err := e.delivers(g1.ID); err != nil {
			t.Fatalf("before the effective date the grant must still deliver: %v", err)
		}
		_, err = e.svc.PutIntoEffect(e.ctx, e.actor("gat.head"), c.ID, servicechange.VersionInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.not_yet_effective")

		e.clock.Set(effective.EndOfDay().Add(-12 * time.Hour))
		c, err = e.svc.PutIntoEffect(e.ctx, e.actor("gat.head"), c.ID, servicechange.VersionInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != servicechange.Effective || c.Effect == nil || len(c.Effect.Grants) != 2 {
			t.Fatalf("effective: %+v", c.Effect)
		}
		for _, g := range []grant.Grant{g1, g2} {
			problemtest.Want(t, e.delivers(g.ID), "grant.terminated")
			h := e.grantNow(g.ID).History
			if last := h[len(h)-1]; last.Action != "grant.terminate" || len(last.Reasons) == 0 {
				t.Errorf("grant history ends with %+v", last)
			}
		}
		_, err = e.svc.Withdraw(e.ctx, e.actor("gat.head"), c.ID, servicechange.WithdrawInput{Reason: "撤回", Version: c.Version})
		problemtest.Want(t, err, "service_change.wrong_state")
	})
}

// Point 3: a change acknowledged on or after its effective date takes
// effect at once: the removed items are no longer granted, the other items
// still are, and each grant's history notes it.
func TestChangeRemovesItemsFromGrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg")
		c := e.propose(servicechange.Proposal{EntryID: e.entry, Kind: servicechange.Modify, Reason: "依法不再共享身份证号",
			Changes: servicechange.Changes{ItemsRemoved: []string{"公民身份号码"}, Description: "接口不再返回公民身份号码"}, EffectiveDate: e.today()})
		c = e.answer("scjg.head", c, servicechange.Agree)
		c, err := e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if err := grant.Check(e.grantNow(g.ID), e.clock.Now(), []string{"公民身份号码"}, g.Purpose.Scenario); err != nil {
			t.Fatalf("filed but not acknowledged: the item must still be delivered: %v", err)
		}
		c, err = e.svc.Acknowledge(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.NoteInput{Note: "准予备案", Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != servicechange.Effective {
			t.Fatalf("state %s, want effective", c.State)
		}
		now := e.grantNow(g.ID)
		problemtest.Want(t, grant.Check(now, e.clock.Now(), []string{"公民身份号码"}, g.Purpose.Scenario), "grant.item_not_granted")
		if err := grant.Check(now, e.clock.Now(), []string{"姓名"}, g.Purpose.Scenario); err != nil {
			t.Fatalf("the other item must still be delivered: %v", err)
		}
		if last := now.History[len(now.History)-1]; last.Action != "grant.service_change" {
			t.Errorf("grant history ends with %+v", last)
		}
	})
}

// Point 4: out-of-order and bad acts are refused with stable codes and
// change nothing.
func TestRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.grant("scjg")
		e.grant("hzga")
		before := e.eventCount()
		in := e.terminate(e.today())
		in.Reason = "  "
		_, err := e.svc.Propose(e.ctx, e.actor("gat.head"), in)
		problemtest.Want(t, err, "service_change.reason_required", "reason")
		_, err = e.svc.Propose(e.ctx, e.actor("hzga.head"), e.terminate(e.today()))
		if !problem.Is(err, problem.Forbidden) {
			t.Fatalf("another department's head proposes for gat's entry: %v", err)
		}
		_, err = e.svc.Propose(e.ctx, e.actor("gat.staff"), e.terminate(e.today()))
		if !problem.Is(err, problem.Forbidden) {
			t.Fatalf("office staff proposes: %v", err)
		}
		bad := e.terminate("2026-11-01")
		_, err = e.svc.Propose(e.ctx, e.actor("gat.head"), bad)
		problemtest.Want(t, err, "service_change.effective_date_past", "effective_date")
		if n := e.eventCount(); n != before {
			t.Fatalf("refused proposals wrote %d events", n-before)
		}
		list, err := e.svc.List(e.ctx, e.actor("gat.head"), servicechange.Filter{EntryID: e.entry})
		if err != nil || len(list) != 0 {
			t.Fatalf("refused proposals stored %d changes (%v)", len(list), err)
		}

		c := e.propose(e.terminate(e.today()))
		_, err = e.svc.Propose(e.ctx, e.actor("gat.head"), e.terminate(e.today()))
		problemtest.Want(t, err, "service_change.already_open")
		_, err = e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.consultation_open")
		c = e.answer("scjg.head", c, servicechange.Agree)
		_, err = e.svc.Answer(e.ctx, e.actor("scjg.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Object, Opinion: "改主意", Version: c.Version})
		problemtest.Want(t, err, "service_change.already_answered")
		_, err = e.svc.Answer(e.ctx, e.actor("hzga.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Object, Version: c.Version})
		problemtest.Want(t, err, "service_change.opinion_required", "opinion")
		_, err = e.svc.Answer(e.ctx, e.actor("rst.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Agree, Version: c.Version})
		problemtest.Want(t, err, "service_change.not_found") // not concerned: cannot see it
		_, err = e.svc.Acknowledge(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.NoteInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.wrong_state")
		_, err = e.svc.Answer(e.ctx, e.actor("hzga.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Agree, Version: c.Version - 1})
		problemtest.Want(t, err, "conflict.version")

		c, err = e.svc.Withdraw(e.ctx, e.actor("gat.head"), c.ID, servicechange.WithdrawInput{Reason: "系统整合推迟", Version: c.Version})
		if err != nil || c.State != servicechange.Withdrawn {
			t.Fatalf("withdraw: %v %s", err, c.State)
		}
		_, err = e.svc.Answer(e.ctx, e.actor("hzga.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Agree, Version: c.Version})
		problemtest.Want(t, err, "service_change.wrong_state")
		_, err = e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.wrong_state")
	})
}

// Point 3: once the consultation period has run out the provider may file;
// a consumer that did not answer is recorded as not answering, and can no
// longer answer.
func TestFilingAfterDeadlineRecordsNoAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.grant("scjg")
		e.grant("hzga")
		c := e.propose(e.terminate(calendar.DateOf(e.clock.Now()).AddDays(60).String()))
		c = e.answer("scjg.head", c, servicechange.Agree)
		e.clock.Set(c.Consultation.At.Add(-time.Minute))
		_, err := e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.consultation_open")
		e.clock.Set(c.Consultation.At.Add(time.Minute))
		c, err = e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		k := c.Consumer(e.dept("杭州市公安局"))
		if k.Answer == nil || k.Answer.Position != servicechange.NoAnswer {
			t.Fatalf("the silent consumer's answer: %+v", k.Answer)
		}
		if a := c.Consumer(e.dept("浙江省市场监督管理局")).Answer; a.Position != servicechange.Agree {
			t.Fatalf("the answer given was overwritten: %+v", a)
		}
		_, err = e.svc.Answer(e.ctx, e.actor("hzga.head"), c.ID, servicechange.AnswerInput{Position: servicechange.Agree, Version: c.Version})
		problemtest.Want(t, err, "service_change.wrong_state")
	})
}

// Point 3: the authority may return a filing with reasons; only the
// provider's same-level authority decides; a returned change changes no
// grant.
func TestAuthorityReturnsFiling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg")
		c := e.propose(e.terminate(e.today()))
		c = e.answer("scjg.head", c, servicechange.Object)
		c, err := e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Return(e.ctx, e.actor("hz.reviewer"), c.ID, servicechange.ReturnInput{Reasons: []string{"x"}, Version: c.Version})
		problemtest.Want(t, err, "service_change.not_found") // a city authority neither sees nor decides a provincial filing
		_, err = e.svc.Acknowledge(e.ctx, e.actor("audit"), c.ID, servicechange.NoteInput{Version: c.Version})
		problemtest.Want(t, err, "auth.forbidden")
		_, err = e.svc.Return(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.ReturnInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.reasons_required", "reasons")
		c, err = e.svc.Return(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.ReturnInput{Reasons: []string{"需求部门有异议，未说明正当理由"}, Version: c.Version})
		if err != nil || c.State != servicechange.Returned || c.Decision == nil || c.Decision.Acknowledged {
			t.Fatalf("return: %v %+v", err, c.Decision)
		}
		if err := e.delivers(g.ID); err != nil {
			t.Fatalf("a returned change must not stop delivery: %v", err)
		}
		_, err = e.svc.Acknowledge(e.ctx, e.actor("zj.reviewer"), c.ID, servicechange.NoteInput{Version: c.Version})
		problemtest.Want(t, err, "service_change.wrong_state")
		// The provider may propose anew once the returned one is closed.
		if _, err := e.svc.Propose(e.ctx, e.actor("gat.head"), e.terminate(e.today())); err != nil {
			t.Fatalf("a new proposal after a return: %v", err)
		}
	})
}

// Point 4: two consumers answering the same version at once: one wins, the
// other is told to reload; nothing is lost.
func TestConcurrentAnswersOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.grant("scjg")
		e.grant("hzga")
		c := e.propose(e.terminate(e.today()))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"scjg.head", "hzga.head"} {
			a := e.actor(who)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Answer(e.ctx, a, c.ID, servicechange.AnswerInput{Position: servicechange.Agree, Version: c.Version})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case problem.CodeOf(err) != "conflict.version":
				t.Fatalf("loser's error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d answers won, want 1: %v", ok, errs)
		}
		got, err := e.svc.Get(e.ctx, e.actor("gat.head"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		answered := 0
		for _, k := range got.Consumers {
			if k.Answer != nil {
				answered++
			}
		}
		if answered != 1 || got.Version != c.Version+1 {
			t.Fatalf("%d answers stored at version %d", answered, got.Version)
		}
	})
}

// Point 5: every act is in the ledger, readable by the provider, each
// consumer concerned and the authority, and not by an unrelated department.
func TestEventsVisibleToParties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.grant("scjg")
		e.grant("hzga")
		c := e.propose(e.terminate(e.today()))
		c = e.answer("scjg.head", c, servicechange.Agree)
		for _, who := range []string{"gat.head", "scjg.head", "hzga.head", "zj.reviewer"} {
			var acts []string
			for _, ev := range e.events(e.actor(who), c.ID) {
				if !slices.Contains(acts, ev.Action) {
					acts = append(acts, ev.Action)
				}
			}
			if !slices.Equal(acts, []string{"service_change.propose", "service_change.answer"}) {
				t.Errorf("%s reads %v", who, acts)
			}
		}
		if evs := e.events(e.actor("rst.head"), c.ID); len(evs) != 0 {
			t.Errorf("an unrelated department reads %d events", len(evs))
		}
	})
}

// Point 6: each party's to-do list has its step, with working days left.
func TestTodos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.grant("scjg")
		c := e.propose(e.terminate(calendar.DateOf(e.clock.Now()).AddDays(20).String()))
		kinds := func(who string) map[string]int {
			items, err := e.svc.Todos(e.ctx, e.actor(who))
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, it := range items {
				if it.ObjectID != c.ID {
					continue
				}
				if it.WorkingDaysLeft == nil {
					t.Fatalf("%s: %s has no working days left", who, it.Kind)
				}
				out[it.Kind] = *it.WorkingDaysLeft
			}
			return out
		}
		if got := kinds("scjg.head"); got[servicechange.TodoAnswer] != servicechange.ConsultationDays {
			t.Fatalf("consumer's to-do %v, want answer with %d WD left", got, servicechange.ConsultationDays)
		}
		if got := kinds("gat.head"); len(got) != 0 {
			t.Fatalf("provider's to-do during the consultation: %v", got)
		}
		c = e.answer("scjg.head", c, servicechange.Agree)
		if got := kinds("scjg.head"); len(got) != 0 {
			t.Fatalf("consumer's to-do after answering: %v", got)
		}
		if _, ok := kinds("gat.head")[servicechange.TodoFile]; !ok {
			t.Fatal("provider has no filing to-do once every consumer answered")
		}
		c, err := e.svc.File(e.ctx, e.actor("gat.head"), c.ID, servicechange.NoteInput{Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds("zj.reviewer"); got[servicechange.TodoAcknowledge] != servicechange.FilingReviewDays {
			t.Fatalf("authority's to-do %v", got)
		}
		if got := kinds("hz.reviewer"); len(got) != 0 {
			t.Fatalf("another authority's to-do %v", got)
		}
	})
}

// Point 4: two proposals for one entry at once: one is stored, the other is
// refused as already open.
func TestConcurrentProposalsOneWinner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.grant("scjg")
		head := e.actor("gat.head")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Propose(e.ctx, head, e.terminate(e.today()))
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case problem.CodeOf(err) != "service_change.already_open" && problem.CodeOf(err) != "conflict.version":
				t.Fatalf("loser's error: %v", err)
			}
		}
		list, err := e.svc.List(e.ctx, head, servicechange.Filter{EntryID: e.entry})
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(list) != 1 {
			t.Fatalf("%d proposals won, %d stored; want 1", ok, len(list))
		}
	})
}
