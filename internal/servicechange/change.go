// Package servicechange is a provider's ending or changing of a sharing
// service it already delivers (Art. 27 ¶3): 政务数据提供部门无正当理由，不得终止
// 或者变更已提供的政务数据共享服务。确需终止或者变更服务的，应当与政务数据需求部门
// 协商，并报同级政务数据共享主管部门备案。
//
// A change is proposed by the provider's office head with its reason and the
// intended effective date; every department holding an active or suspended
// grant on the entry is consulted (协商) and answers; the provider then
// files the change (备案) with its same-level authority, which acknowledges
// or returns it. Only an acknowledged change takes effect, and not before its
// effective date: a termination ends the grants recorded at the proposal
// through the grant package, a change removes items or alters the delivery
// method on each of them, and the push subscriptions that could no longer
// deliver end with it. Grants approved after the proposal were never
// consulted on and are left alone (Effect.NotCovered). Until then delivery
// goes on unchanged.
//
// The rules here are pure; service.go runs them in transactions.
package servicechange

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// Kind is what the provider proposes.
type Kind string

const (
	Terminate Kind = "terminate" // 终止共享服务
	Modify    Kind = "change"    // 变更共享服务
)

// State is where a change stands.
type State string

const (
	// Consulting: the consumers concerned are answering.
	Consulting State = "consulting"
	// Filed: the provider filed the change with its authority (报备案).
	Filed State = "filed"
	// Acknowledged: the authority acknowledged the filing; the change
	// takes effect on its effective date.
	Acknowledged State = "acknowledged"
	// Effective: the change has taken effect on the grants. Final.
	Effective State = "effective"
	// Returned: the authority returned the filing with reasons. Final; the
	// provider may propose anew.
	Returned State = "returned"
	// Withdrawn: the provider withdrew the proposal. Final.
	Withdrawn State = "withdrawn"
)

var stateName = map[State]string{Consulting: "协商中", Filed: "已报备案", Acknowledged: "已备案", Effective: "已生效",
	Returned: "已退回", Withdrawn: "已撤回"}

// Position is a consumer's answer in the consultation.
type Position string

const (
	Agree    Position = "agree"     // 同意
	Object   Position = "object"    // 有异议
	NoAnswer Position = "no_answer" // 期限届满未答复 (recorded at filing)
)

// Platform defaults; the law sets no period for either step.
const (
	// ConsultationDays is the consultation period, counted from the day
	// after the proposal.
	ConsultationDays = 10
	// FilingReviewDays is the period the platform gives the authority to
	// acknowledge or return a filing, counted from the day after filing.
	FilingReviewDays = 10
	maxText          = 2000
)

// Changes says what a change of service alters.
type Changes struct {
	// ItemsRemoved are data items of the entry no longer delivered.
	ItemsRemoved []string `json:"items_removed"`
	// DeliveryMethod is the new delivery method, "" when unchanged.
	DeliveryMethod string `json:"delivery_method,omitempty"`
	// Description says in words what changes (e.g. the interface address
	// or format), and is required for a change.
	Description string `json:"description,omitempty"`
}

// Answer is one consumer's answer in the consultation.
type Answer struct {
	Position Position  `json:"position"`
	Opinion  string    `json:"opinion,omitempty"`
	By       string    `json:"by,omitempty"` // person; "" for a recorded non-answer
	At       time.Time `json:"at"`
}

// Consumer is a department consulted: it held an active or suspended grant
// on the entry when the change was proposed.
type Consumer struct {
	DepartmentID string   `json:"department_id"`
	Name         string   `json:"name"`
	DivisionCode string   `json:"division_code"`
	GrantIDs     []string `json:"grant_ids"`
	Answer       *Answer  `json:"answer,omitempty"`
}

// Filing is the provider's filing with its authority.
type Filing struct {
	At       time.Time         `json:"at"`
	By       string            `json:"by"`
	Note     string            `json:"note,omitempty"`
	Deadline calendar.Deadline `json:"deadline"` // platform default for the authority's answer
}

