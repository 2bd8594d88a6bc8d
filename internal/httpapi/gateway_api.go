package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
	"github.com/govshare/govshare/internal/store"
)

// gatewayRoute is one route of the gateway surface: outside /api/v1, out of
// the OpenAPI document (see docs/gateway.md), served only to a request signed
// with an application system's credential (gateway.Verify), never to a
// session or token.
type gatewayRoute struct {
	Method, Pattern, Summary string
	handle                   func(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error
}

// gatewayRoutes is the service-interface surface a consumer's systems call
// (Art. 22, 25): a query of granted items and a verification that returns
// match or mismatch, never data.
func (api *API) gatewayRoutes() []gatewayRoute {
	return []gatewayRoute{
		{"POST", "/gateway/v1/query", "Read the granted items of one row by its key items", api.gatewayQuery},
		{"POST", "/gateway/v1/verify", "Verify values against one row without returning data (核验)", api.gatewayVerify},
	}
}

// wrapGateway reads the body, verifies the signature and serves; every error
// is a problem.
func (api *API) wrapGateway(rt gatewayRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		body, err := readBody(w, r)
		if err == nil {
			var c gateway.Caller
			if c, err = api.app.Gateway.Verify(r, body, api.app.Now()); err == nil {
				setActor(r, c.SystemID)
				err = rt.handle(w, r, c, body)
			}
		}
		if err != nil {
			writeProblem(w, r, api.log, err)
		}
	})
}

// gatewayQuery is the body of POST /gateway/v1/query.
type gatewayQuery struct {
	GrantID string      `json:"grant_id"`
	Purpose string      `json:"purpose"`
	Items   []string    `json:"items"`
	Where   dataset.Row `json:"where"`
}

// gatewayVerify is the body of POST /gateway/v1/verify.
type gatewayVerify struct {
	GrantID string      `json:"grant_id"`
	Purpose string      `json:"purpose"`
	Where   dataset.Row `json:"where"`
	Values  dataset.Row `json:"values"`
}

// gatewayRecord is what the ledger digests for one gateway call: who, under
// which grant, for what, which items, how many rows and the outcome; never
// a key or a value, which are often personal information.
type gatewayRecord struct {
	SystemID string   `json:"system_id"`
	GrantID  string   `json:"grant_id"`
	Purpose  string   `json:"purpose"`
	Items    []string `json:"items"`
	Rows     int      `json:"rows"`
	Outcome  string   `json:"outcome"` // "ok" or the refusal's code
}

var errNotConsumer = &problem.Error{Kind: problem.Forbidden, Code: "gateway.not_consumer", Title: "调用系统不属于该授权的使用部门",
	Detail: "only an application system of the grant's consumer department may use the grant"}

var errGrantNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")

// lookup checks the caller and the grant at now and reads the row named by
// where; it returns the grant and the row's data (nil when there is none).
func (api *API) lookup(ctx context.Context, c gateway.Caller, grantID, purpose string, items []string, where dataset.Row,
	now time.Time) (*grant.Grant, map[string]json.RawMessage, error) {
	var (
		g   *grant.Grant
		row map[string]json.RawMessage
	)
	err := api.app.Store.Read(ctx, func(tx *store.Tx) (err error) {
		if g, err = tx.Grant(ctx, grantID); err != nil {
			return err
		}
		if g == nil {
			return errGrantNotFound
		}
		if g.ConsumerID != c.DepartmentID {
			return errNotConsumer
		}
		if err := grant.Check(*g, now, items, purpose); err != nil {
			return err
		}
		h, err := tx.CatalogHead(ctx, g.EntryID)
		if err != nil {
			return err
		}
		if h == nil || h.PublishedVersion == 0 {
			return problem.New(problem.Conflict, "dataset.entry_not_published", "目录未发布，无可用数据", "the grant's catalog entry has no published version")
		}
		v, err := tx.CatalogVersion(ctx, h.ID, h.PublishedVersion)
		if err != nil {
			return err
		}
		if v == nil {
			return errors.New("httpapi: published catalog version missing")
		}
		schema, err := dataset.NewSchema(*v)
		if err != nil {
			return err
		}
		key, err := schema.Lookup("where", where)
		if err != nil {
			return err
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
	})
	return g, row, err
}

// record appends the call's event in its own transaction, refused or not.
func (api *API) record(ctx context.Context, c gateway.Caller, action string, g *grant.Grant, rec gatewayRecord, now time.Time) error {
	if rec.Items == nil {
		rec.Items = []string{}
	}
	o := ledger.Object{Type: "grant", ID: rec.GrantID, DepartmentID: c.DepartmentID}
	if g != nil {
		o.DepartmentID = g.ConsumerID
	}
	actor := access.Actor{PersonID: c.SystemID, DepartmentID: c.DepartmentID}
	ctx = context.WithoutCancel(ctx) // a refusal is recorded even if the caller hangs up
	return api.app.Store.Write(ctx, func(tx *store.Tx) error {
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

func (api *API) gatewayQuery(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	now := api.app.Now()
	var in gatewayQuery
	var g *grant.Grant
	var row map[string]json.RawMessage
	err := decodeStrict(body, &in)
	if err == nil {
		g, row, err = api.lookup(r.Context(), c, in.GrantID, in.Purpose, in.Items, in.Where, now)
	}
	rows := []map[string]json.RawMessage{}
	if err == nil && row != nil {
		out := map[string]json.RawMessage{}
		for _, it := range in.Items {
			if v, ok := row[it]; ok {
				out[it] = v
			}
		}
		rows = append(rows, out)
	}
	rec := gatewayRecord{SystemID: c.SystemID, GrantID: in.GrantID, Purpose: in.Purpose, Items: in.Items, Rows: len(rows), Outcome: outcome(err)}
	if rerr := api.record(r.Context(), c, "gateway.query", g, rec, now); rerr != nil {
		return rerr
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows": rows})
	return nil
}

// Match results of a verification.
const (
	resultMatch    = "match"
	resultMismatch = "mismatch"
)

func (api *API) gatewayVerify(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	now := api.app.Now()
	var in gatewayVerify
	var g *grant.Grant
	var row map[string]json.RawMessage
	var items []string
	err := decodeStrict(body, &in)
	if err == nil {
		for it := range in.Values {
			items = append(items, it)
		}
		slices.Sort(items)
		g, row, err = api.lookup(r.Context(), c, in.GrantID, in.Purpose, items, in.Where, now)
	}
	result := map[string]string{}
	if err == nil {
		for _, it := range items {
			result[it] = resultMismatch
			if v, ok := row[it]; ok && sameJSON(v, in.Values[it]) {
				result[it] = resultMatch
			}
		}
	}
	n := 0
	if row != nil {
		n = 1
	}
	rec := gatewayRecord{SystemID: c.SystemID, GrantID: in.GrantID, Purpose: in.Purpose, Items: items, Rows: n, Outcome: outcome(err)}
	if rerr := api.record(r.Context(), c, "gateway.verify", g, rec, now); rerr != nil {
		return rerr
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": result, "found": row != nil})
	return nil
}

// sameJSON compares two JSON values after compaction.
func sameJSON(a, b json.RawMessage) bool {
	var x, y bytes.Buffer
	if json.Compact(&x, a) != nil || json.Compact(&y, b) != nil {
		return false
	}
	return bytes.Equal(x.Bytes(), y.Bytes())
}
