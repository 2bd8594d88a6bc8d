package delivery

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govshare/govshare/internal/access"
	"github.com/govshare/govshare/internal/ledger"
	"github.com/govshare/govshare/internal/problem"
)

// ActionRefuse is the ledger action of a gateway request refused at its
// signature or credential, before any caller could be trusted.
const ActionRefuse = "gateway.refuse"

// SignatureRefusal is what is known of a request gateway.Verify refused:
// the access key ID it presented (possibly forged, possibly none), the
// route and the peer's address. Never its body, nonce or signature.
type SignatureRefusal struct {
	KeyID      string
	Path       string
	RemoteAddr string // as in http.Request.RemoteAddr
}

// refusalRecord is what the ledger digests for a signature refusal.
type refusalRecord struct {
	KeyID      string `json:"key_id"`
	Path       string `json:"path"`
	RemoteAddr string `json:"remote_addr"`
	Outcome    string `json:"outcome"` // the refusal's code
}

// RefuseSignature records a request that gateway.Verify refused with err and
// returns err, or the recording's error. An error that is not a refusal (a
// fault of the platform: no master key, the database) is returned unrecorded.
//
// Such requests come from anyone who can reach the gateway, so recording
// each one would let an unsigned flood turn into as many ledger writes: the
// records are sampled (see refusalSampler) and the refusals left unrecorded
// are counted (UnrecordedRefusals, exported to Prometheus). The refusal
// itself is answered either way.
func (s *Service) RefuseSignature(ctx context.Context, in SignatureRefusal, err error) error {
	var p *problem.Error
	if !errors.As(err, &p) || p.Kind == 0 {
		return err
	}
	now := s.now()
	addr := peer(in.RemoteAddr)
	rec := refusalRecord{KeyID: presentedKey(in.KeyID), Path: in.Path, Outcome: p.Code}
	o := ledger.Object{Type: "gateway_route", ID: in.Path}
	source := "addr " + addrSource(addr)
	if addr.IsValid() {
		rec.RemoteAddr = addr.String()
	}
	if keyExists(p.Code) {
		// The key is real: it names the source, and the record's object.
		source = "key " + in.KeyID
		o = ledger.Object{Type: "credential", ID: in.KeyID}
	}
	if !s.guard.refusals.admit(source, now) {
		return err
	}
	platform := access.Actor{PersonID: "platform"}
	ctx = context.WithoutCancel(ctx)
	if rerr := s.write(ctx, func(tx Tx) error { return ledger.Record(ctx, tx, now, platform, ActionRefuse, o, rec) }); rerr != nil {
		return rerr
	}
	return err
}

// UnrecordedRefusals is how many signature refusals this node answered
// without recording them, over the sampler's limits.
func (s *Service) UnrecordedRefusals() uint64 { return s.guard.refusals.dropped.Load() }

// keyExists reports whether gateway.Verify refuses with code only after
// finding the presented key (see gateway/verify.go): only then does the key
// ID name a real credential rather than whatever the sender typed.
func keyExists(code string) bool {
	switch code {
	case "gateway.key_revoked", "gateway.system_disabled", "gateway.ip_not_allowed", "gateway.signature_invalid", "gateway.nonce_replayed":
		return true
	}
	return false
}

// presentedKey is the key ID as presented, if it looks like one; a longer
// or stranger string is the sender's noise and is not kept.
func presentedKey(k string) string {
	if len(k) > 64 {
		return "(malformed)"
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "(malformed)"
		}
	}
	return k
}

func peer(remote string) netip.Addr {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap()
	}
	if a, err := netip.ParseAddr(remote); err == nil {
		return a.Unmap()
	}
	return netip.Addr{}
}

// addrSource is the source an anonymous refusal is sampled under: the IPv4
// address, or the IPv6 /64, since one host commonly holds a whole /64.
func addrSource(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// The sampler's limits: per minute, at most refusalsPerSource records for
// one key (or one address when the key is unknown or absent), and at most
// refusalsPerWindow in all. A client with a wrong secret leaves a trace
// every minute it keeps failing; a flood from many addresses costs at most
// refusalsPerWindow writes a minute, about five a second, on each node.
const (
	refusalWindow     = time.Minute
	refusalsPerSource = 5
	refusalsPerWindow = 300
)

// refusalSampler admits the refusals to record, by fixed windows of
// refusalWindow. Its map holds only admitted sources, so it never holds
// more than refusalsPerWindow entries. Its zero value is ready.
type refusalSampler struct {
	mu      sync.Mutex
	window  time.Time
	count   map[string]int
	total   int
	dropped atomic.Uint64
}

func (r *refusalSampler) admit(source string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w := now.Truncate(refusalWindow); !w.Equal(r.window) || r.count == nil {
		r.window, r.count, r.total = w, map[string]int{}, 0
	}
	if r.total >= refusalsPerWindow || r.count[source] >= refusalsPerSource {
		r.dropped.Add(1)
		return false
	}
	r.count[source]++
	r.total++
	return true
}
