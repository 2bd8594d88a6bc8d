package servicechange

import (
	"context"
	"slices"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
)

// maxPushes bounds the active push subscriptions read per grant; the store
// allows one per grant, so this only guards against a corrupt table.
const maxPushes = 100

// pushEnd says why a push subscription of grant g, as changed by c, can no
// longer deliver, "" when it still can. Narrowing the subscription instead
// would change the columns of its pages mid-stream without the endpoint
// knowing; ending it lets the consumer subscribe again to what is left.
func pushEnd(c *ServiceChange, g *grant.Grant, sub *exchange.Subscription) string {
	switch {
	case g.State == grant.Terminated:
		return "共享授权已因服务" + kindName[c.Kind] + "终止（服务变更 " + c.ID + "）"
	case g.DeliveryMethod != application.BatchExchange:
		return "共享方式已因服务变更改为" + g.DeliveryMethod + "，不再批量交换（服务变更 " + c.ID + "）"
	case slices.ContainsFunc(sub.Items, func(it string) bool { return !slices.Contains(g.Items, it) }):
		return "订阅的数据项已因服务变更停止提供，请按变更后的授权重新订阅（服务变更 " + c.ID + "）"
	}
	return ""
}

// endPushes ends the active push subscriptions of g that the change left
// unable to deliver, each with its event, and returns their IDs. Without
// it a removed item makes every push refused (grant.item_not_granted) while
// the grant stays active, so the pusher would retry forever, and a method
// changed away from batch exchange would go on pushing.
func endPushes(ctx context.Context, tx Tx, a access.Actor, c *ServiceChange, g *grant.Grant, now time.Time) ([]string, error) {
	subs, err := tx.ListSubscriptions(ctx, exchange.Filter{Scope: access.Scope{All: true}, Kind: exchange.Push, GrantID: g.ID,
		State: exchange.Active, Limit: maxPushes})
	if err != nil {
		return nil, err
	}
	ended := []string{}
	for _, sub := range subs {
		why := pushEnd(c, g, &sub)
		if why == "" {
			continue
		}
		sub.State, sub.CancelledBy, sub.CancelledAt, sub.CancelReason = exchange.Ended, a.PersonID, &now, why
		sub.Version++
		sub.UpdatedAt = now
		if err := tx.UpdateSubscription(ctx, sub); err != nil {
			return nil, err
		}
		if err := ledger.Record(ctx, tx, now, a, exchange.ActionEnd, exchange.ObjectOf(sub), sub); err != nil {
			return nil, err
		}
		ended = append(ended, sub.ID)
	}
	return ended, nil
}
