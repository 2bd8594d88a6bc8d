package httpapi

import (
	"context"
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/grant"
)

// grantRoutes is the grants' part of the URL space: what an approved
// application gives, and the provider's control over it (Art. 22, 25, 27).
func (api *API) grantRoutes() []Route {
	const base = "/api/v1/grants"
	return []Route{
		{"GET", base, false, "List the grants the caller may see", api.listGrants},
		{"GET", base + "/{id}", false, "One grant, its state as of now, history and consents", api.getGrant},
		{"POST", base + "/{id}/suspend", false, "Suspend an active grant: grounds, reasons, evidence and a deadline for rectification (Art. 27 ¶2)", api.suspendGrant},
		{"POST", base + "/{id}/resume", false, "The suspender restores a suspended grant, with reasons", api.resumeGrant},
		{"POST", base + "/{id}/terminate", false, "Terminate an active or suspended grant for good, with reasons and evidence", api.terminateGrant},
		{"POST", base + "/{id}/rectifications", false, "The consumer reports its rectification of a suspended grant (Art. 27 ¶2)", api.rectifyGrant},
		{"PUT", base + "/{id}/disposal-requirement", false, "The provider states how the data is to be disposed of (Art. 27 ¶1)", api.requireDisposal},
		{"POST", base + "/{id}/disposal", false, "The consumer records its disposal of the data (Art. 27 ¶1)", api.disposeGrant},
		{"POST", base + "/{id}/consents", false, "Record the provider's consent to re-share to a third department (Art. 25)", api.consentGrant},
	}
}

func (api *API) listGrants(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	gs, err := api.app.Grants.List(r.Context(), a, grant.Filter{Limit: p.Limit, After: p.After,
		Role: q.Get("role"), ApplicationID: q.Get("application_id"), EntryID: q.Get("entry_id"), Disposal: q.Get("disposal")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(gs, nextCursor(gs, p.Limit, func(x grant.Grant) string { return x.ID })))
	return nil
}

func (api *API) getGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	g, err := api.app.Grants.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

// grantCommand decodes the body into a T and runs one grant command on the
// grant named in the path.
func grantCommand[T any](api *API, run func(s *grant.Service, ctx context.Context, a access.Actor, id string, in T) (grant.Grant, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, a access.Actor) error {
		var in T
		if err := decode(w, r, &in); err != nil {
			return err
		}
		g, err := run(api.app.Grants, r.Context(), a, r.PathValue("id"), in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, g)
		return nil
	}
}

func (api *API) suspendGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).Suspend)(w, r, a)
}

func (api *API) resumeGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).Resume)(w, r, a)
}

func (api *API) terminateGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).Terminate)(w, r, a)
}

func (api *API) consentGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).RecordConsent)(w, r, a)
}

func (api *API) rectifyGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).ReportRectification)(w, r, a)
}

func (api *API) requireDisposal(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).SetDisposalRequirement)(w, r, a)
}

func (api *API) disposeGrant(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return grantCommand(api, (*grant.Service).Dispose)(w, r, a)
}
