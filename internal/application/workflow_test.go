package application_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// Only the consumer's own office head sends (Art. 20); the approval is
// recorded with who and when, and sending is receipt by the provider.
func TestHeadOnlyApproval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.draft(t, condEntry)
		for _, who := range []string{"scjg.staff", "gat.head", "hzga.head", "zj.reviewer"} {
			_, err := e.svc.Approve(e.ctx, e.actor(t, who), a.ID, application.Command{Version: a.Version})
			if who == "scjg.staff" {
				problemtest.Want(t, err, "auth.forbidden")
			} else {
				problemtest.Want(t, err, "application.not_found") // a draft is visible to its department only
			}
		}
		if n := e.events(t, a.ID, "application.send"); n != 0 {
			t.Fatalf("refused approvals recorded %d sends", n)
		}
		head := e.actor(t, "scjg.head")
		a = must(t)(e.svc.Approve(e.ctx, head, a.ID, application.Command{Version: a.Version}))
		now := e.clock.Now().UTC()
		if a.State != application.Sent || len(a.Approvals) != 1 || a.Approvals[0].By != head.PersonID ||
			!a.Approvals[0].At.Equal(now) || a.Approvals[0].Kind != "send" {
			t.Fatalf("after approval: state %s approvals %+v", a.State, a.Approvals)
		}
		if a.SentAt == nil || !a.SentAt.Equal(now) || !a.ReceivedAt.Equal(now) {
			t.Fatalf("receipt is the instant of sending: sent %v received %v", a.SentAt, a.ReceivedAt)
		}
		if n := e.events(t, a.ID, "application.send"); n != 1 {
			t.Fatalf("send events = %d", n)
		}
	})
}

// The reply period: 10 WD for a conditional entry, 1 WD for an unconditional
// one, from the day of receipt (not counted), over the 2026 National Day
// holiday and its make-up Saturday; stored with its rule and basis.
func TestReplyDeadlines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		cases := []struct {
			entry   string
			at      time.Time
			days    int
			handDue calendar.Date
			basis   string
		}{
			// Mon 28 Sep: 29, 30 Sep, 8, 9, 10 (make-up Sat), 12–16 Oct.
			{condEntry, shanghai(2026, 9, 28, 10), 10, date(2026, 10, 16), "conditional"},
			// Wed 30 Sep: the next working day is 8 Oct, after the holiday.
			{uncondEntry, shanghai(2026, 9, 30, 16), 1, date(2026, 10, 8), "unconditional"},
			// Sent late on Friday 9 Oct Beijing time (still the 9th in UTC):
			// the next working day is the make-up Saturday 10 Oct.
			{uncondEntry, shanghai(2026, 10, 9, 23), 1, date(2026, 10, 10), "unconditional"},
		}
		for _, c := range cases {
			e.clock.Set(c.at)
			a := e.sent(t, c.entry)
			rd := a.ReplyDeadline
			receipt := calendar.DateOf(c.at)
			if rd == nil || rd.Due != c.handDue || rd.Due != e.due(t, receipt, c.days) || rd.Days != c.days || rd.Receipt != receipt {
				t.Fatalf("%s sent %s: deadline %+v, want %s", c.entry, c.at, rd, c.handDue)
			}
			if rd.Basis != c.basis || !strings.Contains(rd.Rule, "第二十一条") || !strings.Contains(rd.Rule, c.handDue.String()) {
				t.Errorf("rule %q basis %q", rd.Rule, rd.Basis)
			}
			if !rd.At.Equal(c.handDue.EndOfDay()) {
				t.Errorf("at %v", rd.At)
			}
			// Stored, not recomputed: a fresh read gives the same.
			got := must(t)(e.svc.Get(e.ctx, e.actor(t, "gat.head"), a.ID))
			if g := got.ReplyDeadline; g.Due != rd.Due || g.Receipt != rd.Receipt || g.Days != rd.Days || g.Rule != rd.Rule || g.Basis != rd.Basis || !g.At.Equal(rd.At) {
				t.Errorf("stored deadline %+v, want %+v", got.ReplyDeadline, rd)
			}
		}
	})
}

