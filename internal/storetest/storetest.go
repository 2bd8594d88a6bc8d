// Package storetest opens real databases for tests: a fresh SQLite file
// always, and a fresh schema on the PostgreSQL server named by
// GOVSHARE_TEST_POSTGRES when it is set. Each test gets its own database or
// schema and drops it afterwards, so runs never see each other's rows.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/govshare/govshare/internal/store"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "GOVSHARE_TEST_POSTGRES"

// Each runs fn once per engine, as subtests named "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated store on a new SQLite file.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return openMigrated(t, filepath.Join(t.TempDir(), "govshare.db"))
}

// PostgresDSN returns the DSN of the test server, skipping the test when none
// is configured (and failing it under CI, where one must be).
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set under CI: .ci/run must start PostgreSQL", EnvPostgres)
		}
		t.Skipf("%s not set; PostgreSQL half of the suite skipped", EnvPostgres)
	}
	return dsn
}

// PostgresSchemaDSN creates an empty schema on the test server, dropped when
// the test ends, and returns a DSN whose search_path is that schema.
func PostgresSchemaDSN(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "gs_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	return WithSearchPath(dsn, schema)
}

// Postgres returns a migrated store in a new schema of the test server.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	return openMigrated(t, PostgresSchemaDSN(t))
}

// WithSearchPath adds a search_path to a postgres:// URL.
func WithSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

// Direct is a plain connection to a test store's database, past the
// platform: tests use it to do what an intruder with database access could
// (edit, delete, insert rows) and check that the platform notices.
type Direct struct {
	DB *sql.DB
	// Path is the SQLite file ("" on PostgreSQL); DSN the PostgreSQL
	// connection string with its search_path ("" on SQLite).
	Path, DSN string
	Engine    store.Engine
}

// EachDirect is Each with a direct connection to the same database.
func EachDirect(t *testing.T, fn func(t *testing.T, s *store.Store, d Direct)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "govshare.db")
		s := openMigrated(t, path)
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_time_format=sqlite")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, s, Direct{DB: db, Path: path, Engine: store.SQLite})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := PostgresSchemaDSN(t)
		s := openMigrated(t, dsn)
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, s, Direct{DB: db, DSN: dsn, Engine: store.Postgres})
	})
}

func openMigrated(t testing.TB, where string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, where)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// EachTwoNodes runs fn on each engine with two stores open on one database,
// as two nodes sharing it have: neither sees the other's in-process state
// (caches, generations).
func EachTwoNodes(t *testing.T, fn func(t *testing.T, s, other *store.Store)) {
	t.Helper()
	run := func(t *testing.T, where string) {
		s := openMigrated(t, where)
		other, err := store.Open(context.Background(), where)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		fn(t, s, other)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "govshare.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, PostgresSchemaDSN(t)) })
}
