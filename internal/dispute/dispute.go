// Package dispute handles disputes between a consumer and a provider
// department about government data sharing (争议, Art. 28): the parties
// negotiate first (协商); if that fails, one of them applies to the
// coordinating authority (协调处理) — their same-level authority, or for
// parties across levels or regions the lowest authority above both; if
// coordination fails too, the authority reports the dispute to the people's
// government at its level, which decides (报本级人民政府决定), and the
// authority records that decision.
//
// The law sets no period for any stage; the platform sets defaults in
// working days (NegotiationDays, CoordinationDays, DecisionDays) so that a
// dispute cannot lie forgotten: they drive the to-do list and the overdue
// mark, and refuse nothing.
//
// The rules are plain Go on *Dispute; Service runs them in one transaction
// with the optimistic version and the ledger event.
package dispute

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// State is where a dispute stands.
type State string

const (
	Negotiating  State = "negotiating"  // 协商中
	Coordinating State = "coordinating" // 协调处理中
	Referred     State = "referred"     // 已报本级人民政府决定
	Resolved     State = "resolved"     // 已达成一致（协商或协调）
	Decided      State = "decided"      // 人民政府已作出决定
)

// Final reports whether no act may change the dispute any more.
func (s State) Final() bool { return s == Resolved || s == Decided }

// Stage is one step of the procedure of Art. 28.
type Stage string

const (
	Negotiation        Stage = "negotiation"  // 协商
	Coordination       Stage = "coordination" // 协调处理
	GovernmentDecision Stage = "decision"     // 本级人民政府决定
)

// Platform default periods, in working days. The law sets none; see the
// package comment and docs/disputes.md.
const (
	NegotiationDays  = 10
	CoordinationDays = 20
	DecisionDays     = 30
)

var stageDays = map[Stage]int{Negotiation: NegotiationDays, Coordination: CoordinationDays, GovernmentDecision: DecisionDays}

var stageName = map[Stage]string{Negotiation: "协商", Coordination: "协调处理", GovernmentDecision: "报请本级人民政府决定"}

// Outcomes of a stage.
const (
	OutcomeAgreed   = "agreed"   // 达成一致
	OutcomeFailed   = "failed"   // 未达成一致，进入下一阶段
	OutcomeDecided  = "decided"  // 人民政府已决定
	roleConsumer    = "consumer" // 需求部门
	roleProvider    = "provider" // 提供部门
	roleAuthority   = "authority"
	MaxTextRunes    = 2000
	MaxMatterRunes  = 200
	MaxDocNumRunes  = 100
	MaxRecords      = 200 // records per dispute: keeps one row a readable size
	SubjectApp      = "application"
	SubjectGrant    = "grant"
	SubjectCatalog  = "catalog_entry"
	maxTodoPerActor = 500
)

// Party is one of the two departments in dispute.
type Party struct {
	DepartmentID   string `json:"department_id"`
	DepartmentName string `json:"department_name"`
	DivisionCode   string `json:"division_code"`
}

// Authority is the competent authority that coordinates the dispute,
// computed when it is opened from the parties' places in the division tree.
type Authority struct {
	DepartmentID   string `json:"department_id"`
	DepartmentName string `json:"department_name"`
	DivisionCode   string `json:"division_code"`
	Tier           Tier   `json:"tier"`
	// Government is the people's government at the authority's level,
	// which decides when coordination fails.
	Government string `json:"government"`
}

// Subject is what the dispute is about, when it is about one object between
// the parties: an application, a grant or a catalog entry.
type Subject struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// StageRecord is one stage as it ran: when it started, its deadline (with
// the rule that set it), when it ended and how.
type StageRecord struct {
	Stage     Stage     `json:"stage"`
	StartedAt time.Time `json:"started_at"`
	// Days is the stage's platform default period in working days, and
	// Deadline its count from StartedAt. A default refuses nothing, so a
	// stage whose period runs into a year the calendar does not know yet
	// starts without a Deadline; it is counted when read once an
	// administrator has imported that year's notice (Fill).
	Days     int                `json:"days"`
	Deadline *calendar.Deadline `json:"deadline,omitempty"`
	EndedAt  *time.Time         `json:"ended_at,omitempty"`
	Outcome  string             `json:"outcome,omitempty"`
	// ActorIDs are the departments that act in the stage: the parties in
	// negotiation, the authority in coordination and decision.
	ActorIDs []string `json:"actor_ids"`
}

