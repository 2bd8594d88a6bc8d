package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// schema parses CREATE TABLE statements into table -> column definitions
// (name and type, lower-cased), and also returns the index statements.
func schema(t *testing.T, path string) (map[string][]string, []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if i := strings.Index(text, "-- +goose Down"); i >= 0 {
		text = text[:i]
	}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		lines = append(lines, l)
	}
	text = strings.Join(lines, "\n")
	tables := map[string][]string{}
	var other []string
	for _, stmt := range strings.Split(text, ";") {
		stmt = strings.Join(strings.Fields(stmt), " ")
		if stmt == "" {
			continue
		}
		m := regexp.MustCompile(`(?is)^CREATE TABLE (\w+) \((.*)\)$`).FindStringSubmatch(stmt)
		if m == nil {
			other = append(other, stmt)
			continue
		}
		var cols []string
		depth, start := 0, 0
		body := m[2]
		var parts []string
		for i, r := range body {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				if depth == 0 {
					parts = append(parts, body[start:i])
					start = i + 1
				}
			}
		}
		parts = append(parts, body[start:])
		for _, p := range parts {
			f := strings.Fields(strings.TrimSpace(p))
			switch strings.ToUpper(f[0]) {
			case "UNIQUE", "PRIMARY", "CHECK", "FOREIGN", "CONSTRAINT":
				cols = append(cols, strings.ToLower(strings.Join(f, " ")))
				continue
			}
			cols = append(cols, strings.ToLower(strings.Join(f, " ")))
		}
		tables[strings.ToLower(m[1])] = cols
	}
	return tables, other
}

func TestMigrationsMatch(t *testing.T) {
	pg, pgOther := schema(t, "migrations/postgres/00001_platform.sql")
	lite, liteOther := schema(t, "migrations/sqlite/00001_platform.sql")
	if len(pg) < 9 {
		t.Fatalf("parsed only %d postgres tables: %v", len(pg), pg)
	}
	for _, name := range []string{"divisions", "departments", "people", "person_roles", "sessions", "api_tokens", "calendar_years", "event_head", "events"} {
		if _, ok := pg[name]; !ok {
			t.Errorf("postgres schema lacks table %s", name)
		}
	}
	names := func(m map[string][]string) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(names(pg), names(lite)) {
		t.Fatalf("tables differ: postgres %v, sqlite %v", names(pg), names(lite))
	}
	for table, cols := range pg {
		want := make([]string, len(cols))
		for i, c := range cols {
			want[i] = strings.ReplaceAll(c, "timestamptz", "timestamp")
		}
		if !slices.Equal(want, lite[table]) {
			t.Errorf("table %s differs:\npostgres %q\nsqlite   %q", table, want, lite[table])
		}
	}
	if !slices.Equal(pgOther, liteOther) {
		t.Errorf("indexes and inserts differ:\npostgres %q\nsqlite   %q", pgOther, liteOther)
	}
}

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		n, err := s.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0", n, err)
		}
		pending, err := s.Pending(ctx)
		if err != nil || pending {
			t.Fatalf("Pending = %v, %v after migrating", pending, err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestFreshSQLiteIsPending(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "a", "b", "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Engine() != store.SQLite {
		t.Fatalf("engine %s", s.Engine())
	}
	if p, err := s.Pending(ctx); err != nil || !p {
		t.Fatalf("fresh database Pending = %v, %v", p, err)
	}
	n, err := s.Migrate(ctx)
	if err != nil || n < 1 {
		t.Fatalf("first Migrate = %d, %v", n, err)
	}
	if n2, err := s.Migrate(ctx); err != nil || n2 != 0 {
		t.Fatalf("second Migrate = %d, %v", n2, err)
	}
	if p, err := s.Pending(ctx); err != nil || p {
		t.Fatalf("migrated database Pending = %v, %v", p, err)
	}
}

func event(i int) ledger.Event {
	return ledger.Event{At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), ActorID: fmt.Sprintf("p%d", i), Action: "test.act",
		ObjectType: "test", ObjectID: fmt.Sprint(i), Digest: "sm3:00"}
}

func allEvents(t *testing.T, s *store.Store) []ledger.Event {
	t.Helper()
	var out []ledger.Event
	err := s.Read(context.Background(), func(tx *store.Tx) (err error) {
		out, err = tx.ListEvents(context.Background(), ledger.Filter{Limit: 500})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestConcurrentAppendEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 40
		var wg sync.WaitGroup
		seqs := make(chan int64, n)
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				err := s.Write(ctx, func(tx *store.Tx) error {
					seq, err := tx.AppendEvent(ctx, event(i))
					seqs <- seq
					return err
				})
				if err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		close(seqs)
		for err := range errs {
			t.Fatal(err)
		}
		evs := allEvents(t, s)
		if len(evs) != n {
			t.Fatalf("%d events stored, want %d", len(evs), n)
		}
		objects := map[string]bool{}
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d: gap or duplicate", i, e.Seq)
			}
			objects[e.ObjectID] = true
		}
		if len(objects) != n {
			t.Fatalf("%d distinct events, want %d", len(objects), n)
		}
		var count int64
		_ = s.Read(ctx, func(tx *store.Tx) (err error) { count, err = tx.EventCount(ctx); return err })
		if count != n {
			t.Fatalf("EventCount = %d, want %d", count, n)
		}
	})
}

func TestWriteRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.Write(ctx, func(tx *store.Tx) error {
			if err := tx.InsertDivision(ctx, org.Division{Code: org.NationalCode, Name: "全国", Level: org.National, CreatedAt: time.Now()}); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(ctx, event(1)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write returned %v, want the fn's error", err)
		}
		err = s.Read(ctx, func(tx *store.Tx) error {
			d, err := tx.Division(ctx, org.NationalCode)
			if err != nil || d != nil {
				return fmt.Errorf("division after rollback: %v %v", d, err)
			}
			n, err := tx.EventCount(ctx)
			if err != nil || n != 0 {
				return fmt.Errorf("event count after rollback: %d %v", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if evs := allEvents(t, s); len(evs) != 0 {
			t.Fatalf("events after rollback: %+v", evs)
		}
		// The next event still gets number 1: the rolled-back one left no gap.
		if err := s.Write(ctx, func(tx *store.Tx) error {
			seq, err := tx.AppendEvent(ctx, event(2))
			if err == nil && seq != 1 {
				err = fmt.Errorf("seq %d after a rollback, want 1", seq)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// A panic rolls back too.
		func() {
			defer func() { _ = recover() }()
			_ = s.Write(ctx, func(tx *store.Tx) error {
				_, _ = tx.AppendEvent(ctx, event(3))
				panic("in fn")
			})
		}()
		if evs := allEvents(t, s); len(evs) != 1 {
			t.Fatalf("%d events after a panicking Write, want 1", len(evs))
		}
	})
}

func TestReadIsReadOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		err := s.Read(ctx, func(tx *store.Tx) error {
			_, err := tx.AppendEvent(ctx, event(1))
			return err
		})
		if err == nil {
			t.Fatal("a read transaction accepted a write")
		}
		if evs := allEvents(t, s); len(evs) != 0 {
			t.Fatalf("events after a refused read-only write: %+v", evs)
		}
	})
}

func TestSQLiteSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "govshare.db")
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 3, 4, 5, 6, 789000000, time.UTC)
	err = s.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertDivision(ctx, org.Division{Code: org.NationalCode, Name: "全国", Level: org.National, CreatedAt: at}); err != nil {
			return err
		}
		if err := tx.InsertDepartment(ctx, org.Department{ID: "d1", Name: "国家数据局", DivisionCode: org.NationalCode, Kind: org.KindAuthority,
			OfficeName: "数据资源司", Version: 1, CreatedAt: at, UpdatedAt: at}); err != nil {
			return err
		}
		if err := tx.InsertPerson(ctx, org.Person{ID: "p1", Username: "alice", DisplayName: "爱丽丝", DepartmentID: "d1",
			Roles: []access.Role{access.AuthorityReviewer, access.Auditor}, Version: 1, CreatedAt: at, UpdatedAt: at}, "$argon2id$x"); err != nil {
			return err
		}
		_, err := tx.AppendEvent(ctx, event(1))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, err := s2.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("Migrate after reopen = %d, %v", n, err)
	}
	err = s2.Read(ctx, func(tx *store.Tx) error {
		d, err := tx.Division(ctx, org.NationalCode)
		if err != nil || d == nil || d.Name != "全国" || !d.CreatedAt.Equal(at) {
			return fmt.Errorf("division after reopen: %+v %v", d, err)
		}
		dep, err := tx.Department(ctx, "d1")
		if err != nil || dep == nil || dep.OfficeName != "数据资源司" || dep.Kind != org.KindAuthority {
			return fmt.Errorf("department after reopen: %+v %v", dep, err)
		}
		p, err := tx.Person(ctx, "p1")
		if err != nil || p == nil || p.DisplayName != "爱丽丝" || !slices.Equal(p.Roles, []access.Role{access.Auditor, access.AuthorityReviewer}) {
			return fmt.Errorf("person after reopen: %+v %v", p, err)
		}
		a, err := tx.Actor(ctx, "p1")
		if err != nil || a == nil || a.DivisionCode != org.NationalCode || a.DepartmentID != "d1" {
			return fmt.Errorf("actor after reopen: %+v %v", a, err)
		}
		n, err := tx.EventCount(ctx)
		if err != nil || n != 1 {
			return fmt.Errorf("events after reopen: %d %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenRejectsEmptyPath(t *testing.T) {
	if _, err := store.Open(context.Background(), ""); err == nil {
		t.Fatal("Open(\"\") succeeded")
	}
}
