package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/govshare/govshare/internal/problem"
)

// Problem is an RFC 9457 problem document, with the stable code and the
// offending field as extension members.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
}

func statusOf(k problem.Kind) int {
	switch k {
	case problem.Invalid:
		return http.StatusUnprocessableEntity
	case problem.Malformed:
		return http.StatusBadRequest
	case problem.Unsupported:
		return http.StatusUnsupportedMediaType
	case problem.Unauthorized:
		return http.StatusUnauthorized
	case problem.Forbidden:
		return http.StatusForbidden
	case problem.NotFound:
		return http.StatusNotFound
	case problem.MethodNotAllowed:
		return http.StatusMethodNotAllowed
	case problem.Conflict:
		return http.StatusConflict
	case problem.Locked:
		return http.StatusLocked
	case problem.TooLarge:
		return http.StatusRequestEntityTooLarge
	case problem.BadGateway:
		return http.StatusBadGateway
	case problem.Unavailable:
		return http.StatusServiceUnavailable
	case problem.GatewayTimeout:
		return http.StatusGatewayTimeout
	case problem.TooManyRequests:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

var errInternal = &problem.Error{Code: "internal", Title: "服务器内部错误，请稍后重试或联系平台运维", Detail: "an internal error occurred; it has been logged"}

// writeProblem answers with a problem document. Errors that are not refusals
// are logged (without request data) and answered with a bare 500.
func writeProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var p *problem.Error
	if !errors.As(err, &p) {
		log.ErrorContext(r.Context(), "internal error", "route", r.Pattern, "err", err.Error())
		p = errInternal
	}
	status := statusOf(p.Kind)
	if p == errInternal {
		status = http.StatusInternalServerError
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="govshare"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Problem{
		Type: "urn:govshare:problem:" + p.Code, Title: p.Title, Status: status, Detail: p.Detail,
		Instance: r.URL.Path, Code: p.Code, Field: p.Field,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
