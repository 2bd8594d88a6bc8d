package httpapi

import (
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/gateway"
)

// credentialRoutes is the application systems' part of the URL space: a
// consumer department's systems (应用系统) and the credentials they sign
// service-interface requests with (Art. 22).
func (api *API) credentialRoutes() []Route {
	const base = "/api/v1/systems"
	return []Route{
		{"GET", base, false, "List the application systems the caller may see", api.listSystems},
		{"POST", base, false, "Register an application system of the caller's department", api.registerSystem},
		{"GET", base + "/{id}", false, "One application system, with its credentials (never their secrets)", api.getSystem},
		{"POST", base + "/{id}/disable", false, "Disable an application system for good", api.disableSystem},
		{"PUT", base + "/{id}/grants", false, "Bind an application system to the grants it may use", api.bindSystemGrants},
		{"POST", base + "/{id}/credentials", false, "Issue or rotate the system's credential; the secret is shown only in this answer", api.issueCredential},
		{"POST", base + "/{id}/credentials/{key}/revoke", false, "Revoke a credential at once", api.revokeCredential},
	}
}

// systems is the gateway service the handlers use.
// WIRING: once app.App carries the service, this becomes `return api.app.Gateway`.
// Until then the service has no keyring: issuing a credential answers 500
// gateway.keyring_missing, everything else works.
func (api *API) systems() *gateway.Service {
	return api.app.Gateway
}

func (api *API) listSystems(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ss, err := api.systems().List(r.Context(), a, gateway.Filter{Limit: p.Limit, After: p.After})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ss, nextCursor(ss, p.Limit, func(x gateway.System) string { return x.ID })))
	return nil
}

func (api *API) registerSystem(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in gateway.NewSystem
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := api.systems().Register(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/systems/"+s.ID)
	writeJSON(w, http.StatusCreated, s)
	return nil
}

func (api *API) getSystem(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	s, err := api.systems().Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (api *API) disableSystem(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in gateway.Version
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := api.systems().Disable(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (api *API) bindSystemGrants(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in gateway.Binding
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := api.systems().BindGrants(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

// errIssueIdempotent refuses an Idempotency-Key on issuing: the idempotency
// store keeps answers, and this answer holds a secret that must never be
// stored in clear. A client whose answer was lost simply rotates again.
var errIssueIdempotent = malformed(IdempotencyHeader, "system.idempotency_unsupported", "签发访问密钥不支持 Idempotency-Key",
	"the secret is shown once and never stored, so this answer cannot be replayed; send without the key, and rotate if an answer was lost")

func (api *API) issueCredential(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if r.Header.Get(IdempotencyHeader) != "" {
		return errIssueIdempotent
	}
	iss, err := api.systems().IssueCredential(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // the secret is in this answer only
	writeJSON(w, http.StatusCreated, iss)
	return nil
}

func (api *API) revokeCredential(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	s, err := api.systems().RevokeCredential(r.Context(), a, r.PathValue("id"), r.PathValue("key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}