// Decision is the authority's answer to a filing.
type Decision struct {
	Acknowledged bool      `json:"acknowledged"`
	Reasons      []string  `json:"reasons,omitempty"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

// Step is one act in the change's timeline.
type Step struct {
	At           time.Time `json:"at"`
	Action       string    `json:"action"`
	ActorID      string    `json:"actor_id"`
	DepartmentID string    `json:"department_id,omitempty"`
	Note         string    `json:"note,omitempty"`
}

// ServiceChange is one proposal to end or change a delivered service.
type ServiceChange struct {
	ID           string `json:"id"`
	EntryID      string `json:"entry_id"`
	EntryVersion int    `json:"entry_version"`
	EntryName    string `json:"entry_name"`

	ProviderID        string `json:"provider_id"`
	ProviderDivision  string `json:"provider_division"`
	AuthorityID       string `json:"authority_id"`   // the provider's same-level authority
	AuthorityName     string `json:"authority_name"` // for the parties' screens
	AuthorityDivision string `json:"authority_division"`

	Kind          Kind    `json:"kind"`
	Changes       Changes `json:"changes"`
	Reason        string  `json:"reason"`
	EffectiveDate string  `json:"effective_date"` // YYYY-MM-DD, Beijing

	Consumers    []Consumer        `json:"consumers"`
	Consultation calendar.Deadline `json:"consultation"` // platform default period

	State     State      `json:"state"`
	Filing    *Filing    `json:"filing,omitempty"`
	Decision  *Decision  `json:"decision,omitempty"`
	Effect    *Effect    `json:"effect,omitempty"`
	History   []Step     `json:"history"`
	Version   int64      `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	UpdatedAt time.Time  `json:"updated_at"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"` // when it became effective, returned or withdrawn
}

// Effect is what the change did to the grants when it took effect.
type Effect struct {
	At     time.Time `json:"at"`
	Grants []string  `json:"grants"` // the grants terminated or changed
	// NotCovered are grants running on the entry that the change left
	// alone because they were not recorded at the proposal (approved
	// since): their consumers were never consulted, so the law's 协商
	// did not happen for them. The provider must propose again to end or
	// change them.
	NotCovered []string `json:"not_covered,omitempty"`
	// SubscriptionsEnded are the push subscriptions of the changed grants
	// that could no longer deliver (an item they push was removed, or the
	// delivery method is no longer batch exchange), ended in the same
	// transaction so that the pusher does not retry them forever.
	SubscriptionsEnded []string `json:"subscriptions_ended,omitempty"`
}

// NotCoveredNote explains the grants a change did not touch, for the
// parties' screens and the to-do; "" when there are none.
func (c *ServiceChange) NotCoveredNote() string {
	if c.Effect == nil || len(c.Effect.NotCovered) == 0 {
		return ""
	}
	return fmt.Sprintf("提出变更后批准的共享授权 %d 项未经协商，本次%s不适用于这些授权；如需一并%s，提供部门应当重新提出",
		len(c.Effect.NotCovered), kindName[c.Kind], kindName[c.Kind])
}

// Covered reports whether grant id was recorded at the proposal: held by a
// consumer consulted, and so within the change's reach.
func (c *ServiceChange) Covered(id string) bool {
	for _, k := range c.Consumers {
		if slices.Contains(k.GrantIDs, id) {
			return true
		}
	}
	return false
}

// Parties lists the departments the change concerns: the provider, the
// consumers and the authority.
func (c *ServiceChange) Parties() []string {
	out := []string{c.ProviderID}
	for _, k := range c.Consumers {
		out = append(out, k.DepartmentID)
	}
	if c.AuthorityID != "" {
		out = append(out, c.AuthorityID)
	}
	return out
}

// Consumer returns the consulted consumer deptID, nil if it is none.
func (c *ServiceChange) Consumer(deptID string) *Consumer {
	for i := range c.Consumers {
		if c.Consumers[i].DepartmentID == deptID {
			return &c.Consumers[i]
		}
	}
	return nil
}

// AllAnswered reports whether every consumer concerned has answered.
func (c *ServiceChange) AllAnswered() bool {
	for _, k := range c.Consumers {
		if k.Answer == nil {
			return false
		}
	}
	return true
}

// ConsultationClosed reports whether the consultation is over at now:
// every consumer answered, or the period ran out.
func (c *ServiceChange) ConsultationClosed(now time.Time) bool {
	return c.AllAnswered() || now.After(c.Consultation.At)
}

// WrongState refuses an act that the change's state does not allow.
func WrongState(s State, act string) error {
	return &problem.Error{Kind: problem.Conflict, Code: "service_change.wrong_state",
		Title:  "服务变更当前状态（" + stateName[s] + "）不允许此操作",
		Detail: fmt.Sprintf("cannot %s a service change in state %s", act, s)}
}

func (c *ServiceChange) log(now time.Time, by access.Actor, action, note string) {
	c.History = append(c.History, Step{At: now.UTC(), Action: action, ActorID: by.PersonID, DepartmentID: by.DepartmentID, Note: note})
}

// text trims s and checks its length; missing, when not nil, is the
// refusal of an empty s (a required text).
func text(field, s string, missing error) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" && missing != nil {
		return "", missing
	}
	if len([]rune(s)) > maxText {
		return "", problem.Fieldf(field, "service_change.too_long", "内容过长", "%s is longer than %d characters", field, maxText)
	}
	return s, nil
}

