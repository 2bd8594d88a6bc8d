package correction

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

var errNoDepartment = problem.NotFoundf("org.department_not_found", "部门不存在", "no such department")

// SetRules records a new version of department deptID's correction rules
// and channel, as its office head. in.Version is the newest version read
// (0 when the department has none yet).
func (s *Service) SetRules(ctx context.Context, a access.Actor, deptID string, in RulesInput) (Rules, error) {
	if !CanReadRules(a) {
		return Rules{}, problem.ErrForbidden
	}
	now := s.clock()
	var out Rules
	err := s.write(ctx, func(tx Tx) error {
		if err := s.department(ctx, tx, deptID); err != nil {
			return err
		}
		if !CanWriteRules(a, deptID) {
			return problem.ErrForbidden
		}
		var err error
		if in, err = CleanRules(in); err != nil {
			return err
		}
		last, err := tx.CorrectionRules(ctx, deptID, 1)
		if err != nil {
			return err
		}
		var v int64
		if len(last) > 0 {
			v = last[0].Version
		}
		if v != in.Version {
			return problem.ErrVersionConflict
		}
		out = Rules{DepartmentID: deptID, Version: v + 1, Rules: in.Rules, Contact: in.Contact, Phone: in.Phone, URL: in.URL,
			Note: in.Note, CreatedBy: a.PersonID, CreatedAt: now}
		if err := tx.InsertCorrectionRules(ctx, out); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, ActionRules, ledger.Object{Type: "correction_rules", ID: deptID, DepartmentID: deptID}, out)
	})
	if err != nil {
		return Rules{}, err
	}
	return out, nil
}

// department refuses a department ID that names none.
func (s *Service) department(ctx context.Context, tx Tx, id string) error {
	d, err := tx.Department(ctx, id)
	if err != nil {
		return err
	}
	if d == nil {
		return errNoDepartment
	}
	return nil
}

// MaxRulesVersions bounds the versions one read returns.
const MaxRulesVersions = 100

// RulesOf returns department deptID's rules versions, newest first (empty
// when it has stated none), to every reader of rules.
func (s *Service) RulesOf(ctx context.Context, a access.Actor, deptID string) ([]Rules, error) {
	if !CanReadRules(a) {
		return nil, problem.ErrForbidden
	}
	var out []Rules
	err := s.read(ctx, func(tx Tx) (err error) {
		if err := s.department(ctx, tx, deptID); err != nil {
			return err
		}
		out, err = tx.CorrectionRules(ctx, deptID, MaxRulesVersions)
		return err
	})
	return out, err
}

// AllRules returns the current rules of every department that has stated
// them, by department ID after after.
func (s *Service) AllRules(ctx context.Context, a access.Actor, after string, limit int) ([]Rules, error) {
	if !CanReadRules(a) {
		return nil, problem.ErrForbidden
	}
	var out []Rules
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.CurrentCorrectionRules(ctx, after, limit); return err })
	return out, err
}
