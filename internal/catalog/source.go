package catalog

import (
	"context"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// SourceDesignation names the one department that collects a kind of data
// in an authority's region (数源部门, Art. 19); other departments obtain it by
// sharing instead of collecting it again.
type SourceDesignation struct {
	ID                   string    `json:"id"`
	DataName             string    `json:"data_name"` // e.g. 居民身份证号码: matched against data item names
	SourceDepartmentID   string    `json:"source_department_id"`
	SourceDepartmentName string    `json:"source_department_name"`
	AuthorityID          string    `json:"authority_id"`
	DivisionCode         string    `json:"division_code"` // the designating authority's region
	Note                 string    `json:"note,omitempty"`
	CreatedBy            string    `json:"created_by"`
	CreatedAt            time.Time `json:"created_at"`
}

// NewDesignation is what a reviewer sends to designate a source department.
type NewDesignation struct {
	DataName           string `json:"data_name"`
	SourceDepartmentID string `json:"source_department_id"`
	Note               string `json:"note"`
}

// SourceMark shows, on an entry, the designated source department of one of
// its items.
type SourceMark struct {
	Item                 string `json:"item"`
	SourceDepartmentID   string `json:"source_department_id"`
	SourceDepartmentName string `json:"source_department_name"`
	DivisionCode         string `json:"division_code"` // where the designation applies
}

// Duplicate tells a provider that another department already offers an item
// of the same name for sharing (Art. 19: no repeated collection).
type Duplicate struct {
	Item                 string `json:"item"`
	EntryID              string `json:"entry_id"`
	EntryName            string `json:"entry_name"`
	DepartmentID         string `json:"department_id"`
	DepartmentName       string `json:"department_name"`
	SourceDepartmentID   string `json:"source_department_id,omitempty"`
	SourceDepartmentName string `json:"source_department_name,omitempty"`
}

// maxDuplicates bounds the warnings on one answer; the first ones say enough.
const maxDuplicates = 50

// Designate records a source department for a kind of data within the
// reviewer's authority's region. The department must lie in that region.
func (s *Service) Designate(ctx context.Context, a access.Actor, n NewDesignation) (SourceDesignation, error) {
	if !CanDesignate(a) {
		return SourceDesignation{}, problem.ErrForbidden
	}
	n.DataName, n.Note = strings.TrimSpace(n.DataName), strings.TrimSpace(n.Note)
	if err := text("data_name", n.DataName, maxItemName, true, "catalog.data_name_required", "须填写数据名称"); err != nil {
		return SourceDesignation{}, err
	}
	if err := text("note", n.Note, maxCondition, false, "", ""); err != nil {
		return SourceDesignation{}, err
	}
	now := s.now().UTC()
	var d SourceDesignation
	err := s.write(ctx, func(tx Tx) error {
		dept, err := tx.Department(ctx, n.SourceDepartmentID)
		if err != nil {
			return err
		}
		if dept == nil {
			return problem.Field("source_department_id", "catalog.department_unknown", "部门不存在", "no such department")
		}
		in, err := tx.InRegion(ctx, a.DivisionCode, dept.DivisionCode)
		if err != nil {
			return err
		}
		if !in {
			return problem.Field("source_department_id", "catalog.department_outside_region", "数源部门须在本主管部门的行政区域内",
				"an authority designates source departments only within its own region")
		}
		d = SourceDesignation{ID: newID(), DataName: n.DataName, SourceDepartmentID: dept.ID, SourceDepartmentName: dept.Name,
			AuthorityID: a.DepartmentID, DivisionCode: a.DivisionCode, Note: n.Note, CreatedBy: a.PersonID, CreatedAt: now}
		if err := tx.InsertSourceDesignation(ctx, d); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "catalog.source_designate",
			ledger.Object{Type: "source_designation", ID: d.ID, DepartmentID: dept.ID}, d)
	})
	return d, err
}

// SourceDesignations lists designations, to everyone who reads the catalog.
func (s *Service) SourceDesignations(ctx context.Context, a access.Actor, f DesignationFilter) ([]SourceDesignation, error) {
	if !CanReadCatalog(a) {
		return nil, problem.ErrForbidden
	}
	var out []SourceDesignation
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.SourceDesignations(ctx, f); return err })
	return out, err
}

// above lists a division and those above it, nearest first.
func above(ctx context.Context, tx Tx, code string) ([]string, error) {
	var out []string
	for c := code; c != "" && len(out) < 8; {
		d, err := tx.Division(ctx, c)
		if err != nil {
			return nil, err
		}
		if d == nil {
			break
		}
		out = append(out, d.Code)
		c = d.ParentCode
	}
	return out, nil
}

// applicable returns, per data name, the designation that applies in the
// division: the one of the nearest authority at or above it.
func applicable(ctx context.Context, tx Tx, division string, names []string) (map[string]SourceDesignation, error) {
	out := map[string]SourceDesignation{}
	if len(names) == 0 {
		return out, nil
	}
	up, err := above(ctx, tx, division)
	if err != nil {
		return nil, err
	}
	ds, err := tx.SourceDesignations(ctx, DesignationFilter{DataNames: names, DivisionCodes: up, Limit: 500})
	if err != nil {
		return nil, err
	}
	rank := map[string]int{}
	for i, c := range up {
		rank[c] = i
	}
	for _, d := range ds {
		if old, ok := out[d.DataName]; !ok || rank[d.DivisionCode] < rank[old.DivisionCode] {
			out[d.DataName] = d
		}
	}
	return out, nil
}

func itemNames(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out
}

// sourceMarks shows the source department of each item that has one.
func sourceMarks(ctx context.Context, tx Tx, division string, items []Item) ([]SourceMark, error) {
	ds, err := applicable(ctx, tx, division, itemNames(items))
	if err != nil {
		return nil, err
	}
	out := []SourceMark{}
	for _, it := range items {
		if d, ok := ds[it.Name]; ok {
			out = append(out, SourceMark{Item: it.Name, SourceDepartmentID: d.SourceDepartmentID, SourceDepartmentName: d.SourceDepartmentName, DivisionCode: d.DivisionCode})
		}
	}
	return out, nil
}

// duplicates finds other departments' published, shareable items named like
// the draft's, with the source department designated for each, if any.
func duplicates(ctx context.Context, tx Tx, h Head, items []Item) ([]Duplicate, error) {
	dups, err := tx.SharedItemsNamed(ctx, itemNames(items), h.ProviderID, maxDuplicates)
	if err != nil || len(dups) == 0 {
		return nil, err
	}
	ds, err := applicable(ctx, tx, h.DivisionCode, itemNames(items))
	if err != nil {
		return nil, err
	}
	for i := range dups {
		if d, ok := ds[dups[i].Item]; ok {
			dups[i].SourceDepartmentID, dups[i].SourceDepartmentName = d.SourceDepartmentID, d.SourceDepartmentName
		}
	}
	return dups, nil
}
