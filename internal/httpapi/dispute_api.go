package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/dispute"
	"github.com/govshare/govshare/internal/ledger"
)

// disputeRoutes is the disputes' part of the URL space (争议, Art. 28):
// negotiation between the parties, coordination by the authority, and the
// people's government's decision. The rules are in internal/dispute.
func (api *API) disputeRoutes() []Route {
	const base = "/api/v1/disputes"
	return []Route{
		{"GET", base, false, "List the disputes the caller may see (Art. 28)", api.listDisputes},
		{"POST", base, false, "Open a dispute against the other party (Art. 28)", api.openDispute},
		{"GET", base + "/{id}", false, "One dispute, its stages, record and outcome", api.getDispute},
		{"GET", base + "/{id}/events", false, "The recorded acts on a dispute", api.listDisputeEvents},
		{"POST", base + "/{id}/positions", false, "Add a party's position or the authority's note to the running stage", api.disputePosition},
		{"POST", base + "/{id}/agreement-proposal", false, "Propose an agreement in negotiation, for the other party to confirm or reject", api.disputePropose},
		{"POST", base + "/{id}/agreement-confirmation", false, "Confirm the other party's proposed agreement: the dispute is resolved", api.disputeConfirm},
		{"POST", base + "/{id}/agreement-rejection", false, "Reject the other party's proposed agreement: negotiation goes on", api.disputeReject},
		{"POST", base + "/{id}/coordination-request", false, "Declare negotiation failed and apply for coordination", api.disputeRequestCoordination},
		{"POST", base + "/{id}/coordination", false, "Record the authority's coordination and its outcome", api.disputeCoordinate},
		{"POST", base + "/{id}/decision", false, "Record the people's government's decision on a referred dispute", api.disputeDecide},
	}
}

func (api *API) listDisputes(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ds, err := api.app.Disputes.List(r.Context(), a, dispute.Filter{Limit: p.Limit, After: p.After, State: dispute.State(r.URL.Query().Get("state"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, nextCursor(ds, p.Limit, func(d dispute.Dispute) string { return d.ID })))
	return nil
}

func (api *API) openDispute(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in dispute.OpenInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d, err := api.app.Disputes.Open(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (api *API) getDispute(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	d, err := api.app.Disputes.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) listDisputeEvents(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	var after int64
	if c := r.URL.Query().Get("cursor"); c != "" {
		if after, err = strconv.ParseInt(c, 10, 64); err != nil || after < 0 {
			return malformed("cursor", "request.bad_parameter", "参数无效", "cursor must be the seq of the last event read")
		}
	}
	evs, err := api.app.Disputes.Events(r.Context(), a, r.PathValue("id"), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(evs, nextCursor(evs, limit, func(e ledger.Event) string { return strconv.FormatInt(e.Seq, 10) })))
	return nil
}

// disputeCommand decodes the body into a T and runs one dispute command on
// the dispute named in the path.
func disputeCommand[T any](api *API, run func(s *dispute.Service, ctx context.Context, a access.Actor, id string, in T) (dispute.Dispute, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, a access.Actor) error {
		var in T
		if err := decode(w, r, &in); err != nil {
			return err
		}
		d, err := run(api.app.Disputes, r.Context(), a, r.PathValue("id"), in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, d)
		return nil
	}
}

func (api *API) disputePosition(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).AddPosition)(w, r, a)
}

func (api *API) disputePropose(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).ProposeAgreement)(w, r, a)
}

func (api *API) disputeConfirm(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).ConfirmAgreement)(w, r, a)
}

func (api *API) disputeReject(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).RejectAgreement)(w, r, a)
}

func (api *API) disputeRequestCoordination(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).RequestCoordination)(w, r, a)
}

func (api *API) disputeCoordinate(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).Coordinate)(w, r, a)
}

func (api *API) disputeDecide(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return disputeCommand(api, (*dispute.Service).Decide)(w, r, a)
}
