package usagerecord_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/problem/problemtest"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/usagerecord"
)

// Only the consumer's sharing office writes records. The provider's office
// and the authorities above the consumer read the grant's records but may
// not write them (403); everyone else does not find the grant (404). A
// refusal writes nothing.
func TestOnlyTheConsumersOfficeWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg", true)
		for _, who := range []string{"scjg.staff", "scjg.head"} {
			r := e.add(who, g, e.input())
			if r.Version != 1 || r.GrantID != g.ID || r.ConsumerID != g.ConsumerID || r.ProviderID != g.ProviderID || r.CreatedBy != e.p.Account(who).ID {
				t.Errorf("%s's record: %+v", who, r)
			}
			if len(e.events(ledger.Filter{ObjectType: "usage_record", ObjectID: r.ID, Action: usagerecord.ActionCreate})) != 1 {
				t.Errorf("%s's record has no create event", who)
			}
		}
		rows, events := e.rows(), e.eventCount()
		for who, code := range map[string]string{
			"gat.head": "auth.forbidden", "gat.staff": "auth.forbidden", // the provider
			"zj.reviewer": "auth.forbidden", "audit": "auth.forbidden", // supervisors of the consumer
			"hzga.head": "grant.not_found", "hzga.staff": "grant.not_found", "nbwj.head": "grant.not_found", // unrelated departments
			"hz.reviewer": "grant.not_found", // an authority whose region does not hold the consumer
			"admin":       "grant.not_found", "ops": "grant.not_found",
		} {
			_, err := e.svc.Add(e.ctx, e.actor(who), g.ID, e.input())
			problemtest.Want(t, err, code)
		}
		if e.rows() != rows || e.eventCount() != events {
			t.Errorf("refused writes changed the store: %d→%d rows, %d→%d events", rows, e.rows(), events, e.eventCount())
		}
	})
}

// The readers of a grant's records and access events: the consumer's
// office, the provider's office, and authority reviewers and auditors
// whose region holds the consumer. Each read by the provider or a
// supervisor appends one event naming the grant; the consumer's own reads
// append none; nobody else finds the grant.
func TestReadersAndRecordedReads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		// 杭州市公安局 (hzga, in 杭州市) uses the provincial gat's data: the
		// city's authority is above the consumer, 宁波's is not.
		g := e.grant("hzga", true)
		rec := e.add("hzga.staff", g, e.input())
		// An act on the grant for the readers to find among its events.
		g, err := e.app.Grants.Suspend(e.ctx, e.actor("gat.head"), g.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查使用情况"}, Evidence: "核查记录", RectifyDays: 10, Version: g.Version})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			who      string
			read     bool
			recorded bool
		}{
			{"hzga.staff", true, false}, {"hzga.head", true, false},
			{"gat.staff", true, true}, {"gat.head", true, true},
			{"hz.reviewer", true, true}, {"zj.reviewer", true, true}, {"audit", true, true},
			{"nb.reviewer", false, false}, {"nbwj.head", false, false}, {"scjg.staff", false, false},
			{"admin", false, false}, {"ops", false, false},
		}
		for _, c := range cases {
			a := e.actor(c.who)
			for _, read := range []struct {
				action string
				run    func() (int, error)
			}{
				{usagerecord.ActionRead, func() (int, error) {
					rs, err := e.svc.List(e.ctx, a, g.ID, usagerecord.Cursor{}, 50)
					if err == nil && (len(rs) != 1 || rs[0].ID != rec.ID || rs[0].Scenario != rec.Scenario) {
						t.Errorf("%s reads %+v", c.who, rs)
					}
					return len(rs), err
				}},
				{usagerecord.ActionEventsRead, func() (int, error) {
					evs, err := e.svc.GrantEvents(e.ctx, a, g.ID, 0, 500)
					for _, ev := range evs {
						if ev.ObjectType != "grant" || ev.ObjectID != g.ID {
							t.Errorf("%s reads a foreign event %+v", c.who, ev)
						}
					}
					if err == nil && !slices.ContainsFunc(evs, func(ev ledger.Event) bool { return ev.Action == "grant.suspend" }) {
						t.Errorf("%s does not read the grant's suspension among its events", c.who)
					}
					return len(evs), err
				}},
			} {
				before := e.events(ledger.Filter{ObjectType: "grant", ObjectID: g.ID, Action: read.action})
				_, err = read.run()
				if !c.read {
					problemtest.Want(t, err, "grant.not_found")
				} else if err != nil {
					t.Fatalf("%s %s: %v", c.who, read.action, err)
				}
				after := e.events(ledger.Filter{ObjectType: "grant", ObjectID: g.ID, Action: read.action})
				want := len(before)
				if c.recorded {
					want++
				}
				if len(after) != want {
					t.Errorf("%s %s: %d events, want %d", c.who, read.action, len(after), want)
					continue
				}
				if c.recorded {
					ev := after[len(after)-1]
					if ev.ActorID != a.PersonID || ev.DepartmentID != a.DepartmentID || ev.ObjectDepartmentID != g.ConsumerID {
						t.Errorf("%s %s: event %+v", c.who, read.action, ev)
					}
				}
			}
		}
		// The consumer sees, in its grant's events, who read its records.
		evs, err := e.svc.GrantEvents(e.ctx, e.actor("hzga.head"), g.ID, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		readers := map[string]bool{}
		for _, ev := range evs {
			if ev.Action == usagerecord.ActionRead {
				readers[ev.ActorID] = true
			}
		}
		for _, who := range []string{"gat.staff", "hz.reviewer", "audit"} {
			if !readers[e.p.Account(who).ID] {
				t.Errorf("the consumer does not see that %s read its records", who)
			}
		}
	})
}

