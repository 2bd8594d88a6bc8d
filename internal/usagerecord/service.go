package usagerecord

import (
	"context"
	"fmt"
	"strconv"
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

// Tx is what the service needs from one transaction; lookups return
// (nil, nil) when the object does not exist.
type Tx interface {
	Grant(ctx context.Context, id string) (*grant.Grant, error)
	Department(ctx context.Context, id string) (*org.Department, error)
	InRegion(ctx context.Context, outer, inner string) (bool, error)
	// InsertUsageRecord appends one revision. A revision whose record ID
	// and version are already stored is refused as a version conflict:
	// two writers who revised the same version cannot both succeed.
	InsertUsageRecord(ctx context.Context, r Record) error
	// LatestUsageRecord is the newest revision of record id.
	LatestUsageRecord(ctx context.Context, id string) (*Record, error)
	// ListUsageRecords lists revisions by record ID, then version.
	ListUsageRecords(ctx context.Context, f Filter) ([]Record, error)
	// MissingUsageRecords lists the delivered grants in f.Scope (as
	// consumer) that still run, or ended after f.Since, and have no
	// revision created since f.Since.
	MissingUsageRecords(ctx context.Context, f MissingFilter) ([]Missing, error)
	// PurgeUsageRecords deletes every revision of the records whose newest
	// revision was to be retained until a day before today (YYYY-MM-DD),
	// and reports how many records and revisions it deleted.
	PurgeUsageRecords(ctx context.Context, today string) (records, revisions int, err error)
	ListEvents(ctx context.Context, f ledger.Filter) ([]ledger.Event, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
}

// Filter narrows a listing of revisions.
type Filter struct {
	GrantID    string
	ConsumerID string
	// From and To bound the revisions' creation time, From included and
	// To excluded; zero means unbounded.
	From, To time.Time
	// After is the cursor: revisions after (record ID, version).
	After Cursor
	Limit int
}

// Cursor is a position in a listing of revisions.
type Cursor struct {
	ID      string
	Version int64
}

// String is the cursor as the API passes it.
func (c Cursor) String() string {
	if c.ID == "" {
		return ""
	}
	return c.ID + "." + strconv.FormatInt(c.Version, 10)
}

// CursorOf is the cursor just after r.
func CursorOf(r Record) Cursor { return Cursor{ID: r.ID, Version: r.Version} }

// ParseCursor reads a cursor the API handed out; "" is the start.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	id, v, ok := strings.Cut(s, ".")
	n, err := strconv.ParseInt(v, 10, 64)
	if !ok || id == "" || err != nil || n <= 0 {
		return Cursor{}, &problem.Error{Kind: problem.Malformed, Code: "request.bad_parameter", Title: "参数无效", Field: "cursor",
			Detail: "cursor must be the next_cursor of the previous page"}
	}
	return Cursor{ID: id, Version: n}, nil
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service runs the usage-record commands and queries: rights first, one
// transaction, the event.
type Service struct {
	write, read InTx
	now         func() time.Time
}

// NewService returns the usage-record service on clock now.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{write: write, read: read, now: now}
}

// The actions this package records in the ledger.
const (
	ActionCreate     = "usage_record.create"
	ActionRevise     = "usage_record.revise"
	ActionRead       = "usage_record.read"
	ActionEventsRead = "grant.events_read"
	ActionPurge      = "usage_record.purge"
	ActionExport     = "inspection.export"
)

var (
	errGrantNotFound  = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")
	errRecordNotFound = problem.NotFoundf("usage_record.not_found", "使用记录不存在", "no such usage record")
)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// clock is the service's time, to the microsecond that both engines store,
// so that a record read back digests as it did when written.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// load finds grant id and the capacity in which a reads its records; a
// grant a may not read is not found.
func load(ctx context.Context, tx Tx, a access.Actor, id string) (*grant.Grant, Reader, error) {
	g, err := tx.Grant(ctx, id)
	if err != nil {
		return nil, NoReader, err
	}
	if g == nil {
		return nil, NoReader, errGrantNotFound
	}
	who, err := ReaderOf(a, g, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, NoReader, err
	}
	if who == NoReader {
		return nil, NoReader, errGrantNotFound
	}
	return g, who, nil
}

// grantObject names a grant in the record; the grant belongs to its
// consumer, so the consumer's office head reads who read its records.
func grantObject(g *grant.Grant) ledger.Object {
	return ledger.Object{Type: "grant", ID: g.ID, DepartmentID: g.ConsumerID}
}

// Add records a new usage record of grant grantID, or a new revision of the
// record in.RecordID, as the consumer's sharing office.
func (s *Service) Add(ctx context.Context, a access.Actor, grantID string, in Input) (Record, error) {
	now := s.clock()
	var out Record
	err := s.write(ctx, func(tx Tx) error {
		g, _, err := load(ctx, tx, a, grantID)
		if err != nil {
			return err
		}
		if !CanWrite(a, g) {
			return problem.ErrForbidden
		}
		in, err := clean(in, calendar.DateOf(g.CreatedAt), calendar.DateOf(now))
		if err != nil {
			return err
		}
		r := Record{ID: newID(), Version: 1, GrantID: g.ID, ConsumerID: g.ConsumerID, ProviderID: g.ProviderID,
			Scenario: in.Scenario, Process: in.Process, Effect: in.Effect, Storage: in.Storage, Destruction: in.Destruction,
			PeriodFrom: in.PeriodFrom, PeriodTo: in.PeriodTo, CreatedAt: now, CreatedBy: a.PersonID, RetainedUntil: RetainedUntil(now).String()}
		action := ActionCreate
		if in.RecordID != "" {
			prev, err := tx.LatestUsageRecord(ctx, in.RecordID)
			if err != nil {
				return err
			}
			if prev == nil || prev.GrantID != g.ID {
				return &problem.Error{Kind: problem.NotFound, Code: "usage_record.not_found", Title: "使用记录不存在",
					Detail: "record_id names no usage record of this grant", Field: "record_id"}
			}
			if prev.Version != in.Version {
				return problem.ErrVersionConflict
			}
			r.ID, r.Version, action = prev.ID, prev.Version+1, ActionRevise
		}
		if err := tx.InsertUsageRecord(ctx, r); err != nil {
			return err
		}
		out = r
		return ledger.Record(ctx, tx, now, a, action, ledger.Object{Type: "usage_record", ID: r.ID, DepartmentID: g.ConsumerID}, r)
	})
	if err != nil {
		return Record{}, err
	}
	return out, nil
}

// readNote is what the ledger digests for a recorded read: which grant, in
// what capacity, and which revisions or events were shown. No content.
type readNote struct {
	GrantID string   `json:"grant_id"`
	As      string   `json:"as"`
	Shown   []string `json:"shown"`
}

var readerName = map[Reader]string{Consumer: "consumer", Provider: "provider", Supervisor: "supervisor"}

// readOnce runs list for a reader of grant id: in a read transaction for
// the consumer's office, and in a write transaction that records the read
// for the provider's office and the authorities (Art. 29 lets them read;
// the record shows the consumer that they did).
func (s *Service) readOnce(ctx context.Context, a access.Actor, id, action string, list func(tx Tx, g *grant.Grant) ([]string, error)) error {
	var who Reader
	err := s.read(ctx, func(tx Tx) (err error) {
		var g *grant.Grant
		if g, who, err = load(ctx, tx, a, id); err != nil {
			return err
		}
		if who.Recorded() {
			return nil // read again below, with the read recorded
		}
		_, err = list(tx, g)
		return err
	})
	if err != nil || !who.Recorded() {
		return err
	}
	now := s.clock()
	return s.write(ctx, func(tx Tx) error {
		g, who, err := load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		shown, err := list(tx, g)
		if err != nil {
			return err
		}
		if !who.Recorded() {
			return nil
		}
		return ledger.Record(ctx, tx, now, a, action, grantObject(g), readNote{GrantID: g.ID, As: readerName[who], Shown: shown})
	})
}

// List returns the revisions of grant grantID's usage records, by record
// and version, to the grant's readers (ReaderOf); a read by the provider or
// an authority is recorded.
func (s *Service) List(ctx context.Context, a access.Actor, grantID string, after Cursor, limit int) ([]Record, error) {
	var out []Record
	err := s.readOnce(ctx, a, grantID, ActionRead, func(tx Tx, g *grant.Grant) ([]string, error) {
		rs, err := tx.ListUsageRecords(ctx, Filter{GrantID: g.ID, After: after, Limit: limit})
		if err != nil {
			return nil, err
		}
		out = rs
		shown := make([]string, len(rs))
		for i, r := range rs {
			shown[i] = CursorOf(r).String()
		}
		return shown, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GrantEvents returns the recorded acts on grant grantID — its changes and
// every access to its data — to the grant's readers (ReaderOf), in sequence
// order; a read by the provider or an authority is recorded.
func (s *Service) GrantEvents(ctx context.Context, a access.Actor, grantID string, after int64, limit int) ([]ledger.Event, error) {
	var out []ledger.Event
	err := s.readOnce(ctx, a, grantID, ActionEventsRead, func(tx Tx, g *grant.Grant) ([]string, error) {
		evs, err := tx.ListEvents(ctx, ledger.Filter{ObjectType: "grant", ObjectID: g.ID, After: after, Limit: limit})
		if err != nil {
			return nil, err
		}
		out = evs
		shown := make([]string, len(evs))
		for i, e := range evs {
			shown[i] = strconv.FormatInt(e.Seq, 10)
		}
		return shown, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete never deletes: usage records are kept at least RetentionYears
// (Art. 29) and no interface removes them; only the operator's retention
// purge does, once that time has run out. A reader of the record is told
// from which day it may be purged; anyone else finds no record.
func (s *Service) Delete(ctx context.Context, a access.Actor, id string) error {
	var last *Record
	err := s.read(ctx, func(tx Tx) error {
		r, err := tx.LatestUsageRecord(ctx, id)
		if err != nil {
			return err
		}
		if r == nil {
			return errRecordNotFound
		}
		if _, _, err := load(ctx, tx, a, r.GrantID); err != nil {
			if problem.Is(err, problem.NotFound) {
				return errRecordNotFound
			}
			return err
		}
		last = r
		return nil
	})
	if err != nil {
		return err
	}
	return Locked(*last)
}

// Locked is the refusal to delete record r, the newest revision of its
// record: the record is kept through r.RetainedUntil.
func Locked(r Record) error {
	until, err := calendar.ParseDate(r.RetainedUntil)
	from := r.RetainedUntil
	if err == nil {
		from = until.AddDays(1).String()
	}
	return &problem.Error{Kind: problem.Conflict, Code: "retention.locked",
		Title: "使用记录保存期限不少于3年，不能删除；保存期满后自" + from + "起由平台按期清理",
		Detail: fmt.Sprintf("usage records are kept at least %d years (Art. 29) and no interface deletes them; "+
			"this record is retained until %s and may be purged by the operator's retention purge from %s", RetentionYears, r.RetainedUntil, from)}
}

// purgeNote is what the ledger digests for a purge: how much was removed
// and the cut-off, never what the records said.
type purgeNote struct {
	Records   int    `json:"records"`
	Revisions int    `json:"revisions"`
	Before    string `json:"retained_until_before"`
}

// Purge removes the records whose retention has run out by now: every
// revision of a record whose newest revision was to be kept until a day
// before now's date. It records one event with the counts and the cut-off,
// even when nothing was due, so the record shows the purge ran. Only the
// operator or a platform admin purges, and never with a clock ahead of the
// service's: a wrong date must not purge a record early.
func (s *Service) Purge(ctx context.Context, a access.Actor, now time.Time) (int, error) {
	if !CanPurge(a) {
		return 0, problem.ErrForbidden
	}
	if now.After(s.now().Add(time.Minute)) {
		return 0, problem.New(problem.Invalid, "usage_record.purge_clock", "清理时间晚于当前时间",
			"the purge's time is later than the platform's clock; records are purged only on the real date")
	}
	now = now.UTC().Truncate(time.Microsecond)
	today := calendar.DateOf(now).String()
	var n int
	err := s.write(ctx, func(tx Tx) error {
		records, revisions, err := tx.PurgeUsageRecords(ctx, today)
		if err != nil {
			return err
		}
		n = records
		return ledger.Record(ctx, tx, now, a, ActionPurge, ledger.Object{Type: "usage_record_purge", ID: today},
			purgeNote{Records: records, Revisions: revisions, Before: today})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
