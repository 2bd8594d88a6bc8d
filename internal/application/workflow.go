package application

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// The state machine. Each method checks that the act fits the application's
// state and applies it; rights are the service's business (policy.go). A
// refused act leaves the application unchanged.

var stateName = map[State]string{
	Draft: "草稿", AwaitingApproval: "待负责人审批", Sent: "待答复", SupplementRequested: "待补充材料",
	Resubmitted: "已补充材料待答复", Approved: "已同意共享", Refused: "不同意共享", Withdrawn: "已撤回",
}

// WrongState refuses an act that the application's current state does not allow.
func WrongState(s State, act string) error {
	return &problem.Error{Kind: problem.Conflict, Code: "application.wrong_state",
		Title:  "申请当前状态（" + stateName[s] + "）不允许此操作",
		Detail: fmt.Sprintf("cannot %s an application in state %s", act, s)}
}

func (a *Application) log(at time.Time, by access.Actor, action, note string, notify bool) {
	a.History = append(a.History, HistoryEntry{At: at, Action: action, ActorID: by.PersonID, DepartmentID: by.DepartmentID, Note: note, Notify: notify})
}

// New drafts an application of the actor's department for a published entry.
// The form must already be normalised against the entry.
func New(id string, e EntryRef, by access.Actor, f Form, now time.Time) Application {
	a := Application{
		ID: id, EntryID: e.ID, EntryVersion: e.Version, EntryName: e.Name, Attribute: e.Attribute,
		ConsumerID: by.DepartmentID, ConsumerDivision: by.DivisionCode,
		ProviderID: e.ProviderID, ProviderDivision: e.ProviderDivision,
		Form: f, State: Draft, Version: 1, DraftBy: by.PersonID, Approvals: []Approval{}, Durations: []Duration{},
		CreatedAt: now, UpdatedAt: now,
	}
	a.log(now, by, "application.create", "起草申请", false)
	return a
}

// Edit replaces the form of a draft. Editing an application that awaits its
// head's approval returns it to draft: the head approves what is final.
func (a *Application) Edit(by access.Actor, f Form, now time.Time) error {
	if a.State != Draft && a.State != AwaitingApproval {
		return WrongState(a.State, "edit")
	}
	a.Form, a.State = f, Draft
	a.log(now, by, "application.edit", "修改申请", false)
	return nil
}

// Submit asks the consumer's office head to approve the draft.
func (a *Application) Submit(by access.Actor, now time.Time) error {
	if a.State != Draft {
		return WrongState(a.State, "submit")
	}
	a.State = AwaitingApproval
	a.log(now, by, "application.submit", "提交本部门负责人审批", false)
	return nil
}

// Send records the consumer head's approval and sends the application: the
// provider receives it at this instant, and the reply period of the entry's
// attribute starts (Art. 20, 21).
func (a *Application) Send(by access.Actor, now time.Time, cal *calendar.Calendar) error {
	if a.State != Draft && a.State != AwaitingApproval {
		return WrongState(a.State, "approve")
	}
	d, err := ReplyDeadline(cal, a.Attribute, calendar.DateOf(now))
	if err != nil {
		return err
	}
	t := now
	a.State, a.SentAt, a.ReceivedAt, a.ReplyDeadline = Sent, &t, &t, &d
	a.Approvals = append(a.Approvals, Approval{Kind: "send", By: by.PersonID, At: now})
	a.log(now, by, "application.send", "本部门负责人同意并发送；答复期限："+d.Rule, false)
	return nil
}

// CheckMissing validates a supplement request's list.
func CheckMissing(ms []Missing) ([]Missing, error) {
	if len(ms) == 0 {
		return nil, problem.Field("missing", "application.missing_required", "请列明需要补充的全部材料",
			"missing must list everything the application lacks, at least one item (Art. 21)")
	}
	out := make([]Missing, len(ms))
	for i, m := range ms {
		at := "missing[" + strconv.Itoa(i) + "]"
		item, err := text(at+".item", m.Item)
		if err != nil {
			return nil, err
		}
		what, err := text(at+".what", m.What)
		if err != nil {
			return nil, err
		}
		out[i] = Missing{Item: item, What: what}
	}
	return out, nil
}