// One supplement request listing everything missing; a second is refused;
// the clock stops, and restarts from the resubmission, which the consumer's
// head signs.
func TestSupplementOnceAndClockRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry)
		staff := e.actor(t, "gat.staff")
		_, err := e.svc.RequestSupplement(e.ctx, staff, a.ID, application.SupplementInput{Version: a.Version})
		problemtest.Want(t, err, "application.missing_required", "missing")
		_, err = e.svc.RequestSupplement(e.ctx, staff, a.ID, application.SupplementInput{Version: a.Version,
			Missing: []application.Missing{{Item: "使用依据", What: "批准文件"}, {Item: "使用范围", What: ""}}})
		problemtest.Want(t, err, "application.required", "missing[1].what")
		_, err = e.svc.RequestSupplement(e.ctx, e.actor(t, "scjg.staff"), a.ID, application.SupplementInput{Version: a.Version,
			Missing: []application.Missing{{Item: "使用依据", What: "批准文件"}}})
		problemtest.Want(t, err, "auth.forbidden")

		e.clock.Set(shanghai(2026, 9, 29, 9))
		missing := []application.Missing{{Item: "使用依据", What: "请提供条例条款对应的批准文件文号"}, {Item: "使用范围", What: "请列明使用人员范围"}}
		a = must(t)(e.svc.RequestSupplement(e.ctx, staff, a.ID, application.SupplementInput{Version: a.Version, Missing: missing}))
		if a.State != application.SupplementRequested || a.ReplyDeadline != nil || a.Supplement.StoppedDue.Due != date(2026, 10, 16) {
			t.Fatalf("after supplement request: %s %+v %+v", a.State, a.ReplyDeadline, a.Supplement)
		}
		_, err = e.svc.RequestSupplement(e.ctx, staff, a.ID, application.SupplementInput{Version: a.Version, Missing: missing})
		problemtest.Want(t, err, "application.supplement_once")
		// The provider cannot reply while waiting for the supplement.
		_, err = e.svc.Reply(e.ctx, e.actor(t, "gat.head"), a.ID, application.ReplyRequest{Decision: "approve", Version: a.Version})
		problemtest.Want(t, err, "application.wrong_state")

		// The consumer resubmits a week later: staff may not, the head signs.
		e.clock.Set(shanghai(2026, 10, 9, 15))
		answers := []string{"浙政办发〔2026〕1号", "登记窗口12人"}
		_, err = e.svc.Resubmit(e.ctx, e.actor(t, "scjg.staff"), a.ID, application.ResubmitInput{Answers: answers, Version: a.Version})
		problemtest.Want(t, err, "auth.forbidden")
		head := e.actor(t, "scjg.head")
		_, err = e.svc.Resubmit(e.ctx, head, a.ID, application.ResubmitInput{Answers: answers[:1], Version: a.Version})
		problemtest.Want(t, err, "application.answers_mismatch", "answers")
		_, err = e.svc.Resubmit(e.ctx, head, a.ID, application.ResubmitInput{Answers: []string{"x", " "}, Version: a.Version})
		problemtest.Want(t, err, "application.required", "answers[1]")
		scope := "本局登记窗口经办人员12人"
		a = must(t)(e.svc.Resubmit(e.ctx, head, a.ID, application.ResubmitInput{Answers: answers, Scope: &scope, Version: a.Version}))
		// New receipt 9 Oct: 10 WD from it is 22 Oct, counting the make-up
		// Saturday 10 Oct; from the first receipt it would have been 16 Oct.
		if a.State != application.Resubmitted || a.ReplyDeadline.Receipt != date(2026, 10, 9) ||
			a.ReplyDeadline.Due != e.due(t, date(2026, 10, 9), 10) || a.ReplyDeadline.Due != date(2026, 10, 22) {
			t.Fatalf("after resubmission: %s %+v", a.State, a.ReplyDeadline)
		}
		if a.Scope != scope || len(a.Approvals) != 2 || a.Approvals[1].Kind != "resubmit" || a.Approvals[1].By != head.PersonID {
			t.Fatalf("resubmission: scope %q approvals %+v", a.Scope, a.Approvals)
		}
		_, err = e.svc.RequestSupplement(e.ctx, staff, a.ID, application.SupplementInput{Version: a.Version, Missing: missing})
		problemtest.Want(t, err, "application.supplement_once")
		_, err = e.svc.Resubmit(e.ctx, head, a.ID, application.ResubmitInput{Answers: answers, Version: a.Version})
		problemtest.Want(t, err, "application.wrong_state")
	})
}

