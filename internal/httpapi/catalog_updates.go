package httpapi

import (
	"net/http"
	"strings"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
)

func (api *API) listObligations(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	os, err := api.app.Catalog.Obligations(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(os, ""))
	return nil
}

func (api *API) getObligation(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	o, err := api.app.Catalog.Obligation(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (api *API) recordChange(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var c catalog.Change
	if err := decode(w, r, &c); err != nil {
		return err
	}
	o, err := api.app.Catalog.RecordChange(r.Context(), a, r.PathValue("id"), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

type catalogExtensionRequest struct {
	Reason  string `json:"reason"`
	Version int64  `json:"version"`
}

func (api *API) requestUpdateExtension(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogExtensionRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	o, err := api.app.Catalog.RequestExtension(r.Context(), a, r.PathValue("id"), req.Reason, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

type catalogExtensionDecision struct {
	Grant   *bool  `json:"grant"`
	Note    string `json:"note"`
	Version int64  `json:"version"`
}

func (api *API) decideUpdateExtension(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogExtensionDecision
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Grant == nil {
		return malformed("grant", "request.field_required", "缺少字段", "grant (true or false) is required")
	}
	o, err := api.app.Catalog.DecideExtension(r.Context(), a, r.PathValue("id"), *req.Grant, req.Note, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (api *API) listDesignations(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := catalog.DesignationFilter{Region: q.Get("region"), After: p.After, Limit: p.Limit}
	if n := strings.TrimSpace(q.Get("data_name")); n != "" {
		f.DataNames = []string{n}
	}
	ds, err := api.app.Catalog.SourceDesignations(r.Context(), a, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, nextCursor(ds, p.Limit, func(d catalog.SourceDesignation) string { return d.ID })))
	return nil
}

func (api *API) designate(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalog.NewDesignation
	if err := decode(w, r, &req); err != nil {
		return err
	}
	d, err := api.app.Catalog.Designate(r.Context(), a, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}
