package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// Tx is what the delivery service needs from one transaction; lookups
// return (nil, nil) when the object does not exist.
type Tx interface {
	Grant(ctx context.Context, id string) (*grant.Grant, error)
	CatalogHead(ctx context.Context, id string) (*catalog.Head, error)
	CatalogVersion(ctx context.Context, entryID string, n int) (*catalog.Version, error)
	// DatasetRows returns the stored rows of the given keys (tombstones
	// included), by key.
	DatasetRows(ctx context.Context, entryID string, keys []string) (map[string]dataset.StoredRow, error)
	AppendEvent(ctx context.Context, e ledger.Event) (int64, error)
	gateway.NonceTx // the call's nonce, recorded with its event (limits.go)
	UpstreamTx      // proxy.go
	UsageTx         // limits.go
}

// InTx runs fn in one transaction.
type InTx func(ctx context.Context, fn func(Tx) error) error

// Service serves the service interface: queries and verifications under a
// grant, each recorded in the ledger.
type Service struct {
	write, read InTx
	now         func() time.Time
	proxy       proxy       // proxy.go
	guard       guard       // limits.go
	schemas     schemas     // schema.go
	cache       configCache // cache.go
}

// NewService returns the delivery service.
func NewService(write, read InTx, now func() time.Time) *Service {
	return &Service{write: write, read: read, now: now}
}

// QueryRequest reads the granted items of one row by its key items.
type QueryRequest struct {
	GrantID string      `json:"grant_id"`
	Purpose string      `json:"purpose"`
	Items   []string    `json:"items"`
	Where   dataset.Row `json:"where"`
}

// QueryResult holds the row found, restricted to the asked items: none or
// one.
type QueryResult struct {
	Rows []map[string]json.RawMessage
	// Allowance is set on refusals too.
	Allowance Allowance
}

// VerifyRequest verifies values against one row without returning data.
type VerifyRequest struct {
	GrantID string      `json:"grant_id"`
	Purpose string      `json:"purpose"`
	Where   dataset.Row `json:"where"`
	Values  dataset.Row `json:"values"`
}

// VerifyResult is Match or Mismatch per verified item, and whether the row
// exists.
type VerifyResult struct {
	Result map[string]string
	Found  bool
	// Allowance is set on refusals too.
	Allowance Allowance
}

// Match results of a verification.
const (
	Match    = "match"
	Mismatch = "mismatch"
)

// Ledger actions of the service interface.
const (
	ActionQuery  = "gateway.query"
	ActionVerify = "gateway.verify"
)

// record is what the ledger digests for one gateway call: who, under which
// grant, for what, which items, how many rows and the outcome; never a key
// or a value, which are often personal information.
type record struct {
	SystemID string   `json:"system_id"`
	GrantID  string   `json:"grant_id"`
	Purpose  string   `json:"purpose"`
	Items    []string `json:"items"`
	Rows     int      `json:"rows"`
	Outcome  string   `json:"outcome"` // "ok" or the refusal's code
	// Masked names the items delivered masked (mask.go); absent when none.
	Masked []string `json:"masked,omitempty"`
}

var errNotConsumer = &problem.Error{Kind: problem.Forbidden, Code: "gateway.not_consumer", Title: "调用系统不属于该授权的使用部门",
	Detail: "only an application system of the grant's consumer department may use the grant"}

var errGrantNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")

// Query reads the asked items of the row named by q.Where under q.GrantID.
// The call is recorded, refused or not.
func (s *Service) Query(ctx context.Context, c gateway.Caller, q QueryRequest) (QueryResult, error) {
	now := s.now()
	g, schema, row, err := s.lookup(ctx, c, q.GrantID, q.Purpose, q.Items, q.Where, now)
	rows, masked := []map[string]json.RawMessage{}, []string(nil)
	if err == nil {
		var found []map[string]json.RawMessage
		if row != nil {
			found = append(found, row)
		}
		rows, masked = deliverRows(*g, schema, q.Items, found)
	}
	rec := record{SystemID: c.SystemID, GrantID: q.GrantID, Purpose: q.Purpose, Items: q.Items, Rows: len(rows), Outcome: outcome(err), Masked: masked}
	al, err := s.finish(ctx, c, ActionQuery, g, rec, err, now)
	if err != nil {
		return QueryResult{Allowance: al}, err
	}
	return QueryResult{Rows: rows, Allowance: al}, nil
}

// Verify compares v.Values with the row named by v.Where under v.GrantID,
// item by item. The call is recorded, refused or not.
func (s *Service) Verify(ctx context.Context, c gateway.Caller, v VerifyRequest) (VerifyResult, error) {
	now := s.now()
	var items []string
	for it := range v.Values {
		items = append(items, it)
	}
	slices.Sort(items)
	// Verification is not masked: it answers match or mismatch, never a
	// value, so a sensitive item stays verifiable (usable but not visible).
	g, _, row, err := s.lookup(ctx, c, v.GrantID, v.Purpose, items, v.Where, now)
	result := map[string]string{}
	if err == nil {
		for _, it := range items {
			result[it] = Mismatch
			if x, ok := row[it]; ok && sameJSON(x, v.Values[it]) {
				result[it] = Match
			}
		}
	}
	n := 0
	if row != nil {
		n = 1
	}
	rec := record{SystemID: c.SystemID, GrantID: v.GrantID, Purpose: v.Purpose, Items: items, Rows: n, Outcome: outcome(err)}
	al, err := s.finish(ctx, c, ActionVerify, g, rec, err, now)
	if err != nil {
		return VerifyResult{Allowance: al}, err
	}
	return VerifyResult{Result: result, Found: row != nil, Allowance: al}, nil
}