// A refusal needs reasons and a category, and incompleteness is no reason.
func TestRefusalRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry)
		head := e.actor(t, "gat.head")
		cases := []struct {
			in          application.ReplyRequest
			code, field string
		}{
			{application.ReplyRequest{Decision: "refuse", ReasonCategory: "no_legal_basis"}, "application.reasons_required", "reasons"},
			{application.ReplyRequest{Decision: "refuse", Reasons: []string{" "}, ReasonCategory: "other"}, "application.required", "reasons[0]"},
			{application.ReplyRequest{Decision: "refuse", Reasons: []string{"材料不全"}, ReasonCategory: "materials_incomplete"}, "application.use_supplement_request", "reason_category"},
			{application.ReplyRequest{Decision: "refuse", Reasons: []string{"超出职责"}}, "application.required", "reason_category"},
			{application.ReplyRequest{Decision: "refuse", Reasons: []string{"超出职责"}, ReasonCategory: "dislike"}, "application.reason_category_invalid", "reason_category"},
			{application.ReplyRequest{}, "application.required", "decision"},
			{application.ReplyRequest{Decision: "maybe"}, "application.decision_invalid", "decision"},
			{application.ReplyRequest{Decision: "approve", Reasons: []string{"x"}}, "application.reasons_on_approval", "reasons"},
		}
		before := e.totalEvents(t)
		for _, c := range cases {
			c.in.Version = a.Version
			_, err := e.svc.Reply(e.ctx, head, a.ID, c.in)
			problemtest.Want(t, err, c.code, c.field)
		}
		if after := e.totalEvents(t); after != before {
			t.Fatalf("refused replies wrote %d events", after-before)
		}
		// Staff prepare, the head replies (Art. 20).
		_, err := e.svc.Reply(e.ctx, e.actor(t, "gat.staff"), a.ID, application.ReplyRequest{Decision: "refuse", Reasons: []string{"超出职责"}, ReasonCategory: "beyond_duties", Version: a.Version})
		problemtest.Want(t, err, "auth.forbidden")
		a = must(t)(e.svc.Reply(e.ctx, head, a.ID, application.ReplyRequest{Decision: "refuse", Reasons: []string{"申请用途超出需求部门法定职责"}, ReasonCategory: "beyond_duties", Version: a.Version}))
		if a.State != application.Refused || a.Reply.ReasonCategory != "beyond_duties" || a.Reply.By != head.PersonID || a.Reply.DeliveryDeadline != nil {
			t.Fatalf("refusal: %s %+v", a.State, a.Reply)
		}
	})
}

