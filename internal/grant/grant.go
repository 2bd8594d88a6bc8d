// Package grant is what an approved application gives (共享授权): the consumer
// may use the granted data items of one catalog entry, for the stated purpose,
// by the stated delivery method, until the expiry, under any conditions. The
// provider's office head or a competent authority may suspend it with a
// deadline for rectification, resume or terminate it (暂停 / 限期整改 / 终止,
// Art. 27 ¶2); the consumer disposes of the data as the provider requires
// once the purpose is over (妥善处置, Art. 27 ¶1); the provider's office head
// records consent to re-share to a third department (Art. 25).
//
// grant must not import application: application creates grants, in the
// reply's transaction, through New.
package grant

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// State is where a grant stands.
type State string

const (
	// Active: the grant delivers (Check passes) until it expires.
	Active State = "active"
	// Suspended: delivery is stopped; the provider may resume it.
	Suspended State = "suspended"
	// Terminated: delivery has ended for good.
	Terminated State = "terminated"
	// Expired: the time limit has passed. Derived from the clock when the
	// grant is read, never stored.
	Expired State = "expired"
	// Disposed: the consumer has disposed of the data (妥善处置, Art. 27
	// ¶1); nothing is delivered and nothing more happens to the grant.
	Disposed State = "disposed"
)

var stateName = map[State]string{Active: "有效", Suspended: "已暂停", Terminated: "已终止", Expired: "已到期", Disposed: "已处置"}

// Purpose is the use the grant was given for (Art. 20, 25): the scenario and
// scope the application stated.
type Purpose struct {
	Scenario string `json:"scenario"`
	Scope    string `json:"scope"`
}