func required(field string) error {
	return problem.Fieldf(field, "service_change.required", "必填项不能为空", "%s is required", field)
}

// Proposal is what the provider's office head proposes.
type Proposal struct {
	EntryID       string  `json:"entry_id"`
	Kind          Kind    `json:"kind"`
	Changes       Changes `json:"changes"`
	Reason        string  `json:"reason"`
	EffectiveDate string  `json:"effective_date"`
}

// Clean checks a proposal against the entry's items and delivery methods
// and today, and returns it normalised. The reason is required: the law
// allows no ending or change without one (无正当理由，不得终止或者变更).
func (p Proposal) Clean(items, methods []string, today calendar.Date) (Proposal, error) {
	var err error
	if p.Kind != Terminate && p.Kind != Modify {
		return p, problem.Fieldf("kind", "service_change.kind_invalid", "变更类型无效", "kind must be terminate or change; got %q", p.Kind)
	}
	if p.Reason, err = text("reason", p.Reason, problem.Field("reason", "service_change.reason_required", "终止或者变更共享服务应当说明正当理由",
		"a reason is required (Art. 27: no ending or change without a proper reason)")); err != nil {
		return p, err
	}
	d, perr := calendar.ParseDate(strings.TrimSpace(p.EffectiveDate))
	switch {
	case strings.TrimSpace(p.EffectiveDate) == "":
		return p, problem.Field("effective_date", "service_change.effective_date_required", "请填写拟生效日期", "effective_date is required")
	case perr != nil:
		return p, problem.Fieldf("effective_date", "service_change.effective_date_invalid", "日期格式应为YYYY-MM-DD", "effective_date %q is not a date", p.EffectiveDate)
	case d.Before(today):
		return p, problem.Field("effective_date", "service_change.effective_date_past", "拟生效日期不能早于今天", "effective_date is before today")
	}
	p.EffectiveDate = d.String()
	if p.Kind == Terminate {
		p.Changes = Changes{ItemsRemoved: []string{}}
		return p, nil
	}
	c := p.Changes
	if c.Description, err = text("changes.description", c.Description,
		problem.Field("changes.description", "service_change.description_required", "请说明变更内容", "changes.description is required for a change")); err != nil {
		return p, err
	}
	removed := []string{}
	for i, it := range c.ItemsRemoved {
		it = strings.TrimSpace(it)
		if !slices.Contains(items, it) {
			return p, problem.Fieldf(fmt.Sprintf("changes.items_removed[%d]", i), "service_change.item_unknown", "数据项不属于该目录",
				"data item %q is not an item of the entry", it)
		}
		if !slices.Contains(removed, it) {
			removed = append(removed, it)
		}
	}
	if len(items) > 0 && len(removed) == len(items) {
		return p, problem.Field("changes.items_removed", "service_change.all_items_removed", "不能删除全部数据项；如需停止提供，请选择终止服务",
			"removing every item ends the service: propose a termination instead")
	}
	c.ItemsRemoved = removed
	c.DeliveryMethod = strings.TrimSpace(c.DeliveryMethod)
	if c.DeliveryMethod != "" && !slices.Contains(methods, c.DeliveryMethod) {
		return p, problem.Fieldf("changes.delivery_method", "service_change.delivery_method_invalid", "共享方式不在目录所列方式之内",
			"delivery_method %q is not one of the entry's methods %v", c.DeliveryMethod, methods)
	}
	p.Changes = c
	return p, nil
}

// Answer records consumer deptID's answer.
func (c *ServiceChange) Answer(by access.Actor, pos Position, opinion string, now time.Time) error {
	if c.State != Consulting {
		return WrongState(c.State, "answer")
	}
	k := c.Consumer(by.DepartmentID)
	if k == nil {
		return problem.ErrForbidden
	}
	if k.Answer != nil {
		return problem.New(problem.Conflict, "service_change.already_answered", "本部门已答复，不能再次答复",
			"this consumer has already answered the consultation")
	}
	if pos != Agree && pos != Object {
		return problem.Fieldf("position", "service_change.position_invalid", "请选择同意或有异议", "position must be agree or object; got %q", pos)
	}
	var missing error
	if pos == Object {
		missing = problem.Field("opinion", "service_change.opinion_required", "有异议时应当说明意见", "an objection needs an opinion")
	}
	op, err := text("opinion", opinion, missing)
	if err != nil {
		return err
	}
	k.Answer = &Answer{Position: pos, Opinion: op, By: by.PersonID, At: now.UTC()}
	c.log(now, by, "service_change.answer", string(pos))
	return nil
}

