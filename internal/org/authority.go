package org

import (
	"context"
	"fmt"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

var errNoAuthority = problem.NotFoundf("org.authority_not_found", "未找到主管部门",
	"no competent authority is registered above this department")

// SameLevelAuthority returns the competent authority of the department's own
// government (Art. 8, 16): the authority in the department's division, or, for a
// township or village that has none, the nearest one above it.
func (s *Service) SameLevelAuthority(ctx context.Context, a access.Actor, deptID string) (Department, error) {
	if !CanLookUpAuthorities(a) {
		return Department{}, problem.ErrForbidden
	}
	var out *Department
	err := s.read(ctx, func(tx Tx) error {
		d, err := tx.Department(ctx, deptID)
		if err != nil {
			return err
		}
		if d == nil {
			return errNoDepartment
		}
		out, err = authorityAtOrAbove(ctx, tx, d.DivisionCode)
		return err
	})
	if err != nil {
		return Department{}, err
	}
	return *out, nil
}

// CommonAuthority returns the lowest competent authority whose region holds
// both departments: the same-level authority when they share a division, else
// the authority of the nearest division above both (Art. 28: disputes across
// levels or regions go to the common superior).
func (s *Service) CommonAuthority(ctx context.Context, a access.Actor, deptA, deptB string) (Department, error) {
	if !CanLookUpAuthorities(a) {
		return Department{}, problem.ErrForbidden
	}
	var out *Department
	err := s.read(ctx, func(tx Tx) error {
		var divs [2]string
		for i, id := range []string{deptA, deptB} {
			d, err := tx.Department(ctx, id)
			if err != nil {
				return err
			}
			if d == nil {
				return problem.Fieldf([]string{"a", "b"}[i], "org.department_unknown", "部门不存在", "no department %q", id)
			}
			divs[i] = d.DivisionCode
		}
		common, err := lowestCommonDivision(ctx, tx, divs[0], divs[1])
		if err != nil {
			return err
		}
		out, err = authorityAtOrAbove(ctx, tx, common)
		return err
	})
	if err != nil {
		return Department{}, err
	}
	return *out, nil
}

// AuthorityLookup is the part of a transaction that finds authorities; other
// domains (the catalog's review, applications' extensions) embed it.
type AuthorityLookup interface {
	Division(ctx context.Context, code string) (*Division, error)
	AuthorityIn(ctx context.Context, divisionCode string) (*Department, error)
}

// AuthorityFor returns the competent authority responsible for a division:
// its own, or for a township or village the nearest one above it. It refuses
// with org.authority_not_found when no authority is registered.
func AuthorityFor(ctx context.Context, tx AuthorityLookup, divisionCode string) (*Department, error) {
	return authorityAtOrAbove(ctx, tx, divisionCode)
}

// ancestors lists a division and all above it, nearest first.
func ancestors(ctx context.Context, tx AuthorityLookup, code string) ([]string, error) {
	var out []string
	for c := code; c != ""; {
		if len(out) > len(Levels) {
			// Validation makes every parent a higher level, so this is
			// corrupt data, not a request error.
			return nil, fmt.Errorf("org: the stored division tree has a cycle at %s", c)
		}
		d, err := tx.Division(ctx, c)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, errNoDivision
		}
		out = append(out, d.Code)
		c = d.ParentCode
	}
	return out, nil
}

func lowestCommonDivision(ctx context.Context, tx AuthorityLookup, a, b string) (string, error) {
	up, err := ancestors(ctx, tx, a)
	if err != nil {
		return "", err
	}
	upB, err := ancestors(ctx, tx, b)
	if err != nil {
		return "", err
	}
	inB := map[string]bool{}
	for _, c := range upB {
		inB[c] = true
	}
	for _, c := range up {
		if inB[c] {
			return c, nil
		}
	}
	return "", errNoAuthority
}

func authorityAtOrAbove(ctx context.Context, tx AuthorityLookup, code string) (*Department, error) {
	up, err := ancestors(ctx, tx, code)
	if err != nil {
		return nil, err
	}
	for _, c := range up {
		auth, err := tx.AuthorityIn(ctx, c)
		if err != nil {
			return nil, err
		}
		if auth != nil {
			return auth, nil
		}
	}
	return nil, errNoAuthority
}
