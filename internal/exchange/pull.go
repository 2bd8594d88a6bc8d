package exchange

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/catalog"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// PullRequest pages a batch-exchange grant: from the start of a new
// snapshot when Cursor is "", else from the page Cursor names.
type PullRequest struct {
	GrantID string `json:"grant_id"`
	Purpose string `json:"purpose"`
	// Items, when given, narrows the rows to these granted items; they must
	// include the entry's key items. All granted items by default.
	Items  []string `json:"items,omitempty"`
	Cursor string   `json:"cursor,omitempty"`
	Limit  int      `json:"limit,omitempty"`
}

// ReturnFlowPullRequest pages a return-flow subscription.
type ReturnFlowPullRequest struct {
	SubscriptionID string `json:"subscription_id"`
	Cursor         string `json:"cursor,omitempty"`
	Limit          int    `json:"limit,omitempty"`
}

// Ledger actions of batch exchange.
const (
	ActionPull      = "exchange.pull"
	ActionPush      = "exchange.push"
	ActionSubscribe = "exchange.subscribe"
	ActionCancel    = "exchange.cancel"
	ActionEnd       = "exchange.end"
)

// ReturnFlowPurpose is the purpose recorded for a return flow: the duty of
// Art. 24, not an application's scenario.
const ReturnFlowPurpose = "回流（条例第二十四条）"

// pullRecord is what the ledger digests for one pull or push: who, under
// which grant or subscription, for what, which items, how many rows and the
// outcome; never a cursor, key or value.
type pullRecord struct {
	SystemID       string   `json:"system_id,omitempty"`
	DepartmentID   string   `json:"department_id"`
	GrantID        string   `json:"grant_id,omitempty"`
	SubscriptionID string   `json:"subscription_id,omitempty"`
	Purpose        string   `json:"purpose"`
	Items          []string `json:"items"`
	Phase          Phase    `json:"phase,omitempty"`
	Rows           int      `json:"rows"`
	Outcome        string   `json:"outcome"`
	HTTPStatus     int      `json:"http_status,omitempty"`
}

var errNotConsumer = &problem.Error{Kind: problem.Forbidden, Code: "gateway.not_consumer", Title: "调用系统不属于该授权的使用部门",
	Detail: "only an application system of the grant's consumer department may use the grant"}

var errNotSubscriber = &problem.Error{Kind: problem.Forbidden, Code: "exchange.not_subscriber", Title: "调用系统不属于该回流订阅的接收部门",
	Detail: "only an application system of the subscribing department may pull a return flow"}

var errGrantNotFound = problem.NotFoundf("grant.not_found", "共享授权不存在", "no such grant")

var errSubscriptionNotFound = problem.NotFoundf("exchange.subscription_not_found", "订阅不存在", "no such subscription")

var errMethod = &problem.Error{Kind: problem.Forbidden, Code: "exchange.method_not_granted", Title: "共享授权的共享方式不是批量交换",
	Detail: "the grant's delivery method is not batch_exchange; use the delivery method the approval granted"}

var errKeysNotGranted = &problem.Error{Kind: problem.Conflict, Code: "exchange.key_items_not_granted", Title: "授权未包含主键数据项，无法批量交换",
	Detail: "batch exchange names each row by the entry's key items so that updates and deletes can be applied; the grant does not include all of them"}

var errNotPublished = problem.New(problem.Conflict, "dataset.entry_not_published", "目录未发布，无可用数据", "the catalog entry has no published version")

func checkLimit(n int) (int, error) {
	switch {
	case n == 0:
		return DefaultLimit, nil
	case n < 0 || n > MaxLimit:
		return 0, problem.Fieldf("limit", "exchange.limit_invalid", "每页条数超出允许范围", "limit must be 1 to %d (default %d)", MaxLimit, DefaultLimit)
	}
	return n, nil
}

