package grant

import (
	"context"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// Usage is one Beijing day of a grant's use through the service interface:
// the per-grant, per-day call statistics of PRACTICE.md. The delivery
// service counts each call in the transaction that records its event.
type Usage struct {
	Day string `json:"day"`
	// Calls is the calls served (outcome ok): what the daily quota counts.
	Calls int64 `json:"calls"`
	// Refused is the calls refused, for whatever reason, including the
	// rate limit and the spent quota.
	Refused int64 `json:"refused"`
	// Rows is the rows delivered by the calls served.
	Rows int64 `json:"rows"`
}

// UsageReport is a grant's usage over a range of days, with the limits it
// is held to. Days without any call are left out.
type UsageReport struct {
	GrantID string  `json:"grant_id"`
	Limits  Limits  `json:"limits"`
	From    string  `json:"from"`
	To      string  `json:"to"`
	Days    []Usage `json:"days"`
}

// UsageFilter is the range of days asked for ("" for the defaults).
type UsageFilter struct {
	From, To string
}

// UsageDays is how many days a report covers when from is not given, and
// MaxUsageDays the most it may cover.
const (
	UsageDays    = 30
	MaxUsageDays = 366
)

// UsageTx reads the statistics; grant.Tx includes it.
type UsageTx interface {
	// GrantUsage lists the days from..to (inclusive, "YYYY-MM-DD") with
	// calls, oldest first.
	GrantUsage(ctx context.Context, grantID, from, to string) ([]Usage, error)
}

func usageRange(f UsageFilter, today calendar.Date) (calendar.Date, calendar.Date, error) {
	to := today
	if f.To != "" {
		d, err := calendar.ParseDate(f.To)
		if err != nil {
			return to, to, problem.Field("to", "grant.date_invalid", "日期格式应为 YYYY-MM-DD", "to must be a date YYYY-MM-DD")
		}
		to = d
	}
	from := to.AddDays(-(UsageDays - 1))
	if f.From != "" {
		d, err := calendar.ParseDate(f.From)
		if err != nil {
			return to, to, problem.Field("from", "grant.date_invalid", "日期格式应为 YYYY-MM-DD", "from must be a date YYYY-MM-DD")
		}
		from = d
	}
	if from.After(to) {
		return to, to, problem.Field("from", "grant.range_invalid", "起始日期晚于截止日期", "from must not be after to")
	}
	if to.AddDays(-(MaxUsageDays - 1)).After(from) {
		return to, to, problem.Fieldf("from", "grant.range_too_long", "查询区间过长", "a report covers at most %d days", MaxUsageDays)
	}
	return from, to, nil
}

// Usage returns the daily call statistics of a grant: whoever may read the
// grant may read its usage (CanRead).
func (s *Service) Usage(ctx context.Context, a access.Actor, id string, f UsageFilter) (UsageReport, error) {
	from, to, err := usageRange(f, calendar.DateOf(s.now()))
	if err != nil {
		return UsageReport{}, err
	}
	rep := UsageReport{GrantID: id, From: from.String(), To: to.String()}
	err = s.read(ctx, func(tx Tx) error {
		g, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		rep.Limits = g.Limits.Effective()
		rep.Days, err = tx.GrantUsage(ctx, id, rep.From, rep.To)
		return err
	})
	if err != nil {
		return UsageReport{}, err
	}
	return rep, nil
}
