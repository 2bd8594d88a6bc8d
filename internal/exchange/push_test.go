package exchange_test

import (
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/govshare/govshare/internal/application"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/grant"
	"github.com/govshare/govshare/internal/store"
	"github.com/govshare/govshare/internal/storetest"
)

// endpoint is a consumer's real HTTP endpoint: it checks each push's
// signature and checksum, answers fail times with 500 first, then applies
// the pages to its copy.
type endpoint struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	fail   int
	got    []body // every push received, acknowledged or not
	acked  []body
	rep    *replica
	srv    *httptest.Server
}

func newEndpoint(t *testing.T, fail int) *endpoint {
	ep := &endpoint{t: t, fail: fail, rep: newReplica("统一社会信用代码", "企业名称")}
	ep.srv = httptest.NewServer(http.HandlerFunc(ep.serve))
	t.Cleanup(ep.srv.Close)
	return ep
}

func (ep *endpoint) serve(w http.ResponseWriter, r *http.Request) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	if want := exchange.Sign(ep.secret, b); !hmac.Equal([]byte(want), []byte(r.Header.Get(exchange.HeaderSignature))) {
		ep.t.Errorf("push signature %q does not verify", r.Header.Get(exchange.HeaderSignature))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	page := decodeBody(ep.t, b)
	if r.Header.Get(exchange.HeaderChecksum) != page.Checksum {
		ep.t.Errorf("checksum header %q, body %q", r.Header.Get(exchange.HeaderChecksum), page.Checksum)
	}
	var meta struct {
		SubscriptionID string `json:"subscription_id"`
		DeliveryID     string `json:"delivery_id"`
	}
	_ = json.Unmarshal(b, &meta)
	if meta.SubscriptionID != r.Header.Get(exchange.HeaderSubscription) || meta.DeliveryID != r.Header.Get(exchange.HeaderDelivery) {
		ep.t.Errorf("headers %v do not match the body's %+v", r.Header, meta)
	}
	ep.got = append(ep.got, page)
	if ep.fail > 0 {
		ep.fail--
		http.Error(w, "temporarily unavailable", http.StatusInternalServerError)
		return
	}
	ep.rep.apply(ep.t, page)
	ep.acked = append(ep.acked, page)
	w.WriteHeader(http.StatusNoContent)
}

