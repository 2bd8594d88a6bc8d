package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// query builds a statement with optional conditions, numbering placeholders.
type query struct {
	sb   strings.Builder
	args []any
}

func newQuery(base string) *query {
	q := &query{}
	q.sb.WriteString(base)
	return q
}

// arg adds an argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// where appends " AND cond", with each '?' in cond taking the next of args.
func (q *query) where(cond string, args ...any) {
	q.sb.WriteString(" AND ")
	for _, part := range strings.SplitAfter(cond, "?") {
		if strings.HasSuffix(part, "?") && len(args) > 0 {
			q.sb.WriteString(strings.TrimSuffix(part, "?"))
			q.sb.WriteString(q.arg(args[0]))
			args = args[1:]
			continue
		}
		q.sb.WriteString(part)
	}
}

func (q *query) tail(s string) { q.sb.WriteString(s) }

func (q *query) String() string { return q.sb.String() }

func limitOf(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

// timeValue scans a timestamp from either engine: PostgreSQL gives
// time.Time, SQLite gives time.Time for TIMESTAMP columns or text elsewhere.
type timeValue struct{ t *time.Time }

func (v timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		return nil
	case time.Time:
		*v.t = x.UTC()
		return nil
	case string:
		return v.parse(x)
	case []byte:
		return v.parse(string(x))
	}
	return fmt.Errorf("store: cannot scan %T as time", src)
}

func (v timeValue) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			*v.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("store: cannot parse time %q", s)
}

// nullTime scans a nullable timestamp into a *time.Time.
type nullTime struct{ t **time.Time }

func (v nullTime) Scan(src any) error {
	if src == nil {
		*v.t = nil
		return nil
	}
	var t time.Time
	if err := (timeValue{&t}).Scan(src); err != nil {
		return err
	}
	*v.t = &t
	return nil
}

// nullable turns "" into NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// uniqueViolation reports whether err is a unique-constraint violation, and
// its message (PostgreSQL: constraint name; SQLite: the columns).
func uniqueViolation(err error) (string, bool) {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" {
		return pg.ConstraintName, true
	}
	var se *sqlite.Error
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return se.Error(), true
	}
	return "", false
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, q, args...)
}

// execOne runs an UPDATE that must touch exactly one row; zero rows means the
// optimistic version check failed.
func (t *Tx) execOne(ctx context.Context, q string, args ...any) (bool, error) {
	res, err := t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}
