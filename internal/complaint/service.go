package complaint

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/org"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/todo"
	"github.com/govshare/govshare/internal/workcal"
)

// Tx is what the service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	Department(ctx context.Context, id string) (*org.Department, error)
	ListDepartments(ctx context.Context, f org.DepartmentFilter) ([]org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	InsertComplaint(ctx context.Context, c Complaint) error
	// UpdateComplaint saves c if the stored version is c.Version-1, else
	// it returns problem.ErrVersionConflict.
	UpdateComplaint(ctx context.Context, c Complaint) error
	Complaint(ctx context.Context, id string) (*Complaint, error)
	ComplaintByCode(ctx context.Context, digest string) (*Complaint, error)
	ListComplaints(ctx context.Context, f Filter) ([]Complaint, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing; the service sets Scope from the actor.
type Filter struct {
	Scope access.Scope
	State State
	// DueBefore lists only open complaints due before this day
	// (YYYY-MM-DD) — the overdue ones, when it is today — and those whose
	// deadline was not countable when received, for the service to count.
	DueBefore string
	After     string // cursor: complaint IDs after this one
	Limit     int
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Calendar gives the working-day calendar as it stands (workcal.Service).
type Calendar interface {
	Current(ctx context.Context) (*calendar.Calendar, error)
}

// Service runs the complaint commands and queries.
type Service struct {
	write, read InTx
	now         func() time.Time
	cal         Calendar
	// departments caches the public department list (see Departments);
	// a pointer, so that WithClock's copies share it.
	departments *departmentCache
}

// NewService returns the complaint service on clock now.
func NewService(write, read InTx, now func() time.Time, cal Calendar) *Service {
	return &Service{write: write, read: read, now: now, cal: cal, departments: &departmentCache{}}
}

// WithClock returns the service on another clock; the demo uses it to give
// its province a history (a complaint filed weeks ago, now overdue).
func (s *Service) WithClock(now func() time.Time) *Service {
	c := *s
	c.now = now
	return &c
}

// The actions this package records in the ledger.
const (
	ActionFile     = "complaint.file"
	ActionAccept   = "complaint.accept"
	ActionAnswer   = "complaint.answer"
	ActionTransfer = "complaint.transfer"
)

// Public is the actor of a complaint filed without an account.
var publicActor = access.Actor{PersonID: "public"}

var (
	errNotFound    = problem.NotFoundf("complaint.not_found", "投诉举报不存在", "no such complaint")
	errCodeUnknown = problem.NotFoundf("complaint.code_unknown", "查询码不正确，未找到对应的投诉举报",
		"no complaint has this receipt code; check the code as it was shown when the complaint was filed")
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// clock is the service's time, to the microsecond both engines store.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// note is what the ledger digests of a complaint: ids and state only,
// never the complainant or what they wrote.
type note struct {
	ID        string `json:"id"`
	Version   int64  `json:"version"`
	State     State  `json:"state"`
	HandlerID string `json:"handler_id"`
	FromID    string `json:"from_id,omitempty"` // on a transfer
}

func record(ctx context.Context, tx Tx, now time.Time, a access.Actor, action string, c *Complaint, from string) error {
	return ledger.Record(ctx, tx, now, a, action, ledger.Object{Type: "complaint", ID: c.ID, DepartmentID: c.HandlerID},
		note{ID: c.ID, Version: c.Version, State: c.State, HandlerID: c.HandlerID, FromID: from})
}

// Receipt is the answer to a filing: the receipt code, shown this once.
type Receipt struct {
	Code           string         `json:"receipt_code"`
	FiledAt        time.Time      `json:"filed_at"`
	Due            *calendar.Date `json:"due,omitempty"` // nil until countable (see Complaint.Deadline)
	DepartmentName string         `json:"department_name"`
}

// File records a complaint from the public. It needs no account; the
// caller is recorded as "public". The receipt code is returned once and
// only its digest is stored.
func (s *Service) File(ctx context.Context, in Input) (Receipt, error) {
	in, err := Clean(in)
	if err != nil {
		return Receipt{}, err
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Receipt{}, err
	}
	now := s.clock()
	deadline, err := countDeadline(cal, calendar.DateOf(now))
	if err != nil {
		return Receipt{}, err
	}
	code := NewCode()
	digest, _ := CodeDigest(code)
	var out Receipt
	err = s.write(ctx, func(tx Tx) error {
		d, err := tx.Department(ctx, in.DepartmentID)
		if err != nil {
			return err
		}
		if d == nil {
			return &problem.Error{Kind: problem.Invalid, Code: "complaint.department_unknown", Title: "被投诉部门不存在，请从列表中选择",
				Field: "department_id", Detail: "department_id names no department; choose one from GET /api/v1/public/departments"}
		}
		c := Complaint{ID: newID(), Version: 1, State: Received,
			Complainant:  Complainant{Kind: in.ComplainantKind, Name: in.Name, Contact: in.Contact},
			DepartmentID: d.ID, HandlerID: d.ID, HandlerDivision: d.DivisionCode,
			Facts: in.Facts, Rights: in.Rights, Reference: in.Reference,
			FiledAt: now, ReceivedOn: calendar.DateOf(now), Deadline: deadline, Transfers: []Transfer{}, UpdatedAt: now, CodeDigest: digest}
		if err := tx.InsertComplaint(ctx, c); err != nil {
			return err
		}
		out = Receipt{Code: code, FiledAt: now, DepartmentName: d.Name}
		if deadline != nil {
			out.Due = &deadline.Due
		}
		return record(ctx, tx, now, publicActor, ActionFile, &c, "")
	})
	if err != nil {
		return Receipt{}, err
	}
	return out, nil
}

// Lookup is what the complainant sees with the receipt code. A code that
// is malformed or unknown gets the same answer, so that neither tells
// anything about the codes that exist.
func (s *Service) Lookup(ctx context.Context, code string) (Public, error) {
	if code == "" {
		return Public{}, problem.Field("code", "complaint.required", "请输入查询码", "code is required")
	}
	digest, ok := CodeDigest(code)
	if !ok {
		return Public{}, errCodeUnknown
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Public{}, err
	}
	var out Public
	err = s.read(ctx, func(tx Tx) error {
		c, err := tx.ComplaintByCode(ctx, digest)
		if err != nil {
			return err
		}
		if c == nil {
			return errCodeUnknown
		}
		d, err := tx.Department(ctx, c.HandlerID)
		if err != nil {
			return err
		}
		resolve(c, cal)
		out = Public{State: c.State, FiledAt: c.FiledAt, AcceptedAt: c.AcceptedAt, Transferred: len(c.Transfers) > 0}
		if c.Deadline != nil {
			out.Due = &c.Deadline.Due
		}
		if d != nil {
			out.DepartmentName = d.Name
		}
		if c.Answer != nil {
			out.Answer = &PublicAnswer{Findings: c.Answer.Findings, Measures: c.Answer.Measures, AnsweredAt: c.Answer.AnsweredAt}
		}
		return nil
	})
	return out, err
}

// PublicDepartment is what the public form lists of a department.
type PublicDepartment struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DivisionCode string `json:"division_code"`
}

// maxPublicDepartments bounds the public list: a province's departments
// on one node are a few thousand at most.
const maxPublicDepartments = 5000

// DepartmentsTTL is how long the public department list is served from
// memory. The list is read without an account, up to ten queries a call:
// cached, a flood of anonymous reads costs the database one read a
// minute. A new department shows on the form within the minute.
const DepartmentsTTL = time.Minute

// departmentCache is the last public department list and when it was read.
type departmentCache struct {
	mu   sync.Mutex
	list []PublicDepartment
	at   time.Time
}

// Departments lists every department's ID, name and division, for the
// public form; nothing else about them (no offices, no people). The list
// is cached for DepartmentsTTL; callers must not modify it.
func (s *Service) Departments(ctx context.Context) ([]PublicDepartment, error) {
	c := s.departments
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.now()
	if c.list != nil && now.Sub(c.at) < DepartmentsTTL && !now.Before(c.at) {
		return c.list, nil
	}
	out, err := s.readDepartments(ctx)
	if err != nil {
		return nil, err
	}
	c.list, c.at = out, now
	return out, nil
}

// readDepartments reads the public department list from the store.
func (s *Service) readDepartments(ctx context.Context) ([]PublicDepartment, error) {
	out := []PublicDepartment{}
	err := s.read(ctx, func(tx Tx) error {
		f := org.DepartmentFilter{Page: org.Page{Limit: 500}}
		for len(out) < maxPublicDepartments {
			ds, err := tx.ListDepartments(ctx, f)
			if err != nil {
				return err
			}
			for _, d := range ds {
				out = append(out, PublicDepartment{ID: d.ID, Name: d.Name, DivisionCode: d.DivisionCode})
			}
			if len(ds) < f.Limit {
				return nil
			}
			f.After = ds[len(ds)-1].ID
		}
		return nil
	})
	return out, err
}

// countDeadline counts AnswerDays from the day received. Into a year
// the calendar does not know yet there is no deadline to give (nil), and
// none is guessed: a complaint is still taken in late December, and its
// deadline is counted once the next year's holiday notice is imported.
func countDeadline(cal *calendar.Calendar, received calendar.Date) (*calendar.Deadline, error) {
	d, err := cal.DeadlineFrom(received, AnswerDays)
	var unknown *calendar.UnknownYearError
	if errors.As(err, &unknown) {
		return nil, nil
	}
	if err != nil {
		return nil, workcal.Problem(err)
	}
	return &d, nil
}

// resolve counts c's deadline if it was not countable when c was received
// and now is.
func resolve(c *Complaint, cal *calendar.Calendar) {
	if c.Deadline == nil && cal != nil {
		c.Deadline, _ = countDeadline(cal, c.ReceivedOn)
	}
}

// view fills the derived fields of c as of today.
func view(c *Complaint, cal *calendar.Calendar, today calendar.Date) {
	c.Overdue, c.WorkingDaysLeft = false, nil
	resolve(c, cal)
	if !c.State.Open() || cal == nil || c.Deadline == nil {
		return
	}
	var it todo.Item
	todo.Left(cal, &it, c.Deadline.Due, c.Deadline.Rule, today)
	c.Overdue, c.WorkingDaysLeft = it.Overdue, it.WorkingDaysLeft
}

// load finds complaint id for a, who must be able to read it; anyone else
// finds nothing.
func load(ctx context.Context, tx Tx, a access.Actor, id string) (*Complaint, error) {
	c, err := tx.Complaint(ctx, id)
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

// Get is one complaint, complainant included, to its readers (CanRead).
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Complaint, error) {
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Complaint{}, err
	}
	var out *Complaint
	err = s.read(ctx, func(tx Tx) (err error) { out, err = load(ctx, tx, a, id); return err })
	if err != nil {
		return Complaint{}, err
	}
	view(out, cal, calendar.DateOf(s.now()))
	return *out, nil
}

// List is ListPage without the cursor.
func (s *Service) List(ctx context.Context, a access.Actor, state State, overdue bool, after string, limit int) ([]Summary, error) {
	out, _, err := s.ListPage(ctx, a, state, overdue, after, limit)
	return out, err
}

// ListPage lists the complaints a may see (ListScope) as summaries: a
// listing is an overview, and what the complainant wrote is shown only on
// a complaint's own page. overdue keeps the open complaints past their
// deadline. next is the cursor of the next page, "" after the last: it is
// the last row the store returned, not the last one shown, since rows the
// service drops (a deadline still not overdue) would otherwise end the
// paging early.
func (s *Service) ListPage(ctx context.Context, a access.Actor, state State, overdue bool, after string, limit int) (shown []Summary, next string, err error) {
	scope, ok := ListScope(a)
	if !ok {
		return nil, "", problem.ErrForbidden
	}
	if state != "" && !state.Open() && state != Answered {
		return nil, "", &problem.Error{Kind: problem.Malformed, Code: "request.bad_parameter", Title: "参数无效", Field: "state",
			Detail: "state must be received, handling or answered"}
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, "", err
	}
	today := calendar.DateOf(s.now())
	f := Filter{Scope: scope, State: state, After: after, Limit: pageLimit(limit)}
	if overdue {
		f.DueBefore = today.String()
	}
	var out []Complaint
	if err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListComplaints(ctx, f); return err }); err != nil {
		return nil, "", err
	}
	shown = []Summary{}
	for i := range out {
		view(&out[i], cal, today)
		// The store also returns open complaints whose deadline was not
		// countable when received; only those now overdue stay.
		if !overdue || out[i].Overdue {
			shown = append(shown, summarize(&out[i]))
		}
	}
	if len(out) == f.Limit {
		next = out[len(out)-1].ID
	}
	return shown, next, nil
}

