package exchange

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

var errNotFound = problem.NotFoundf("exchange.subscription_not_found", "订阅不存在", "no such subscription")

func (s *Service) load(ctx context.Context, tx Tx, a access.Actor, id string) (*Subscription, error) {
	sub, err := tx.Subscription(ctx, id)
	if err != nil {
		return nil, err
	}
	if sub == nil {
		return nil, errNotFound
	}
	ok, err := CanRead(a, sub, func(outer, inner string) (bool, error) { return tx.InRegion(ctx, outer, inner) })
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotFound
	}
	return sub, nil
}

// Subscribe creates a push subscription of a batch-exchange grant (the
// consumer's office) or a return flow (the provider's office).
func (s *Service) Subscribe(ctx context.Context, a access.Actor, in NewSubscription) (Created, error) {
	switch in.Kind {
	case Push:
		return s.subscribePush(ctx, a, in)
	case ReturnFlow:
		return s.subscribeReturnFlow(ctx, a, in)
	}
	return Created{}, problem.Fieldf("kind", "exchange.kind_invalid", "订阅类型无效", "kind must be push or return_flow; got %q", in.Kind)
}

func notFor(field, kind string) error {
	return problem.Fieldf(field, "exchange.field_not_allowed", "该订阅类型不使用此字段", "%s is not used by a %s subscription", field, kind)
}

func (s *Service) subscribePush(ctx context.Context, a access.Actor, in NewSubscription) (Created, error) {
	for _, f := range []struct {
		name string
		set  bool
	}{{"entry_id", in.EntryID != ""}, {"subscriber_id", in.SubscriberID != ""}, {"division_item", in.DivisionItem != ""}, {"items", in.Items != nil}} {
		if f.set {
			return Created{}, notFor(f.name, "push")
		}
	}
	if !a.HasAny(access.OfficeHead, access.OfficeStaff) || a.DepartmentID == "" {
		return Created{}, problem.ErrForbidden
	}
	if strings.TrimSpace(in.GrantID) == "" {
		return Created{}, problem.Field("grant_id", "exchange.grant_required", "必须指明共享授权", "a push subscription names its grant_id")
	}
	endpoint, err := checkEndpoint(in.EndpointURL)
	if err != nil {
		return Created{}, err
	}
	keys, err := s.keys()
	if err != nil {
		return Created{}, err
	}
	now := s.now().UTC()
	secret := newSecret()
	var out Subscription
	err = s.write(ctx, func(tx Tx) error {
		g, err := tx.Grant(ctx, in.GrantID)
		if err != nil {
			return err
		}
		if g == nil {
			return problem.Field("grant_id", "exchange.grant_unknown", "共享授权不存在", "no grant has this id")
		}
		if !CanSubscribePush(a, g.ConsumerID) {
			if ok, err := grant.CanRead(a, g, func(o, i string) (bool, error) { return tx.InRegion(ctx, o, i) }); err != nil || !ok {
				if err != nil {
					return err
				}
				return problem.Field("grant_id", "exchange.grant_unknown", "共享授权不存在", "no grant has this id")
			}
			return problem.ErrForbidden
		}
		if g.DeliveryMethod != application.BatchExchange {
			return problem.Field("grant_id", "exchange.method_not_granted", "共享授权的共享方式不是批量交换",
				"only a grant whose delivery method is batch_exchange can push pages")
		}
		if st := g.StateAt(now); st != grant.Active {
			return grant.WrongState(st, "subscribe to")
		}
		_, sc, err := schemaOf(ctx, tx, g.EntryID)
		if err != nil {
			return err
		}
		if _, err := grantItems(g, sc, nil); err != nil {
			return err
		}
		out = Subscription{ID: newID(), Kind: Push, GrantID: g.ID, EntryID: g.EntryID, ProviderID: g.ProviderID, ProviderDivision: g.ProviderDivision,
			SubscriberID: g.ConsumerID, SubscriberDivision: g.ConsumerDivision, Items: slices.Clone(g.Items), EndpointURL: endpoint,
			State: Active, CreatedBy: a.PersonID, CreatedAt: now, UpdatedAt: now, Version: 1}
		sealed := &Sealed{KeyID: keys.ID(), Ciphertext: keys.Seal([]byte(secret), []byte(out.ID))}
		if err := tx.InsertSubscription(ctx, out, sealed); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, ActionSubscribe, ObjectOf(out), out)
	})
	if err != nil {
		return Created{}, err
	}
	return Created{Subscription: out, Secret: secret}, nil
}

