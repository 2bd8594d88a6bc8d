package org

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// InTx runs fn in one transaction: committed if fn returns nil, rolled back otherwise.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the org commands: check the actor's rights, load, apply the
// rule, save, append the event — all in one transaction.
type Service struct {
	inTx InTx // read-write, for commands
	read InTx // read-only, for queries
	now  func() time.Time
}

// NewService returns the org service.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{inTx: write, read: read, now: now}
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var errNoDivision = problem.NotFoundf("org.division_not_found", "行政区划不存在", "no such division")
var errNoDepartment = problem.NotFoundf("org.department_not_found", "部门不存在", "no such department")
var errNoPerson = problem.NotFoundf("org.person_not_found", "人员不存在", "no such person")

// CreateDivision adds an administrative division under its parent.
func (s *Service) CreateDivision(ctx context.Context, a access.Actor, d Division) (Division, error) {
	if !CanCreateOrganisations(a) {
		return Division{}, problem.ErrForbidden
	}
	d.Name = strings.TrimSpace(d.Name)
	d.CreatedAt = s.now().UTC()
	err := s.inTx(ctx, func(tx Tx) error {
		var parent *Division
		if d.ParentCode != "" {
			var err error
			if parent, err = tx.Division(ctx, d.ParentCode); err != nil {
				return err
			}
		}
		if err := ValidateDivision(d, parent); err != nil {
			return err
		}
		if old, err := tx.Division(ctx, d.Code); err != nil {
			return err
		} else if old != nil {
			return &problem.Error{Kind: problem.Conflict, Code: "org.division_exists", Title: "行政区划已存在",
				Detail: "division " + d.Code + " already exists", Field: "code"}
		}
		if err := tx.InsertDivision(ctx, d); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, d.CreatedAt, a, "division.create", ledger.Object{Type: "division", ID: d.Code}, d)
	})
	return d, err
}

// Division returns one division; every signed-in person may read the tree.
func (s *Service) Division(ctx context.Context, a access.Actor, code string) (Division, error) {
	if len(a.Roles) == 0 {
		return Division{}, problem.ErrForbidden
	}
	var d *Division
	err := s.read(ctx, func(tx Tx) (err error) { d, err = tx.Division(ctx, code); return err })
	if err == nil && d == nil {
		err = errNoDivision
	}
	if err != nil {
		return Division{}, err
	}
	return *d, nil
}

// Divisions lists divisions.
func (s *Service) Divisions(ctx context.Context, a access.Actor, f DivisionFilter) ([]Division, error) {
	if len(a.Roles) == 0 {
		return nil, problem.ErrForbidden
	}
	if f.Level != "" && f.Level.Rank() < 0 {
		return nil, problem.Fieldf("level", "org.level_invalid", "层级无效", "unknown level %q", f.Level)
	}
	var out []Division
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListDivisions(ctx, f); return err })
	return out, err
}

// CreateDepartment adds a department, authority or other state organ to a division.
func (s *Service) CreateDepartment(ctx context.Context, a access.Actor, d Department) (Department, error) {
	if !CanCreateOrganisations(a) {
		return Department{}, problem.ErrForbidden
	}
	now := s.now().UTC()
	d.ID, d.Version, d.CreatedAt, d.UpdatedAt = newID(), 1, now, now
	d.Name, d.OfficeName = strings.TrimSpace(d.Name), strings.TrimSpace(d.OfficeName)
	if d.OfficeHeadID != "" {
		return Department{}, problem.Field("office_head_id", "org.office_head_later", "请在部门创建后指定负责人",
			"name the office head after the department and its people exist")
	}
	err := s.inTx(ctx, func(tx Tx) error {
		div, err := tx.Division(ctx, d.DivisionCode)
		if err != nil {
			return err
		}
		if err := ValidateDepartment(d, div); err != nil {
			return err
		}
		if d.Kind == KindAuthority {
			if other, err := tx.AuthorityIn(ctx, d.DivisionCode); err != nil {
				return err
			} else if other != nil {
				return &problem.Error{Kind: problem.Conflict, Code: "org.authority_exists", Title: "该行政区划已有主管部门",
					Detail: "division " + d.DivisionCode + " already has a competent authority", Field: "kind"}
			}
		}
		if err := tx.InsertDepartment(ctx, d); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "department.create", ledger.Object{Type: "department", ID: d.ID, DepartmentID: d.ID}, d)
	})
	return d, err
}

