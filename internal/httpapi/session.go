package httpapi

import (
	"net/http"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/auth"
	"github.com/govshare/govshare/internal/org"
)

type signInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// meResponse is the signed-in person and what they act as.
type meResponse struct {
	Person org.Person `json:"person"`
}

func (api *API) signIn(w http.ResponseWriter, r *http.Request, _ access.Actor) error {
	var req signInRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	secret, actor, err := api.app.Auth.SignIn(r.Context(), req.Username, req.Password)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: api.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(api.app.Auth.Policy().SessionTTL.Seconds()),
	})
	api.setCSRFCookie(w, secret)
	setActor(r, actor.PersonID)
	p, err := api.app.Org.Person(r.Context(), actor, actor.PersonID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meResponse{Person: p})
	return nil
}

func (api *API) signOut(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := api.app.Auth.SignOut(r.Context(), a, c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: api.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: -1, Expires: time.Unix(0, 0)})
	api.clearCSRFCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (api *API) me(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	p, err := api.app.Org.Person(r.Context(), a, a.PersonID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meResponse{Person: p})
	return nil
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (api *API) changePassword(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req passwordRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := api.app.Auth.ChangePassword(r.Context(), a, req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (api *API) listTokens(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	ts, err := api.app.Auth.Tokens(r.Context(), a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list(ts, ""))
	return nil
}

func (api *API) createToken(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	var req auth.NewToken
	if err := decode(w, r, &req); err != nil {
		return err
	}
	t, err := api.app.Auth.CreateToken(r.Context(), a, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func (api *API) revokeToken(w http.ResponseWriter, r *http.Request, a access.Actor) error {
	t, err := api.app.Auth.RevokeToken(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// Page is a list response; NextCursor, when set, fetches the next page.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func list[T any](items []T, next string) Page[T] {
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items, NextCursor: next}
}
