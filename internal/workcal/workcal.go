// Package workcal is the platform's working-day calendar: the official years
// shipped in the binary plus the notices administrators import, kept in the
// database so that every node of a deployment counts deadlines alike. The
// counting rules themselves are in package calendar.
package workcal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// StoredYear is an imported notice as the database keeps it.
type StoredYear struct {
	Year       int
	Notice     string
	Body       []byte // the notice file as imported (JSON)
	ImportedBy string
	ImportedAt time.Time
}

// Tx is what the calendar service needs from a transaction.
type Tx interface {
	CalendarYears(ctx context.Context) ([]StoredYear, error)
	// CalendarStamp changes whenever a year is imported or replaced; nodes
	// compare it to know when to reload.
	CalendarStamp(ctx context.Context) (string, error)
	PutCalendarYear(ctx context.Context, y StoredYear) error
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service serves and extends the calendar.
type Service struct {
	write, read InTx
	now         func() time.Time

	mu    sync.Mutex
	stamp string
	cal   *calendar.Calendar
}

// NewService returns the calendar service.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{write: write, read: read, now: now}
}

// Current returns the calendar as it stands in the database: built-in years,
// with imported notices added or replacing them. It reloads only when another
// import has happened since the last call.
func (s *Service) Current(ctx context.Context) (*calendar.Calendar, error) {
	var stamp string
	var years []StoredYear
	err := s.read(ctx, func(tx Tx) error {
		var err error
		if stamp, err = tx.CalendarStamp(ctx); err != nil {
			return err
		}
		s.mu.Lock()
		fresh := s.cal != nil && s.stamp == stamp
		s.mu.Unlock()
		if fresh {
			return nil
		}
		years, err = tx.CalendarYears(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && s.stamp == stamp {
		return s.cal, nil
	}
	cal := calendar.Builtin()
	for _, sy := range years {
		y, err := calendar.ParseYear(sy.Body)
		if err != nil {
			return nil, fmt.Errorf("workcal: stored notice for %d is invalid: %w", sy.Year, err)
		}
		if cal, err = cal.With(y); err != nil {
			return nil, fmt.Errorf("workcal: stored notice for %d: %w", sy.Year, err)
		}
	}
	s.cal, s.stamp = cal, stamp
	return cal, nil
}

// CanImport: importing a notice is an operator task for platform admins and
// the contractor who runs the platform; it touches no shared data.
func CanImport(a access.Actor) bool {
	return a.Local || a.HasAny(access.PlatformAdmin, access.Contractor)
}

// Import validates a notice file and stores it. A year the calendar already
// knows is refused unless replace is set: deadlines already running were
// counted on it.
func (s *Service) Import(ctx context.Context, a access.Actor, body []byte, replace bool) (calendar.Year, error) {
	if !CanImport(a) {
		return calendar.Year{}, problem.ErrForbidden
	}
	y, err := calendar.ParseYear(body)
	if err != nil {
		return calendar.Year{}, Problem(err)
	}
	cur, err := s.Current(ctx)
	if err != nil {
		return calendar.Year{}, err
	}
	if cur.Knows(y.Year) && !replace {
		return calendar.Year{}, errYearExists(y.Year)
	}
	canonical, err := json.Marshal(y)
	if err != nil {
		return calendar.Year{}, err
	}
	now := s.now().UTC()
	err = s.write(ctx, func(tx Tx) error {
		// Appending the event first takes the ledger's head row, which
		// serialises this import with every other write; only then is the
		// year checked again, so two concurrent imports of one year cannot
		// both pass the check above and the later silently replace the other.
		if err := ledger.Record(ctx, tx, now, a, "calendar.import", ledger.Object{Type: "calendar_year", ID: fmt.Sprint(y.Year)}, y); err != nil {
			return err
		}
		if !replace {
			stored, err := tx.CalendarYears(ctx)
			if err != nil {
				return err
			}
			for _, sy := range stored {
				if sy.Year == y.Year {
					return errYearExists(y.Year)
				}
			}
		}
		return tx.PutCalendarYear(ctx, StoredYear{Year: y.Year, Notice: y.Notice, Body: canonical, ImportedBy: a.PersonID, ImportedAt: now})
	})
	if err != nil {
		return calendar.Year{}, err
	}
	return y, nil
}

func errYearExists(year int) error {
	return &problem.Error{Kind: problem.Conflict, Code: "calendar.year_exists", Title: "该年度日历已存在",
		Field: "year", Detail: fmt.Sprintf("the calendar already has %d; pass replace to correct it", year)}
}

// YearInfo describes one known year.
type YearInfo struct {
	Year        int    `json:"year"`
	Notice      string `json:"notice"`
	Source      string `json:"source"` // "builtin" or "imported"
	WorkingDays int    `json:"working_days"`
}

// Status is what the calendar knows and what it lacks.
type Status struct {
	Years    []YearInfo `json:"years"`
	Today    string     `json:"today"`
	Warnings []string   `json:"warnings"`
}

// Status lists the known years and warns when next year's notice is missing.
func (s *Service) Status(ctx context.Context) (Status, error) {
	cal, err := s.Current(ctx)
	if err != nil {
		return Status{}, err
	}
	var imported []StoredYear
	if err := s.read(ctx, func(tx Tx) (err error) { imported, err = tx.CalendarYears(ctx); return err }); err != nil {
		return Status{}, err
	}
	isImported := map[int]bool{}
	for _, y := range imported {
		isImported[y.Year] = true
	}
	today := calendar.DateOf(s.now())
	st := Status{Today: today.String(), Warnings: []string{}}
	for _, n := range cal.Years() {
		y, _ := cal.Year(n)
		info := YearInfo{Year: n, Notice: y.Notice, Source: "builtin"}
		if isImported[n] {
			info.Source = "imported"
		}
		info.WorkingDays, _ = cal.WorkingDaysBetween(calendar.Date{Year: n - 1, Month: time.December, Day: 31}, calendar.Date{Year: n, Month: time.December, Day: 31})
		st.Years = append(st.Years, info)
	}
	sort.Slice(st.Years, func(i, j int) bool { return st.Years[i].Year < st.Years[j].Year })
	if !cal.Knows(today.Year) {
		st.Warnings = append(st.Warnings, fmt.Sprintf("当前年度（%d年）的节假日安排尚未导入，所有法定期限均无法计算。calendar for the current year %d is missing: no deadline can be computed", today.Year, today.Year))
	} else if cal.MissingNextYear(today) {
		st.Warnings = append(st.Warnings, fmt.Sprintf("%d年节假日安排尚未导入，跨年的法定期限将无法计算，请在国务院办公厅通知发布后尽快导入。the %d calendar is missing: import the official notice before deadlines cross into %d", today.Year+1, today.Year+1, today.Year+1))
	}
	return st, nil
}

// Due computes a statutory deadline: n working days from receipt.
func (s *Service) Due(ctx context.Context, from calendar.Date, n int) (calendar.Deadline, error) {
	cal, err := s.Current(ctx)
	if err != nil {
		return calendar.Deadline{}, err
	}
	d, err := cal.DeadlineFrom(from, n)
	if err != nil {
		return calendar.Deadline{}, Problem(err)
	}
	return d, nil
}

// Explain lists the day-by-day count behind a deadline.
func (s *Service) Explain(ctx context.Context, from calendar.Date, n int) ([]calendar.Step, error) {
	cal, err := s.Current(ctx)
	if err != nil {
		return nil, err
	}
	steps, err := cal.Explain(from, n)
	if err != nil {
		return nil, Problem(err)
	}
	return steps, nil
}

// Problem turns the calendar's errors into API refusals naming the field.
func Problem(err error) error {
	var unknown *calendar.UnknownYearError
	if errors.As(err, &unknown) {
		return &problem.Error{Kind: problem.Invalid, Code: "calendar.year_unknown", Title: fmt.Sprintf("日历中没有%d年的节假日安排，请先导入国务院办公厅通知", unknown.Year),
			Detail: err.Error(), Err: err}
	}
	var fe *calendar.FieldError
	if errors.As(err, &fe) {
		return &problem.Error{Kind: problem.Invalid, Code: "calendar.invalid", Title: "日历数据有误", Field: fe.Field, Detail: fe.Message, Err: err}
	}
	return &problem.Error{Kind: problem.Malformed, Code: "calendar.malformed", Title: "节假日安排文件格式有误", Detail: err.Error(), Err: err}
}