// Department returns one department. The directory of departments is open to
// every signed-in person: applying for data starts from knowing who holds it.
func (s *Service) Department(ctx context.Context, a access.Actor, id string) (Department, error) {
	if len(a.Roles) == 0 {
		return Department{}, problem.ErrForbidden
	}
	var d *Department
	err := s.read(ctx, func(tx Tx) (err error) { d, err = tx.Department(ctx, id); return err })
	if err == nil && d == nil {
		err = errNoDepartment
	}
	if err != nil {
		return Department{}, err
	}
	return *d, nil
}

// Departments lists departments.
func (s *Service) Departments(ctx context.Context, a access.Actor, f DepartmentFilter) ([]Department, error) {
	if len(a.Roles) == 0 {
		return nil, problem.ErrForbidden
	}
	if f.Kind != "" && !f.Kind.valid() {
		return nil, problem.Fieldf("kind", "org.kind_invalid", "部门类型无效", "unknown kind %q", f.Kind)
	}
	var out []Department
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListDepartments(ctx, f); return err })
	return out, err
}

// OfficeUpdate names a department's sharing office and its head (Art. 11).
type OfficeUpdate struct {
	OfficeName   string `json:"office_name"`
	OfficeHeadID string `json:"office_head_id"`
	Version      int64  `json:"version"` // the version the caller last read
}

// UpdateOffice sets the sharing office and office head. The head must be a
// person of the department holding the office head role.
func (s *Service) UpdateOffice(ctx context.Context, a access.Actor, deptID string, u OfficeUpdate) (Department, error) {
	u.OfficeName = strings.TrimSpace(u.OfficeName)
	if u.OfficeName == "" {
		return Department{}, problem.Field("office_name", "org.name_required", "名称不能为空", "office_name is required")
	}
	if len([]rune(u.OfficeName)) > 100 {
		return Department{}, problem.Field("office_name", "org.name_too_long", "名称过长", "office_name is longer than 100 characters")
	}
	if u.Version <= 0 {
		return Department{}, problem.Field("version", "org.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	var d *Department
	err := s.inTx(ctx, func(tx Tx) error {
		var err error
		if d, err = tx.Department(ctx, deptID); err != nil {
			return err
		}
		if d == nil {
			return errNoDepartment
		}
		if !CanUpdateOffice(a, *d) {
			return problem.ErrForbidden
		}
		if d.Version != u.Version {
			return problem.ErrVersionConflict
		}
		if u.OfficeHeadID != "" {
			head, err := tx.Person(ctx, u.OfficeHeadID)
			if err != nil {
				return err
			}
			if head == nil || head.DepartmentID != d.ID {
				return problem.Field("office_head_id", "org.office_head_foreign", "负责人必须是本部门人员",
					"the office head must be a person of this department")
			}
			if !head.Has(access.OfficeHead) || head.Disabled {
				return problem.Field("office_head_id", "org.office_head_role", "负责人必须具有负责人角色且账号有效",
					"the office head must hold the office_head role and be enabled")
			}
		}
		d.OfficeName, d.OfficeHeadID = u.OfficeName, u.OfficeHeadID
		d.Version++
		d.UpdatedAt = s.now().UTC()
		if err := tx.UpdateDepartment(ctx, *d); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, d.UpdatedAt, a, "department.office_update", ledger.Object{Type: "department", ID: d.ID, DepartmentID: d.ID}, *d)
	})
	if err != nil {
		return Department{}, err
	}
	return *d, nil
}
