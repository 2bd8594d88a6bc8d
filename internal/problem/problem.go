// Package problem defines the errors that every domain package returns when a
// command is refused, so that the API can turn them into RFC 9457 problems with
// stable codes without knowing each domain.
package problem

import (
	"errors"
	"fmt"
)

// Kind says which class of refusal an error is; the API maps it to an HTTP status.
type Kind int

const (
	Invalid          Kind = iota + 1 // the input breaks a rule (422)
	Malformed                        // the request itself is unreadable: bad JSON, wrong type, unknown field (400)
	Unsupported                      // wrong media type (415)
	Unauthorized                     // no valid sign-in (401)
	Forbidden                        // signed in, but not allowed for this role or organisation (403)
	NotFound                         // no such object (404)
	MethodNotAllowed                 // the path exists, not with this method (405)
	Conflict                         // the object changed, or already exists (409)
	Locked                           // the account is locked after repeated failures (423)
	TooLarge                         // the request body is too large (413)
	BadGateway                       // an upstream system answered wrongly or could not be reached (502)
	GatewayTimeout                   // an upstream system did not answer in time (504)
	TooManyRequests                  // a rate limit or quota is spent; retry later (429)
	Unavailable                      // the node cannot do this now, e.g. a part not set up yet (503)
)

// Error is a refusal with a stable code such as "org.division_code_invalid", a
// Chinese title for the person who sees it, and the offending field when there is one.
type Error struct {
	Kind   Kind
	Code   string
	Title  string // Simplified Chinese, shown to people
	Detail string // English or Chinese detail, never personal data
	Field  string // JSON path of the offending field, if any
	Err    error  // wrapped cause, if any
}

func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// New returns a refusal of the given kind.
func New(kind Kind, code, title, detail string) *Error {
	return &Error{Kind: kind, Code: code, Title: title, Detail: detail}
}

// Field returns an Invalid refusal naming the offending field.
func Field(field, code, title, detail string) *Error {
	return &Error{Kind: Invalid, Code: code, Title: title, Detail: detail, Field: field}
}

// Fieldf is Field with a formatted detail.
func Fieldf(field, code, title, format string, args ...any) *Error {
	return Field(field, code, title, fmt.Sprintf(format, args...))
}

// Is reports whether err is a refusal of the given kind.
func Is(err error, kind Kind) bool {
	var p *Error
	return errors.As(err, &p) && p.Kind == kind
}

// CodeOf returns the stable code of err, or "" if err is not a refusal.
func CodeOf(err error) string {
	var p *Error
	if errors.As(err, &p) {
		return p.Code
	}
	return ""
}

// Common refusals shared by every domain.
var (
	ErrUnauthenticated = New(Unauthorized, "auth.unauthenticated", "请先登录", "sign in first")
	ErrForbidden       = New(Forbidden, "auth.forbidden", "无权执行此操作", "your role or organisation does not allow this")
	ErrVersionConflict = New(Conflict, "conflict.version", "数据已被他人修改，请刷新后重试", "the object was changed by someone else; reload and retry")
)

// NotFoundf returns a NotFound refusal for an object type.
func NotFoundf(code, title, format string, args ...any) *Error {
	return New(NotFound, code, title, fmt.Sprintf(format, args...))
}