// An extension of at most 10 WD, once, decided by the provider's same-level
// authority; a grant moves the deadline to Due(old due, days) and notifies
// the consumer.
func TestExtension(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry) // due 16 Oct
		staff := e.actor(t, "gat.staff")
		for _, days := range []int{0, 11, -1} {
			_, err := e.svc.RequestExtension(e.ctx, staff, a.ID, application.ExtensionInput{Days: days, Reason: "需会商", Version: a.Version})
			problemtest.Want(t, err, "application.extension_days", "days")
		}
		_, err := e.svc.RequestExtension(e.ctx, staff, a.ID, application.ExtensionInput{Days: 5, Version: a.Version})
		problemtest.Want(t, err, "application.required", "reason")
		_, err = e.svc.RequestExtension(e.ctx, e.actor(t, "scjg.head"), a.ID, application.ExtensionInput{Days: 5, Reason: "x", Version: a.Version})
		problemtest.Want(t, err, "auth.forbidden")
		a = must(t)(e.svc.RequestExtension(e.ctx, staff, a.ID, application.ExtensionInput{Days: 10, Reason: "涉及多个业务处室会商", Version: a.Version}))
		zj := e.p.Departments["浙江省数据局"]
		if a.Extension == nil || a.Extension.AuthorityID != zj.ID || a.Extension.Status != application.ExtensionRequested {
			t.Fatalf("extension request: %+v", a.Extension)
		}
		_, err = e.svc.RequestExtension(e.ctx, staff, a.ID, application.ExtensionInput{Days: 1, Reason: "再延", Version: a.Version})
		problemtest.Want(t, err, "application.extension_once")
		// Nobody but the provider's same-level authority decides: not the
		// provider, not a city authority (which cannot even see it), not an auditor.
		for who, code := range map[string]string{"gat.head": "auth.forbidden", "hz.reviewer": "application.not_found", "audit": "auth.forbidden"} {
			_, err = e.svc.DecideExtension(e.ctx, e.actor(t, who), a.ID, application.ExtensionDecision{Decision: "grant", Version: a.Version})
			problemtest.Want(t, err, code)
		}
		reviewer := e.actor(t, "zj.reviewer")
		_, err = e.svc.DecideExtension(e.ctx, reviewer, a.ID, application.ExtensionDecision{Decision: "later", Version: a.Version})
		problemtest.Want(t, err, "application.decision_invalid", "decision")
		e.clock.Set(shanghai(2026, 10, 12, 11))
		a = must(t)(e.svc.DecideExtension(e.ctx, reviewer, a.ID, application.ExtensionDecision{Decision: "grant", Note: "同意", Version: a.Version}))
		want := e.due(t, date(2026, 10, 16), 10)
		if a.Extension.Status != application.ExtensionGranted || a.ReplyDeadline.Due != want || a.ReplyDeadline.Due != date(2026, 10, 30) ||
			a.Extension.PreviousDue.Due != date(2026, 10, 16) || a.ReplyDeadline.Basis != "extension" || a.ReplyDeadline.Days != 20 {
			t.Fatalf("after grant: %+v deadline %+v, want due %s", a.Extension, a.ReplyDeadline, want)
		}
		// 10 + 10 WD from receipt is the same day.
		if a.ReplyDeadline.Due != e.due(t, date(2026, 9, 28), 20) {
			t.Errorf("extended due %s is not 20 WD from receipt", a.ReplyDeadline.Due)
		}
		// The consumer sees the notice on the application.
		seen := must(t)(e.svc.Get(e.ctx, e.actor(t, "scjg.staff"), a.ID))
		var notice bool
		for _, h := range seen.History {
			notice = notice || (h.Action == "application.extension_grant" && h.Notify && strings.Contains(h.Note, "2026-10-30"))
		}
		if !notice {
			t.Fatalf("no extension notice for the consumer in %+v", seen.History)
		}
		_, err = e.svc.DecideExtension(e.ctx, reviewer, a.ID, application.ExtensionDecision{Decision: "grant", Version: a.Version})
		problemtest.Want(t, err, "application.wrong_state")

		// A refused extension leaves the deadline, and is notified too.
		b := e.sent(t, uncondEntry)
		b = must(t)(e.svc.RequestExtension(e.ctx, staff, b.ID, application.ExtensionInput{Days: 3, Reason: "系统升级", Version: b.Version}))
		due := b.ReplyDeadline.Due
		b = must(t)(e.svc.DecideExtension(e.ctx, reviewer, b.ID, application.ExtensionDecision{Decision: "refuse", Note: "理由不充分", Version: b.Version}))
		if b.Extension.Status != application.ExtensionRefused || b.ReplyDeadline.Due != due || !b.History[len(b.History)-1].Notify {
			t.Fatalf("refused extension: %+v %+v", b.Extension, b.ReplyDeadline)
		}
	})
}

