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
		cur, err = e.app.Grants.Suspend(e.ctx, head, g.ID, grant.ChangeInput{Reasons: []string{"核查"}, Version: cur.Version})
		if err != nil {
			t.Fatal(err)
		}
		e.load("scjg.staff", companies, []dataset.Row{company(8, 1)})
		if rep, err = e.app.Exchange.PushDue(e.ctx); err != nil || rep.Failures != 1 || len(ep.got) != before {
			t.Fatalf("suspended round %+v %v", rep, err)
		}
		if _, err = e.app.Grants.Terminate(e.ctx, head, g.ID, grant.ChangeInput{Reasons: []string{"终止"}, Version: cur.Version}); err != nil {
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
