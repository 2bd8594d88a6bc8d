package grant

import (
	"context"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the grant service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	Grant(ctx context.Context, id string) (*Grant, error)
	// UpdateGrant saves g if the stored version is still g.Version-1, and
	// reports a version conflict otherwise.
	UpdateGrant(ctx context.Context, g Grant) error
	ListGrants(ctx context.Context, f Filter) ([]Grant, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	org.AuthorityLookup
	UsageTx
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; Scope and Department come from the reader's rights.
type Filter struct {
	Limit         int
	After         string
	Role          string // "consumer" or "provider"
	ApplicationID string
	EntryID       string
	// Disposal "due" keeps only ended grants not yet disposed of:
	// terminated, or active or suspended but expired at Now (Art. 27 ¶1).
	Disposal string
	// States keeps only grants stored in one of these states.
	States     []State
	Now        time.Time
	Scope      Scope
	Department string
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the grant commands: rights first, one transaction, the
// optimistic version, the event.
type Service struct {
	write, read InTx
	now         func() time.Time
	cal         Calendar
}

// Calendar gives the working-day calendar as it stands (workcal.Service).
type Calendar interface {
	Current(ctx context.Context) (*calendar.Calendar, error)
}

// NewService returns the grant service.
func NewService(write, read InTx, now func() time.Time, cal Calendar) *Service {
	return &Service{write: write, read: read, now: now, cal: cal}
}

var errNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")

// ObjectOf names a grant for the record: it belongs to the consumer.
func ObjectOf(g Grant) ledger.Object {
	return ledger.Object{Type: "grant", ID: g.ID, DepartmentID: g.ConsumerID}
}

// objectFor names the grant for an act by a: an event concerns the actor's
// department and the object's, so the consumer's own acts (rectification,
// disposal) name the provider as the other department concerned, and the
// provider's and authorities' acts name the consumer. The parties' records
// thus show each other's acts; an authority's act is in the consumer's
// record and the authority's, not the provider's, which reads it in the
// grant's whole trail (docs/grants.md, "The record").
func objectFor(a access.Actor, g Grant) ledger.Object {
	o := ObjectOf(g)
	if a.DepartmentID == g.ConsumerID {
		o.DepartmentID = g.ProviderID
	}
	return o
}

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*Grant, error) {
	g, err := tx.Grant(ctx, id)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, g, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return g, nil
}

// Get returns one grant the actor may see, its state as of now.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Grant, error) {
	var g *Grant
	if err := s.read(ctx, func(tx Tx) (err error) { g, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return Grant{}, err
	}
	now := s.now()
	if err := s.derive(ctx, []*Grant{g}, now); err != nil {
		return Grant{}, err
	}
	return *g, nil
}

// derive sets what a read shows but the store does not hold: the state as
// of now, and the disposal deadline of an ended grant.
func (s *Service) derive(ctx context.Context, gs []*Grant, now time.Time) error {
	var cal *calendar.Calendar
	for _, g := range gs {
		if _, ended := g.EndedOn(now); ended && cal == nil {
			var err error
			if cal, err = s.cal.Current(ctx); err != nil {
				return err
			}
		}
		if cal != nil {
			// A year missing from the calendar leaves the deadline unknown;
			// the grant is still shown, and the to-do lists it undated.
			if d, ok, err := DisposalDeadline(cal, *g, now); err == nil && ok {
				g.DisposalDue = &d
			}
		}
		g.State = g.StateAt(now)
	}
	return nil
}

// List returns the grants the actor may see, narrowed by f.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Grant, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	switch f.Role {
	case "", "consumer", "provider":
	default:
		return nil, problem.Fieldf("role", "grant.role_invalid", "参数无效", "role must be consumer or provider; got %q", f.Role)
	}
	switch f.Disposal {
	case "", "due":
	default:
		return nil, problem.Fieldf("disposal", "grant.disposal_filter_invalid", "参数无效", "disposal must be due; got %q", f.Disposal)
	}
	if f.Role != "" && a.DepartmentID == "" {
		return []Grant{}, nil
	}
	now := s.now()
	f.Scope, f.Department, f.Now = scope, a.DepartmentID, now
	var out []Grant
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListGrants(ctx, f); return err }); err != nil {
		return nil, err
	}
	ps := make([]*Grant, len(out))
	for i := range out {
		ps[i] = &out[i]
	}
	if err := s.derive(ctx, ps, now); err != nil {
		return nil, err
	}
	return out, nil
}

// ChangeInput carries the reasons, the evidence (required to terminate) and
// the version last read.
type ChangeInput struct {
	Reasons  []string `json:"reasons"`
	Evidence string   `json:"evidence,omitempty"`
	Version  int64    `json:"version"`
}

