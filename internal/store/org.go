package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

const divisionCols = "code, name, level, COALESCE(parent_code, ''), created_at"

func scanDivision(row interface{ Scan(...any) error }) (org.Division, error) {
	var d org.Division
	var level string
	err := row.Scan(&d.Code, &d.Name, &level, &d.ParentCode, timeValue{&d.CreatedAt})
	d.Level = org.Level(level)
	return d, err
}

// Division implements org.Tx.
func (t *Tx) Division(ctx context.Context, code string) (*org.Division, error) {
	d, err := scanDivision(t.tx.QueryRowContext(ctx, "SELECT "+divisionCols+" FROM divisions WHERE code = $1", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: division %s: %w", code, err)
	}
	return &d, nil
}

// InsertDivision implements org.Tx.
func (t *Tx) InsertDivision(ctx context.Context, d org.Division) error {
	_, err := t.exec(ctx, "INSERT INTO divisions (code, name, level, parent_code, created_at) VALUES ($1, $2, $3, $4, $5)",
		d.Code, d.Name, string(d.Level), nullable(d.ParentCode), d.CreatedAt)
	if _, dup := uniqueViolation(err); dup {
		return &problem.Error{Kind: problem.Conflict, Code: "org.division_exists", Title: "行政区划已存在", Field: "code", Detail: "division " + d.Code + " already exists"}
	}
	if err != nil {
		return fmt.Errorf("store: insert division: %w", err)
	}
	return nil
}

// ListDivisions implements org.Tx.
func (t *Tx) ListDivisions(ctx context.Context, f org.DivisionFilter) ([]org.Division, error) {
	q := newQuery("SELECT " + divisionCols + " FROM divisions WHERE 1=1")
	if f.ParentCode != "" {
		q.where("parent_code = ?", f.ParentCode)
	}
	if f.Level != "" {
		q.where("level = ?", string(f.Level))
	}
	if f.After != "" {
		q.where("code > ?", f.After)
	}
	q.tail(" ORDER BY code LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list divisions: %w", err)
	}
	defer rows.Close()
	out := []org.Division{}
	for rows.Next() {
		d, err := scanDivision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// InRegion implements org.Tx: it walks up from inner looking for outer.
func (t *Tx) InRegion(ctx context.Context, outer, inner string) (bool, error) {
	var ok bool
	err := t.tx.QueryRowContext(ctx, `WITH RECURSIVE up(code, parent_code, depth) AS (
    SELECT code, parent_code, 0 FROM divisions WHERE code = $1
    UNION ALL
    SELECT d.code, d.parent_code, up.depth + 1 FROM divisions d JOIN up ON d.code = up.parent_code WHERE up.depth < 10)
SELECT EXISTS (SELECT 1 FROM up WHERE code = $2)`, inner, outer).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: region check: %w", err)
	}
	return ok, nil
}

const regionCTE = `WITH RECURSIVE region(code, depth) AS (
    SELECT code, 0 FROM divisions WHERE code = $1
    UNION ALL
    SELECT d.code, region.depth + 1 FROM divisions d JOIN region ON d.parent_code = region.code WHERE region.depth < 10) `

const departmentCols = "id, name, division_code, kind, COALESCE(credit_code, ''), office_name, COALESCE(office_head_id, ''), version, created_at, updated_at"

func scanDepartment(row interface{ Scan(...any) error }) (org.Department, error) {
	var d org.Department
	var kind string
	err := row.Scan(&d.ID, &d.Name, &d.DivisionCode, &kind, &d.CreditCode, &d.OfficeName, &d.OfficeHeadID, &d.Version,
		timeValue{&d.CreatedAt}, timeValue{&d.UpdatedAt})
	d.Kind = org.Kind(kind)
	return d, err
}

func (t *Tx) oneDepartment(ctx context.Context, where string, arg any) (*org.Department, error) {
	d, err := scanDepartment(t.tx.QueryRowContext(ctx, "SELECT "+departmentCols+" FROM departments WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: department: %w", err)
	}
	return &d, nil
}

// Department implements org.Tx.
func (t *Tx) Department(ctx context.Context, id string) (*org.Department, error) {
	return t.oneDepartment(ctx, "id = $1", id)
}

// AuthorityIn implements org.Tx.
func (t *Tx) AuthorityIn(ctx context.Context, divisionCode string) (*org.Department, error) {
	return t.oneDepartment(ctx, "kind = 'authority' AND division_code = $1", divisionCode)
}

func departmentConflict(err error) error {
	msg, dup := uniqueViolation(err)
	if !dup {
		return nil
	}
	switch {
	case strings.Contains(msg, "credit_code"):
		return &problem.Error{Kind: problem.Conflict, Code: "org.credit_code_taken", Title: "统一社会信用代码已被使用", Field: "credit_code", Detail: "another department has this credit code"}
	case strings.Contains(msg, "name"):
		return &problem.Error{Kind: problem.Conflict, Code: "org.department_exists", Title: "该行政区划已有同名部门", Field: "name", Detail: "a department of this name exists in the division"}
	default:
		return &problem.Error{Kind: problem.Conflict, Code: "org.authority_exists", Title: "该行政区划已有主管部门", Field: "kind", Detail: "the division already has a competent authority"}
	}
}

// InsertDepartment implements org.Tx.
func (t *Tx) InsertDepartment(ctx context.Context, d org.Department) error {
	_, err := t.exec(ctx, `INSERT INTO departments (id, name, division_code, kind, credit_code, office_name, office_head_id, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		d.ID, d.Name, d.DivisionCode, string(d.Kind), nullable(d.CreditCode), d.OfficeName, nullable(d.OfficeHeadID), d.Version, d.CreatedAt, d.UpdatedAt)
	if c := departmentConflict(err); c != nil {
		return c
	}
	if err != nil {
		return fmt.Errorf("store: insert department: %w", err)
	}
	return nil
}

// UpdateDepartment implements org.Tx.
func (t *Tx) UpdateDepartment(ctx context.Context, d org.Department) error {
	ok, err := t.execOne(ctx, `UPDATE departments SET name = $1, office_name = $2, office_head_id = $3, version = $4, updated_at = $5
WHERE id = $6 AND version = $7`, d.Name, d.OfficeName, nullable(d.OfficeHeadID), d.Version, d.UpdatedAt, d.ID, d.Version-1)
	if c := departmentConflict(err); c != nil {
		return c
	}
	if err != nil {
		return fmt.Errorf("store: update department: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

// ListDepartments implements org.Tx.
func (t *Tx) ListDepartments(ctx context.Context, f org.DepartmentFilter) ([]org.Department, error) {
	var q *query
	if f.Region != "" {
		q = newQuery(regionCTE)
		q.args = append(q.args, f.Region)
		q.tail("SELECT " + departmentCols + " FROM departments WHERE division_code IN (SELECT code FROM region)")
	} else {
		q = newQuery("SELECT " + departmentCols + " FROM departments WHERE 1=1")
	}
	if f.DivisionCode != "" {
		q.where("division_code = ?", f.DivisionCode)
	}
	if f.Kind != "" {
		q.where("kind = ?", string(f.Kind))
	}
	if f.After != "" {
		q.where("id > ?", f.After)
	}
	q.tail(" ORDER BY id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list departments: %w", err)
	}
	defer rows.Close()
	out := []org.Department{}
	for rows.Next() {
		d, err := scanDepartment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const personCols = "p.id, p.username, p.display_name, COALESCE(p.department_id, ''), p.disabled, p.locked_until, p.version, p.created_at, p.updated_at"

func scanPerson(row interface{ Scan(...any) error }) (org.Person, error) {
	var p org.Person
	err := row.Scan(&p.ID, &p.Username, &p.DisplayName, &p.DepartmentID, &p.Disabled, nullTime{&p.LockedUntil}, &p.Version,
		timeValue{&p.CreatedAt}, timeValue{&p.UpdatedAt})
	return p, err
}

func (t *Tx) rolesOf(ctx context.Context, personID string) ([]access.Role, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT role FROM person_roles WHERE person_id = $1 ORDER BY role", personID)
	if err != nil {
		return nil, fmt.Errorf("store: roles: %w", err)
	}
	defer rows.Close()
	out := []access.Role{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, access.Role(r))
	}
	return out, rows.Err()
}

// Person implements org.Tx.
func (t *Tx) Person(ctx context.Context, id string) (*org.Person, error) {
	p, err := scanPerson(t.tx.QueryRowContext(ctx, "SELECT "+personCols+" FROM people p WHERE p.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: person: %w", err)
	}
	if p.Roles, err = t.rolesOf(ctx, p.ID); err != nil {
		return nil, err
	}
	return &p, nil
}

func (t *Tx) setRoles(ctx context.Context, personID string, roles []access.Role) error {
	if _, err := t.exec(ctx, "DELETE FROM person_roles WHERE person_id = $1", personID); err != nil {
		return fmt.Errorf("store: clear roles: %w", err)
	}
	for _, r := range roles {
		if _, err := t.exec(ctx, "INSERT INTO person_roles (person_id, role) VALUES ($1, $2)", personID, string(r)); err != nil {
			return fmt.Errorf("store: add role: %w", err)
		}
	}
	return nil
}

// InsertPerson implements org.Tx.
func (t *Tx) InsertPerson(ctx context.Context, p org.Person, passwordHash string) error {
	_, err := t.exec(ctx, `INSERT INTO people (id, username, display_name, department_id, password_hash, disabled, version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.Username, p.DisplayName, nullable(p.DepartmentID), passwordHash, p.Disabled, p.Version, p.CreatedAt, p.UpdatedAt)
	if _, dup := uniqueViolation(err); dup {
		return &problem.Error{Kind: problem.Conflict, Code: "org.username_taken", Title: "用户名已被使用", Field: "username", Detail: "this username is taken"}
	}
	if err != nil {
		return fmt.Errorf("store: insert person: %w", err)
	}
	return t.setRoles(ctx, p.ID, p.Roles)
}

// UpdatePerson implements org.Tx.
func (t *Tx) UpdatePerson(ctx context.Context, p org.Person) error {
	ok, err := t.execOne(ctx, `UPDATE people SET display_name = $1, disabled = $2, version = $3, updated_at = $4 WHERE id = $5 AND version = $6`,
		p.DisplayName, p.Disabled, p.Version, p.UpdatedAt, p.ID, p.Version-1)
	if err != nil {
		return fmt.Errorf("store: update person: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	if p.Disabled {
		if _, err := t.exec(ctx, "DELETE FROM sessions WHERE person_id = $1", p.ID); err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
	}
	return t.setRoles(ctx, p.ID, p.Roles)
}

// ListPeople implements org.Tx.
func (t *Tx) ListPeople(ctx context.Context, f org.PersonFilter) ([]org.Person, error) {
	var q *query
	if f.Scope.Region != "" {
		q = newQuery(regionCTE)
		q.args = append(q.args, f.Scope.Region)
		q.tail("SELECT " + personCols + " FROM people p JOIN departments d ON d.id = p.department_id WHERE d.division_code IN (SELECT code FROM region)")
	} else {
		q = newQuery("SELECT " + personCols + " FROM people p WHERE 1=1")
	}
	switch {
	case f.Scope.All, f.Scope.Region != "":
	case f.Scope.DepartmentID != "":
		q.where("p.department_id = ?", f.Scope.DepartmentID)
	default:
		q.where("p.id = ?", f.Scope.Self)
	}
	if f.DepartmentID != "" {
		q.where("p.department_id = ?", f.DepartmentID)
	}
	if f.After != "" {
		q.where("p.id > ?", f.After)
	}
	q.tail(" ORDER BY p.id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: list people: %w", err)
	}
	out := []org.Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Roles, err = t.rolesOf(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
