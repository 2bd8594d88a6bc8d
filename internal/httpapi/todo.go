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
	// Suspended grants to rectify or judge, ended ones to dispose of (Art. 27 ¶1, ¶2).
	if more, err = api.app.Grants.Todos(r.Context(), a); err != nil {
		return err
	}
	items = append(items, more...)
	// Service changes to answer, file or acknowledge (Art. 27 ¶3).
	if more, err = api.app.ServiceChanges.Todos(r.Context(), a); err != nil {
		return err
	}
	items = append(items, more...)
	// Disputes to negotiate, coordinate or decide (Art. 28).
	if more, err = api.app.Disputes.Todos(r.Context(), a); err != nil {
		return err
	}
	items = append(items, more...)
	// Complaints to answer, and overdue ones for the authorities (Art. 37).
	if more, err = api.app.Complaints.Todos(r.Context(), a); err != nil {
		return err
	}
	items = append(items, more...)
	// Correction requests to answer, or overdue (Art. 26).
	if more, err = api.app.Corrections.Todos(r.Context(), a); err != nil {
		return err
	}
	items = append(items, more...)
	todo.Sort(items)
	writeJSON(w, http.StatusOK, list(items, ""))
	return nil
}
