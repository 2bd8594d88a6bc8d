package grant

// The grant's life after delivery (Art. 27): suspension with a deadline for
// rectification (¶2), and disposal of the data once the purpose is over (¶1).

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// Grounds say why a grant is suspended (Art. 27 ¶2).
type Grounds string

const (
	BeyondScope   Grounds = "beyond_scope"   // 擅自超出使用范围
	BeyondPurpose Grounds = "beyond_purpose" // 擅自超出共享目的
	ThirdParty    Grounds = "third_party"    // 擅自提供给第三方
	OtherGrounds  Grounds = "other"          // 其他
)

// AllGrounds lists the grounds a suspension may state.
var AllGrounds = []Grounds{BeyondScope, BeyondPurpose, ThirdParty, OtherGrounds}

// DisposalMethod is how the consumer disposes of the data (妥善处置).
type DisposalMethod string

const (
	DisposeDelete  DisposalMethod = "delete"  // 删除销毁
	DisposeReturn  DisposalMethod = "return"  // 退回提供部门
	DisposeArchive DisposalMethod = "archive" // 封存归档
)

// AllDisposalMethods lists the methods a provider may require.
var AllDisposalMethods = []DisposalMethod{DisposeDelete, DisposeReturn, DisposeArchive}

// DefaultDisposalMethod applies while the provider has stated no requirement:
// deletion leaves nothing behind, the safest reading of 妥善处置.
const DefaultDisposalMethod = DisposeDelete

// DisposalReason says why an active grant is disposed of before it ends
// (Art. 27 ¶1): the purpose is met, cannot be met, or no longer needs the data.
type DisposalReason string

const (
	PurposeMet         DisposalReason = "purpose_met"
	PurposeImpossible  DisposalReason = "purpose_impossible"
	PurposeUnnecessary DisposalReason = "purpose_unnecessary"
)

// AllDisposalReasons lists the reasons a disposal of an active grant may give.
var AllDisposalReasons = []DisposalReason{PurposeMet, PurposeImpossible, PurposeUnnecessary}

// DisposalDays is the platform's default period for disposal once a grant has
// ended (expired or terminated): the regulation sets none, so the platform
// gives 10 working days, the period Art. 21 and 26 use for a department's
// answer.
const DisposalDays = 10

// Deadline is a due date with the rule that produced it.
type Deadline struct {
	Due  string `json:"due"` // YYYY-MM-DD, Beijing
	Rule string `json:"rule"`
}

