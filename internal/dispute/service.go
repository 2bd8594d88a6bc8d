package dispute

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the dispute service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	Dispute(ctx context.Context, id string) (*Dispute, error)
	InsertDispute(ctx context.Context, d Dispute) error
	// UpdateDispute saves d if the stored version is still d.Version-1,
	// and reports a version conflict otherwise.
	UpdateDispute(ctx context.Context, d Dispute) error
	ListDisputes(ctx context.Context, f Filter) ([]Dispute, error)
	// DisputesWaitingOn lists the disputes in which department deptID must
	// act: those it is a party to while negotiating, and those it
	// coordinates while coordinating or referred.
	DisputesWaitingOn(ctx context.Context, deptID string, limit int) ([]Dispute, error)

	Department(ctx context.Context, id string) (*org.Department, error)
	org.AuthorityLookup
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	Application(ctx context.Context, id string) (*application.Application, error)
	Grant(ctx context.Context, id string) (*grant.Grant, error)
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)

	ListEvents(ctx context.Context, f ledger.Filter) ([]ledger.Event, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; Scope comes from the reader's rights.
type Filter struct {
	Scope Scope
	State State
	After string
	Limit int
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Calendar gives the working-day calendar as it stands (workcal.Service).
type Calendar interface {
	Current(ctx context.Context) (*calendar.Calendar, error)
}

// Service runs the dispute commands: rights first, one transaction, the
// optimistic version, the event.
type Service struct {
	write, read InTx
	now         func() time.Time
	cal         Calendar
}

// NewService returns the dispute service.
func NewService(write, read InTx, now func() time.Time, cal Calendar) *Service {
	return &Service{write: write, read: read, now: now, cal: cal}
}

// The actions this package records in the ledger.
const (
	ActionOpen        = "dispute.open"
	ActionPosition    = "dispute.position"
	ActionPropose     = "dispute.propose_agreement"
	ActionConfirm     = "dispute.confirm_agreement"
	ActionReject      = "dispute.reject_agreement"
	ActionFail        = "dispute.request_coordination"
	ActionCoordinate  = "dispute.coordinate"
	ActionDecide      = "dispute.decide"
	objectType        = "dispute"
	maxEventsPageSize = 500
)

var errNotFound = problem.NotFoundf("dispute.not_found", "争议不存在", "no such dispute")

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func versionRequired() error {
	return problem.Field("version", "dispute.version_required", "缺少版本号", "version (the version you last read) is required")
}

// SubjectRef names the object a dispute is about.
type SubjectRef struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// OpenInput opens a dispute against the other party.
type OpenInput struct {
	RespondentID string `json:"respondent_id"`
	// As is the opener's side, consumer or provider; with a subject it
	// follows from the subject and may be left out.
	As      string      `json:"as"`
	Subject *SubjectRef `json:"subject,omitempty"`
	Matter  string      `json:"matter"`
	Claim   string      `json:"claim"`
}

// chain is division code and those above it, nearest first.
func chain(ctx context.Context, tx Tx, code string) ([]string, error) {
	var out []string
	for c := code; c != ""; {
		if len(out) > len(org.Levels) {
			return nil, fmt.Errorf("dispute: the stored division tree has a cycle at %s", c)
		}
		d, err := tx.Division(ctx, c)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, fmt.Errorf("dispute: division %s is missing", c)
		}
		out = append(out, d.Code)
		c = d.ParentCode
	}
	return out, nil
}

// coordinator finds the authority that coordinates a dispute between
// departments x and y (Independent).
func coordinator(ctx context.Context, tx Tx, x, y *org.Department) (Authority, error) {
	a, b := x.DivisionCode, y.DivisionCode
	ca, err := chain(ctx, tx, a)
	if err != nil {
		return Authority{}, err
	}
	cb, err := chain(ctx, tx, b)
	if err != nil {
		return Authority{}, err
	}
	auths := map[string]*org.Department{}
	for _, c := range ca {
		au, err := tx.AuthorityIn(ctx, c)
		if err != nil {
			return Authority{}, err
		}
		auths[c] = au
	}
	authorityIn := func(c string) string {
		if auths[c] == nil {
			return ""
		}
		return auths[c].ID
	}
	code, tier, err := Independent(ca, cb, authorityIn, x.ID, y.ID)
	if err != nil {
		return Authority{}, err
	}
	div, err := tx.Division(ctx, code)
	if err != nil {
		return Authority{}, err
	}
	au := auths[code]
	return Authority{DepartmentID: au.ID, DepartmentName: au.Name, DivisionCode: code, Tier: tier,
		Government: GovernmentName(div.Name, div.Level == org.National)}, nil
}

// subject checks that ref names an object between the opener and the
// respondent and returns it with the opener's side it implies.
func subject(ctx context.Context, tx Tx, ref *SubjectRef, opener, respondent string) (*Subject, string, error) {
	ref.Type, ref.ID = strings.TrimSpace(ref.Type), strings.TrimSpace(ref.ID)
	if ref.ID == "" {
		return nil, "", problem.Field("subject.id", "dispute.required", "争议对象编号不能为空", "subject.id is required with a subject")
	}
	notBetween := problem.Field("subject.id", "dispute.subject_not_between", "争议对象不存在或不属于争议双方",
		"subject names no "+ref.Type+" between your department and the respondent")
	consumer, provider, name, found, err := between(ctx, tx, ref, opener, respondent)
	if err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", notBetween
	}
	switch {
	case consumer == opener && provider == respondent:
		return &Subject{Type: ref.Type, ID: ref.ID, Name: name}, roleConsumer, nil
	case provider == opener && consumer == respondent:
		return &Subject{Type: ref.Type, ID: ref.ID, Name: name}, roleProvider, nil
	}
	return nil, "", notBetween
}