// File files the change with the authority once the consultation is over;
// a consumer that did not answer in time is recorded as not answering.
func (c *ServiceChange) File(by access.Actor, note string, now time.Time, review calendar.Deadline) error {
	if c.State != Consulting {
		return WrongState(c.State, "file")
	}
	if !c.ConsultationClosed(now) {
		return &problem.Error{Kind: problem.Conflict, Code: "service_change.consultation_open",
			Title:  "协商尚未结束：需求部门均已答复或协商期限届满后方可报备案",
			Detail: fmt.Sprintf("the consultation runs until %s and not every consumer has answered", c.Consultation.Due)}
	}
	n, err := text("note", note, nil)
	if err != nil {
		return err
	}
	for i := range c.Consumers {
		if c.Consumers[i].Answer == nil {
			c.Consumers[i].Answer = &Answer{Position: NoAnswer, At: now.UTC()}
		}
	}
	c.State = Filed
	c.Filing = &Filing{At: now.UTC(), By: by.PersonID, Note: n, Deadline: review}
	c.log(now, by, "service_change.file", n)
	return nil
}

// Acknowledge records the authority's acknowledgment of the filing.
func (c *ServiceChange) Acknowledge(by access.Actor, note string, now time.Time) error {
	if c.State != Filed {
		return WrongState(c.State, "acknowledge")
	}
	n, err := text("note", note, nil)
	if err != nil {
		return err
	}
	c.State = Acknowledged
	d := &Decision{Acknowledged: true, By: by.PersonID, At: now.UTC()}
	if n != "" {
		d.Reasons = []string{n}
	}
	c.Decision = d
	c.log(now, by, "service_change.acknowledge", n)
	return nil
}

// Return returns the filing to the provider with reasons (e.g. no proper
// reason, consultation incomplete).
func (c *ServiceChange) Return(by access.Actor, reasons []string, now time.Time) error {
	if c.State != Filed {
		return WrongState(c.State, "return")
	}
	var rs []string
	for i, r := range reasons {
		f := fmt.Sprintf("reasons[%d]", i)
		r, err := text(f, r, required(f))
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return problem.Field("reasons", "service_change.reasons_required", "退回备案应当说明理由", "reasons are required")
	}
	c.State = Returned
	c.Decision = &Decision{Acknowledged: false, Reasons: rs, By: by.PersonID, At: now.UTC()}
	c.ClosedAt = ptr(now.UTC())
	c.log(now, by, "service_change.return", strings.Join(rs, "；"))
	return nil
}

// Withdraw ends the proposal before it takes effect.
func (c *ServiceChange) Withdraw(by access.Actor, reason string, now time.Time) error {
	switch c.State {
	case Consulting, Filed, Acknowledged:
	default:
		return WrongState(c.State, "withdraw")
	}
	r, err := text("reason", reason, required("reason"))
	if err != nil {
		return err
	}
	c.State = Withdrawn
	c.ClosedAt = ptr(now.UTC())
	c.log(now, by, "service_change.withdraw", r)
	return nil
}

// Due reports whether an acknowledged change may take effect at now: on or
// after its effective date (Beijing).
func (c *ServiceChange) Due(now time.Time) bool {
	d, err := calendar.ParseDate(c.EffectiveDate)
	return err == nil && c.State == Acknowledged && !calendar.DateOf(now).Before(d)
}

// TakeEffect marks the change effective on grants.
func (c *ServiceChange) TakeEffect(by access.Actor, grants []string, now time.Time) error {
	if c.State != Acknowledged {
		return WrongState(c.State, "put into effect")
	}
	if !c.Due(now) {
		return &problem.Error{Kind: problem.Conflict, Code: "service_change.not_yet_effective",
			Title:  "未到拟生效日期（" + c.EffectiveDate + "），变更尚不能生效",
			Detail: "the change takes effect on or after its effective date " + c.EffectiveDate}
	}
	c.State = Effective
	c.Effect = &Effect{At: now.UTC(), Grants: grants}
	c.ClosedAt = ptr(now.UTC())
	c.log(now, by, "service_change.effective", fmt.Sprintf("%d", len(grants)))
	return nil
}

func ptr[T any](v T) *T { return &v }

// Summary is the change in one line of Chinese, for the grants' history.
func (c *ServiceChange) Summary() string {
	if c.Kind == Terminate {
		return "提供部门终止共享服务（已协商并备案）：" + c.Reason
	}
	var parts []string
	if len(c.Changes.ItemsRemoved) > 0 {
		parts = append(parts, "停止提供数据项："+strings.Join(c.Changes.ItemsRemoved, "、"))
	}
	if c.Changes.DeliveryMethod != "" {
		parts = append(parts, "共享方式改为："+c.Changes.DeliveryMethod)
	}
	parts = append(parts, c.Changes.Description)
	return "提供部门变更共享服务（已协商并备案）：" + strings.Join(parts, "；") + "。理由：" + c.Reason
}
