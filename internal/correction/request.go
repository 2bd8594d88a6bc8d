package correction

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// AnswerDays is the provider's period to verify, correct and answer
// (Art. 26: 自收到政务数据校核申请之日起10个工作日内).
const AnswerDays = 10

// Kind is what the consumer believes is wrong with the data (Art. 26:
// 不准确或者不完整).
type Kind string

const (
	Inaccurate Kind = "inaccurate" // 不准确: a value is wrong
	Incomplete Kind = "incomplete" // 不完整: a value or a row is missing
)

// State is where a request stands. Overdue is not a state: an open request
// is overdue once its due day has passed, which Request.Overdue tells.
type State string

const (
	Open         State = "open"          // filed and received; the provider's answer is due
	Corrected    State = "corrected"     // answered: the data was corrected
	NotCorrected State = "not_corrected" // answered: verified, not corrected, with reasons
)

// Outcomes of an answer; an answered request's state is its outcome.
const (
	OutcomeCorrected    = string(Corrected)
	OutcomeNotCorrected = string(NotCorrected)
)

// Bounds of the text a person types. Rows are identifications such as
// "统一社会信用代码 91330106MA2A000011"; a request names few of them.
const (
	MaxRows       = 100
	MaxRowRunes   = 200
	MaxTextRunes  = 2000
	MaxReasons    = 20
	MaxChangeRefs = 1000
)

