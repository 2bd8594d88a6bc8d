package httpapi

import (
	"encoding/json"
	"errors"
	"math"
	"mime"
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/dataset"
	"github.com/govshare/govshare/internal/gateway"
)

// datasetRoutes is the hosted datasets' part of the URL space: the provider
// loads the rows of its published entries, and reads the change feed that
// batch exchange will page through.
func (api *API) datasetRoutes() []Route {
	const base = "/api/v1/datasets/{entry_id}"
	return []Route{
		{"GET", base, false, "The state of an entry's hosted dataset: version, row count, last change number", api.getDataset},
		{"PUT", base + "/rows", false, "Load rows into an entry's hosted dataset (upsert or replace)", api.loadDataset},
		{"POST", base + "/uploads", false, "Load a CSV or XLSX file of rows into an entry's hosted dataset", api.uploadDataset},
		{"POST", base + "/deletions", false, "Delete rows of an entry's hosted dataset by key", api.deleteDatasetRows},
		{"GET", base + "/changes", false, "The dataset's change feed, after a change number", api.datasetChanges},
	}
}

// datasetGatewayRoutes let a provider's application systems load and delete
// the rows of their department's entries with signed requests, as its
// sharing office does through /api/v1.
func (api *API) datasetGatewayRoutes() []gatewayRoute {
	return []gatewayRoute{
		{"POST", "/gateway/v1/datasets/{entry_id}/rows", "Load rows into the hosted dataset of the system's department's entry", api.gatewayLoadRows},
		{"POST", "/gateway/v1/datasets/{entry_id}/deletions", "Delete rows of the hosted dataset of the system's department's entry", api.gatewayDeleteRows},
	}
}

func (api *API) gatewayLoadRows(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in dataset.Load
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	res, err := api.app.Datasets.LoadBySystem(r.Context(), dataset.System{ID: c.SystemID, DepartmentID: c.DepartmentID}, r.PathValue("entry_id"), in)
	return api.datasetResult(w, r, res, err)
}

func (api *API) gatewayDeleteRows(w http.ResponseWriter, r *http.Request, c gateway.Caller, body []byte) error {
	var in dataset.Deletion
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	res, err := api.app.Datasets.DeleteBySystem(r.Context(), dataset.System{ID: c.SystemID, DepartmentID: c.DepartmentID}, r.PathValue("entry_id"), in)
	return api.datasetResult(w, r, res, err)
}

// datasetRowsProblem is the 422 answer to a load with bad rows: the problem
// document with every bad value in errors.
type datasetRowsProblem struct {
	Problem
	Errors []dataset.RowError `json:"errors"`
}

// datasetResult answers a load or deletion, or a load's bad rows.
func (api *API) datasetResult(w http.ResponseWriter, r *http.Request, res dataset.Result, err error) error {
	var bad *dataset.InvalidRows
	if errors.As(err, &bad) {
		p := bad.Problem()
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		return json.NewEncoder(w).Encode(datasetRowsProblem{
			Problem: Problem{Type: "urn:govshare:problem:" + p.Code, Title: p.Title, Status: http.StatusUnprocessableEntity, Detail: p.Detail,
				Instance: r.URL.Path, Code: p.Code},
			Errors: bad.Errors,
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (api *API) loadDataset(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in dataset.Load
	if err := decode(w, r, &in); err != nil {
		return err
	}
	res, err := api.app.Datasets.Load(r.Context(), a, r.PathValue("entry_id"), in)
	return api.datasetResult(w, r, res, err)
}

// uploadFormats maps an upload's media type to its format.
var uploadFormats = map[string]string{
	"text/csv": dataset.CSV,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": dataset.XLSX,
}

func (api *API) uploadDataset(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	// An unknown media type gives an empty format, refused by the service
	// after its rights check: nobody else's upload is read at all.
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	in := dataset.Upload{Format: uploadFormats[mt], Body: r.Body, Mode: dataset.Upsert}
	if m := r.URL.Query().Get("mode"); m != "" {
		in.Mode = dataset.Mode(m)
	}
	if r.URL.Query().Has("version") {
		v, err := queryInt(r, "version", 0, 0, math.MaxInt)
		if err != nil {
			return err
		}
		v64 := int64(v)
		in.Version = &v64
	}
	res, err := api.app.Datasets.Upload(r.Context(), a, r.PathValue("entry_id"), in)
	return api.datasetResult(w, r, res, err)
}

func (api *API) deleteDatasetRows(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in dataset.Deletion
	if err := decode(w, r, &in); err != nil {
		return err
	}
	res, err := api.app.Datasets.Delete(r.Context(), a, r.PathValue("entry_id"), in)
	return api.datasetResult(w, r, res, err)
}

func (api *API) getDataset(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	d, err := api.app.Datasets.Get(r.Context(), a, r.PathValue("entry_id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// changePage is a page of the change feed; next_after is the after of the
// next page (the last change shown, or the after asked for when empty).
type changePage struct {
	Items     []dataset.Change `json:"items"`
	NextAfter int64            `json:"next_after"`
}

func (api *API) datasetChanges(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	after, err := queryInt(r, "after", 0, 0, math.MaxInt)
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 100, 1, dataset.MaxChanges)
	if err != nil {
		return err
	}
	cs, err := api.app.Datasets.Changes(r.Context(), a, r.PathValue("entry_id"), int64(after), limit)
	if err != nil {
		return err
	}
	next := int64(after)
	if len(cs) > 0 {
		next = cs[len(cs)-1].Seq
	}
	writeJSON(w, http.StatusOK, changePage{Items: cs, NextAfter: next})
	return nil
}
