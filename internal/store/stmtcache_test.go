package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

const threeRows = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) SELECT i FROM n`

func readConn(t *testing.T) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := s.read.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func cached(t *testing.T, c *sql.Conn) map[string]*cachedStmt {
	t.Helper()
	var m map[string]*cachedStmt
	if err := c.Raw(func(dc any) error { m = dc.(*stmtConn).stmts; return nil }); err != nil {
		t.Fatal(err)
	}
	return m
}

func ints(t *testing.T, rs *sql.Rows) []int {
	t.Helper()
	var out []int
	for rs.Next() {
		var i int
		if err := rs.Scan(&i); err != nil {
			t.Fatal(err)
		}
		out = append(out, i)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A connection compiles a statement once and runs it again from its cache.
func TestStmtCacheReuses(t *testing.T) {
	ctx := context.Background()
	c := readConn(t)
	var first *cachedStmt
	for i := 1; i <= 3; i++ {
		var n int
		if err := c.QueryRowContext(ctx, threeRows+" ORDER BY i DESC LIMIT 1", i).Scan(&n); err != nil || n != i {
			t.Fatalf("run %d: %d, %v", i, n, err)
		}
		m := cached(t, c)
		if len(m) != 1 {
			t.Fatalf("run %d: %d statements cached, want 1", i, len(m))
		}
		for _, s := range m {
			if first == nil {
				first = s
			} else if s != first {
				t.Fatalf("run %d: statement compiled again", i)
			}
			if s.busy {
				t.Fatalf("run %d: statement still marked in use after its row was read", i)
			}
		}
	}
	// Transaction control is not cached.
	if _, err := c.ExecContext(ctx, "SAVEPOINT cmd0"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecContext(ctx, "RELEASE cmd0"); err != nil {
		t.Fatal(err)
	}
	if m := cached(t, c); len(m) != 1 {
		t.Fatalf("%d statements cached after SAVEPOINT and RELEASE, want 1", len(m))
	}
}

// Running a query again while its rows are still open gives the second run a
// statement of its own: both read all their rows.
func TestStmtCacheNestedUse(t *testing.T) {
	ctx := context.Background()
	c := readConn(t)
	outer, err := c.QueryContext(ctx, threeRows, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]int
	for len(got) < 10 && outer.Next() { // a shared statement would restart the outer run forever
		var i int
		if err := outer.Scan(&i); err != nil {
			t.Fatal(err)
		}
		inner, err := c.QueryContext(ctx, threeRows, i)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ints(t, inner))
		inner.Close()
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	if len(got) != 3 || len(got[0]) != 1 || len(got[1]) != 2 || len(got[2]) != 3 || got[2][2] != 3 {
		t.Fatalf("nested runs read %v, want [[1] [1 2] [1 2 3]]", got)
	}
	for _, s := range cached(t, c) {
		if s.busy {
			t.Fatal("statement still marked in use after its rows were closed")
		}
	}
}
