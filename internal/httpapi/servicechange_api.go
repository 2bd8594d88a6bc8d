package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/servicechange"
)

// serviceChangeRoutes is the URL space of a provider's ending or changing
// of a delivered service (Art. 27 ¶3): the proposal, the consultation of
// the consumers concerned, the filing with the same-level authority and its
// answer. The rules are in internal/servicechange.
func (api *API) serviceChangeRoutes() []Route {
	const base = "/api/v1/service-changes"
	return []Route{
		{"GET", base, false, "List the service changes the caller may see", api.listServiceChanges},
		{"POST", base, false, "Propose to end or change the delivered service of one's own entry (Art. 27)", api.proposeServiceChange},
		{"GET", base + "/{id}", false, "One service change with its consultation, filing and timeline", api.getServiceChange},
		{"POST", base + "/{id}/answers", false, "A consumer concerned answers the consultation", api.answerServiceChange},
		{"POST", base + "/{id}/filing", false, "File the change with the same-level authority once the consultation is over", api.fileServiceChange},
		{"POST", base + "/{id}/acknowledge", false, "The authority acknowledges the filing", api.acknowledgeServiceChange},
		{"POST", base + "/{id}/return", false, "The authority returns the filing with reasons", api.returnServiceChange},
		{"POST", base + "/{id}/withdraw", false, "The provider withdraws the change before it takes effect", api.withdrawServiceChange},
		{"POST", base + "/{id}/effect", false, "Put an acknowledged change into effect on or after its effective date", api.effectServiceChange},
	}
}

func (api *API) listServiceChanges(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := servicechange.Filter{Limit: p.Limit, After: p.After, EntryID: q.Get("entry_id")}
	if st := q.Get("state"); st != "" {
		for _, s := range strings.Split(st, ",") {
			f.States = append(f.States, servicechange.State(strings.TrimSpace(s)))
		}
	}
	cs, err := api.app.ServiceChanges.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(cs, nextCursor(cs, p.Limit, func(c servicechange.ServiceChange) string { return c.ID })))
	return nil
}

func (api *API) proposeServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in servicechange.Proposal
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := api.app.ServiceChanges.Propose(r.Context(), a, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (api *API) getServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	c, err := api.app.ServiceChanges.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// serviceChangeCommand decodes the body into a T and runs one command on
// the change named in the path.
func serviceChangeCommand[T any](api *API, run func(s *servicechange.Service, ctx context.Context, a access.Actor, id string, in T) (servicechange.ServiceChange, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, a access.Actor) error {
		var in T
		if err := decode(w, r, &in); err != nil {
			return err
		}
		c, err := run(api.app.ServiceChanges, r.Context(), a, r.PathValue("id"), in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, c)
		return nil
	}
}

func (api *API) answerServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return serviceChangeCommand(api, (*servicechange.Service).Answer)(w, r, a)
}

func (api *API) fileServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return serviceChangeCommand(api, (*servicechange.Service).File)(w, r, a)
}

func (api *API) acknowledgeServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return serviceChangeCommand(api, (*servicechange.Service).Acknowledge)(w, r, a)
}

func (api *API) returnServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return serviceChangeCommand(api, (*servicechange.Service).Return)(w, r, a)
}

func (api *API) withdrawServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return serviceChangeCommand(api, (*servicechange.Service).Withdraw)(w, r, a)
}

func (api *API) effectServiceChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return serviceChangeCommand(api, (*servicechange.Service).PutIntoEffect)(w, r, a)
}