// SuspendInput is a suspension (Art. 27 ¶2): grounds, reasons, evidence,
// and the deadline for rectification as a date or a number of working days.
type SuspendInput struct {
	Grounds     Grounds  `json:"grounds"`
	Reasons     []string `json:"reasons"`
	Evidence    string   `json:"evidence"`
	RectifyBy   string   `json:"rectify_by,omitempty"`
	RectifyDays int      `json:"rectify_days,omitempty"`
	Version     int64    `json:"version"`
}

// RectificationInput is the consumer's report of its rectification.
type RectificationInput struct {
	Actions  string `json:"actions"`
	Evidence string `json:"evidence"`
	Version  int64  `json:"version"`
}

// DisposalRequirementInput is the provider's requirement for disposal.
type DisposalRequirementInput struct {
	Method  DisposalMethod `json:"method"`
	Text    string         `json:"text"`
	Version int64          `json:"version"`
}

// DisposeInput is the consumer's record of the disposal (Art. 27 ¶1).
type DisposeInput struct {
	Method     DisposalMethod `json:"method"`
	Actions    string         `json:"actions"`
	DoneOn     string         `json:"done_on"`
	Evidence   string         `json:"evidence"`
	Reason     DisposalReason `json:"reason,omitempty"`
	ReasonText string         `json:"reason_text,omitempty"`
	Version    int64          `json:"version"`
}

// ConsentInput is the provider's consent to re-share (Art. 25).
type ConsentInput struct {
	ThirdDepartmentID string `json:"third_department_id"`
	Purpose           string `json:"purpose"`
	Version           int64  `json:"version"`
}

func versionRequired() error {
	return problem.Field("version", "grant.version_required", "缺少版本号", "version (the version you last read) is required")
}

// run loads the grant, checks rights and version, applies the act and saves
// it with its event, in one transaction.
func (s *Service) run(ctx context.Context, a access.Actor, id string, version int64, action string,
	may func(tx Tx, g *Grant, now time.Time) (bool, error), apply func(tx Tx, g *Grant, now time.Time) error) (Grant, error) {
	if version <= 0 {
		return Grant{}, versionRequired()
	}
	now := s.now().UTC()
	var out *Grant
	err := s.write(ctx, func(tx Tx) error {
		g, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		ok, err := may(tx, g, now)
		if err != nil {
			return err
		}
		if !ok {
			return problem.ErrForbidden
		}
		if g.Version != version {
			return problem.ErrVersionConflict
		}
		if err := apply(tx, g, now); err != nil {
			return err
		}
		g.Version++
		g.UpdatedAt = now
		if err := tx.UpdateGrant(ctx, *g); err != nil {
			return err
		}
		out = g
		return ledger.Record(ctx, tx, now, a, action, objectFor(a, *g), g)
	})
	if err != nil {
		return Grant{}, err
	}
	if err := s.derive(ctx, []*Grant{out}, now); err != nil {
		return Grant{}, err
	}
	return *out, nil
}

func (s *Service) control(ctx context.Context, a access.Actor) func(tx Tx, g *Grant) (bool, error) {
	return func(tx Tx, g *Grant) (bool, error) {
		if headOf(a, g.ProviderID) {
			return true, nil
		}
		if !a.Has(access.AuthorityReviewer) {
			return false, nil
		}
		auth, err := org.AuthorityFor(ctx, tx, g.ProviderDivision)
		if err != nil && problem.CodeOf(err) == "" {
			return false, err
		}
		if err == nil && CanControl(a, g, auth.ID) {
			return true, nil
		}
		// The consumer's same-level authority, or one above it, supervises
		// the consumer's use (Art. 27 ¶2): an authority reviewer whose own
		// department is the authority of its division, with the consumer
		// in that division's region.
		if a.DepartmentID == "" || a.DivisionCode == "" {
			return false, nil
		}
		own, err := tx.AuthorityIn(ctx, a.DivisionCode)
		if err != nil || own == nil || own.ID != a.DepartmentID {
			return false, err
		}
		return tx.InRegion(ctx, a.DivisionCode, g.ConsumerDivision)
	}
}

// ignoreNow adapts a rule that does not depend on the time to run's.
func ignoreNow(may func(tx Tx, g *Grant) (bool, error)) func(tx Tx, g *Grant, now time.Time) (bool, error) {
	return func(tx Tx, g *Grant, _ time.Time) (bool, error) { return may(tx, g) }
}

// resumer is who may resume (CanResume): the known suspender, or, for a
// grant suspended before suspensions were recorded, whoever may control it.
func (s *Service) resumer(ctx context.Context, a access.Actor) func(tx Tx, g *Grant, now time.Time) (bool, error) {
	return func(tx Tx, g *Grant, _ time.Time) (bool, error) {
		controls := false
		if !g.SuspenderKnown() {
			var err error
			if controls, err = s.control(ctx, a)(tx, g); err != nil {
				return false, err
			}
		}
		return CanResume(a, g, controls), nil
	}
}