// pageLimit is the page size the store applies: 50 by default, 500 at most.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

func versionRequired() error {
	return problem.Field("version", "complaint.version_required", "缺少版本号", "version (the complaint's version you last read) is required")
}

func wrongState(c *Complaint, act string) error {
	return problem.New(problem.Conflict, "complaint.wrong_state", "该投诉举报当前状态不能"+act,
		fmt.Sprintf("the complaint is %s; %s is not possible now", c.State, act))
}

// act loads complaint id, checks rights, state and version, applies fn and
// saves the complaint with its event, in one transaction.
func (s *Service) act(ctx context.Context, a access.Actor, id string, version int64, action string,
	fn func(tx Tx, c *Complaint, now time.Time, cal *calendar.Calendar) (from string, err error)) (Complaint, error) {
	if version <= 0 {
		return Complaint{}, versionRequired()
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return Complaint{}, err
	}
	now := s.clock()
	var out *Complaint
	err = s.write(ctx, func(tx Tx) error {
		c, err := load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !CanHandle(a, c) {
			return problem.ErrForbidden
		}
		from, err := fn(tx, c, now, cal)
		if err != nil {
			return err
		}
		if c.Version != version {
			return problem.ErrVersionConflict
		}
		// A deadline not countable at receipt but countable now is saved
		// with the act, so that the store's due day (the overdue listing)
		// no longer depends on counting it at each reading.
		resolve(c, cal)
		c.Version++
		c.UpdatedAt = now
		if err := tx.UpdateComplaint(ctx, *c); err != nil {
			return err
		}
		out = c
		return record(ctx, tx, now, a, action, c, from)
	})
	if err != nil {
		return Complaint{}, err
	}
	view(out, cal, calendar.DateOf(now))
	return *out, nil
}

