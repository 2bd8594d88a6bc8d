package application

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// InTx runs fn in one transaction: committed if fn returns nil, rolled back otherwise.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Calendar gives the working-day calendar as it stands (workcal.Service).
type Calendar interface {
	Current(ctx context.Context) (*calendar.Calendar, error)
}

// Service runs the application commands: check the actor's rights, load,
// apply the rule, save, append the event — all in one transaction.
type Service struct {
	write, read InTx
	now         func() time.Time
	cal         Calendar
}

// NewService returns the application service.
func NewService(write, read InTx, now func() time.Time, cal Calendar) *Service {
	return &Service{write: write, read: read, now: now, cal: cal}
}

var errNotFound = problem.NotFoundf("application.not_found", "共享申请不存在", "no such application")

var errNoEntry = &problem.Error{Kind: problem.NotFound, Code: "application.entry_not_found", Title: "目录不存在或尚未发布",
	Field: "entry_id", Detail: "no published catalog entry has this id; only published entries can be applied for (Art. 16)"}

func versionRequired() error {
	return problem.Field("version", "application.version_required", "缺少版本号", "version (the version you last read) is required")
}

// NewApplication is what it takes to draft an application. The form's fields
// are spelled out rather than embedded so that a decoding error names the
// JSON field ("items"), not the Go path ("Form.items").
type NewApplication struct {
	EntryID        string    `json:"entry_id"`
	Items          []string  `json:"items"`
	LegalBasis     string    `json:"legal_basis"`
	Scenario       string    `json:"scenario"`
	Scope          string    `json:"scope"`
	DeliveryMethod string    `json:"delivery_method"`
	TimeLimit      TimeLimit `json:"time_limit"`
}

// Apply is the NewApplication for entry with form f.
func Apply(entryID string, f Form) NewApplication {
	return NewApplication{EntryID: entryID, Items: f.Items, LegalBasis: f.LegalBasis, Scenario: f.Scenario, Scope: f.Scope,
		DeliveryMethod: f.DeliveryMethod, TimeLimit: f.TimeLimit}
}

// Form returns the form part.
func (n NewApplication) Form() Form {
	return Form{Items: n.Items, LegalBasis: n.LegalBasis, Scenario: n.Scenario, Scope: n.Scope, DeliveryMethod: n.DeliveryMethod, TimeLimit: n.TimeLimit}
}

// Create drafts an application of the actor's department for one published
// entry (Art. 20). The consumer is the actor's department, never a field.
func (s *Service) Create(ctx context.Context, a access.Actor, in NewApplication) (Application, error) {
	if !CanApply(a) {
		return Application{}, problem.ErrForbidden
	}
	in.EntryID = strings.TrimSpace(in.EntryID)
	if in.EntryID == "" {
		return Application{}, required("entry_id")
	}
	now := s.now().UTC()
	var out Application
	err := s.write(ctx, func(tx Tx) error {
		e, err := tx.PublishedEntry(ctx, in.EntryID)
		if err != nil {
			return err
		}
		if e == nil {
			return errNoEntry
		}
		if err := Applicable(*e, a.DepartmentID); err != nil {
			return err
		}
		f, err := in.Form().Normalise(*e, calendar.DateOf(now))
		if err != nil {
			return err
		}
		out = New(uuid.Must(uuid.NewV7()).String(), *e, a, f, now)
		if err := tx.InsertApplication(ctx, out); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "application.create", ledger.Object{Type: "application", ID: out.ID, DepartmentID: out.ConsumerID}, out)
	})
	if err != nil {
		return Application{}, err
	}
	return out, nil
}

// step is one command on an existing application.
type step struct {
	action  string
	version int64
	may     func(access.Actor, *Application) bool
	// objectDept is the department the act concerns for the record when it
	// is not the consumer.
	objectDept func(*Application) string
	apply      func(tx Tx, app *Application, now time.Time, cal *calendar.Calendar) error
}