func (s *Service) subscribeReturnFlow(ctx context.Context, a access.Actor, in NewSubscription) (Created, error) {
	if in.GrantID != "" {
		return Created{}, notFor("grant_id", "return_flow")
	}
	if in.EndpointURL != "" {
		return Created{}, notFor("endpoint_url", "return_flow")
	}
	if !a.HasAny(access.OfficeHead, access.OfficeStaff) || a.DepartmentID == "" {
		return Created{}, problem.ErrForbidden
	}
	for _, f := range [][2]string{{"entry_id", in.EntryID}, {"subscriber_id", in.SubscriberID}, {"division_item", in.DivisionItem}} {
		if strings.TrimSpace(f[1]) == "" {
			return Created{}, problem.Fieldf(f[0], "exchange.required", "必填项不能为空", "a return flow needs %s", f[0])
		}
	}
	now := s.now().UTC()
	var out Subscription
	err := s.write(ctx, func(tx Tx) error {
		h, err := tx.CatalogHead(ctx, in.EntryID)
		if err != nil {
			return err
		}
		if h == nil || (h.PublishedVersion == 0 && !CanSubscribeReturnFlow(a, h.ProviderID)) {
			return problem.Field("entry_id", "exchange.entry_unknown", "目录不存在", "no published catalog entry has this id")
		}
		if !CanSubscribeReturnFlow(a, h.ProviderID) {
			return problem.ErrForbidden
		}
		_, sc, err := schemaOf(ctx, tx, h.ID)
		if err != nil {
			return err
		}
		names := map[string]bool{}
		var all []string
		for _, it := range sc.Items {
			names[it.Name] = true
			all = append(all, it.Name)
		}
		if !names[in.DivisionItem] {
			return problem.Field("division_item", "exchange.item_unknown", "数据项不属于该目录", "division_item must name a data item of the published entry")
		}
		items := all
		if in.Items != nil {
			items = nil
			for i, it := range in.Items {
				if !names[it] {
					return problem.Field("items["+strconv.Itoa(i)+"]", "exchange.item_unknown", "数据项不属于该目录", "each item must be a data item of the published entry")
				}
				if !slices.Contains(items, it) {
					items = append(items, it)
				}
			}
			for _, k := range sc.KeyItems() {
				if !slices.Contains(items, k) {
					return problem.Fieldf("items", "exchange.key_item_required", "批量交换须包含主键数据项",
						"items must include every key item of the entry (%s) so that rows can be matched", k)
				}
			}
		}
		provider, err := tx.Department(ctx, h.ProviderID)
		if err != nil {
			return err
		}
		sub, err := tx.Department(ctx, in.SubscriberID)
		if err != nil {
			return err
		}
		if sub == nil {
			return problem.Field("subscriber_id", "exchange.subscriber_unknown", "接收部门不存在", "no department has this id")
		}
		inside, err := tx.InRegion(ctx, provider.DivisionCode, sub.DivisionCode)
		if err != nil {
			return err
		}
		if !inside || sub.DivisionCode == provider.DivisionCode {
			return problem.Field("subscriber_id", "exchange.subscriber_not_lower", "回流对象须为本行政区域内的下级部门",
				"a return flow goes to a department of a division below the provider's, inside its region (Art. 24)")
		}
		out = Subscription{ID: newID(), Kind: ReturnFlow, EntryID: h.ID, ProviderID: h.ProviderID, ProviderDivision: provider.DivisionCode,
			SubscriberID: sub.ID, SubscriberDivision: sub.DivisionCode, DivisionItem: in.DivisionItem, Items: items,
			State: Active, CreatedBy: a.PersonID, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := tx.InsertSubscription(ctx, out, nil); err != nil {
			return err
		}
		return ledger.Record(ctx, tx, now, a, ActionSubscribe, ObjectOf(out), out)
	})
	if err != nil {
		return Created{}, err
	}
	return Created{Subscription: out}, nil
}

// Get returns one subscription the actor may see.
func (s *Service) Get(ctx context.Context, a access.Actor, id string) (Subscription, error) {
	var out *Subscription
	err := s.read(ctx, func(tx Tx) (err error) { out, err = s.load(ctx, tx, a, id); return err })
	if err != nil {
		return Subscription{}, err
	}
	return *out, nil
}

// List returns the subscriptions the actor may see, narrowed by f.
func (s *Service) List(ctx context.Context, a access.Actor, f Filter) ([]Subscription, error) {
	scope, ok := ScopeFor(a)
	if !ok {
		return nil, problem.ErrForbidden
	}
	switch f.Kind {
	case "", Push, ReturnFlow:
	default:
		return nil, problem.Fieldf("kind", "exchange.kind_invalid", "参数无效", "kind must be push or return_flow; got %q", f.Kind)
	}
	switch f.State {
	case "", Active, Cancelled, Ended:
	default:
		return nil, problem.Fieldf("state", "exchange.state_invalid", "参数无效", "state must be active, cancelled or ended; got %q", f.State)
	}
	f.Scope = scope
	var out []Subscription
	err := s.read(ctx, func(tx Tx) (err error) { out, err = tx.ListSubscriptions(ctx, f); return err })
	return out, err
}

// Cancel stops a subscription for good.
func (s *Service) Cancel(ctx context.Context, a access.Actor, id string, in CancelInput) (Subscription, error) {
	if in.Version <= 0 {
		return Subscription{}, problem.Field("version", "exchange.version_required", "缺少版本号", "version (the version you last read) is required")
	}
	reason := strings.TrimSpace(in.Reason)
	if len([]rune(reason)) > maxReason {
		return Subscription{}, problem.Fieldf("reason", "exchange.too_long", "内容过长", "reason is longer than %d characters", maxReason)
	}
	now := s.now().UTC()
	var out *Subscription
	err := s.write(ctx, func(tx Tx) error {
		sub, err := s.load(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !CanCancel(a, sub) {
			return problem.ErrForbidden
		}
		if sub.Version != in.Version {
			return problem.ErrVersionConflict
		}
		if sub.State != Active {
			return problem.New(problem.Conflict, "exchange.subscription_not_active", "订阅已取消或已结束", "only an active subscription can be cancelled")
		}
		sub.State, sub.CancelledBy, sub.CancelledAt, sub.CancelReason = Cancelled, a.PersonID, &now, reason
		sub.Version++
		sub.UpdatedAt = now
		if err := tx.UpdateSubscription(ctx, *sub); err != nil {
			return err
		}
		out = sub
		return ledger.Record(ctx, tx, now, a, ActionCancel, ObjectOf(*sub), sub)
	})
	if err != nil {
		return Subscription{}, err
	}
	return *out, nil
}

// Deliveries lists the delivery log of a subscription the actor may see,
// oldest first.
func (s *Service) Deliveries(ctx context.Context, a access.Actor, id, after string, limit int) ([]Delivery, error) {
	var out []Delivery
	err := s.read(ctx, func(tx Tx) error {
		if _, err := s.load(ctx, tx, a, id); err != nil {
			return err
		}
		var err error
		out, err = tx.ListDeliveries(ctx, id, after, limit)
		return err
	})
	return out, err
}
