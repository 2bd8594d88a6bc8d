package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/govshare/govshare/internal/problem"
)

// CSRFCookie carries the CSRF token to the console's scripts: it is not
// HttpOnly, so that a page of this site can read it and send it back in the
// CSRFHeader of every command. A page of another site can neither read the
// cookie nor set the header.
const CSRFCookie = "govshare_csrf"

// CSRFHeader is the request header that must repeat the CSRF token on every
// cookie-authenticated command (any method but GET, HEAD and OPTIONS).
const CSRFHeader = "X-CSRF-Token"

// csrfToken derives the token from the session secret. Binding it to the
// session, rather than comparing the header with whatever the cookie holds,
// means a cookie planted by a sibling host cannot supply a matching pair; and
// the server keeps no state for it. The hash reveals nothing of the secret,
// which is 256 random bits.
func csrfToken(sessionSecret string) string {
	sum := sha256.Sum256([]byte("govshare csrf v1\x00" + sessionSecret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// setCSRFCookie sends the token of a new session, living as long as it.
func (api *API) setCSRFCookie(w http.ResponseWriter, sessionSecret string) {
	http.SetCookie(w, &http.Cookie{
		Name: CSRFCookie, Value: csrfToken(sessionSecret), Path: "/", HttpOnly: false, Secure: api.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(api.app.Auth.Policy().SessionTTL.Seconds()),
	})
}

// clearCSRFCookie removes the token at sign-out.
func (api *API) clearCSRFCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CSRFCookie, Value: "", Path: "/", Secure: api.secure,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// errCSRF is the answer to a cookie-authenticated command without the token.
var errCSRF = problem.New(problem.Forbidden, "auth.csrf_invalid", "页面校验失败，请刷新页面或重新登录",
	"a command signed in by cookie must repeat the "+CSRFCookie+" cookie's value in the "+CSRFHeader+" header")

// checkCSRF verifies a cookie-authenticated request: safe methods pass; any
// other must carry the session's token in CSRFHeader. Requests signed in by
// bearer token or by the gateway's signature never reach it.
func checkCSRF(r *http.Request, sessionSecret string) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	got := r.Header.Get(CSRFHeader)
	want := csrfToken(sessionSecret)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errCSRF
	}
	return nil
}
