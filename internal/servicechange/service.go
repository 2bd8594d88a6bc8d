package servicechange

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// Tx is what the service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	PublishedEntry(ctx context.Context, id string) (*application.EntryRef, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	org.AuthorityLookup
	// GrantsOnEntry lists the grants on entry whose stored state is active
	// or suspended (some may have expired since), by ID.
	GrantsOnEntry(ctx context.Context, entryID string) ([]grant.Grant, error)
	UpdateGrant(ctx context.Context, g grant.Grant) error
	// ListSubscriptions and UpdateSubscription end the push subscriptions
	// a change leaves unable to deliver (endPushes).
	ListSubscriptions(ctx context.Context, f exchange.Filter) ([]exchange.Subscription, error)
	UpdateSubscription(ctx context.Context, s exchange.Subscription) error
	InsertServiceChange(ctx context.Context, c ServiceChange) error
	ServiceChange(ctx context.Context, id string) (*ServiceChange, error)
	// UpdateServiceChange saves c if the stored version is still
	// c.Version-1, and reports a version conflict otherwise.
	UpdateServiceChange(ctx context.Context, c ServiceChange) error
	ListServiceChanges(ctx context.Context, f Filter) ([]ServiceChange, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; Scope comes from the reader's rights.
type Filter struct {
	Scope   access.Scope
	EntryID string
	States  []State
	After   string
	Limit   int
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Calendar gives the working-day calendar as it stands (workcal.Service).
type Calendar interface {
	Current(ctx context.Context) (*calendar.Calendar, error)
}

// Service runs the service-change commands: rights first, one transaction,
// the optimistic version, the events.
type Service struct {
	write, read InTx
	now         func() time.Time
	cal         Calendar
}

// NewService returns the service-change service.
func NewService(write, read InTx, now func() time.Time, cal Calendar) *Service {
	return &Service{write: write, read: read, now: now, cal: cal}
}

var errNotFound = problem.NotFoundf("service_change.not_found", "服务变更不存在", "no such service change")

// Open lists the states in which a change is still under way.
var Open = []State{Consulting, Filed, Acknowledged}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// record appends the event of each act in c's history from step from on:
// one event owned by the provider, and one for every other party (the
// consumers concerned and the authority) that did not act, so that each
// party's record holds every act on the change it is concerned by.
func record(ctx context.Context, tx Tx, now time.Time, a access.Actor, c *ServiceChange, from int) error {
	for _, st := range c.History[from:] {
		seen := map[string]bool{a.DepartmentID: true}
		for _, dept := range c.Parties() {
			if seen[dept] && dept != c.ProviderID {
				continue
			}
			seen[dept] = true
			if err := ledger.Record(ctx, tx, now, a, st.Action, ledger.Object{Type: "service_change", ID: c.ID, DepartmentID: dept}, c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*ServiceChange, error) {
	c, err := tx.ServiceChange(ctx, id)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, c, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return c, nil
}

// Get returns one change the actor may see.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (ServiceChange, error) {
	var c *ServiceChange
	if err := s.read(ctx, func(tx Tx) (err error) { c, err = s.load(ctx, tx, a, id); return err }); err != nil {
		return ServiceChange{}, err
	}
	return *c, nil
}

// List returns the changes the actor may see, newest first by ID order.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]ServiceChange, error) {
	scope, ok := access.ListScope(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	for _, st := range f.States {
		if _, ok := stateName[st]; !ok {
			return nil, &problem.Error{Kind: problem.Malformed, Code: "request.bad_parameter", Title: "参数无效", Field: "state",
				Detail: fmt.Sprintf("state must be one of consulting, filed, acknowledged, effective, returned, withdrawn; got %q", st)}
		}
	}
	f.Scope = scope
	var out []ServiceChange
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListServiceChanges(ctx, f); return err }); err != nil {
		return nil, err
	}
	return out, nil
}

var errNoEntry = &problem.Error{Kind: problem.NotFound, Code: "service_change.entry_not_found", Title: "目录不存在或尚未发布",
	Field: "entry_id", Detail: "no published catalog entry has this id"}

// Propose starts a change of the delivered service of one published entry of
// the actor's department: its office head signs. The consumers concerned are
// those with an active or suspended grant on the entry now.
func (s *Service) Propose(ctx context.Context, a access.Actor, in Proposal) (ServiceChange, error) {
	if !a.Has(access.OfficeHead) || a.DepartmentID == "" {
		return ServiceChange{}, problem.ErrForbidden
	}
	in.EntryID = strings.TrimSpace(in.EntryID)
	if in.EntryID == "" {
		return ServiceChange{}, problem.Field("entry_id", "service_change.entry_id_required", "请选择目录", "entry_id is required")
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return ServiceChange{}, err
	}
	now := s.clock()
	consult, err := cal.DeadlineFrom(calendar.DateOf(now), ConsultationDays)
	if err != nil {
		return ServiceChange{}, workcal.Problem(err)
	}
	consult.Rule = "平台默认协商期限（条例未规定期限）：" + consult.Rule
	var out ServiceChange
	err = s.write(ctx, func(tx Tx) error {
		e, err := tx.PublishedEntry(ctx, in.EntryID)
		if err != nil {
			return err
		}
		if e == nil {
			return errNoEntry
		}
		if !CanPropose(a, e.ProviderID) {
			return &problem.Error{Kind: problem.Forbidden, Code: problem.ErrForbidden.Code, Field: "entry_id",
				Title:  "只有目录的提供部门可以终止或者变更其共享服务",
				Detail: "only the office head of the entry's provider may propose to end or change its service"}
		}
		p, err := in.Clean(e.Items, e.DeliveryMethods, calendar.DateOf(now))
		if err != nil {
			return err
		}
		open, err := tx.ListServiceChanges(ctx, Filter{Scope: access.Scope{All: true}, EntryID: e.ID, States: Open, Limit: 1})
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return problem.New(problem.Conflict, "service_change.already_open", "该目录已有进行中的服务变更",
				"the entry already has a service change under way: "+open[0].ID)
		}
		auth, err := org.AuthorityFor(ctx, tx, e.ProviderDivision)
		if err != nil {
			return err
		}
		consumers, err := concerned(ctx, tx, e.ID, now)
		if err != nil {
			return err
		}
		out = ServiceChange{ID: uuid.Must(uuid.NewV7()).String(), EntryID: e.ID, EntryVersion: e.Version, EntryName: e.Name,
			ProviderID: e.ProviderID, ProviderDivision: e.ProviderDivision, AuthorityID: auth.ID, AuthorityName: auth.Name, AuthorityDivision: auth.DivisionCode,
			Kind: p.Kind, Changes: p.Changes, Reason: p.Reason, EffectiveDate: p.EffectiveDate,
			Consumers: consumers, Consultation: consult, State: Consulting, History: []Step{}, Version: 1,
			CreatedAt: now, CreatedBy: a.PersonID, UpdatedAt: now}
		out.log(now, a, "service_change.propose", p.Reason)
		if err := tx.InsertServiceChange(ctx, out); err != nil {
			return err
		}
		return record(ctx, tx, now, a, &out, 0)
	})
	if err != nil {
		return ServiceChange{}, err
	}
	return out, nil
}

// concerned lists the departments with an active or suspended grant on
// entry at now, with their grants.
func concerned(ctx context.Context, tx Tx, entryID string, now time.Time) ([]Consumer, error) {
	gs, err := tx.GrantsOnEntry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	out := []Consumer{}
	for _, g := range gs {
		if st := g.StateAt(now); st != grant.Active && st != grant.Suspended {
			continue
		}
		i := slices.IndexFunc(out, func(k Consumer) bool { return k.DepartmentID == g.ConsumerID })
		if i < 0 {
			d, err := tx.Department(ctx, g.ConsumerID)
			if err != nil {
				return nil, err
			}
			if d == nil {
				return nil, fmt.Errorf("servicechange: grant %s names unknown consumer %s", g.ID, g.ConsumerID)
			}
			out = append(out, Consumer{DepartmentID: d.ID, Name: d.Name, DivisionCode: d.DivisionCode, GrantIDs: []string{}})
			i = len(out) - 1
		}
		out[i].GrantIDs = append(out[i].GrantIDs, g.ID)
	}
	return out, nil
}

func versionRequired() error {
	return problem.Field("version", "service_change.version_required", "缺少版本号", "version (the version you last read) is required")
}

// run loads the change, checks rights and version, applies the act and
// saves it with its events, in one transaction.
func (s *Service) run(ctx context.Context, a access.Actor, id string, version int64,
	may func(c *ServiceChange) bool, apply func(tx Tx, c *ServiceChange, now time.Time) error) (ServiceChange, error) {
	if version <= 0 {
		return ServiceChange{}, versionRequired()
	}
	now := s.clock()
	var out *ServiceChange
	err := s.write(ctx, func(tx Tx) error {
		c, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !may(c) {
			return problem.ErrForbidden
		}
		if c.Version != version {
			return problem.ErrVersionConflict
		}
		out = c
		return commit(ctx, tx, a, c, now, apply)
	})
	if err != nil {
		return ServiceChange{}, err
	}
	return *out, nil
}

// commit applies an act to c, stores it under the next version and records
// its events, in the caller's transaction.
func commit(ctx context.Context, tx Tx, a access.Actor, c *ServiceChange, now time.Time,
	apply func(tx Tx, c *ServiceChange, now time.Time) error) error {
	from := len(c.History)
	if err := apply(tx, c, now); err != nil {
		return err
	}
	c.Version++
	c.UpdatedAt = now
	if err := tx.UpdateServiceChange(ctx, *c); err != nil {
		return err
	}
	return record(ctx, tx, now, a, c, from)
}

// AnswerInput is a consumer's answer in the consultation.
type AnswerInput struct {
	Position Position `json:"position"`
	Opinion  string   `json:"opinion"`
	Version  int64    `json:"version"`
}

// Answer records the answer of the actor's department, a consumer
// concerned; its office head signs. Each consumer answers once.
func (s *Service) Answer(ctx context.Context, a access.Actor, id string, in AnswerInput) (ServiceChange, error) {
	return s.run(ctx, a, id, in.Version, func(c *ServiceChange) bool { return CanAnswer(a, c) },
		func(_ Tx, c *ServiceChange, now time.Time) error { return c.Answer(a, in.Position, in.Opinion, now) })
}

// NoteInput carries an optional note and the version last read.
type NoteInput struct {
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

// File files the change with the provider's same-level authority, with the
// consultation record, once every consumer answered or the period ran out.
func (s *Service) File(ctx context.Context, a access.Actor, id string, in NoteInput) (ServiceChange, error) {
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return ServiceChange{}, err
	}
	review, err := cal.DeadlineFrom(calendar.DateOf(s.now()), FilingReviewDays)
	if err != nil {
		return ServiceChange{}, workcal.Problem(err)
	}
	review.Rule = "平台默认备案办理期限（条例未规定期限）：" + review.Rule
	return s.run(ctx, a, id, in.Version, func(c *ServiceChange) bool { return CanPropose(a, c.ProviderID) },
		func(_ Tx, c *ServiceChange, now time.Time) error { return c.File(a, in.Note, now, review) })
}

// Acknowledge records the authority's acknowledgment of the filing (备案).
// A change whose effective date has come takes effect at once.
func (s *Service) Acknowledge(ctx context.Context, a access.Actor, id string, in NoteInput) (ServiceChange, error) {
	return s.run(ctx, a, id, in.Version, func(c *ServiceChange) bool { return CanDecide(a, c) },
		func(tx Tx, c *ServiceChange, now time.Time) error {
			if err := c.Acknowledge(a, in.Note, now); err != nil {
				return err
			}
			if c.Due(now) {
				return takeEffect(ctx, tx, a, c, now)
			}
			return nil
		})
}

// ReturnInput is the authority's return of a filing, with reasons.
type ReturnInput struct {
	Reasons []string `json:"reasons"`
	Version int64    `json:"version"`
}

// Return returns the filing to the provider with reasons; nothing changes
// on the grants.
func (s *Service) Return(ctx context.Context, a access.Actor, id string, in ReturnInput) (ServiceChange, error) {
	return s.run(ctx, a, id, in.Version, func(c *ServiceChange) bool { return CanDecide(a, c) },
		func(_ Tx, c *ServiceChange, now time.Time) error { return c.Return(a, in.Reasons, now) })
}

// WithdrawInput is the provider's withdrawal, with its reason.
type WithdrawInput struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

// Withdraw ends the proposal before it takes effect; the provider's office
// head signs.
func (s *Service) Withdraw(ctx context.Context, a access.Actor, id string, in WithdrawInput) (ServiceChange, error) {
	return s.run(ctx, a, id, in.Version, func(c *ServiceChange) bool { return CanPropose(a, c.ProviderID) },
		func(_ Tx, c *ServiceChange, now time.Time) error { return c.Withdraw(a, in.Reason, now) })
}

// VersionInput carries the version last read.
type VersionInput struct {
	Version int64 `json:"version"`
}

// PutIntoEffect makes an acknowledged change take effect once its effective
// date has come: the provider's office head or the authority's reviewer.
func (s *Service) PutIntoEffect(ctx context.Context, a access.Actor, id string, in VersionInput) (ServiceChange, error) {
	return s.run(ctx, a, id, in.Version, func(c *ServiceChange) bool { return CanPropose(a, c.ProviderID) || CanDecide(a, c) },
		func(tx Tx, c *ServiceChange, now time.Time) error { return takeEffect(ctx, tx, a, c, now) })
}

// takeEffect applies an acknowledged, due change to the grants recorded at
// its proposal that still run, each in the grant's own record: a
// termination terminates them (终止共享权限) with the filed change as
// reason; a change removes the withdrawn items (a grant left with none is
// terminated) and sets the new delivery method, and notes the change in
// each grant's history. A grant approved after the proposal is not
// touched: its consumer was never consulted (Art. 27 ¶3 requires 协商),
// so it is reported on the change and the provider must propose again.
// The push subscriptions the change leaves unable to deliver end in the
// same transaction (endPushes).
func takeEffect(ctx context.Context, tx Tx, a access.Actor, c *ServiceChange, now time.Time) error {
	if c.State != Acknowledged {
		return WrongState(c.State, "put into effect")
	}
	if !c.Due(now) {
		return c.TakeEffect(a, nil, now) // refuses with service_change.not_yet_effective
	}
	gs, err := tx.GrantsOnEntry(ctx, c.EntryID)
	if err != nil {
		return err
	}
	reason := c.Summary() + "（服务变更 " + c.ID + "）"
	done, notCovered, ended := []string{}, []string{}, []string{}
	for i := range gs {
		g := &gs[i]
		if st := g.StateAt(now); st != grant.Active && st != grant.Suspended {
			continue
		}
		if !c.Covered(g.ID) {
			notCovered = append(notCovered, g.ID)
			continue
		}
		action := "grant.terminate"
		left := slices.DeleteFunc(slices.Clone(g.Items), func(it string) bool { return slices.Contains(c.Changes.ItemsRemoved, it) })
		if c.Kind == Terminate || len(left) == 0 {
			if err := g.Terminate(a, []string{reason}, "服务变更备案："+c.ID, now); err != nil {
				return err
			}
		} else {
			action = "grant.service_change"
			g.Items = left
			g.ClearItems = slices.DeleteFunc(g.ClearItems, func(it string) bool { return slices.Contains(c.Changes.ItemsRemoved, it) })
			if c.Changes.DeliveryMethod != "" {
				g.DeliveryMethod = c.Changes.DeliveryMethod
			}
			g.History = append(g.History, grant.Change{At: now, Action: action, From: g.State, To: g.State, ActorID: a.PersonID,
				DepartmentID: a.DepartmentID, Reasons: []string{reason}})
		}
		g.Version++
		g.UpdatedAt = now
		if err := tx.UpdateGrant(ctx, *g); err != nil {
			return err
		}
		if err := ledger.Record(ctx, tx, now, a, action, grant.ObjectOf(*g), g); err != nil {
			return err
		}
		done = append(done, g.ID)
		ids, err := endPushes(ctx, tx, a, c, g, now)
		if err != nil {
			return err
		}
		ended = append(ended, ids...)
	}
	if err := c.TakeEffect(a, done, now); err != nil {
		return err
	}
	if len(notCovered) > 0 {
		c.Effect.NotCovered = notCovered
	}
	if len(ended) > 0 {
		c.Effect.SubscriptionsEnded = ended
	}
	return nil
}
