package catalogxlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// Service imports and exports a department's catalog entries.
type Service struct {
	cat   *catalog.Service
	write catalog.InTx
	read  catalog.InTx
	cal   *workcal.Service
	now   func() time.Time
}

// NewService returns the spreadsheet service over the catalog's service and
// the same transaction runners the catalog uses.
func NewService(cat *catalog.Service, write, read catalog.InTx, cal *workcal.Service, now func() time.Time) *Service {
	return &Service{cat: cat, write: write, read: read, cal: cal, now: now}
}

// InvalidFile is the refusal of a file with bad cells: nothing was
// imported, and Errors lists every bad cell.
type InvalidFile struct {
	Errors []CellError
}

func (e *InvalidFile) Error() string {
	return fmt.Sprintf("catalog.import_invalid: %d error(s), first %s", len(e.Errors), e.Errors[0])
}

// Problem is the refusal as the API's problem error; Errors go beside it.
func (e *InvalidFile) Problem() *problem.Error {
	return &problem.Error{Kind: problem.Invalid, Code: "catalog.import_invalid", Title: "导入文件有错误，未导入任何目录",
		Detail: fmt.Sprintf("%d error(s) in the file; nothing was imported. Fix every cell listed in errors and upload the file again.", len(e.Errors))}
}

// Imported is one entry an import created.
type Imported struct {
	Row          int                 `json:"row"` // the first row of the entry in the file
	ID           string              `json:"id"`
	ResourceCode string              `json:"resource_code"`
	Name         string              `json:"name"`
	Items        int                 `json:"items"`
	Duplicates   []catalog.Duplicate `json:"duplicates,omitempty"`
}

// Report is the answer to a successful import.
type Report struct {
	Sheet   string     `json:"sheet"`
	Rows    int        `json:"rows"`
	Created int        `json:"created"`
	Entries []Imported `json:"entries"`
}

// CanImport is who may import: the sharing office of a department, which
// catalogs for itself only (the same rule as catalog.Service.Create).
func CanImport(a access.Actor) bool { return catalog.CanDraft(a, a.DepartmentID) }

