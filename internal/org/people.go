package org

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// NewPerson is what it takes to open an account.
type NewPerson struct {
	Username     string        `json:"username"`
	DisplayName  string        `json:"display_name"`
	DepartmentID string        `json:"department_id"`
	Roles        []access.Role `json:"roles"`
	Password     string        `json:"password"`
}

func validUsername(u string) bool {
	if len(u) < 3 || len(u) > 64 {
		return false
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// CreatePerson opens an account. The password is hashed before it reaches the
// store and never appears in the event.
func (s *Service) CreatePerson(ctx context.Context, a access.Actor, n NewPerson) (Person, error) {
	if !CanManagePerson(a, n.DepartmentID, n.Roles) {
		return Person{}, problem.ErrForbidden
	}
	n.Username = strings.TrimSpace(n.Username)
	n.DisplayName = strings.TrimSpace(n.DisplayName)
	if !validUsername(n.Username) {
		return Person{}, problem.Field("username", "org.username_invalid", "用户名无效",
			"username must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-'")
	}
	if n.DisplayName == "" || utf8.RuneCountInString(n.DisplayName) > 50 {
		return Person{}, problem.Field("display_name", "org.display_name_invalid", "姓名不能为空且不超过50字", "display_name is required, at most 50 characters")
	}
	if err := auth.ValidatePassword("password", n.Password); err != nil {
		return Person{}, err
	}
	hash, err := auth.HashPassword(n.Password)
	if err != nil {
		return Person{}, err
	}
	now := s.now().UTC()
	p := Person{ID: newID(), Username: n.Username, DisplayName: n.DisplayName, DepartmentID: n.DepartmentID,
		Roles: n.Roles, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.inTx(ctx, func(tx Tx) error {
		var dept *Department
		if n.DepartmentID != "" {
			var err error
			if dept, err = tx.Department(ctx, n.DepartmentID); err != nil {
				return err
			}
			if dept == nil {
				return problem.Field("department_id", "org.department_unknown", "部门不存在", "no such department")
			}
		}
		if err := ValidateRoles(n.Roles, dept); err != nil {
			return err
		}
		if err := tx.InsertPerson(ctx, p, hash); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "person.create", ledger.Object{Type: "person", ID: p.ID, DepartmentID: p.DepartmentID}, p)
	})
	return p, err
}

// Person returns one person if the actor may see them.
func (s *Service) Person(ctx context.Context, a access.Actor, id string) (Person, error) {
	var p *Person
	err := s.read(ctx, func(tx Tx) (err error) {
		if p, err = tx.Person(ctx, id); err != nil || p == nil {
			return err
		}
		return s.mayRead(ctx, tx, a, *p)
	})
	if err == nil && p == nil {
		err = errNoPerson
	}
	if err != nil {
		return Person{}, err
	}
	return *p, nil
}

func (s *Service) mayRead(ctx context.Context, tx Tx, a access.Actor, p Person) error {
	div := ""
	if p.DepartmentID != "" {
		d, err := tx.Department(ctx, p.DepartmentID)
		if err != nil {
			return err
		}
		if d != nil {
			div = d.DivisionCode
		}
	}
	ok, err := CanReadPerson(a, p, div, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return err
	}
	if !ok {
		return problem.ErrForbidden
	}
	return nil
}

// People lists the people the actor may see.
func (s *Service) People(ctx context.Context, a access.Actor, f PersonFilter) ([]Person, error) {
	f.Scope = ScopeForPeople(a)
	var out []Person
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListPeople(ctx, f); return err })
	return out, err
}

// PersonUpdate changes an account's roles or whether it is enabled.
type PersonUpdate struct {
	DisplayName *string        `json:"display_name"`
	Roles       *[]access.Role `json:"roles"`
	Disabled    *bool          `json:"disabled"`
	Version     int64          `json:"version"`
}

// UpdatePerson changes roles, display name or the disabled flag. Nobody may
// change their own roles or disable themselves: that takes a second person.
func (s *Service) UpdatePerson(ctx context.Context, a access.Actor, id string, u PersonUpdate) (Person, error) {
	if u.Version <= 0 {
		return Person{}, problem.Field("version", "org.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	if u.DisplayName != nil {
		n := strings.TrimSpace(*u.DisplayName)
		if n == "" || utf8.RuneCountInString(n) > 50 {
			return Person{}, problem.Field("display_name", "org.display_name_invalid", "姓名不能为空且不超过50字", "display_name is required, at most 50 characters")
		}
		u.DisplayName = &n
	}
	var p *Person
	err := s.inTx(ctx, func(tx Tx) error {
		var err error
		if p, err = tx.Person(ctx, id); err != nil {
			return err
		}
		if p == nil {
			return errNoPerson
		}
		if !CanManagePerson(a, p.DepartmentID, p.Roles) {
			return problem.ErrForbidden
		}
		if p.Version != u.Version {
			return problem.ErrVersionConflict
		}
		if (u.Roles != nil || u.Disabled != nil) && p.ID == a.PersonID {
			return problem.New(problem.Forbidden, "org.self_change", "不能修改自己的角色或状态", "another administrator must change your own roles or status")
		}
		if u.Roles != nil {
			if !CanManagePerson(a, p.DepartmentID, *u.Roles) {
				return problem.ErrForbidden
			}
			var dept *Department
			if p.DepartmentID != "" {
				if dept, err = tx.Department(ctx, p.DepartmentID); err != nil {
					return err
				}
			}
			if err := ValidateRoles(*u.Roles, dept); err != nil {
				return err
			}
			p.Roles = *u.Roles
		}
		if u.DisplayName != nil {
			p.DisplayName = *u.DisplayName
		}
		if u.Disabled != nil {
			p.Disabled = *u.Disabled
		}
		// A department's named office head must stay able to approve (Art. 11,
		// 20): name another head before disabling this one or taking the role.
		if p.DepartmentID != "" && (p.Disabled || !p.Has(access.OfficeHead)) {
			dept, err := tx.Department(ctx, p.DepartmentID)
			if err != nil {
				return err
			}
			if dept != nil && dept.OfficeHeadID == p.ID {
				return &problem.Error{Kind: problem.Conflict, Code: "org.office_head_in_use", Title: "该人员是本部门共享工作机构负责人，请先指定新的负责人",
					Detail: "this person is the department's named office head; name another head first"}
			}
		}
		p.Version++
		p.UpdatedAt = s.now().UTC()
		if err := tx.UpdatePerson(ctx, *p); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, p.UpdatedAt, a, "person.update", ledger.Object{Type: "person", ID: p.ID, DepartmentID: p.DepartmentID}, *p)
	})
	if err != nil {
		return Person{}, err
	}
	return *p, nil
}