// Entry is one statement in the dispute's record: a claim, a position, an
// opinion, a proposal, a confirmation or rejection of one, an agreement
// (recorded by the authority in coordination), a failure, a referral or a
// decision.
type Entry struct {
	At           time.Time `json:"at"`
	PersonID     string    `json:"person_id"`
	DepartmentID string    `json:"department_id"`
	As           string    `json:"as"` // consumer, provider or authority
	Stage        Stage     `json:"stage"`
	Kind         string    `json:"kind"`
	Text         string    `json:"text"`
}

// Decision is the people's government's decision as the authority records it.
type Decision struct {
	Text           string    `json:"text"`
	DocumentNumber string    `json:"document_number"` // 文号
	DecidedOn      string    `json:"decided_on"`      // YYYY-MM-DD
	RecordedAt     time.Time `json:"recorded_at"`
	RecordedBy     string    `json:"recorded_by"`
}

// Dispute is a dispute between a consumer and a provider department.
type Dispute struct {
	ID       string   `json:"id"`
	Version  int64    `json:"version"`
	State    State    `json:"state"`
	Matter   string   `json:"matter"` // 争议事项
	Subject  *Subject `json:"subject,omitempty"`
	Consumer Party    `json:"consumer"`
	Provider Party    `json:"provider"`
	// OpenedBy is the party that opened the dispute: "consumer" or "provider".
	OpenedBy  string        `json:"opened_by"`
	Authority Authority     `json:"authority"`
	Stages    []StageRecord `json:"stages"`
	Records   []Entry       `json:"records"`
	// Proposal is an agreement one party proposed in negotiation, waiting
	// for the other party to confirm or reject it.
	Proposal *Entry `json:"proposal,omitempty"`
	// Agreement is the text the parties agreed: in negotiation the proposal
	// the other party confirmed, in coordination what the authority records.
	Agreement *Entry    `json:"agreement,omitempty"`
	Decision  *Decision `json:"decision,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Current is the running stage, nil once the dispute is final.
func (d *Dispute) Current() *StageRecord {
	if d.State.Final() || len(d.Stages) == 0 {
		return nil
	}
	return &d.Stages[len(d.Stages)-1]
}

// Role is the capacity in which department deptID takes part, "" if none.
func (d *Dispute) Role(deptID string) string {
	switch deptID {
	case "":
		return ""
	case d.Consumer.DepartmentID:
		return roleConsumer
	case d.Provider.DepartmentID:
		return roleProvider
	case d.Authority.DepartmentID:
		return roleAuthority
	}
	return ""
}

// Other is the party opposite department deptID.
func (d *Dispute) Other(deptID string) string {
	if deptID == d.Consumer.DepartmentID {
		return d.Provider.DepartmentID
	}
	return d.Consumer.DepartmentID
}

func wrongState(act string, d *Dispute) error {
	if d.State.Final() {
		return problem.New(problem.Conflict, "dispute.closed", "争议已办结，不能再办理",
			"the dispute is "+string(d.State)+"; nothing more can be done with it")
	}
	return problem.New(problem.Conflict, "dispute.wrong_state", "争议当前阶段不能办理此事项",
		act+" is not possible while the dispute is "+string(d.State))
}

// text trims and bounds a required text field.
func text(field, name, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", problem.Field(field, "dispute.required", name+"不能为空", field+" is required")
	case !utf8.ValidString(v):
		return "", problem.Field(field, "dispute.text_invalid", name+"含有无效字符", field+" is not valid UTF-8")
	case utf8.RuneCountInString(v) > max:
		return "", problem.Fieldf(field, "dispute.too_long", name+"过长", "%s may have at most %d characters", field, max)
	}
	return v, nil
}

// Acts on a dispute; each takes the act's time and the acting person and
// department, already authorised by the service.
type who struct {
	PersonID, DepartmentID, As string
}

func (d *Dispute) add(at time.Time, w who, kind, txt string) error {
	if len(d.Records) >= MaxRecords {
		return problem.New(problem.Conflict, "dispute.record_full", "争议记录条数已达上限",
			"a dispute keeps at most 200 records; close it or open a new one")
	}
	st := Negotiation
	if c := d.Current(); c != nil {
		st = c.Stage
	} else if len(d.Stages) > 0 {
		st = d.Stages[len(d.Stages)-1].Stage
	}
	d.Records = append(d.Records, Entry{At: at, PersonID: w.PersonID, DepartmentID: w.DepartmentID, As: w.As, Stage: st, Kind: kind, Text: txt})
	return nil
}

func (d *Dispute) end(at time.Time, outcome string) {
	c := &d.Stages[len(d.Stages)-1]
	c.EndedAt, c.Outcome = &at, outcome
}

// startStage opens stage s at at, due per the platform default.
func (d *Dispute) startStage(cal *calendar.Calendar, s Stage, at time.Time, actors ...string) error {
	d.Stages = append(d.Stages, StageRecord{Stage: s, StartedAt: at, Days: stageDays[s], ActorIDs: actors})
	return d.Fill(cal)
}

// Fill counts the deadline of each stage that has none yet, where cal
// knows the years it runs through; a stage it cannot count yet stays
// without one, and any other error is returned.
func (d *Dispute) Fill(cal *calendar.Calendar) error {
	for i := range d.Stages {
		st := &d.Stages[i]
		if st.Deadline != nil {
			continue
		}
		dl, err := StageDeadline(cal, st.Stage, calendar.DateOf(st.StartedAt))
		var unknown *calendar.UnknownYearError
		if errors.As(err, &unknown) {
			continue
		}
		if err != nil {
			return err
		}
		st.Deadline = &dl
	}
	return nil
}

// StageDeadline counts stage s's platform default period from the day it
// starts (that day not counted), with the rule stated.
func StageDeadline(cal *calendar.Calendar, s Stage, start calendar.Date) (calendar.Deadline, error) {
	dl, err := cal.DeadlineFrom(start, stageDays[s])
	if err != nil {
		return calendar.Deadline{}, err
	}
	dl.Rule = "第二十八条未规定期限；平台默认" + stageName[s] + "期限：" + dl.Rule
	return dl, nil
}

// Position records a party's position or an authority's note in the
// running stage: parties while negotiating or coordinating, the authority
// while coordinating or referred.
func (d *Dispute) Position(at time.Time, w who, txt string) error {
	ok := false
	switch w.As {
	case roleConsumer, roleProvider:
		ok = d.State == Negotiating || d.State == Coordinating
	case roleAuthority:
		ok = d.State == Coordinating || d.State == Referred
	}
	if !ok {
		return wrongState("a "+w.As+" record", d)
	}
	kind := "position"
	if w.As == roleAuthority {
		kind = "opinion"
	}
	return d.add(at, w, kind, txt)
}

// Propose records one party's proposal of an agreement in negotiation. A
// negotiated agreement binds both parties, so one party alone cannot close
// the dispute: the proposal waits for the other party to confirm it
// (Confirm, resolved) or reject it (Reject, negotiation goes on). While it
// waits, the proposer may revise it; the other party answers it first.
func (d *Dispute) Propose(at time.Time, w who, txt string) error {
	if d.State != Negotiating {
		return wrongState("proposing a negotiated agreement", d)
	}
	if d.Proposal != nil && d.Proposal.As != w.As {
		return problem.New(problem.Conflict, "dispute.proposal_pending", "对方提出的协议待本方确认或拒绝",
			"the other party's proposal is pending; confirm or reject it before proposing")
	}
	if err := d.add(at, w, "proposal", txt); err != nil {
		return err
	}
	p := d.Records[len(d.Records)-1]
	d.Proposal = &p
	return nil
}

// pending checks that a proposal waits for w's answer.
func (d *Dispute) pending(act string, w who) error {
	if d.State != Negotiating {
		return wrongState(act, d)
	}
	switch {
	case d.Proposal == nil:
		return problem.New(problem.Conflict, "dispute.no_proposal", "没有待确认的协议",
			"no agreement has been proposed; "+act+" needs a pending proposal")
	case d.Proposal.As == w.As:
		return problem.New(problem.Conflict, "dispute.own_proposal", "本方提出的协议须由对方确认或拒绝",
			"the proposal is your own; the other party confirms or rejects it")
	}
	return nil
}

// Confirm records the other party's confirmation of the pending proposal:
// the parties agree, and the dispute is resolved with the proposal's text
// as the agreement.
func (d *Dispute) Confirm(at time.Time, w who) error {
	if err := d.pending("confirming the proposed agreement", w); err != nil {
		return err
	}
	if err := d.add(at, w, "confirmation", d.Proposal.Text); err != nil {
		return err
	}
	d.end(at, OutcomeAgreed)
	d.Agreement, d.Proposal = d.Proposal, nil
	d.State = Resolved
	return nil
}

// Reject records the other party's rejection of the pending proposal, with
// its reason: negotiation goes on.
func (d *Dispute) Reject(at time.Time, w who, reason string) error {
	if err := d.pending("rejecting the proposed agreement", w); err != nil {
		return err
	}
	if err := d.add(at, w, "rejection", reason); err != nil {
		return err
	}
	d.Proposal = nil
	return nil
}

// negotiated reports whether negotiation has been tried before a party may
// declare it failed (应当协商解决；协商不成的…): each party has said
// something in it, or its period has run out — a silent respondent does
// not block coordination beyond the negotiation deadline.
func (d *Dispute) negotiated(at time.Time) bool {
	c := d.Current()
	if c.Deadline != nil && calendar.DateOf(at).After(c.Deadline.Due) {
		return true
	}
	said := map[string]bool{}
	for _, r := range d.Records {
		if r.Stage == Negotiation {
			said[r.As] = true
		}
	}
	return said[roleConsumer] && said[roleProvider]
}

// noFurther refuses an escalation when no stage follows.
func noFurther(d *Dispute) error {
	if d.State == Decided {
		return problem.New(problem.Conflict, "dispute.no_further_stage", "人民政府已作出决定，争议没有更高的处理程序",
			"the people's government has decided; Art. 28 provides no further stage")
	}
	return nil
}

// FailNegotiation records that negotiation failed and the party's
// application for coordination: the coordinating authority takes it over.
// Negotiation must have been tried first (negotiated).
func (d *Dispute) FailNegotiation(cal *calendar.Calendar, at time.Time, w who, reason string) error {
	if err := noFurther(d); err != nil {
		return err
	}
	if d.State != Negotiating {
		return wrongState("applying for coordination", d)
	}
	if !d.negotiated(at) {
		return problem.New(problem.Conflict, "dispute.not_negotiated", "双方尚未协商，暂不能申请协调处理",
			"negotiation comes first (Art. 28): both parties must have stated a position, or the negotiation period must have run out")
	}
	if err := d.add(at, w, "failure", reason); err != nil {
		return err
	}
	d.end(at, OutcomeFailed)
	// A proposal left unanswered lapses with the negotiation.
	d.Proposal = nil
	if err := d.startStage(cal, Coordination, at, d.Authority.DepartmentID); err != nil {
		return err
	}
	d.State = Coordinating
	return nil
}

// Coordinate records the authority's coordination: with agreement the
// dispute is resolved; without, the authority reports it to the people's
// government at its level for decision.
func (d *Dispute) Coordinate(cal *calendar.Calendar, at time.Time, w who, agreed bool, opinion, txt string) error {
	if !agreed {
		if err := noFurther(d); err != nil {
			return err
		}
	}
	if d.State != Coordinating {
		return wrongState("recording the coordination's outcome", d)
	}
	if err := d.add(at, w, "opinion", opinion); err != nil {
		return err
	}
	if agreed {
		if err := d.add(at, w, "agreement", txt); err != nil {
			return err
		}
		d.end(at, OutcomeAgreed)
		d.Agreement = &d.Records[len(d.Records)-1]
		d.State = Resolved
		return nil
	}
	if err := d.add(at, w, "referral", txt); err != nil {
		return err
	}
	d.end(at, OutcomeFailed)
	if err := d.startStage(cal, GovernmentDecision, at, d.Authority.DepartmentID); err != nil {
		return err
	}
	d.State = Referred
	return nil
}

// Decide records the government's decision on a referred dispute.
func (d *Dispute) Decide(at time.Time, w who, dec Decision) error {
	if d.State != Referred {
		return wrongState("recording the government's decision", d)
	}
	if err := d.add(at, w, "decision", dec.Text); err != nil {
		return err
	}
	d.end(at, OutcomeDecided)
	d.Decision = &dec
	d.State = Decided
	return nil
}