// Accept: the handler's office takes the complaint up (受理); the
// complainant sees that it is being handled.
func (s *Service) Accept(ctx context.Context, a access.Actor, id string, in Command) (Complaint, error) {
	return s.act(ctx, a, id, in.Version, ActionAccept, func(_ Tx, c *Complaint, now time.Time, _ *calendar.Calendar) (string, error) {
		if c.State != Received {
			return "", wrongState(c, "受理")
		}
		c.State, c.AcceptedAt = Handling, &now
		return "", nil
	})
}

// Answer closes the complaint with the findings and the measures taken;
// it is the final act.
func (s *Service) Answer(ctx context.Context, a access.Actor, id string, in AnswerInput) (Complaint, error) {
	return s.act(ctx, a, id, in.Version, ActionAnswer, func(_ Tx, c *Complaint, now time.Time, _ *calendar.Calendar) (string, error) {
		if !c.State.Open() {
			return "", wrongState(c, "答复")
		}
		if err := checkTexts([]textRule{
			{"findings", "调查核实情况", &in.Findings, true, MaxTextRunes},
			{"measures", "处理措施", &in.Measures, true, MaxTextRunes},
		}); err != nil {
			return "", err
		}
		c.State = Answered
		c.Answer = &Answer{Findings: in.Findings, Measures: in.Measures, AnsweredAt: now, AnsweredBy: a.PersonID}
		return "", nil
	})
}