// between reads the object ref names and returns its consumer, provider
// and name; found is false when there is no such object. A catalog entry has
// no consumer: its provider is the one who holds it, the other party is the
// consumer.
func between(ctx context.Context, tx Tx, ref *SubjectRef, opener, respondent string) (consumer, provider, name string, found bool, err error) {
	switch ref.Type {
	case SubjectApp:
		x, err := tx.Application(ctx, ref.ID)
		if err != nil || x == nil {
			return "", "", "", false, err
		}
		return x.ConsumerID, x.ProviderID, x.EntryName, true, nil
	case SubjectGrant:
		x, err := tx.Grant(ctx, ref.ID)
		if err != nil || x == nil {
			return "", "", "", false, err
		}
		return x.ConsumerID, x.ProviderID, x.EntryName, true, nil
	case SubjectCatalog:
		x, err := tx.CatalogHead(ctx, ref.ID)
		if err != nil || x == nil {
			return "", "", "", false, err
		}
		if x.ProviderID == opener {
			return respondent, x.ProviderID, "", true, nil
		}
		return opener, x.ProviderID, "", true, nil
	}
	return "", "", "", false, problem.Fieldf("subject.type", "dispute.subject_type_invalid", "争议对象类型无效",
		"subject.type must be application, grant or catalog_entry; got %q", ref.Type)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// Open opens a dispute of the actor's department against the respondent,
// in negotiation; the coordinating authority is fixed now from the
// parties' places in the division tree.
func (s *Service) Open(ctx context.Context, a access.Actor, in OpenInput) (Dispute, error) {
	if !CanOpen(a) {
		return Dispute{}, problem.ErrForbidden
	}
	matter, err := text("matter", "争议事项", in.Matter, MaxMatterRunes)
	if err != nil {
		return Dispute{}, err
	}
	claim, err := text("claim", "本方主张", in.Claim, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	in.RespondentID = strings.TrimSpace(in.RespondentID)
	switch {
	case in.RespondentID == "":
		return Dispute{}, problem.Field("respondent_id", "dispute.required", "对方部门不能为空", "respondent_id is required")
	case in.RespondentID == a.DepartmentID:
		return Dispute{}, problem.Field("respondent_id", "dispute.self", "不能与本部门发生争议", "respondent_id is your own department")
	}
	switch in.As {
	case "", roleConsumer, roleProvider:
	default:
		return Dispute{}, problem.Fieldf("as", "dispute.as_invalid", "本方身份无效", "as must be consumer or provider; got %q", in.As)
	}
	if in.Subject == nil && in.As == "" {
		return Dispute{}, problem.Field("as", "dispute.required", "请说明本部门是需求部门还是提供部门",
			"as (consumer or provider) is required when the dispute has no subject")
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Dispute{}, err
	}
	now := s.clock()
	var out Dispute
	err = s.write(ctx, func(tx Tx) error {
		me, err := tx.Department(ctx, a.DepartmentID)
		if err != nil {
			return err
		}
		other, err := tx.Department(ctx, in.RespondentID)
		if err != nil {
			return err
		}
		if me == nil || other == nil {
			return problem.Field("respondent_id", "dispute.respondent_unknown", "对方部门不存在", "respondent_id names no department")
		}
		var subj *Subject
		as := in.As
		if in.Subject != nil {
			var implied string
			if subj, implied, err = subject(ctx, tx, in.Subject, me.ID, other.ID); err != nil {
				return err
			}
			if as != "" && as != implied {
				return problem.Fieldf("as", "dispute.as_mismatch", "本方身份与争议对象不符",
					"in the subject your department is the %s", implied)
			}
			as = implied
		}
		auth, err := coordinator(ctx, tx, me, other)
		if err != nil {
			return err
		}
		mine, theirs := Party{me.ID, me.Name, me.DivisionCode}, Party{other.ID, other.Name, other.DivisionCode}
		d := Dispute{ID: newID(), Version: 1, State: Negotiating, Matter: matter, Subject: subj, OpenedBy: as,
			Authority: auth, Records: []Entry{}, CreatedAt: now, UpdatedAt: now}
		if as == roleConsumer {
			d.Consumer, d.Provider = mine, theirs
		} else {
			d.Consumer, d.Provider = theirs, mine
		}
		if err := d.startStage(cal, Negotiation, now, d.Consumer.DepartmentID, d.Provider.DepartmentID); err != nil {
			return err
		}
		if err := d.add(now, who{a.PersonID, a.DepartmentID, as}, "claim", claim); err != nil {
			return err
		}
		if err := tx.InsertDispute(ctx, d); err != nil {
			return err
		}
		out = d
		return ledger.Record(ctx, tx, now, a, ActionOpen, objectOf(&d, a), d)
	})
	if err != nil {
		return Dispute{}, err
	}
	return out, nil
}

// objectOf names the dispute in the record. The event concerns the actor's
// department already; the object's department is the party opposite the
// actor (the opener, for the authority's acts), so that both parties' office
// heads read every act in their record, and the supervisors of either.
func objectOf(d *Dispute, a access.Actor) ledger.Object {
	dept := d.Other(a.DepartmentID)
	if IsCoordinator(a, d) {
		dept = d.Consumer.DepartmentID
		if d.OpenedBy == roleProvider {
			dept = d.Provider.DepartmentID
		}
	}
	return ledger.Object{Type: objectType, ID: d.ID, DepartmentID: dept}
}

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*Dispute, error) {
	d, err := tx.Dispute(ctx, id)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, d, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return d, nil
}

// Get returns one dispute the actor may see.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Dispute, error) {
	var d *Dispute
	if err := s.read(ctx, func(tx Tx) (err error) { d, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return Dispute{}, err
	}
	if err := s.fill(ctx, d); err != nil {
		return Dispute{}, err
	}
	return *d, nil
}

// fill counts the deadlines that could not be counted when their stage
// began (Dispute.Fill), on the calendar as it stands now.
func (s *Service) fill(ctx context.Context, ds ...*Dispute) error {
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if err := d.Fill(cal); err != nil {
			return err
		}
	}
	return nil
}

