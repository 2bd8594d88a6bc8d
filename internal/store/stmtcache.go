package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"reflect"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver wrapped here
)

// The SQLite driver compiles every statement it is given afresh: without a
// cache, parsing SQL text is the largest single cost of a short read or
// write (a third of a gateway call's time). PostgreSQL needs none of this:
// pgx keeps a per-connection cache of prepared statements by itself.
//
// stmtConnector opens SQLite connections that keep their statements,
// compiled once per connection and reused by SQL text, for every caller:
// read and write transactions, the group committer's savepoints, and
// migrations alike, with no change at the call sites. A statement in use —
// its rows still open, when a caller runs the same text again before
// closing them — is never shared: that second use gets a statement of its
// own, as it would without the cache. A compiled statement that the schema
// has changed under is recompiled by SQLite itself (sqlite3_prepare_v2).

// maxCachedStmts bounds each connection's cache; queries built with a
// varying number of conditions could otherwise grow it without end.
const maxCachedStmts = 256

// stmtConnector is a driver.Connector for sql.OpenDB.
type stmtConnector struct {
	dsn    string
	driver driver.Driver
}

// newStmtConnector opens connections with the driver registered as
// "sqlite", so that whatever is registered on it applies here too.
func newStmtConnector(dsn string) *stmtConnector {
	db, _ := sql.Open("sqlite", "") // opens nothing: only finds the driver
	defer db.Close()
	return &stmtConnector{dsn: dsn, driver: db.Driver()}
}

func (c *stmtConnector) Driver() driver.Driver { return c.driver }

func (c *stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	raw, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &stmtConn{conn: raw.(sqliteConn), stmts: map[string]*cachedStmt{}}, nil
}

// sqliteConn is what the SQLite driver's connection implements.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// sqliteStmt is what the SQLite driver's statement implements.
type sqliteStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type cachedStmt struct {
	stmt sqliteStmt
	busy bool // its rows are open
}

// stmtConn is a connection with its statement cache. database/sql uses a
// connection from one goroutine at a time (rows are closed under the same
// lock), so the cache needs no lock of its own.
type stmtConn struct {
	conn  sqliteConn
	stmts map[string]*cachedStmt
}

// Unwrap lets the driver's own helpers (sqlite.Limit, …) reach the
// connection.
func (c *stmtConn) Unwrap() driver.Conn { return c.conn }

func (c *stmtConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }
func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.conn.PrepareContext(ctx, query)
}
func (c *stmtConn) Begin() (driver.Tx, error) {
	return c.conn.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.conn.BeginTx(ctx, opts)
}
func (c *stmtConn) Ping(ctx context.Context) error         { return c.conn.Ping(ctx) }
func (c *stmtConn) ResetSession(ctx context.Context) error { return c.conn.ResetSession(ctx) }
func (c *stmtConn) IsValid() bool                          { return c.conn.IsValid() }
func (c *stmtConn) Close() error                           { c.drop(); return c.conn.Close() }
func (c *stmtConn) drop() {
	for q, s := range c.stmts {
		_ = s.stmt.Close()
		delete(c.stmts, q)
	}
}

// cacheable leaves out transaction control, which is as cheap to parse as
// to look up, and whose savepoint names would crowd the cache.
func cacheable(query string) bool {
	q := strings.TrimSpace(query)
	if len(q) < 8 {
		return false
	}
	switch strings.ToUpper(q[:4]) {
	case "BEGI", "COMM", "ROLL", "SAVE", "RELE", "END ", "PRAG":
		return false
	}
	return true
}

// stmt returns the cached statement for query, compiling it on first use,
// or nil when the caller should run the query uncached: the cached one is
// in use, or the query is not worth caching.
func (c *stmtConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		return s, nil
	}
	if !cacheable(query) {
		return nil, nil
	}
	if len(c.stmts) >= maxCachedStmts {
		for q, s := range c.stmts { // evict one idle statement, any
			if !s.busy {
				_ = s.stmt.Close()
				delete(c.stmts, q)
				break
			}
		}
		if len(c.stmts) >= maxCachedStmts {
			return nil, nil
		}
	}
	ds, err := c.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(sqliteStmt)
	if !ok {
		_ = ds.Close()
		return nil, nil
	}
	s := &cachedStmt{stmt: st}
	c.stmts[query] = s
	return s, nil
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.conn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.conn.QueryContext(ctx, query, args)
	}
	r, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &stmtRows{rows: r.(sqliteRows), stmt: s}, nil
}

// sqliteRows is what the SQLite driver's rows implement.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// stmtRows frees its statement for reuse when closed (the driver resets a
// reused statement then).
type stmtRows struct {
	rows sqliteRows
	stmt *cachedStmt
}

func (r *stmtRows) Columns() []string              { return r.rows.Columns() }
func (r *stmtRows) Next(dest []driver.Value) error { return r.rows.Next(dest) }
func (r *stmtRows) Close() error {
	err := r.rows.Close()
	r.stmt.busy = false
	return err
}
func (r *stmtRows) ColumnTypeDatabaseTypeName(i int) string {
	return r.rows.ColumnTypeDatabaseTypeName(i)
}
func (r *stmtRows) ColumnTypeLength(i int) (int64, bool)  { return r.rows.ColumnTypeLength(i) }
func (r *stmtRows) ColumnTypeNullable(i int) (bool, bool) { return r.rows.ColumnTypeNullable(i) }
func (r *stmtRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	return r.rows.ColumnTypePrecisionScale(i)
}
func (r *stmtRows) ColumnTypeScanType(i int) reflect.Type { return r.rows.ColumnTypeScanType(i) }