// run loads the application, checks visibility, rights and version, applies
// the step and saves it with its event, in one transaction.
func (s *Service) run(ctx context.Context, a access.Actor, id string, st step) (Application, error) {
	if st.version <= 0 {
		return Application{}, versionRequired()
	}
	// The calendar is read before the write transaction, which it would
	// otherwise lengthen; every answer shows its step durations with it.
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Application{}, err
	}
	now := s.now().UTC()
	var out *Application
	err = s.write(ctx, func(tx Tx) error {
		app, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !st.may(a, app) {
			return problem.ErrForbidden
		}
		if app.Version != st.version {
			return problem.ErrVersionConflict
		}
		if err := st.apply(tx, app, now, cal); err != nil {
			return err
		}
		app.Version++
		app.UpdatedAt = now
		if err := tx.UpdateApplication(ctx, *app); err != nil {
			return err
		}
		dept := app.ConsumerID
		if st.objectDept != nil {
			dept = st.objectDept(app)
		}
		out = app
		return ledger.Record(ctx, tx, now, a, st.action, ledger.Object{Type: "application", ID: app.ID, DepartmentID: dept}, app)
	})
	if err != nil {
		return Application{}, err
	}
	out.Durations = Durations(out, cal)
	return *out, nil
}

// load returns the application if the actor may see it; an application the
// actor may not see does not exist for them.
func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*Application, error) {
	app, err := tx.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if app == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, app, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return app, nil
}

// Edit replaces a draft's form (fields spelled out, as in NewApplication).
type Edit struct {
	Items          []string  `json:"items"`
	LegalBasis     string    `json:"legal_basis"`
	Scenario       string    `json:"scenario"`
	Scope          string    `json:"scope"`
	DeliveryMethod string    `json:"delivery_method"`
	TimeLimit      TimeLimit `json:"time_limit"`
	Version        int64     `json:"version"`
}

// EditOf is the Edit setting form f on the version last read.
func EditOf(f Form, version int64) Edit {
	return Edit{Items: f.Items, LegalBasis: f.LegalBasis, Scenario: f.Scenario, Scope: f.Scope, DeliveryMethod: f.DeliveryMethod,
		TimeLimit: f.TimeLimit, Version: version}
}

// Update edits a draft (or one awaiting approval, which returns it to draft).
func (s *Service) Update(ctx context.Context, a access.Actor, id string, in Edit) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.edit", version: in.Version, may: CanEdit,
		apply: func(tx Tx, app *Application, now time.Time, _ *calendar.Calendar) error {
			if app.State != Draft && app.State != AwaitingApproval {
				return WrongState(app.State, "edit")
			}
			e, err := tx.PublishedEntry(ctx, app.EntryID)
			if err != nil {
				return err
			}
			if e == nil {
				return errNoEntry
			}
			if e.Version != app.EntryVersion {
				// A new version was published since drafting: apply for it.
				app.EntryVersion, app.EntryName, app.Attribute = e.Version, e.Name, e.Attribute
				if err := Applicable(*e, app.ConsumerID); err != nil {
					return err
				}
			}
			f, err := Form{Items: in.Items, LegalBasis: in.LegalBasis, Scenario: in.Scenario, Scope: in.Scope,
				DeliveryMethod: in.DeliveryMethod, TimeLimit: in.TimeLimit}.Normalise(*e, calendar.DateOf(now))
			if err != nil {
				return err
			}
			return app.Edit(a, f, now)
		}})
}

// Command carries the version the caller last read, for acts with no other input.
type Command struct {
	Version int64 `json:"version"`
}

// Submit asks the consumer's office head to approve a draft.
func (s *Service) Submit(ctx context.Context, a access.Actor, id string, in Command) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.submit", version: in.Version, may: CanEdit,
		apply: func(_ Tx, app *Application, now time.Time, _ *calendar.Calendar) error { return app.Submit(a, now) }})
}

// Approve is the consumer office head's approval, which sends the
// application: the provider receives it now (Art. 20, 21).
func (s *Service) Approve(ctx context.Context, a access.Actor, id string, in Command) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.send", version: in.Version, may: CanApprove,
		apply: func(_ Tx, app *Application, now time.Time, cal *calendar.Calendar) error {
			return app.Send(a, now, cal)
		}})
}

// SupplementInput is the provider's single list of everything missing.
type SupplementInput struct {
	Missing []Missing `json:"missing"`
	Version int64     `json:"version"`
}

// RequestSupplement sends the one supplement request of Art. 21.
func (s *Service) RequestSupplement(ctx context.Context, a access.Actor, id string, in SupplementInput) (Application, error) {
	ms, err := CheckMissing(in.Missing)
	if err != nil {
		return Application{}, err
	}
	return s.run(ctx, a, id, step{action: "application.supplement_request", version: in.Version, may: CanHandle,
		apply: func(_ Tx, app *Application, now time.Time, _ *calendar.Calendar) error {
			return app.RequestSupplement(a, ms, now)
		}})
}