// Import reads a workbook and creates its entries as drafts of the actor's
// department, all in one transaction. If any cell is bad, nothing is created
// and the error is an *InvalidFile listing every bad cell.
func (s *Service) Import(ctx context.Context, a access.Actor, data []byte) (Report, error) {
	if !CanImport(a) {
		return Report{}, problem.ErrForbidden
	}
	f, err := Parse(data)
	if err != nil {
		return Report{}, err
	}
	f.Check()
	if len(f.Errors) > 0 {
		return Report{}, f.invalid()
	}
	var rep Report
	err = s.write(ctx, func(tx catalog.Tx) error {
		rep = Report{Sheet: f.Sheet, Rows: f.DataRow, Entries: []Imported{}}
		dept, err := tx.Department(ctx, a.DepartmentID)
		if err != nil {
			return err
		}
		if dept == nil {
			return problem.ErrForbidden
		}
		for _, g := range f.Groups {
			if g.ProviderName != "" && g.ProviderName != dept.Name {
				f.Errors = append(f.Errors, CellError{Sheet: f.Sheet, Row: g.Rows[0], Column: f.letters[colProvider], Header: Columns[colProvider].Header,
					Field: "provider_name", Code: "catalog.import_other_provider", Title: "只能导入本部门的目录",
					Detail: fmt.Sprintf("the entry belongs to %s; entries are imported as drafts of your own department, %s", g.ProviderName, dept.Name)})
			}
		}
		if len(f.Errors) > 0 {
			return f.invalid()
		}
		// The catalog's own Create, run inside this one transaction: its
		// rights, rules, record and duplicate warnings apply to every entry,
		// and the first refusal rolls back every entry created before it.
		one := func(ctx context.Context, fn func(catalog.Tx) error) error { return fn(tx) }
		cat := catalog.NewService(one, one, s.cal, s.now)
		for _, g := range f.Groups {
			e, err := cat.Create(ctx, a, g.Draft)
			var p *problem.Error
			if errors.As(err, &p) && p.Kind != problem.Forbidden {
				f.Errors = append(f.Errors, f.Locate(g, p))
				return f.invalid()
			}
			if err != nil {
				return err
			}
			rep.Entries = append(rep.Entries, Imported{Row: g.Rows[0], ID: e.ID, ResourceCode: e.ResourceCode, Name: e.Name, Items: len(e.Items),
				Duplicates: e.Duplicates})
		}
		rep.Created = len(rep.Entries)
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

func (f *File) invalid() *InvalidFile {
	errs := append([]CellError(nil), f.Errors...)
	sort.SliceStable(errs, func(i, j int) bool {
		if errs[i].Row != errs[j].Row {
			return errs[i].Row < errs[j].Row
		}
		return len(errs[i].Column) < len(errs[j].Column) || len(errs[i].Column) == len(errs[j].Column) && errs[i].Column < errs[j].Column
	})
	return &InvalidFile{Errors: errs}
}

// Scope says which entries an export holds.
type Scope string

const (
	// Published is the published catalog, as search finds it: every reader's.
	Published Scope = "published"
	// Own is the working versions of the actor's department's entries,
	// drafts included: its sharing office's.
	Own Scope = "own"
)

// Export is a prepared export: rights checked and the query validated, so
// that a refusal is answered before the first byte of the workbook.
type Export struct {
	s     *Service
	a     access.Actor
	scope Scope
	q     catalog.Query
	first catalog.Page
	own   []Row
}

// maxOwn bounds an export of a department's own entries until the catalog
// can page through them (catalog.WorkFilter has no cursor yet).
const maxOwn = 500

// PrepareExport checks the actor may export scope and runs the first page of
// the query.
func (s *Service) PrepareExport(ctx context.Context, a access.Actor, scope Scope, q catalog.Query) (*Export, error) {
	x := &Export{s: s, a: a, scope: scope, q: q}
	switch scope {
	case Own:
		if !CanImport(a) {
			return nil, problem.ErrForbidden
		}
		if err := x.loadOwn(ctx); err != nil {
			return nil, err
		}
	case Published, "":
		x.scope = Published
		q.Limit, q.Cursor = 500, ""
		p, err := s.cat.Search(ctx, a, q)
		if err != nil {
			return nil, err
		}
		x.q, x.first = q, p
	default:
		return nil, problem.Fieldf("scope", "catalog.export_scope_invalid", "导出范围无效", "scope must be published or own; got %q", scope)
	}
	return x, nil
}

// WriteTo streams the workbook to w and returns how many entries it holds.
func (x *Export) WriteTo(ctx context.Context, w io.Writer) (int, error) {
	wr, err := NewWriter()
	if err != nil {
		return 0, err
	}
	n := 0
	add := func(rows []Row) error {
		for _, r := range rows {
			if err := wr.Add(r); err != nil {
				return err
			}
			n++
		}
		return nil
	}
	if err := x.each(ctx, add); err != nil {
		wr.Close()
		return n, err
	}
	return n, wr.Finish(w)
}

// each hands the entries to fn one page at a time; every page is read in its
// own transaction, so a slow client holds no transaction open.
func (x *Export) each(ctx context.Context, fn func([]Row) error) error {
	if x.scope == Own {
		return fn(x.own)
	}
	p := x.first
	for {
		var rows []Row
		err := x.s.read(ctx, func(tx catalog.Tx) error {
			for _, sm := range p.Items {
				v, err := tx.CatalogVersion(ctx, sm.ID, sm.PublishedVersion)
				if err != nil {
					return err
				}
				if v != nil {
					rows = append(rows, Row{Draft: v.Draft, ProviderName: sm.ProviderName})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := fn(rows); err != nil {
			return err
		}
		if p.NextCursor == "" {
			return nil
		}
		q := x.q
		q.Cursor = p.NextCursor
		if p, err = x.s.cat.Search(ctx, x.a, q); err != nil {
			return err
		}
	}
}

// loadOwn reads the working versions of the actor's department's entries.
func (x *Export) loadOwn(ctx context.Context) error {
	return x.s.read(ctx, func(tx catalog.Tx) error {
		x.own = nil
		dept, err := tx.Department(ctx, x.a.DepartmentID)
		if err != nil {
			return err
		}
		if dept == nil {
			return problem.ErrForbidden
		}
		ws, err := tx.WorkingEntries(ctx, catalog.WorkFilter{ProviderID: dept.ID, Limit: maxOwn})
		if err != nil {
			return err
		}
		if len(ws) >= maxOwn {
			return problem.Fieldf("scope", "catalog.export_too_many", "本部门目录过多，暂无法整体导出",
				"a department's own export is limited to %d entries for now; export the published catalog with provider_id instead", maxOwn-1)
		}
		for _, w := range ws {
			v, err := tx.CatalogVersion(ctx, w.Head.ID, w.Head.WorkingVersion)
			if err != nil {
				return err
			}
			if v != nil {
				x.own = append(x.own, Row{Draft: v.Draft, ProviderName: dept.Name})
			}
		}
		return nil
	})
}