// RequestSupplement sends the provider's one supplement request, listing
// everything missing, and stops the reply clock (Art. 21).
func (a *Application) RequestSupplement(by access.Actor, ms []Missing, now time.Time) error {
	if a.Supplement != nil {
		return &problem.Error{Kind: problem.Conflict, Code: "application.supplement_once", Title: "补充材料只能一次性告知",
			Detail: "a supplement request was already sent; Art. 21 allows one notice listing everything missing"}
	}
	if a.State != Sent {
		return WrongState(a.State, "request a supplement for")
	}
	if a.Extension != nil {
		return &problem.Error{Kind: problem.Conflict, Code: "application.supplement_after_extension", Title: "已申请延长答复期限，不能再要求补充材料",
			Detail: "the supplement request comes when the application is received, before any extension"}
	}
	a.Supplement = &SupplementRequest{Missing: ms, By: by.PersonID, At: now, StoppedDue: a.ReplyDeadline}
	a.State, a.ReplyDeadline = SupplementRequested, nil
	a.log(now, by, "application.supplement_request", fmt.Sprintf("一次性告知需补充材料%d项；答复期限停止计算", len(ms)), true)
	return nil
}

// Changes are the parts of the form a resubmission may correct.
type Changes struct {
	LegalBasis *string
	Scenario   *string
	Scope      *string
}

// Resubmit answers the supplement request. The consumer's head signs it again
// (Art. 20) and the provider receives it anew: the reply period counts from
// this receipt (Art. 21).
func (a *Application) Resubmit(by access.Actor, answers []string, c Changes, now time.Time, cal *calendar.Calendar) error {
	if a.State != SupplementRequested {
		return WrongState(a.State, "resubmit")
	}
	if len(answers) != len(a.Supplement.Missing) {
		return problem.Fieldf("answers", "application.answers_mismatch", "请逐项答复需补充的材料",
			"answers must give one answer for each of the %d missing items, in order", len(a.Supplement.Missing))
	}
	clean := make([]string, len(answers))
	for i, s := range answers {
		v, err := text("answers["+strconv.Itoa(i)+"]", s)
		if err != nil {
			return err
		}
		clean[i] = v
	}
	f := a.Form
	for _, ch := range []struct {
		field string
		v     *string
		into  *string
	}{{"legal_basis", c.LegalBasis, &f.LegalBasis}, {"scenario", c.Scenario, &f.Scenario}, {"scope", c.Scope, &f.Scope}} {
		if ch.v == nil {
			continue
		}
		v, err := text(ch.field, *ch.v)
		if err != nil {
			return err
		}
		*ch.into = v
	}
	d, err := ReplyDeadline(cal, a.Attribute, calendar.DateOf(now))
	if err != nil {
		return err
	}
	t := now
	a.Form = f
	a.Supplement.Answers, a.Supplement.AnsweredBy, a.Supplement.AnsweredAt = clean, by.PersonID, &t
	a.State, a.ReceivedAt, a.ReplyDeadline = Resubmitted, &t, &d
	a.Approvals = append(a.Approvals, Approval{Kind: "resubmit", By: by.PersonID, At: now})
	a.log(now, by, "application.resubmit", "补充材料后重新提交，答复期限重新计算："+d.Rule, false)
	return nil
}

// RequestExtension asks the provider's same-level authority for more time,
// at most 10 WD, once (Art. 21).
func (a *Application) RequestExtension(by access.Actor, days int, reason, authorityID string, now time.Time) error {
	if a.Extension != nil {
		return &problem.Error{Kind: problem.Conflict, Code: "application.extension_once", Title: "答复期限只能延长一次",
			Detail: "an extension was already requested for this application"}
	}
	if !a.State.awaitingReply() {
		return WrongState(a.State, "request an extension for")
	}
	if days < 1 || days > MaxExtensionDays {
		return problem.Fieldf("days", "application.extension_days", "延长期限为1至10个工作日",
			"days must be from 1 to %d working days (Art. 21)", MaxExtensionDays)
	}
	r, err := text("reason", reason)
	if err != nil {
		return err
	}
	a.Extension = &Extension{Days: days, Reason: r, RequestedBy: by.PersonID, RequestedAt: now, AuthorityID: authorityID, Status: ExtensionRequested}
	a.log(now, by, "application.extension_request", fmt.Sprintf("申请延长答复期限%d个工作日，报同级主管部门审批", days), false)
	return nil
}

