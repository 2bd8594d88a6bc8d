package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
)

// InsertSourceDesignation implements catalog.Tx.
func (t *Tx) InsertSourceDesignation(ctx context.Context, d catalog.SourceDesignation) error {
	_, err := t.exec(ctx, `INSERT INTO catalog_source_designations (id, data_name, source_department_id, authority_id, division_code, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, d.DataName, d.SourceDepartmentID, d.AuthorityID, d.DivisionCode, d.Note, d.CreatedBy, d.CreatedAt)
	if _, dup := uniqueViolation(err); dup {
		return &problem.Error{Kind: problem.Conflict, Code: "catalog.designation_exists", Title: "该数据在本区域已指定数源部门",
			Field: "data_name", Detail: "this region already has a source department for " + d.DataName}
	}
	if err != nil {
		return fmt.Errorf("store: insert source designation: %w", err)
	}
	return nil
}

func inList(q *query, col string, vals []string) {
	ph := make([]string, len(vals))
	for i, v := range vals {
		ph[i] = q.arg(v)
	}
	q.tail(" AND " + col + " IN (" + strings.Join(ph, ", ") + ")")
}

// SourceDesignations implements catalog.Tx.
func (t *Tx) SourceDesignations(ctx context.Context, f catalog.DesignationFilter) ([]catalog.SourceDesignation, error) {
	const sel = `SELECT s.id, s.data_name, s.source_department_id, d.name, s.authority_id, s.division_code, s.note, s.created_by, s.created_at
FROM catalog_source_designations s JOIN departments d ON d.id = s.source_department_id`
	var q *query
	if f.Region != "" {
		q = newQuery(regionCTE)
		q.args = append(q.args, f.Region)
		q.tail(sel + " WHERE s.division_code IN (SELECT code FROM region)")
	} else {
		q = newQuery(sel + " WHERE 1=1")
	}
	if len(f.DataNames) > 0 {
		inList(q, "s.data_name", f.DataNames)
	}
	if len(f.DivisionCodes) > 0 {
		inList(q, "s.division_code", f.DivisionCodes)
	}
	if f.After != "" {
		q.where("s.id > ?", f.After)
	}
	q.tail(" ORDER BY s.id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: source designations: %w", err)
	}
	defer rows.Close()
	out := []catalog.SourceDesignation{}
	for rows.Next() {
		var d catalog.SourceDesignation
		if err := rows.Scan(&d.ID, &d.DataName, &d.SourceDepartmentID, &d.SourceDepartmentName, &d.AuthorityID, &d.DivisionCode, &d.Note,
			&d.CreatedBy, timeValue{&d.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

const obligationCols = `id, entry_id, entry_name, provider_id, authority_id, changed_on, kind, description, due, rule, extension_state,
    extension_reason, extension_requested_at, extension_requested_by, extension_decided_at, extension_decided_by, extension_note,
    extension_original_due, fulfilled_at, fulfilled_version, late, recorded_by, created_at, version`

func obligationArgs(o catalog.Obligation) []any {
	args := []any{o.ID, o.EntryID, o.EntryName, o.ProviderID, o.AuthorityID, o.ChangedOn.String(), string(o.Kind), o.Description,
		o.Due.String(), o.Rule}
	if x := o.Extension; x != nil {
		args = append(args, string(x.State), x.Reason, x.RequestedAt, x.RequestedBy, timeOrNil(x.DecidedAt), nullable(x.DecidedBy),
			nullable(x.Note), dateOrNil(x.OriginalDue))
	} else {
		args = append(args, nil, nil, nil, nil, nil, nil, nil, nil)
	}
	var fv any
	if o.FulfilledVersion > 0 {
		fv = o.FulfilledVersion
	}
	return append(args, timeOrNil(o.FulfilledAt), fv, o.Late, o.RecordedBy, o.CreatedAt, o.Version)
}

func scanObligation(row interface{ Scan(...any) error }) (catalog.Obligation, error) {
	var o catalog.Obligation
	var kind, xState, xReason, xBy, xDecidedBy, xNote string
	var x catalog.Extension
	var fv sql.NullInt64
	err := row.Scan(&o.ID, &o.EntryID, &o.EntryName, &o.ProviderID, &o.AuthorityID, dateValue{&o.ChangedOn}, &kind, &o.Description,
		dateValue{&o.Due}, &o.Rule, optText{&xState}, optText{&xReason}, nullTimeValue{&x.RequestedAt}, optText{&xBy}, nullTime{&x.DecidedAt},
		optText{&xDecidedBy}, optText{&xNote}, dateValue{&x.OriginalDue}, nullTime{&o.FulfilledAt}, &fv, &o.Late, &o.RecordedBy,
		timeValue{&o.CreatedAt}, &o.Version)
	o.Kind = catalog.ChangeKind(kind)
	if xState != "" {
		x.State, x.Reason, x.RequestedBy, x.DecidedBy, x.Note = catalog.ExtensionState(xState), xReason, xBy, xDecidedBy, xNote
		o.Extension = &x
	}
	o.FulfilledVersion = int(fv.Int64)
	return o, err
}

// nullTimeValue scans a nullable timestamp into a plain time.Time (zero for NULL).
type nullTimeValue struct{ t *time.Time }

func (v nullTimeValue) Scan(src any) error {
	if src == nil {
		return nil
	}
	return timeValue{v.t}.Scan(src)
}

// InsertObligation implements catalog.Tx.
func (t *Tx) InsertObligation(ctx context.Context, o catalog.Obligation) error {
	ph := make([]string, 24)
	for i := range ph {
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	if _, err := t.exec(ctx, "INSERT INTO catalog_obligations ("+obligationCols+") VALUES ("+strings.Join(ph, ", ")+")", obligationArgs(o)...); err != nil {
		return fmt.Errorf("store: insert update obligation: %w", err)
	}
	return nil
}

// Obligation implements catalog.Tx.
func (t *Tx) Obligation(ctx context.Context, id string) (*catalog.Obligation, error) {
	o, err := scanObligation(t.tx.QueryRowContext(ctx, "SELECT "+obligationCols+" FROM catalog_obligations WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: update obligation %s: %w", id, err)
	}
	return &o, nil
}

// UpdateObligation implements catalog.Tx.
func (t *Tx) UpdateObligation(ctx context.Context, o catalog.Obligation) error {
	cols := strings.Split(strings.Join(strings.Fields(obligationCols), ""), ",")
	args := obligationArgs(o)
	var set []string
	var vals []any
	for i, c := range cols {
		if c == "id" {
			continue
		}
		vals = append(vals, args[i])
		set = append(set, fmt.Sprintf("%s = $%d", c, len(vals)))
	}
	vals = append(vals, o.ID, o.Version-1)
	ok, err := t.execOne(ctx, fmt.Sprintf("UPDATE catalog_obligations SET %s WHERE id = $%d AND version = $%d", strings.Join(set, ", "), len(vals)-1, len(vals)), vals...)
	if err != nil {
		return fmt.Errorf("store: update obligation: %w", err)
	}
	if !ok {
		return problem.ErrVersionConflict
	}
	return nil
}

// Obligations implements catalog.Tx.
func (t *Tx) Obligations(ctx context.Context, f catalog.ObligationFilter) ([]catalog.Obligation, error) {
	q := newQuery("SELECT " + obligationCols + " FROM catalog_obligations WHERE 1=1")
	if f.EntryID != "" {
		q.where("entry_id = ?", f.EntryID)
	}
	if f.ProviderID != "" {
		q.where("provider_id = ?", f.ProviderID)
	}
	if f.AuthorityID != "" {
		q.where("authority_id = ?", f.AuthorityID)
	}
	if f.OpenOnly {
		q.where("fulfilled_at IS NULL")
	}
	if f.ExtensionState != "" {
		q.where("extension_state = ?", string(f.ExtensionState))
	}
	q.tail(" ORDER BY created_at, id LIMIT " + q.arg(limitOf(f.Limit)))
	rows, err := t.tx.QueryContext(ctx, q.String(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("store: update obligations: %w", err)
	}
	defer rows.Close()
	out := []catalog.Obligation{}
	for rows.Next() {
		o, err := scanObligation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
