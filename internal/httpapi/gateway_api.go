package httpapi

import (
	"errors"
	"net/http"

	"github.com/govshare/govshare/internal/delivery"
	"github.com/govshare/govshare/internal/gateway"
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
// match or mismatch, never data. The rules and the ledger record of each
// call are delivery.Service's; the handlers only decode and translate.
func (api *API) gatewayRoutes() []gatewayRoute {
	routes := []gatewayRoute{
		{"POST", "/gateway/v1/query", "Read the granted items of one row by its key items", api.gatewayQuery},
		{"POST", "/gateway/v1/verify", "Verify values against one row without returning data (核验)", api.gatewayVerify},
	}
	routes = append(routes, api.fileGatewayRoutes()...)
	routes = append(routes, api.exchangeGatewayRoutes()...)
	routes = append(routes, api.datasetGatewayRoutes()...)
	return routes
}

// nonceWithEvent are the routes whose handler records the request's nonce
// in the same write transaction as the call's event (gateway.Check,
// delivery's finish), saving a durable commit per call; the others have it
// recorded by gateway.Verify before they run.
var nonceWithEvent = map[string]bool{"/gateway/v1/query": true, "/gateway/v1/verify": true}

// wrapGateway reads the body, verifies the signature and serves; every error
// is a problem. A request refused at its signature or credential is
// recorded (sampled against floods: delivery.RefuseSignature).
func (api *API) wrapGateway(rt gatewayRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		// A GET (or HEAD) has no body: it is signed over the empty body, and
		// anything sent with it is not read.
		var body []byte
		var err error
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			body, err = readBody(w, r)
		}
		if err == nil {
			var c gateway.Caller
			verify := api.app.Gateway.Verify
			if nonceWithEvent[rt.Pattern] {
				verify = api.app.Gateway.Check
			}
			verified := false
			if c, err = verify(r, body, api.app.Now()); err == nil {
				verified = true
				setActor(r, c.SystemID)
				err = rt.handle(w, r, c, body)
			}
			// A replay is found by Verify or Check, or, for a nonce left to
			// the call, by the write that records it: refused alike.
			if !verified || errors.Is(err, gateway.ErrReplayed) {
				err = api.app.Delivery.RefuseSignature(r.Context(), delivery.SignatureRefusal{
					KeyID: r.Header.Get(gateway.HeaderKey), Path: rt.Pattern, RemoteAddr: r.RemoteAddr}, err)
			}
		}
		if err != nil {
			writeProblem(w, r, api.log, err)
		}
	})
}

func (api *API) gatewayQuery(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in delivery.QueryRequest
	if err := decodeStrict(body, &in); err != nil {
		return api.app.Delivery.RefuseQuery(r.Context(), c, in, err)
	}
	res, err := api.app.Delivery.Query(r.Context(), c, in)
	setAllowance(w, res.Allowance)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows": res.Rows})
	return nil
}

func (api *API) gatewayVerify(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in delivery.VerifyRequest
	if err := decodeStrict(body, &in); err != nil {
		return api.app.Delivery.RefuseVerify(r.Context(), c, in, err)
	}
	res, err := api.app.Delivery.Verify(r.Context(), c, in)
	setAllowance(w, res.Allowance)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": res.Result, "found": res.Found})
	return nil
}
