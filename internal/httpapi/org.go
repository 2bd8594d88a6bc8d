package httpapi

import (
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/org"
)

func page(r *http.Request) (org.Page, error) {
	n, err := queryInt(r, "limit", 50, 1, 500)
	return org.Page{Limit: n, After: r.URL.Query().Get("cursor")}, err
}

// nextCursor is the cursor of the last item when the page is full.
func nextCursor[T any](items []T, limit int, key func(T) string) string {
	if len(items) == 0 || len(items) < limit {
		return ""
	}
	return key(items[len(items)-1])
}

type newDivision struct {
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Level      org.Level `json:"level"`
	ParentCode string    `json:"parent_code"`
}

func (api *API) createDivision(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req newDivision
	if err := decode(w, r, &req); err != nil {
		return err
	}
	d, err := api.app.Org.CreateDivision(r.Context(), a, org.Division{Code: req.Code, Name: req.Name, Level: req.Level, ParentCode: req.ParentCode})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (api *API) getDivision(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	d, err := api.app.Org.Division(r.Context(), a, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) listDivisions(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	ds, err := api.app.Org.Divisions(r.Context(), a, org.DivisionFilter{Page: p, ParentCode: q.Get("parent_code"), Level: org.Level(q.Get("level"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, nextCursor(ds, p.Limit, func(d org.Division) string { return d.Code })))
	return nil
}

type newDepartment struct {
	Name         string   `json:"name"`
	DivisionCode string   `json:"division_code"`
	Kind         org.Kind `json:"kind"`
	CreditCode   string   `json:"credit_code"`
	OfficeName   string   `json:"office_name"`
}

func (api *API) createDepartment(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req newDepartment
	if err := decode(w, r, &req); err != nil {
		return err
	}
	d, err := api.app.Org.CreateDepartment(r.Context(), a, org.Department{Name: req.Name, DivisionCode: req.DivisionCode,
		Kind: req.Kind, CreditCode: req.CreditCode, OfficeName: req.OfficeName})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (api *API) getDepartment(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	d, err := api.app.Org.Department(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) listDepartments(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	ds, err := api.app.Org.Departments(r.Context(), a, org.DepartmentFilter{Page: p, DivisionCode: q.Get("division_code"),
		Region: q.Get("region"), Kind: org.Kind(q.Get("kind"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ds, nextCursor(ds, p.Limit, func(d org.Department) string { return d.ID })))
	return nil
}

func (api *API) updateOffice(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req org.OfficeUpdate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	d, err := api.app.Org.UpdateOffice(r.Context(), a, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) sameLevelAuthority(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	d, err := api.app.Org.SameLevelAuthority(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) commonAuthority(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	x, err := queryRequired(r, "a")
	if err != nil {
		return err
	}
	y, err := queryRequired(r, "b")
	if err != nil {
		return err
	}
	d, err := api.app.Org.CommonAuthority(r.Context(), a, x, y)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (api *API) listPeople(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := page(r)
	if err != nil {
		return err
	}
	ps, err := api.app.Org.People(r.Context(), a, org.PersonFilter{Page: p, DepartmentID: r.URL.Query().Get("department_id")})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ps, nextCursor(ps, p.Limit, func(p org.Person) string { return p.ID })))
	return nil
}

func (api *API) createPerson(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req org.NewPerson
	if err := decode(w, r, &req); err != nil {
		return err
	}
	p, err := api.app.Org.CreatePerson(r.Context(), a, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (api *API) getPerson(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := api.app.Org.Person(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (api *API) updatePerson(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req org.PersonUpdate
	if err := decode(w, r, &req); err != nil {
		return err
	}
	p, err := api.app.Org.UpdatePerson(r.Context(), a, r.PathValue("id"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (api *API) unlockPerson(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if err := api.app.Auth.Unlock(r.Context(), a, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