// List returns the disputes the actor may see, newest last by ID.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Dispute, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	switch f.State {
	case "", Negotiating, Coordinating, Referred, Resolved, Decided:
	default:
		return nil, problem.Fieldf("state", "dispute.state_invalid", "参数无效",
			"state must be negotiating, coordinating, referred, resolved or decided; got %q", f.State)
	}
	f.Scope = scope
	var out []Dispute
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListDisputes(ctx, f); return err }); err != nil {
		return nil, err
	}
	ps := make([]*Dispute, len(out))
	for i := range out {
		ps[i] = &out[i]
	}
	if err := s.fill(ctx, ps...); err != nil {
		return nil, err
	}
	return out, nil
}

// Events returns the recorded acts on a dispute, in sequence order, to
// whoever may see the dispute.
func (s *Service) Events(ctx context.Context, a access.Actor, id string, after int64, limit int) ([]ledger.Event, error) {
	if limit <= 0 || limit > maxEventsPageSize {
		limit = maxEventsPageSize
	}
	var out []ledger.Event
	err := s.read(ctx, func(tx Tx) error {
		d, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		out, err = tx.ListEvents(ctx, ledger.Filter{ObjectType: objectType, ObjectID: d.ID, After: after, Limit: limit})
		return err
	})
	return out, err
}

