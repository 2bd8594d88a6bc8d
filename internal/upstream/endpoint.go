// Package upstream is the proxied service (代理服务) of the service interface
// (服务接口, Art. 22): instead of loading rows onto the platform, a provider's
// sharing office registers, for one of its published catalog entries, an
// HTTP endpoint of its own system. The gateway then forwards each consumer
// query to it, signed by the platform with a per-endpoint secret (shown once,
// kept sealed under the master key like the consumers' credentials), and
// delivers only what the grant allows and the entry's data items admit.
//
// The registrations are plain Go rules over a Tx (Service); the forwarding is
// Client, one shared HTTP client for every call.
package upstream

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// State is whether an endpoint serves its entry.
type State string

const (
	// Active: queries of the entry are forwarded to the endpoint.
	Active State = "active"
	// Disabled: for good; the entry is served from its hosted dataset again
	// until another endpoint is registered.
	Disabled State = "disabled"
)

// Endpoint is a provider's upstream service for one published catalog entry.
// Its secret is never part of it.
type Endpoint struct {
	ID           string `json:"id"`
	EntryID      string `json:"entry_id"`
	ProviderID   string `json:"provider_id"`
	DivisionCode string `json:"division_code"`
	URL          string `json:"url"`
	// TimeoutMS bounds one forwarded call, from connecting to the last byte.
	TimeoutMS int `json:"timeout_ms"`
	// MaxResponseBytes bounds the answer's body; a longer one is refused.
	MaxResponseBytes int64     `json:"max_response_bytes"`
	Description      string    `json:"description,omitempty"`
	State            State     `json:"state"`
	Version          int64     `json:"version"`
	CreatedBy        string    `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Timeout is TimeoutMS as a duration.
func (e Endpoint) Timeout() time.Duration { return time.Duration(e.TimeoutMS) * time.Millisecond }

// Registered is a new endpoint with its signing secret, shown once.
type Registered struct {
	Endpoint
	Secret string `json:"secret"`
}

// NewEndpoint is what a provider's office registers.
type NewEndpoint struct {
	EntryID          string `json:"entry_id"`
	URL              string `json:"url"`
	TimeoutMS        int    `json:"timeout_ms"`
	MaxResponseBytes int64  `json:"max_response_bytes"`
	Description      string `json:"description"`
}

// The bounds of a registration. The timeout's maximum keeps a consumer's
// call, and the connection it holds, from waiting longer than a person
// would at a service window.
const (
	DefaultTimeout     = 5 * time.Second
	MinTimeout         = 100 * time.Millisecond
	MaxTimeout         = 30 * time.Second
	DefaultMaxResponse = 1 << 20 // 1 MiB: one row of a few dozen items is a few KiB
	MinMaxResponse     = 1 << 10
	MaxMaxResponse     = 16 << 20
	maxURL             = 2000
	maxDescription     = 2000
)

func (n NewEndpoint) clean() (NewEndpoint, error) {
	n.URL, n.Description = strings.TrimSpace(n.URL), strings.TrimSpace(n.Description)
	if n.URL == "" {
		return n, problem.Field("url", "upstream.url_required", "必须填写上游服务地址", "url is required")
	}
	if len(n.URL) > maxURL {
		return n, problem.Fieldf("url", "upstream.url_invalid", "上游服务地址无效", "url is longer than %d characters", maxURL)
	}
	u, err := url.Parse(n.URL)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return n, problem.Field("url", "upstream.url_invalid", "上游服务地址无效", "url must be an absolute http or https URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return n, problem.Field("url", "upstream.url_invalid", "上游服务地址无效", "url must use http or https")
	case u.User != nil:
		// A password in a URL ends up in logs and records; the platform signs
		// its requests instead.
		return n, problem.Field("url", "upstream.url_invalid", "上游服务地址无效",
			"url must not carry a user name or password; the platform signs each request with the endpoint's secret")
	case u.Fragment != "":
		return n, problem.Field("url", "upstream.url_invalid", "上游服务地址无效", "url must not have a fragment")
	}
	switch {
	case n.TimeoutMS == 0:
		n.TimeoutMS = int(DefaultTimeout / time.Millisecond)
	case n.TimeoutMS < int(MinTimeout/time.Millisecond) || n.TimeoutMS > int(MaxTimeout/time.Millisecond):
		return n, problem.Fieldf("timeout_ms", "upstream.timeout_invalid", "超时时间超出允许范围",
			"timeout_ms must be %d to %d", MinTimeout/time.Millisecond, MaxTimeout/time.Millisecond)
	}
	switch {
	case n.MaxResponseBytes == 0:
		n.MaxResponseBytes = DefaultMaxResponse
	case n.MaxResponseBytes < MinMaxResponse || n.MaxResponseBytes > MaxMaxResponse:
		return n, problem.Fieldf("max_response_bytes", "upstream.size_invalid", "响应大小上限超出允许范围",
			"max_response_bytes must be %d to %d", MinMaxResponse, MaxMaxResponse)
	}
	if len([]rune(n.Description)) > maxDescription {
		return n, problem.Fieldf("description", "upstream.too_long", "内容过长", "description is longer than %d characters", maxDescription)
	}
	return n, nil
}

// ObjectOf names an endpoint for the record: it belongs to the provider.
func ObjectOf(e Endpoint) ledger.Object {
	return ledger.Object{Type: "upstream", ID: e.ID, DepartmentID: e.ProviderID}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("upstream: crypto/rand failed: " + err.Error()) // the platform cannot run safely without it
	}
	return b
}

// secretPrefix makes a leaked secret recognisable to scanners and people,
// like the consumers' gsc_ secrets.
const secretPrefix = "gsu_"

func newSecret() string { return secretPrefix + base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

func newID() string { return "ups_" + hex.EncodeToString(randomBytes(10)) }

// sealAAD binds a sealed secret to its endpoint, so that a ciphertext cannot
// be moved to another endpoint or mistaken for a credential's secret.
func sealAAD(id string) []byte { return []byte("upstream:" + id) }

// The rules below say who may do what with an endpoint. They are pure.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

func inOffice(a access.Actor, deptID string) bool { return a.InOffice(deptID) }

// CanRegister: the provider department's sharing office registers endpoints
// for its own entries only.
func CanRegister(a access.Actor, providerID string) bool { return inOffice(a, providerID) }

// CanRead: the provider's office, admins, and authority reviewers and
// auditors whose region holds the provider. A contractor sees none.
func CanRead(a access.Actor, e *Endpoint, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), inOffice(a, e.ProviderID):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		return in(a.DivisionCode, e.DivisionCode)
	}
	return false, nil
}

// CanStop: the provider's office disables its endpoint; so may a platform
// admin (an incident), though it never sees a secret.
func CanStop(a access.Actor, e *Endpoint) bool {
	return inOffice(a, e.ProviderID) || a.Has(access.PlatformAdmin)
}

// Scope is which endpoints a listing may show.
type Scope = access.Scope

// ScopeFor returns the widest listing an actor may see; ok is false for one
// who may list none.
func ScopeFor(a access.Actor) (Scope, bool) {
	return access.ListScope(a)
}
