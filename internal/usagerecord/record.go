// Package usagerecord keeps the consumer's usage records of Art. 29
// (使用记录): for each grant, the consumer department's sharing office
// records the scenario in which the shared data is used (使用场景), how it is
// used (使用过程), what it achieved (应用成效), where and how it is kept
// (存储情况) and when and how it was destroyed (销毁情况). Records are kept at
// least three years; the provider's office and the authorities above the
// consumer may read them, and every such read is itself recorded.
//
// Records are append-only: a correction is a new revision of the record,
// never an edit of the one before, so what the consumer stated on a day
// stays readable. No interface deletes a record; only the operator's purge
// removes records whose retention has run out.
//
// Not to be confused with grant.Usage, the per-day call statistics of a
// grant's service interface.
package usagerecord

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// RetentionYears is how long a record is kept at least (Art. 29: 不少于3年),
// counted from the Beijing date of its creation: a record written on
// 2026-06-15 is kept through 2029-06-15 and may be purged from 2029-06-16.
const RetentionYears = 3

// Field bounds. Text fields are prose an officer types; a page is plenty,
// and bounding them keeps a record (and an export row) a readable size.
const (
	MaxTextRunes  = 2000
	MaxShortRunes = 500 // destruction may be short ("尚未销毁") or detailed
)

// Record is one revision of a usage record. Revisions of one record share
// its ID and are numbered from 1; the newest one is the record's current
// statement, the older ones its history.
type Record struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	GrantID string `json:"grant_id"`
	// ConsumerID and ProviderID are the grant's parties, copied so that a
	// department's records can be exported without reading its grants.
	ConsumerID string `json:"consumer_id"`
	ProviderID string `json:"provider_id"`

	Scenario    string `json:"scenario"`    // 使用场景
	Process     string `json:"process"`     // 使用过程
	Effect      string `json:"effect"`      // 应用成效
	Storage     string `json:"storage"`     // 存储情况: where and how the data is kept
	Destruction string `json:"destruction"` // 销毁情况: when and how; "" until destroyed

	// PeriodFrom and PeriodTo are the days of use the revision covers,
	// inclusive (YYYY-MM-DD, Beijing).
	PeriodFrom string `json:"period_from"`
	PeriodTo   string `json:"period_to"`

	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"` // person ID
	// RetainedUntil is the last day the revision must be kept; it may be
	// purged from the day after.
	RetainedUntil string `json:"retained_until"`
}

// Input is what a consumer writes: a new record (RecordID empty), or a new
// revision of record RecordID, whose newest version the writer last read is
// Version.
type Input struct {
	RecordID    string `json:"record_id,omitempty"`
	Version     int64  `json:"version,omitempty"`
	Scenario    string `json:"scenario"`
	Process     string `json:"process"`
	Effect      string `json:"effect"`
	Storage     string `json:"storage"`
	Destruction string `json:"destruction"`
	PeriodFrom  string `json:"period_from"`
	PeriodTo    string `json:"period_to"`
}

// RetainedUntil is the last day a record created at created must be kept:
// the same calendar day RetentionYears later (a record of 29 February is
// kept through 1 March, the first day that is not earlier).
func RetainedUntil(created time.Time) calendar.Date {
	d := calendar.DateOf(created)
	y, m, dd := time.Date(d.Year+RetentionYears, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Date()
	return calendar.Date{Year: y, Month: m, Day: dd}
}

// PurgeableFrom is the first day a record created at created may be purged.
func PurgeableFrom(created time.Time) calendar.Date { return RetainedUntil(created).AddDays(1) }

func invalid(field, code, title, detail string) error {
	return problem.Field(field, code, title, detail)
}

// clean checks an input against the rules that need nothing but the input
// and the dates bounding it: the grant's first day and today. It returns the
// trimmed input. Problems name the JSON field.
func clean(in Input, grantDay, today calendar.Date) (Input, error) {
	in.RecordID = strings.TrimSpace(in.RecordID)
	if in.RecordID == "" && in.Version != 0 {
		return in, invalid("record_id", "usage_record.record_required", "修订记录时请指明记录编号",
			"version is only given with record_id, to revise that record")
	}
	if in.RecordID != "" && in.Version <= 0 {
		return in, invalid("version", "usage_record.version_required", "缺少版本号",
			"version (the newest version of the record you last read) is required to revise it")
	}
	texts := []struct {
		field, name string
		v           *string
		required    bool
		max         int
	}{
		{"scenario", "使用场景", &in.Scenario, true, MaxTextRunes},
		{"process", "使用过程", &in.Process, true, MaxTextRunes},
		{"effect", "应用成效", &in.Effect, true, MaxTextRunes},
		{"storage", "存储情况", &in.Storage, true, MaxTextRunes},
		{"destruction", "销毁情况", &in.Destruction, false, MaxShortRunes},
	}
	for _, t := range texts {
		*t.v = strings.TrimSpace(*t.v)
		switch {
		case *t.v == "" && t.required:
			return in, invalid(t.field, "usage_record.required", t.name+"不能为空", t.field+" is required (Art. 29)")
		case !utf8.ValidString(*t.v):
			return in, invalid(t.field, "usage_record.text_invalid", t.name+"含有无效字符", t.field+" is not valid UTF-8")
		case utf8.RuneCountInString(*t.v) > t.max:
			return in, problem.Fieldf(t.field, "usage_record.too_long", t.name+"过长", "%s may have at most %d characters", t.field, t.max)
		}
	}
	var from, to calendar.Date
	for _, d := range []struct {
		field, name string
		v           *string
		out         *calendar.Date
	}{{"period_from", "起始日期", &in.PeriodFrom, &from}, {"period_to", "截止日期", &in.PeriodTo, &to}} {
		*d.v = strings.TrimSpace(*d.v)
		if *d.v == "" {
			return in, invalid(d.field, "usage_record.required", d.name+"不能为空", d.field+" is required (YYYY-MM-DD)")
		}
		x, err := calendar.ParseDate(*d.v)
		if err != nil {
			return in, invalid(d.field, "usage_record.date_invalid", d.name+"格式应为 YYYY-MM-DD", d.field+" must be a date YYYY-MM-DD that exists")
		}
		*d.out = x
	}
	switch {
	case from.After(to):
		return in, invalid("period_to", "usage_record.period_order", "截止日期早于起始日期", "period_to must not be before period_from")
	case from.Before(grantDay):
		return in, invalid("period_from", "usage_record.period_before_grant", "起始日期早于共享授权生效日期",
			"period_from must not be before the grant was given ("+grantDay.String()+")")
	case to.After(today):
		return in, invalid("period_to", "usage_record.period_future", "截止日期晚于今天",
			"a usage record states use that happened; period_to must not be after today ("+today.String()+")")
	}
	return in, nil
}