// ResubmitInput answers a supplement request, one answer per missing item,
// and may correct the legal basis, scenario or scope.
type ResubmitInput struct {
	Answers    []string `json:"answers"`
	LegalBasis *string  `json:"legal_basis,omitempty"`
	Scenario   *string  `json:"scenario,omitempty"`
	Scope      *string  `json:"scope,omitempty"`
	Version    int64    `json:"version"`
}

// Resubmit answers the supplement request. It is the consumer head's act, as
// the sending was: the supplemented application is approved again (Art. 20).
func (s *Service) Resubmit(ctx context.Context, a access.Actor, id string, in ResubmitInput) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.resubmit", version: in.Version, may: CanApprove,
		apply: func(_ Tx, app *Application, now time.Time, cal *calendar.Calendar) error {
			return app.Resubmit(a, in.Answers, Changes{LegalBasis: in.LegalBasis, Scenario: in.Scenario, Scope: in.Scope}, now, cal)
		}})
}

// ExtensionInput asks for more time to reply.
type ExtensionInput struct {
	Days    int    `json:"days"`
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

// RequestExtension asks the provider's same-level authority for up to 10 WD
// more (Art. 21).
func (s *Service) RequestExtension(ctx context.Context, a access.Actor, id string, in ExtensionInput) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.extension_request", version: in.Version, may: CanHandle,
		objectDept: func(app *Application) string { return app.ProviderID },
		apply: func(tx Tx, app *Application, now time.Time, _ *calendar.Calendar) error {
			auth, err := org.AuthorityFor(ctx, tx, app.ProviderDivision)
			if err != nil {
				return err
			}
			return app.RequestExtension(a, in.Days, in.Reason, auth.ID, now)
		}})
}

// The authority's decisions on an extension.
const (
	DecideGrant  = "grant"
	DecideRefuse = "refuse"
)

// ExtensionDecision is the authority's answer to an extension request.
type ExtensionDecision struct {
	Decision string `json:"decision"` // "grant" or "refuse"
	Note     string `json:"note"`
	Version  int64  `json:"version"`
}

// DecideExtension is the provider's same-level authority granting or
// refusing an extension; a grant moves the reply deadline and is notified to
// the consumer (Art. 21).
func (s *Service) DecideExtension(ctx context.Context, a access.Actor, id string, in ExtensionDecision) (Application, error) {
	var grant bool
	switch in.Decision {
	case DecideGrant:
		grant = true
	case DecideRefuse:
	case "":
		return Application{}, required("decision")
	default:
		return Application{}, problem.Fieldf("decision", "application.decision_invalid", "审批结论无效", "decision must be grant or refuse; got %q", in.Decision)
	}
	return s.run(ctx, a, id, step{action: "application.extension_decide", version: in.Version,
		may: func(a access.Actor, app *Application) bool {
			return app.Extension != nil && CanDecideExtension(a, app.Extension.AuthorityID)
		},
		objectDept: func(app *Application) string { return app.ProviderID },
		apply: func(_ Tx, app *Application, now time.Time, cal *calendar.Calendar) error {
			return app.DecideExtension(a, grant, in.Note, now, cal)
		}})
}

// ReplyRequest is the provider head's reply.
type ReplyRequest struct {
	Decision       string   `json:"decision"` // "approve" or "refuse"
	Reasons        []string `json:"reasons,omitempty"`
	ReasonCategory string   `json:"reason_category,omitempty"`
	// Conditions are the terms of use an approval attaches to the grant.
	Conditions string `json:"conditions,omitempty"`
	// ClearItems are granted items of a sensitive grade that the service
	// interface may return unmasked; Limits the grant's call limits (absent:
	// the defaults). Both belong to an approval; a refusal ignores them.
	ClearItems []string      `json:"clear_items,omitempty"`
	Limits     *grant.Limits `json:"limits,omitempty"`
	// DisposalRequirement is how the consumer must dispose of the data once
	// the purpose is over (Art. 27 ¶1); absent, the provider's office may
	// state it later on the grant. Ignored on a refusal.
	DisposalRequirement *grant.Requirement `json:"disposal_requirement,omitempty"`
	Version             int64              `json:"version"`
}

