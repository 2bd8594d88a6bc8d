// Package store keeps the platform's state in SQLite (embedded, the default)
// or PostgreSQL (production). One schema in two dialects, migrations embedded
// and run at start; the SQL is shared and written with $N placeholders, which
// both engines accept. The few real differences (driver, connection set-up,
// migration dialect, error codes) stay inside this package.
//
// Every command runs in one transaction (Write); queries run in read
// transactions (Read), which on SQLite do not wait for the single writer.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations
var migrations embed.FS

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is an open database.
type Store struct {
	engine Engine
	write  *sql.DB         // on PostgreSQL the pool for everything
	read   *sql.DB         // on PostgreSQL the same pool as write
	group  *groupCommitter // on SQLite, the single writer (groupcommit.go)
	ckpt   *checkpointer   // on SQLite, copies the WAL back (checkpoint.go)
	ckptDB *sql.DB         // the checkpointer's own connection
	// gen is the configuration generation (generation.go).
	gen atomic.Uint64
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL,
// or a path to an SQLite file (created if missing). It does not migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s := &Store{engine: Postgres, write: db, read: db}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: connect to postgres: %w", err)
		}
		return s, nil
	}
	return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), defaultCheckpoint)
}

func openSQLite(ctx context.Context, path string, ckpt checkpointConfig) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty database path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
	}
	// WAL lets readers go on while one writer commits; synchronous=FULL makes a
	// commit durable before it is acknowledged; foreign keys are off by default
	// in SQLite and on here.
	base := "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_time_format=sqlite"
	common := base + "&_pragma=busy_timeout(10000)&_pragma=temp_store(MEMORY)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	// Connections keep their compiled statements (stmtcache.go). The write
	// connections leave checkpoints to the checkpointer (checkpoint.go).
	write := sql.OpenDB(newStmtConnector(u + "?" + common + "&_pragma=wal_autocheckpoint(0)&_txlock=immediate"))
	// One connection for the group committer, one for migrations; both kept
	// open, since each new SQLite connection re-reads the schema and loses
	// its prepared statements.
	write.SetMaxOpenConns(2)
	write.SetMaxIdleConns(2)
	read := sql.OpenDB(newStmtConnector(u + "?" + common + "&_pragma=query_only(1)"))
	// Keep every read connection the pool opens: Go's default of 2 idle ones
	// would close and reopen connections under load, each reopening paying
	// for the schema and its cached statements again. An idle connection is
	// let go after a while so a quiet node holds few file handles.
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	read.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{engine: SQLite, write: write, read: read}
	if err := write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	s.group = newGroupCommitter(write, SQLite)
	s.group.gen = &s.gen // set before any command can reach the committer
	// A TRUNCATE checkpoint holds the writer while it waits for readers:
	// it gives up soon, and is tried again later.
	ckptDB, err := sql.Open("sqlite", u+"?"+base+"&_pragma=wal_autocheckpoint(0)&_pragma=busy_timeout(200)")
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	s.ckptDB = ckptDB
	s.ckptDB.SetMaxOpenConns(1)
	s.ckptDB.SetMaxIdleConns(1)
	s.ckpt = newCheckpointer(s.ckptDB, path, ckpt)
	return s, nil
}

// Engine reports which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Close closes the database.
func (s *Store) Close() error {
	if s.ckpt != nil {
		s.ckpt.close()
	}
	if s.group != nil {
		s.group.close()
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if s.ckptDB != nil {
		err = errors.Join(err, s.ckptDB.Close())
	}
	return err
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

func (s *Store) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(s.engine))
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
		// Several nodes may start at once against one database: only one migrates.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, s.write, sub, opts...)
}

// Migrate applies every pending migration and returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	p, err := s.provider()
	if err != nil {
		return 0, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("store: migrate: %w", err)
	}
	return len(res), nil
}

// Pending reports whether migrations remain to be applied (for /readyz).
func (s *Store) Pending(ctx context.Context) (bool, error) {
	p, err := s.provider()
	if err != nil {
		return false, err
	}
	return p.HasPending(ctx)
}

// Write runs fn in a read-write transaction, retrying a few times when the
// engine reports a serialization failure or a busy database, so concurrent
// commands neither fail spuriously nor lose an update.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	if s.group != nil {
		var err error
		for attempt := 0; attempt < 5; attempt++ {
			if err = s.group.do(ctx, fn); !s.retryable(err) {
				return err
			}
		}
		return err
	}
	return s.run(ctx, s.write, nil, fn)
}

// Read runs fn in a read-only transaction.
func (s *Store) Read(ctx context.Context, fn func(*Tx) error) error {
	return s.run(ctx, s.read, &sql.TxOptions{ReadOnly: s.engine == Postgres}, fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
			}
		}
		err = s.once(ctx, db, opts, fn)
		if !s.retryable(err) {
			return err
		}
	}
	return err
}

func (s *Store) once(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*Tx) error) (err error) {
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	tx := &Tx{tx: sqlTx, engine: s.engine}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	err = sqlTx.Commit()
	if tx.touched {
		// After the commit (generation.go); even after a failed one, whose
		// outcome a lost connection can leave unknown: a needless bump
		// costs a few reads, a missing one a stale cache.
		s.gen.Add(1)
	}
	if err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func (s *Store) retryable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// Tx is one transaction. Its methods implement the Tx interfaces of the
// domain packages (org.Tx, auth.Tx, …).
type Tx struct {
	tx     dbtx
	engine Engine
	// events, inside a group-commit batch on SQLite, takes the events the
	// command appends (eventbuffer.go).
	events *eventBuffer
	// touched marks a transaction that wrote configuration the gateway path
	// caches (generation.go).
	touched bool
}

// Adapt turns a Store's Write or Read into the transaction runner a domain
// service takes, for a domain Tx interface T that *Tx implements.
func Adapt[T any](run func(context.Context, func(*Tx) error) error) func(context.Context, func(T) error) error {
	return func(ctx context.Context, fn func(T) error) error {
		return run(ctx, func(tx *Tx) error { return fn(any(tx).(T)) })
	}
}

// OpenScratch opens a migrated store in a new schema of the PostgreSQL server
// at dsn, for benchmarks; cleanup closes it and drops the schema.
func OpenScratch(ctx context.Context, dsn, prefix string) (*Store, func(), error) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, nil, err
	}
	schema := fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("store: create scratch schema: %w", err)
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	s, err := Open(ctx, dsn+sep+"search_path="+schema)
	cleanup := func() {
		if s != nil {
			s.Close()
		}
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return s, cleanup, nil
}