// Bad input is refused with a problem naming the field, and changes
// nothing.
func TestValidationNamesTheFieldAndChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg", true)
		first := e.add("scjg.staff", g, e.input())
		other := e.add("scjg.staff", e.grant("scjg", true), e.input())
		today := calendar.DateOf(e.clock.Now())
		long := strings.Repeat("长", usagerecord.MaxTextRunes+1)
		cases := []struct {
			name        string
			edit        func(*usagerecord.Input)
			code, field string
		}{
			{"no scenario", func(in *usagerecord.Input) { in.Scenario = "  " }, "usage_record.required", "scenario"},
			{"no process", func(in *usagerecord.Input) { in.Process = "" }, "usage_record.required", "process"},
			{"no effect", func(in *usagerecord.Input) { in.Effect = "" }, "usage_record.required", "effect"},
			{"no storage", func(in *usagerecord.Input) { in.Storage = "\n" }, "usage_record.required", "storage"},
			{"scenario too long", func(in *usagerecord.Input) { in.Scenario = long }, "usage_record.too_long", "scenario"},
			{"destruction too long", func(in *usagerecord.Input) { in.Destruction = strings.Repeat("销", usagerecord.MaxShortRunes+1) }, "usage_record.too_long", "destruction"},
			{"bad text", func(in *usagerecord.Input) { in.Effect = "\xff\xfe" }, "usage_record.text_invalid", "effect"},
			{"no from", func(in *usagerecord.Input) { in.PeriodFrom = "" }, "usage_record.required", "period_from"},
			{"bad from", func(in *usagerecord.Input) { in.PeriodFrom = "2026-02-30" }, "usage_record.date_invalid", "period_from"},
			{"bad to", func(in *usagerecord.Input) { in.PeriodTo = "2026/09/28" }, "usage_record.date_invalid", "period_to"},
			{"to before from", func(in *usagerecord.Input) { in.PeriodTo = today.AddDays(-1).String() }, "usage_record.period_order", "period_to"},
			{"before the grant", func(in *usagerecord.Input) { in.PeriodFrom = today.AddDays(-1).String() }, "usage_record.period_before_grant", "period_from"},
			{"in the future", func(in *usagerecord.Input) { in.PeriodTo = today.AddDays(1).String() }, "usage_record.period_future", "period_to"},
			{"version without record", func(in *usagerecord.Input) { in.Version = 1 }, "usage_record.record_required", "record_id"},
			{"record without version", func(in *usagerecord.Input) { in.RecordID = first.ID }, "usage_record.version_required", "version"},
			{"record of another grant", func(in *usagerecord.Input) { in.RecordID, in.Version = other.ID, 1 }, "usage_record.not_found", "record_id"},
			{"unknown record", func(in *usagerecord.Input) { in.RecordID, in.Version = "nope", 1 }, "usage_record.not_found", "record_id"},
		}
		rows, events := e.rows(), e.eventCount()
		for _, c := range cases {
			in := e.input()
			c.edit(&in)
			_, err := e.svc.Add(e.ctx, e.actor("scjg.staff"), g.ID, in)
			if err == nil {
				t.Errorf("%s: accepted", c.name)
				continue
			}
			var p *problem.Error
			if !errors.As(err, &p) || p.Code != c.code || p.Field != c.field {
				t.Errorf("%s: got %v, want %s naming %s", c.name, err, c.code, c.field)
			}
		}
		if e.rows() != rows || e.eventCount() != events {
			t.Errorf("refused input changed the store: %d→%d rows, %d→%d events", rows, e.rows(), events, e.eventCount())
		}
	})
}

