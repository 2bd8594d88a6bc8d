package httpapi

import (
	"net/http"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/todo"
)

// todoList is everything waiting for the signed-in person, from every
// domain, overdue first and then by due date (issue #3 point 8).
func (api *API) todoList(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	items, err := api.app.Catalog.Todos(r.Context(), a)
	if err != nil {
		return err
	}
	more, err := api.app.Applications.Todos(r.Context(), a)
	if err != nil {
		return err
	}
	items = append(items, more...)
	// Delivered grants whose consumer has no recent usage record (Art. 29).
	if more, err = api.app.UsageRecords.Todos(r.Context(), a); err != nil {
		return err
	}
	items = append(items, more...)
	todo.Sort(items)
	writeJSON(w, http.StatusOK, list(items, ""))
	return nil
}