// Suspend stops an active grant's delivery on every method at once (暂停共享
// 权限), with grounds, reasons, evidence and a deadline for rectification
// (限期整改, Art. 27 ¶2).
func (s *Service) Suspend(ctx context.Context, a access.Actor, id string, in SuspendInput) (Grant, error) {
	terms, err := CleanSuspend(in.Grounds, in.Reasons, in.Evidence)
	if err != nil {
		return Grant{}, err
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Grant{}, err
	}
	return s.run(ctx, a, id, in.Version, "grant.suspend", ignoreNow(s.control(ctx, a)), func(_ Tx, g *Grant, now time.Time) error {
		if st := g.StateAt(now); st != Active {
			return WrongState(st, "suspend") // before counting a deadline it would not need
		}
		if terms.RectifyBy, err = RectifyDeadline(cal, in.RectifyBy, in.RectifyDays, now); err != nil {
			return err
		}
		return g.Suspend(a, terms, now)
	})
}

// Resume lets a suspended grant deliver again, with reasons: only the
// suspender does (CanResume).
func (s *Service) Resume(ctx context.Context, a access.Actor, id string, in ChangeInput) (Grant, error) {
	reasons, err := cleanReasons(in.Reasons)
	if err != nil {
		return Grant{}, err
	}
	return s.run(ctx, a, id, in.Version, "grant.resume", s.resumer(ctx, a),
		func(_ Tx, g *Grant, now time.Time) error { return g.Resume(a, reasons, now) })
}

// Terminate ends an active or suspended grant for good (终止共享权限), with
// reasons and evidence; the consumer must then dispose of the data.
func (s *Service) Terminate(ctx context.Context, a access.Actor, id string, in ChangeInput) (Grant, error) {
	reasons, err := cleanReasons(in.Reasons)
	if err != nil {
		return Grant{}, err
	}
	evidence, err := text("evidence", in.Evidence, true)
	if err != nil {
		return Grant{}, err
	}
	return s.run(ctx, a, id, in.Version, "grant.terminate", ignoreNow(s.control(ctx, a)), func(_ Tx, g *Grant, now time.Time) error {
		return g.Terminate(a, reasons, evidence, now)
	})
}

// ReportRectification records the consumer's report on its rectification of
// a suspended grant.
func (s *Service) ReportRectification(ctx context.Context, a access.Actor, id string, in RectificationInput) (Grant, error) {
	return s.run(ctx, a, id, in.Version, "grant.rectification", func(_ Tx, g *Grant, _ time.Time) (bool, error) { return CanRectify(a, g), nil },
		func(_ Tx, g *Grant, now time.Time) error {
			return g.ReportRectification(a, in.Actions, in.Evidence, now)
		})
}

// SetDisposalRequirement records the provider's requirement for disposal.
func (s *Service) SetDisposalRequirement(ctx context.Context, a access.Actor, id string, in DisposalRequirementInput) (Grant, error) {
	return s.run(ctx, a, id, in.Version, "grant.disposal_requirement", func(_ Tx, g *Grant, _ time.Time) (bool, error) { return CanRequireDisposal(a, g), nil },
		func(_ Tx, g *Grant, now time.Time) error { return g.SetDisposalRequirement(a, in.Method, in.Text, now) })
}

// Dispose records the consumer's disposal of the data (Art. 27 ¶1); an
// active grant stops delivering at once.
func (s *Service) Dispose(ctx context.Context, a access.Actor, id string, in DisposeInput) (Grant, error) {
	return s.run(ctx, a, id, in.Version, "grant.dispose", func(_ Tx, g *Grant, now time.Time) (bool, error) { return CanDispose(a, g, now), nil },
		func(_ Tx, g *Grant, now time.Time) error {
			return g.Dispose(a, DisposeTerms{Method: in.Method, Actions: in.Actions, DoneOn: in.DoneOn, Evidence: in.Evidence,
				Reason: in.Reason, ReasonText: in.ReasonText}, now)
		})
}

// RecordConsent records the provider office head's consent to re-share the
// granted data to a third department for a purpose (Art. 25).
func (s *Service) RecordConsent(ctx context.Context, a access.Actor, id string, in ConsentInput) (Grant, error) {
	return s.run(ctx, a, id, in.Version, "grant.consent",
		func(_ Tx, g *Grant, _ time.Time) (bool, error) { return CanConsent(a, g), nil },
		func(tx Tx, g *Grant, now time.Time) error {
			if err := g.RecordConsent(a, in.ThirdDepartmentID, in.Purpose, now); err != nil {
				return err
			}
			d, err := tx.Department(ctx, g.Consents[len(g.Consents)-1].ThirdDepartmentID)
			if err != nil {
				return err
			}
			if d == nil {
				return problem.Field("third_department_id", "grant.third_unknown", "第三方部门不存在", "no department has this id")
			}
			return nil
		})
}
