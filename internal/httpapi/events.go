package httpapi

import (
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
)

func (api *API) listEvents(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var after int64
	if c := q.Get("cursor"); c != "" {
		if after, err = strconv.ParseInt(c, 10, 64); err != nil || after < 0 {
			return malformed("cursor", "request.bad_parameter", "参数无效", "cursor must be the seq of the last event read")
		}
	}
	evs, err := api.app.Ledger.Events(r.Context(), a, ledger.Filter{Limit: limit, After: after, DepartmentID: q.Get("department_id"),
		ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), Action: q.Get("action")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(evs, nextCursor(evs, limit, func(e ledger.Event) string { return strconv.FormatInt(e.Seq, 10) })))
	return nil
}