// Request is a correction request and, once answered, its answer.
type Request struct {
	ID      string `json:"id"`
	GrantID string `json:"grant_id"`
	// The grant's parties and entry, copied so that listings and the
	// provider's to-do need not read the grant.
	ConsumerID       string `json:"consumer_id"`
	ConsumerDivision string `json:"consumer_division"`
	ProviderID       string `json:"provider_id"`
	ProviderDivision string `json:"provider_division"`
	EntryID          string `json:"entry_id"`
	EntryName        string `json:"entry_name"`

	Kind        Kind     `json:"kind"`
	Rows        []string `json:"rows"`  // the rows (by key) the consumer believes wrong
	Items       []string `json:"items"` // granted data items of the entry
	Description string   `json:"description"`
	Evidence    string   `json:"evidence"`

	State State `json:"state"`
	// ReceivedAt is when the provider received the request: platform
	// delivery is immediate, so it is the filing time.
	FiledBy    string    `json:"filed_by"`
	ReceivedAt time.Time `json:"received_at"`
	// Deadline is the end of the 10th working day after the day of receipt,
	// with the rule that counted it. It is nil while the count runs into a
	// year whose holiday notice is not imported yet (a request filed in late
	// December): the request is taken all the same, and its deadline is
	// counted when read once the year is known (Resolve), and stored with
	// the next write.
	Deadline *calendar.Deadline `json:"deadline,omitempty"`
	Answer   *Answer            `json:"answer,omitempty"`
	// Overdue is derived when the request is read: open past its due day.
	Overdue bool `json:"overdue"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Answer is the provider's single answer (反馈校核处理结果).
type Answer struct {
	Outcome string `json:"outcome"`
	// Rows and Items say what was changed (corrected) or verified.
	Rows  []string `json:"rows"`
	Items []string `json:"items"`
	// Changes are the change numbers of the entry's hosted dataset that made
	// the correction: every consumer of the entry receives them by the
	// change feed. Empty when not corrected, or when the entry is not hosted
	// on the platform (the note then says where it was fixed).
	Changes []int64   `json:"changes"`
	Note    string    `json:"note,omitempty"`
	Reasons []string  `json:"reasons,omitempty"` // why not corrected
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	// OnTime is false for an answer given after the due day: it is still
	// taken, and stays on the record as late.
	OnTime bool `json:"on_time"`
}

// NewRequest is what the consumer files.
type NewRequest struct {
	GrantID     string   `json:"grant_id"`
	Kind        Kind     `json:"kind"`
	Rows        []string `json:"rows"`
	Items       []string `json:"items"`
	Description string   `json:"description"`
	Evidence    string   `json:"evidence"`
}

// AnswerInput is what the provider answers, with the version last read.
type AnswerInput struct {
	Outcome string   `json:"outcome"`
	Rows    []string `json:"rows"`
	Items   []string `json:"items"`
	Changes []int64  `json:"changes"`
	Note    string   `json:"note"`
	Reasons []string `json:"reasons"`
	Version int64    `json:"version"`
}

var kindName = map[Kind]string{Inaccurate: "不准确", Incomplete: "不完整"}

// text trims a typed text and checks it is present (when required),
// valid and within max characters; problems name field.
func text(field, name, v string, required bool, max int) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		return "", problem.Field(field, "correction.required", name+"不能为空", field+" is required (Art. 26)")
	case !utf8.ValidString(v):
		return "", problem.Field(field, "correction.text_invalid", name+"含有无效字符", field+" is not valid UTF-8")
	case utf8.RuneCountInString(v) > max:
		return "", problem.Fieldf(field, "correction.too_long", name+"过长", "%s may have at most %d characters", field, max)
	}
	return v, nil
}

// list cleans a list of short texts: each present and bounded, no
// duplicates; at least one when required.
func list(field, name string, vs []string, required bool, maxN, maxRunes int) ([]string, error) {
	if len(vs) == 0 && required {
		return nil, problem.Field(field, "correction.required", name+"不能为空", field+" must name at least one")
	}
	if len(vs) > maxN {
		return nil, problem.Fieldf(field, "correction.too_many", name+"过多", "%s may name at most %d", field, maxN)
	}
	out := []string{}
	for i, v := range vs {
		at := field + "[" + strconv.Itoa(i) + "]"
		v, err := text(at, name, v, true, maxRunes)
		if err != nil {
			return nil, err
		}
		if slices.Contains(out, v) {
			return nil, problem.Fieldf(at, "correction.duplicate", name+"重复", "%s names %q twice", field, v)
		}
		out = append(out, v)
	}
	return out, nil
}

// checkItems says every item is a data item of the entry (entryItems) and
// granted to the consumer (granted).
func checkItems(field string, items, entryItems, granted []string) error {
	for i, it := range items {
		at := field + "[" + strconv.Itoa(i) + "]"
		if !slices.Contains(entryItems, it) {
			return problem.Fieldf(at, "correction.item_unknown", "目录中没有该数据项："+it, "%q is not a data item of the entry", it)
		}
		if !slices.Contains(granted, it) {
			return problem.Fieldf(at, "correction.item_not_granted", "该数据项不在共享授权范围内："+it,
				"%q is not among the items granted to the consumer", it)
		}
	}
	return nil
}

// CleanRequest checks a consumer's request against the entry's published
// data items and the grant's items, and returns it trimmed. Problems name
// the JSON field.
func CleanRequest(in NewRequest, entryItems, granted []string) (NewRequest, error) {
	if _, ok := kindName[in.Kind]; !ok {
		return in, problem.Fieldf("kind", "correction.kind_invalid", "请选择问题类型：不准确或不完整",
			"kind must be inaccurate or incomplete; got %q", in.Kind)
	}
	var err error
	if in.Rows, err = list("rows", "数据记录", in.Rows, true, MaxRows, MaxRowRunes); err != nil {
		return in, err
	}
	if in.Items, err = list("items", "数据项", in.Items, true, len(entryItems)+1, MaxRowRunes); err != nil {
		return in, err
	}
	if err := checkItems("items", in.Items, entryItems, granted); err != nil {
		return in, err
	}
	if in.Description, err = text("description", "问题描述", in.Description, true, MaxTextRunes); err != nil {
		return in, err
	}
	if in.Evidence, err = text("evidence", "依据材料", in.Evidence, false, MaxTextRunes); err != nil {
		return in, err
	}
	return in, nil
}

// Deadline counts the answer period from the day of receipt, which is not
// counted. Into a year the calendar does not know yet there is no deadline
// to give (nil, no error) and none is guessed; any other failure of the
// count is an error.
func Deadline(cal *calendar.Calendar, receipt calendar.Date) (*calendar.Deadline, error) {
	d, err := cal.DeadlineFrom(receipt, AnswerDays)
	var unknown *calendar.UnknownYearError
	if errors.As(err, &unknown) {
		return nil, nil
	}
	if err != nil {
		return nil, workcal.Problem(err)
	}
	d.Rule = "第二十六条 校核申请处理期限：" + d.Rule
	return &d, nil
}

// Resolve counts r's deadline if it was not countable when r was received
// and now is on cal. An answer given meanwhile was taken as on time (its
// day could not be shown to be past the due day); once the due day is
// known, the answer is judged against it.
func (r *Request) Resolve(cal *calendar.Calendar) {
	if r.Deadline != nil || cal == nil {
		return
	}
	d, err := Deadline(cal, calendar.DateOf(r.ReceivedAt))
	if err != nil || d == nil {
		return // still not countable; a read never fails for it
	}
	r.Deadline = d
	if r.Answer != nil {
		r.Answer.OnTime = !calendar.DateOf(r.Answer.At).After(d.Due)
	}
}

// OverdueOn reports whether r is open past its due day as of today. A
// request whose due day is not countable yet is not overdue: the due day
// lies in a year the calendar does not know, after every day it does.
func (r Request) OverdueOn(today calendar.Date) bool {
	return r.State == Open && r.Deadline != nil && today.After(r.Deadline.Due)
}

// WrongState refuses an act the request's state does not allow.
func WrongState(s State, act string) error {
	return &problem.Error{Kind: problem.Conflict, Code: "correction.wrong_state", Title: "校核申请当前状态不允许此操作",
		Detail: fmt.Sprintf("cannot %s a correction request that is %s", act, s)}
}

// errAnswered refuses a second answer: a request is answered once.
var errAnswered = &problem.Error{Kind: problem.Conflict, Code: "correction.already_answered", Title: "该校核申请已反馈处理结果，不能再次反馈",
	Detail: "a correction request has exactly one answer"}

// CleanAnswer checks a provider's answer against the entry's data items and
// the request. hosted says whether the entry has a hosted dataset: a
// correction of hosted data must name the change numbers that made it.
// Whether those numbers exist is checked by the service, in the feed.
func CleanAnswer(in AnswerInput, entryItems []string, hosted bool) (AnswerInput, error) {
	var err error
	if in.Note, err = text("note", "处理说明", in.Note, false, MaxTextRunes); err != nil {
		return in, err
	}
	switch in.Outcome {
	case OutcomeCorrected:
		if in.Rows, err = list("rows", "更正的数据记录", in.Rows, true, MaxRows, MaxRowRunes); err != nil {
			return in, err
		}
		if in.Items, err = list("items", "更正的数据项", in.Items, true, len(entryItems)+1, MaxRowRunes); err != nil {
			return in, err
		}
		for i, it := range in.Items {
			if !slices.Contains(entryItems, it) {
				return in, problem.Fieldf("items["+strconv.Itoa(i)+"]", "correction.item_unknown", "目录中没有该数据项："+it,
					"%q is not a data item of the entry", it)
			}
		}
		if len(in.Reasons) > 0 {
			return in, problem.Field("reasons", "correction.reasons_unexpected", "已更正的反馈不填写未更正理由",
				"reasons are given only when the data is not corrected")
		}
		switch {
		case hosted && len(in.Changes) == 0:
			return in, problem.Field("changes", "correction.changes_required", "请填写更正所产生的托管数据变更序号",
				"the entry's data is hosted on the platform: name the change numbers of the fix, so every consumer receives it by the change feed")
		case !hosted && len(in.Changes) > 0:
			return in, problem.Field("changes", "correction.not_hosted", "该目录未在平台托管数据，没有变更序号",
				"the entry has no hosted dataset; say in note where the data was corrected")
		case !hosted && in.Note == "":
			return in, problem.Field("note", "correction.required", "处理说明不能为空",
				"the entry is not hosted on the platform: note must say where and how the data was corrected")
		case len(in.Changes) > MaxChangeRefs:
			return in, problem.Fieldf("changes", "correction.too_many", "变更序号过多", "changes may name at most %d", MaxChangeRefs)
		}
		seen := map[int64]bool{}
		for i, c := range in.Changes {
			if c <= 0 || seen[c] {
				return in, problem.Fieldf("changes["+strconv.Itoa(i)+"]", "correction.change_invalid", "变更序号无效",
					"change numbers are positive and named once; got %d", c)
			}
			seen[c] = true
		}
	case OutcomeNotCorrected:
		if in.Reasons, err = list("reasons", "未更正理由", in.Reasons, true, MaxReasons, MaxTextRunes); err != nil {
			return in, err
		}
		if len(in.Changes) > 0 {
			return in, problem.Field("changes", "correction.changes_unexpected", "未更正的反馈没有变更序号",
				"changes are named only when the data was corrected")
		}
		if in.Rows, err = list("rows", "核实的数据记录", in.Rows, false, MaxRows, MaxRowRunes); err != nil {
			return in, err
		}
		if in.Items, err = list("items", "核实的数据项", in.Items, false, len(entryItems)+1, MaxRowRunes); err != nil {
			return in, err
		}
	default:
		return in, problem.Fieldf("outcome", "correction.outcome_invalid", "请选择处理结果：已更正或未更正",
			"outcome must be corrected or not_corrected; got %q", in.Outcome)
	}
	return in, nil
}

// Respond records the provider's answer at now: the request's state becomes
// the outcome; the answer is late when today is past the due day. With no
// countable due day yet the answer is on time for now, and judged again
// once the due day is known (Resolve).
func (r *Request) Respond(by string, in AnswerInput, now time.Time) error {
	switch r.State {
	case Open:
	case Corrected, NotCorrected:
		return errAnswered
	default:
		return WrongState(r.State, "answer")
	}
	r.Answer = &Answer{Outcome: in.Outcome, Rows: in.Rows, Items: in.Items, Changes: in.Changes, Note: in.Note, Reasons: in.Reasons,
		By: by, At: now, OnTime: r.Deadline == nil || !calendar.DateOf(now).After(r.Deadline.Due)}
	if r.Answer.Changes == nil {
		r.Answer.Changes = []int64{}
	}
	r.State = State(in.Outcome)
	return nil
}