// actor kinds an act accepts.
const (
	byParty = 1 << iota
	byCoordinator
)

// run loads the dispute, checks who acts, the version, applies the act and
// saves it with its event, in one transaction.
func (s *Service) run(ctx context.Context, a access.Actor, id string, version int64, by int, action string,
	apply func(d *Dispute, cal *calendar.Calendar, now time.Time, w who) error) (Dispute, error) {
	if version <= 0 {
		return Dispute{}, versionRequired()
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Dispute{}, err
	}
	now := s.clock()
	var out Dispute
	err = s.write(ctx, func(tx Tx) error {
		d, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		w := who{PersonID: a.PersonID, DepartmentID: a.DepartmentID}
		switch {
		case by&byParty != 0 && PartyRole(a, d) != "":
			w.As = PartyRole(a, d)
		case by&byCoordinator != 0 && IsCoordinator(a, d):
			w.As = roleAuthority
		default:
			return problem.ErrForbidden
		}
		if d.Version != version {
			return problem.ErrVersionConflict
		}
		if err := d.Fill(cal); err != nil {
			return err
		}
		if err := apply(d, cal, now, w); err != nil {
			return err
		}
		d.Version++
		d.UpdatedAt = now
		if err := tx.UpdateDispute(ctx, *d); err != nil {
			return err
		}
		out = *d
		return ledger.Record(ctx, tx, now, a, action, objectOf(d, a), d)
	})
	if err != nil {
		return Dispute{}, err
	}
	return out, nil
}

// TextInput is an act with one text: a position, a proposal, a reason.
type TextInput struct {
	Text    string `json:"text"`
	Version int64  `json:"version"`
}