// Transfer hands an open complaint to the department that should handle
// it, with the reasons. The new department receives it that day: its own
// AnswerDays start then, and the complaint is Received again.
func (s *Service) Transfer(ctx context.Context, a access.Actor, id string, in TransferInput) (Complaint, error) {
	return s.act(ctx, a, id, in.Version, ActionTransfer, func(tx Tx, c *Complaint, now time.Time, cal *calendar.Calendar) (string, error) {
		if !c.State.Open() {
			return "", wrongState(c, "转交")
		}
		if len(c.Transfers) >= MaxTransfers {
			return "", problem.New(problem.Conflict, "complaint.transfer_limit", "该投诉举报转交次数已达上限，请本部门答复",
				fmt.Sprintf("a complaint may be transferred at most %d times; the department handling it now must answer it", MaxTransfers))
		}
		if err := checkTexts([]textRule{{"reason", "转交理由", &in.Reason, true, MaxReasonRunes}}); err != nil {
			return "", err
		}
		if in.ToID == "" {
			return "", problem.Field("to_id", "complaint.required", "请选择转交部门", "to_id is required")
		}
		if in.ToID == c.HandlerID {
			return "", problem.Field("to_id", "complaint.transfer_self", "不能转交给本部门", "to_id is the department that handles the complaint now")
		}
		d, err := tx.Department(ctx, in.ToID)
		if err != nil {
			return "", err
		}
		if d == nil {
			return "", problem.Field("to_id", "complaint.department_unknown", "转交部门不存在", "to_id names no department")
		}
		deadline, err := countDeadline(cal, calendar.DateOf(now))
		if err != nil {
			return "", err
		}
		from := c.HandlerID
		c.Transfers = append(c.Transfers, Transfer{FromID: from, ToID: d.ID, Reason: in.Reason, At: now, By: a.PersonID})
		c.HandlerID, c.HandlerDivision = d.ID, d.DivisionCode
		c.State, c.AcceptedAt, c.ReceivedOn, c.Deadline = Received, nil, calendar.DateOf(now), deadline
		return from, nil
	})
}