// schemaOf is the published version's schema of an entry.
func schemaOf(ctx context.Context, tx Tx, entryID string) (*catalog.Head, *dataset.Schema, error) {
	h, err := tx.CatalogHead(ctx, entryID)
	if err != nil {
		return nil, nil, err
	}
	if h == nil || h.PublishedVersion == 0 {
		return h, nil, errNotPublished
	}
	v, err := tx.CatalogVersion(ctx, h.ID, h.PublishedVersion)
	if err != nil {
		return nil, nil, err
	}
	if v == nil {
		return nil, nil, errors.New("exchange: published catalog version missing")
	}
	s, err := dataset.NewSchema(*v)
	return h, s, err
}

// grantItems is the items a pull of g delivers: asked (or all granted),
// every one granted, the key items among them.
func grantItems(g *grant.Grant, s *dataset.Schema, asked []string) ([]string, error) {
	for _, k := range s.KeyItems() {
		if !slices.Contains(g.Items, k) {
			return nil, errKeysNotGranted
		}
	}
	if len(asked) == 0 {
		return g.Items, nil
	}
	for _, k := range s.KeyItems() {
		if !slices.Contains(asked, k) {
			return nil, problem.Fieldf("items", "exchange.key_item_required", "批量交换须包含主键数据项",
				"items must include every key item of the entry (%s) so that rows can be matched", k)
		}
	}
	var out []string
	for _, it := range asked {
		if !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	return out, nil
}

// Pull reads one page of a batch-exchange grant for a consumer's system.
// The pull is recorded, delivered or refused; the first that delivers rows
// closes the provider's Art. 22 obligation.
func (s *Service) Pull(ctx context.Context, c gateway.Caller, in PullRequest) (*Page, error) {
	now := s.now()
	var (
		g     *grant.Grant
		items = in.Items
		page  *Page
	)
	limit, err := checkLimit(in.Limit)
	if err == nil {
		err = s.read(ctx, func(tx Tx) (err error) {
			if g, err = tx.Grant(ctx, in.GrantID); err != nil {
				return err
			}
			if g == nil {
				return errGrantNotFound
			}
			if g.ConsumerID != c.DepartmentID {
				return errNotConsumer
			}
			if !c.MayUse(g.ID) {
				return gateway.ErrNotBound
			}
			if len(items) == 0 {
				items = g.Items
			}
			if err := grant.Check(*g, now, items, in.Purpose); err != nil {
				return err
			}
			if g.DeliveryMethod != application.BatchExchange {
				return errMethod
			}
			_, sc, err := schemaOf(ctx, tx, g.EntryID)
			if err != nil {
				return err
			}
			if items, err = grantItems(g, sc, in.Items); err != nil {
				return err
			}
			page, err = newView(g.EntryID, grantOwner(g.ID), items).masking(g, sc).read(ctx, tx, in.Cursor, limit)
			return err
		})
	}
	d := Delivery{GrantID: in.GrantID, DepartmentID: c.DepartmentID, SystemID: c.SystemID, Mode: "pull", Items: items, Purpose: in.Purpose}
	if g != nil {
		d.EntryID = g.EntryID
	}
	if rerr := s.recordPull(ctx, c, d, page, err, now, func(tx Tx) error {
		if err != nil || page.Count == 0 {
			return nil
		}
		return application.MarkDelivered(ctx, tx, g.ApplicationID, g.DeliveryMethod, now)
	}); rerr != nil {
		return nil, rerr
	}
	return page, err
}

// PullReturnFlow reads one page of a return flow for a system of the
// subscribing department: no purpose, no conditions (Art. 24).
func (s *Service) PullReturnFlow(ctx context.Context, c gateway.Caller, in ReturnFlowPullRequest) (*Page, error) {
	now := s.now()
	var (
		sub   *Subscription
		items []string
		page  *Page
	)
	limit, err := checkLimit(in.Limit)
	if err == nil {
		err = s.read(ctx, func(tx Tx) (err error) {
			if sub, err = tx.Subscription(ctx, in.SubscriptionID); err != nil {
				return err
			}
			if sub == nil || sub.Kind != ReturnFlow {
				return errSubscriptionNotFound
			}
			if sub.SubscriberID != c.DepartmentID {
				return errNotSubscriber
			}
			items = sub.Items
			if sub.State != Active {
				return problem.New(problem.Forbidden, "exchange.subscription_not_active", "回流订阅已取消",
					"the return flow was cancelled; nothing is delivered")
			}
			if _, _, err := schemaOf(ctx, tx, sub.EntryID); err != nil {
				return err
			}
			v := newView(sub.EntryID, subscriptionOwner(sub.ID), sub.Items)
			v.divisionItem, v.division = sub.DivisionItem, sub.SubscriberDivision
			page, err = v.read(ctx, tx, in.Cursor, limit)
			return err
		})
	}
	d := Delivery{SubscriptionID: in.SubscriptionID, DepartmentID: c.DepartmentID, SystemID: c.SystemID, Mode: "pull",
		Items: items, Purpose: ReturnFlowPurpose}
	if sub != nil {
		d.EntryID = sub.EntryID
	}
	if rerr := s.recordPull(ctx, c, d, page, err, now, func(tx Tx) error {
		if err != nil {
			return nil
		}
		return tx.NotePull(ctx, sub.ID, page.Count, now)
	}); rerr != nil {
		return nil, rerr
	}
	return page, err
}

// RefusePull records a pull refused before it could be read (a malformed
// body: in holds what was decoded) and returns err, or the recording's error.
func (s *Service) RefusePull(ctx context.Context, c gateway.Caller, grantID, subscriptionID string, err error) error {
	d := Delivery{GrantID: grantID, SubscriptionID: subscriptionID, DepartmentID: c.DepartmentID, SystemID: c.SystemID, Mode: "pull"}
	if rerr := s.recordPull(ctx, c, d, nil, err, s.now(), nil); rerr != nil {
		return rerr
	}
	return err
}

// recordPull appends the pull's event and its delivery log entry in one
// write transaction, with then (the delivery's consequences) when given.
// A refused pull names the grant or subscription only as the caller gave
// it: an unknown ID is kept in the record, not in the log's references.
func (s *Service) recordPull(ctx context.Context, c gateway.Caller, d Delivery, p *Page, err error, now time.Time, then func(Tx) error) error {
	d.ID, d.At, d.Outcome, d.Attempt = newID(), now.UTC(), outcome(err), 1
	if d.Items == nil {
		d.Items = []string{}
	}
	if p != nil {
		d.Phase, d.FromSeq, d.ToSeq, d.Pin, d.Rows, d.Checksum = p.Phase, p.from, p.to, p.pin, p.Count, p.Checksum
	}
	rec := pullRecord{SystemID: c.SystemID, DepartmentID: c.DepartmentID, GrantID: d.GrantID, SubscriptionID: d.SubscriptionID,
		Purpose: d.Purpose, Items: d.Items, Phase: d.Phase, Rows: d.Rows, Outcome: d.Outcome}
	o := ledger.Object{Type: "grant", ID: d.GrantID, DepartmentID: c.DepartmentID}
	if d.SubscriptionID != "" {
		o = ledger.Object{Type: "exchange_subscription", ID: d.SubscriptionID, DepartmentID: c.DepartmentID}
	}
	actor := access.Actor{PersonID: c.SystemID, DepartmentID: c.DepartmentID}
	ctx = context.WithoutCancel(ctx) // a refusal is recorded even if the caller hangs up
	return s.write(ctx, func(tx Tx) error {
		if err := ledger.Record(ctx, tx, now, actor, ActionPull, o, rec); err != nil {
			return err
		}
		// The log references only what exists: a pull naming an unknown
		// grant or subscription is in the ledger alone.
		if d.EntryID != "" {
			if err := tx.InsertDelivery(ctx, d); err != nil {
				return err
			}
		}
		if then != nil {
			return then(tx)
		}
		return nil
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