// An approval grants the terms applied for and sets the delivery deadline,
// 20 WD from the day of the reply (Art. 22).
func TestApprovalSetsDeliveryDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry)
		e.clock.Set(shanghai(2026, 9, 30, 17))
		a = must(t)(e.svc.Reply(e.ctx, e.actor(t, "gat.head"), a.ID, application.ReplyRequest{Decision: "approve", Version: a.Version}))
		d := a.Reply.DeliveryDeadline
		// From Wed 30 Sep: 8, 9, 10 (make-up), 12–16, 19–23, 26–30 Oct, 2, 3 Nov.
		if a.State != application.Approved || d == nil || d.Due != e.due(t, date(2026, 9, 30), 20) || d.Due != date(2026, 11, 3) ||
			d.Days != 20 || d.Basis != "delivery" || !strings.Contains(d.Rule, "第二十二条") {
			t.Fatalf("approval: %s %+v", a.State, d)
		}
		g := a.Reply.Grant
		if g == nil || strings.Join(g.Items, ",") != "姓名,公民身份号码" || g.DeliveryMethod != application.ServiceInterface || g.Scope != a.Scope || g.TimeLimit != a.TimeLimit {
			t.Fatalf("grant: %+v", g)
		}
	})
}

// Acts out of order are refused with application.wrong_state naming the state.
func TestOutOfOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		head, staff, consumer := e.actor(t, "gat.head"), e.actor(t, "gat.staff"), e.actor(t, "scjg.head")
		approve := application.ReplyRequest{Decision: "approve"}
		wrong := func(err error, state application.State) {
			t.Helper()
			problemtest.Want(t, err, "application.wrong_state")
			if !strings.Contains(err.Error(), string(state)) {
				t.Errorf("%v does not name the state %s", err, state)
			}
		}
		// Replying twice.
		a := e.sent(t, condEntry)
		approve.Version = a.Version
		a = must(t)(e.svc.Reply(e.ctx, head, a.ID, approve))
		approve.Version = a.Version
		_, err := e.svc.Reply(e.ctx, head, a.ID, approve)
		wrong(err, application.Approved)
		// Extension, supplement and withdrawal after the reply.
		_, err = e.svc.RequestExtension(e.ctx, staff, a.ID, application.ExtensionInput{Days: 2, Reason: "x", Version: a.Version})
		wrong(err, application.Approved)
		_, err = e.svc.RequestSupplement(e.ctx, staff, a.ID, application.SupplementInput{Missing: []application.Missing{{Item: "a", What: "b"}}, Version: a.Version})
		wrong(err, application.Approved)
		_, err = e.svc.Withdraw(e.ctx, consumer, a.ID, application.WithdrawInput{Version: a.Version})
		wrong(err, application.Approved)
		_, err = e.svc.Approve(e.ctx, consumer, a.ID, application.Command{Version: a.Version})
		wrong(err, application.Approved)
		// Replying to a withdrawn application.
		b := e.sent(t, condEntry)
		b = must(t)(e.svc.Withdraw(e.ctx, e.actor(t, "scjg.staff"), b.ID, application.WithdrawInput{Reason: "需求取消", Version: b.Version}))
		approve.Version = b.Version
		_, err = e.svc.Reply(e.ctx, head, b.ID, approve)
		wrong(err, application.Withdrawn)
		// Replying to a draft: the provider cannot even see it; the
		// consumer's own head, who can, is not the provider.
		c := e.draft(t, condEntry)
		approve.Version = c.Version
		_, err = e.svc.Reply(e.ctx, head, c.ID, approve)
		problemtest.Want(t, err, "application.not_found")
		// Submitting twice.
		c = must(t)(e.svc.Submit(e.ctx, e.actor(t, "scjg.staff"), c.ID, application.Command{Version: c.Version}))
		_, err = e.svc.Submit(e.ctx, e.actor(t, "scjg.staff"), c.ID, application.Command{Version: c.Version})
		wrong(err, application.AwaitingApproval)
		// A supplement request after an extension request.
		d := e.sent(t, condEntry)
		d = must(t)(e.svc.RequestExtension(e.ctx, staff, d.ID, application.ExtensionInput{Days: 2, Reason: "x", Version: d.Version}))
		_, err = e.svc.RequestSupplement(e.ctx, staff, d.ID, application.SupplementInput{Missing: []application.Missing{{Item: "a", What: "b"}}, Version: d.Version})
		problemtest.Want(t, err, "application.supplement_after_extension")
		// A reply while the extension is pending closes the request.
		approve.Version = d.Version
		d = must(t)(e.svc.Reply(e.ctx, head, d.ID, approve))
		if d.Extension.Status != application.ExtensionLapsed {
			t.Fatalf("pending extension after reply: %s", d.Extension.Status)
		}
		_, err = e.svc.DecideExtension(e.ctx, e.actor(t, "zj.reviewer"), d.ID, application.ExtensionDecision{Decision: "grant", Version: d.Version})
		problemtest.Want(t, err, "application.wrong_state") // nothing is pending any more
	})
}