// Reply records the provider's answer, given by its office head (Art. 20–22).
func (s *Service) Reply(ctx context.Context, a access.Actor, id string, in ReplyRequest) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.reply", version: in.Version, may: CanReply,
		apply: func(tx Tx, app *Application, now time.Time, cal *calendar.Calendar) error {
			if in.Conditions != "" && in.Decision != Approve {
				return problem.Field("conditions", "application.conditions_on_refusal", "不同意共享时不填写使用条件", "conditions belong to an approval")
			}
			if err := app.Answer(a, ReplyInput{Decision: in.Decision, Reasons: in.Reasons, ReasonCategory: in.ReasonCategory}, now, cal); err != nil {
				return err
			}
			if app.State != Approved {
				return nil
			}
			return createGrant(ctx, tx, a, app, in, now)
		}})
}

// createGrant stores the grant of an approved application and records it, in
// the reply's transaction (Art. 22): an approval and its grant are committed
// or lost together.
func createGrant(ctx context.Context, tx Tx, a access.Actor, app *Application, in ReplyRequest, now time.Time) error {
	conditions := in.Conditions
	if len([]rune(conditions)) > maxTextRunes {
		return problem.Fieldf("conditions", "application.too_long", "内容过长", "conditions are longer than %d characters", maxTextRunes)
	}
	t := app.Reply.Grant
	g, err := grant.New(grant.NewGrant{
		ID: uuid.Must(uuid.NewV7()).String(), ApplicationID: app.ID,
		ConsumerID: app.ConsumerID, ConsumerDivision: app.ConsumerDivision, ProviderID: app.ProviderID, ProviderDivision: app.ProviderDivision,
		EntryID: app.EntryID, EntryVersion: app.EntryVersion, EntryName: app.EntryName,
		Items: t.Items, Scenario: app.Scenario, Scope: t.Scope, DeliveryMethod: t.DeliveryMethod,
		TimeLimit:  grant.TimeLimit{Until: t.TimeLimit.Until, Months: t.TimeLimit.Months},
		Conditions: conditions,
		ClearItems: in.ClearItems,
		Limits:     limitsOf(in.Limits),
		Disposal:   in.DisposalRequirement,
	}, a, now)
	if err != nil {
		return err
	}
	t.ID, t.Conditions = g.ID, g.Conditions
	if err := tx.InsertGrant(ctx, g); err != nil {
		// The application was awaiting a reply when read, so a grant that
		// exists already was created by a concurrent reply that committed
		// first (on PostgreSQL the unique index decides before the
		// version check): the same conflict as a stale version.
		if problem.CodeOf(err) == "grant.exists" {
			return problem.ErrVersionConflict
		}
		return err
	}
	return ledger.Record(ctx, tx, now, a, "grant.create", grant.ObjectOf(g), g)
}

func limitsOf(l *grant.Limits) grant.Limits {
	if l == nil {
		return grant.Limits{}
	}
	return *l
}

// WithdrawInput withdraws an application before a reply.
type WithdrawInput struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

// Withdraw ends the consumer's application before a reply.
func (s *Service) Withdraw(ctx context.Context, a access.Actor, id string, in WithdrawInput) (Application, error) {
	return s.run(ctx, a, id, step{action: "application.withdraw", version: in.Version, may: CanEdit,
		apply: func(_ Tx, app *Application, now time.Time, _ *calendar.Calendar) error {
			return app.Withdraw(a, in.Reason, now)
		}})
}

// Get returns one application the actor may see, with its step durations.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Application, error) {
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Application{}, err
	}
	var app *Application
	if err := s.read(ctx, func(tx Tx) (err error) { app, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return Application{}, err
	}
	app.Durations = Durations(app, cal)
	return *app, nil
}

// List returns the applications the actor may see, narrowed by f.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Application, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	switch f.Role {
	case "", "consumer", "provider":
	default:
		return nil, problem.Fieldf("role", "application.role_invalid", "参数无效", "role must be consumer or provider; got %q", f.Role)
	}
	if f.State != "" && !f.State.Valid() {
		return nil, problem.Fieldf("state", "application.state_invalid", "参数无效", "unknown state %q", f.State)
	}
	if f.Role != "" && a.DepartmentID == "" {
		return []Application{}, nil
	}
	f.Scope, f.Department = scope, a.DepartmentID
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []Application
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListApplications(ctx, f); return err }); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Durations = Durations(&out[i], cal)
	}
	return out, nil
}
