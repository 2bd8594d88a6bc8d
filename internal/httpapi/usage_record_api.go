package httpapi

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/usagerecord"
)

// The usage records of Art. 29 (issue #5, points 6–9): the routes are in
// the route table of api.go; the rules in internal/usagerecord.

func (api *API) listUsageRecords(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	after, err := usagerecord.ParseCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	rs, err := api.app.UsageRecords.List(r.Context(), a, r.PathValue("id"), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(rs, nextCursor(rs, limit, func(x usagerecord.Record) string { return usagerecord.CursorOf(x).String() })))
	return nil
}

func (api *API) addUsageRecord(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var in usagerecord.Input
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rec, err := api.app.UsageRecords.Add(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (api *API) listGrantEvents(w http.ResponseWriter, r *http.Request, a access.Actor) error {
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
	evs, err := api.app.UsageRecords.GrantEvents(r.Context(), a, r.PathValue("id"), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(evs, nextCursor(evs, limit, func(e ledger.Event) string { return strconv.FormatInt(e.Seq, 10) })))
	return nil
}

func (api *API) listMissingUsageRecords(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ms, err := api.app.UsageRecords.MissingRecords(r.Context(), a, p.After, p.Limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ms, nextCursor(ms, p.Limit, func(m usagerecord.Missing) string { return m.GrantID })))
	return nil
}

// deleteUsageRecord always refuses: 409 retention.locked for the record's
// readers, 404 for anyone else.
func (api *API) deleteUsageRecord(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return api.app.UsageRecords.Delete(r.Context(), a, r.PathValue("id"))
}

// exportInspection streams one department's usage records or events of a
// period as CSV (UTF-8 with a byte-order mark) or XLSX.
func (api *API) exportInspection(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	q := r.URL.Query()
	x, err := api.app.UsageRecords.PrepareExport(r.Context(), a, usagerecord.ExportRequest{DepartmentID: q.Get("department_id"),
		From: q.Get("from"), To: q.Get("to"), What: q.Get("what"), Format: q.Get("format")})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", x.ContentType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": x.FileName()}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Until the first byte is sent a failure is still answered as a
	// problem; XLSX sends nothing before it is complete.
	pw := &pending{w: w}
	if _, err := x.WriteTo(r.Context(), pw); err != nil {
		if pw.started {
			api.log.ErrorContext(r.Context(), "inspection export failed mid-stream", "err", err.Error())
			return nil
		}
		w.Header().Del("Content-Disposition")
		return err
	}
	return nil
}
