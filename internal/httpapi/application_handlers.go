package httpapi

import (
	"context"
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/application"
)

func (api *API) listApplications(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	apps, err := api.app.Applications.List(r.Context(), a, application.Filter{Limit: p.Limit, After: p.After,
		Role: q.Get("role"), State: application.State(q.Get("state")), EntryID: q.Get("entry_id")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(apps, nextCursor(apps, p.Limit, func(x application.Application) string { return x.ID })))
	return nil
}

func (api *API) createApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req application.NewApplication
	if err := decode(w, r, &req); err != nil {
		return err
	}
	app, err := api.app.Applications.Create(r.Context(), a, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, app)
	return nil
}

func (api *API) getApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	app, err := api.app.Applications.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, app)
	return nil
}

// command decodes the body into a T and runs one application command on the
// application named in the path.
func command[T any](api *API, run func(s *application.Service, ctx context.Context, a access.Actor, id string, in T) (application.Application, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, a access.Actor) error {
		var in T
		if err := decode(w, r, &in); err != nil {
			return err
		}
		app, err := run(api.app.Applications, r.Context(), a, r.PathValue("id"), in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, app)
		return nil
	}
}

func (api *API) updateApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).Update)(w, r, a)
}

func (api *API) submitApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).Submit)(w, r, a)
}

func (api *API) approveApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).Approve)(w, r, a)
}

func (api *API) requestSupplement(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).RequestSupplement)(w, r, a)
}

func (api *API) resubmitApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).Resubmit)(w, r, a)
}

func (api *API) requestExtension(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).RequestExtension)(w, r, a)
}

func (api *API) decideExtension(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).DecideExtension)(w, r, a)
}

func (api *API) replyApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).Reply)(w, r, a)
}

func (api *API) withdrawApplication(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	return command(api, (*application.Service).Withdraw)(w, r, a)
}