// DecideExtension records the authority's decision. A grant moves the reply
// deadline and is notified to the consumer (Art. 21).
func (a *Application) DecideExtension(by access.Actor, approve bool, note string, now time.Time, cal *calendar.Calendar) error {
	if a.Extension == nil || a.Extension.Status != ExtensionRequested {
		return WrongState(a.State, "decide an extension of")
	}
	if !a.State.awaitingReply() {
		return WrongState(a.State, "decide an extension of")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxTextRunes {
		return problem.Fieldf("note", "application.too_long", "内容过长", "note is longer than %d characters", maxTextRunes)
	}
	t := now
	x := *a.Extension
	x.DecidedBy, x.DecidedAt, x.Note = by.PersonID, &t, note
	if !approve {
		x.Status = ExtensionRefused
		a.Extension = &x
		a.log(now, by, "application.extension_refuse", "主管部门不同意延长答复期限", true)
		return nil
	}
	d, err := Extend(cal, *a.ReplyDeadline, x.Days)
	if err != nil {
		return err
	}
	x.Status, x.PreviousDue = ExtensionGranted, a.ReplyDeadline
	a.Extension, a.ReplyDeadline = &x, &d
	a.log(now, by, "application.extension_grant", "经主管部门同意，答复期限延长至"+d.Due.String()+"："+d.Rule, true)
	return nil
}

// lapseExtension closes a pending extension request that a reply or a
// withdrawal made moot.
func (a *Application) lapseExtension() {
	if a.Extension != nil && a.Extension.Status == ExtensionRequested {
		x := *a.Extension
		x.Status = ExtensionLapsed
		a.Extension = &x
	}
}

// ExtensionLapsed: the reply or a withdrawal came before the authority decided.
const ExtensionLapsed = "lapsed"

// ReplyInput is the provider's decision.
type ReplyInput struct {
	Decision       string
	Reasons        []string
	ReasonCategory string
}

// Answer records the provider head's reply. A refusal needs reasons and a
// category, and incompleteness is no reason: it calls for the supplement
// request (Art. 21). An approval grants the terms applied for and sets the
// delivery deadline (Art. 22).
func (a *Application) Answer(by access.Actor, in ReplyInput, now time.Time, cal *calendar.Calendar) error {
	if !a.State.awaitingReply() {
		return WrongState(a.State, "reply to")
	}
	r := &Reply{Decision: in.Decision, By: by.PersonID, At: now}
	switch in.Decision {
	case Approve:
		if len(in.Reasons) > 0 || in.ReasonCategory != "" {
			return problem.Field("reasons", "application.reasons_on_approval", "同意共享时不填写拒绝理由", "reasons and reason_category belong to a refusal")
		}
		d, err := DeliveryDeadline(cal, calendar.DateOf(now))
		if err != nil {
			return err
		}
		r.Grant = &Grant{Items: slices.Clone(a.Items), DeliveryMethod: a.DeliveryMethod, Scope: a.Scope, TimeLimit: a.TimeLimit}
		r.DeliveryDeadline = &d
		a.State = Approved
		a.log(now, by, "application.approve", "提供部门负责人同意共享；"+d.Rule, true)
	case Refuse:
		if in.ReasonCategory == ReasonMaterialsIncomplete {
			return problem.Field("reason_category", "application.use_supplement_request", "申请材料不全的，应一次性告知需补充的材料，不得直接拒绝",
				"incomplete materials are no ground for refusal: send a supplement request (POST …/supplement-request, Art. 21)")
		}
		if len(in.Reasons) == 0 {
			return problem.Field("reasons", "application.reasons_required", "不同意共享的，应当说明理由", "a refusal must give its reasons (Art. 21)")
		}
		reasons := make([]string, len(in.Reasons))
		for i, s := range in.Reasons {
			v, err := text("reasons["+strconv.Itoa(i)+"]", s)
			if err != nil {
				return err
			}
			reasons[i] = v
		}
		if in.ReasonCategory == "" {
			return required("reason_category")
		}
		if !slices.Contains(ReasonCategories, in.ReasonCategory) {
			return problem.Fieldf("reason_category", "application.reason_category_invalid", "拒绝理由类别无效",
				"reason_category must be one of %s", strings.Join(ReasonCategories, ", "))
		}
		r.Reasons, r.ReasonCategory = reasons, in.ReasonCategory
		a.State = Refused
		a.log(now, by, "application.refuse", "提供部门不同意共享："+strings.Join(reasons, "；"), true)
	case "":
		return required("decision")
	default:
		return problem.Fieldf("decision", "application.decision_invalid", "答复结论无效", "decision must be approve or refuse; got %q", in.Decision)
	}
	a.lapseExtension()
	a.Reply = r
	return nil
}

// Withdraw ends the application at the consumer's wish, before a reply.
func (a *Application) Withdraw(by access.Actor, reason string, now time.Time) error {
	switch a.State {
	case Draft, AwaitingApproval, Sent, SupplementRequested, Resubmitted:
	default:
		return WrongState(a.State, "withdraw")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxTextRunes {
		return problem.Fieldf("reason", "application.too_long", "内容过长", "reason is longer than %d characters", maxTextRunes)
	}
	t := now
	a.lapseExtension()
	a.State, a.WithdrawnAt = Withdrawn, &t
	note := "需求部门撤回申请"
	if reason != "" {
		note += "：" + reason
	}
	a.log(now, by, "application.withdraw", note, a.SentAt != nil)
	return nil
}
