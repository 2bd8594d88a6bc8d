package gateway

import (
	"context"
	"crypto/hmac"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govshare/govshare/internal/problem"
)

// Window is how far a request's timestamp may be from the platform's clock,
// either way. A nonce is remembered for twice the window, longer than any
// timestamp that could still be accepted with it.
const Window = 5 * time.Minute

// Caller is who sent a verified request.
type Caller struct {
	SystemID     string `json:"system_id"`
	DepartmentID string `json:"department_id"`
	DivisionCode string `json:"division_code"`
	KeyID        string `json:"key_id"`
	// Grants are the grants the system is bound to (MayUse).
	Grants []string `json:"-"`
	// Nonce is the request's nonce when it is still to be recorded, in the
	// write transaction that records the call (see Check); empty when it is
	// recorded already (Verify).
	Nonce string `json:"-"`
}

func refuse(kind problem.Kind, code, title, detail string) error {
	return &problem.Error{Kind: kind, Code: code, Title: title, Detail: detail}
}

var (
	errMissing = refuse(problem.Unauthorized, "gateway.signature_missing", "请求未签名",
		"the headers X-Gs-Key, X-Gs-Timestamp, X-Gs-Nonce and X-Gs-Signature are required")
	errUnknown = refuse(problem.Unauthorized, "gateway.key_unknown", "访问密钥不存在", "no credential has this access key ID")
	errRevoked = refuse(problem.Unauthorized, "gateway.key_revoked", "访问密钥已失效",
		"the credential was revoked, or replaced and its grace period is over")
	errSkew = refuse(problem.Unauthorized, "gateway.timestamp_skew", "请求时间戳超出允许范围",
		"X-Gs-Timestamp must be within 5 minutes of the platform's clock")
	// ErrReplayed refuses a nonce already used with the key.
	ErrReplayed = refuse(problem.Unauthorized, "gateway.nonce_replayed", "请求已被使用（重放）",
		"this nonce was already used with this key; send each request with a fresh nonce")
	errInvalid = refuse(problem.Unauthorized, "gateway.signature_invalid", "签名校验失败",
		"the signature does not match the request; check the canonical string and the secret")
	errIP       = refuse(problem.Forbidden, "gateway.ip_not_allowed", "来源地址不在允许范围内", "the system does not allow calls from this address")
	errDisabled = refuse(problem.Forbidden, "gateway.system_disabled", "应用系统已停用", "the application system is disabled")
)

func headerInvalid(detail string) error {
	return refuse(problem.Malformed, "gateway.header_invalid", "签名请求头格式不正确", detail)
}

// parseTimestamp reads RFC 3339 or unix seconds.
func parseTimestamp(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	return time.Parse(time.RFC3339, s)
}

func validNonce(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return true
}

func remoteAddr(r *http.Request) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// Verify checks a signed request (see Canonical): the headers, the
// timestamp within Window of now, the credential valid at now, its system
// active and allowing r.RemoteAddr, the signature, and last the nonce,
// recorded so that the same nonce is refused for this key on every node.
// body is the request body as received. Refusals are problem errors with
// the stable codes gateway.*; nothing but the nonce is written.
//
// r.RemoteAddr is taken as the caller's address: a trusted reverse proxy
// must set it from its own view of the peer before Verify runs.
func (s *Service) Verify(r *http.Request, body []byte, now time.Time) (Caller, error) {
	c, err := s.Check(r, body, now)
	if err != nil {
		return Caller{}, err
	}
	var fresh bool
	err = s.write(r.Context(), func(tx Tx) (err error) {
		fresh, err = tx.UseNonce(r.Context(), c.KeyID, c.Nonce, now.UTC(), now.UTC().Add(2*Window))
		return err
	})
	if err != nil {
		return Caller{}, err
	}
	if !fresh {
		return Caller{}, ErrReplayed
	}
	c.Nonce = ""
	return c, nil
}

