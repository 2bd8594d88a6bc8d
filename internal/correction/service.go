package correction

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	Grant(ctx context.Context, id string) (*grant.Grant, error)
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)
	CatalogVersion(ctx context.Context, entryID string, n int) (*catalog.Version, error)
	Dataset(ctx context.Context, entryID string) (*dataset.Head, error)
	DatasetChanges(ctx context.Context, entryID string, after int64, limit int) ([]dataset.Change, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	Department(ctx context.Context, id string) (*org.Department, error)

	InsertCorrection(ctx context.Context, r Request) error
	Correction(ctx context.Context, id string) (*Request, error)
	// UpdateCorrection saves r if the stored version is still r.Version-1,
	// and reports a version conflict otherwise.
	UpdateCorrection(ctx context.Context, r Request) error
	ListCorrections(ctx context.Context, f Filter) ([]Request, error)

	// InsertUsageStatus appends one status; a second status of one grant
	// and version is refused as a version conflict.
	InsertUsageStatus(ctx context.Context, s Status) error
	// UsageStatuses lists a grant's statuses, newest first.
	UsageStatuses(ctx context.Context, grantID string, limit int) ([]Status, error)

	// InsertCorrectionRules appends one version; a second rules version of
	// one department and version is refused as a version conflict.
	InsertCorrectionRules(ctx context.Context, r Rules) error
	// CorrectionRules lists a department's versions, newest first.
	CorrectionRules(ctx context.Context, deptID string, limit int) ([]Rules, error)
	// CurrentCorrectionRules lists the newest version of each department's
	// rules, by department ID after after.
	CurrentCorrectionRules(ctx context.Context, after string, limit int) ([]Rules, error)

	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing of requests; Scope and Department come from the
// reader's rights.
type Filter struct {
	Scope      access.Scope
	Department string
	Role       string // "consumer" or "provider": the reader's department's part
	State      State
	GrantID    string
	After      string
	Limit      int
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Calendar gives the working-day calendar as it stands (workcal.Service).
type Calendar interface {
	Current(ctx context.Context) (*calendar.Calendar, error)
}

// Service runs the correction commands and queries: rights first, one
// transaction, the event.
type Service struct {
	write, read InTx
	now         func() time.Time
	cal         Calendar
}

// NewService returns the correction service on clock now.
func NewService(write, read InTx, now func() time.Time, cal Calendar) *Service {
	return &Service{write: write, read: read, now: now, cal: cal}
}

// WithClock returns the service on another clock; the demo uses it to give
// its province a history.
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// The actions this package records in the ledger.
const (
	ActionFile   = "correction.file"
	ActionAnswer = "correction.answer"
	ActionStatus = "correction.usage_status"
	ActionRules  = "correction.rules"
)

var (
	errNotFound      = problem.NotFoundf("correction.not_found", "校核申请不存在", "no such correction request")
	errGrantNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// clock is the service's time, to the microsecond both engines store.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func region(ctx context.Context, tx Tx) Region {
	return func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) }
}

// loadGrant finds a grant a may read as a party or supervisor of the
// correction procedure; any other grant is not found.
func loadGrant(ctx context.Context, tx Tx, a access.Actor, id string) (*grant.Grant, error) {
	g, err := tx.Grant(ctx, id)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errGrantNotFound
	}
	ok, err := CanRead(a, g.ConsumerID, g.ConsumerDivision, g.ProviderID, g.ProviderDivision, region(ctx, tx))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errGrantNotFound
	}
	return g, nil
}

// entryItems is the names of the data items of the entry's published
// version.
func entryItems(ctx context.Context, tx Tx, entryID string) ([]string, error) {
	h, err := tx.CatalogHead(ctx, entryID)
	if err != nil {
		return nil, err
	}
	if h == nil || h.PublishedVersion == 0 {
		return nil, problem.New(problem.Conflict, "correction.entry_unpublished", "目录未发布", "the grant's catalog entry has no published version")
	}
	v, err := tx.CatalogVersion(ctx, h.ID, h.PublishedVersion)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, fmt.Errorf("correction: published version %d of entry %s missing", h.PublishedVersion, h.ID)
	}
	out := make([]string, len(v.Items))
	for i, it := range v.Items {
		out[i] = it.Name
	}
	return out, nil
}

// File files a correction request as the consumer's sharing office. The
// provider receives it at once on the platform, so its 10 working days run
// from today. A request whose 10th working day falls in a year the
// calendar does not know yet is taken without a deadline (see
// Request.Deadline).
func (s *Service) File(ctx context.Context, a access.Actor, in NewRequest) (Request, error) {
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Request{}, err
	}
	if in.GrantID == "" {
		return Request{}, problem.Field("grant_id", "correction.required", "请选择共享授权", "grant_id is required")
	}
	now := s.clock()
	var out Request
	err = s.write(ctx, func(tx Tx) error {
		g, err := loadGrant(ctx, tx, a, in.GrantID)
		if err != nil {
			if problem.Is(err, problem.NotFound) {
				return &problem.Error{Kind: problem.NotFound, Code: "grant.not_found", Title: "共享授权不存在", Field: "grant_id", Detail: "no such grant"}
			}
			return err
		}
		if !CanFile(a, g) {
			return problem.ErrForbidden
		}
		if st := g.StateAt(now); st != grant.Active && st != grant.Suspended {
			return &problem.Error{Kind: problem.Conflict, Code: "correction.grant_ended", Title: "共享授权已终止或到期，不能提出校核申请",
				Field: "grant_id", Detail: "the grant is " + string(st) + "; corrections are asked for data of a running grant"}
		}
		items, err := entryItems(ctx, tx, g.EntryID)
		if err != nil {
			return err
		}
		if in, err = CleanRequest(in, items, g.Items); err != nil {
			return err
		}
		d, err := Deadline(cal, calendar.DateOf(now))
		if err != nil {
			return err
		}
		out = Request{ID: newID(), GrantID: g.ID, ConsumerID: g.ConsumerID, ConsumerDivision: g.ConsumerDivision,
			ProviderID: g.ProviderID, ProviderDivision: g.ProviderDivision, EntryID: g.EntryID, EntryName: g.EntryName,
			Kind: in.Kind, Rows: in.Rows, Items: in.Items, Description: in.Description, Evidence: in.Evidence,
			State: Open, FiledBy: a.PersonID, ReceivedAt: now, Deadline: d, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertCorrection(ctx, out); err != nil {
			return err
		}
		// The request is addressed to the provider: the event belongs to it,
		// and the consumer reads it as the actor's department.
		return ledger.Record(ctx, tx, now, a, ActionFile, ledger.Object{Type: "correction", ID: out.ID, DepartmentID: out.ProviderID}, out)
	})
	if err != nil {
		return Request{}, err
	}
	return out, nil
}