// Records are append-only revisions: a revision of the version last read
// becomes the next version and keeps the earlier ones; a revision of an
// older version is a conflict. Concurrent revisions of one version never
// both succeed, and writers that retry until they succeed leave exactly one
// revision each, numbered without gaps.
func TestRevisionsAreAppendOnlyAndNeverLostOrDoubled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg", true)
		staff := e.actor("scjg.staff")
		v1 := e.add("scjg.staff", g, e.input())
		in := e.input()
		in.RecordID, in.Version, in.Destruction = v1.ID, 1, "2026-09-28 已按期删除缓存数据"
		v2 := e.add("scjg.head", g, in)
		if v2.ID != v1.ID || v2.Version != 2 || v2.Destruction == "" {
			t.Fatalf("revision %+v", v2)
		}
		if n := len(e.events(ledger.Filter{ObjectType: "usage_record", ObjectID: v1.ID, Action: usagerecord.ActionRevise})); n != 1 {
			t.Errorf("%d revise events", n)
		}
		_, err := e.svc.Add(e.ctx, staff, g.ID, in) // still version 1: stale
		problemtest.Want(t, err, "conflict.version")

		// Eight writers revise version 2 at once: exactly one wins.
		const writers = 8
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := e.input()
				in.RecordID, in.Version, in.Effect = v1.ID, 2, fmt.Sprintf("第%d次修订", i)
				_, errs[i] = e.svc.Add(e.ctx, staff, g.ID, in)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case problem.CodeOf(err) != "conflict.version":
				t.Fatalf("concurrent revision: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d concurrent revisions of version 2 succeeded, want 1", won)
		}
		// Now each writer retries, reading the newest version, until its
		// revision is stored.
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					rs, err := e.svc.List(e.ctx, staff, g.ID, usagerecord.Cursor{}, 500)
					if err != nil {
						errs[i] = err
						return
					}
					var newest int64
					for _, r := range rs {
						if r.ID == v1.ID {
							newest = max(newest, r.Version)
						}
					}
					in := e.input()
					in.RecordID, in.Version, in.Effect = v1.ID, newest, fmt.Sprintf("重试写入%d", i)
					_, err = e.svc.Add(e.ctx, staff, g.ID, in)
					if problem.CodeOf(err) == "conflict.version" {
						continue
					}
					errs[i] = err
					return
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rs, err := e.svc.List(e.ctx, staff, g.ID, usagerecord.Cursor{}, 500)
		if err != nil {
			t.Fatal(err)
		}
		effects := map[string]int{}
		for i, r := range rs {
			if r.ID != v1.ID || r.Version != int64(i+1) {
				t.Fatalf("revision %d is %s v%d: versions must run 1..n", i, r.ID, r.Version)
			}
			effects[r.Effect]++
		}
		if len(rs) != 3+writers {
			t.Fatalf("%d revisions, want %d", len(rs), 3+writers)
		}
		for i := range writers {
			if effects[fmt.Sprintf("重试写入%d", i)] != 1 {
				t.Errorf("writer %d's revision stored %d times", i, effects[fmt.Sprintf("重试写入%d", i)])
			}
		}
		if n := len(e.events(ledger.Filter{ObjectType: "usage_record", ObjectID: v1.ID})); n != len(rs) {
			t.Errorf("%d events for %d revisions", n, len(rs))
		}
		// Pages follow each other without loss.
		var paged []usagerecord.Record
		var after usagerecord.Cursor
		for {
			page, err := e.svc.List(e.ctx, staff, g.ID, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page...)
			if len(page) < 3 {
				break
			}
			after = usagerecord.CursorOf(page[len(page)-1])
		}
		if len(paged) != len(rs) {
			t.Errorf("paging read %d revisions, want %d", len(paged), len(rs))
		}
	})
}

