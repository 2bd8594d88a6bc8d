package httpapi

import (
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/upstream"
)

// upstreamRoutes is the proxied services' part of the URL space: a
// provider's sharing office registers an endpoint of its own system that
// serves one of its published entries through the gateway (Art. 22).
func (api *API) upstreamRoutes() []Route {
	const base = "/api/v1/upstreams"
	return []Route{
		{"GET", base, false, "List the upstream endpoints (proxied services) the caller may see", api.listUpstreams},
		{"POST", base, false, "Register an upstream endpoint that serves a published entry; the signing secret is shown only in this answer", api.registerUpstream},
		{"GET", base + "/{id}", false, "One upstream endpoint (never its secret)", api.getUpstream},
		{"POST", base + "/{id}/disable", false, "Disable an upstream endpoint for good", api.disableUpstream},
	}
}

func (api *API) listUpstreams(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	es, err := api.app.Upstreams.List(r.Context(), a, upstream.Filter{Limit: p.Limit, After: p.After, EntryID: r.URL.Query().Get("entry_id")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(es, nextCursor(es, p.Limit, func(x upstream.Endpoint) string { return x.ID })))
	return nil
}

// errUpstreamIdempotent refuses an Idempotency-Key on registering: the
// answer holds the secret, which the idempotency store must never keep.
var errUpstreamIdempotent = malformed(IdempotencyHeader, "upstream.idempotency_unsupported", "登记上游服务不支持 Idempotency-Key",
	"the secret is shown once and never stored, so this answer cannot be replayed; if an answer was lost, disable the endpoint and register again")

func (api *API) registerUpstream(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if r.Header.Get(IdempotencyHeader) != "" {
		return errUpstreamIdempotent
	}
	var in upstream.NewEndpoint
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := api.app.Upstreams.Register(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/upstreams/"+e.ID)
	w.Header().Set("Cache-Control", "no-store") // the secret is in this answer only
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (api *API) getUpstream(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	e, err := api.app.Upstreams.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (api *API) disableUpstream(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in upstream.Version
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := api.app.Upstreams.Disable(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}