// TestPush: the consumer's office registers a real endpoint for its
// batch-exchange grant; the pusher sends the snapshot, the endpoint fails
// once, the cursor stays, the same page is sent again after the back-off and
// acknowledged; later changes follow. The endpoint's copy equals the
// provider's data, granted items only; every attempt is logged.
func TestPush(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		var rows []dataset.Row
		for n := range 2300 {
			rows = append(rows, company(n, 0))
		}
		e.replace("scjg.staff", companies, rows)
		ep := newEndpoint(t, 1)

		// Only the consumer's office registers, only for a batch-exchange grant.
		if _, err := e.app.Exchange.Subscribe(e.ctx, e.as("scjg.head"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL}); code(err) != "auth.forbidden" {
			t.Fatalf("provider registers a push: %v", err)
		}
		if _, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: "ftp://x"}); field(err) != "endpoint_url" {
			t.Fatalf("ftp endpoint: %v", err)
		}
		created, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.head"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL}); code(err) != "exchange.subscription_exists" {
			t.Fatalf("second push subscription: %v", err)
		}
		ep.secret = created.Secret
		sub := created.Subscription

		// First round: the first page fails; nothing moves.
		rep, err := e.app.Exchange.PushDue(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Pages != 0 || rep.Failures != 1 || len(ep.got) != 1 {
			t.Fatalf("first round %+v, %d received", rep, len(ep.got))
		}
		got, err := e.app.Exchange.Get(e.ctx, e.as("gat.staff"), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Progress.Cursor != "" || got.Progress.Attempts != 1 || got.Progress.LastStatus != 500 ||
			got.Progress.NextAttemptAt == nil || !got.Progress.NextAttemptAt.Equal(e.clock.Now().Add(exchange.FirstBackoff)) {
			t.Fatalf("after a failure: %+v", got.Progress)
		}
		// Not due before the back-off.
		if rep, err = e.app.Exchange.PushDue(e.ctx); err != nil || rep.Subscriptions != 0 || len(ep.got) != 1 {
			t.Fatalf("before the back-off: %+v %v", rep, err)
		}
		e.clock.Advance(exchange.FirstBackoff)
		if rep, err = e.app.Exchange.PushDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		if rep.Pages != 3 || rep.Rows != 2300 || rep.Failures != 0 {
			t.Fatalf("second round %+v", rep)
		}
		if ep.got[0].Checksum != ep.got[1].Checksum || ep.got[0].NextCursor != ep.got[1].NextCursor {
			t.Error("the page sent again differs from the failed one")
		}
		same(t, "after the snapshot", ep.rep.rows, e.provider(companies, granted, ep.rep.keys, nil))

		// Changes follow on the next round.
		e.clock.Advance(time.Minute)
		e.load("scjg.staff", companies, []dataset.Row{company(5, 1), company(3000, 0)})
		e.remove("scjg.staff", companies, []dataset.Row{companyKey(6)})
		if rep, err = e.app.Exchange.PushDue(e.ctx); err != nil || rep.Rows != 3 {
			t.Fatalf("changes round %+v %v", rep, err)
		}
		same(t, "after the changes", ep.rep.rows, e.provider(companies, granted, ep.rep.keys, nil))
		// Caught up: nothing is sent.
		before := len(ep.got)
		if rep, err = e.app.Exchange.PushDue(e.ctx); err != nil || rep.Pages != 0 || len(ep.got) != before {
			t.Fatalf("caught-up round %+v %v", rep, err)
		}

		log, err := e.app.Exchange.Deliveries(e.ctx, e.as("gat.staff"), sub.ID, "", 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 5 || log[0].Outcome != "exchange.push_rejected" || log[0].HTTPStatus != 500 || log[1].Outcome != "ok" || log[1].Attempt != 2 {
			t.Fatalf("delivery log %+v", log)
		}
		if n := len(e.events(exchange.ActionPush, sub.ID)); n != 5 {
			t.Errorf("%d push events, want 5", n)
		}
		if a := e.application(g.ApplicationID); a.Delivered == nil {
			t.Error("an acknowledged push did not close the delivery obligation")
		}

		// A suspended grant pushes nothing and waits; a terminated one ends
		// the subscription.
		head := e.as("scjg.head")
		cur, _ := e.app.Grants.Get(e.ctx, head, g.ID)
		cur, err = e.app.Grants.Suspend(e.ctx, head, g.ID, grant.SuspendInput{Grounds: grant.OtherGrounds, Reasons: []string{"核查"}, Evidence: "核查记录", RectifyDays: 10, Version: cur.Version})
		if err != nil {
			t.Fatal(err)
		}
		e.load("scjg.staff", companies, []dataset.Row{company(8, 1)})
		if rep, err = e.app.Exchange.PushDue(e.ctx); err != nil || rep.Failures != 1 || len(ep.got) != before {
			t.Fatalf("suspended round %+v %v", rep, err)
		}
		if _, err = e.app.Grants.Terminate(e.ctx, head, g.ID, grant.ChangeInput{Reasons: []string{"终止"}, Evidence: "核查记录", Version: cur.Version}); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour)
		if _, err = e.app.Exchange.PushDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ = e.app.Exchange.Get(e.ctx, e.as("gat.staff"), sub.ID); got.State != exchange.Ended {
			t.Errorf("after termination the subscription is %s", got.State)
		}
	})
}

// TestStartPusher: the pusher that serve starts pushes on its own, and stop
// returns only once it has stopped.
func TestStartPusher(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		e.replace("scjg.staff", companies, []dataset.Row{company(1, 0), company(2, 0)})
		ep := newEndpoint(t, 0)
		created, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		ep.secret = created.Secret
		stop := e.app.Exchange.StartPusher(e.ctx, 20*time.Millisecond, func(err error) { t.Error(err) })
		deadline := time.Now().Add(10 * time.Second)
		for {
			ep.mu.Lock()
			n := len(ep.rep.rows)
			ep.mu.Unlock()
			if n == 2 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the pusher sent nothing within 10s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop()
		e.load("scjg.staff", companies, []dataset.Row{company(3, 0)})
		time.Sleep(100 * time.Millisecond)
		ep.mu.Lock()
		defer ep.mu.Unlock()
		if len(ep.rep.rows) != 2 {
			t.Error("the pusher pushed after stop returned")
		}
	})
}

