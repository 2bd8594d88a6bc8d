package complaint_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/complaint"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/todo"
)

var codeShape = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$`)

// TestReceiptCode: codes have the documented shape, differ each time, and
// read back however they are typed; the digest is not the code.
func TestReceiptCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := complaint.NewCode()
		if !codeShape.MatchString(c) {
			t.Fatalf("code %q has the wrong shape", c)
		}
		if seen[c] {
			t.Fatalf("code %q drawn twice", c)
		}
		seen[c] = true
	}
	c := complaint.NewCode()
	d, ok := complaint.CodeDigest(c)
	if !ok || strings.Contains(d, strings.ReplaceAll(c, "-", "")) {
		t.Fatalf("digest %q of %q", d, c)
	}
	typed := strings.ToLower(strings.ReplaceAll(c, "-", " "))
	typed = strings.NewReplacer("0", "o", "1", "l").Replace(typed)
	if d2, ok := complaint.CodeDigest(typed); !ok || d2 != d {
		t.Errorf("code typed as %q does not read back", typed)
	}
	for _, bad := range []string{"", "ABCD", c + "A", strings.Replace(c, c[:1], "U", 1), "中文中文-中文中文-中文中文-中文中文-中文中文"} {
		if _, ok := complaint.CodeDigest(bad); ok {
			t.Errorf("%q read as a code", bad)
		}
	}
}

// TestFileAndLookup: a filing stores the complaint with the code's digest
// only, records an event without personal data, and the complainant reads
// status and dates with the code; a wrong code finds nothing.
func TestFileAndLookup(t *testing.T) {
	storetest.EachDirect(t, func(t *testing.T, s *store.Store, db storetest.Direct) {
		e := newEnv(t, s)
		r, c := e.file(e.input())
		if !codeShape.MatchString(r.Code) {
			t.Fatalf("receipt code %q", r.Code)
		}
		if r.DepartmentName != "浙江省公安厅" || c.State != complaint.Received || c.HandlerID != e.dept("浙江省公安厅") {
			t.Fatalf("receipt %+v, complaint %+v", r, c)
		}
		cal, err := e.app.Calendar.Current(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		due, err := cal.Due(calendar.DateOf(start), complaint.AnswerDays)
		if err != nil {
			t.Fatal(err)
		}
		// 15 WD from Monday 28 September skip the National Day holidays.
		if r.Due == nil || *r.Due != due || c.Deadline.Due != due || due.String() != "2026-10-23" {
			t.Errorf("due %s (complaint %s), want %s", r.Due, c.Deadline.Due, due)
		}
		// Nothing stored holds the code itself.
		var raw string
		if err := db.DB.QueryRowContext(e.ctx, "SELECT code_digest || body FROM complaints WHERE id = $1", c.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(raw, strings.ReplaceAll(r.Code, "-", "")) || strings.Contains(raw, r.Code) {
			t.Error("the stored complaint holds the receipt code")
		}
		// The event: the public filed it; ids and state only.
		evs := e.events(c.ID)
		if len(evs) != 1 || evs[0].Action != complaint.ActionFile || evs[0].ActorID != "public" || evs[0].ObjectDepartmentID != c.HandlerID {
			t.Fatalf("events %+v", evs)
		}
		b, _ := json.Marshal(evs[0])
		if strings.Contains(string(b), "测试投诉人甲") || strings.Contains(string(b), "13800000000") {
			t.Errorf("event carries personal data: %s", b)
		}

		got, err := e.svc.Lookup(e.ctx, strings.ToLower(strings.ReplaceAll(r.Code, "-", "")))
		if err != nil {
			t.Fatal(err)
		}
		if got.State != complaint.Received || got.Due == nil || *got.Due != due || got.DepartmentName != "浙江省公安厅" || got.Answer != nil {
			t.Errorf("lookup %+v", got)
		}
		b, _ = json.Marshal(got)
		for _, secret := range []string{"测试投诉人甲", "13800000000", "户籍信息", c.ID} {
			if strings.Contains(string(b), secret) {
				t.Errorf("lookup shows %q: %s", secret, b)
			}
		}
		_, err = e.svc.Lookup(e.ctx, complaint.NewCode())
		problemtest.Want(t, err, "complaint.code_unknown")
		_, err = e.svc.Lookup(e.ctx, "not a code")
		problemtest.Want(t, err, "complaint.code_unknown")
		_, err = e.svc.Lookup(e.ctx, "")
		problemtest.Want(t, err, "complaint.required", "code")
	})
}

// TestFileValidation: each bad field is refused naming it, and nothing is
// stored or recorded.
func TestFileValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		long := strings.Repeat("长", complaint.MaxTextRunes+1)
		cases := []struct {
			name        string
			edit        func(*complaint.Input)
			code, field string
		}{
			{"kind", func(in *complaint.Input) { in.ComplainantKind = "robot" }, "complaint.kind_invalid", "complainant_kind"},
			{"no name", func(in *complaint.Input) { in.Name = "  " }, "complaint.required", "name"},
			{"long name", func(in *complaint.Input) { in.Name = strings.Repeat("名", 101) }, "complaint.too_long", "name"},
			{"no contact", func(in *complaint.Input) { in.Contact = "" }, "complaint.required", "contact"},
			{"bad contact", func(in *complaint.Input) { in.Contact = "call me maybe" }, "complaint.contact_invalid", "contact"},
			{"short phone", func(in *complaint.Input) { in.Contact = "12345" }, "complaint.contact_invalid", "contact"},
			{"bad email", func(in *complaint.Input) { in.Contact = "a@b" }, "complaint.contact_invalid", "contact"},
			{"no department", func(in *complaint.Input) { in.DepartmentID = "" }, "complaint.required", "department_id"},
			{"unknown department", func(in *complaint.Input) { in.DepartmentID = "nope" }, "complaint.department_unknown", "department_id"},
			{"no facts", func(in *complaint.Input) { in.Facts = "" }, "complaint.required", "facts"},
			{"long facts", func(in *complaint.Input) { in.Facts = long }, "complaint.too_long", "facts"},
			{"control chars", func(in *complaint.Input) { in.Facts = "a\x00b" }, "complaint.text_invalid", "facts"},
			{"no rights", func(in *complaint.Input) { in.Rights = "" }, "complaint.required", "rights"},
			{"long reference", func(in *complaint.Input) { in.Reference = strings.Repeat("x", 101) }, "complaint.too_long", "reference"},
		}
		before := e.eventCount()
		for _, c := range cases {
			in := e.input()
			c.edit(&in)
			_, err := e.svc.File(e.ctx, in)
			if err == nil {
				t.Fatalf("%s: accepted", c.name)
			}
			problemtest.Want(t, err, c.code, c.field)
		}
		if after := e.eventCount(); after != before {
			t.Errorf("refused filings wrote %d events", after-before)
		}
		for _, ok := range []string{"+86 138-0000-0000", "0571-88888888", "someone@example.org"} {
			in := e.input()
			in.Contact = ok
			if _, err := e.svc.File(e.ctx, in); err != nil {
				t.Errorf("contact %q refused: %v", ok, err)
			}
		}
	})
}

// TestHandling walks the state machine: accept, answer; acts out of order
// are refused with complaint.wrong_state; a stale version with
// conflict.version; the lookup shows the answer.
func TestHandling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		r, c := e.file(e.input())
		staff, head := e.actor("gat.staff"), e.actor("gat.head")

		_, err := e.svc.Answer(e.ctx, staff, c.ID, complaint.AnswerInput{Version: c.Version, Findings: "已核实"})
		problemtest.Want(t, err, "complaint.required", "measures")
		_, err = e.svc.Accept(e.ctx, staff, c.ID, complaint.Command{})
		problemtest.Want(t, err, "complaint.version_required", "version")
		_, err = e.svc.Accept(e.ctx, e.actor("hzga.staff"), c.ID, complaint.Command{Version: c.Version})
		problemtest.Want(t, err, "complaint.not_found")
		_, err = e.svc.Accept(e.ctx, e.actor("zj.reviewer"), c.ID, complaint.Command{Version: c.Version})
		problemtest.Want(t, err, "auth.forbidden")

		c, err = e.svc.Accept(e.ctx, staff, c.ID, complaint.Command{Version: c.Version})
		if err != nil || c.State != complaint.Handling || c.AcceptedAt == nil {
			t.Fatalf("accept: %+v %v", c, err)
		}
		_, err = e.svc.Accept(e.ctx, staff, c.ID, complaint.Command{Version: c.Version})
		problemtest.Want(t, err, "complaint.wrong_state")
		_, err = e.svc.Answer(e.ctx, staff, c.ID, complaint.AnswerInput{Version: c.Version - 1, Findings: "已核实", Measures: "已整改"})
		problemtest.Want(t, err, "conflict.version")

		e.clock.Advance(24 * time.Hour)
		c, err = e.svc.Answer(e.ctx, head, c.ID, complaint.AnswerInput{Version: c.Version, Findings: " 经核实，共享范围超出申请。 ", Measures: "已终止相关共享授权。"})
		if err != nil || c.State != complaint.Answered || c.Answer == nil || c.Answer.Findings != "经核实，共享范围超出申请。" {
			t.Fatalf("answer: %+v %v", c, err)
		}
		_, err = e.svc.Answer(e.ctx, head, c.ID, complaint.AnswerInput{Version: c.Version, Findings: "再答复", Measures: "再答复"})
		problemtest.Want(t, err, "complaint.wrong_state")
		_, err = e.svc.Transfer(e.ctx, head, c.ID, complaint.TransferInput{Version: c.Version, ToID: e.dept("杭州市公安局"), Reason: "迟到的转交"})
		problemtest.Want(t, err, "complaint.wrong_state")

		var actions []string
		for _, ev := range e.events(c.ID) {
			actions = append(actions, ev.Action)
		}
		if strings.Join(actions, ",") != "complaint.file,complaint.accept,complaint.answer" {
			t.Errorf("events %v", actions)
		}
		pub, err := e.svc.Lookup(e.ctx, r.Code)
		if err != nil || pub.State != complaint.Answered || pub.Answer == nil || pub.Answer.Measures != "已终止相关共享授权。" || pub.AcceptedAt == nil {
			t.Fatalf("lookup after answer: %+v %v", pub, err)
		}
		b, _ := json.Marshal(pub)
		if strings.Contains(string(b), e.p.Account("gat.head").ID) {
			t.Errorf("lookup names the person who answered: %s", b)
		}
	})
}

// TestTransfer: the handler hands the complaint on with reasons; the new
// department's own period starts that day, the old one no longer reads it.
func TestTransfer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		r, c := e.file(e.input())
		staff := e.actor("gat.staff")
		hzga := e.dept("杭州市公安局")
		_, err := e.svc.Transfer(e.ctx, staff, c.ID, complaint.TransferInput{Version: c.Version, ToID: hzga})
		problemtest.Want(t, err, "complaint.required", "reason")
		_, err = e.svc.Transfer(e.ctx, staff, c.ID, complaint.TransferInput{Version: c.Version, ToID: c.HandlerID, Reason: "x"})
		problemtest.Want(t, err, "complaint.transfer_self", "to_id")
		_, err = e.svc.Transfer(e.ctx, staff, c.ID, complaint.TransferInput{Version: c.Version, ToID: "nope", Reason: "x"})
		problemtest.Want(t, err, "complaint.department_unknown", "to_id")

		e.clock.Advance(14 * 24 * time.Hour) // 12 October
		c, err = e.svc.Transfer(e.ctx, staff, c.ID, complaint.TransferInput{Version: c.Version, ToID: hzga, Reason: "所涉数据由杭州市公安局共享"})
		if err != nil {
			t.Fatal(err)
		}
		cal, _ := e.app.Calendar.Current(e.ctx)
		due, _ := cal.Due(calendar.DateOf(e.clock.Now()), complaint.AnswerDays)
		if c.State != complaint.Received || c.HandlerID != hzga || c.HandlerDivision != "330100" || c.Deadline.Due != due ||
			len(c.Transfers) != 1 || c.Transfers[0].FromID != e.dept("浙江省公安厅") || c.DepartmentID != e.dept("浙江省公安厅") {
			t.Fatalf("after transfer: %+v", c)
		}
		_, err = e.svc.Get(e.ctx, staff, c.ID)
		problemtest.Want(t, err, "complaint.not_found")
		got, err := e.svc.Get(e.ctx, e.actor("hzga.head"), c.ID)
		if err != nil || got.Complainant.Name != "测试投诉人甲" {
			t.Fatalf("new handler reads: %+v %v", got, err)
		}
		// The city's authority now supervises it.
		if _, err := e.svc.Get(e.ctx, e.actor("hz.reviewer"), c.ID); err != nil {
			t.Errorf("hz.reviewer: %v", err)
		}
		evs := e.events(c.ID)
		if last := evs[len(evs)-1]; last.Action != complaint.ActionTransfer || last.ObjectDepartmentID != hzga {
			t.Errorf("transfer event %+v", last)
		}
		pub, err := e.svc.Lookup(e.ctx, r.Code)
		if err != nil || !pub.Transferred || pub.DepartmentName != "杭州市公安局" || pub.Due == nil || *pub.Due != due {
			t.Errorf("lookup after transfer: %+v %v", pub, err)
		}
	})
}

// TestReaders: the handler's office and the authorities whose region holds
// the handler read a complaint; nobody else finds it. Listings show no
// personal data, and only offices and authority reviewers list.
func TestReaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		_, c := e.file(e.input())
		readers := map[string]bool{"gat.head": true, "gat.staff": true, "zj.reviewer": true}
		for _, who := range []string{"gat.head", "gat.staff", "zj.reviewer", "hz.reviewer", "hzga.head", "scjg.staff", "audit", "admin", "ops"} {
			got, err := e.svc.Get(e.ctx, e.actor(who), c.ID)
			switch {
			case readers[who] && (err != nil || got.Complainant.Contact != "13800000000"):
				t.Errorf("%s: %v", who, err)
			case !readers[who]:
				problemtest.Want(t, err, "complaint.not_found")
			}
		}
		for who, want := range map[string]bool{"gat.staff": true, "zj.reviewer": true, "hz.reviewer": false, "hzga.head": false} {
			cs, err := e.svc.List(e.ctx, e.actor(who), "", false, "", 500)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			listed := false
			for _, x := range cs {
				listed = listed || x.ID == c.ID
				// A summary has no field for what the complainant is or wrote.
				if b, _ := json.Marshal(x); strings.Contains(string(b), "测试投诉人甲") || strings.Contains(string(b), "13800000000") ||
					strings.Contains(string(b), "户籍信息") {
					t.Errorf("%s: listing shows the complainant: %s", who, b)
				}
			}
			if listed != want {
				t.Errorf("%s lists the complaint: %v, want %v", who, listed, want)
			}
		}
		for _, who := range []string{"admin", "ops", "audit"} {
			_, err := e.svc.List(e.ctx, e.actor(who), "", false, "", 50)
			problemtest.Want(t, err, "auth.forbidden")
		}
	})
}

// TestConcurrentAnswers: two officers answer the same version at once;
// exactly one answer is stored.
func TestConcurrentAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		_, c := e.file(e.input())
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"gat.staff", "gat.head"} {
			a := e.actor(who)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Answer(e.ctx, a, c.ID, complaint.AnswerInput{Version: c.Version, Findings: "核实" + who, Measures: "措施"})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch code := problem.CodeOf(err); code {
			case "":
				won++
			case "conflict.version", "complaint.wrong_state":
			default:
				t.Errorf("loser refused with %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d winners: %v", won, errs)
		}
		if n := len(e.events(c.ID)); n != 2 {
			t.Errorf("%d events, want file and one answer", n)
		}
	})
}

// TestDeadlineTodoAndOverdue: the handler's office sees the complaint in
// its to-do list with the working days left; once the deadline has passed
// it is overdue, in the authority's to-do list and its overdue listing.
func TestDeadlineTodoAndOverdue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		_, c := e.file(e.input())
		items, err := e.svc.Todos(e.ctx, e.actor("gat.staff"))
		items = only(items, c.ID)
		if err != nil || len(items) != 1 || items[0].Kind != complaint.TodoHandle || items[0].ObjectID != c.ID ||
			items[0].WorkingDaysLeft == nil || *items[0].WorkingDaysLeft != complaint.AnswerDays || items[0].Overdue {
			t.Fatalf("office to-do: %+v %v", items, err)
		}
		if strings.Contains(items[0].Title, "测试投诉人甲") {
			t.Error("to-do title carries personal data")
		}
		if items, _ := e.svc.Todos(e.ctx, e.actor("zj.reviewer")); len(only(items, c.ID)) != 0 {
			t.Errorf("authority to-do before the deadline: %+v", items)
		}
		cs, _ := e.svc.List(e.ctx, e.actor("zj.reviewer"), "", true, "", 500)
		for _, x := range cs {
			if x.ID == c.ID {
				t.Error("overdue listing shows the complaint before its deadline")
			}
		}

		e.clock.Advance(30 * 24 * time.Hour) // 28 October: due 23 October
		cal, _ := e.app.Calendar.Current(e.ctx)
		late, _ := cal.WorkingDaysBetween(c.Deadline.Due, calendar.DateOf(e.clock.Now()))
		got, err := e.svc.Get(e.ctx, e.actor("gat.staff"), c.ID)
		if err != nil || !got.Overdue || got.WorkingDaysLeft == nil || late < 1 || *got.WorkingDaysLeft != -late {
			t.Fatalf("after the deadline: overdue %v, left %v, %v", got.Overdue, got.WorkingDaysLeft, err)
		}
		items, err = e.svc.Todos(e.ctx, e.actor("zj.reviewer"))
		items = only(items, c.ID)
		if err != nil || len(items) != 1 || items[0].Kind != complaint.TodoOverdue || !items[0].Overdue {
			t.Fatalf("authority to-do: %+v %v", items, err)
		}
		cs, err = e.svc.List(e.ctx, e.actor("zj.reviewer"), "", true, "", 500)
		overdue := map[string]bool{}
		for _, x := range cs {
			overdue[x.ID] = x.Overdue
		}
		if err != nil || !overdue[c.ID] {
			t.Fatalf("overdue listing: %+v %v", cs, err)
		}
		// Answered, it is no longer overdue anywhere.
		if _, err := e.svc.Answer(e.ctx, e.actor("gat.head"), c.ID, complaint.AnswerInput{Version: c.Version, Findings: "迟复", Measures: "已处理"}); err != nil {
			t.Fatal(err)
		}
		cs, _ = e.svc.List(e.ctx, e.actor("zj.reviewer"), "", true, "", 500)
		for _, x := range cs {
			if x.ID == c.ID {
				t.Errorf("answered complaint still overdue")
			}
		}
		if items, _ := e.svc.Todos(e.ctx, e.actor("gat.staff")); len(only(items, c.ID)) != 0 {
			t.Errorf("answered complaint still a to-do: %+v", items)
		}
	})
}

// only keeps the to-do items about complaint id: the demo province has
// complaints of its own.
func only(items []todo.Item, id string) []todo.Item {
	var out []todo.Item
	for _, it := range items {
		if it.ObjectID == id {
			out = append(out, it)
		}
	}
	return out
}

// TestDeadlineIntoUnknownYear: in late December, before the next year's
// holiday notice is imported, a complaint is still taken; its deadline is
// not guessed but counted once the notice is in.
func TestDeadlineIntoUnknownYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		e.clock.Advance(time.Date(2026, 12, 21, 10, 0, 0, 0, calendar.Shanghai).Sub(start))
		r, c := e.file(e.input())
		if r.Due != nil || c.Deadline != nil || c.ReceivedOn.String() != "2026-12-21" {
			t.Fatalf("deadline guessed: receipt %+v, complaint %+v", r.Due, c.Deadline)
		}
		items, err := e.svc.Todos(e.ctx, e.actor("gat.staff"))
		if items = only(items, c.ID); err != nil || len(items) != 1 || items[0].Due != nil {
			t.Fatalf("to-do without a countable deadline: %+v %v", items, err)
		}
		fixture, err := os.ReadFile("../calendar/testdata/2027-fixture.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Calendar.Import(e.ctx, access.Operator("test"), fixture, false); err != nil {
			t.Fatal(err)
		}
		cal, _ := e.app.Calendar.Current(e.ctx)
		due, err := cal.Due(c.ReceivedOn, complaint.AnswerDays)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Get(e.ctx, e.actor("gat.staff"), c.ID)
		if err != nil || got.Deadline == nil || got.Deadline.Due != due {
			t.Fatalf("after the import: %+v %v, want due %s", got.Deadline, err, due)
		}
		pub, err := e.svc.Lookup(e.ctx, r.Code)
		if err != nil || pub.Due == nil || *pub.Due != due {
			t.Errorf("lookup after the import: %+v %v", pub.Due, err)
		}
		// Past it, the authority's overdue listing finds it, though the
		// store had no due day for it.
		e.clock.Advance(60 * 24 * time.Hour)
		cs, err := e.svc.List(e.ctx, e.actor("zj.reviewer"), "", true, "", 500)
		found := false
		for _, x := range cs {
			found = found || (x.ID == c.ID && x.Overdue)
		}
		if err != nil || !found {
			t.Errorf("overdue listing misses the complaint: %v", err)
		}
		if items, _ := e.svc.Todos(e.ctx, e.actor("zj.reviewer")); len(only(items, c.ID)) != 1 {
			t.Errorf("authority to-do misses the complaint")
		}
	})
}