// load finds request id if a may read it; any other is not found.
func load(ctx context.Context, tx Tx, a access.Actor, id string) (*Request, error) {
	r, err := tx.Correction(ctx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, r.ConsumerID, r.ConsumerDivision, r.ProviderID, r.ProviderDivision, region(ctx, tx))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return r, nil
}

// view fills what is derived when r is read as of today: the deadline
// counted since the calendar learnt its year, and the overdue flag.
func (r *Request) view(cal *calendar.Calendar, today calendar.Date) {
	r.Resolve(cal)
	r.Overdue = r.OverdueOn(today)
}

// Get returns one request a may read, its overdue flag as of now.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Request, error) {
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Request{}, err
	}
	var r *Request
	if err := s.read(ctx, func(tx Tx) (err error) { r, err = load(ctx, tx, a, id); return err }); err != nil {
		return Request{}, err
	}
	r.view(cal, calendar.DateOf(s.now()))
	return *r, nil
}

// List returns the requests a may see, narrowed by f's Role, State,
// GrantID and cursor.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Request, error) {
	scope, ok := ListScope(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	switch f.Role {
	case "", "consumer", "provider":
	default:
		return nil, problem.Fieldf("role", "correction.role_invalid", "参数无效", "role must be consumer or provider; got %q", f.Role)
	}
	switch f.State {
	case "", Open, Corrected, NotCorrected:
	default:
		return nil, problem.Fieldf("state", "correction.state_invalid", "参数无效", "state must be open, corrected or not_corrected; got %q", f.State)
	}
	if f.Role != "" && a.DepartmentID == "" {
		return []Request{}, nil
	}
	f.Scope, f.Department = scope, a.DepartmentID
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	var out []Request
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListCorrections(ctx, f); return err }); err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.now())
	for i := range out {
		out[i].view(cal, today)
	}
	return out, nil
}

// Answer records the provider's answer, once. A correction of hosted data
// names the change numbers of the fix, each of which must be in the
// entry's change feed and made since the request was received. An answer
// after the due day is taken and marked late.
func (s *Service) Answer(ctx context.Context, a access.Actor, id string, in AnswerInput) (Request, error) {
	if in.Version <= 0 {
		return Request{}, problem.Field("version", "correction.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Request{}, err
	}
	now := s.clock()
	var out *Request
	err = s.write(ctx, func(tx Tx) error {
		r, err := load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !CanAnswer(a, r) {
			return problem.ErrForbidden
		}
		if r.State != Open {
			return errAnswered
		}
		if r.Version != in.Version {
			return problem.ErrVersionConflict
		}
		items, err := entryItems(ctx, tx, r.EntryID)
		if err != nil {
			return err
		}
		d, err := tx.Dataset(ctx, r.EntryID)
		if err != nil {
			return err
		}
		if in, err = CleanAnswer(in, items, d != nil && d.Version > 0); err != nil {
			return err
		}
		if err := checkChanges(ctx, tx, r, in.Changes); err != nil {
			return err
		}
		// A deadline the calendar could not count at receipt is counted now
		// if it can be, judged against and stored with the answer.
		r.Resolve(cal)
		if err := r.Respond(a.PersonID, in, now); err != nil {
			return err
		}
		r.Version++
		r.UpdatedAt = now
		if err := tx.UpdateCorrection(ctx, *r); err != nil {
			return err
		}
		out = r
		return ledger.Record(ctx, tx, now, a, ActionAnswer, ledger.Object{Type: "correction", ID: r.ID, DepartmentID: r.ConsumerID}, r)
	})
	if err != nil {
		return Request{}, err
	}
	out.view(cal, calendar.DateOf(now))
	return *out, nil
}

// checkChanges finds each change number in the entry's feed, made no
// earlier than the request's receipt: a correction answers the request, so
// it cannot predate it.
func checkChanges(ctx context.Context, tx Tx, r *Request, changes []int64) error {
	for i, seq := range changes {
		cs, err := tx.DatasetChanges(ctx, r.EntryID, seq-1, 1)
		if err != nil {
			return err
		}
		field := "changes[" + strconv.Itoa(i) + "]"
		if len(cs) == 0 || cs[0].Seq != seq {
			return problem.Fieldf(field, "correction.change_unknown", "托管数据中没有该变更序号",
				"change %d is not in the entry's change feed", seq)
		}
		if cs[0].At.Before(r.ReceivedAt) {
			return problem.Fieldf(field, "correction.change_before_request", "该变更早于收到校核申请，不是本次更正",
				"change %d was made before the request was received", seq)
		}
	}
	return nil
}
