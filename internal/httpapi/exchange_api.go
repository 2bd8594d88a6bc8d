package httpapi

import (
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/exchange"
	"github.com/govshare/govshare/internal/gateway"
)

// exchangeRoutes is batch exchange's part of the URL space: push
// subscriptions of batch-exchange grants and the return flows of Art. 24,
// with each one's delivery log. The pulls themselves are gateway routes
// (exchangeGatewayRoutes).
func (api *API) exchangeRoutes() []Route {
	const base = "/api/v1/exchange/subscriptions"
	return []Route{
		{"GET", base, false, "List the push subscriptions and return flows the caller may see", api.listSubscriptions},
		{"POST", base, false, "Register a push endpoint for a batch-exchange grant, or order a return flow (Art. 24)", api.createSubscription},
		{"GET", base + "/{id}", false, "One subscription, with its delivery progress", api.getSubscription},
		{"POST", base + "/{id}/cancel", false, "Cancel a subscription for good", api.cancelSubscription},
		{"PUT", base + "/{id}/schedule", false, "Set how often a push subscription is pushed (the provider's office)", api.scheduleSubscription},
		{"GET", base + "/{id}/deliveries", false, "A subscription's delivery log: every pull and push attempt", api.listSubscriptionDeliveries},
	}
}

// exchangeGatewayRoutes are the pulls a consumer's or a lower-level
// department's application systems make with signed requests.
func (api *API) exchangeGatewayRoutes() []gatewayRoute {
	return []gatewayRoute{
		{"POST", "/gateway/v1/exchange/pull", "Pull the next page of a batch-exchange grant: snapshot, then changes", api.gatewayPull},
		{"POST", "/gateway/v1/exchange/return-flow/pull", "Pull the next page of a return flow (Art. 24)", api.gatewayReturnFlowPull},
	}
}

func (api *API) listSubscriptions(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	ss, err := api.app.Exchange.List(r.Context(), a, exchange.Filter{Limit: p.Limit, After: p.After, Kind: exchange.Kind(q.Get("kind")),
		State: exchange.State(q.Get("state")), GrantID: q.Get("grant_id"), EntryID: q.Get("entry_id")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ss, nextCursor(ss, p.Limit, func(x exchange.Subscription) string { return x.ID })))
	return nil
}

// errSubscribeIdempotent refuses an Idempotency-Key on a push subscription:
// its answer holds the signing secret, which must never be stored in clear.
var errSubscribeIdempotent = malformed(IdempotencyHeader, "exchange.idempotency_unsupported", "推送订阅不支持 Idempotency-Key",
	"the push secret is shown once and never stored, so this answer cannot be replayed; send without the key, and list the grant's subscriptions if an answer was lost")

func (api *API) createSubscription(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in exchange.NewSubscription
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if in.Kind == exchange.Push && r.Header.Get(IdempotencyHeader) != "" {
		return errSubscribeIdempotent
	}
	c, err := api.app.Exchange.Subscribe(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/exchange/subscriptions/"+c.ID)
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (api *API) getSubscription(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	s, err := api.app.Exchange.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (api *API) cancelSubscription(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in exchange.CancelInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := api.app.Exchange.Cancel(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (api *API) scheduleSubscription(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in exchange.ScheduleInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := api.app.Exchange.Schedule(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (api *API) listSubscriptionDeliveries(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ds, err := api.app.Exchange.Deliveries(r.Context(), a, r.PathValue("id"), p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, nextCursor(ds, p.Limit, func(x exchange.Delivery) string { return x.ID })))
	return nil
}

// writePage answers a pull with the page's body as built, byte for byte:
// the checksum covers the records exactly as sent.
func writePage(w http.ResponseWriter, p *exchange.Page) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(p.Size()))
	w.Header().Set(exchange.HeaderChecksum, p.Checksum)
	w.WriteHeader(http.StatusOK)
	// A write that fails has lost the client; the page was recorded, and
	// the client resumes from the cursor it last received.
	_, _ = p.WriteTo(w)
	return nil
}

func (api *API) gatewayPull(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in exchange.PullRequest
	if err := decodeStrict(body, &in); err != nil {
		return api.app.Exchange.RefusePull(r.Context(), c, in.GrantID, "", err)
	}
	p, err := api.app.Exchange.Pull(r.Context(), c, in)
	if err != nil {
		return err
	}
	return writePage(w, p)
}

func (api *API) gatewayReturnFlowPull(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in exchange.ReturnFlowPullRequest
	if err := decodeStrict(body, &in); err != nil {
		return api.app.Exchange.RefusePull(r.Context(), c, "", in.SubscriptionID, err)
	}
	p, err := api.app.Exchange.PullReturnFlow(r.Context(), c, in)
	if err != nil {
		return err
	}
	return writePage(w, p)
}
