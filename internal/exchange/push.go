package exchange

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// The headers of a push. X-Gs-Signature is hex(HMAC-SM3(secret, body)) with
// the subscription's secret ("gss_…") as the key; the body names the
// subscription, the delivery and the time it was sent, so the signature
// covers them too.
const (
	HeaderSubscription = "X-Gs-Subscription"
	HeaderDelivery     = "X-Gs-Delivery"
	HeaderChecksum     = "X-Gs-Checksum"
	HeaderSignature    = "X-Gs-Signature"
)

// Push timing: one POST may take PushTimeout; a pusher holds a subscription
// for pushLease at most per turn; failed attempts wait FirstBackoff, then
// twice as long each time, up to MaxBackoff.
const (
	PushTimeout  = 30 * time.Second
	pushLease    = 5 * time.Minute
	FirstBackoff = 10 * time.Second
	MaxBackoff   = time.Hour
	pagesPerTurn = 50
	dueBatch     = 100
)

// Backoff is how long to wait after the n-th failed attempt in a row.
func Backoff(n int) time.Duration {
	d := FirstBackoff
	for i := 1; i < n && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}

// Sign is the push signature of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sm3.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// PushReport counts what one round of pushes did.
type PushReport struct {
	Subscriptions int // subscriptions worked on
	Pages         int // pages acknowledged
	Rows          int // records in them
	Failures      int // attempts that failed or were refused
}

// platformFor is the actor of the platform's own deliveries: it acts on the
// provider's behalf, whose obligation the delivery is.
func platformFor(providerID string) access.Actor {
	return access.Actor{PersonID: "platform", DepartmentID: providerID}
}

// PushDue runs one round: every active push subscription that is due gets
// its pages sent until it is caught up, an attempt fails, or its turn ends.
// `govshare serve` runs it on a timer (StartPusher); tests call it directly.
func (s *Service) PushDue(ctx context.Context) (PushReport, error) {
	var rep PushReport
	var ids []string
	if err := s.read(ctx, func(tx Tx) (err error) { ids, err = tx.DuePushes(ctx, s.now().UTC(), dueBatch); return err }); err != nil {
		return rep, err
	}
	var errs []error
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		if err := s.pushOne(ctx, id, &rep); err != nil {
			errs = append(errs, fmt.Errorf("exchange: push %s: %w", id, err))
		}
	}
	return rep, errors.Join(errs...)
}

