package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// scoped starts a listing of table's rows that s allows. A row is in a
// region when any of divisionCols lies in it, and a department's when any
// of departmentCols names it; the caller adds its filters with where. ok is
// false for an empty scope: nothing may be listed.
func scoped(cols, table string, s access.Scope, divisionCols, departmentCols []string) (q *query, ok bool) {
	switch {
	case s.All:
		return newQuery("SELECT " + cols + " FROM " + table + " WHERE 1=1"), true
	case s.Region != "":
		q = newQuery(regionCTE)
		q.args = append(q.args, s.Region)
		in := make([]string, len(divisionCols))
		for i, c := range divisionCols {
			in[i] = c + " IN (SELECT code FROM region)"
		}
		q.tail("SELECT " + cols + " FROM " + table + " WHERE (" + strings.Join(in, " OR ") + ")")
		return q, true
	case s.DepartmentID != "":
		q = newQuery("SELECT " + cols + " FROM " + table + " WHERE 1=1")
		eq := make([]string, len(departmentCols))
		args := make([]any, len(departmentCols))
		for i, c := range departmentCols {
			eq[i], args[i] = c+" = ?", s.DepartmentID
		}
		q.where("("+strings.Join(eq, " OR ")+")", args...)
		return q, true
	}
	return nil, false
}

// updateBody saves a JSON-bodied row (state, version, updated_at, body)
// under the optimistic version check: the stored version must still be
// version-1, else the update is a version conflict. what names the row in
// errors.
func (t *Tx) updateBody(ctx context.Context, table, what, id, state string, version int64, updatedAt time.Time, body string) error {
	ok, err := t.execOne(ctx, "UPDATE "+table+" SET state = $1, version = $2, updated_at = $3, body = $4 WHERE id = $5 AND version = $6",
		state, version, updatedAt.UTC(), body, id, version-1)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}
