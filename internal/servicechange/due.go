package servicechange

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// ApplyDue puts into effect every acknowledged change whose effective date
// has come, as the platform itself (access.System): a change filed and
// acknowledged before its date must not wait for someone to press the button
// on the day. Each change is applied in a transaction of its own, so that
// one that fails (say, a grant moved concurrently) does not hold back the
// others; a change someone put into effect meanwhile is skipped. It reports
// how many took effect, and the first error.
func (s *Service) ApplyDue(ctx context.Context) (int, error) {
	now := s.clock()
	var due []ServiceChange
	err := s.read(ctx, func(tx Tx) error {
		after := ""
		for {
			page, err := tx.ListServiceChanges(ctx, Filter{Scope: access.Scope{All: true}, States: []State{Acknowledged}, After: after, Limit: 200})
			if err != nil {
				return err
			}
			for _, c := range page {
				if c.Due(now) {
					due = append(due, c)
				}
			}
			if len(page) < 200 {
				return nil
			}
			after = page[len(page)-1].ID
		}
	})
	if err != nil {
		return 0, fmt.Errorf("servicechange: list due changes: %w", err)
	}
	n := 0
	var first error
	for _, listed := range due {
		err := s.write(ctx, func(tx Tx) error {
			c, err := tx.ServiceChange(ctx, listed.ID)
			if err != nil {
				return err
			}
			if c == nil || c.Version != listed.Version {
				return problem.ErrVersionConflict
			}
			return commit(ctx, tx, access.System, c, now, func(tx Tx, c *ServiceChange, now time.Time) error {
				return takeEffect(ctx, tx, access.System, c, now)
			})
		})
		switch {
		case err == nil:
			n++
		case errors.Is(err, problem.ErrVersionConflict) || problem.CodeOf(err) == "service_change.wrong_state":
			// Someone acted on it since it was listed.
		case first == nil:
			first = fmt.Errorf("servicechange: put %s into effect: %w", listed.ID, err)
		}
	}
	return n, first
}