// Grant is what an approved application gives.
type Grant struct {
	ID            string `json:"id"`
	ApplicationID string `json:"application_id"`

	ConsumerID       string `json:"consumer_id"`
	ConsumerDivision string `json:"consumer_division"`
	ProviderID       string `json:"provider_id"`
	ProviderDivision string `json:"provider_division"`

	EntryID      string `json:"entry_id"`
	EntryVersion int    `json:"entry_version"`
	EntryName    string `json:"entry_name"`

	Items          []string `json:"items"`
	Purpose        Purpose  `json:"purpose"`
	DeliveryMethod string   `json:"delivery_method"`
	// ValidUntil is the last day of use (Beijing time), inclusive;
	// ExpiresAt is the instant the grant expires, the next midnight.
	ValidUntil string    `json:"valid_until"`
	ExpiresAt  time.Time `json:"expires_at"`
	Conditions string    `json:"conditions,omitempty"`
	// ClearItems are the granted items of a sensitive grade that the
	// provider lets the service interface return unmasked; other sensitive
	// items are masked (see delivery.Sensitive).
	ClearItems []string `json:"clear_items"`
	// Limits bound the calls through the service interface.
	Limits Limits `json:"limits"`

	State   State    `json:"state"`
	History []Change `json:"history"`
	// Suspension is the latest suspension and its rectification (Art. 27 ¶2).
	Suspension *Suspension `json:"suspension"`
	// DisposalRequirement is the provider's requirement; nil until stated,
	// when the platform's default (delete) applies.
	DisposalRequirement *DisposalRequirement `json:"disposal_requirement"`
	// Disposal is the consumer's record of the disposal (Art. 27 ¶1).
	Disposal *Disposal `json:"disposal"`
	// EndedAt is when delivery ended early: the termination, or the
	// disposal of an active grant.
	EndedAt *time.Time `json:"ended_at,omitempty"`
	// DisposalDue is when an ended (expired or terminated) grant's data must
	// be disposed of; derived when the grant is read, never stored.
	DisposalDue *Deadline `json:"disposal_due,omitempty"`
	Consents    []Consent `json:"consents"`
	Version     int64     `json:"version"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Change is one change of a grant's state, with its reasons.
type Change struct {
	At           time.Time `json:"at"`
	Action       string    `json:"action"` // e.g. "grant.suspend"
	From         State     `json:"from,omitempty"`
	To           State     `json:"to"`
	ActorID      string    `json:"actor_id"`
	DepartmentID string    `json:"department_id,omitempty"`
	Reasons      []string  `json:"reasons,omitempty"`
	Evidence     string    `json:"evidence,omitempty"`
}

// Consent is the provider's recorded consent to re-share the granted data to
// a third department for a purpose (Art. 25).
type Consent struct {
	ThirdDepartmentID string    `json:"third_department_id"`
	Purpose           string    `json:"purpose"`
	By                string    `json:"by"` // the provider's office head
	At                time.Time `json:"at"`
}

// TimeLimit is the application's time limit: until a date, or a number of
// months from the approval. Exactly one is set.
type TimeLimit struct {
	Until  string
	Months int
}

// NewGrant is what an approval gives, as the application states it.
type NewGrant struct {
	ID, ApplicationID               string
	ConsumerID, ConsumerDivision    string
	ProviderID, ProviderDivision    string
	EntryID                         string
	EntryVersion                    int
	EntryName                       string
	Items                           []string
	Scenario, Scope, DeliveryMethod string
	TimeLimit                       TimeLimit
	Conditions                      string
	// ClearItems and Limits are the reply's terms for the service
	// interface: granted items delivered unmasked, and the call limits (zero
	// figures take the defaults).
	ClearItems []string
	Limits     Limits
	// Disposal is the reply's requirement for disposal (Art. 27 ¶1), if it
	// states one; the provider's office may set or change it later.
	Disposal *Requirement
}

// New is the active grant of an approval given at now by the provider's head.
func New(in NewGrant, by access.Actor, now time.Time) (Grant, error) {
	until, err := LastDay(in.TimeLimit, calendar.DateOf(now))
	if err != nil {
		return Grant{}, err
	}
	clear, err := cleanClearItems(in.Items, in.ClearItems)
	if err != nil {
		return Grant{}, err
	}
	limits, err := cleanLimits(in.Limits)
	if err != nil {
		return Grant{}, err
	}
	g := Grant{
		ID: in.ID, ApplicationID: in.ApplicationID,
		ConsumerID: in.ConsumerID, ConsumerDivision: in.ConsumerDivision, ProviderID: in.ProviderID, ProviderDivision: in.ProviderDivision,
		EntryID: in.EntryID, EntryVersion: in.EntryVersion, EntryName: in.EntryName,
		Items: slices.Clone(in.Items), Purpose: Purpose{Scenario: in.Scenario, Scope: in.Scope}, DeliveryMethod: in.DeliveryMethod,
		ValidUntil: until.String(), ExpiresAt: startOfDayAfter(until), Conditions: strings.TrimSpace(in.Conditions),
		ClearItems: clear, Limits: limits,
		State: Active, Consents: []Consent{}, Version: 1, CreatedAt: now.UTC(), UpdatedAt: now.UTC(),
	}
	g.History = []Change{{At: now.UTC(), Action: "grant.create", To: Active, ActorID: by.PersonID, DepartmentID: by.DepartmentID}}
	if r := in.Disposal; r != nil {
		req, err := r.clean("disposal_requirement.")
		if err != nil {
			return Grant{}, err
		}
		g.DisposalRequirement = &DisposalRequirement{Method: req.Method, Text: req.Text, By: by.PersonID, DepartmentID: by.DepartmentID, At: now.UTC()}
	}
	return g, nil
}

// LastDay is the last day of use of a time limit approved on day approved:
// the until date itself, or the day before the same date N months later
// (that date clamped to the month's end: 1 month from 31 January 2027 runs
// to 27 February 2027).
func LastDay(t TimeLimit, approved calendar.Date) (calendar.Date, error) {
	switch {
	case t.Until != "" && t.Months == 0:
		d, err := calendar.ParseDate(t.Until)
		if err != nil {
			return calendar.Date{}, fmt.Errorf("grant: time limit until %q: %w", t.Until, err)
		}
		return d, nil
	case t.Until == "" && t.Months > 0:
		y, m := approved.Year, int(approved.Month)-1+t.Months
		y, m = y+m/12, m%12+1
		day := min(approved.Day, daysIn(y, time.Month(m)))
		end := time.Date(y, time.Month(m), day, 12, 0, 0, 0, calendar.Shanghai).AddDate(0, 0, -1)
		return calendar.DateOf(end), nil
	}
	return calendar.Date{}, fmt.Errorf("grant: time limit needs exactly one of until and months: %+v", t)
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day() }

func startOfDayAfter(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, calendar.Shanghai).UTC()
}

// StateAt is the grant's state at now: a stored active or suspended grant
// whose time limit has passed is expired.
func (g Grant) StateAt(now time.Time) State {
	if (g.State == Active || g.State == Suspended) && !now.Before(g.ExpiresAt) {
		return Expired
	}
	return g.State
}

// WrongState refuses an act that the grant's state does not allow.
func WrongState(s State, act string) error {
	return &problem.Error{Kind: problem.Conflict, Code: "grant.wrong_state",
		Title:  "共享授权当前状态（" + stateName[s] + "）不允许此操作",
		Detail: fmt.Sprintf("cannot %s a grant in state %s", act, s)}
}

func refused(code, title, detail string) error {
	return &problem.Error{Kind: problem.Forbidden, Code: code, Title: title, Detail: detail}
}

// Check is the rule the delivery gateway applies before delivering anything:
// the grant is active and unexpired at now, every requested item is granted,
// and the purpose is the granted scenario (Art. 25). It is pure.
func Check(g Grant, now time.Time, items []string, purpose string) error {
	switch s := g.StateAt(now); s {
	case Active:
	case Terminated:
		return refused("grant.terminated", "共享授权已终止", "the grant was terminated; nothing is delivered")
	case Expired:
		return refused("grant.expired", "共享授权已到期", fmt.Sprintf("the grant expired at the end of %s", g.ValidUntil))
	case Suspended:
		return refused("grant.suspended", "共享授权已暂停", "the grant is suspended by the provider or its authority")
	case Disposed:
		return refused("grant.disposed", "共享数据已处置", "the consumer has disposed of the data; nothing is delivered")
	default:
		return refused("grant.not_active", "共享授权未生效", fmt.Sprintf("the grant is %s, not active", s))
	}
	if len(items) == 0 {
		return &problem.Error{Kind: problem.Invalid, Code: "grant.items_required", Field: "items", Title: "请指明所需数据项",
			Detail: "name at least one granted data item"}
	}
	for i, it := range items {
		if !slices.Contains(g.Items, it) {
			return &problem.Error{Kind: problem.Forbidden, Code: "grant.item_not_granted", Field: "items[" + strconv.Itoa(i) + "]",
				Title: "数据项“" + it + "”不在共享授权范围内", Detail: fmt.Sprintf("data item %q is not granted; granted: %s", it, strings.Join(g.Items, ", "))}
		}
	}
	if strings.TrimSpace(purpose) != g.Purpose.Scenario {
		return &problem.Error{Kind: problem.Forbidden, Code: "grant.purpose_mismatch", Field: "purpose", Title: "使用目的与共享授权不符",
			Detail: "the purpose differs from the granted scenario; another use needs the provider's consent (Art. 25)"}
	}
	return nil
}

// MayReshare reports whether the consumer may provide the granted data to
// department third: only with the provider's recorded consent naming it
// (Art. 25), and never from a terminated grant.
func MayReshare(g Grant, third string) bool {
	if g.State == Terminated || g.State == Disposed || third == "" {
		return false
	}
	for _, c := range g.Consents {
		if c.ThirdDepartmentID == third {
			return true
		}
	}
	return false
}

func (g *Grant) log(now time.Time, by access.Actor, action string, to State, reasons []string) {
	g.History = append(g.History, Change{At: now.UTC(), Action: action, From: g.State, To: to, ActorID: by.PersonID,
		DepartmentID: by.DepartmentID, Reasons: reasons})
	g.State = to
}

const maxTextRunes = 2000

func cleanReasons(rs []string) ([]string, error) {
	var out []string
	for i, r := range rs {
		r = strings.TrimSpace(r)
		if r == "" {
			return nil, problem.Fieldf("reasons["+strconv.Itoa(i)+"]", "grant.required", "必填项不能为空", "reasons[%d] is empty", i)
		}
		if len([]rune(r)) > maxTextRunes {
			return nil, problem.Fieldf("reasons["+strconv.Itoa(i)+"]", "grant.too_long", "内容过长", "a reason is longer than %d characters", maxTextRunes)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, problem.Field("reasons", "grant.reasons_required", "暂停、恢复或终止共享授权应当说明理由", "reasons are required")
	}
	return out, nil
}

// RecordConsent records the provider's consent to re-share to third for
// purpose (Art. 25). The grant must still be usable.
func (g *Grant) RecordConsent(by access.Actor, third, purpose string, now time.Time) error {
	if s := g.StateAt(now); s != Active && s != Suspended {
		return WrongState(s, "record consent on")
	}
	third, purpose = strings.TrimSpace(third), strings.TrimSpace(purpose)
	switch {
	case third == "":
		return problem.Field("third_department_id", "grant.required", "必填项不能为空", "third_department_id is required")
	case third == g.ConsumerID || third == g.ProviderID:
		return problem.Field("third_department_id", "grant.third_is_party", "第三方不能是共享双方", "the third department must be neither the consumer nor the provider")
	case purpose == "":
		return problem.Field("purpose", "grant.required", "必填项不能为空", "purpose is required (Art. 25)")
	case len([]rune(purpose)) > maxTextRunes:
		return problem.Fieldf("purpose", "grant.too_long", "内容过长", "purpose is longer than %d characters", maxTextRunes)
	}
	g.Consents = append(g.Consents, Consent{ThirdDepartmentID: third, Purpose: purpose, By: by.PersonID, At: now.UTC()})
	g.History = append(g.History, Change{At: now.UTC(), Action: "grant.consent", From: g.State, To: g.State, ActorID: by.PersonID,
		DepartmentID: by.DepartmentID, Reasons: []string{"同意向第三方提供：" + purpose}})
	return nil
}