// Suspension is the latest suspension of a grant: the grounds, reasons and
// evidence, the deadline for rectification, the consumer's reports, and how
// it ended. It stays on the grant after a resumption or a termination.
type Suspension struct {
	Grounds      Grounds         `json:"grounds"`
	Reasons      []string        `json:"reasons"`
	Evidence     string          `json:"evidence"`
	RectifyBy    Deadline        `json:"rectify_by"`
	By           string          `json:"by"`
	DepartmentID string          `json:"department_id"` // the suspender, who alone resumes
	At           time.Time       `json:"at"`
	Reports      []Rectification `json:"reports"`
	// Outcome is "" while suspended, then "resumed" or "terminated".
	Outcome  string     `json:"outcome,omitempty"`
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// Rectification is the consumer's report of what it did to rectify (整改).
type Rectification struct {
	Actions  string    `json:"actions"`
	Evidence string    `json:"evidence"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// DisposalRequirement is the provider's requirement for disposal.
type DisposalRequirement struct {
	Method       DisposalMethod `json:"method"`
	Text         string         `json:"text"`
	By           string         `json:"by"`
	DepartmentID string         `json:"department_id"`
	At           time.Time      `json:"at"`
}

// Disposal is the consumer's record of how it disposed of the data.
type Disposal struct {
	Method     DisposalMethod `json:"method"`
	Actions    string         `json:"actions"`  // what was done
	DoneOn     string         `json:"done_on"`  // when, YYYY-MM-DD
	Evidence   string         `json:"evidence"` // e.g. the destruction certificate's number
	Reason     DisposalReason `json:"reason,omitempty"`
	ReasonText string         `json:"reason_text,omitempty"`
	// From is the state the grant was disposed from: active, expired or terminated.
	From State     `json:"from"`
	By   string    `json:"by"` // the person who recorded it
	At   time.Time `json:"at"`
}

// SuspendTerms are a suspension's cleaned inputs; the service resolves the
// deadline on the calendar.
type SuspendTerms struct {
	Grounds   Grounds
	Reasons   []string
	Evidence  string
	RectifyBy Deadline
}

// DisposeTerms are a disposal's inputs.
type DisposeTerms struct {
	Method     DisposalMethod
	Actions    string
	DoneOn     string
	Evidence   string
	Reason     DisposalReason
	ReasonText string
}

func text(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" && required {
		return "", problem.Fieldf(field, "grant.required", "必填项不能为空", "%s is required", field)
	}
	if len([]rune(s)) > maxTextRunes {
		return "", problem.Fieldf(field, "grant.too_long", "内容过长", "%s is longer than %d characters", field, maxTextRunes)
	}
	return s, nil
}

// CleanSuspend checks a suspension's grounds, reasons and evidence.
func CleanSuspend(grounds Grounds, reasons []string, evidence string) (SuspendTerms, error) {
	if !slices.Contains(AllGrounds, grounds) {
		return SuspendTerms{}, problem.Fieldf("grounds", "grant.grounds_invalid", "请选择暂停依据",
			"grounds must be one of beyond_scope, beyond_purpose, third_party, other; got %q", grounds)
	}
	rs, err := cleanReasons(reasons)
	if err != nil {
		return SuspendTerms{}, err
	}
	ev, err := text("evidence", evidence, true)
	if err != nil {
		return SuspendTerms{}, err
	}
	return SuspendTerms{Grounds: grounds, Reasons: rs, Evidence: ev}, nil
}

// MaxRectifyDays bounds a deadline given in working days; a date may lie at
// most a year ahead.
const MaxRectifyDays = 120

// RectifyDeadline resolves the deadline for rectification set at now: a date
// (after today, within a year), or n working days counted from today.
// Exactly one is given.
func RectifyDeadline(cal *calendar.Calendar, by string, days int, now time.Time) (Deadline, error) {
	today := calendar.DateOf(now)
	switch {
	case by != "" && days == 0:
		d, err := calendar.ParseDate(by)
		if err != nil {
			return Deadline{}, problem.Field("rectify_by", "grant.date_invalid", "日期格式应为 YYYY-MM-DD", "rectify_by must be a date YYYY-MM-DD")
		}
		if !d.After(today) || d.After(today.AddDays(366)) {
			return Deadline{}, problem.Field("rectify_by", "grant.rectify_by_invalid", "整改期限应在今天之后、一年以内",
				"rectify_by must be after today and within a year")
		}
		return Deadline{Due: d.String(), Rule: today.String() + "暂停；限期整改至" + d.String() + " 24:00（北京时间）"}, nil
	case by == "" && days > 0:
		if days > MaxRectifyDays {
			return Deadline{}, problem.Fieldf("rectify_days", "grant.rectify_days_invalid", "整改期限过长", "rectify_days is at most %d", MaxRectifyDays)
		}
		due, err := cal.Due(today, days)
		if err != nil {
			// A year the calendar lacks is refused, never guessed: give a date instead.
			return Deadline{}, workcal.Problem(err)
		}
		return Deadline{Due: due.String(), Rule: today.String() + "暂停；自暂停之日起" + strconv.Itoa(days) +
			"个工作日内整改（当日不计），截止" + due.String() + " 24:00（北京时间）"}, nil
	}
	return Deadline{}, problem.Field("rectify_by", "grant.rectify_deadline_required", "请设定整改期限（日期或工作日数，二选一）",
		"give exactly one of rectify_by (a date) and rectify_days (working days)")
}

// Suspend stops an active grant's delivery (暂停共享权限) and sets the
// deadline for rectification (限期整改).
func (g *Grant) Suspend(by access.Actor, t SuspendTerms, now time.Time) error {
	if s := g.StateAt(now); s != Active {
		return WrongState(s, "suspend")
	}
	g.log(now, by, "grant.suspend", Suspended, t.Reasons)
	g.History[len(g.History)-1].Evidence = t.Evidence
	g.Suspension = &Suspension{Grounds: t.Grounds, Reasons: t.Reasons, Evidence: t.Evidence, RectifyBy: t.RectifyBy,
		By: by.PersonID, DepartmentID: by.DepartmentID, At: now.UTC(), Reports: []Rectification{}}
	return nil
}

func (g *Grant) closeSuspension(outcome string, now time.Time) {
	if g.Suspension != nil && g.Suspension.Outcome == "" {
		at := now.UTC()
		g.Suspension.Outcome, g.Suspension.ClosedAt = outcome, &at
	}
}

// Resume lets a suspended grant deliver again.
func (g *Grant) Resume(by access.Actor, reasons []string, now time.Time) error {
	if s := g.StateAt(now); s != Suspended {
		return WrongState(s, "resume")
	}
	g.log(now, by, "grant.resume", Active, reasons)
	g.closeSuspension("resumed", now)
	return nil
}

// Terminate ends an active or suspended grant for good, with the evidence
// for it; the consumer must then dispose of the data.
func (g *Grant) Terminate(by access.Actor, reasons []string, evidence string, now time.Time) error {
	if s := g.StateAt(now); s != Active && s != Suspended {
		return WrongState(s, "terminate")
	}
	g.log(now, by, "grant.terminate", Terminated, reasons)
	g.History[len(g.History)-1].Evidence = evidence
	g.closeSuspension("terminated", now)
	at := now.UTC()
	g.EndedAt = &at
	return nil
}

// SuspenderKnown reports whether the grant's suspension names its
// suspender. A grant suspended before the platform recorded suspensions has
// none (Suspension nil, or one made up to hold rectification reports: see
// legacySuspension); whoever may control it then judges it (CanResume).
func (g Grant) SuspenderKnown() bool {
	return g.Suspension != nil && g.Suspension.DepartmentID != ""
}

// legacySuspension stands for the suspension of a grant suspended before
// suspensions were recorded, so that the consumer's reports have a place:
// its reasons and time come from the history, it has no deadline, and its
// suspender stays unknown (DepartmentID "").
func (g Grant) legacySuspension() *Suspension {
	s := &Suspension{Reasons: []string{}, Reports: []Rectification{}}
	for i := len(g.History) - 1; i >= 0; i-- {
		if c := g.History[i]; c.Action == "grant.suspend" {
			s.Reasons, s.Evidence, s.At = c.Reasons, c.Evidence, c.At
			break
		}
	}
	return s
}

// ReportRectification records the consumer's report on a suspended grant.
// A grant suspended before suspensions were recorded takes reports too, as
// a suspension without a deadline.
func (g *Grant) ReportRectification(by access.Actor, actions, evidence string, now time.Time) error {
	if s := g.StateAt(now); s != Suspended {
		return WrongState(s, "report rectification on")
	}
	actions, err := text("actions", actions, true)
	if err != nil {
		return err
	}
	if evidence, err = text("evidence", evidence, true); err != nil {
		return err
	}
	if g.Suspension == nil {
		g.Suspension = g.legacySuspension()
	}
	g.Suspension.Reports = append(g.Suspension.Reports, Rectification{Actions: actions, Evidence: evidence, By: by.PersonID, At: now.UTC()})
	g.History = append(g.History, Change{At: now.UTC(), Action: "grant.rectification", From: g.State, To: g.State,
		ActorID: by.PersonID, DepartmentID: by.DepartmentID, Reasons: []string{actions}, Evidence: evidence})
	return nil
}

// Requirement is a requirement for disposal as the provider states it, in
// its reply or later.
type Requirement struct {
	Method DisposalMethod `json:"method"`
	Text   string         `json:"text,omitempty"`
}

// clean checks r; prefix names its place in the request ("" or
// "disposal_requirement.").
func (r Requirement) clean(prefix string) (Requirement, error) {
	if !slices.Contains(AllDisposalMethods, r.Method) {
		return r, problem.Fieldf(prefix+"method", "grant.disposal_method_invalid", "请选择处置方式", "method must be delete, return or archive; got %q", r.Method)
	}
	txt, err := text(prefix+"text", r.Text, false)
	r.Text = txt
	return r, err
}

// SetDisposalRequirement records the provider's requirement for disposal;
// it may be set or changed any time before the disposal.
func (g *Grant) SetDisposalRequirement(by access.Actor, method DisposalMethod, txt string, now time.Time) error {
	if g.State == Disposed {
		return WrongState(Disposed, "set the disposal requirement of")
	}
	r, err := Requirement{Method: method, Text: txt}.clean("")
	if err != nil {
		return err
	}
	txt = r.Text
	g.DisposalRequirement = &DisposalRequirement{Method: method, Text: txt, By: by.PersonID, DepartmentID: by.DepartmentID, At: now.UTC()}
	g.History = append(g.History, Change{At: now.UTC(), Action: "grant.disposal_requirement", From: g.State, To: g.State,
		ActorID: by.PersonID, DepartmentID: by.DepartmentID, Reasons: nonEmpty(txt)})
	return nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// RequiredDisposal is the method the consumer must use: the provider's, or
// the platform's default while the provider has stated none.
func (g Grant) RequiredDisposal() DisposalMethod {
	if g.DisposalRequirement != nil {
		return g.DisposalRequirement.Method
	}
	return DefaultDisposalMethod
}

// Dispose records how the consumer disposed of the data. An active grant
// needs a reason (Art. 27 ¶1) and stops delivering at once; an expired or
// terminated one must be disposed of anyway. A suspended grant awaits the
// suspender's decision first; a disposed one is done.
func (g *Grant) Dispose(by access.Actor, t DisposeTerms, now time.Time) error {
	from := g.StateAt(now)
	switch from {
	case Active, Expired, Terminated:
	default:
		return WrongState(from, "dispose of")
	}
	if t.Method != g.RequiredDisposal() {
		return problem.Fieldf("method", "grant.disposal_method_mismatch", "处置方式与提供部门的要求不符",
			"the provider requires disposal by %s; got %q", g.RequiredDisposal(), t.Method)
	}
	actions, err := text("actions", t.Actions, true)
	if err != nil {
		return err
	}
	evidence, err := text("evidence", t.Evidence, true)
	if err != nil {
		return err
	}
	done, err := calendar.ParseDate(t.DoneOn)
	if err != nil {
		return problem.Field("done_on", "grant.date_invalid", "日期格式应为 YYYY-MM-DD", "done_on must be a date YYYY-MM-DD")
	}
	if done.After(calendar.DateOf(now)) || done.Before(calendar.DateOf(g.CreatedAt)) {
		return problem.Field("done_on", "grant.done_on_invalid", "处置日期应在授权生效之后、不晚于今天",
			"done_on must lie between the grant's creation and today")
	}
	// The disposal of an ended grant's data follows its end: on or after
	// the day of termination, after the last day of use of an expired one
	// (the data could still be used that day).
	if end, ended := g.EndedOn(now); ended {
		if from == Expired {
			end = end.AddDays(1)
		}
		if done.Before(end) {
			return problem.Fieldf("done_on", "grant.done_on_before_end", "处置日期不应早于共享授权终止或到期的日期",
				"done_on must be on or after %s, the day the grant ended", end)
		}
	}
	reasonText, err := text("reason_text", t.ReasonText, false)
	if err != nil {
		return err
	}
	switch {
	case t.Reason == "" && from == Active:
		return problem.Field("reason", "grant.disposal_reason_required", "有效期内处置应当说明理由（共享目的已实现、无法实现或不再必要）",
			"disposing of an active grant needs a reason: purpose_met, purpose_impossible or purpose_unnecessary")
	case t.Reason != "" && !slices.Contains(AllDisposalReasons, t.Reason):
		return problem.Fieldf("reason", "grant.disposal_reason_invalid", "处置理由无效",
			"reason must be purpose_met, purpose_impossible or purpose_unnecessary; got %q", t.Reason)
	case t.Reason != "" && reasonText == "":
		return problem.Field("reason_text", "grant.required", "必填项不能为空", "reason_text explains the reason")
	}
	g.State = from // an expired grant is recorded as disposed from expired
	g.log(now, by, "grant.dispose", Disposed, nonEmpty(reasonText))
	g.History[len(g.History)-1].Evidence = evidence
	g.Disposal = &Disposal{Method: t.Method, Actions: actions, DoneOn: done.String(), Evidence: evidence, Reason: t.Reason,
		ReasonText: reasonText, From: from, By: by.PersonID, At: now.UTC()}
	if from == Active {
		at := now.UTC()
		g.EndedAt = &at
	}
	return nil
}

// EndedOn is the day the grant ended without being disposed of: the day of
// its termination, or its last day of use once it has expired.
func (g Grant) EndedOn(now time.Time) (calendar.Date, bool) {
	switch g.StateAt(now) {
	case Terminated:
		if g.EndedAt != nil {
			return calendar.DateOf(*g.EndedAt), true
		}
		for i := len(g.History) - 1; i >= 0; i-- { // terminated before EndedAt existed
			if g.History[i].Action == "grant.terminate" {
				return calendar.DateOf(g.History[i].At), true
			}
		}
		return calendar.DateOf(g.UpdatedAt), true
	case Expired:
		d, err := calendar.ParseDate(g.ValidUntil)
		return d, err == nil
	}
	return calendar.Date{}, false
}

// EndsAt is when the grant's delivery ends or ended: its termination or the
// disposal of it while active (EndedAt; for a grant ended before EndedAt was
// recorded, that act in the history), otherwise its expiry. It holds for
// every state, disposed included; the store keeps it as a column
// (migration 00022 backfills it the same way).
func (g Grant) EndsAt() time.Time {
	if g.EndedAt != nil {
		return g.EndedAt.UTC()
	}
	for i := len(g.History) - 1; i >= 0; i-- {
		if c := g.History[i]; c.Action == "grant.terminate" || (c.Action == "grant.dispose" && c.From == Active) {
			return c.At.UTC()
		}
	}
	return g.ExpiresAt.UTC()
}

// DisposalDeadline is when an ended grant's data must be disposed of, by the
// platform's default period (DisposalDays); ok is false for a grant that
// has not ended or is already disposed of.
func DisposalDeadline(cal *calendar.Calendar, g Grant, now time.Time) (Deadline, bool, error) {
	end, ok := g.EndedOn(now)
	if !ok {
		return Deadline{}, false, nil
	}
	due, err := cal.Due(end, DisposalDays)
	if err != nil {
		return Deadline{}, false, fmt.Errorf("grant: disposal deadline: %w", err)
	}
	how := "到期"
	if g.StateAt(now) == Terminated {
		how = "终止"
	}
	return Deadline{Due: due.String(), Rule: "共享授权于" + end.String() + how + "；平台默认自该日起" + strconv.Itoa(DisposalDays) +
		"个工作日内按提供部门要求妥善处置（当日不计），截止" + due.String() + " 24:00（北京时间）"}, true, nil
}