// TestPushTurnEndsInsideLease: a slow endpoint (each push takes two
// minutes of the clock) makes the turn stop before the pusher's lease runs
// out, so that no page is sent while another node's pusher may have claimed
// the subscription; the next round goes on from the cursor, and the copy
// ends complete.
func TestPushTurnEndsInsideLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		var rows []dataset.Row
		for n := range 4500 {
			rows = append(rows, company(n, 0))
		}
		e.replace("scjg.staff", companies, rows)
		var starts []time.Time // the pusher waits for each answer: no lock needed
		ep := &endpoint{t: t, rep: newReplica("统一社会信用代码", "企业名称")}
		ep.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			starts = append(starts, e.clock.Now())
			e.clock.Advance(2 * time.Minute)
			ep.serve(w, r)
		}))
		t.Cleanup(ep.srv.Close)
		created, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		ep.secret = created.Secret
		claimed := e.clock.Now()
		rep, err := e.app.Exchange.PushDue(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Pages == 0 || rep.Pages == 5 {
			t.Fatalf("first round %+v: want it cut short by the lease", rep)
		}
		for i, at := range starts {
			if !at.Before(claimed.Add(exchange.PushLease - exchange.PushTimeout)) {
				t.Errorf("push %d started at %s, after the lease of the turn begun at %s had (nearly) run out", i, at, claimed)
			}
		}
		for range 5 {
			if _, err := e.app.Exchange.PushDue(e.ctx); err != nil {
				t.Fatal(err)
			}
		}
		if len(ep.acked) != 5 {
			t.Errorf("%d pages acknowledged, want 5 (no page twice, none lost)", len(ep.acked))
		}
		same(t, "after the rounds", ep.rep.rows, e.provider(companies, granted, ep.rep.keys, nil))
	})
}

// A pusher's release ends only its own lease: once its lease ran out and
// another pusher claimed the subscription, the late release of the first
// leaves the second's claim in place, so no third pusher can send the same
// page meanwhile.
func TestReleaseEndsOnlyOwnLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := newEnv(t, s)
		g := e.grantFor("gat", companies, granted, application.BatchExchange)
		ep := newEndpoint(t, 0)
		created, err := e.app.Exchange.Subscribe(e.ctx, e.as("gat.staff"), exchange.NewSubscription{Kind: exchange.Push, GrantID: g.ID, EndpointURL: ep.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		claim := func(now, until time.Time) bool {
			var ok bool
			if err := s.Write(e.ctx, func(tx *store.Tx) (err error) { ok, err = tx.ClaimPush(e.ctx, created.ID, now, until); return err }); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		t0 := time.Date(2026, 9, 28, 2, 0, 0, 0, time.UTC)
		first, second := t0.Add(5*time.Minute), t0.Add(11*time.Minute)
		if !claim(t0, first) || claim(t0.Add(time.Minute), t0.Add(6*time.Minute)) {
			t.Fatal("the first claim did not hold")
		}
		if !claim(first.Add(time.Second), second) {
			t.Fatal("an expired lease could not be claimed")
		}
		if err := s.Write(e.ctx, func(tx *store.Tx) error { return tx.ReleasePush(e.ctx, created.ID, first) }); err != nil {
			t.Fatal(err)
		}
		if claim(first.Add(2*time.Second), first.Add(7*time.Minute)) {
			t.Fatal("the first pusher's late release freed the second pusher's lease")
		}
		if err := s.Write(e.ctx, func(tx *store.Tx) error { return tx.ReleasePush(e.ctx, created.ID, second) }); err != nil {
			t.Fatal(err)
		}
		if !claim(first.Add(3*time.Second), first.Add(8*time.Minute)) {
			t.Fatal("the holder's release did not free the subscription")
		}
	})
}
