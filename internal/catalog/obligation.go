package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/workcal"
)

// Art. 17: a legal or duty change obliges the provider to update its catalog
// within 10 working days of the change; the same-level authority may consent
// to 5 more.
const (
	UpdateDays    = 10
	ExtensionDays = 5
)

// ChangeKind is what changed: a law, an administrative regulation, a State
// Council decision, or the department's duties.
type ChangeKind string

var changeKinds = []ChangeKind{"law", "regulation", "decision", "duty"}

// Change is a legal or duty change that affects an entry.
type Change struct {
	ChangedOn   calendar.Date `json:"changed_on"`
	Kind        ChangeKind    `json:"kind"`
	Description string        `json:"description"`
}

// ExtensionState is where a request for more time stands.
type ExtensionState string

const (
	ExtensionRequested ExtensionState = "requested"
	ExtensionGranted   ExtensionState = "granted"
	ExtensionRefused   ExtensionState = "refused"
)

// Extension is the provider's one request for 5 more working days and the
// authority's answer.
type Extension struct {
	State       ExtensionState `json:"state"`
	Reason      string         `json:"reason"`
	RequestedAt time.Time      `json:"requested_at"`
	RequestedBy string         `json:"requested_by"`
	DecidedAt   *time.Time     `json:"decided_at,omitempty"`
	DecidedBy   string         `json:"decided_by,omitempty"`
	Note        string         `json:"note,omitempty"`
	OriginalDue calendar.Date  `json:"original_due"`
}

