package application

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// Form is what the consumer states in an application (Art. 20): the data
// items it needs, the legal basis, scenario and scope of use, the delivery
// method and the time limit. Every field is mandatory.
type Form struct {
	Items          []string  `json:"items"`
	LegalBasis     string    `json:"legal_basis"`
	Scenario       string    `json:"scenario"`
	Scope          string    `json:"scope"`
	DeliveryMethod string    `json:"delivery_method"`
	TimeLimit      TimeLimit `json:"time_limit"`
}

// TimeLimit is how long the consumer may use the data: until a date, or for a
// number of months from the approval. Exactly one is given.
type TimeLimit struct {
	Until  string `json:"until,omitempty"` // YYYY-MM-DD
	Months int    `json:"months,omitempty"`
}

// Limits on the form. A use without end is not a time limit; five years
// bounds it (a longer need is a new application).
const (
	MaxTimeLimitMonths = 60
	maxTextRunes       = 2000
)

func required(field string) error {
	return problem.Fieldf(field, "application.required", "必填项不能为空", "%s is required (Art. 20)", field)
}

func text(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", required(field)
	}
	if utf8.RuneCountInString(v) > maxTextRunes {
		return "", problem.Fieldf(field, "application.too_long", "内容过长", "%s is longer than %d characters", field, maxTextRunes)
	}
	return v, nil
}

// Normalise trims the form's text and checks it against the published entry
// as of today: every field present, the items a non-empty subset of the
// entry's, the method one of the entry's, the time limit in the future and
// bounded. It returns the cleaned form.
func (f Form) Normalise(e EntryRef, today calendar.Date) (Form, error) {
	if len(f.Items) == 0 {
		return f, problem.Field("items", "application.items_required", "请选择所需数据项", "items must name at least one data item of the entry")
	}
	items := make([]string, len(f.Items))
	for i, it := range f.Items {
		field := "items[" + strconv.Itoa(i) + "]"
		it = strings.TrimSpace(it)
		if it == "" {
			return f, required(field)
		}
		if !slices.Contains(e.Items, it) {
			return f, problem.Fieldf(field, "application.item_unknown", "数据项不属于该目录", "the published entry has no data item %q", it)
		}
		if slices.Contains(items[:i], it) {
			return f, problem.Fieldf(field, "application.item_duplicate", "数据项重复", "data item %q is named twice", it)
		}
		items[i] = it
	}
	out := Form{Items: items}
	var err error
	if out.LegalBasis, err = text("legal_basis", f.LegalBasis); err != nil {
		return f, err
	}
	if out.Scenario, err = text("scenario", f.Scenario); err != nil {
		return f, err
	}
	if out.Scope, err = text("scope", f.Scope); err != nil {
		return f, err
	}
	out.DeliveryMethod = strings.TrimSpace(f.DeliveryMethod)
	switch {
	case out.DeliveryMethod == "":
		return f, required("delivery_method")
	case !slices.Contains([]string{ServiceInterface, BatchExchange, FileDownload}, out.DeliveryMethod):
		return f, problem.Fieldf("delivery_method", "application.delivery_method_invalid", "共享方式无效",
			"delivery_method must be service_interface, batch_exchange or file_download; got %q", out.DeliveryMethod)
	case !slices.Contains(e.DeliveryMethods, out.DeliveryMethod):
		return f, problem.Fieldf("delivery_method", "application.delivery_method_unavailable", "该目录不提供此共享方式",
			"the entry offers %s, not %s", strings.Join(e.DeliveryMethods, ", "), out.DeliveryMethod)
	}
	if out.TimeLimit, err = f.TimeLimit.check(today); err != nil {
		return f, err
	}
	return out, nil
}

func (t TimeLimit) check(today calendar.Date) (TimeLimit, error) {
	t.Until = strings.TrimSpace(t.Until)
	switch {
	case t.Until == "" && t.Months == 0:
		return t, problem.Field("time_limit", "application.required", "必填项不能为空", "time_limit is required: give until (a date) or months (Art. 20)")
	case t.Until != "" && t.Months != 0:
		return t, problem.Field("time_limit", "application.time_limit_ambiguous", "使用时限只能填写截止日期或月数之一", "give either until or months, not both")
	case t.Months != 0:
		if t.Months < 1 || t.Months > MaxTimeLimitMonths {
			return t, problem.Fieldf("time_limit.months", "application.time_limit_invalid", "使用时限超出范围",
				"months must be from 1 to %d", MaxTimeLimitMonths)
		}
		return t, nil
	}
	d, err := calendar.ParseDate(t.Until)
	if err != nil {
		return t, problem.Field("time_limit.until", "application.time_limit_invalid", "使用时限日期格式错误", "until must be a date YYYY-MM-DD")
	}
	if !d.After(today) {
		return t, problem.Fieldf("time_limit.until", "application.time_limit_past", "使用时限必须晚于今天", "until must be after today (%s)", today)
	}
	last := calendar.DateOf(time.Date(today.Year+MaxTimeLimitMonths/12, today.Month, today.Day, 12, 0, 0, 0, calendar.Shanghai))
	if d.After(last) {
		return t, problem.Fieldf("time_limit.until", "application.time_limit_invalid", "使用时限超出范围",
			"until may be at most %d years ahead (%s)", MaxTimeLimitMonths/12, last)
	}
	return t, nil
}

// Applicable refuses entries that cannot be applied for by this consumer.
func Applicable(e EntryRef, consumerID string) error {
	if e.Attribute == NotShareable {
		return problem.Field("entry_id", "application.not_shareable", "该目录为不予共享类，不能申请",
			"the entry is not shareable (Art. 14, 15)")
	}
	if e.ProviderID == consumerID {
		return problem.Field("entry_id", "application.own_entry", "不能申请本部门的数据",
			"the entry is your own department's; no application is needed")
	}
	if e.Attribute != Unconditional && e.Attribute != Conditional {
		return problem.Fieldf("entry_id", "application.attribute_unknown", "目录共享属性无效", "the entry's sharing attribute %q is unknown", e.Attribute)
	}
	return nil
}