// Check is Verify without the nonce's write: the caller must record
// c.Nonce with RecordNonce in the transaction that records the call, and
// answer nothing unless it was fresh. A nonce this node accepted lately is
// refused here already (recent.go), so a replay to the same node costs no
// read; one that reaches the write (after a restart, or through another
// node) is refused there, its answer withheld. This saves a durable commit
// per call.
func (s *Service) Check(r *http.Request, body []byte, now time.Time) (Caller, error) {
	ctx := r.Context()
	keyID, ts, nonce, sig := r.Header.Get(HeaderKey), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderNonce), r.Header.Get(HeaderSignature)
	if keyID == "" || ts == "" || nonce == "" || sig == "" {
		return Caller{}, errMissing
	}
	at, err := parseTimestamp(ts)
	if err != nil {
		return Caller{}, headerInvalid("X-Gs-Timestamp must be RFC 3339 or unix seconds")
	}
	if !validNonce(nonce) {
		return Caller{}, headerInvalid("X-Gs-Nonce must be 16 to 64 characters of A-Z a-z 0-9 - _ . ~")
	}
	if d := now.Sub(at); d > Window || d < -Window {
		return Caller{}, errSkew
	}
	k, err := s.keyOf(ctx, keyID, now)
	if err != nil {
		return Caller{}, err
	}
	if k == nil {
		return Caller{}, errUnknown
	}
	cred, sys := &k.cred, &k.sys
	// The state is cached, the time is not: a grace period ends on time.
	if !cred.ValidAt(now) {
		return Caller{}, errRevoked
	}
	if sys.State != Active {
		return Caller{}, errDisabled
	}
	if len(sys.AllowedIPs) > 0 {
		if addr, ok := remoteAddr(r); !ok || !sys.Allows(addr) {
			return Caller{}, errIP
		}
	}
	keys, err := s.keyring()
	if err != nil {
		return Caller{}, err
	}
	secret := k.secret
	if k.keys != keys { // not opened yet, or under another keyring
		if secret, err = keys.Open(k.sealed.MasterKeyID, k.sealed.Ciphertext, []byte(cred.KeyID)); err != nil {
			return Caller{}, fmt.Errorf("gateway: credential %s: %w", cred.KeyID, err)
		}
	}
	want := Signature(string(secret), Canonical(r.Method, r.URL.EscapedPath(), r.URL.Query(), ts, nonce, body))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return Caller{}, errInvalid
	}
	if !s.recent.use(cred.KeyID, nonce, now) {
		return Caller{}, ErrReplayed
	}
	return Caller{SystemID: sys.ID, DepartmentID: sys.DepartmentID, DivisionCode: sys.DivisionCode, KeyID: cred.KeyID, Grants: sys.Grants, Nonce: nonce}, nil
}

// keyState is what Check reads for an access key: the credential, its
// system, and its secret, opened under keys when the keyring could open it
// (else keys is nil and secret empty).
type keyState struct {
	cred   Credential
	sys    System
	sealed SealedSecret
	keys   *Keyring
	secret []byte
}

// maxCachedKeys bounds the keys kept in memory (about 1 KB each).
const maxCachedKeys = 4096

// keyOf returns the state of key keyID, or nil when the key or its system
// does not exist: from the cache (cache.go) when it is fresh, else read in
// one transaction and kept. An unknown key is not kept, so that a flood of
// made-up keys cannot push out the real ones.
func (s *Service) keyOf(ctx context.Context, keyID string, now time.Time) (*keyState, error) {
	var gen uint64
	if s.gen != nil {
		gen = s.gen() // before the read: see cache.go
		if k, ok := s.keyCache.Get(keyID, gen, now); ok {
			return k, nil
		}
	}
	var k *keyState
	err := s.read(ctx, func(tx Tx) error {
		k = nil
		cred, sealed, err := tx.Credential(ctx, keyID)
		if err != nil || cred == nil {
			return err
		}
		sys, err := tx.System(ctx, cred.SystemID)
		if err != nil || sys == nil {
			return err
		}
		k = &keyState{cred: *cred, sys: *sys, sealed: *sealed}
		return nil
	})
	if err != nil || k == nil {
		return nil, err
	}
	// The value is shared between calls: clipped, a slice a caller appends
	// to (Caller.Grants) is copied instead of written into.
	k.sys.Grants, k.sys.AllowedIPs = slices.Clip(k.sys.Grants), slices.Clip(k.sys.AllowedIPs)
	if keys := s.keys.Load(); keys != nil {
		if secret, err := keys.Open(k.sealed.MasterKeyID, k.sealed.Ciphertext, []byte(k.cred.KeyID)); err == nil {
			k.keys, k.secret = keys, secret
		}
	}
	if s.gen != nil {
		s.keyCache.Put(keyID, k, gen, now)
	}
	return k, nil
}

// NonceTx records nonces.
type NonceTx interface {
	UseNonce(ctx context.Context, keyID, nonce string, now, expires time.Time) (bool, error)
}

// RecordNonce records c's nonce in tx when Check left it to the caller (a
// no-op otherwise), and returns ErrReplayed when it was already used: the
// caller must then roll tx back and answer nothing of the call.
func RecordNonce(ctx context.Context, tx NonceTx, c Caller, now time.Time) error {
	if c.Nonce == "" {
		return nil
	}
	fresh, err := tx.UseNonce(ctx, c.KeyID, c.Nonce, now.UTC(), now.UTC().Add(2*Window))
	if err != nil {
		return err
	}
	if !fresh {
		return ErrReplayed
	}
	return nil
}

// PurgeNonces deletes the nonces that can no longer be replayed; govshare
// serve runs it on a timer (cmd/govshare/nonces.go).
func (s *Service) PurgeNonces(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx Tx) (err error) { n, err = tx.PurgeNonces(ctx, s.now().UTC()); return err })
	return n, err
}
