package httpapi

import (
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/catalog"
)

func (api *API) searchCatalog(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p, err := api.app.Catalog.Search(r.Context(), a, catalog.Query{Text: q.Get("q"), ProviderID: q.Get("provider_id"), Region: q.Get("region"),
		Attribute: catalog.Attribute(q.Get("attribute")), Method: catalog.Method(q.Get("method")), Grade: q.Get("grade"),
		Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (api *API) createEntry(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var d catalog.Draft
	if err := decode(w, r, &d); err != nil {
		return err
	}
	e, err := api.app.Catalog.Create(r.Context(), a, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (api *API) getEntry(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	e, err := api.app.Catalog.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// catalogDraftUpdate is a draft with the version the caller last read.
type catalogDraftUpdate struct {
	catalog.Draft
	Version int64 `json:"version"`
}

func (api *API) updateEntry(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogDraftUpdate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	e, err := api.app.Catalog.Update(r.Context(), a, r.PathValue("id"), req.Draft, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

type catalogAssessmentsRequest struct {
	catalog.Assessments
	Version int64 `json:"version"`
}

func (api *API) recordAssessments(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogAssessmentsRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	e, err := api.app.Catalog.RecordAssessments(r.Context(), a, r.PathValue("id"), req.Assessments, req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

type catalogVersionOnly struct {
	Version int64 `json:"version"`
}

func (api *API) submitEntry(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogVersionOnly
	if err := decode(w, r, &req); err != nil {
		return err
	}
	e, err := api.app.Catalog.Submit(r.Context(), a, r.PathValue("id"), req.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

type catalogPublishRequest struct {
	Version int64  `json:"version"`
	Opinion string `json:"opinion"`
}

func (api *API) publishEntry(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogPublishRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	e, err := api.app.Catalog.Publish(r.Context(), a, r.PathValue("id"), req.Version, req.Opinion)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

type catalogReturnRequest struct {
	Version int64  `json:"version"`
	Reasons string `json:"reasons"`
}

func (api *API) returnEntry(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req catalogReturnRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	e, err := api.app.Catalog.Return(r.Context(), a, r.PathValue("id"), req.Version, req.Reasons)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (api *API) listVersions(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	vs, err := api.app.Catalog.Versions(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(vs, ""))
	return nil
}

func (api *API) getVersion(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return malformed("n", "request.bad_parameter", "参数无效", "n must be a version number: 1, 2, …")
	}
	v, err := api.app.Catalog.Version(r.Context(), a, r.PathValue("id"), n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
