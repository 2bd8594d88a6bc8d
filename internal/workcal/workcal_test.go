package workcal_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/app"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
	"github.com/govshare/govshare/internal/workcal"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var shanghai = time.FixedZone("CST", 8*3600)

var (
	admin      = access.Actor{PersonID: "p-admin", Roles: []access.Role{access.PlatformAdmin}}
	contractor = access.Actor{PersonID: "p-ops", Roles: []access.Role{access.Contractor}}
	operator   = access.Operator("root")
	staff      = access.Actor{PersonID: "p-staff", DepartmentID: "d", DivisionCode: "330106", Roles: []access.Role{access.OfficeStaff}}
	head       = access.Actor{PersonID: "p-head", DepartmentID: "d", DivisionCode: "330106", Roles: []access.Role{access.OfficeHead}}
	reviewer   = access.Actor{PersonID: "p-rev", DepartmentID: "a", DivisionCode: "330000", Roles: []access.Role{access.AuthorityReviewer}}
)

func fixture2027(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../calendar/testdata/2027-fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func storedYears(t *testing.T, s *store.Store) []int {
	t.Helper()
	var out []int
	err := s.Read(context.Background(), func(tx *store.Tx) error {
		ys, err := tx.CalendarYears(context.Background())
		for _, y := range ys {
			out = append(out, y.Year)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func eventCount(t *testing.T, s *store.Store) int64 {
	t.Helper()
	var n int64
	if err := s.Read(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.EventCount(context.Background()); return err }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportAuthorisation(t *testing.T) {
	for _, c := range []struct {
		name string
		a    access.Actor
		ok   bool
	}{
		{"admin", admin, true}, {"contractor", contractor, true}, {"operator", operator, true},
		{"office staff", staff, false}, {"office head", head, false}, {"reviewer", reviewer, false}, {"system", access.System, false},
	} {
		if got := workcal.CanImport(c.a); got != c.ok {
			t.Errorf("%s: CanImport = %v, want %v", c.name, got, c.ok)
		}
	}
}

func TestWorkcal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &testClock{t: time.Date(2026, 10, 31, 23, 59, 0, 0, shanghai)}
		node1 := app.New(s, clock.Now, auth.DefaultPolicy)
		node2 := app.New(s, clock.Now, auth.DefaultPolicy) // another node over the same database
		body := fixture2027(t)
		receipt := date("2026-12-25")

		t.Run("before import", func(t *testing.T) {
			for _, n := range []*app.App{node1, node2} {
				_, err := n.Calendar.Due(ctx, receipt, 10)
				var p *problem.Error
				if !errors.As(err, &p) || p.Code != "calendar.year_unknown" || p.Kind != problem.Invalid {
					t.Fatalf("Due across the year end without 2027: %v", err)
				}
			}
			d, err := node1.Calendar.Due(ctx, date("2026-09-28"), 10)
			if err != nil || d.Due != date("2026-10-16") {
				t.Fatalf("Due within 2026 = %+v, %v", d.Due, err)
			}
			_, err = node1.Calendar.Due(ctx, date("2030-01-02"), 1)
			if problem.CodeOf(err) != "calendar.year_unknown" {
				t.Fatalf("Due in 2030: %v", err)
			}
		})

		t.Run("status warns from 1 November", func(t *testing.T) {
			st, err := node1.Calendar.Status(ctx)
			if err != nil || len(st.Warnings) != 0 || st.Today != "2026-10-31" {
				t.Fatalf("on 31 October: %+v, %v", st, err)
			}
			clock.Set(time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai)) // 2026-10-31 16:00 UTC
			st, err = node1.Calendar.Status(ctx)
			if err != nil || st.Today != "2026-11-01" || len(st.Warnings) != 1 || !strings.Contains(st.Warnings[0], "2027") {
				t.Fatalf("on 1 November: %+v, %v", st, err)
			}
		})

		t.Run("refused imports store nothing", func(t *testing.T) {
			invalidNotice := strings.Replace(string(body), `"notice": "TEST FIXTURE ONLY - invented schedule, NOT the official 2027 notice; do not import"`, `"notice": "  "`, 1)
			outOfYear := strings.Replace(string(body), `"to": "2027-10-07"`, `"to": "2028-10-07"`, 1)
			cases := []struct {
				name, body string
				a          access.Actor
				replace    bool
				code       string
				field      string
			}{
				{"office staff", string(body), staff, false, "auth.forbidden", ""},
				{"reviewer", string(body), reviewer, false, "auth.forbidden", ""},
				{"empty notice", invalidNotice, admin, false, "calendar.invalid", "notice"},
				{"holiday outside the year", outOfYear, admin, false, "calendar.invalid", "holidays[6].to"},
				{"not JSON", "{", admin, false, "calendar.malformed", ""},
				{"unknown field", strings.Replace(string(body), `"year"`, `"yaer"`, 1), admin, false, "calendar.malformed", ""},
				{"2026 again", strings.ReplaceAll(string(mustRead(t, "../calendar/data/2026.json")), "\r", ""), admin, false, "calendar.year_exists", "year"},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					before := eventCount(t, s)
					_, err := node1.Calendar.Import(ctx, c.a, []byte(c.body), c.replace)
					var p *problem.Error
					if !errors.As(err, &p) || p.Code != c.code || p.Field != c.field {
						t.Fatalf("err = %v (field %q), want %s (field %q)", err, fieldOf(err), c.code, c.field)
					}
					if ys := storedYears(t, s); len(ys) != 0 {
						t.Fatalf("stored years %v after a refused import", ys)
					}
					if eventCount(t, s) != before {
						t.Fatal("an event was appended for a refused import")
					}
				})
			}
		})

		t.Run("import 2027 on one node, deadlines cross the year on both", func(t *testing.T) {
			// node2 has the calendar cached without 2027.
			if _, err := node2.Calendar.Current(ctx); err != nil {
				t.Fatal(err)
			}
			before := eventCount(t, s)
			y, err := node1.Calendar.Import(ctx, contractor, body, false)
			if err != nil {
				t.Fatal(err)
			}
			if y.Year != 2027 {
				t.Fatalf("imported %d", y.Year)
			}
			if ys := storedYears(t, s); len(ys) != 1 || ys[0] != 2027 {
				t.Fatalf("stored %v", ys)
			}
			evs, err := node1.Ledger.Events(ctx, admin, ledger.Filter{After: before, Limit: 10})
			if err != nil || len(evs) != 1 {
				t.Fatalf("events after import: %+v, %v", evs, err)
			}
			dg, _ := ledger.Digest(y)
			if e := evs[0]; e.Action != "calendar.import" || e.ObjectID != "2027" || e.ActorID != contractor.PersonID || e.Digest != dg {
				t.Fatalf("event %+v", e)
			}
			for i, n := range []*app.App{node1, node2, app.New(s, clock.Now, auth.DefaultPolicy)} {
				d, err := n.Calendar.Due(ctx, receipt, 10)
				// 12-28..31 are four, 1-3 January are off, 4-8 and 11 January make ten.
				if err != nil || d.Due != date("2027-01-11") {
					t.Fatalf("node %d: Due = %v, %v; want 2027-01-11", i+1, d.Due, err)
				}
			}
			st, err := node2.Calendar.Status(ctx)
			if err != nil || len(st.Warnings) != 0 {
				t.Fatalf("status after import: %+v, %v", st, err)
			}
			found := false
			for _, yi := range st.Years {
				if yi.Year == 2027 {
					found = yi.Source == "imported" && yi.WorkingDays == 249
				}
			}
			if !found {
				t.Fatalf("status years %+v lack imported 2027", st.Years)
			}
			_, err = node2.Calendar.Import(ctx, admin, body, false)
			if problem.CodeOf(err) != "calendar.year_exists" {
				t.Fatalf("importing 2027 twice: %v", err)
			}
		})

		t.Run("a replacement reaches every node", func(t *testing.T) {
			// The clock does not move: two imports in the same instant (or
			// nodes whose clocks differ) must still be told apart.
			changed := strings.Replace(string(body), `{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}`,
				`{"name": "元旦", "from": "2027-01-01", "to": "2027-01-04"}`, 1)
			changed = strings.Replace(changed, `"working_days": 249`, `"working_days": 248`, 1)
			if changed == string(body) {
				t.Fatal("fixture changed shape")
			}
			if _, err := node2.Calendar.Due(ctx, receipt, 10); err != nil { // cache the old 2027 on node2
				t.Fatal(err)
			}
			if _, err := node1.Calendar.Import(ctx, admin, []byte(changed), true); err != nil {
				t.Fatal(err)
			}
			for i, n := range []*app.App{node1, node2} {
				d, err := n.Calendar.Due(ctx, receipt, 10)
				if err != nil || d.Due != date("2027-01-12") {
					t.Fatalf("node %d after replacement: Due = %v, %v; want 2027-01-12", i+1, d.Due, err)
				}
			}
		})

		t.Run("replacing a built-in year", func(t *testing.T) {
			b := mustRead(t, "../calendar/data/2026.json")
			if _, err := node1.Calendar.Import(ctx, operator, b, true); err != nil {
				t.Fatal(err)
			}
			if ys := storedYears(t, s); len(ys) != 2 {
				t.Fatalf("stored %v", ys)
			}
		})
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fieldOf(err error) string {
	var p *problem.Error
	if errors.As(err, &p) {
		return p.Field
	}
	return ""
}

func TestConcurrentImportsOfOneYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		clock := &testClock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, shanghai)}
		body := fixture2027(t)
		const n = 6
		var wg sync.WaitGroup
		codes := make(chan string, n)
		for range n {
			node := app.New(s, clock.Now, auth.DefaultPolicy) // one node each
			if _, err := node.Calendar.Current(ctx); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() {
				_, err := node.Calendar.Import(ctx, admin, body, false)
				codes <- problem.CodeOf(err)
			})
		}
		wg.Wait()
		close(codes)
		got := map[string]int{}
		for c := range codes {
			got[c]++
		}
		// Without replace, exactly one import may win; the others must be
		// told the year exists rather than silently replace it.
		if got[""] != 1 || got["calendar.year_exists"] != n-1 {
			t.Fatalf("outcomes %v, want 1 success and %d calendar.year_exists", got, n-1)
		}
		evs, err := app.New(s, clock.Now, auth.DefaultPolicy).Ledger.Events(ctx, admin, ledger.Filter{Action: "calendar.import"})
		if err != nil || len(evs) != 1 {
			t.Fatalf("%d calendar.import events, want 1 (%v)", len(evs), err)
		}
	})
}
