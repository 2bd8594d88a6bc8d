// Package gateway is the consumer's side of the service interface (服务接口,
// Art. 22): the application systems (应用系统) a department registers, the
// credentials each system signs its requests with, and the verification of
// those signed requests. Secrets are shown once and kept only encrypted with
// SM4-GCM under the platform's master key (Keyring); signatures are
// HMAC-SM3 over a canonical form of the request (Canonical).
//
// The later gateway records each call, granted or refused, with the call
// itself; Verify writes nothing but the nonce.
package gateway

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/problem"
)

// SystemState is whether a system may call.
type SystemState string

const (
	// Active systems may call with their valid credentials.
	Active SystemState = "active"
	// Disabled systems are refused whatever their credentials; for good.
	Disabled SystemState = "disabled"
)

// System is a consumer department's application system (应用系统).
type System struct {
	ID           string   `json:"id"`
	DepartmentID string   `json:"department_id"`
	DivisionCode string   `json:"division_code"`
	Name         string   `json:"name"`
	Description  string   `json:"description,omitempty"`
	AllowedIPs   []string `json:"allowed_ips"` // addresses or CIDR prefixes; empty allows any
	// Grants are the grants the system may use (see BindGrants); empty:
	// every grant of its department.
	Grants      []string     `json:"grants"`
	State       SystemState  `json:"state"`
	Credentials []Credential `json:"credentials"`
	Version     int64        `json:"version"`
	CreatedBy   string       `json:"created_by"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// CredentialState is where a credential stands.
type CredentialState string

const (
	// Current is the credential a system signs with now.
	Current CredentialState = "current"
	// Rotated was replaced; it stays valid until GraceUntil.
	Rotated CredentialState = "rotated"
	// Revoked is refused from the moment of revocation.
	Revoked CredentialState = "revoked"
)

// RotationGrace is how long a replaced credential stays valid after a
// rotation, so that a system's nodes can take the new secret one by one.
const RotationGrace = 24 * time.Hour

// Credential is one access key of a system; the secret is never part of it.
type Credential struct {
	KeyID      string          `json:"key_id"`
	SystemID   string          `json:"system_id"`
	State      CredentialState `json:"state"`
	CreatedAt  time.Time       `json:"created_at"`
	CreatedBy  string          `json:"created_by"`
	GraceUntil *time.Time      `json:"grace_until,omitempty"`
	RevokedAt  *time.Time      `json:"revoked_at,omitempty"`
}

// ValidAt reports whether the credential may sign a request at now.
func (c Credential) ValidAt(now time.Time) bool {
	switch c.State {
	case Current:
		return true
	case Rotated:
		return c.GraceUntil != nil && now.Before(*c.GraceUntil)
	}
	return false
}

// SealedSecret is how the store keeps a credential's secret: encrypted
// under the keyring key MasterKeyID.
type SealedSecret struct {
	MasterKeyID string
	Ciphertext  []byte
}

// Issued is a new credential with its secret, shown once.
type Issued struct {
	Credential
	Secret string `json:"secret"`
}

// NewSystem is what a department registers.
type NewSystem struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	AllowedIPs  []string `json:"allowed_ips"`
}

const (
	maxName        = 100
	maxDescription = 2000
	maxAllowedIPs  = 50
)

func (n NewSystem) clean() (NewSystem, error) {
	n.Name, n.Description = strings.TrimSpace(n.Name), strings.TrimSpace(n.Description)
	switch {
	case n.Name == "":
		return n, problem.Field("name", "system.required", "必填项不能为空", "name is required")
	case len([]rune(n.Name)) > maxName:
		return n, problem.Fieldf("name", "system.too_long", "内容过长", "name is longer than %d characters", maxName)
	case len([]rune(n.Description)) > maxDescription:
		return n, problem.Fieldf("description", "system.too_long", "内容过长", "description is longer than %d characters", maxDescription)
	case len(n.AllowedIPs) > maxAllowedIPs:
		return n, problem.Fieldf("allowed_ips", "system.too_many", "允许访问的地址过多", "at most %d addresses or prefixes", maxAllowedIPs)
	}
	ips := []string{}
	for i, s := range n.AllowedIPs {
		p, err := parsePrefix(strings.TrimSpace(s))
		if err != nil {
			return n, problem.Fieldf("allowed_ips["+strconv.Itoa(i)+"]", "system.ip_invalid", "IP地址或网段格式不正确",
				"%q is neither an IP address nor a CIDR prefix", s)
		}
		ips = append(ips, p.String())
	}
	n.AllowedIPs = ips
	return n, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// Allows reports whether a caller at addr may call: any address when the
// system names none.
func (s System) Allows(addr netip.Addr) bool {
	if len(s.AllowedIPs) == 0 {
		return true
	}
	addr = addr.Unmap()
	for _, p := range s.AllowedIPs {
		if pf, err := parsePrefix(p); err == nil && pf.Contains(addr) {
			return true
		}
	}
	return false
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("gateway: crypto/rand failed: " + err.Error()) // the platform cannot run safely without it
	}
	return b
}

// Prefixes make keys and leaked secrets recognisable to scanners and people.
const (
	keyPrefix    = "gsk_"
	secretPrefix = "gsc_"
)

func newKeyID() string { return keyPrefix + hex.EncodeToString(randomBytes(12)) }

func newSecret() string { return secretPrefix + base64.RawURLEncoding.EncodeToString(randomBytes(32)) }

func newSystemID() string { return "sys_" + hex.EncodeToString(randomBytes(10)) }

// The rules below say who may do what with a system. They are pure.

// Region answers whether one division lies within (or is) another.
type Region func(outer, inner string) (bool, error)

func inOffice(a access.Actor, deptID string) bool { return a.InOffice(deptID) }

// CanRegister: the office head or staff of a department registers systems
// for that department only.
func CanRegister(a access.Actor) bool { return inOffice(a, a.DepartmentID) }

// CanRead: the owning department's office, admins, and authority reviewers
// and auditors whose region holds the department. A contractor sees none.
func CanRead(a access.Actor, s *System, in Region) (bool, error) {
	switch {
	case a.Has(access.PlatformAdmin), inOffice(a, s.DepartmentID):
		return true, nil
	case a.HasAny(access.AuthorityReviewer, access.Auditor) && a.DivisionCode != "":
		return in(a.DivisionCode, s.DivisionCode)
	}
	return false, nil
}

// CanManage: the owning office issues, rotates and revokes credentials and
// disables the system.
func CanManage(a access.Actor, s *System) bool { return inOffice(a, s.DepartmentID) }

// CanStop: besides the owning office, a platform admin may revoke a
// credential or disable a system (an incident), but never sees a secret.
func CanStop(a access.Actor, s *System) bool { return CanManage(a, s) || a.Has(access.PlatformAdmin) }

// Scope is which systems a listing may show.
type Scope = access.Scope

// ScopeFor returns the widest listing an actor may see; ok is false for one
// who may list none.
func ScopeFor(a access.Actor) (Scope, bool) {
	return access.ListScope(a)
}

func wrongState(detail string) error {
	return &problem.Error{Kind: problem.Conflict, Code: "system.wrong_state", Title: "应用系统当前状态不允许此操作", Detail: detail}
}
