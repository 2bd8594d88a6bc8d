package exchange_test

import (
	"testing"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// TestPullResumes: a consumer pulls part of a snapshot, the transfer
// breaks, the provider inserts, updates and deletes rows on both sides of
// where it broke, and the consumer resumes from its last cursor. Its copy
// then equals the provider's data, granted items only; the snapshot named no
// row twice; every page's checksum held; every pull was recorded; the first
// pull closed the provider's delivery obligation.
func TestPullResumes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		var rows []dataset.Row
		for n := range 250 {
			rows = append(rows, company(n, 0))
		}
		e.replace("scjg.staff", companies, rows)
		c := e.caller("浙江省公安厅")
		pull := func(cursor string) body {
			t.Helper()
			p, err := e.app.Exchange.Pull(e.ctx, c, exchange.PullRequest{GrantID: g.ID, Purpose: scenario, Cursor: cursor, Limit: 40})
			if err != nil {
				t.Fatal(err)
			}
			return decode(t, p)
		}
		rep := newReplica("统一社会信用代码", "企业名称")
		seen := map[string]bool{}
		pulls := 0
		cursor := ""
		for range 3 {
			b := pull(cursor)
			pulls++
			if b.Phase != "snapshot" || b.Count != 40 || !b.More {
				t.Fatalf("page %d: phase %s, %d rows, more %v", pulls, b.Phase, b.Count, b.More)
			}
			for _, r := range rep.apply(t, b) {
				if len(r.Row) != len(granted) {
					t.Fatalf("row carries %d items, want the %d granted: %v", len(r.Row), len(granted), r.Row)
				}
				if _, ok := r.Row["注册资本"]; ok {
					t.Fatal("a row carries 注册资本, which is not granted")
				}
				k := rep.keyOf(r.Row)
				if seen[k] {
					t.Fatalf("the snapshot named %s twice", k)
				}
				seen[k] = true
			}
			cursor = b.NextCursor
		}
		if application := e.application(g.ApplicationID); application.Delivered == nil || application.Delivered.Method != "batch_exchange" {
			t.Fatalf("after the first pull the application's delivery is %+v", application.Delivered)
		}

		// The transfer breaks here. The provider changes rows already
		// delivered (0–119) and rows not yet delivered, deletes on both
		// sides and inserts new ones.
		var changed []dataset.Row
		for _, n := range []int{3, 50, 119, 120, 200, 249} {
			changed = append(changed, company(n, 1))
		}
		for n := 250; n < 270; n++ {
			changed = append(changed, company(n, 0))
		}
		e.load("scjg.staff", companies, changed)
		e.remove("scjg.staff", companies, []dataset.Row{companyKey(7), companyKey(130), companyKey(260)})

		// Resume from the last cursor received.
		snapshot, changes := 0, 0
		for more := true; more; {
			b := pull(cursor)
			pulls++
			for _, r := range rep.apply(t, b) {
				if b.Phase == "snapshot" {
					k := rep.keyOf(r.Row)
					if seen[k] {
						t.Fatalf("the snapshot named %s twice", k)
					}
					seen[k] = true
					snapshot++
				} else {
					changes++
				}
			}
			cursor, more = b.NextCursor, b.More
		}
		// 130 rows were left at the pin; 3 of them changed and one was
		// deleted after it, so they come through the changes instead.
		if snapshot != 130-4 {
			t.Errorf("resumed snapshot gave %d rows, want 126", snapshot)
		}
		if changes != 6+20+3 {
			t.Errorf("changes gave %d records, want 29", changes)
		}
		same(t, "after resume", rep.rows, e.provider(companies, granted, rep.keys, nil))

		// At the live end an empty page keeps the cursor's place; a later
		// change comes through it.
		b := pull(cursor)
		pulls++
		if b.Count != 0 || b.More || b.Phase != "changes" {
			t.Fatalf("at the live end: %d rows, more %v, phase %s", b.Count, b.More, b.Phase)
		}
		e.load("scjg.staff", companies, []dataset.Row{company(1, 2)})
		b = pull(b.NextCursor)
		pulls++
		if recs := rep.apply(t, b); len(recs) != 1 || recs[0].Op != "upsert" {
			t.Fatalf("after one change: %+v", recs)
		}
		same(t, "after the last change", rep.rows, e.provider(companies, granted, rep.keys, nil))

		// A page pulled again from the same cursor is the same page.
		p1 := pull(cursor)
		p2 := pull(cursor)
		pulls += 2
		if p1.Checksum != p2.Checksum || p1.NextCursor != p2.NextCursor || p1.Count != 1 {
			t.Errorf("the same cursor gave different pages: %+v / %+v", p1, p2)
		}

		if n := len(e.events(exchange.ActionPull, g.ID)); n != pulls {
			t.Errorf("%d %s events, want one per pull (%d)", n, exchange.ActionPull, pulls)
		}
		log := e.deliveries(g.ID)
		if len(log) != pulls {
			t.Fatalf("%d deliveries logged, want %d", len(log), pulls)
		}
		total := 0
		for _, d := range log {
			if d.Outcome != "ok" || d.SystemID != c.SystemID || d.DepartmentID != c.DepartmentID || d.Purpose != scenario || len(d.Items) != len(granted) {
				t.Errorf("delivery %+v", d)
			}
			total += d.Rows
		}
		if total < 250 {
			t.Errorf("the log counts %d rows delivered", total)
		}
	})
}

func (e *env) application(id string) application.Application {
	e.t.Helper()
	a, err := e.app.Applications.Get(e.ctx, e.as("scjg.head"), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}
