package correction

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// MaxStatuses bounds the history one read returns.
const MaxStatuses = 200

// StatusHistory is a grant's usage status: the current one (nil before the
// consumer records any) and the history, newest first.
type StatusHistory struct {
	GrantID string   `json:"grant_id"`
	Current *Status  `json:"current"`
	History []Status `json:"history"`
}

// SetStatus records the usage status of a grant's data as the consumer's
// sharing office. in.Version is the newest version the writer read (0 for
// none): two writers of one version cannot both succeed.
func (s *Service) SetStatus(ctx context.Context, a access.Actor, grantID string, in StatusInput) (Status, error) {
	now := s.clock()
	var out Status
	err := s.write(ctx, func(tx Tx) error {
		g, err := loadGrant(ctx, tx, a, grantID)
		if err != nil {
			return err
		}
		if !CanFile(a, g) {
			return problem.ErrForbidden
		}
		if in, err = CleanStatus(in); err != nil {
			return err
		}
		last, err := tx.UsageStatuses(ctx, g.ID, 1)
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
		out = Status{GrantID: g.ID, Version: v + 1, ConsumerID: g.ConsumerID, ProviderID: g.ProviderID,
			Status: in.Status, Note: in.Note, SetBy: a.PersonID, SetAt: now}
		if err := tx.InsertUsageStatus(ctx, out); err != nil {
			return err
		}
		// The status is the consumer's record about the provider's data: the
		// provider reads the event as the object's department.
		return ledger.Record(ctx, tx, now, a, ActionStatus, ledger.Object{Type: "grant", ID: g.ID, DepartmentID: g.ProviderID}, out)
	})
	if err != nil {
		return Status{}, err
	}
	return out, nil
}

// Statuses returns a grant's usage status and its history to the grant's
// parties and the authorities and auditors above either.
func (s *Service) Statuses(ctx context.Context, a access.Actor, grantID string) (StatusHistory, error) {
	out := StatusHistory{GrantID: grantID, History: []Status{}}
	err := s.read(ctx, func(tx Tx) error {
		g, err := loadGrant(ctx, tx, a, grantID)
		if err != nil {
			return err
		}
		out.History, err = tx.UsageStatuses(ctx, g.ID, MaxStatuses)
		return err
	})
	if err != nil {
		return StatusHistory{}, err
	}
	if len(out.History) > 0 {
		c := out.History[0]
		out.Current = &c
	}
	return out, nil
}
