package httpapi

import (
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

func (api *API) gatewayQuery(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in delivery.QueryRequest
	if err := decodeStrict(body, &in); err != nil {
		return api.app.Delivery.RefuseQuery(r.Context(), c, in, err)
	}
	res, err := api.app.Delivery.Query(r.Context(), c, in)
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
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"result": res.Result, "found": res.Found})
	return nil
}