// RefuseQuery records a query refused before it could be read (a malformed
// body: q holds what was decoded) and returns err, or the recording's error.
func (s *Service) RefuseQuery(ctx context.Context, c gateway.Caller, q QueryRequest, err error) error {
	rec := record{SystemID: c.SystemID, GrantID: q.GrantID, Purpose: q.Purpose, Items: q.Items, Outcome: outcome(err)}
	if rerr := s.record(ctx, c, ActionQuery, nil, rec, s.now()); rerr != nil {
		return rerr
	}
	return err
}

// RefuseVerify records a verification refused before it could be read (a
// malformed body: v holds what was decoded; no item is recorded) and returns
// err, or the recording's error.
func (s *Service) RefuseVerify(ctx context.Context, c gateway.Caller, v VerifyRequest, err error) error {
	rec := record{SystemID: c.SystemID, GrantID: v.GrantID, Purpose: v.Purpose, Outcome: outcome(err)}
	if rerr := s.record(ctx, c, ActionVerify, nil, rec, s.now()); rerr != nil {
		return rerr
	}
	return err
}

// lookup checks the caller, its allowance (limits.go) and the grant at now
// and reads the row named by where; it returns the grant (when found, even
// if refused), the schema of the entry's published version and the row's
// data (nil when there is none).
//
// It first runs from the caches alone (cache.go). What they do not hold,
// and a hosted row, is read in ONE read transaction, in which the lookup
// runs again, skipping the steps already done: the grant's checks (and the
// token its bucket gave) are not repeated. A proxied entry found in the
// caches is served without any transaction.
func (s *Service) lookup(ctx context.Context, c gateway.Caller, grantID, purpose string, items []string, where dataset.Row,
	now time.Time) (*grant.Grant, *dataset.Schema, map[string]json.RawMessage, error) {
	var (
		g       *grant.Grant // found, checked or not
		checked bool         // the caller, allowance and grant passed
		entry   *entryState
		key     string // the asked row's canonical key, once known
		row     map[string]json.RawMessage
		forward *upstreamCall // proxy.go
	)
	gen := s.generation() // before any read: see gateway.Cache
	resolve := func(tx Tx) (err error) {
		row, forward = nil, nil
		if g == nil {
			if g, err = s.grantOf(ctx, tx, grantID, gen, now); err != nil {
				return err
			}
			if g == nil {
				return errGrantNotFound
			}
		}
		if !checked {
			if g.ConsumerID != c.DepartmentID {
				return errNotConsumer
			}
			if !c.MayUse(g.ID) {
				return gateway.ErrNotBound
			}
			if err := s.admit(*g, now); err != nil {
				return err
			}
			if err := grant.Check(*g, now, items, purpose); err != nil {
				return err
			}
			checked = true
		}
		if entry == nil {
			if entry, err = s.entryOf(ctx, tx, g.EntryID, gen, now); err != nil {
				return err
			}
		}
		if !entry.published() {
			return problem.New(problem.Conflict, "dataset.entry_not_published", "目录未发布，无可用数据", "the grant's catalog entry has no published version")
		}
		if key == "" {
			if key, err = entry.schema.Lookup("where", where); err != nil {
				return err
			}
		}
		if forward = s.proxied(entry, key, items); forward != nil {
			return nil
		}
		if tx == nil {
			return errNeedTx
		}
		rows, err := tx.DatasetRows(ctx, g.EntryID, []string{key})
		if err != nil {
			return err
		}
		if r, ok := rows[key]; ok && !r.Deleted {
			if err := json.Unmarshal([]byte(r.Data), &row); err != nil {
				return err
			}
		}
		return nil
	}
	err := resolve(nil)
	if errors.Is(err, errNeedTx) {
		err = s.read(ctx, func(tx Tx) error { return resolve(tx) })
	}
	if err == nil && forward != nil { // outside the transaction: see upstreamCall
		row, err = s.fetch(ctx, forward)
	}
	var sch *dataset.Schema
	if entry != nil && entry.published() {
		sch = entry.schema
	}
	return g, sch, row, err
}

// record appends the call's event in its own transaction, refused or not.
func (s *Service) record(ctx context.Context, c gateway.Caller, action string, g *grant.Grant, rec record, now time.Time) error {
	if rec.Items == nil {
		rec.Items = []string{}
	}
	o := ledger.Object{Type: "grant", ID: rec.GrantID, DepartmentID: c.DepartmentID}
	if g != nil {
		o.DepartmentID = g.ConsumerID
	}
	actor := access.Actor{PersonID: c.SystemID, DepartmentID: c.DepartmentID}
	ctx = context.WithoutCancel(ctx) // a refusal is recorded even if the caller hangs up
	return s.write(ctx, func(tx Tx) error {
		if err := gateway.RecordNonce(ctx, tx, c, now); err != nil {
			return err // a replay: not recorded here (see finish)
		}
		return ledger.Record(ctx, tx, now, actor, action, o, rec)
	})
}

// outcome is the record's outcome of err: "ok" or its problem code.
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	var p *problem.Error
	if errors.As(err, &p) && p.Code != "" {
		return p.Code
	}
	return "internal_error"
}

// sameJSON compares two JSON values after compaction.
func sameJSON(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return false
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}
