package grant

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/govshare/govshare/internal/problem"
)

// Limits bound how hard a consumer's systems may use a grant through the
// service interface (PRACTICE.md: gateways check call frequency and call
// count; grants carry a permitted number of calls). PerSecond is the rate
// of a token bucket that holds one second's worth of calls; PerDay is the
// number of calls served per Beijing calendar day.
type Limits struct {
	PerSecond int `json:"per_second"`
	PerDay    int `json:"per_day"`
}

// The limits a grant gets when the approving reply names none. 50 calls a
// second covers a busy window system (a lookup per citizen served, with
// bursts); 100,000 a day is 50/s sustained for over half an hour, far above
// a department's counter traffic, while still capping a runaway batch job
// that should use batch exchange instead.
const (
	DefaultPerSecond = 50
	DefaultPerDay    = 100_000
)

// The highest limits a reply may set: beyond them a node could not serve the
// calls anyway (the gateway's benchmark target is 10,000 lookups a second on
// two cores), so a larger figure would only mean "unlimited".
const (
	MaxPerSecond = 100_000
	MaxPerDay    = 1_000_000_000
)

// Effective is l with the defaults in place of unset figures (grants stored
// before limits existed have none).
func (l Limits) Effective() Limits {
	if l.PerSecond <= 0 {
		l.PerSecond = DefaultPerSecond
	}
	if l.PerDay <= 0 {
		l.PerDay = DefaultPerDay
	}
	return l
}

// cleanLimits checks the limits a reply gives: 0 (or none) takes the
// default, a figure must lie between 1 and its maximum.
func cleanLimits(l Limits) (Limits, error) {
	if l.PerSecond < 0 || l.PerSecond > MaxPerSecond {
		return Limits{}, problem.Fieldf("limits.per_second", "grant.limit_invalid", "调用频率限制无效",
			"per_second must be between 1 and %d (0 or absent: the default %d)", MaxPerSecond, DefaultPerSecond)
	}
	if l.PerDay < 0 || l.PerDay > MaxPerDay {
		return Limits{}, problem.Fieldf("limits.per_day", "grant.limit_invalid", "每日调用次数限制无效",
			"per_day must be between 1 and %d (0 or absent: the default %d)", MaxPerDay, DefaultPerDay)
	}
	return l.Effective(), nil
}

// cleanClearItems checks the items a reply lets through unmasked: each must
// be one of the granted items. Duplicates are dropped.
func cleanClearItems(granted, clear []string) ([]string, error) {
	out := []string{}
	for i, it := range clear {
		if !slices.Contains(granted, it) {
			return nil, &problem.Error{Kind: problem.Invalid, Code: "grant.clear_item_not_granted", Field: "clear_items[" + strconv.Itoa(i) + "]",
				Title: "明文提供的数据项“" + it + "”不在共享授权范围内", Detail: fmt.Sprintf("clear item %q is not one of the granted items", it)}
		}
		if !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	return out, nil
}

// InClear reports whether the grant lets item through unmasked.
func (g Grant) InClear(item string) bool { return slices.Contains(g.ClearItems, item) }