// StartPusher runs PushDue every interval until ctx ends or stop is called;
// stop waits for the round in progress. Errors go to report.
func (s *Service) StartPusher(ctx context.Context, interval time.Duration, report func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if _, err := s.PushDue(ctx); err != nil && ctx.Err() == nil && report != nil {
				report(err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// turn is one subscription's state as a push turn reads it.
type turn struct {
	sub     *Subscription
	g       *grant.Grant
	page    *Page
	refused error
}

func (s *Service) pushOne(ctx context.Context, id string, rep *PushReport) error {
	now := s.now().UTC()
	var claimed bool
	// Microseconds: what both engines store, so that the release can name
	// exactly this lease.
	until := now.Add(pushLease).Truncate(time.Microsecond)
	if err := s.write(ctx, func(tx Tx) (err error) { claimed, err = tx.ClaimPush(ctx, id, now, until); return err }); err != nil || !claimed {
		return err
	}
	defer func() {
		_ = s.write(context.WithoutCancel(ctx), func(tx Tx) error { return tx.ReleasePush(ctx, id, until) })
	}()
	keys, err := s.keys()
	if err != nil {
		return err
	}
	var sealed *Sealed
	if err := s.read(ctx, func(tx Tx) (err error) { sealed, err = tx.PushSecret(ctx, id); return err }); err != nil {
		return err
	}
	if sealed == nil {
		return errors.New("push secret missing")
	}
	secret, err := keys.Open(sealed.KeyID, sealed.Ciphertext, []byte(id))
	if err != nil {
		return err
	}
	rep.Subscriptions++
	// The turn must end while the lease holds: past it another node's
	// pusher may claim the subscription and send the same page again. A
	// POST started before this moment ends (PushTimeout) inside the lease.
	last := now.Add(pushLease - PushTimeout)
	for range pagesPerTurn {
		if ctx.Err() != nil {
			return nil
		}
		now = s.now().UTC()
		if now.After(last) {
			return nil // the next round goes on from the cursor
		}
		t, err := s.pushPage(ctx, id, now)
		if err != nil {
			return err
		}
		if t.sub == nil || t.sub.State != Active {
			return nil
		}
		if t.refused != nil {
			rep.Failures++
			return s.refusePush(ctx, t, now)
		}
		if t.page.Count == 0 {
			// Nothing to send: the snapshot may have ended, so the cursor
			// moves to the changes without a POST.
			if t.page.NextCursor != t.sub.Progress.Cursor {
				if err := s.write(ctx, func(tx Tx) error {
					_, err := tx.AdvancePush(ctx, id, t.sub.Progress.Cursor, t.page.NextCursor, 0, now)
					return err
				}); err != nil {
					return err
				}
			}
			if !t.page.More {
				return s.rest(ctx, t, now)
			}
			continue
		}
		ok, err := s.send(ctx, t, string(secret), now)
		if err != nil {
			return err
		}
		if !ok {
			rep.Failures++
			return nil
		}
		rep.Pages++
		rep.Rows += t.page.Count
		if !t.page.More {
			return s.rest(ctx, t, now)
		}
	}
	return nil
}

// pushPage reads the subscription, checks its grant and reads the page at
// its cursor.
// rest makes a scheduled subscription wait its interval once a turn has
// sent everything there was; an unscheduled one is due again at once.
func (s *Service) rest(ctx context.Context, t turn, now time.Time) error {
	if t.sub.IntervalSeconds <= 0 {
		return nil
	}
	next := now.Add(time.Duration(t.sub.IntervalSeconds) * time.Second)
	return s.write(ctx, func(tx Tx) error { return tx.RestPush(ctx, t.sub.ID, next) })
}

func (s *Service) pushPage(ctx context.Context, id string, now time.Time) (turn, error) {
	var t turn
	err := s.read(ctx, func(tx Tx) (err error) {
		if t.sub, err = tx.Subscription(ctx, id); err != nil || t.sub == nil || t.sub.State != Active {
			return err
		}
		if t.g, err = tx.Grant(ctx, t.sub.GrantID); err != nil {
			return err
		}
		if t.g == nil {
			return errors.New("grant of push subscription missing")
		}
		if t.refused = grant.Check(*t.g, now, t.sub.Items, t.g.Purpose.Scenario); t.refused != nil {
			return nil
		}
		if t.g.DeliveryMethod != application.BatchExchange { // changed since (service change, Art. 27 ¶3)
			t.refused = errMethod
			return nil
		}
		_, sc, err := schemaOf(ctx, tx, t.sub.EntryID)
		if err == nil {
			_, err = grantItems(t.g, sc, t.sub.Items)
		}
		if problem.CodeOf(err) != "" {
			t.refused = err
			return nil
		}
		if err != nil {
			return err
		}
		t.page, err = newView(t.sub.EntryID, subscriptionOwner(t.sub.ID), t.sub.Items).masking(t.g, sc).read(ctx, tx, t.sub.Progress.Cursor, DefaultLimit)
		return err
	})
	return t, err
}

func (s *Service) delivery(t turn, now time.Time) Delivery {
	d := Delivery{ID: newID(), SubscriptionID: t.sub.ID, GrantID: t.sub.GrantID, EntryID: t.sub.EntryID, DepartmentID: t.sub.SubscriberID,
		Mode: "push", Items: t.sub.Items, Purpose: t.g.Purpose.Scenario, Attempt: t.sub.Progress.Attempts + 1, At: now}
	if t.page != nil {
		d.Phase, d.FromSeq, d.ToSeq, d.Pin, d.Rows, d.Checksum = t.page.Phase, t.page.from, t.page.to, t.page.pin, t.page.Count, t.page.Checksum
	}
	return d
}

func (s *Service) recordPush(ctx context.Context, tx Tx, t turn, d Delivery, now time.Time) error {
	if err := tx.InsertDelivery(ctx, d); err != nil {
		return err
	}
	rec := pullRecord{DepartmentID: d.DepartmentID, GrantID: d.GrantID, SubscriptionID: d.SubscriptionID, Purpose: d.Purpose,
		Items: d.Items, Phase: d.Phase, Rows: d.Rows, Outcome: d.Outcome, HTTPStatus: d.HTTPStatus}
	if d.Outcome != "ok" {
		rec.Rows = 0
	}
	return ledger.Record(ctx, tx, now, platformFor(t.sub.ProviderID), ActionPush, ObjectOf(*t.sub), rec)
}

// endsPush is the reason a refusal ends a push subscription of a grant
// that still runs, "" when waiting may help: the grant no longer covers an
// item the subscription pushes, or its method is no longer batch exchange
// (a service change, Art. 27 ¶3). No retry can succeed then; the consumer
// subscribes again to what the grant now allows.
func endsPush(refused error) string {
	switch problem.CodeOf(refused) {
	case "grant.item_not_granted":
		return "共享授权已不含订阅的数据项（grant.item_not_granted），请按现行授权重新订阅"
	case errMethod.Code:
		return "共享授权的共享方式已不是批量交换（" + errMethod.Code + "）"
	}
	return ""
}

// refusePush records a push the grant no longer allows. A terminated,
// expired or disposed grant ends the subscription, as does a grant that no
// longer covers the subscription's items or method (endsPush); a suspended
// one is tried again after the back-off.
func (s *Service) refusePush(ctx context.Context, t turn, now time.Time) error {
	d := s.delivery(t, now)
	d.Outcome = outcome(t.refused)
	return s.write(context.WithoutCancel(ctx), func(tx Tx) error {
		if err := s.recordPush(ctx, tx, t, d, now); err != nil {
			return err
		}
		reason := endsPush(t.refused)
		switch t.g.StateAt(now) {
		case grant.Terminated, grant.Expired, grant.Disposed:
			reason = "共享授权已终止或到期（" + d.Outcome + "）"
		}
		if reason != "" {
			sub := *t.sub
			sub.State, sub.CancelledAt, sub.CancelReason = Ended, &now, reason
			sub.Version++
			sub.UpdatedAt = now
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
			return ledger.Record(ctx, tx, now, platformFor(sub.ProviderID), ActionEnd, ObjectOf(sub), sub)
		}
		n := t.sub.Progress.Attempts + 1
		return tx.FailPush(ctx, t.sub.ID, n, now.Add(Backoff(n)), 0, d.Outcome, now)
	})
}

// send POSTs the page and records the attempt; the cursor moves only on a
// 2xx answer.
func (s *Service) send(ctx context.Context, t turn, secret string, now time.Time) (bool, error) {
	d := s.delivery(t, now)
	var body bytes.Buffer
	body.Grow(len(t.page.Records) + 512)
	head := `"subscription_id":"` + t.sub.ID + `","grant_id":"` + t.sub.GrantID + `","delivery_id":"` + d.ID +
		`","cursor":"` + t.sub.Progress.Cursor + `","sent_at":"` + now.Format(time.RFC3339) + `",`
	t.page.appendBody(&body, head)
	status, reason := s.post(ctx, t.sub, d.ID, t.page.Checksum, secret, body.Bytes())
	d.HTTPStatus = status
	ok := reason == ""
	d.Outcome = "ok"
	if !ok {
		d.Outcome = reason
	}
	err := s.write(context.WithoutCancel(ctx), func(tx Tx) error {
		if err := s.recordPush(ctx, tx, t, d, now); err != nil {
			return err
		}
		if !ok {
			n := t.sub.Progress.Attempts + 1
			return tx.FailPush(ctx, t.sub.ID, n, now.Add(Backoff(n)), status, reason, now)
		}
		if _, err := tx.AdvancePush(ctx, t.sub.ID, t.sub.Progress.Cursor, t.page.NextCursor, t.page.Count, now); err != nil {
			return err
		}
		return application.MarkDelivered(ctx, tx, t.g.ApplicationID, t.g.DeliveryMethod, now)
	})
	return ok, err
}

// post sends one signed POST; reason is "" on a 2xx answer, else a stable
// code for the log (never the endpoint's own text, which may echo data).
func (s *Service) post(ctx context.Context, sub *Subscription, deliveryID, checksum, secret string, body []byte) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.EndpointURL, bytes.NewReader(body))
	if err != nil {
		return 0, "exchange.push_unreachable"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderSubscription, sub.ID)
	req.Header.Set(HeaderDelivery, deliveryID)
	req.Header.Set(HeaderChecksum, checksum)
	req.Header.Set(HeaderSignature, Sign(secret, body))
	resp, err := s.Client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
			return 0, "exchange.push_timeout"
		}
		return 0, "exchange.push_unreachable"
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, "exchange.push_rejected"
	}
	return resp.StatusCode, ""
}
