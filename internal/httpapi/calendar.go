package httpapi

import (
	"net/http"
	"strconv"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/calendar"
	"github.com/govshare/govshare/internal/problem"
)

// Calendar reads are open to every signed-in role: a deadline concerns
// everyone who takes part, and the calendar holds no shared data.
func signedIn(a access.Actor) error {
	if len(a.Roles) == 0 {
		return problem.ErrForbidden
	}
	return nil
}

func (api *API) calendarStatus(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	st, err := api.app.Calendar.Status(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (api *API) importCalendarYear(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	replace := false
	if s := r.URL.Query().Get("replace"); s != "" {
		var err error
		if replace, err = strconv.ParseBool(s); err != nil {
			return malformed("replace", "request.bad_parameter", "参数无效", "replace must be true or false")
		}
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	y, err := api.app.Calendar.Import(r.Context(), a, body, replace)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, y)
	return nil
}

func (api *API) getCalendarYear(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return malformed("year", "request.bad_parameter", "参数无效", "year must be a number such as 2026")
	}
	cal, err := api.app.Calendar.Current(r.Context())
	if err != nil {
		return err
	}
	y, ok := cal.Year(n)
	if !ok {
		return problem.NotFoundf("calendar.year_not_found", "日历中没有该年度", "the calendar has no year %d", n)
	}
	writeJSON(w, http.StatusOK, y)
	return nil
}

func dueParams(r *http.Request) (calendar.Date, int, error) {
	from, err := queryDate(r, "from")
	if err != nil {
		return from, 0, err
	}
	if r.URL.Query().Get("days") == "" {
		return from, 0, malformed("days", "request.parameter_required", "缺少参数", "days is required")
	}
	days, err := queryInt(r, "days", 0, 1, 366)
	return from, days, err
}

func (api *API) calendarDue(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	from, days, err := dueParams(r)
	if err != nil {
		return err
	}
	d, err := api.app.Calendar.Due(r.Context(), from, days)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) calendarExplain(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if err := signedIn(a); err != nil {
		return err
	}
	from, days, err := dueParams(r)
	if err != nil {
		return err
	}
	d, err := api.app.Calendar.Due(r.Context(), from, days)
	if err != nil {
		return err
	}
	steps, err := api.app.Calendar.Explain(r.Context(), from, days)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deadline": d, "steps": steps})
	return nil
}