// Obligation is the duty to update one entry after a change (Art. 17). Due
// and Rule are the deadline in force, extended when the authority consented.
type Obligation struct {
	ID          string `json:"id"`
	EntryID     string `json:"entry_id"`
	EntryName   string `json:"entry_name"`
	ProviderID  string `json:"provider_id"`
	AuthorityID string `json:"authority_id"`
	Change
	Due              calendar.Date `json:"due"`
	Rule             string        `json:"rule"`
	Extension        *Extension    `json:"extension,omitempty"`
	FulfilledAt      *time.Time    `json:"fulfilled_at,omitempty"`
	FulfilledVersion int           `json:"fulfilled_version,omitempty"`
	// Late: fulfilled after the due date. Overdue: still open after it, as
	// of the time of reading.
	Late       bool      `json:"late"`
	Overdue    bool      `json:"overdue"`
	RecordedBy string    `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
	Version    int64     `json:"version"`
}

// Open reports whether the obligation still waits for a new version.
func (o Obligation) Open() bool { return o.FulfilledAt == nil }

// mark sets Overdue as of today.
func (o *Obligation) mark(today calendar.Date) { o.Overdue = o.Open() && today.After(o.Due) }

var errNoObligation = problem.NotFoundf("catalog.obligation_not_found", "更新义务不存在", "no such update obligation")

func updateRule(changedOn, due calendar.Date) string {
	return fmt.Sprintf("%s发生法律、行政法规、国务院决定调整或职责变化；自发生之日起%d个工作日内完成目录更新（当日不计），截止%s 24:00（北京时间）（第十七条）",
		changedOn, UpdateDays, due)
}

func extensionRule(original, due calendar.Date) string {
	return fmt.Sprintf("经同级政务数据共享主管部门同意延长%d个工作日：原截止%s，延长至%s 24:00（北京时间）（第十七条）", ExtensionDays, original, due)
}

// RecordChange records a legal or duty change affecting a published entry and
// opens the obligation to update it within 10 working days of the change.
func (s *Service) RecordChange(ctx context.Context, a access.Actor, entryID string, c Change) (Obligation, error) {
	c.Description = strings.TrimSpace(c.Description)
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Obligation{}, err
	}
	now := s.now().UTC()
	var o Obligation
	err = s.write(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, entryID)
		if err != nil {
			return err
		}
		auth, err := org.AuthorityFor(ctx, tx, h.DivisionCode)
		if err != nil {
			return err
		}
		if !CanRecordChange(a, h.ProviderID, auth.ID) {
			return refuse(ctx, tx, a, h)
		}
		if !c.ChangedOn.IsValid() {
			return required("changed_on", "catalog.changed_on_required", "须填写调整或变化发生的日期")
		}
		if c.ChangedOn.After(s.today()) {
			return problem.Field("changed_on", "catalog.changed_on_future", "发生日期不能晚于今天", "changed_on is in the future")
		}
		if !slices.Contains(changeKinds, c.Kind) {
			return problem.Fieldf("kind", "catalog.change_kind_invalid", "变化类型无效", "kind must be one of %v; got %q", changeKinds, c.Kind)
		}
		if err := text("description", c.Description, maxCondition, true, "catalog.description_required", "须说明发生了什么调整或变化"); err != nil {
			return err
		}
		if h.PublishedVersion == 0 {
			return wrongState("the entry has never been published: edit the draft instead")
		}
		due, err := cal.Due(c.ChangedOn, UpdateDays)
		if err != nil {
			return workcal.Problem(err)
		}
		pub, err := loadVersion(ctx, tx, h, h.PublishedVersion)
		if err != nil {
			return err
		}
		o = Obligation{ID: newID(), EntryID: h.ID, EntryName: pub.Name, ProviderID: h.ProviderID, AuthorityID: auth.ID,
			Change: c, Due: due, Rule: updateRule(c.ChangedOn, due), RecordedBy: a.PersonID, CreatedAt: now, Version: 1}
		o.mark(s.today())
		if err := tx.InsertObligation(ctx, o); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "catalog.change_record", object(h), o)
	})
	return o, err
}

func loadObligation(ctx context.Context, tx Tx, id string) (Obligation, Head, error) {
	o, err := tx.Obligation(ctx, id)
	if err != nil {
		return Obligation{}, Head{}, err
	}
	if o == nil {
		return Obligation{}, Head{}, errNoObligation
	}
	h, err := load(ctx, tx, o.EntryID)
	return *o, h, err
}

// refuseObligation: those who may see the entry's drafts learn that they may
// not act; nobody else learns that the obligation exists.
func refuseObligation(ctx context.Context, tx Tx, a access.Actor, h Head) error {
	if !CanReadCatalog(a) {
		return problem.ErrForbidden
	}
	if ok, err := CanSeeWorking(a, h, regionOf(ctx, tx)); err != nil {
		return err
	} else if ok || CanReview(a, h.AuthorityID) {
		return problem.ErrForbidden
	}
	return errNoObligation
}

// RequestExtension asks the same-level authority, once and before the due
// date, for 5 more working days.
func (s *Service) RequestExtension(ctx context.Context, a access.Actor, obligationID, reason string, version int64) (Obligation, error) {
	if err := versionRequired(version); err != nil {
		return Obligation{}, err
	}
	reason = strings.TrimSpace(reason)
	now := s.now().UTC()
	today := s.today()
	var o Obligation
	err := s.write(ctx, func(tx Tx) error {
		var h Head
		var err error
		if o, h, err = loadObligation(ctx, tx, obligationID); err != nil {
			return err
		}
		if !CanDraft(a, o.ProviderID) {
			return refuseObligation(ctx, tx, a, h)
		}
		if err := text("reason", reason, maxCondition, true, "catalog.reason_required", "须说明延长理由"); err != nil {
			return err
		}
		if o.Version != version {
			return problem.ErrVersionConflict
		}
		if !o.Open() || o.Extension != nil {
			return wrongState("an extension can be asked once, while the obligation is open")
		}
		if today.After(o.Due) {
			return &problem.Error{Kind: problem.Conflict, Code: "catalog.extension_too_late", Title: "已超过更新期限，不能再申请延长",
				Detail: "the update was due " + o.Due.String() + "; an extension must be asked before the period ends"}
		}
		o.Extension = &Extension{State: ExtensionRequested, Reason: reason, RequestedAt: now, RequestedBy: a.PersonID, OriginalDue: o.Due}
		o.Version++
		o.mark(today)
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "catalog.extension_request", object(h), o)
	})
	return o, err
}

// DecideExtension is the authority's answer: granted, the obligation is due 5
// working days later; refused, the note says why.
func (s *Service) DecideExtension(ctx context.Context, a access.Actor, obligationID string, grant bool, note string, version int64) (Obligation, error) {
	if err := versionRequired(version); err != nil {
		return Obligation{}, err
	}
	note = strings.TrimSpace(note)
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Obligation{}, err
	}
	now := s.now().UTC()
	var o Obligation
	err = s.write(ctx, func(tx Tx) error {
		var h Head
		var err error
		if o, h, err = loadObligation(ctx, tx, obligationID); err != nil {
			return err
		}
		if !CanReview(a, o.AuthorityID) {
			return refuseObligation(ctx, tx, a, h)
		}
		if err := text("note", note, maxCondition, !grant, "catalog.note_required", "不同意延长须说明理由"); err != nil {
			return err
		}
		if o.Version != version {
			return problem.ErrVersionConflict
		}
		if o.Extension == nil || o.Extension.State != ExtensionRequested {
			return wrongState("there is no extension request waiting for a decision")
		}
		x := *o.Extension
		x.DecidedAt, x.DecidedBy, x.Note = &now, a.PersonID, note
		x.State = ExtensionRefused
		if grant {
			due, err := cal.Due(x.OriginalDue, ExtensionDays)
			if err != nil {
				return workcal.Problem(err)
			}
			x.State, o.Due, o.Rule = ExtensionGranted, due, extensionRule(x.OriginalDue, due)
		}
		o.Extension = &x
		o.Version++
		o.mark(s.today())
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, "catalog.extension_decide", object(h), o)
	})
	return o, err
}

// fulfil closes the entry's open obligations: a new version was submitted.
func (s *Service) fulfil(ctx context.Context, tx Tx, a access.Actor, h Head, number int, today calendar.Date) error {
	open, err := tx.Obligations(ctx, ObligationFilter{EntryID: h.ID, OpenOnly: true, Limit: 500})
	if err != nil {
		return err
	}
	now := s.now().UTC()
	for _, o := range open {
		o.FulfilledAt, o.FulfilledVersion, o.Late = &now, number, today.After(o.Due)
		if o.Extension != nil && o.Extension.State == ExtensionRequested {
			// Nothing is left to extend: the request lapses undecided.
			x := *o.Extension
			x.State, x.DecidedAt, x.Note = ExtensionRefused, &now, "更新已报送，延长申请自动失效"
			o.Extension = &x
		}
		o.Version++
		o.mark(today)
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
		if err := ledger.Record(ctx, tx, now, a, "catalog.change_fulfil", object(h), o); err != nil {
			return err
		}
	}
	return nil
}

// Obligations lists an entry's update obligations, each marked overdue or not
// as of now, to those who may see the entry's drafts or review it.
func (s *Service) Obligations(ctx context.Context, a access.Actor, entryID string) ([]Obligation, error) {
	if !CanReadCatalog(a) {
		return nil, problem.ErrForbidden
	}
	today := s.today()
	var out []Obligation
	err := s.read(ctx, func(tx Tx) error {
		h, err := load(ctx, tx, entryID)
		if err != nil {
			return err
		}
		auth, err := org.AuthorityFor(ctx, tx, h.DivisionCode)
		if err != nil {
			return err
		}
		ok, err := CanSeeWorking(a, h, regionOf(ctx, tx))
		if err != nil {
			return err
		}
		if !ok && !CanReview(a, auth.ID) {
			return refuse(ctx, tx, a, h)
		}
		if out, err = tx.Obligations(ctx, ObligationFilter{EntryID: h.ID, Limit: 500}); err != nil {
			return err
		}
		for i := range out {
			out[i].mark(today)
		}
		return nil
	})
	return out, err
}

// Obligation reads one update obligation, marked overdue or not as of now,
// to those who may list its entry's obligations. Anyone else who reads the
// catalog is told it does not exist, as the acts on it do (refuseObligation):
// an obligation's identifier must not betray that a change was recorded.
func (s *Service) Obligation(ctx context.Context, a access.Actor, id string) (Obligation, error) {
	if !CanReadCatalog(a) {
		return Obligation{}, problem.ErrForbidden
	}
	today := s.today()
	var o Obligation
	err := s.read(ctx, func(tx Tx) error {
		var h Head
		var err error
		if o, h, err = loadObligation(ctx, tx, id); err != nil {
			return err
		}
		auth, err := org.AuthorityFor(ctx, tx, h.DivisionCode)
		if err != nil {
			return err
		}
		ok, err := CanSeeWorking(a, h, regionOf(ctx, tx))
		if err != nil {
			return err
		}
		if !ok && !CanReview(a, auth.ID) {
			return errNoObligation
		}
		o.mark(today)
		return nil
	})
	return o, err
}