// AddPosition records a party's position, or the coordinating authority's
// note, in the running stage.
func (s *Service) AddPosition(ctx context.Context, a access.Actor, id string, in TextInput) (Dispute, error) {
	t, err := text("text", "内容", in.Text, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	return s.run(ctx, a, id, in.Version, byParty|byCoordinator, ActionPosition, func(d *Dispute, _ *calendar.Calendar, now time.Time, w who) error {
		return d.Position(now, w, t)
	})
}

// ProposeAgreement records a party's proposal of an agreement in
// negotiation, for the other party to confirm or reject.
func (s *Service) ProposeAgreement(ctx context.Context, a access.Actor, id string, in TextInput) (Dispute, error) {
	t, err := text("text", "拟议协议的内容", in.Text, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	return s.run(ctx, a, id, in.Version, byParty, ActionPropose, func(d *Dispute, _ *calendar.Calendar, now time.Time, w who) error {
		return d.Propose(now, w, t)
	})
}

// VersionInput is an act with nothing to say but the version read.
type VersionInput struct {
	Version int64 `json:"version"`
}

// ConfirmAgreement records the other party's confirmation of the proposed
// agreement: the dispute is resolved by negotiation.
func (s *Service) ConfirmAgreement(ctx context.Context, a access.Actor, id string, in VersionInput) (Dispute, error) {
	return s.run(ctx, a, id, in.Version, byParty, ActionConfirm, func(d *Dispute, _ *calendar.Calendar, now time.Time, w who) error {
		return d.Confirm(now, w)
	})
}

// RejectAgreement records the other party's rejection of the proposed
// agreement, with its reason: negotiation goes on.
func (s *Service) RejectAgreement(ctx context.Context, a access.Actor, id string, in TextInput) (Dispute, error) {
	t, err := text("text", "不同意的理由", in.Text, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	return s.run(ctx, a, id, in.Version, byParty, ActionReject, func(d *Dispute, _ *calendar.Calendar, now time.Time, w who) error {
		return d.Reject(now, w, t)
	})
}

// RequestCoordination records that negotiation failed and applies to the
// coordinating authority (协商不成的，申请协调处理).
func (s *Service) RequestCoordination(ctx context.Context, a access.Actor, id string, in TextInput) (Dispute, error) {
	t, err := text("text", "协商未果的情况", in.Text, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	return s.run(ctx, a, id, in.Version, byParty, ActionFail, func(d *Dispute, cal *calendar.Calendar, now time.Time, w who) error {
		return d.FailNegotiation(cal, now, w, t)
	})
}

// CoordinateInput is the coordinating authority's record of coordination.
type CoordinateInput struct {
	Outcome string `json:"outcome"` // agreed or failed
	Opinion string `json:"opinion"` // 协调意见
	// Agreement is what the parties agreed (outcome agreed); Referral the
	// report to the people's government (outcome failed).
	Agreement string `json:"agreement"`
	Referral  string `json:"referral"`
	Version   int64  `json:"version"`
}

// Coordinate records the authority's coordination and its outcome.
func (s *Service) Coordinate(ctx context.Context, a access.Actor, id string, in CoordinateInput) (Dispute, error) {
	opinion, err := text("opinion", "协调意见", in.Opinion, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	var t string
	switch in.Outcome {
	case OutcomeAgreed:
		t, err = text("agreement", "达成一致的内容", in.Agreement, MaxTextRunes)
	case OutcomeFailed:
		t, err = text("referral", "报请本级人民政府决定的情况", in.Referral, MaxTextRunes)
	default:
		err = problem.Fieldf("outcome", "dispute.outcome_invalid", "协调结果无效", "outcome must be agreed or failed; got %q", in.Outcome)
	}
	if err != nil {
		return Dispute{}, err
	}
	return s.run(ctx, a, id, in.Version, byCoordinator, ActionCoordinate, func(d *Dispute, cal *calendar.Calendar, now time.Time, w who) error {
		return d.Coordinate(cal, now, w, in.Outcome == OutcomeAgreed, opinion, t)
	})
}

// DecisionInput is the people's government's decision.
type DecisionInput struct {
	Text           string `json:"text"`
	DocumentNumber string `json:"document_number"`
	DecidedOn      string `json:"decided_on"`
	Version        int64  `json:"version"`
}

// Decide records the people's government's decision on a referred dispute.
func (s *Service) Decide(ctx context.Context, a access.Actor, id string, in DecisionInput) (Dispute, error) {
	t, err := text("text", "决定内容", in.Text, MaxTextRunes)
	if err != nil {
		return Dispute{}, err
	}
	num, err := text("document_number", "决定文号", in.DocumentNumber, MaxDocNumRunes)
	if err != nil {
		return Dispute{}, err
	}
	on, err := calendar.ParseDate(strings.TrimSpace(in.DecidedOn))
	if err != nil {
		return Dispute{}, problem.Field("decided_on", "dispute.date_invalid", "决定日期格式应为 YYYY-MM-DD", "decided_on must be a date YYYY-MM-DD that exists")
	}
	return s.run(ctx, a, id, in.Version, byCoordinator, ActionDecide, func(d *Dispute, _ *calendar.Calendar, now time.Time, w who) error {
		if d.State == Referred {
			referred := calendar.DateOf(d.Stages[len(d.Stages)-1].StartedAt)
			switch {
			case on.After(calendar.DateOf(now)):
				return problem.Field("decided_on", "dispute.date_future", "决定日期晚于今天", "decided_on must not be after today")
			case on.Before(referred):
				return problem.Field("decided_on", "dispute.date_before_referral", "决定日期早于报请日期",
					"decided_on must not be before the dispute was referred ("+referred.String()+")")
			}
		}
		return d.Decide(now, w, Decision{Text: t, DocumentNumber: num, DecidedOn: on.String(), RecordedAt: now, RecordedBy: a.PersonID})
	})
}