// No interface deletes a record: its readers are told until when it is
// kept, others do not find it. The purge removes only the records whose
// newest revision is past retention, records itself, and runs only for the
// operator or an admin on the real date.
func TestRetentionAndPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grant("scjg", true)
		old := e.add("scjg.staff", g, e.input()) // 2026-09-28
		e.clock.Advance(400 * 24 * time.Hour)    // 2027-11-02
		young := e.add("scjg.staff", g, e.input())
		e.clock.Set(start.Add(2 * 24 * time.Hour)) // back to 2026-09-30, for a chain revised later
		chain := e.add("scjg.staff", g, e.input())
		e.clock.Set(start.Add(800 * 24 * time.Hour)) // 2028-12-06
		in := e.input()
		in.RecordID, in.Version = chain.ID, 1
		e.add("scjg.head", g, in)

		if old.RetainedUntil != "2029-09-28" {
			t.Errorf("retained until %s, want 2029-09-28", old.RetainedUntil)
		}
		for _, who := range []string{"scjg.staff", "scjg.head", "gat.head", "zj.reviewer"} {
			err := e.svc.Delete(e.ctx, e.actor(who), old.ID)
			problemtest.Want(t, err, "retention.locked")
			var p *problem.Error
			if !errors.As(err, &p) || p.Kind != problem.Conflict || !strings.Contains(p.Detail, "2029-09-29") || !strings.Contains(p.Title, "2029-09-29") {
				t.Errorf("%s: %v", who, err)
			}
		}
		for _, who := range []string{"hzga.head", "admin", "ops"} {
			problemtest.Want(t, e.svc.Delete(e.ctx, e.actor(who), old.ID), "usage_record.not_found")
		}
		problemtest.Want(t, e.svc.Delete(e.ctx, e.actor("scjg.head"), "nope"), "usage_record.not_found")

		// The demo province's records were written on the first day too, and
		// go with the old one.
		others := map[string]bool{}
		if err := e.s.Read(e.ctx, func(tx *store.Tx) error {
			rs, err := tx.ListUsageRecords(e.ctx, usagerecord.Filter{Limit: 500})
			for _, r := range rs {
				if r.GrantID != g.ID {
					others[r.ID] = true
					if calendar.DateOf(r.CreatedAt) != calendar.DateOf(start) {
						t.Errorf("a demo record of %s", r.CreatedAt)
					}
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		op := access.Operator("test")
		// The last day of retention: nothing goes.
		e.clock.Set(time.Date(2029, 9, 28, 23, 0, 0, 0, calendar.Shanghai))
		if n, err := e.svc.Purge(e.ctx, op, e.clock.Now()); err != nil || n != 0 {
			t.Fatalf("purge on the last day: %d, %v", n, err)
		}
		// The day after: only the old record goes; the chain revised in
		// 2028 and the record of 2027 stay.
		e.clock.Set(time.Date(2029, 9, 29, 9, 0, 0, 0, calendar.Shanghai))
		rows := e.rows()
		if n, err := e.svc.Purge(e.ctx, op, e.clock.Now()); err != nil || n != 1+len(others) {
			t.Fatalf("purge the day after: %d, %v; want %d", n, err, 1+len(others))
		}
		rows -= 1 + len(others) // each of them has one revision
		if e.rows() != rows {
			t.Errorf("%d rows after the purge, want %d", e.rows(), rows)
		}
		rs, err := e.svc.List(e.ctx, e.actor("scjg.staff"), g.ID, usagerecord.Cursor{}, 500)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int{}
		for _, r := range rs {
			ids[r.ID]++
		}
		if ids[old.ID] != 0 || ids[young.ID] != 1 || ids[chain.ID] != 2 {
			t.Errorf("after the purge: %v", ids)
		}
		purges := e.events(ledger.Filter{Action: usagerecord.ActionPurge})
		if len(purges) != 2 || purges[1].ActorID != op.PersonID || purges[1].ObjectID != "2029-09-29" {
			t.Errorf("purge events %+v", purges)
		}
		// Refused: a department's office, and a clock ahead of the platform's.
		before := e.eventCount()
		_, err = e.svc.Purge(e.ctx, e.actor("scjg.head"), e.clock.Now())
		problemtest.Want(t, err, "auth.forbidden")
		_, err = e.svc.Purge(e.ctx, op, e.clock.Now().AddDate(5, 0, 0))
		problemtest.Want(t, err, "usage_record.purge_clock")
		if e.eventCount() != before || e.rows() != rows {
			t.Error("a refused purge changed the store")
		}
		// An admin may purge too; the chain goes once its newest revision
		// has run out (2031-12-06 + 1).
		e.clock.Set(time.Date(2031, 12, 7, 9, 0, 0, 0, calendar.Shanghai))
		if n, err := e.svc.Purge(e.ctx, access.Actor{PersonID: "admin", Roles: []access.Role{access.PlatformAdmin}}, e.clock.Now()); err != nil || n != 2 {
			t.Fatalf("admin purge: %d, %v", n, err)
		}
		if e.rows() != 0 {
			t.Errorf("%d rows left", e.rows())
		}
	})
}

func TestRetainedUntil(t *testing.T) {
	for created, want := range map[time.Time]string{
		time.Date(2026, 9, 28, 23, 59, 0, 0, calendar.Shanghai): "2029-09-28",
		time.Date(2026, 9, 28, 16, 30, 0, 0, time.UTC):          "2029-09-29", // 00:30 on the 29th in Beijing
		time.Date(2028, 2, 29, 10, 0, 0, 0, calendar.Shanghai):  "2031-03-01",
	} {
		if got := usagerecord.RetainedUntil(created).String(); got != want {
			t.Errorf("RetainedUntil(%v) = %s, want %s", created, got, want)
		}
		if got, want := usagerecord.PurgeableFrom(created), usagerecord.RetainedUntil(created).AddDays(1); got != want {
			t.Errorf("PurgeableFrom(%v) = %s", created, got)
		}
	}
}

// A delivered grant without a record in the last MissingInterval is missing
// records: listed for its consumer's office and the authorities above it,
// and on the office's to-do list, until a record is written; it comes back
// when the interval passes again, and leaves for good once the grant has
// ended that long ago. Undelivered grants are never missing records.
func TestMissingRecordsAndTodo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		delivered := e.grant("scjg", true)
		undelivered := e.grant("scjg", false)
		missing := func(who string) map[string]usagerecord.Missing {
			t.Helper()
			ms, err := e.svc.MissingRecords(e.ctx, e.actor(who), "", 500)
			if err != nil {
				t.Fatalf("%s: %v", who, err)
			}
			out := map[string]usagerecord.Missing{}
			for _, m := range ms {
				out[m.GrantID] = m
			}
			return out
		}
		todo := func(who string) bool {
			t.Helper()
			items, err := e.svc.Todos(e.ctx, e.actor(who))
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.ObjectID == delivered.ID {
					if it.Kind != usagerecord.TodoMissing || it.ObjectType != "grant" || !strings.Contains(it.Title, delivered.EntryName) {
						t.Errorf("to-do %+v", it)
					}
					return true
				}
			}
			return false
		}
		for who, want := range map[string]bool{"scjg.staff": true, "scjg.head": true, "zj.reviewer": true, "audit": true, "admin": true,
			"gat.head": false, "hz.reviewer": false, "hzga.head": false} {
			m := missing(who)
			if _, ok := m[delivered.ID]; ok != want {
				t.Errorf("%s lists the delivered grant: %v, want %v", who, ok, want)
			}
			if _, ok := m[undelivered.ID]; ok {
				t.Errorf("%s lists the undelivered grant", who)
			}
		}
		m := missing("scjg.staff")[delivered.ID]
		if m.EntryName != delivered.EntryName || m.State != grant.Active || m.LastRecordedAt != nil || m.DeliveredAt.IsZero() || m.ConsumerID != delivered.ConsumerID {
			t.Errorf("missing %+v", m)
		}
		_, err := e.svc.MissingRecords(e.ctx, e.actor("ops"), "", 50)
		problemtest.Want(t, err, "auth.forbidden")
		if !todo("scjg.staff") || !todo("scjg.head") || todo("gat.head") || todo("zj.reviewer") {
			t.Error("the to-do item belongs to the consumer's office alone")
		}

		rec := e.add("scjg.staff", delivered, e.input())
		if _, ok := missing("scjg.staff")[delivered.ID]; ok || todo("scjg.staff") {
			t.Error("a grant with a fresh record is still missing records")
		}
		e.clock.Advance(usagerecord.MissingInterval - time.Minute)
		if _, ok := missing("scjg.staff")[delivered.ID]; ok {
			t.Error("missing records before the interval has passed")
		}
		e.clock.Advance(2 * time.Minute)
		m, ok := missing("scjg.staff")[delivered.ID]
		if !ok || !todo("scjg.staff") || m.LastRecordedAt == nil || !m.LastRecordedAt.Equal(rec.CreatedAt) {
			t.Fatalf("missing records again after the interval: %v %+v", ok, m)
		}

		// Terminated: still prompted (its disposal is to be recorded)
		// until the interval has passed since the end.
		g, err := e.app.Grants.Get(e.ctx, e.actor("gat.head"), delivered.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Grants.Terminate(e.ctx, e.actor("gat.head"), g.ID, grant.ChangeInput{Reasons: []string{"用途已完成"}, Evidence: "核查记录", Version: g.Version}); err != nil {
			t.Fatal(err)
		}
		if m, ok := missing("scjg.staff")[delivered.ID]; !ok || m.State != grant.Terminated {
			t.Errorf("a just-terminated grant: %v %+v", ok, m)
		}
		e.clock.Advance(usagerecord.MissingInterval + time.Hour)
		if _, ok := missing("scjg.staff")[delivered.ID]; ok {
			t.Error("a grant terminated long ago is still missing records")
		}
	})
}
