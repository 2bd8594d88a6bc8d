package exchange

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// Bounds of a push schedule: at most weekly, at least every minute.
const (
	MinIntervalSeconds = 60
	MaxIntervalSeconds = 7 * 24 * 3600
)

// ActionSchedule records a push schedule set or lifted.
const ActionSchedule = "exchange.schedule"

// ScheduleInput sets a push's interval: 0 pushes as soon as there is
// something to send.
type ScheduleInput struct {
	IntervalSeconds int   `json:"interval_seconds"`
	Version         int64 `json:"version"`
}

// CanSchedule: the provider's sharing office schedules the pushes of its
// data to a consumer's endpoint (issue #4: "the provider can also schedule a
// push to a consumer endpoint"); the consumer's office registered the
// endpoint and holds its secret.
func CanSchedule(a access.Actor, s *Subscription) bool {
	return s.Kind == Push && inOffice(a, s.ProviderID)
}

// Schedule sets how often an active push subscription is pushed.
func (s *Service) Schedule(ctx context.Context, a access.Actor, id string, in ScheduleInput) (Subscription, error) {
	if in.Version <= 0 {
		return Subscription{}, problem.Field("version", "exchange.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	if in.IntervalSeconds != 0 && (in.IntervalSeconds < MinIntervalSeconds || in.IntervalSeconds > MaxIntervalSeconds) {
		return Subscription{}, problem.Fieldf("interval_seconds", "exchange.interval_invalid", "推送间隔无效",
			"interval_seconds is 0 (as soon as there is data) or %d to %d", MinIntervalSeconds, MaxIntervalSeconds)
	}
	now := s.now().UTC()
	var out *Subscription
	err := s.write(ctx, func(tx Tx) error {
		sub, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !CanSchedule(a, sub) {
			return problem.ErrForbidden
		}
		if sub.Version != in.Version {
			return problem.ErrVersionConflict
		}
		if sub.State != Active {
			return problem.New(problem.Conflict, "exchange.subscription_not_active", "订阅已取消或已结束", "only an active subscription can be scheduled")
		}
		sub.IntervalSeconds = in.IntervalSeconds
		sub.Version++
		sub.UpdatedAt = now
		if err := tx.UpdateSubscription(ctx, *sub); err != nil {
			return err
		}
		out = sub
		return ledger.Record(ctx, tx, now, a, ActionSchedule, ObjectOf(*sub), sub)
	})
	if err != nil {
		return Subscription{}, err
	}
	return *out, nil
}