// Kinds of to-do item.
const (
	TodoHandle  = "complaint.handle"  // handler's office: answer within AnswerDays
	TodoOverdue = "complaint.overdue" // authority: an overdue complaint in its region
	maxTodo     = 500
)

// Todos lists, for a handler's office, its open complaints with their
// deadlines, and for an authority reviewer the overdue complaints in its
// region; a person holding both roles gets both, a complaint once (as
// its handler's). Titles carry no personal data.
func (s *Service) Todos(ctx context.Context, a access.Actor) ([]todo.Item, error) {
	type part struct {
		scope   access.Scope
		overdue bool // only the overdue ones, as their supervisor
	}
	var parts []part
	if a.InOffice(a.DepartmentID) {
		parts = append(parts, part{scope: access.Scope{DepartmentID: a.DepartmentID}})
	}
	if a.Has(access.AuthorityReviewer) && a.DivisionCode != "" {
		parts = append(parts, part{scope: access.Scope{Region: a.DivisionCode}, overdue: true})
	}
	items := []todo.Item{}
	if len(parts) == 0 {
		return items, nil
	}
	cal, err := s.cal.Current(ctx)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(s.now())
	seen := map[string]bool{}
	for _, p := range parts {
		for _, st := range []State{Received, Handling} {
			f := Filter{Scope: p.scope, State: st, Limit: maxTodo}
			if p.overdue {
				f.DueBefore = today.String()
			}
			var cs []Complaint
			if err := s.read(ctx, func(tx Tx) (err error) { cs, err = tx.ListComplaints(ctx, f); return err }); err != nil {
				return nil, err
			}
			for _, c := range cs {
				if seen[c.ID] {
					continue
				}
				resolve(&c, cal)
				it := todo.Item{Kind: TodoHandle, ObjectType: "complaint", ObjectID: c.ID,
					Title: "待处理的投诉举报（" + c.ReceivedOn.String() + "收到）"}
				if p.overdue {
					it.Kind, it.Title = TodoOverdue, "逾期未答复的投诉举报（"+c.ReceivedOn.String()+"收到）"
				}
				if c.Deadline != nil {
					todo.Left(cal, &it, c.Deadline.Due, c.Deadline.Rule, today)
				}
				if p.overdue && !it.Overdue {
					continue // not countable yet, so not overdue
				}
				seen[c.ID] = true
				items = append(items, it)
			}
		}
	}
	todo.Sort(items)
	return items, nil
}