// Two provider heads replying at once: one wins, the other gets
// conflict.version, and exactly one reply is recorded.
func TestConcurrentReplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		a := e.sent(t, condEntry)
		head := e.actor(t, "gat.head")
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				in := application.ReplyRequest{Decision: "approve", Version: a.Version}
				if i%2 == 1 {
					in = application.ReplyRequest{Decision: "refuse", Reasons: []string{"并发"}, ReasonCategory: "other", Version: a.Version}
				}
				_, errs[i] = e.svc.Reply(e.ctx, head, a.ID, in)
			}()
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
			} else {
				problemtest.Want(t, err, "conflict.version")
			}
		}
		if wins != 1 {
			t.Fatalf("%d replies won, want exactly 1: %v", wins, errs)
		}
		if got := e.events(t, a.ID, "application.reply"); got != 1 {
			t.Fatalf("%d reply events, want 1", got)
		}
		final := must(t)(e.svc.Get(e.ctx, head, a.ID))
		replies := 0
		for _, h := range final.History {
			if h.Action == "application.approve" || h.Action == "application.refuse" {
				replies++
			}
		}
		if replies != 1 || final.Version != a.Version+1 {
			t.Fatalf("history has %d replies, version %d", replies, final.Version)
		}
	})
}

// A deadline that would fall in a year the calendar does not know is never
// guessed: the act is refused with calendar.year_unknown and nothing is
// written. In 2026 without the 2027 notice, approving from 4 December (the
// 20-WD delivery deadline) is such an act.
func TestDeadlineBeyondTheCalendarIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.clock.Set(shanghai(2026, 12, 2, 10))
		a := e.sent(t, uncondEntry)
		e.clock.Set(shanghai(2026, 12, 4, 10))
		before := e.totalEvents(t)
		_, err := e.svc.Reply(e.ctx, e.actor(t, "gat.head"), a.ID, application.ReplyRequest{Decision: "approve", Version: a.Version})
		problemtest.Want(t, err, "calendar.year_unknown")
		if after := e.totalEvents(t); after != before {
			t.Fatalf("a refused reply wrote %d event(s)", after-before)
		}
		got := must(t)(e.svc.Get(e.ctx, e.actor(t, "gat.head"), a.ID))
		if got.State != application.Sent || got.Version != a.Version {
			t.Fatalf("after the refusal: %s v%d, want sent v%d", got.State, got.Version, a.Version)
		}
	})
}
